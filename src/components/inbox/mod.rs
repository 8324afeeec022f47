//! The inbox panel: its tools, the list cut into blocks, "Show more" (the items themselves are
//! in [`item`]).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::toasts::DesktopNotificationsToggle;
use crate::hooks::{use_inbox, use_lang};
use crate::i18n::Lang;
use crate::providers::{HistoryStatus, InboxContext};
use crate::state::inbox::{Edit, Failure, ItemKey, Notification};
use crate::state::remote::ChangeError;
use crate::state::reveal::{reveal, NEW_PER_RENDER};

mod days;
mod item;
mod threads;

pub use item::{transaction_link, InboxBlock, InboxBlockProps, InboxItem, InboxItemProps};

/// How many items are in the DOM at first, and how many more each "Show more" adds. A history
/// of 10,000 rows renders and scrolls fast because the DOM holds only what was asked for
/// (capping, not virtual scrolling: plain lists keep find-in-page and screen readers working).
pub const PAGE: usize = 100;
/// The longest the rest of a page a render could not build all of waits (ms).
const REVEAL_WITHIN_MS: u32 = 100;

#[derive(Clone, Copy, PartialEq)]
enum Filter {
    All,
    Unread,
}

/// The list, or one thread per transaction.
#[derive(Clone, Copy, PartialEq)]
enum View {
    List,
    Threads,
}

/// "Now", moved on every minute (for the relative times).
#[hook]
fn use_minute_clock() -> f64 {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(60_000, move || now.set(js_sys::Date::now()));
            move || drop(interval)
        });
    }
    *now
}

/// Which of `page` are in the DOM: a few new items per render (see `reveal`), the rest when
/// idle. The keys on screen are kept once, in order: what `reveal` compares with, and where
/// focus goes after a delete.
#[hook]
fn use_revealed(page: &[ItemKey]) -> (Vec<usize>, Rc<RefCell<Vec<ItemKey>>>) {
    let keys_on_screen = use_mut_ref(Vec::<ItemKey>::new);
    let before: HashSet<ItemKey> = keys_on_screen.borrow().iter().copied().collect();
    let (take, complete) = reveal(page, &before, NEW_PER_RENDER);
    *keys_on_screen.borrow_mut() = take.iter().map(|&i| page[i]).collect();
    // The rest of the page when the browser is idle (at the latest REVEAL_WITHIN_MS later).
    // A render meanwhile supersedes it (it revealed more itself): during a burst the main
    // thread is never idle and the flushes reveal the newest items, so items that would be
    // pushed off the page at once are never built.
    let update = use_force_update();
    let generation = use_mut_ref(|| 0u64);
    use_effect(move || {
        let current = {
            let mut g = generation.borrow_mut();
            *g += 1;
            *g
        };
        if !complete {
            crate::hooks::when_idle(REVEAL_WITHIN_MS, move || {
                if *generation.borrow() == current {
                    update.force_update();
                }
            });
        }
    });
    (take, keys_on_screen)
}

/// Delete, then focus the next item (or the previous, or the heading). Stable across renders
/// (reads the keys on screen when called), so items are not re-rendered by it.
#[hook]
fn use_delete_with_focus(
    edit: Callback<Edit>,
    keys_on_screen: Rc<RefCell<Vec<ItemKey>>>,
) -> Callback<ItemKey> {
    (*use_memo(edit, move |edit| {
        let edit = edit.clone();
        Callback::from(move |key: ItemKey| {
            let keys = keys_on_screen.borrow();
            let pos = keys.iter().position(|k| *k == key);
            let target = pos
                .and_then(|i| {
                    keys.get(i + 1)
                        .or_else(|| i.checked_sub(1).and_then(|j| keys.get(j)))
                })
                .map(|k| k.dom_id())
                .unwrap_or_else(|| "inbox-title".to_owned());
            edit.emit(Edit::Delete(key));
            focus_later(target);
        })
    }))
    .clone()
}

/// What the inbox says of a failed edit: what was tried, and why it did not happen (the
/// server's own words when it gave some).
fn failure_text(lang: Lang, failure: &Failure) -> String {
    let t = lang.t();
    let what = match failure.edit {
        Edit::MarkRead(_) => t.could_not_read,
        Edit::MarkAllRead => t.could_not_read_all,
        Edit::Delete(_) => t.could_not_delete,
    };
    let why = match &failure.why {
        ChangeError::Api(e) => lang.api_error(e),
        ChangeError::Refused {
            message: Some(m), ..
        } => m.clone(),
        ChangeError::Refused { status, .. } => t.server_refused.replace("{}", &status.to_string()),
    };
    format!("{what}: {why}")
}

/// The error banners: a failed edit (dismissable) and a failed history read (with a retry).
fn alerts(ctx: &InboxContext, lang: Lang) -> Html {
    let t = lang.t();
    let dismiss = ctx.dismiss_error.reform(|_| ());
    let retry = ctx.retry_history.reform(|_| ());
    html! {
        <>
            if let Some(failure) = &ctx.inbox.error {
                <div role="alert" class="form-error inbox-error">
                    <span>{ failure_text(lang, failure) }</span>
                    <button type="button" class="link" onclick={dismiss}>{t.dismiss}</button>
                </div>
            }
            if let HistoryStatus::Failed(why) = &ctx.history {
                <div role="alert" class="form-error inbox-error history-error">
                    <span>{ format!("{}: {}", t.history_failed, lang.api_error(why)) }</span>
                    <button type="button" class="link" onclick={retry}>{t.retry}</button>
                </div>
            }
        </>
    }
}

/// The notification inbox: a region named "Notifications".
#[component(InboxPanel)]
pub fn inbox_panel() -> Html {
    let ctx = use_inbox();
    let lang = use_lang();
    let t = lang.t();
    let filter = use_state(|| Filter::All);
    let view = use_state(|| View::List);
    let panel = use_node_ref();
    let shown = use_state(|| PAGE);
    let now = use_minute_clock();
    let inbox = &ctx.inbox;
    let unread = inbox.unread();
    // Only the page on screen is walked; the totals come from the reducer's counts.
    let total = match *filter {
        Filter::All => inbox.items().len(),
        Filter::Unread => unread,
    };
    // With each item, its place counted from the oldest end of the whole list: a new
    // notification on top does not change the place of the ones below it (see `blocks`).
    let len = inbox.items().len();
    let page: Vec<(usize, &Rc<Notification>)> = inbox
        .items()
        .iter()
        .enumerate()
        .filter(|(_, n)| *filter == Filter::All || !n.is_read)
        .take(*shown)
        .map(|(i, n)| (len - 1 - i, n))
        .collect();
    let keys: Vec<ItemKey> = page.iter().map(|(_, n)| n.key).collect();
    let (take, keys_on_screen) = use_revealed(&keys);
    let in_dom: Vec<(usize, &Rc<Notification>)> = take.iter().map(|&i| page[i]).collect();
    crate::hooks::use_intl_warm_up();
    let on_delete = use_delete_with_focus(ctx.edit.clone(), keys_on_screen);
    let mark =
        crate::hooks::use_last_looked(panel.clone(), inbox.items().first().map(|n| n.time_ms));

    let filter_button = |f: Filter, label: &str| {
        let filter = filter.clone();
        let selected = *filter == f;
        html! {
            <button type="button" aria-pressed={selected.to_string()}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_| filter.set(f))}>{label}</button>
        }
    };
    let view_button = |v: View, label: &str| {
        let view = view.clone();
        let selected = *view == v;
        html! {
            <button type="button" aria-pressed={selected.to_string()}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_| view.set(v))}>{label}</button>
        }
    };
    let mark_all = ctx.edit.reform(|_| Edit::MarkAllRead);
    let show_more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };

    html! {
        <section class="inbox" aria-labelledby="inbox-title" ref={panel}>
            <div class="panel-head">
                <h2 id="inbox-title" tabindex="-1">{t.notifications}</h2>
                <span class="unread-count">{ lang.unread(unread) }</span>
                <span class="spacer"></span>
                <button type="button" class="secondary" onclick={mark_all} disabled={unread == 0}>{t.mark_all_read}</button>
            </div>
            <div class="panel-tools">
                // Toggle buttons (like the language switch), not tabs: there is no tab panel.
                <div role="group" aria-label={t.filter_label} class="tabs">
                    { filter_button(Filter::All, t.all) }
                    { filter_button(Filter::Unread, t.unread_tab) }
                </div>
                <div role="group" aria-label={t.view_label} class="tabs">
                    { view_button(View::List, t.view_list) }
                    { view_button(View::Threads, t.view_threads) }
                </div>
                <DesktopNotificationsToggle />
            </div>
            { alerts(&ctx, lang) }
            if total == 0 && matches!(ctx.history, HistoryStatus::Failed(_)) {
                // Not "No notifications": we do not know that.
            } else if total == 0 {
                <p class="empty">{ if *filter == Filter::Unread { t.no_unread } else { t.no_notifications } }</p>
            } else if *view == View::Threads {
                <threads::InboxThreads {now} {lang} edit={ctx.edit.clone()}
                    items={threads::Shown(inbox.items().iter()
                        .filter(|n| *filter == Filter::All || !n.is_read).cloned().collect())} />
            } else {
                { days::ListRows { items: &in_dom, now, mark, lang, edit: &ctx.edit, on_delete: &on_delete }.render() }
                if total > page.len() {
                    <button type="button" class="secondary more" onclick={show_more}>
                        { lang.show_more(PAGE.min(total - page.len()), total - page.len()) }
                    </button>
                }
            }
        </section>
    }
}

/// Focuses `id` once the current render is on screen. The timer belongs to the task and is
/// dropped with it (a forgotten timer would keep its closure for good).
fn focus_later(id: String) {
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(0).await;
        super::focus_by_id(&id, false);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64) -> Rc<Notification> {
        Rc::new(Notification {
            key: ItemKey::Id(id),
            message: format!("m{id}"),
            eng_message: None,
            ara_message: None,
            transaction_id: None,
            code: None,
            transaction_type: None,
            action: None,
            time_ms: id as f64,
            is_read: false,
            received_ms: 0.0,
        })
    }

    thread_local! {
        static CALLBACKS: (Callback<Edit>, Callback<ItemKey>) =
            (Callback::noop(), Callback::noop());
    }

    fn props(items: Rc<[Rc<Notification>]>) -> InboxBlockProps {
        let (edit, on_delete) = CALLBACKS.with(|c| c.clone());
        InboxBlockProps {
            items,
            now: 0.0,
            edit,
            on_delete,
            lang: Lang::En,
        }
    }

    #[test]
    fn blocks_are_equal_only_with_the_same_items() {
        let a: Rc<[Rc<Notification>]> = vec![item(1), item(2)].into();
        assert!(props(a.clone()) == props(a.clone()));
        let b: Rc<[Rc<Notification>]> = vec![a[0].clone()].into();
        assert!(props(a.clone()) != props(b), "fewer items");
        let c: Rc<[Rc<Notification>]> = vec![a[0].clone(), item(2)].into();
        assert!(
            props(a) != props(c),
            "another item (even an equal one) is a change"
        );
    }
}

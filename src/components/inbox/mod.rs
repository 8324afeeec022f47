//! The inbox panel: its tools (search and filters in [`tools`]), the list by day in blocks
//! ([`days`]) or by transaction ([`threads`]),
//! "Show more" (the items themselves are in [`item`]).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use yew::prelude::*;

use crate::components::toasts::DesktopNotificationsToggle;
use crate::hooks::{use_inbox, use_lang};
use crate::i18n::Lang;
use crate::providers::{HistoryStatus, InboxContext};
use crate::state::inbox::{Edit, Failure, ItemKey, Notification};
use crate::state::reveal::{items_fitting, reveal, NEW_PER_RENDER};

mod bulk;
mod days;
mod item;
mod shortcuts;
mod threads;
pub mod tools;

pub use item::{transaction_link, InboxBlock, InboxBlockProps, InboxItem, InboxItemProps};

/// The browser is offline (the inbox's [`InboxContext::offline`]), for the actions inside the
/// panel: a context, so only the buttons' components follow it, not every render of the list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offline(pub bool);

/// Whether the inbox's actions are disabled because the browser is offline.
#[hook]
pub fn use_offline() -> bool {
    use_context::<Offline>().is_some_and(|o| o.0)
}

/// How many items are in the DOM at first, and how many more each "Show more" adds. A history
/// of 10,000 rows renders and scrolls fast because the DOM holds only what was asked for
/// (capping, not virtual scrolling: plain lists keep find-in-page and screen readers working).
pub const PAGE: usize = 100;
/// The longest the rest of a page a render could not build all of waits (ms).
const REVEAL_WITHIN_MS: u32 = 100;
/// How long the typing of a search pauses before the rest of its first page is built (ms).
const TYPING_PAUSE_MS: u32 = 300;

/// The list by day, or one thread per transaction (kept per user).
#[derive(Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
enum View {
    #[default]
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
/// idle, or, while the user types a search, once the typing pauses (`typing`: this render
/// follows a change of the search): each key then builds its first results, as many as the
/// window shows, and no more. The keys on screen are kept once, in order: what `reveal`
/// compares with, and where focus goes after a delete.
///
/// Also the list's generation: it changes when the page replaces most of the items on screen
/// (a search narrowed), so the list is built anew and the old one leaves the page in one piece
/// instead of item by item.
#[hook]
fn use_revealed(page: &[ItemKey], typing: bool) -> (Vec<usize>, Rc<RefCell<Vec<ItemKey>>>, u32) {
    let keys_on_screen = use_mut_ref(Vec::<ItemKey>::new);
    let generation_of_list = use_mut_ref(|| 0u32);
    let mut before: HashSet<ItemKey> = keys_on_screen.borrow().iter().copied().collect();
    let kept = page.iter().filter(|k| before.contains(k)).count();
    if replaces(before.len() - kept, kept) && !focus_in_list() {
        *generation_of_list.borrow_mut() += 1;
        before.clear();
    }
    // While typing, new items only as far as the screen shows: the ones further down wait
    // for the pause (a key that keeps the top of the list as it is then builds none).
    let top = if typing {
        items_on_screen()
    } else {
        page.len()
    };
    let (take, complete) = reveal(page, &before, NEW_PER_RENDER, top);
    *keys_on_screen.borrow_mut() = take.iter().map(|&i| page[i]).collect();
    let generation_of_list = *generation_of_list.borrow();
    // The rest of the page when the browser is idle (at the latest REVEAL_WITHIN_MS later).
    // A render meanwhile supersedes it (it revealed more itself): during a burst the main
    // thread is never idle and the flushes reveal the newest items, so items that would be
    // pushed off the page at once are never built.
    let update = use_force_update();
    let generation = use_mut_ref(|| 0u64);
    let pause = use_mut_ref(|| None::<Timeout>);
    use_effect(move || {
        let current = {
            let mut g = generation.borrow_mut();
            *g += 1;
            *g
        };
        let reveal = move || {
            if *generation.borrow() == current {
                update.force_update();
            }
        };
        *pause.borrow_mut() = match (complete, typing) {
            (true, _) => None,
            (false, true) => Some(Timeout::new(TYPING_PAUSE_MS, reveal)),
            (false, false) => {
                crate::hooks::when_idle(REVEAL_WITHIN_MS, reveal);
                None
            }
        };
    });
    (take, keys_on_screen, generation_of_list)
}

/// Whether a list that loses `removed` items and keeps `kept` is better built anew (the kept
/// ones built again): removing an item costs the browser about a third of building one.
fn replaces(removed: usize, kept: usize) -> bool {
    removed >= NEW_PER_RENDER && removed > 3 * kept
}

/// How many items the window shows from the list's first (see [`items_fitting`]), by the
/// shortest of the first three, plus one: what is above the list may shrink as the search
/// changes. Read while a search is typed, before this render changes anything. Chromium lays
/// the page out for the caret before it sends `input`, so the read finds the layout clean
/// there; elsewhere it may lay out what changed since the last frame.
fn items_on_screen() -> usize {
    use wasm_bindgen::JsCast;
    let measured = || {
        let window = web_sys::window()?;
        let items = window
            .document()?
            .query_selector_all(".inbox-days .inbox-item:nth-child(-n + 3)")
            .ok()?;
        let rects: Vec<web_sys::DomRect> = (0..items.length())
            .take(3)
            .filter_map(|i| items.item(i)?.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.get_bounding_client_rect())
            .collect();
        let top = rects.first()?.top();
        let shortest = rects
            .iter()
            .map(|r| r.height())
            .fold(f64::INFINITY, f64::min);
        let height = window.inner_height().ok()?.as_f64()?;
        Some(items_fitting(height, top, shortest) + 1)
    };
    measured().unwrap_or(NEW_PER_RENDER).min(NEW_PER_RENDER)
}

/// Whether focus is in the list (which a new list would lose).
fn focus_in_list() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|el| el.closest(".inbox-days").ok().flatten())
        .is_some()
}

/// What the inbox says of a failed edit: what was tried, and why it did not happen (the
/// server's own words when it gave some).
fn failure_text(lang: Lang, failure: &Failure) -> String {
    let t = lang.t();
    let what = match failure.edit {
        Edit::MarkRead(_) | Edit::ReadMany => t.could_not_read,
        Edit::MarkAllRead => t.could_not_read_all,
        Edit::Delete(_) | Edit::DeleteMany => t.could_not_delete,
    };
    format!("{what}: {}", lang.change_error(&failure.why))
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

thread_local! {
    /// The mounted panel's way of bringing an item into view ([`show_item`]).
    static SHOW: RefCell<Option<Callback<String>>> = const { RefCell::new(None) };
}

/// "Show in inbox" (a job card's related notification): focuses the item whose row has DOM id
/// `id`, scrolled into view. Where the search, the filters or the view by transaction hide it,
/// they are cleared and the list shown first.
pub fn show_item(id: &str) {
    let in_page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .is_some();
    if in_page {
        crate::components::focus_by_id(id, true);
    } else if let Some(show) = SHOW.with(|s| s.borrow().clone()) {
        show.emit(id.to_owned());
    }
}

/// How long [`show_item`] waits for the item to be in the list once it is cleared (ms): the
/// list is revealed over a few renders.
const SHOW_WITHIN_MS: f64 = 2_000.0;

/// The panel's side of [`show_item`]: clears what hides the item, then focuses it after the
/// render that puts it in the page.
#[hook]
fn use_show_item(find: &tools::Find, set_view: &Callback<View>) {
    let showing = use_mut_ref(|| None::<(String, f64)>);
    {
        let showing = showing.clone();
        let (find, set_view) = (find.clone(), set_view.clone());
        let show = Callback::from(move |id: String| {
            *showing.borrow_mut() = Some((id, js_sys::Date::now() + SHOW_WITHIN_MS));
            find.clear();
            set_view.emit(View::List);
        });
        // This render's (what it clears is this render's search and filters).
        SHOW.with(|s| *s.borrow_mut() = Some(show));
    }
    use_effect_with((), |_| move || SHOW.with(|s| *s.borrow_mut() = None));
    use_effect(move || {
        let pending = showing.borrow().clone();
        if let Some((id, until)) = pending {
            let found = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .is_some();
            if found {
                showing.borrow_mut().take();
                crate::components::focus_by_id(&id, true);
            } else if js_sys::Date::now() > until {
                // Not in the list's pages (beyond "Show more"): the render that reveals it
                // later is the user's own doing, and takes no focus.
                showing.borrow_mut().take();
            }
        }
    });
}

/// The notification inbox: a region named "Notifications".
#[component(InboxPanel)]
pub fn inbox_panel() -> Html {
    let ctx = use_inbox();
    let lang = use_lang();
    let t = lang.t();
    let (view_mode, set_view) = crate::hooks::use_user_pref::<View>("inbox-view");
    let panel = use_node_ref();
    let now = use_minute_clock();
    let inbox = &ctx.inbox;
    let unread = inbox.unread();
    // Search and filters (#22, items 2 and 3): the positions of the items shown.
    let find = tools::use_find(inbox);
    use_show_item(&find, &set_view);
    let total = find.outcome.shown.len();
    // With each item, its place counted from the oldest end of the whole list: a new
    // notification on top does not change the place of the ones below it (see [`days`]).
    let len = inbox.items().len();
    let page: Vec<(usize, &Rc<Notification>)> = find
        .outcome
        .shown
        .iter()
        .take(find.limit)
        .filter_map(|&i| {
            let i = i as usize;
            inbox.items().get(i).map(|n| (len - 1 - i, n))
        })
        .collect();
    let keys: Vec<ItemKey> = page.iter().map(|(_, n)| n.key).collect();
    let typing = {
        let last = use_mut_ref(|| find.input.clone());
        let typing = !Rc::ptr_eq(&last.borrow(), &find.input);
        *last.borrow_mut() = find.input.clone();
        typing
    };
    let (take, keys_on_screen, generation_of_list) = use_revealed(&keys, typing);
    let in_dom: Vec<(usize, &Rc<Notification>)> = take.iter().map(|&i| page[i]).collect();
    crate::hooks::use_intl_warm_up();
    // Acting on many (bulk.rs) and the keyboard (shortcuts.rs): "matching" is what the search
    // and filters show, listed only when asked.
    let act = bulk::use_act(keys_on_screen);
    let announce = bulk::use_bulk_announce(&act, lang);
    let keyboard = shortcuts::use_inbox_shortcuts(&shortcuts::InboxShortcuts {
        act: act.clone(),
        inbox: ctx.inbox.clone(),
        edit: ctx.edit.clone(),
        lang,
        offline: ctx.offline,
    });
    tools::use_slash_focuses_search(act.shortcuts);
    let on_delete = act.on_delete.clone();
    let matching = {
        let (inbox, outcome) = (ctx.inbox.clone(), find.outcome.clone());
        Callback::from(move |()| {
            let at = outcome
                .shown
                .iter()
                .filter_map(|&i| inbox.items().get(i as usize));
            at.map(|n| n.key).collect::<Vec<_>>()
        })
    };
    let view = (ctx.inbox.clone(), find.query.clone(), find.filters.clone());
    bulk::use_keep_matching(&act, view, matching.clone());
    // "New since you last looked" (#22, item 5): the mark the divider stands at.
    let mark =
        crate::hooks::use_last_looked(panel.clone(), inbox.items().first().map(|n| n.time_ms));
    let view_button = |v: View, label: &str| {
        let selected = view_mode == v;
        html! {
            <button type="button" aria-pressed={selected.to_string()}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={set_view.reform(move |_| v)}>{label}</button>
        }
    };

    // The items on screen: the page's in the list, every one shown by transaction.
    let shown = threads::Shown(match view_mode {
        View::List => in_dom.iter().map(|(_, n)| Rc::clone(n)).collect(),
        View::Threads => find
            .outcome
            .shown
            .iter()
            .filter_map(|&i| inbox.items().get(i as usize).cloned())
            .collect(),
    });
    // The search's hits, painted over them after a render that changed the search, the items
    // on screen, their language, or how the list is cut (the divider and the list's
    // generation key the blocks: an item crossing them is built anew, with new text nodes);
    // and every minute, with the times. A render for anything else (a selection, a focus, a
    // toast) leaves the texts as they are.
    let hits = (*use_memo((), |_| tools::Hits::new(panel.clone()))).clone();
    {
        let hits = hits.clone();
        use_effect_with((), move |_| {
            hits.register();
            move || hits.remove()
        });
    }
    {
        let hits = hits.clone();
        let painted = (
            find.query.clone(),
            shown.clone(),
            (lang, view_mode, mark, generation_of_list, now),
        );
        use_effect_with(painted, move |(query, ..)| hits.paint(query.clone()));
    }

    // Under a search or a filter, what they show, not what they hide (item by item, as a
    // bulk action); otherwise the server's own "read all".
    let narrowed = find.narrowed();
    // Anything to mark (the first unread item shown ends the walk).
    let markable = if narrowed {
        find.outcome
            .shown
            .iter()
            .any(|&i| inbox.items().get(i as usize).is_some_and(|n| !n.is_read))
    } else {
        unread > 0
    };
    let mark_all = {
        let edit = ctx.edit.clone();
        let (bulk, matching, inbox) = (act.bulk.clone(), matching.clone(), ctx.inbox.clone());
        Callback::from(move |_: MouseEvent| {
            // The button is disabled once nothing is unread: the focus would fall to the page.
            crate::components::focus_by_id("inbox-title", false);
            if narrowed {
                let unread: HashSet<ItemKey> = inbox
                    .items()
                    .iter()
                    .filter(|n| !n.is_read)
                    .map(|n| n.key)
                    .collect();
                let mut keys = matching.emit(());
                keys.retain(|k| unread.contains(k));
                bulk.mark_read(&keys);
            } else {
                edit.emit(Edit::MarkAllRead);
            }
        })
    };
    let show_more = find.show_more.reform(|_| ());

    html! {
        <section class="inbox" aria-labelledby="inbox-title" ref={panel}>
          <ContextProvider<Offline> context={Offline(ctx.offline)}>
            <div class="panel-head">
                <h2 id="inbox-title" tabindex="-1">{t.notifications}</h2>
                <span class="unread-count">{ lang.unread(unread) }</span>
                <span class="spacer"></span>
                <button type="button" class="secondary" onclick={mark_all} disabled={!markable || ctx.offline}>
                    { if narrowed { t.mark_shown_read } else { t.mark_all_read } }
                </button>
            </div>
            <div class="panel-tools">
                { tools::view(&find, lang, act.shortcuts) }
                // The list by day or by transaction (#22, item 4): toggle buttons, like the filters.
                <div role="group" aria-label={t.view_label} class="tabs">
                    { view_button(View::List, t.view_list) }
                    { view_button(View::Threads, t.view_threads) }
                </div>
                <DesktopNotificationsToggle />
                { keyboard }
            </div>
            { bulk::BulkBar { act: &act, inbox: &ctx.inbox, matching_count: total, matching,
                lang, announce: &announce, offline: ctx.offline }.render() }
            { alerts(&ctx, lang) }
            if total == 0 && matches!(ctx.history, HistoryStatus::Failed(_)) {
                // Not "No notifications": we do not know that.
            } else if total == 0 && find.narrowed() {
                { tools::no_matches(&find, lang) }
            } else if total == 0 {
                <p class="empty">{ if find.filters.unread_only { t.no_unread } else { t.no_notifications } }</p>
            } else {
                <ContextProvider<tools::Hits> context={hits}>
                    if view_mode == View::Threads {
                        <threads::InboxThreads {now} {lang} edit={ctx.edit.clone()}
                            bulk={act.bulk.clone()} select={act.selecting()} items={shown} />
                    } else {
                        { days::ListRows { items: &in_dom, now, mark, lang, edit: &ctx.edit,
                            on_delete: &on_delete, select: act.selecting(),
                            generation: generation_of_list }.render() }
                    }
                </ContextProvider<tools::Hits>>
                if total > page.len() && view_mode == View::List {
                    <button type="button" class="secondary more" onclick={show_more}>
                        { lang.show_more(PAGE.min(total - page.len()), total - page.len()) }
                    </button>
                }
            }
          </ContextProvider<Offline>>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{replaces, NEW_PER_RENDER};

    #[test]
    fn a_list_is_built_anew_only_when_most_of_it_leaves() {
        // A search that keeps nothing of a full page, or a handful of 100.
        assert!(replaces(100, 0));
        assert!(replaces(95, 5));
        // A burst pushing a dozen off the bottom, a delete, a search that keeps most: in place.
        assert!(!replaces(NEW_PER_RENDER, 88));
        assert!(!replaces(1, 99));
        assert!(!replaces(40, 60));
        // Too few to remove to matter.
        assert!(!replaces(NEW_PER_RENDER - 1, 0));
    }
}

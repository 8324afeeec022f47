//! The inbox by transaction: one thread per transaction, newest first, each a disclosure (its
//! title a button with `aria-expanded`) opening the transaction's notifications in the order
//! they happened. The grouping is [`crate::state::inbox::threads`]'s.

use std::rc::Rc;

use yew::prelude::*;

use super::bulk::Selecting;
use super::{InboxItem, PAGE};
use crate::format::exact_localized;
use crate::hooks::BulkService;
use crate::i18n::Lang;
use crate::state::inbox::threads::{threads, Thread};
use crate::state::inbox::{Edit, ItemKey, Notification};
use crate::state::time::{ago, iso_utc};

/// The items a view shows, compared by pointer (the same notifications in the same order).
#[derive(Clone)]
pub struct Shown(pub Rc<[Rc<Notification>]>);

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
            || (self.0.len() == other.0.len()
                && self
                    .0
                    .iter()
                    .zip(other.0.iter())
                    .all(|(a, b)| Rc::ptr_eq(a, b)))
    }
}

/// Props of [`InboxThreads`].
#[derive(Properties, PartialEq)]
pub struct InboxThreadsProps {
    /// The items to group (the view's filter applied), newest first.
    pub items: Shown,
    /// Now, for the relative times.
    pub now: f64,
    /// Edits.
    pub edit: Callback<Edit>,
    /// Deletes (with Undo).
    pub bulk: BulkService,
    /// The selection and the shortcuts.
    pub select: Selecting,
    /// Language.
    pub lang: Lang,
}

/// The threads, a page at a time.
#[component(InboxThreads)]
pub fn inbox_threads(props: &InboxThreadsProps) -> Html {
    let grouped = use_memo(props.items.clone(), |items| {
        threads(items.0.iter())
            .into_iter()
            .map(Rc::new)
            .collect::<Vec<_>>()
    });
    let shown = use_state(|| PAGE);
    let lang = props.lang;
    let hidden = grouped.len().saturating_sub(*shown);
    let show_more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };
    html! {
        <>
            <ul class="inbox-list threads" aria-labelledby="inbox-title">
                { for grouped.iter().take(*shown).map(|t| html! {
                    <InboxThread key={t.key.dom_id()} thread={t.clone()} now={props.now}
                        {lang} edit={props.edit.clone()} bulk={props.bulk.clone()}
                        select={props.select.clone()} />
                }) }
            </ul>
            if hidden > 0 {
                <button type="button" class="secondary more" onclick={show_more}>
                    { lang.show_more(PAGE.min(hidden), hidden) }
                </button>
            }
        </>
    }
}

/// Props of [`InboxThread`].
#[derive(Properties)]
pub struct InboxThreadProps {
    /// The thread.
    pub thread: Rc<Thread>,
    /// Now, for the relative time.
    pub now: f64,
    /// Edits.
    pub edit: Callback<Edit>,
    /// Deletes (with Undo).
    pub bulk: BulkService,
    /// The selection and the shortcuts.
    pub select: Selecting,
    /// Language.
    pub lang: Lang,
}

// The same thread holds the same items (pointer compares): an arrival in another transaction
// re-renders no other thread.
impl PartialEq for InboxThreadProps {
    fn eq(&self, other: &Self) -> bool {
        (Rc::ptr_eq(&self.thread, &other.thread) || self.thread == other.thread)
            && self.now == other.now
            && self.lang == other.lang
            && self.edit == other.edit
            && self.bulk == other.bulk
            && self.select == other.select
    }
}

/// What a thread is called: its code, else "Transaction 861", else its one notification's text.
fn title(thread: &Thread, newest: &Notification, lang: Lang) -> String {
    match (&thread.code, thread.transaction_id) {
        (Some(code), _) => code.to_string(),
        (None, Some(id)) => lang.transaction(id),
        (None, None) => newest.text(lang == Lang::Ar).to_owned(),
    }
}

/// One transaction's thread: a heading with the disclosure button, the newest text, the steps
/// so far and when the last one happened; open, its notifications oldest first.
#[component(InboxThread)]
pub fn inbox_thread(props: &InboxThreadProps) -> Html {
    let open = use_state(|| false);
    // Opened, its items are new on the page: the search's hits are painted over them too.
    let hits = use_context::<super::tools::Hits>();
    use_effect_with(*open, move |&open| {
        if let Some(hits) = hits.filter(|_| open) {
            hits.repaint();
        }
    });
    let thread = &props.thread;
    let lang = props.lang;
    let Some(newest) = thread.newest() else {
        return Html::default();
    };
    let id = thread.key.dom_id();
    let toggle_id = format!("{id}-toggle");
    let items_id = format!("{id}-items");
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    // After a delete: the next notification of the thread, else the one before, else the
    // panel's heading (the thread is gone with its last notification).
    let on_delete = {
        let keys: Vec<ItemKey> = thread.items.iter().map(|n| n.key).collect();
        let bulk = props.bulk.clone();
        Callback::from(move |key: ItemKey| {
            let target = super::bulk::focus_after_delete(&keys, key);
            bulk.delete(&[key]);
            super::bulk::focus_later(target);
        })
    };
    let steps = thread.steps();
    let exact = exact_localized(newest.time_ms, lang.code());
    let relative = lang.ago(ago(newest.time_ms, props.now));
    let count = lang.notification_count(thread.items.len());
    html! {
        <li id={id} class={classes!("thread", (thread.unread > 0).then_some("unread"))}>
            <h3 class="thread-title">
                <button type="button" class="thread-toggle" id={toggle_id.clone()}
                    aria-expanded={open.to_string()} aria-controls={items_id.clone()} onclick={toggle}>
                    <bdi>{ title(thread, newest, lang) }</bdi>
                </button>
            </h3>
            <p class="thread-latest" dir="auto">{ crate::components::text::with_codes(newest.text(lang == Lang::Ar)) }</p>
            <p class="meta">
                if !steps.is_empty() {
                    <span class="thread-steps">
                        { for steps.iter().enumerate().map(|(i, s)| html! {
                            <>
                                if i > 0 {
                                    <span class="arrow" aria-hidden="true">{ lang.step_arrow() }</span>
                                    <span class="visually-hidden">{ ", " }</span>
                                }
                                <bdi>{ *s }</bdi>
                            </>
                        }) }
                    </span>
                }
                <span>{ count }</span>
                if thread.unread > 0 {
                    <span class="thread-unread">{ lang.unread(thread.unread) }</span>
                }
                <time datetime={iso_utc(newest.time_ms)} title={exact.clone()} aria-label={format!("{relative}, {exact}")}>
                    { relative.clone() }
                </time>
            </p>
            <ol id={items_id} class="thread-items" hidden={!*open} aria-labelledby={toggle_id}>
                if *open {
                    { for thread.items.iter().map(|n| html! {
                        <InboxItem key={n.key.dom_id()} item={n.clone()} now={props.now} {lang}
                            edit={props.edit.clone()} on_delete={on_delete.clone()}
                            select={props.select.of(n.key)} />
                    }) }
                }
            </ol>
        </li>
    }
}

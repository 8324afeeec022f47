//! Acting on many notifications: a checkbox per item (Shift for a range), "Select all
//! matching", the bar that marks the selection read or deletes it with its progress and its
//! failures item by item, and the Undo every delete waits with, single or bulk. The rules are
//! in [`crate::state::inbox::selection`] and [`crate::state::inbox::bulk`]; the requests are
//! the bulk service's ([`crate::hooks::use_bulk`]). The panel calls [`use_act`] once and hands
//! the result to the items ([`Act::selecting`]), to [`BulkBar`] and to the shortcuts.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{use_bulk, use_shortcuts_setting, BulkService};
use crate::i18n::Lang;
use crate::state::inbox::bulk::{BulkOp, BulkView, RunView};
use crate::state::inbox::selection::{Selection, SelectionAction};
use crate::state::inbox::shortcuts::{keys_of, Shortcut};
use crate::state::inbox::{Inbox, ItemKey};

/// Failures listed per run at most (the rest are counted).
const FAILURES_SHOWN: usize = 20;
/// Characters of an item's text a failure line quotes.
const NAME_CHARS: usize = 80;
/// The "Select all matching" button: where focus goes after a bulk action.
const SELECT_ALL_ID: &str = "bulk-select-all";

/// What an item needs for its checkbox and the shortcuts it names. Cheap to compare.
#[derive(Clone, PartialEq)]
pub struct ItemSelect {
    /// Selected.
    pub selected: bool,
    /// Its checkbox was clicked: (the item, Shift held).
    pub on_select: Callback<(ItemKey, bool)>,
    /// Keyboard shortcuts are on (their keys are exposed with `aria-keyshortcuts`).
    pub shortcuts: bool,
}

impl ItemSelect {
    /// `aria-keyshortcuts` of a control of the item for `shortcut`, while shortcuts are on.
    pub fn keys(&self, shortcut: Shortcut) -> Option<&'static str> {
        self.shortcuts.then(|| keys_of(shortcut))
    }
}

/// What a block of items needs for theirs ([`Selecting::of`] per item). Equal while the
/// selection is the same one.
#[derive(Clone, Default, PartialEq)]
pub struct Selecting {
    /// The selection.
    pub selection: Selection,
    /// A checkbox was clicked.
    pub on_select: Callback<(ItemKey, bool)>,
    /// Keyboard shortcuts are on.
    pub shortcuts: bool,
}

impl Selecting {
    /// What item `key` needs.
    pub fn of(&self, key: ItemKey) -> ItemSelect {
        ItemSelect {
            selected: self.selection.contains(key),
            on_select: self.on_select.clone(),
            shortcuts: self.shortcuts,
        }
    }
}

/// An item's checkbox, named after the item ("Select: Transfer FAR-0016 created").
/// Shift-click, and Shift+Space on it, select the range from the last one checked.
pub fn checkbox(key: ItemKey, text: &str, select: &ItemSelect, lang: Lang) -> Html {
    let on_select = select.on_select.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        // The selection decides what the box shows (a range may leave this one as it was):
        // the browser's own toggle is cancelled, and the selection changes after the click
        // is over (a render during it would be undone by the cancellation).
        e.prevent_default();
        let (on_select, shift) = (on_select.clone(), e.shift_key());
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            on_select.emit((key, shift));
        });
    });
    let name = format!(
        "{}{}",
        lang.t().select_item,
        crate::protocol::clip(text, NAME_CHARS)
    );
    html! {
        <input type="checkbox" class="select" checked={select.selected} aria-label={name}
            aria-keyshortcuts={select.keys(Shortcut::ToggleSelect)} {onclick} />
    }
}

/// The panel's handle on acting: the selection, the bulk actions, the shortcuts setting and
/// the callbacks the items use (stable across renders). Equal while none of them changed.
#[derive(Clone)]
pub struct Act {
    /// The selection.
    pub selection: UseReducerHandle<Selection>,
    /// The bulk actions.
    pub bulk: BulkService,
    /// What they show.
    pub view: Rc<BulkView>,
    /// Keyboard shortcuts are on.
    pub shortcuts: bool,
    /// Turns them on or off (kept per user).
    pub set_shortcuts: Callback<bool>,
    /// A checkbox was clicked: (the item, Shift held).
    pub on_select: Callback<(ItemKey, bool)>,
    /// Deletes one item (with Undo), focus moving to its neighbour.
    pub on_delete: Callback<ItemKey>,
    /// The items in the DOM, top to bottom (the panel's).
    pub keys_on_screen: Rc<RefCell<Vec<ItemKey>>>,
}

impl PartialEq for Act {
    fn eq(&self, other: &Self) -> bool {
        *self.selection == *other.selection
            && Rc::ptr_eq(&self.view, &other.view)
            && self.shortcuts == other.shortcuts
            && self.bulk == other.bulk
            && self.on_select == other.on_select
            && self.on_delete == other.on_delete
    }
}

impl Act {
    /// What the item blocks need.
    pub fn selecting(&self) -> Selecting {
        Selecting {
            selection: (*self.selection).clone(),
            on_select: self.on_select.clone(),
            shortcuts: self.shortcuts,
        }
    }

    /// The Shift range to `to` over the items on screen (or a toggle without Shift).
    pub fn select_action(&self, to: ItemKey, shift: bool) -> SelectionAction {
        select_action(&self.keys_on_screen, to, shift)
    }
}

fn select_action(keys: &RefCell<Vec<ItemKey>>, to: ItemKey, shift: bool) -> SelectionAction {
    if shift {
        SelectionAction::Range {
            to,
            order: keys.borrow().iter().copied().collect(),
        }
    } else {
        SelectionAction::Toggle(to)
    }
}

/// Everything acting on the inbox needs, for the panel; `keys_on_screen` are the items in
/// the DOM, top to bottom (for Shift ranges and where focus goes after a delete).
#[hook]
pub fn use_act(keys_on_screen: Rc<RefCell<Vec<ItemKey>>>) -> Act {
    let selection = use_reducer(Selection::default);
    let (bulk, view) = use_bulk();
    let (shortcuts, set_shortcuts) = use_shortcuts_setting();
    let on_select = {
        let dispatch = selection.dispatcher();
        let keys = keys_on_screen.clone();
        (*use_memo((), move |()| {
            Callback::from(move |(key, shift): (ItemKey, bool)| {
                dispatch.dispatch(select_action(&keys, key, shift));
            })
        }))
        .clone()
    };
    let on_delete = {
        let keys = keys_on_screen.clone();
        (*use_memo(bulk.clone(), move |bulk| {
            let bulk = bulk.clone();
            Callback::from(move |key: ItemKey| {
                let target = focus_after_delete(&keys.borrow(), key);
                bulk.delete(&[key]);
                focus_later(target);
            })
        }))
        .clone()
    };
    Act {
        selection,
        bulk,
        view,
        shortcuts,
        set_shortcuts,
        on_select,
        on_delete,
        keys_on_screen,
    }
}

/// Where focus goes when `key` is deleted from `keys` (in order): the next item, else the
/// previous, else the panel's heading. The list's and a thread's.
pub fn focus_after_delete(keys: &[ItemKey], key: ItemKey) -> String {
    let pos = keys.iter().position(|k| *k == key);
    pos.and_then(|i| {
        keys.get(i + 1)
            .or_else(|| i.checked_sub(1).and_then(|j| keys.get(j)))
    })
    .map_or_else(|| "inbox-title".to_owned(), |k| k.dom_id())
}

/// Keeps the selection to the items that match the view (a bulk action never touches what
/// the user cannot see): run whenever `deps` change (what decides which items match: the
/// inbox, the filter, the search); `matching` lists them.
#[hook]
pub fn use_keep_matching<D>(act: &Act, deps: D, matching: Callback<(), Vec<ItemKey>>)
where
    D: PartialEq + 'static,
{
    let dispatch = act.selection.dispatcher();
    let empty = act.selection.is_empty();
    use_effect_with(deps, move |_| {
        if !empty {
            let set: HashSet<ItemKey> = matching.emit(()).into_iter().collect();
            dispatch.dispatch(SelectionAction::Keep(Rc::new(move |k| set.contains(&k))));
        }
    });
}

/// The bar above the list: "Select all matching", and with a selection its count, "Mark
/// selected as read", "Delete selected" and "Clear selection"; each bulk action's progress
/// ("Deleting: 3 of 40") and the items that failed, one by one; the Undo of a delete. Part of
/// the panel's render ([`BulkBar::render`]), not a component of its own (≈ 2 KB of wasm
/// less); its announcement is the panel's ([`use_bulk_announce`]).
pub struct BulkBar<'a> {
    /// The panel's handle.
    pub act: &'a Act,
    /// The inbox (the order of a bulk action; the names of failed items).
    pub inbox: &'a Rc<Inbox>,
    /// How many items match the view (search, filters).
    pub matching_count: usize,
    /// Lists them, top to bottom (asked only when "Select all matching" is pressed).
    pub matching: Callback<(), Vec<ItemKey>>,
    /// Language.
    pub lang: Lang,
    /// What the bar says politely ([`use_bulk_announce`]).
    pub announce: &'a UseStateHandle<String>,
    /// Offline: the bulk actions are disabled (the panel's [`super::Offline`]).
    pub offline: bool,
}

/// What the bulk bar says politely: a finished "Mark selected as read" (its failures are an
/// alert of their own; a delete is announced when it leaves the view), a restore by Undo.
#[hook]
pub fn use_bulk_announce(act: &Act, lang: Lang) -> UseStateHandle<String> {
    let announce = use_state(String::new);
    {
        let announce = announce.setter();
        use_effect_with(act.view.finished, move |(_, finished)| {
            if let Some((op, done, _)) = finished {
                if *op == BulkOp::MarkRead && *done > 0 {
                    announce.set(lang.bulk_done(*op, *done));
                }
            }
        });
    }
    announce
}

impl BulkBar<'_> {
    /// The bar.
    pub fn render(&self) -> Html {
        let props = self;
        let lang = props.lang;
        let t = lang.t();
        let act = props.act;
        let view = &act.view;
        let count = act.selection.len();
        let dispatch = act.selection.dispatcher();
        let announce = props.announce;
        let select_all = {
            let dispatch = dispatch.clone();
            let matching = props.matching.clone();
            Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(SelectionAction::All(matching.emit(()).into()));
            })
        };
        let clear = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(SelectionAction::Clear);
                // "Clear selection" goes with the selection.
                crate::components::refocus_later(vec![
                    SELECT_ALL_ID.to_owned(),
                    "inbox-title".to_owned(),
                ]);
            })
        };
        let bulk_action = |op: BulkOp| {
            let bulk = act.bulk.clone();
            let dispatch = dispatch.clone();
            let selection = (*act.selection).clone();
            let inbox = props.inbox.clone();
            Callback::from(move |_: MouseEvent| {
                let keys = selection.in_order(inbox.items().iter().map(|n| &n.key));
                match op {
                    BulkOp::MarkRead => bulk.mark_read(&keys),
                    BulkOp::Delete => bulk.delete(&keys),
                }
                dispatch.dispatch(SelectionAction::Clear);
                focus_later(SELECT_ALL_ID.to_owned());
            })
        };
        let undo = {
            let bulk = act.bulk.clone();
            let announce = announce.setter();
            Callback::from(move |_: MouseEvent| {
                let keys = bulk.undo();
                if let Some(first) = keys.first() {
                    announce.set(lang.t().announce_restored.to_owned());
                    focus_later(first.dom_id());
                }
            })
        };
        let dismiss = {
            let bulk = act.bulk.clone();
            Callback::from(move |_: MouseEvent| bulk.dismiss())
        };
        let names = failed_names(props.inbox, view, lang);
        let offline = props.offline;
        html! {
            <div class="bulk">
                <div class="bulk-select" role="group" aria-label={t.selected_actions}>
                    <button type="button" class="secondary" id={SELECT_ALL_ID}
                        disabled={props.matching_count == 0} onclick={select_all}>
                        { lang.select_all_matching(props.matching_count) }
                    </button>
                    if count > 0 {
                        <span class="bulk-count">{ lang.selected(count) }</span>
                        <button type="button" class="secondary" onclick={bulk_action(BulkOp::MarkRead)} disabled={offline}>
                            { t.mark_selected_read }
                        </button>
                        <button type="button" class="secondary danger" onclick={bulk_action(BulkOp::Delete)} disabled={offline}>
                            { t.delete_selected }
                        </button>
                        <button type="button" class="link" onclick={clear}>{ t.clear_selection }</button>
                    }
                </div>
                // A parent of their own: a keyed list among unkeyed siblings would be rebuilt
                // with them (and focus on "Select all matching" lost) when it empties.
                <div class="bulk-runs">
                    { for view.runs.iter().map(|run| run_html(run, lang, &names, dismiss.clone())) }
                </div>
                // Held while the pointer or focus is on it: the user decides in their own time.
                // By a mouse moving on it, not entering it: the bar moves up under a pointer
                // resting where the button pressed was, and would hold forever (and a finger
                // swiping across it never leaves it).
                <div class="undo-bar" onpointermove={hold_by_mouse(&act.bulk)}
                    onmouseleave={hold(&act.bulk, false)} onfocusin={hold(&act.bulk, true)}
                    onfocusout={hold(&act.bulk, false)}>
                    // Not role="status": that is the connection's (connection_status.rs).
                    <span aria-live="polite" aria-atomic="true">
                        if let Some((_, n)) = view.undo { { lang.deleted(n) } }
                    </span>
                    if view.undo.is_some() {
                        <button type="button" class="secondary" onclick={undo}
                            aria-keyshortcuts={act.shortcuts.then(|| keys_of(Shortcut::Undo))}>
                            { t.undo }
                        </button>
                    }
                </div>
                <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ (**announce).clone() }</div>
            </div>
        }
    }
}

/// Holds (or resumes) the Undo window, for any event.
/// See the Undo bar: a mouse moving on it holds the window.
fn hold_by_mouse(bulk: &BulkService) -> Callback<PointerEvent> {
    let bulk = bulk.clone();
    Callback::from(move |e: PointerEvent| {
        if e.pointer_type() == "mouse" {
            bulk.hold();
        }
    })
}

fn hold<E: 'static>(bulk: &BulkService, on: bool) -> Callback<E> {
    let bulk = bulk.clone();
    Callback::from(move |_: E| if on { bulk.hold() } else { bulk.resume() })
}

/// The texts of the failed items (back in the inbox), found in one walk of it.
fn failed_names(inbox: &Inbox, view: &BulkView, lang: Lang) -> HashMap<ItemKey, String> {
    let failed: HashSet<ItemKey> = view
        .runs
        .iter()
        .flat_map(|r| r.failed.iter().take(FAILURES_SHOWN).map(|(k, _)| *k))
        .collect();
    if failed.is_empty() {
        return HashMap::new();
    }
    inbox
        .items()
        .iter()
        .filter(|n| failed.contains(&n.key))
        .map(|n| {
            let text = n.text(lang == Lang::Ar);
            (n.key, crate::protocol::clip(text, NAME_CHARS).into_owned())
        })
        .collect()
}

/// One run: its progress while it is sent, its failures once it is done.
fn run_html(
    run: &RunView,
    lang: Lang,
    names: &HashMap<ItemKey, String>,
    dismiss: Callback<MouseEvent>,
) -> Html {
    let t = lang.t();
    if run.answered < run.total {
        let label = lang.bulk_progress(run.op, run.answered, run.total);
        let id = format!("bulk-progress-{}", run.pending);
        return html! {
            <div class="bulk-progress" key={run.pending}>
                <span id={id.clone()}>{ label.clone() }</span>
                <progress max={run.total.to_string()} value={run.answered.to_string()}
                    aria-labelledby={id} aria-valuetext={label}></progress>
            </div>
        };
    }
    let n = run.failed.len();
    let name = |key: &ItemKey| {
        names.get(key).cloned().unwrap_or_else(|| match key {
            ItemKey::Id(id) => format!("#{}", lang.num(id)),
            ItemKey::Live(_) => String::new(),
        })
    };
    // One item: one sentence, as a single edit's failure reads.
    if let ([(key, why)], 1) = (run.failed.as_slice(), run.total) {
        let what = match run.op {
            BulkOp::MarkRead => t.could_not_read,
            BulkOp::Delete => t.could_not_delete,
        };
        return html! {
            <div role="alert" class="form-error bulk-failed" key={run.pending}>
                <p>{ format!("{what}: {}", lang.change_error(why)) }</p>
                <p><bdi>{ name(key) }</bdi></p>
                <button type="button" class="link" onclick={dismiss}>{ t.failures_dismiss }</button>
            </div>
        };
    }
    html! {
        <div role="alert" class="form-error bulk-failed" key={run.pending}>
            <p>{ lang.bulk_failed(run.op, n) }{ ":" }</p>
            <ul>
                { for run.failed.iter().take(FAILURES_SHOWN).map(|(key, why)| html! {
                    <li><bdi>{ name(key) }</bdi>{ ": " }{ lang.change_error(why) }</li>
                }) }
            </ul>
            if n > FAILURES_SHOWN { <p>{ lang.more_failures(n - FAILURES_SHOWN) }</p> }
            <button type="button" class="link" onclick={dismiss}>{ t.failures_dismiss }</button>
        </div>
    }
}

/// Focuses `id` once the current render is on screen (a timer of the task, dropped with it).
/// Where it cannot take the focus (gone, or disabled: "Select all matching" once nothing
/// matches), the inbox's heading has it, never the page. (Not Undo: the focus on it holds
/// the window open, and the delete would wait for as long as it stays.)
pub(super) fn focus_later(id: String) {
    crate::components::focus_first_later(vec![id, "inbox-title".to_owned()]);
}

/// Focus after `key` is marked read by the user: it stays on the item's row (the button
/// pressed is gone with the item's unread state), or, where the view drops the item (the
/// Unread view), moves to the item after it, else before it, else the inbox's heading.
pub fn focus_after_read(key: ItemKey) {
    let row = key.dom_id();
    let mut ids = crate::components::neighbours(".inbox-item", &row);
    ids.insert(0, row);
    ids.push("inbox-title".to_owned());
    crate::components::refocus_later(ids);
}

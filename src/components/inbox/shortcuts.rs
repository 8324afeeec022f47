//! The inbox's keyboard shortcuts: the key listener (which key does what is
//! [`crate::state::inbox::shortcuts`]'s), the polite announcement of what a key did, the
//! "Keyboard shortcuts" button and its dialog listing them, with the switch that turns them
//! off for this user.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bulk::{focus_after_read, focus_later, Act};
use crate::i18n::Lang;
use crate::state::inbox::shortcuts::{keys_of, shortcut, step, Focus, KeyPress, Shortcut, LIST};
use crate::state::inbox::{Edit, Inbox, ItemKey};

/// What [`use_inbox_shortcuts`] needs from the panel.
pub struct InboxShortcuts {
    /// The panel's handle on acting.
    pub act: Act,
    /// The inbox (is the item read?).
    pub inbox: Rc<Inbox>,
    /// Edits (mark read).
    pub edit: Callback<Edit>,
    /// Language.
    pub lang: Lang,
    /// Offline: e and Delete say so instead of acting (the panel's `offline`).
    pub offline: bool,
}

/// What the key listener (registered once) reads: this render's.
#[derive(Clone)]
struct Latest {
    act: Act,
    inbox: Rc<Inbox>,
    edit: Callback<Edit>,
    lang: Lang,
    open: Callback<()>,
    announce: Callback<String>,
    /// Offline: e and Delete say so instead of acting.
    offline: bool,
}

/// The shortcuts: the listener on the page while the inbox is shown, the "Keyboard
/// shortcuts" button (`?`) with its dialog, and the polite announcement of what a key did.
/// A hook of the panel that returns its part of the panel's render, not a component of its
/// own (≈ 2 KB of wasm less).
#[hook]
pub fn use_inbox_shortcuts(props: &InboxShortcuts) -> Html {
    let lang = props.lang;
    let t = lang.t();
    let open = use_state(|| false);
    // Where focus was when the dialog opened: it goes back there.
    let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
    let announcement = use_state(String::new);
    let open_dialog = {
        let open = open.clone();
        let opener = opener.clone();
        Callback::from(move |()| {
            *opener.borrow_mut() = active_element().and_then(|e| e.dyn_into().ok());
            open.set(true);
        })
    };
    let announce = {
        let announcement = announcement.clone();
        // The same words twice are still news: a no-break space tells them apart.
        Callback::from(move |text: String| {
            let again = announcement.trim_end_matches('\u{a0}') == text
                && !announcement.ends_with('\u{a0}');
            announcement.set(if again { format!("{text}\u{a0}") } else { text });
        })
    };
    // Enter opens an item's transaction: listed only where the deployment links them.
    let links = crate::hooks::use_config()
        .as_ref()
        .is_some_and(|c| c.transaction_url.is_some());
    let latest = use_mut_ref(|| None::<Latest>);
    let offline = props.offline;
    *latest.borrow_mut() = Some(Latest {
        act: props.act.clone(),
        inbox: props.inbox.clone(),
        edit: props.edit.clone(),
        lang,
        open: open_dialog.clone(),
        announce,
        offline,
    });
    use_effect_with((), move |()| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|d| {
            gloo_events::EventListener::new_with_options(
                &d,
                "keydown",
                gloo_events::EventListenerOptions::enable_prevent_default(),
                move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                        on_key(&latest, e);
                    }
                },
            )
        });
        move || drop(listener)
    });
    let on_close = {
        let open = open.clone();
        Callback::from(move |()| {
            open.set(false);
            if let Some(el) = opener.borrow_mut().take() {
                let _ = el.focus();
            }
        })
    };
    let shortcuts = props.act.shortcuts;
    let dialog = crate::components::use_modal(*open);
    html! {
        <>
            <button type="button" class="secondary" aria-haspopup="dialog"
                aria-keyshortcuts={shortcuts.then(|| keys_of(Shortcut::Help))}
                onclick={open_dialog.reform(|_: MouseEvent| ())}>{ t.keyboard_shortcuts }</button>
            { shortcuts_dialog(dialog, *open, &on_close, lang, shortcuts, &props.act.set_shortcuts, links) }
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announcement).clone() }</div>
        </>
    }
}

fn active_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

/// Where focus is, for the key map, and the item it is in (if any, among `keys`).
fn focus_of(el: Option<web_sys::Element>, keys: &[ItemKey]) -> (Focus, Option<ItemKey>) {
    let Some(el) = el else {
        return (Focus::Elsewhere, None);
    };
    let tag = el.tag_name().to_ascii_lowercase();
    let field = match tag.as_str() {
        "textarea" | "select" => true,
        // Buttons and boxes are not typed in.
        "input" => !matches!(
            el.get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "image"
        ),
        _ => el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable()),
    };
    if field {
        return (Focus::Field, None);
    }
    if el.closest("dialog").ok().flatten().is_some() {
        return (Focus::Dialog, None);
    }
    let Some(li) = el.closest("li.inbox-item").ok().flatten() else {
        return (Focus::Elsewhere, None);
    };
    let id = li.id();
    match keys.iter().find(|k| k.dom_id() == id) {
        Some(key) if li == el => (Focus::Item, Some(*key)),
        Some(key) => (Focus::ItemControl, Some(*key)),
        None => (Focus::Elsewhere, None),
    }
}

fn on_key(latest: &RefCell<Option<Latest>>, e: &web_sys::KeyboardEvent) {
    if e.default_prevented() || e.is_composing() {
        return;
    }
    // A copy: nothing stays borrowed while the shortcut runs (a render writes it).
    let Some(l) = latest.borrow().clone() else {
        return;
    };
    let keys: Vec<ItemKey> = l.act.keys_on_screen.borrow().clone();
    let (at, item) = focus_of(active_element(), &keys);
    let (key, code) = (e.key(), e.code());
    let press = KeyPress {
        key: &key,
        code: &code,
        shift: e.shift_key(),
        ctrl: e.ctrl_key(),
        alt: e.alt_key(),
        meta: e.meta_key(),
    };
    let Some(what) = shortcut(&press, at, l.act.shortcuts) else {
        return;
    };
    e.prevent_default();
    let t = l.lang.t();
    let say = |text: &str| l.announce.emit(text.to_owned());
    match (what, item) {
        (Shortcut::Next | Shortcut::Previous, _) => {
            if let Some(to) = step(&keys, item, what == Shortcut::Next) {
                crate::components::focus_by_id(&to.dom_id(), false);
            }
        }
        (Shortcut::Help, _) => l.open.emit(()),
        (Shortcut::Undo, _) => match l.act.bulk.undo().first() {
            Some(first) => {
                say(t.announce_restored);
                focus_later(first.dom_id());
            }
            None => say(t.announce_nothing_to_undo),
        },
        (_, None) => {}
        (Shortcut::Open, Some(key)) => {
            let link = item_element(key)
                .and_then(|li| li.query_selector("a.tx-link").ok().flatten())
                .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
            match link {
                // The link's own click: a new tab, and the item marked read.
                Some(a) => a.click(),
                None => say(t.announce_no_link),
            }
        }
        (Shortcut::MarkRead | Shortcut::Delete, Some(_)) if l.offline => say(t.announce_offline),
        (Shortcut::MarkRead, Some(key)) => {
            let unread = l.inbox.items().iter().any(|n| n.key == key && !n.is_read);
            if unread {
                l.edit.emit(Edit::MarkRead(key));
                focus_after_read(key);
                say(t.announce_marked_read);
            } else {
                say(t.announce_already_read);
            }
        }
        (Shortcut::Delete, Some(key)) => l.act.on_delete.emit(key),
        (Shortcut::ToggleSelect | Shortcut::SelectRange, Some(key)) => {
            let action = l.act.select_action(key, what == Shortcut::SelectRange);
            // What it will be, to say it (the reducer applies the same action).
            let mut after = (*l.act.selection).clone();
            after.apply(action.clone());
            let state = if after.contains(key) {
                t.announce_selected
            } else {
                t.announce_unselected
            };
            l.act.selection.dispatch(action);
            l.announce
                .emit(format!("{state}. {}", l.lang.selected(after.len())));
        }
    }
}

fn item_element(key: ItemKey) -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .get_element_by_id(&key.dom_id())
}

/// The shortcuts' keys, as shown: "j" or "↓"; "Shift" + "x".
fn keys_html(shortcut: Shortcut, lang: Lang) -> Html {
    let t = lang.t();
    let label = |k: &str| -> String {
        match k {
            "ArrowDown" => "↓".into(),
            "ArrowUp" => "↑".into(),
            "Space" => t.key_space.into(),
            // The keys are ASCII (a test in `state::inbox::shortcuts` says so): the ASCII lower
            // case keeps Unicode's case tables (≈ 12 KB) out of the wasm.
            k if k.len() == 1 => k.to_ascii_lowercase(),
            k => k.into(),
        }
    };
    let alternatives: Vec<Html> = keys_of(shortcut)
        .split(' ')
        .map(|combo| {
            let keys: Vec<Html> = combo
                .split('+')
                .map(|k| html! { <kbd>{ label(k) }</kbd> })
                .collect();
            html! { <span class="combo">{ for itertools_join(keys, html! { {"+"} }) }</span> }
        })
        .collect();
    html! { { for itertools_join(alternatives, html! { { t.key_or } }) } }
}

/// `items` with `sep` between each two.
fn itertools_join(items: Vec<Html>, sep: Html) -> impl Iterator<Item = Html> {
    items.into_iter().enumerate().flat_map(move |(i, h)| {
        let sep = (i > 0).then(|| sep.clone());
        sep.into_iter().chain(std::iter::once(h))
    })
}

fn describe(shortcut: Shortcut, lang: Lang) -> &'static str {
    let t = lang.t();
    match shortcut {
        Shortcut::Next => t.sc_next,
        Shortcut::Previous => t.sc_previous,
        Shortcut::Open => t.sc_open,
        Shortcut::MarkRead => t.mark_read,
        Shortcut::Delete => t.sc_delete,
        Shortcut::ToggleSelect => t.sc_select,
        Shortcut::SelectRange => t.sc_range,
        Shortcut::Undo => t.sc_undo,
        Shortcut::Help => t.sc_help,
    }
}

/// The `?` dialog: a modal `<dialog>` (the browser keeps focus in it and closes it on Esc)
/// with the switch `on` that turns the shortcuts off, and the table of them. Part of
/// [`use_inbox_shortcuts`]' render, not a component of its own (≈ 2 KB of wasm less).
fn shortcuts_dialog(
    dialog: NodeRef,
    open: bool,
    on_close: &Callback<()>,
    lang: Lang,
    on: bool,
    set_on: &Callback<bool>,
    links: bool,
) -> Html {
    let t = lang.t();
    let onclose = on_close.reform(|_: Event| ());
    let close = on_close.reform(|_: MouseEvent| ());
    let onchange = set_on.reform(move |_: Event| !on);
    html! {
        <dialog ref={dialog} class="shortcuts-dialog" aria-labelledby="shortcuts-title" {onclose}>
            if open {
                <h2 id="shortcuts-title">{ t.keyboard_shortcuts }</h2>
                <label class="switch">
                    <input type="checkbox" role="switch" checked={on} {onchange} />
                    { t.shortcuts_on }
                </label>
                <table class="shortcuts">
                    <thead>
                        <tr><th scope="col">{ t.shortcut_keys }</th><th scope="col">{ t.shortcut_action }</th></tr>
                    </thead>
                    <tbody>
                        { for LIST.iter().filter(|(s, _)| links || *s != Shortcut::Open).map(|(s, _)| html! {
                            <tr><td dir="ltr">{ keys_html(*s, lang) }</td><td>{ describe(*s, lang) }</td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="muted">{ t.shortcuts_typing_note }</p>
                <button type="button" onclick={close}>{ t.close }</button>
            }
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_is_described_in_both_languages() {
        for (s, _) in LIST {
            assert!(!describe(*s, Lang::En).is_empty());
            assert_ne!(describe(*s, Lang::En), describe(*s, Lang::Ar));
        }
    }
}

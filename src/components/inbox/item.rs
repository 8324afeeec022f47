//! One notification of the inbox ([`InboxItem`]), the blocks the list is cut into
//! ([`InboxBlock`]), and the link to a transaction (shared with the upload panel).

use std::rc::Rc;

use yew::prelude::*;

use super::bulk::{checkbox, ItemSelect, Selecting};
use crate::components::icons::Icon;
use crate::format::exact_localized;
use crate::hooks::use_config;
use crate::i18n::Lang;
use crate::protocol::clip;
use crate::state::action_kind::ActionKind;
use crate::state::inbox::shortcuts::Shortcut;
use crate::state::inbox::{Edit, ItemKey, Notification};
use crate::state::time::{ago, iso_utc};

/// Props of [`InboxBlock`].
#[derive(Properties)]
pub struct InboxBlockProps {
    /// Consecutive items of the page (shared with the inbox).
    pub items: Rc<[Rc<Notification>]>,
    /// Now, for the relative times.
    pub now: f64,
    /// Edits.
    pub edit: Callback<Edit>,
    /// Delete, with focus handling.
    pub on_delete: Callback<ItemKey>,
    /// Language.
    pub lang: Lang,
    /// The selection and the shortcuts (see `bulk.rs`).
    pub select: Selecting,
}

// Equal when it holds the same items (pointer compares) for the same time and language.
impl PartialEq for InboxBlockProps {
    fn eq(&self, other: &Self) -> bool {
        self.items.len() == other.items.len()
            && self
                .items
                .iter()
                .zip(other.items.iter())
                .all(|(a, b)| Rc::ptr_eq(a, b))
            && self.now == other.now
            && self.lang == other.lang
            && self.edit == other.edit
            && self.on_delete == other.on_delete
            && self.select == other.select
    }
}

/// A few consecutive items of the inbox page (no element of its own: the `<li>`s stay
/// children of the list).
#[component(InboxBlock)]
pub fn inbox_block(props: &InboxBlockProps) -> Html {
    props
        .items
        .iter()
        .map(|n| {
            html! {
                <InboxItem key={n.key.dom_id()} item={n.clone()} now={props.now} lang={props.lang}
                    edit={props.edit.clone()} on_delete={props.on_delete.clone()}
                    select={props.select.of(n.key)} />
            }
        })
        .collect()
}

/// Props of [`InboxItem`].
#[derive(Properties)]
pub struct InboxItemProps {
    /// The notification (shared with the inbox: cloning it is a pointer copy).
    pub item: Rc<Notification>,
    /// Now, for the relative time.
    pub now: f64,
    /// Edits.
    pub edit: Callback<Edit>,
    /// Delete, with focus handling.
    pub on_delete: Callback<ItemKey>,
    /// Language.
    pub lang: Lang,
    /// Its checkbox and shortcuts (see `bulk.rs`).
    pub select: ItemSelect,
}

// Unchanged items are the same allocation: compared by pointer first, so a render of 100
// items that did not change costs 100 pointer compares.
impl PartialEq for InboxItemProps {
    fn eq(&self, other: &Self) -> bool {
        (Rc::ptr_eq(&self.item, &other.item) || self.item == other.item)
            && self.now == other.now
            && self.lang == other.lang
            && self.edit == other.edit
            && self.on_delete == other.on_delete
            && self.select == other.select
    }
}

/// Characters of a reference or an action an action button's name repeats at most.
const NAME_PART_MAX: usize = 40;

/// One notification, compact: the icon of its kind, a title line (the message, the link to its
/// transaction when there is one), one meta line (when, what kind, which transaction), and its
/// actions at the row's end (shown on hover and focus; see main.css). Its text is always text:
/// HTML in a message is shown literally.
#[component(InboxItem)]
pub fn inbox_item(props: &InboxItemProps) -> Html {
    let n = &props.item;
    let lang = props.lang;
    let t = lang.t();
    let key = n.key;
    let mark_read = {
        let edit = props.edit.clone();
        Callback::from(move |_: MouseEvent| {
            edit.emit(Edit::MarkRead(key));
            super::bulk::focus_after_read(key);
        })
    };
    let delete = {
        let on_delete = props.on_delete.clone();
        Callback::from(move |_| on_delete.emit(key))
    };
    // The search's hits (#22, item 2) are painted over the message and the reference as they
    // are (see `tools::Hits`): a keystroke renders no item again.
    let shown_reference = match (&n.code, n.transaction_id) {
        (Some(code), _) => Some(crate::components::text::reference(code)),
        (None, Some(id)) => Some(html! { { lang.transaction(id) } }),
        _ => None,
    };
    // Offline, the actions (which all need the server) are disabled (#23, item 2).
    let offline = super::use_offline();
    let action_kind = n.action.as_deref().and_then(ActionKind::of);
    // The kind in words when it is a known one, else the wire's own word.
    let kind_name = action_kind
        .map(|k| lang.kind(k).to_owned())
        .or_else(|| n.action.clone());
    let exact = exact_localized(n.time_ms, lang.code());
    let relative = lang.ago(ago(n.time_ms, props.now));
    let config = use_config();
    let href = config
        .as_ref()
        .and_then(|c| c.transaction_url.as_ref())
        .filter(|_| n.transaction_id.is_some() || n.code.is_some())
        .and_then(|t| t.expand(n.transaction_id, n.code.as_deref()));
    let text = n.text(lang == Lang::Ar);
    let title = crate::components::text::with_codes(text);
    // The buttons' names say which item they act on: "Delete: FAR-0015, Returned".
    let which = {
        let said = match (&n.code, n.transaction_id) {
            (Some(code), _) => Some(clip(code, NAME_PART_MAX).into_owned()),
            (None, Some(id)) => Some(lang.transaction(id)),
            _ => None,
        };
        let kind = kind_name
            .as_deref()
            .map(|k| clip(k, NAME_PART_MAX).into_owned());
        let parts: Vec<String> = said.into_iter().chain(kind).collect();
        if parts.is_empty() {
            relative.clone()
        } else {
            parts.join(t.list_separator)
        }
    };
    html! {
        <li id={key.dom_id()} tabindex="-1" class={classes!("inbox-item", (!n.is_read).then_some("unread"))}>
            { checkbox(key, text, &props.select, lang) }
            <span class={classes!("item-icon", Icon::of_kind(action_kind).classes())} aria-hidden="true"></span>
            if !n.is_read { <span class="visually-hidden">{t.unread_marker}</span> }
            <p class="message" dir="auto">
                if let Some(href) = href {
                    { transaction_link(href, title, lang, (!n.is_read).then(|| props.edit.reform(move |()| Edit::MarkRead(key)))) }
                } else {
                    { title }
                }
            </p>
            <p class="meta">
                { when(n.time_ms, relative, exact) }
                if let Some(k) = kind_name {
                    <span class="kind">
                        if let Some(tt) = &n.transaction_type { { format!("{tt} · ") } }
                        <span class="kind-name">{ k }</span>
                    </span>
                } else if let Some(tt) = &n.transaction_type {
                    <span class="kind">{ tt.clone() }</span>
                }
                if let Some(r) = shown_reference { <span class="ref">{ r }</span> }
            </p>
            <div class="item-actions">
                if !n.is_read {
                    <button type="button" class={classes!("icon-button", Icon::MarkRead.classes())} onclick={mark_read} disabled={offline}
                        aria-label={format!("{}: {which}", t.mark_read)} title={t.mark_read}
                        aria-keyshortcuts={props.select.keys(Shortcut::MarkRead)}></button>
                }
                <button type="button" class={classes!("icon-button", "danger", Icon::Delete.classes())} onclick={delete} disabled={offline}
                    aria-label={format!("{}: {which}", t.delete)} title={t.delete}
                    aria-keyshortcuts={props.select.keys(Shortcut::Delete)}></button>
            </div>
        </li>
    }
}

/// The relative time ("5 min ago"), focusable, with the exact local time shown above it on
/// hover and on focus (main.css) and said after it to screen readers. Escape hides the exact
/// time until the pointer or focus leaves (WCAG 1.4.13: content on hover or focus can be
/// dismissed without moving).
fn when(time_ms: f64, relative: String, exact: String) -> Html {
    use wasm_bindgen::JsCast;
    // The `time` itself: Yew delegates events, so `current_target` is the app's root.
    fn element(e: &Event) -> Option<web_sys::Element> {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".when").ok().flatten())
    }
    let dismiss = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Escape" {
            if let Some(el) = element(&e) {
                if !el.has_attribute("data-tip-dismissed") {
                    // This Escape was for the tip, not for whatever else listens to it.
                    e.stop_propagation();
                    let _ = el.set_attribute("data-tip-dismissed", "");
                }
            }
        }
    });
    let restore = |e: &Event| {
        if let Some(el) = element(e) {
            let _ = el.remove_attribute("data-tip-dismissed");
        }
    };
    let onblur = Callback::from(move |e: FocusEvent| restore(&e));
    let onmouseleave = Callback::from(move |e: MouseEvent| restore(&e));
    html! {
        <time class="when" datetime={iso_utc(time_ms)} tabindex="0"
            onkeydown={dismiss} {onblur} {onmouseleave}>
            { relative }
            // Said with it, always (a `time` takes no aria-label); the tip is for the eyes.
            <span class="visually-hidden">{ format!(", {exact}") }</span>
            <span class="tip" aria-hidden="true">{ exact }</span>
        </time>
    }
}

/// A real link to a transaction (`config.json`'s `transaction_url`): middle-click and "open in
/// new tab" work. It opens in a new tab, so the inbox stays live (its socket, its place in the
/// list) while the user looks at the transfer, which is how a day's work goes: back and forth.
/// Following it (click, Enter, middle-click) calls `on_follow` (the inbox marks the item read).
pub fn transaction_link(
    href: String,
    content: impl Into<Html>,
    lang: Lang,
    on_follow: Option<Callback<()>>,
) -> Html {
    // `click` is a primary click and Enter; `auxclick` with button 1 is a middle-click.
    let onclick = on_follow.clone().map(|f| f.reform(|_: MouseEvent| ()));
    let onauxclick = on_follow.map(|f| {
        Callback::from(move |e: MouseEvent| {
            if e.button() == 1 {
                f.emit(())
            }
        })
    });
    html! {
        <a class="tx-link" {href} target="_blank" rel="noopener noreferrer" {onclick} {onauxclick}>
            { content.into() }
            <span class="visually-hidden">{ lang.t().opens_in_new_tab }</span>
        </a>
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn item(id: i64) -> Rc<Notification> {
        Rc::new(Notification::sample(id))
    }

    thread_local! {
        static CALLBACKS: (Callback<Edit>, Callback<ItemKey>, Selecting) =
            (Callback::noop(), Callback::noop(), Selecting::default());
    }

    /// A block's props around `items` (the same callbacks every time: blocks compare them).
    pub(in crate::components::inbox) fn props(items: Rc<[Rc<Notification>]>) -> InboxBlockProps {
        let (edit, on_delete, select) = CALLBACKS.with(|c| c.clone());
        InboxBlockProps {
            items,
            now: 0.0,
            edit,
            on_delete,
            lang: Lang::En,
            select,
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

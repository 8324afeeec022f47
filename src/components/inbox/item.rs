//! One notification of the inbox ([`InboxItem`]), the blocks the list is cut into
//! ([`InboxBlock`]), and the link to a transaction (shared with the upload panel).

use std::rc::Rc;

use yew::prelude::*;

use super::bulk::{checkbox, ItemSelect, Selecting};
use crate::format::exact_localized;
use crate::hooks::use_config;
use crate::i18n::Lang;
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

/// One notification. Its text is always text: HTML in a message is shown literally.
#[component(InboxItem)]
pub fn inbox_item(props: &InboxItemProps) -> Html {
    let n = &props.item;
    let lang = props.lang;
    let t = lang.t();
    let key = n.key;
    let mark_read = props.edit.reform(move |_| Edit::MarkRead(key));
    let delete = {
        let on_delete = props.on_delete.clone();
        Callback::from(move |_| on_delete.emit(key))
    };
    let reference = match (&n.code, n.transaction_id) {
        (Some(code), _) => Some(code.clone()),
        (None, Some(id)) => Some(lang.transaction(id)),
        _ => None,
    };
    let kind = match (&n.transaction_type, &n.action) {
        (Some(t), Some(a)) => Some(format!("{t} · {a}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(a)) => Some(a.clone()),
        _ => None,
    };
    let exact = exact_localized(n.time_ms, lang.code());
    let relative = lang.ago(ago(n.time_ms, props.now));
    let config = use_config();
    let href = config
        .as_ref()
        .and_then(|c| c.transaction_url.as_ref())
        .filter(|_| n.transaction_id.is_some() || n.code.is_some())
        .and_then(|t| t.expand(n.transaction_id, n.code.as_deref()));
    let text = n.text(lang == Lang::Ar).to_owned();
    // The search's hits, marked (#22, item 2): a keystroke re-renders these texts only.
    let marked = |s: &str| html! { <super::tools::Marked text={AttrValue::from(s.to_owned())} /> };
    html! {
        <li id={key.dom_id()} tabindex="-1" class={classes!("inbox-item", (!n.is_read).then_some("unread"))}>
            { checkbox(key, &text, &props.select, lang) }
            if !n.is_read { <span class="unread-mark"><span class="visually-hidden">{t.unread_marker}</span></span> }
            <p class="message" dir="auto">
                if let Some(href) = href {
                    { transaction_link(href, marked(&text), lang, (!n.is_read).then(|| props.edit.reform(move |()| Edit::MarkRead(key)))) }
                } else {
                    { marked(&text) }
                }
            </p>
            <p class="meta">
                if let Some(r) = reference { <span class="ref" dir="auto">{ marked(&r) }</span> }
                if let Some(k) = kind { <span class="kind">{k}</span> }
                <time datetime={iso_utc(n.time_ms)} title={exact.clone()} tabindex="0" aria-label={format!("{relative}, {exact}")}>
                    { relative.clone() }
                </time>
            </p>
            <div class="actions">
                if !n.is_read {
                    <button type="button" class="secondary" onclick={mark_read}
                        aria-keyshortcuts={props.select.keys(Shortcut::MarkRead)}>{t.mark_read}</button>
                }
                <button type="button" class="secondary danger" onclick={delete}
                    aria-keyshortcuts={props.select.keys(Shortcut::Delete)}>{t.delete}</button>
            </div>
        </li>
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

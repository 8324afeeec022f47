//! Presentational components: they get data and callbacks as props.

/// The screen shown instead of the app when `config.json` cannot be used.
pub mod config_error;
/// "Connection details": what the connection did, for support.
pub mod connection_details;
/// The connection's status in words, with "Retry now" while waiting.
pub mod connection_status;
pub mod crash;
/// The bar on top of every page.
pub mod header;
/// Icons (kinds of action, item actions), drawn by CSS masks on the elements that show them.
pub mod icons;
/// The inbox panel: filters, blocks of notifications, "Show more".
pub mod inbox;
/// The English / Arabic switch.
pub mod language_switch;
/// The note shown when the browser will not keep the session across a reload.
pub mod storage_note;
/// Running text with its codes isolated and kept whole.
pub mod text;
/// Toasts for new notifications and upload milestones, and the desktop notification
/// toggle.
pub mod toasts;
/// "A new version of Herald is ready — Reload" (the service worker waits).
pub mod update_prompt;
/// The Oracle upload panel and its job cards.
pub mod uploads;

/// A modal `<dialog>` shown while `open` (`showModal`: the browser keeps focus inside it and
/// closes it on Esc) and closed when not; the ref goes on the `<dialog>`. One way for the
/// connection details and the keyboard shortcuts.
#[yew::hook]
pub fn use_modal(open: bool) -> yew::NodeRef {
    use wasm_bindgen::{JsCast, JsValue};
    /// Calls `method` of `target` without arguments (no web-sys binding needed for two calls).
    fn call(target: &JsValue, method: &str) {
        if let Some(f) = js_sys::Reflect::get(target, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = f.call0(target);
        }
    }
    let dialog = yew::use_node_ref();
    {
        let dialog = dialog.clone();
        yew::use_effect_with(open, move |open| {
            if let Some(el) = dialog.get() {
                let shown = js_sys::Reflect::get(&el, &JsValue::from_str("open"))
                    .is_ok_and(|v| v.is_truthy());
                match (*open, shown) {
                    (true, false) => call(&el, "showModal"),
                    (false, true) => call(&el, "close"),
                    _ => {}
                }
            }
        });
    }
    dialog
}

/// Moves keyboard focus to the element with this id (scrolled into view first if asked);
/// nothing if it is not in the page. One way for the skip link, "Show in inbox" and the focus
/// that follows a delete.
pub fn focus_by_id(id: &str, scroll: bool) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        if scroll {
            el.scroll_into_view();
        }
        let _ = el.focus();
    }
}

/// Focuses the first of `ids` that can take the focus once the current render is on screen.
pub fn focus_first_later(ids: Vec<String>) {
    focus_later_where(ids, false);
}

/// Like [`focus_first_later`], for a control that is about to go (a row leaving the Unread
/// view, a dismissed card or toast): only if the focus has fallen to the page by then, so
/// that it moves to a neighbour, and never away from where the user has moved it meanwhile.
pub fn refocus_later(ids: Vec<String>) {
    focus_later_where(ids, true);
}

fn focus_later_where(ids: Vec<String>, only_if_lost: bool) {
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(0).await;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if only_if_lost {
            let active = document.active_element();
            let body: Option<web_sys::Element> = document.body().map(Into::into);
            if active.is_some() && active != body {
                return;
            }
        }
        for id in &ids {
            focus_by_id(id, false);
            if document.active_element().is_some_and(|e| e.id() == *id) {
                break;
            }
        }
    });
}

/// [`refocus_later`] to the neighbour of the element with id `id` among `selector`'s (the one
/// after it, else before it), else to `fallback`: for a control that goes with its own item
/// (a card, a toast). Call it before the item goes: the neighbours are found now.
pub fn refocus_neighbour_later(selector: &str, id: &str, fallback: &str) {
    let mut ids = neighbours(selector, id);
    ids.push(fallback.to_owned());
    refocus_later(ids);
}

/// The ids of the elements matching `selector` just after and just before the one with id
/// `id`, in that order (where focus goes when that one goes: the next, else the previous).
pub fn neighbours(selector: &str, id: &str) -> Vec<String> {
    let Some(all) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(selector).ok())
    else {
        return Vec::new();
    };
    let ids: Vec<String> = (0..all.length())
        .filter_map(|i| all.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        .map(|e| e.id())
        .collect();
    let Some(at) = ids.iter().position(|i| i == id) else {
        return Vec::new();
    };
    ids.get(at + 1)
        .into_iter()
        .chain(at.checked_sub(1).and_then(|b| ids.get(b)))
        .cloned()
        .collect()
}

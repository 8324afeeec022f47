//! Presentational components: they get data and callbacks as props.

pub mod config_error;
pub mod connection_status;
pub mod crash;
pub mod header;
pub mod inbox;
pub mod language_switch;
pub mod storage_note;
pub mod toasts;
pub mod uploads;

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

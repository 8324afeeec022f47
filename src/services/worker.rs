//! The service worker's news for the app (issue #23). `sw-register.js` (a deferred script,
//! beside `early-config.js`) registers `sw.js` and sets `window.heraldNewBuild` and fires
//! `herald-new-build` when a new build's worker is installed and waits; the user's "Reload"
//! calls its `window.heraldApplyNewBuild()`. Without that script (blocked, no service workers)
//! nothing is ever announced and "Reload" just reloads.

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};

fn global(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into()).ok()
}

/// Whether a new build already waits.
pub fn new_build_waits() -> bool {
    global("heraldNewBuild").is_some_and(|v| v.is_truthy())
}

/// Calls `f` when a new build comes to wait (the listener goes with the returned value).
pub fn on_new_build(f: impl Fn() + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "herald-new-build", move |_| {
        f()
    }))
}

/// The user asked for the new build: the waiting worker takes over and the page reloads.
pub fn apply_new_build() {
    let apply = global("heraldApplyNewBuild").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let applied = apply.is_some_and(|f| f.call0(&JsValue::NULL).is_ok());
    if !applied {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }
}

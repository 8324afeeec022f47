//! The crash banner: "Something went wrong. — Reload". With `panic = "abort"` a panic (or any
//! other wasm trap) leaves the page looking alive but frozen; the banner says so and offers the
//! one way out. It is built with plain DOM calls, not Yew: after a panic Yew's state cannot be
//! trusted. Styled by class only (a strict CSP forbids inline styles).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Lang;
use crate::providers::lang::stored_lang;

/// The banner's element id: one banner, however many failures follow.
pub const CRASH_BANNER_ID: &str = "herald-crash";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Installs the panic hook and the listeners for traps that are not panics. Call first thing
/// in `main`, before Yew renders: Yew replaces any hook not set through
/// [`yew::set_custom_panic_hook`] with its own.
///
/// ```ignore
/// herald::components::crash::install();
/// yew::Renderer::<App>::new().render();
/// ```
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error(&info.to_string());
        show_crash_banner(crash_lang());
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    // An out-of-bounds access, an allocation failure, `unreachable`: the browser reports a
    // `WebAssembly.RuntimeError` as an uncaught exception (or an unhandled rejection when it
    // surfaced in a promise job). Other scripts' errors are not ours to report.
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        if is_wasm_trap(&event) {
            show_crash_banner(crash_lang());
        }
    });
    for kind in ["error", "unhandledrejection"] {
        let _ = window.add_event_listener_with_callback(kind, on_error.as_ref().unchecked_ref());
    }
    on_error.forget();
}

/// Whether a window `error` or `unhandledrejection` event carries a `WebAssembly.RuntimeError`.
fn is_wasm_trap(event: &web_sys::Event) -> bool {
    let cause = match event.dyn_ref::<web_sys::ErrorEvent>() {
        Some(e) => e.error(),
        None => js_sys::Reflect::get(event, &JsValue::from_str("reason")).unwrap_or_default(),
    };
    cause.is_instance_of::<js_sys::WebAssembly::RuntimeError>()
}

/// The user's language at the time of the crash: the stored choice (what the language provider
/// restores), else the page's `lang`, else English.
fn crash_lang() -> Lang {
    stored_lang()
        .or_else(|| {
            let code = web_sys::window()?
                .document()?
                .document_element()?
                .get_attribute("lang")?;
            Some(Lang::from_code(&code))
        })
        .unwrap_or_default()
}

/// Shows the crash banner at the top of the page in `lang` (once: a second call returns the
/// first banner). Its button calls `location.reload()`. `None` without a document.
pub fn show_crash_banner(lang: Lang) -> Option<web_sys::Element> {
    let window = web_sys::window()?;
    let document = window.document()?;
    if let Some(shown) = document.get_element_by_id(CRASH_BANNER_ID) {
        return Some(shown);
    }
    let t = lang.t();
    let banner = document.create_element("div").ok()?;
    banner.set_id(CRASH_BANNER_ID);
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("lang", lang.code());
    let _ = banner.set_attribute("dir", lang.dir());
    let message = document.create_element("p").ok()?;
    message.set_text_content(Some(t.crash_message));
    let button = document.create_element("button").ok()?;
    let _ = button.set_attribute("type", "button");
    button.set_text_content(Some(t.crash_reload));
    // `location.reload` itself is the listener: the click never calls into the wasm module,
    // whose memory a trap may have left half-updated.
    let location = window.location();
    if let Some(reload) = js_sys::Reflect::get(&location, &JsValue::from_str("reload"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = button.add_event_listener_with_callback("click", &reload.bind0(&location));
    }
    let _ = banner.append_child(&message);
    let _ = banner.append_child(&button);
    let body = document.body()?;
    let _ = body.insert_before(&banner, body.first_child().as_ref());
    Some(banner)
}

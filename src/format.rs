//! Times for people, in the browser's zone and language. The parsing and the calendar
//! arithmetic are pure (`state::time`); what needs the browser (its zone, `Intl`) is here, used
//! by components and hooks.

use crate::state::time::exact_at;

/// The exact time in the user's zone, e.g. `2025-12-30 15:40:49` (the browser's zone; UTC
/// outside a browser); empty outside the years 0000–9999.
pub fn exact_local(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let zone_ms =
        -js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset() * 60_000.0;
    #[cfg(not(target_arch = "wasm32"))]
    let zone_ms = 0.0;
    exact_at(ms, zone_ms)
}

/// The exact time in the user's zone and language (the browser's `Intl`: Arabic digits and
/// month names in Arabic), falling back to [`exact_local`] outside a browser. One
/// `Intl.DateTimeFormat` per language is built once and reused: `Date.toLocaleString` builds a
/// new one on every call, which made every inbox render spend most of its time here.
pub fn exact_localized(ms: f64, locale: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static FORMATS: std::cell::RefCell<Vec<(String, js_sys::Function)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let format = FORMATS.with(|f| {
            let mut formats = f.borrow_mut();
            if let Some((_, format)) = formats.iter().find(|(l, _)| l == locale) {
                return format.clone();
            }
            let options = js_sys::Object::new();
            for (k, v) in [("dateStyle", "medium"), ("timeStyle", "medium")] {
                let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
            }
            let locales = js_sys::Array::of1(&locale.into());
            let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
            formats.push((locale.to_owned(), format.clone()));
            format
        });
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        format
            .call1(&wasm_bindgen::JsValue::NULL, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        exact_local(ms)
    }
}

//! Unicode's lower case: the browser's (`String.prototype.toLowerCase`) in the app, so the wasm
//! carries no case tables (12 KB); the standard library's natively. The one browser call of
//! search, kept apart so the rest of `query.rs` stays in the purity check (`tests/layers.rs`).

/// Appends the lower case of `c` to `out`.
pub(super) fn lower_char(c: char, out: &mut String) {
    #[cfg(target_arch = "wasm32")]
    {
        let mut buf = [0u8; 4];
        let lower = js_sys::JsString::from(&*c.encode_utf8(&mut buf)).to_lower_case();
        out.push_str(&String::from(lower));
    }
    #[cfg(not(target_arch = "wasm32"))]
    out.extend(c.to_lowercase());
}

/// The lower case of `text`.
pub(super) fn lower_text(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    text.to_lowercase()
}

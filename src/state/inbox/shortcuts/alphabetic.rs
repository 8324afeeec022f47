//! Unicode's "Alphabetic": the browser's (`/\p{Alphabetic}/u`) in the app, so the wasm carries
//! no table of it (≈ 2 KB); the standard library's natively. Kept apart so the rest of
//! `shortcuts.rs` stays in the purity check (`tests/layers.rs`).

/// Whether `c` is a letter of any script (`char::is_alphabetic`).
pub(super) fn is_alphabetic(c: char) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let mut buf = [0u8; 4];
        js_sys::RegExp::new(r"^\p{Alphabetic}$", "u").test(c.encode_utf8(&mut buf))
    }
    #[cfg(not(target_arch = "wasm32"))]
    c.is_alphabetic()
}

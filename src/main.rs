//! Mounts Herald into the page's `#app`.

fn main() {
    // First: a panic or trap from here on shows the "Something went wrong" banner.
    herald::components::crash::install();
    // Into index.html's `#app`, beside (not over) the early sign-in form it may have drawn.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<herald::app::App>::with_root(root).render(),
        None => yew::Renderer::<herald::app::App>::new().render(),
    };
}

/// Talc instead of the standard library's dlmalloc: less code in the wasm, and faster.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

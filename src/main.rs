//! Mounts Herald into the page body.

fn main() {
    // First: a panic or trap from here on shows the "Something went wrong" banner.
    herald::components::crash::install();
    yew::Renderer::<herald::app::App>::new().render();
}

/// Talc instead of the standard library's dlmalloc: less code in the wasm, and faster.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

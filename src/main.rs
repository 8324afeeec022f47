//! Mounts Herald into the page body.

fn main() {
    // First: a panic or trap from here on shows the "Something went wrong" banner.
    herald::components::crash::install();
    yew::Renderer::<herald::app::App>::new().render();
}

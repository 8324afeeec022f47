//! Mounts Herald into the page body.

fn main() {
    yew::Renderer::<herald::app::App>::new().render();
}

//! The size floor: one function component, nothing else.

use yew::prelude::*;

#[component(Hello)]
fn hello() -> Html {
    html! { <main><h1>{ "Hello from Yew" }</h1></main> }
}

fn main() {
    yew::Renderer::<Hello>::new().render();
}

//! Browser unit tests: components rendered into a real DOM in headless Chromium.
#![cfg(target_arch = "wasm32")]

use herald::components::config_error::{ConfigErrorScreen, ConfigErrorScreenProps};
use herald::config::ConfigError;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn config_error_screen_is_an_alert_naming_the_file_and_problem() {
    let root = mount_point();
    let error = ConfigError::Malformed("EOF while parsing an object at line 1 column 30".into());
    let _app = yew::Renderer::<ConfigErrorScreen>::with_root_and_props(
        root.clone(),
        ConfigErrorScreenProps { error },
    )
    .render();
    yew::scheduler::flush().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("Herald cannot start"), "{text}");
    assert!(
        text.contains("config.json is malformed: EOF while parsing"),
        "{text}"
    );
}

//! The Notifications REST resource (PROTOCOL.md): the history, and the changes a user makes.
//! Every call goes through [`SessionService::authed`] (401 → one refresh → one retry, a
//! deadline, aborted on sign-out).

use std::rc::Rc;

use gloo_net::http::Request;

use crate::config::RuntimeConfig;
pub use crate::protocol::rest::Change;
use crate::protocol::rest::History;
use crate::services::session::SessionService;
use crate::state::remote::ApiError;
pub use crate::state::remote::ChangeError;

/// Reads the whole history. An answer that is not a history is [`ApiError::Rejected`].
pub async fn history(service: &Rc<SessionService>) -> Result<History, ApiError> {
    let answer = service
        .clone()
        .authed(|c| Request::get(&c.api_url("/api/auth/Notifications/")))
        .await?;
    let rejected = || ApiError::Rejected {
        status: answer.status,
        body: String::new(),
    };
    if !answer.ok() {
        return Err(rejected());
    }
    std::str::from_utf8(&answer.body)
        .ok()
        .and_then(|text| History::parse(text).ok())
        .ok_or_else(rejected)
}

/// A change's request: its method (PUT or DELETE) and path.
fn endpoint(change: Change) -> (&'static str, String) {
    match change {
        Change::ReadOne(id) => (
            "PUT",
            format!("/api/auth/Notifications/read_one?notification_id={id}"),
        ),
        Change::ReadAll => ("PUT", "/api/auth/Notifications/read_all".to_owned()),
        Change::Delete(id) => (
            "DELETE",
            format!("/api/auth/Notifications/delete?notification_id={id}"),
        ),
    }
}

/// Tells the server of a change.
pub async fn change(service: &Rc<SessionService>, change: Change) -> Result<(), ChangeError> {
    let (method, path) = endpoint(change);
    let answer = service
        .clone()
        .authed(move |c| match method {
            "DELETE" => Request::delete(&c.api_url(&path)),
            _ => Request::put(&c.api_url(&path)),
        })
        .await
        .map_err(ChangeError::Api)?;
    if answer.ok() {
        return Ok(());
    }
    // From text (one JSON reader in the wasm, not a second one for bytes).
    let message = std::str::from_utf8(&answer.body)
        .ok()
        .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned));
    Err(ChangeError::Refused {
        status: answer.status,
        message,
    })
}

/// Tells the server of `change` as the user leaves (signs out, closes or leaves the page): a
/// `keepalive` request, which the browser carries on after the page is gone, with no deadline,
/// no refresh and nobody to read the answer.
pub fn change_as_leaving(config: &RuntimeConfig, access: &str, change: Change) {
    use wasm_bindgen::JsValue;
    let (method, path) = endpoint(change);
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &headers,
        &JsValue::from_str("Authorization"),
        &JsValue::from_str(&format!("Bearer {access}")),
    );
    init.set_headers(&headers);
    // Not in web-sys's RequestInit: set on the object itself.
    let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
    if let Some(window) = web_sys::window() {
        let sent = window.fetch_with_str_and_init(&config.api_url(&path), &init);
        // A refusal or a network error is nobody's to show (and no uncaught rejection).
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(sent).await;
        });
    }
}

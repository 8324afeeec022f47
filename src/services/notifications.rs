//! The Notifications REST resource (PROTOCOL.md): the history, and the changes a user makes.
//! Every call goes through [`SessionService::authed`] (401 → one refresh → one retry, a
//! deadline, aborted on sign-out).

use std::rc::Rc;

use gloo_net::http::Request;

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

/// Tells the server of a change.
pub async fn change(service: &Rc<SessionService>, change: Change) -> Result<(), ChangeError> {
    let answer = service
        .clone()
        .authed(move |c| match change {
            Change::ReadOne(id) => Request::put(&c.api_url(&format!(
                "/api/auth/Notifications/read_one?notification_id={id}"
            ))),
            Change::ReadAll => Request::put(&c.api_url("/api/auth/Notifications/read_all")),
            Change::Delete(id) => Request::delete(&c.api_url(&format!(
                "/api/auth/Notifications/delete?notification_id={id}"
            ))),
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

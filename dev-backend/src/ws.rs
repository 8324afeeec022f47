//! `/ws/notifications/`: Django Channels' notification consumer behind the JWT middleware.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};

use crate::auth::TokenType;
use crate::db::User;
use crate::{Attempt, Shared};

pub fn routes() -> Router<Shared> {
    Router::new().route("/ws/notifications/", get(upgrade))
}

/// The middleware's decision: a user, or why not.
fn authenticate(state: &Shared, query: &HashMap<String, String>) -> Result<User, String> {
    if let Some(token) = query.get("token").filter(|t| !t.is_empty()) {
        let claims = state
            .signer
            .check(token, TokenType::Access)
            .map_err(|p| p.as_str().to_owned())?;
        let id = claims.user_id().ok_or("malformed token")?;
        return match state.db().user(id) {
            Ok(Some(user)) => Ok(user),
            Ok(None) => Err("unknown user".into()),
            Err(e) => Err(format!("database error: {e}")),
        };
    }
    // Production's middleware falls back to `?user_id=` without a token: a hole the client
    // must never use. Reproduced only on request (`--user-id-query-hole`), so tests can show
    // what it lets through; otherwise `user_id` is ignored (and still recorded in attempts).
    if !state.options.user_id_query_hole {
        return Err("missing token".into());
    }
    if let Some(id) = query.get("user_id").and_then(|s| s.parse::<i64>().ok()) {
        return match state.db().user(id) {
            Ok(Some(user)) => Ok(user),
            _ => Err("unknown user".into()),
        };
    }
    Err("missing token".into())
}

async fn upgrade(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let user_id_in_query = query.contains_key("user_id");
    let at = crate::db::naive_local_now();
    match authenticate(&state, &query) {
        Ok(user) => {
            state.record_attempt(Attempt {
                at,
                accepted: true,
                reason: "accepted".into(),
                username: Some(user.username.clone()),
                user_id_in_query,
            });
            ws.on_upgrade(move |socket| serve(state, socket, user, peer))
        }
        Err(reason) => {
            state.log(format_args!("socket rejected from {peer}: {reason}"));
            state.record_attempt(Attempt {
                at,
                accepted: false,
                reason,
                username: None,
                user_id_in_query,
            });
            // Channels closes before accepting: the upgrade answers 403 and the browser
            // reports close code 1006 without ever firing `open`.
            StatusCode::FORBIDDEN.into_response()
        }
    }
}

async fn serve(state: Shared, socket: WebSocket, user: User, peer: SocketAddr) {
    let mut handle = state.hub.register(&user.username);
    state.log(format_args!(
        "socket {} open: {} from {peer}",
        handle.id, user.username
    ));
    let (mut sink, mut stream) = socket.split();
    let hello = json!({
        "type": "connection_established",
        "message": "WebSocket connected successfully",
        "user_id": user.id,
    });
    let mut reason = "client closed";
    if sink
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        reason = "write failed";
    } else {
        loop {
            tokio::select! {
                frame = handle.frames.recv() => {
                    let Some(frame) = frame else { break };
                    if sink.send(Message::Text(frame)).await.is_err() {
                        reason = "write failed";
                        break;
                    }
                }
                changed = handle.close.changed() => {
                    let code = if changed.is_ok() { *handle.close.borrow() } else { None };
                    let code = code.unwrap_or(1000);
                    let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static("") }))).await;
                    reason = "closed by server";
                    break;
                }
                incoming = stream.next() => {
                    match incoming {
                        Some(Ok(Message::Text(text))) => {
                            if let Some(pong) = answer(&state, text.as_str()) {
                                if sink.send(Message::Text(pong.into())).await.is_err() {
                                    reason = "write failed";
                                    break;
                                }
                            }
                        }
                        Some(Ok(Message::Close(_))) | None => break,
                        Some(Ok(_)) => {}
                        Some(Err(_)) => { reason = "connection lost"; break; }
                    }
                }
            }
        }
    }
    state.hub.unregister(handle.id);
    state.log(format_args!(
        "socket {} closed: {} ({reason})",
        handle.id, user.username
    ));
}

/// The consumer's `receive`: ping → pong with the same timestamp; anything else is ignored
/// (non-JSON is logged).
fn answer(state: &Shared, text: &str) -> Option<String> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        state.log(format_args!(
            "ignored non-JSON client frame ({} bytes)",
            text.len()
        ));
        return None;
    };
    if value.get("type").and_then(Value::as_str) != Some("ping") || !state.pong_enabled() {
        return None;
    }
    let timestamp = value.get("timestamp").cloned().unwrap_or(Value::Null);
    Some(json!({"type": "pong", "timestamp": timestamp}).to_string())
}

//! The production REST API (`/api/auth/...`), with the serializer's shapes and messages.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::auth::TokenType;
use crate::db::User;
use crate::Shared;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/auth/login/", post(login))
        .route("/api/auth/token-refresh/", post(refresh))
        .route("/api/auth/logout/", post(logout))
        .route("/api/auth/Notifications/", get(list))
        .route("/api/auth/Notifications/unread", get(unread))
        .route("/api/auth/Notifications/read_one", put(read_one))
        .route("/api/auth/Notifications/read_all", put(read_all))
        .route("/api/auth/Notifications/delete", delete(delete_one))
}

fn reply(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn server_error(e: impl std::fmt::Display) -> Response {
    reply(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"detail": format!("A server error occurred: {e}")}),
    )
}

/// DRF parses the body as JSON and answers a parse error with 400 `detail`.
fn json_body(body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(reply(
            StatusCode::BAD_REQUEST,
            json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        )),
        Err(e) => Err(reply(
            StatusCode::BAD_REQUEST,
            json!({"detail": format!("JSON parse error - {e}")}),
        )),
    }
}

fn token_not_valid() -> Response {
    reply(
        StatusCode::UNAUTHORIZED,
        json!({
            "detail": "Given token not valid for any token type",
            "code": "token_not_valid",
            "messages": [{
                "token_class": "AccessToken",
                "token_type": "access",
                "message": "Token is invalid or expired"
            }]
        }),
    )
}

/// SimpleJWT's `JWTAuthentication`: `Authorization: Bearer <access>`.
pub fn authenticate(state: &Shared, headers: &HeaderMap) -> Result<User, Response> {
    let Some(header) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
    else {
        return Err(reply(
            StatusCode::UNAUTHORIZED,
            json!({"detail": "Authentication credentials were not provided."}),
        ));
    };
    let Some(token) = header.strip_prefix("Bearer ") else {
        return Err(reply(
            StatusCode::UNAUTHORIZED,
            json!({"detail": "Authentication credentials were not provided."}),
        ));
    };
    let claims = state
        .signer
        .check(token.trim(), TokenType::Access)
        .map_err(|_| token_not_valid())?;
    let user_id = claims.user_id().ok_or_else(token_not_valid)?;
    match state.db().user(user_id) {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(reply(
            StatusCode::UNAUTHORIZED,
            json!({"detail": "User not found", "code": "user_not_found"}),
        )),
        Err(e) => Err(server_error(e)),
    }
}

fn required_string(
    body: &Map<String, Value>,
    field: &str,
    errors: &mut Map<String, Value>,
) -> Option<String> {
    match body.get(field) {
        None | Some(Value::Null) => {
            errors.insert(field.into(), json!(["This field is required."]));
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.insert(field.into(), json!(["This field may not be blank."]));
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.insert(field.into(), json!(["Not a valid string."]));
            None
        }
    }
}

async fn login(State(state): State<Shared>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut errors = Map::new();
    let username = required_string(&body, "username", &mut errors);
    let password = required_string(&body, "password", &mut errors);
    let (Some(username), Some(password)) = (username, password) else {
        return reply(StatusCode::BAD_REQUEST, Value::Object(errors));
    };
    let username = username.trim().to_lowercase();
    let user = match state.db().check_login(&username, &password) {
        Ok(Some(user)) => user,
        Ok(None) => {
            return reply(
                StatusCode::UNAUTHORIZED,
                json!({"message": "Invalid credentials."}),
            )
        }
        Err(e) => return server_error(e),
    };
    state.log(format_args!("login ok: {}", user.username));
    reply(
        StatusCode::OK,
        json!({
            "data": {
                "id": user.id,
                "username": user.username,
                "role": user.role,
                "can_transfer_budget": user.can_transfer_budget,
            },
            "user_level": user.user_level,
            "user_level_name": user.user_level_name,
            "message": "Login successful.",
            "token": state.signer.issue(TokenType::Access, user.id),
            "refresh": state.signer.issue(TokenType::Refresh, user.id),
        }),
    )
}

/// Checks a refresh token: signature, expiry, type, blacklist, user. Returns the user id and jti.
fn check_refresh(state: &Shared, token: &str) -> Result<(i64, String), ()> {
    let claims = state
        .signer
        .check(token, TokenType::Refresh)
        .map_err(|_| ())?;
    let user_id = claims.user_id().ok_or(())?;
    let db = state.db();
    if db.is_blacklisted(&claims.jti).unwrap_or(true) {
        return Err(());
    }
    match db.user(user_id) {
        Ok(Some(_)) => Ok((user_id, claims.jti)),
        _ => Err(()),
    }
}

async fn refresh(State(state): State<Shared>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(token) = body
        .get("refresh")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        return reply(
            StatusCode::BAD_REQUEST,
            json!({"error": "Refresh token is required"}),
        );
    };
    let checked = check_refresh(&state, token).and_then(|(user_id, jti)| {
        // SimpleJWT's BLACKLIST_AFTER_ROTATION: the used token is spent. Checked and
        // blacklisted in one step, so of two refreshes racing with one token only one wins.
        if state.options.blacklist_after_rotation && !state.db().spend(&jti).unwrap_or(false) {
            return Err(());
        }
        Ok((user_id, jti))
    });
    match checked {
        Ok((user_id, _)) => reply(
            StatusCode::OK,
            json!({
                "access": state.signer.issue(TokenType::Access, user_id),
                "refresh": state.signer.issue(TokenType::Refresh, user_id),
            }),
        ),
        Err(()) => reply(
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid or expired refresh token"}),
        ),
    }
}

async fn logout(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(token) = body
        .get("refresh")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        return reply(
            StatusCode::BAD_REQUEST,
            json!({"error": "Refresh token is required"}),
        );
    };
    match check_refresh(&state, token) {
        Ok((user_id, jti)) if user_id == user.id => {
            if let Err(e) = state.db().blacklist(&jti) {
                return server_error(e);
            }
            state.log(format_args!("logout: {}", user.username));
            reply(
                StatusCode::RESET_CONTENT,
                json!({"message": "Logout successful."}),
            )
        }
        _ => reply(
            StatusCode::BAD_REQUEST,
            json!({"error": "Invalid or expired refresh token"}),
        ),
    }
}

async fn list(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.db().notifications(user.id, false) {
        Ok(rows) => reply(StatusCode::OK, json!({ "notifications": rows })),
        Err(e) => server_error(e),
    }
}

async fn unread(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.db().notifications(user.id, true) {
        Ok(rows) => {
            let count = rows.len();
            reply(
                StatusCode::OK,
                json!({ "notifications": rows, "count": count }),
            )
        }
        Err(e) => server_error(e),
    }
}

fn not_found() -> Response {
    reply(
        StatusCode::NOT_FOUND,
        json!({"message": "Notification not found."}),
    )
}

/// `?notification_id=ID`: anything but a whole number finds nothing, as Django's lookup does.
fn notification_id(query: &std::collections::HashMap<String, String>) -> Option<i64> {
    query.get("notification_id")?.trim().parse().ok()
}

async fn read_one(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(id) = notification_id(&query) else {
        return not_found();
    };
    match state.db().mark_read(user.id, id) {
        Ok(true) => reply(
            StatusCode::OK,
            json!({"message": "Notification marked as read."}),
        ),
        Ok(false) => not_found(),
        Err(e) => server_error(e),
    }
}

async fn read_all(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.db().mark_all_read(user.id) {
        Ok(n) => reply(
            StatusCode::OK,
            json!({"message": format!("{n} notifications marked as read.")}),
        ),
        Err(e) => server_error(e),
    }
}

async fn delete_one(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let user = match authenticate(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(id) = notification_id(&query) else {
        return not_found();
    };
    match state.db().soft_delete(user.id, id) {
        Ok(true) => reply(
            StatusCode::OK,
            json!({"message": "Notification deleted successfully."}),
        ),
        Ok(false) => not_found(),
        Err(e) => server_error(e),
    }
}

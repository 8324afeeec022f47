//! Stalled endpoints for tests (`/test/hold/`, `/test/release/`, `/test/held/`): a hung proxy,
//! a refresh that never answers, a history request that arrives after sign-out. A held request
//! is neither answered nor failed until its path is released; a client that gives up meanwhile
//! simply drops out of the count (the server drops its future with the connection).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::sync::watch;

use crate::auth::TokenType;
use crate::Shared;

/// Largest body read to find the user of a held refresh or login (the real ones are < 1 KB).
const BODY_LIMIT: usize = 64 * 1024;

/// The holds in force, by exact request path.
#[derive(Default)]
pub struct Holds {
    by_path: Mutex<HashMap<String, Hold>>,
}

struct Hold {
    /// Only this user's requests wait; `None`: everybody's.
    username: Option<String>,
    release: watch::Sender<bool>,
    waiting: Arc<AtomicUsize>,
}

/// One waiting request. Dropping it (released, or the client went away) leaves the count.
pub struct Ticket {
    release: watch::Receiver<bool>,
    waiting: Arc<AtomicUsize>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Ticket {
    /// Waits until the hold is released (or removed in any other way).
    pub async fn wait(mut self) {
        let _ = self.release.wait_for(|released| *released).await;
    }
}

impl Holds {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Hold>> {
        self.by_path.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Holds `path` from now on, for `username` only or for everybody. A second hold of the
    /// same path changes whose requests wait; requests already waiting keep waiting.
    pub fn hold(&self, path: &str, username: Option<String>) {
        let mut map = self.map();
        match map.get_mut(path) {
            Some(hold) => hold.username = username,
            None => {
                let (release, _) = watch::channel(false);
                map.insert(
                    path.to_owned(),
                    Hold {
                        username,
                        release,
                        waiting: Arc::new(AtomicUsize::new(0)),
                    },
                );
            }
        }
    }

    /// Removes the hold of `path`; every request waiting on it proceeds. Returns how many.
    pub fn release(&self, path: &str) -> usize {
        let hold = self.map().remove(path);
        hold.map(release).unwrap_or(0)
    }

    /// Removes every hold (`/test/reset/`). Returns how many requests were let through.
    pub fn release_all(&self) -> usize {
        let holds: Vec<Hold> = self.map().drain().map(|(_, h)| h).collect();
        holds.into_iter().map(release).sum()
    }

    /// Requests waiting now, per held path (0 for a hold nobody has hit yet).
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.map()
            .iter()
            .map(|(path, h)| (path.clone(), h.waiting.load(Ordering::SeqCst)))
            .collect()
    }

    /// Whether `path` is held, and for whom (`Some(None)`: everybody).
    fn filter(&self, path: &str) -> Option<Option<String>> {
        self.map().get(path).map(|h| h.username.clone())
    }

    /// A ticket if a request of `user` to `path` must wait now.
    fn ticket(&self, path: &str, user: Option<&str>) -> Option<Ticket> {
        let map = self.map();
        let hold = map.get(path)?;
        if let Some(wanted) = &hold.username {
            if user != Some(wanted.as_str()) {
                return None;
            }
        }
        hold.waiting.fetch_add(1, Ordering::SeqCst);
        Some(Ticket {
            release: hold.release.subscribe(),
            waiting: hold.waiting.clone(),
        })
    }
}

fn release(hold: Hold) -> usize {
    let n = hold.waiting.load(Ordering::SeqCst);
    hold.release.send_replace(true);
    n
}

/// Middleware in front of every route but `/test/`: makes held requests wait.
pub async fn gate(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/test/") {
        return next.run(request).await;
    }
    let Some(filter) = state.holds.filter(&path) else {
        return next.run(request).await;
    };
    let (request, user) = if filter.is_some() {
        match request_user(&state, request).await {
            Ok(found) => found,
            Err(response) => return response,
        }
    } else {
        (request, None)
    };
    if let Some(ticket) = state.holds.ticket(&path, user.as_deref()) {
        state.log(format_args!("test: holding {path}"));
        ticket.wait().await;
        state.log(format_args!("test: released {path}"));
    }
    next.run(request).await
}

/// Whose request this is: the Bearer access token (REST), the `token` query parameter (the
/// socket upgrade), else the body's refresh token (refresh, logout) or username (login).
/// Expired tokens still name their user; a bad signature names nobody.
async fn request_user(
    state: &Shared,
    request: Request,
) -> Result<(Request, Option<String>), Response> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let query_token = request.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v.to_owned())
    });
    if let Some(token) = bearer.or(query_token) {
        let user = token_user(state, &token, TokenType::Access);
        return Ok((request, user));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response())?;
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let user = if let Some(refresh) = value.get("refresh").and_then(Value::as_str) {
        token_user(state, refresh, TokenType::Refresh)
    } else {
        value
            .get("username")
            .and_then(Value::as_str)
            .map(|u| u.trim().to_lowercase())
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), user))
}

fn token_user(state: &Shared, token: &str, kind: TokenType) -> Option<String> {
    let claims = state.signer.identify(token, kind)?;
    let id = claims.user_id()?;
    state.db().user(id).ok().flatten().map(|u| u.username)
}

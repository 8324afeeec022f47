//! The test-control API (`--control`): loopback callers only. It injects every fault the
//! production backend can produce, so the app's end-to-end tests need no mocks.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::db::{naive_local_now, utc_string, NewNotification, User};
use crate::Shared;

/// The control routes with `--control`; without it only the catch-all, so that `/test/` never
/// reaches the app's fallback (or the CORS layer) either way.
pub fn routes(enabled: bool) -> Router<Shared> {
    let mut router = Router::new()
        .route("/test/", any(not_found))
        .route("/test/{*rest}", any(not_found));
    if enabled {
        router = router
            .route("/test/health/", get(|| async { Json(json!({"ok": true})) }))
            .route("/test/reset/", post(reset))
            .route("/test/emit/", post(emit))
            .route("/test/notify/", post(notify))
            .route("/test/oracle/", post(oracle))
            .route("/test/raw/", post(raw))
            .route("/test/flood/", post(flood))
            .route("/test/stream/", post(stream))
            .route("/test/history/", post(history))
            .route("/test/trim/", post(trim))
            .route("/test/drop/", post(drop_all))
            .route("/test/pong/", post(pong))
            .route("/test/connections/", get(connections))
            .route("/test/peak-reset/", post(peak_reset))
            .route("/test/attempts/", get(attempts))
            .route("/test/hold/", post(hold))
            .route("/test/release/", post(release))
            .route("/test/held/", get(held))
            .layer(axum::middleware::from_fn(json_posts_only));
    }
    // `layer`, not `route_layer`: a wrong method's 405 is as hidden as everything else.
    router.layer(axum::middleware::from_fn(loopback_only))
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// Loopback callers naming a loopback host only: a page on another site cannot reach the
/// control API through DNS rebinding (its `Host` is that site's name), nor can anyone off this
/// machine. A browser request from a page of another site (its `Origin` is not loopback) is
/// refused too: without CORS it could not read the answer, but a simple POST would still act.
/// Everything refused sees no `/test/` at all (404).
async fn loopback_only(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    let origin_ok = match headers.get(axum::http::header::ORIGIN) {
        None => true,
        Some(origin) => origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, authority)| crate::is_loopback_host(authority)),
    };
    if peer.ip().is_loopback() && host.is_some_and(crate::is_loopback_host) && origin_ok {
        next.run(request).await
    } else {
        not_found().await
    }
}

/// A `POST` to `/test/` must say `Content-Type: application/json`, or it is refused with 415
/// before it acts. A page can send a "simple" cross-origin `POST` (`text/plain`, form types)
/// without asking first; a JSON one needs a CORS preflight, which `/test/` never grants, so the
/// browser never sends the `POST` itself. This shuts out the pages the `Origin` check lets
/// through: another site on this machine (`http://localhost:5173`), whose origin is loopback.
async fn json_posts_only(request: Request, next: Next) -> Response {
    let json = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if request.method() == axum::http::Method::POST && !json {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Json(json!({"error": "the control API takes Content-Type: application/json"})),
        )
            .into_response();
    }
    next.run(request).await
}

fn bad_request(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg.into()}))).into_response()
}

fn user(state: &Shared, username: &str) -> Result<User, Response> {
    match state.db().user_by_name(username) {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(bad_request(format!("unknown user {username:?}"))),
        Err(e) => Err(bad_request(e.to_string())),
    }
}

async fn reset(State(state): State<Shared>) -> Response {
    // Jobs of the previous test must not write into the fresh seed.
    state.epoch.fetch_add(1, Ordering::SeqCst);
    state.holds.release_all();
    state.hub.close_all(1000);
    state.pong_enabled.store(true, Ordering::Relaxed);
    state
        .attempts
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    if let Err(e) = state.db().reset() {
        return bad_request(e.to_string());
    }
    // Let the closing sockets unregister before peaks restart from what is open.
    tokio::time::sleep(Duration::from_millis(50)).await;
    state.hub.reset_peaks();
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct Emit {
    username: String,
    frame: Value,
}

async fn emit(State(state): State<Shared>, Json(body): Json<Emit>) -> Response {
    let sent = state
        .hub
        .send(&body.username, body.frame.to_string().into());
    Json(json!({"sockets": sent})).into_response()
}

#[derive(Deserialize)]
struct Raw {
    username: String,
    text: String,
}

async fn raw(State(state): State<Shared>, Json(body): Json<Raw>) -> Response {
    let sent = state.hub.send(&body.username, body.text.into());
    Json(json!({"sockets": sent})).into_response()
}

#[derive(Deserialize)]
struct Notify {
    username: String,
    eng_message: String,
    #[serde(default)]
    ara_message: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    transaction_id: Option<i64>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    type_of_transaction: Option<String>,
    #[serde(default)]
    type_of_action: Option<String>,
    /// When it happened (RFC 3339), for a test of older days; now by default.
    #[serde(default)]
    created_at: Option<String>,
    /// Push the guide's nested shape (`data`, no id) for the persisted row, as some production
    /// code paths do; `both` pushes the nested frame and then the flattened one.
    #[serde(default)]
    shape: Shape,
}

/// Which socket frame(s) a persisted notification is pushed as.
#[derive(Deserialize, Default, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Shape {
    /// The flattened shape with the REST id.
    #[default]
    Flat,
    /// The nested `data` shape, without an id.
    Nested,
    /// Nested, then flattened: one event reaching the socket by two code paths.
    Both,
}

/// A persisted notification in the flattened socket shape, with its REST id.
fn flat_frame(
    id: i64,
    n: &NewNotification,
    created: &chrono::DateTime<chrono::Utc>,
    code: Option<&str>,
) -> serde_json::Value {
    json!({
        "type": "notification",
        "message": n.message,
        "eng_message": n.eng_message,
        "ara_message": n.ara_message,
        "timestamp": naive_local_now(),
        "id": id,
        "is_read": false,
        "created_at": utc_string(created),
        "is_shown": true,
        "is_system_read": false,
        "Transaction_id": n.transaction_id,
        "type_of_Trasnction": n.type_of_transaction,
        "Type_of_action": n.type_of_action,
        "code": code,
    })
}

/// Persists a history row and pushes it in the flattened shape, with its REST id.
pub fn persist_and_push(
    state: &Shared,
    user: &User,
    n: &NewNotification,
    code: Option<&str>,
) -> Result<(i64, usize), String> {
    persist_and_push_at(state, user, n, code, chrono::Utc::now())
}

/// [`persist_and_push`] with the time it happened.
fn persist_and_push_at(
    state: &Shared,
    user: &User,
    n: &NewNotification,
    code: Option<&str>,
    created: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, usize), String> {
    let id = state
        .db()
        .insert_notification(user.id, n, &created)
        .map_err(|e| e.to_string())?;
    let frame = flat_frame(id, n, &created, code);
    Ok((id, state.hub.send(&user.username, frame.to_string().into())))
}

async fn notify(State(state): State<Shared>, Json(body): Json<Notify>) -> Response {
    let user = match user(&state, &body.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let n = NewNotification {
        message: body.message.unwrap_or_else(|| body.eng_message.clone()),
        eng_message: body.eng_message,
        ara_message: body.ara_message,
        transaction_id: body.transaction_id,
        type_of_transaction: body.type_of_transaction.or(Some("FAR".into())),
        type_of_action: body.type_of_action.or(Some("List".into())),
    };
    let created = match body
        .created_at
        .as_deref()
        .map(chrono::DateTime::parse_from_rfc3339)
    {
        None => chrono::Utc::now(),
        Some(Ok(t)) => t.with_timezone(&chrono::Utc),
        Some(Err(e)) => return bad_request(format!("created_at: {e}")),
    };
    if body.shape == Shape::Flat {
        return match persist_and_push_at(&state, &user, &n, body.code.as_deref(), created) {
            Ok((id, sockets)) => Json(json!({"id": id, "sockets": sockets})).into_response(),
            Err(e) => bad_request(e),
        };
    }
    let id = match state.db().insert_notification(user.id, &n, &created) {
        Ok(id) => id,
        Err(e) => return bad_request(e.to_string()),
    };
    let nested = json!({
        "type": "notification", "message": n.message,
        "data": {"transaction_id": n.transaction_id, "code": body.code},
        "timestamp": naive_local_now(),
    });
    let sockets = state.hub.send(&user.username, nested.to_string().into());
    if body.shape == Shape::Both {
        let flat = flat_frame(id, &n, &created, body.code.as_deref());
        state.hub.send(&user.username, flat.to_string().into());
    }
    Json(json!({"id": id, "sockets": sockets})).into_response()
}

/// An Oracle upload job, as the production worker reports it.
#[derive(Deserialize, Clone)]
pub struct OracleJob {
    pub username: String,
    pub transaction_id: i64,
    #[serde(default = "default_steps")]
    pub steps: Vec<String>,
    #[serde(default)]
    pub fail_at: Option<usize>,
    #[serde(default = "default_step_ms")]
    pub step_ms: u64,
    #[serde(default = "yes")]
    pub with_progress: bool,
    #[serde(default)]
    pub error: Option<String>,
}

fn default_steps() -> Vec<String> {
    [
        "Journal Upload to UCM",
        "Interface Loader Submission",
        "Journal Import Submission",
        "Automatic Posting Submission",
    ]
    .map(String::from)
    .to_vec()
}
fn default_step_ms() -> u64 {
    500
}
fn yes() -> bool {
    true
}

async fn oracle(State(state): State<Shared>, Json(job): Json<OracleJob>) -> Response {
    let user = match user(&state, &job.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if job.steps.is_empty() {
        return bad_request("steps must not be empty");
    }
    tokio::spawn(run_oracle_job(state, user, job));
    (StatusCode::ACCEPTED, Json(json!({"started": true}))).into_response()
}

/// Runs a job in the background: started → per step processing (and completed) → completed or
/// failed. Started and the outcome are also persisted as history rows.
pub async fn run_oracle_job(state: Shared, user: User, job: OracleJob) {
    let tx = job.transaction_id;
    let total = job.steps.len();
    let epoch = state.epoch.load(Ordering::SeqCst);
    let current = || state.epoch.load(Ordering::SeqCst) == epoch;
    let push = |frame: Value| {
        if current() {
            state.hub.send(&user.username, frame.to_string().into());
        }
    };
    let persist = |eng: &str, ara: &str, action: &str| {
        if !current() {
            return;
        }
        let n = NewNotification {
            message: eng.to_owned(),
            eng_message: eng.to_owned(),
            ara_message: ara.to_owned(),
            transaction_id: Some(tx),
            type_of_transaction: Some("FAR".into()),
            type_of_action: Some(action.into()),
        };
        let _ = state
            .db()
            .insert_notification(user.id, &n, &chrono::Utc::now());
    };
    let eng = format!("Oracle upload started for transaction {tx}");
    let ara = format!("بدأ الرفع إلى Oracle للمعاملة {tx}");
    persist(&eng, &ara, "Oracle Upload");
    push(
        json!({"type": "oracle_upload_started", "transaction_id": tx, "message": eng,
        "eng_message": eng, "ara_message": ara, "timestamp": naive_local_now()}),
    );
    let step_time = Duration::from_millis(job.step_ms);
    for (i, step) in job.steps.iter().enumerate() {
        let k = i + 1;
        if job.with_progress {
            let eng = format!("{step} in progress");
            let ara = format!("جارٍ تنفيذ {step}");
            push(
                json!({"type": "oracle_upload_progress", "transaction_id": tx, "step": step,
                "step_number": k, "total_steps": total, "message": eng, "eng_message": eng,
                "ara_message": ara, "status": "processing", "timestamp": naive_local_now()}),
            );
        }
        tokio::time::sleep(step_time).await;
        if !current() {
            return;
        }
        if job.fail_at == Some(k) {
            let error = job
                .error
                .clone()
                .unwrap_or_else(|| format!("{step} failed: ESS job ended in error"));
            if job.with_progress {
                push(
                    json!({"type": "oracle_upload_progress", "transaction_id": tx, "step": step,
                    "step_number": k, "total_steps": total, "message": error, "eng_message": error,
                    "ara_message": format!("فشل {step}"), "status": "failed",
                    "timestamp": naive_local_now()}),
                );
            }
            let eng = format!("Oracle upload failed for transaction {tx}");
            let ara = format!("فشل الرفع إلى Oracle للمعاملة {tx}");
            persist(&eng, &ara, "Oracle Upload Failed");
            push(
                json!({"type": "oracle_upload_failed", "transaction_id": tx, "message": eng,
                "eng_message": eng, "ara_message": ara, "error": error,
                "timestamp": naive_local_now()}),
            );
            return;
        }
        if job.with_progress {
            let eng = format!("{step} completed");
            let ara = format!("اكتمل {step}");
            push(
                json!({"type": "oracle_upload_progress", "transaction_id": tx, "step": step,
                "step_number": k, "total_steps": total, "message": eng, "eng_message": eng,
                "ara_message": ara, "status": "completed", "timestamp": naive_local_now()}),
            );
        }
    }
    let eng = format!("Oracle upload completed for transaction {tx}");
    let ara = format!("اكتمل الرفع إلى Oracle للمعاملة {tx}");
    persist(&eng, &ara, "Oracle Upload Completed");
    push(
        json!({"type": "oracle_upload_completed", "transaction_id": tx, "message": eng,
        "eng_message": eng, "ara_message": ara, "success": true,
        "result_path": format!("/u01/oracle/fbdi/results/{tx}.zip"),
        "timestamp": naive_local_now()}),
    );
}

#[derive(Deserialize)]
struct Flood {
    username: String,
    count: usize,
    /// Production's channel layer: a frame that finds a socket's buffer full is dropped
    /// silently (the row stays persisted). Without it the flood waits for room.
    #[serde(default)]
    lossy: bool,
}

/// `count` notifications back to back, each persisted (so REST agrees) with a unique id and a
/// `seq`. Waits for room in each socket's buffer (a test counts every frame), or with `lossy`
/// drops what does not fit, as production does in a burst; answers how many were dropped.
async fn flood(State(state): State<Shared>, Json(body): Json<Flood>) -> Response {
    let user = match user(&state, &body.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let count = body.count.min(100_000);
    let rows: Vec<NewNotification> = (1..=count)
        .map(|seq| NewNotification {
            message: format!("Flood notification {seq}"),
            eng_message: format!("Flood notification {seq}"),
            ara_message: format!("إشعار متتابع {seq}"),
            transaction_id: Some(100_000 + seq as i64),
            type_of_transaction: Some("FAR".into()),
            type_of_action: Some("List".into()),
        })
        .collect();
    let ids = match state.db().insert_many(user.id, &rows) {
        Ok(ids) => ids,
        Err(e) => return bad_request(e.to_string()),
    };
    let senders = state.hub.senders(&user.username);
    let started = std::time::Instant::now();
    let created = utc_string(&chrono::Utc::now());
    let mut dropped = 0usize;
    for (i, (row, id)) in rows.iter().zip(&ids).enumerate() {
        let frame = json!({
            "type": "notification", "message": row.message, "eng_message": row.eng_message,
            "ara_message": row.ara_message, "timestamp": naive_local_now(), "id": id,
            "is_read": false, "created_at": created, "is_shown": true, "is_system_read": false,
            "Transaction_id": row.transaction_id, "type_of_Trasnction": "FAR",
            "Type_of_action": "List", "code": format!("FLD-{:05}", i + 1), "seq": i + 1,
        })
        .to_string();
        let frame: axum::extract::ws::Utf8Bytes = frame.into();
        for s in &senders {
            if body.lossy {
                if s.try_send(frame.clone()).is_err() {
                    dropped += 1;
                }
            } else {
                let _ = s.send(frame.clone()).await;
            }
        }
    }
    Json(
        json!({"sent": count, "dropped": dropped, "sockets": senders.len(),
        "ms": started.elapsed().as_millis() as u64}),
    )
    .into_response()
}

#[derive(Deserialize)]
struct Stream {
    username: String,
    count: u64,
    interval_ms: u64,
}

/// `count` general notifications (the guide's nested-`data` shape, not persisted), one every
/// `interval_ms`, paced by the server so the client sees a steady rate ("Stream message N").
/// Answers at once; a reset ends the stream.
async fn stream(State(state): State<Shared>, Json(body): Json<Stream>) -> Response {
    let user = match user(&state, &body.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let count = body.count.min(100_000);
    let epoch = state.epoch.load(Ordering::SeqCst);
    let task_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(body.interval_ms.max(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        for seq in 1..=count {
            tick.tick().await;
            if task_state.epoch.load(Ordering::SeqCst) != epoch {
                return;
            }
            let frame = json!({
                "type": "notification", "message": format!("Stream message {seq}"),
                "data": {"transaction_id": 300_000 + seq, "code": format!("STR-{seq:05}")},
                "timestamp": naive_local_now(), "seq": seq,
            });
            task_state
                .hub
                .send(&user.username, frame.to_string().into());
        }
    });
    Json(json!({"scheduled": count})).into_response()
}

#[derive(Deserialize)]
struct History {
    username: String,
    count: usize,
    /// Transfer types the rows take in turn (default: all "FAR").
    #[serde(default)]
    types: Vec<String>,
    /// Actions the rows take in turn (default: all "Posted").
    #[serde(default)]
    actions: Vec<String>,
}

/// The `i`th of `values` in turn, else `default`.
fn in_turn(values: &[String], i: usize, default: &str) -> String {
    match values.len() {
        0 => default.to_owned(),
        n => values[i % n].clone(),
    }
}

/// Adds `count` persisted rows without pushing anything (a big inbox).
async fn history(State(state): State<Shared>, Json(body): Json<History>) -> Response {
    let user = match user(&state, &body.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let rows: Vec<NewNotification> = (1..=body.count.min(100_000))
        .map(|i| NewNotification {
            message: format!("Archived budget transfer FAR-{i:05} was posted"),
            eng_message: format!("Archived budget transfer FAR-{i:05} was posted"),
            ara_message: format!("تم ترحيل مناقلة الميزانية المؤرشفة FAR-{i:05}"),
            transaction_id: Some(200_000 + i as i64),
            type_of_transaction: Some(in_turn(&body.types, i, "FAR")),
            type_of_action: Some(in_turn(&body.actions, i, "Posted")),
        })
        .collect();
    match state.db().insert_many(user.id, &rows) {
        Ok(ids) => Json(json!({"inserted": ids.len()})).into_response(),
        Err(e) => bad_request(e.to_string()),
    }
}

#[derive(Deserialize)]
struct Trim {
    username: String,
    keep: usize,
}

/// Deletes (softly, as a user's delete does) all but the newest `keep` rows of a user, without
/// telling any socket: a long soak keeps the history the app re-reads at a steady size.
async fn trim(State(state): State<Shared>, Json(body): Json<Trim>) -> Response {
    let user = match user(&state, &body.username) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.db().trim(user.id, body.keep) {
        Ok(n) => Json(json!({"deleted": n})).into_response(),
        Err(e) => bad_request(e.to_string()),
    }
}

#[derive(Deserialize, Default)]
struct Drop {
    #[serde(default)]
    code: Option<u16>,
}

async fn drop_all(State(state): State<Shared>, body: Option<Json<Drop>>) -> Response {
    let code = body.and_then(|Json(d)| d.code).unwrap_or(1000);
    let closed = state.hub.close_all(code);
    state.log(format_args!(
        "test: dropped {closed} sockets with code {code}"
    ));
    Json(json!({"closed": closed, "code": code})).into_response()
}

#[derive(Deserialize)]
struct Pong {
    enabled: bool,
}

async fn pong(State(state): State<Shared>, Json(body): Json<Pong>) -> Response {
    state.pong_enabled.store(body.enabled, Ordering::Relaxed);
    Json(json!({"enabled": body.enabled})).into_response()
}

async fn connections(State(state): State<Shared>) -> Response {
    Json(state.hub.counts()).into_response()
}

async fn peak_reset(State(state): State<Shared>) -> Response {
    state.hub.reset_peaks();
    Json(json!({"ok": true})).into_response()
}

async fn attempts(State(state): State<Shared>) -> Response {
    let attempts = state
        .attempts
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    Json(json!({"attempts": attempts})).into_response()
}

#[derive(Deserialize)]
struct Hold {
    path: String,
    #[serde(default)]
    username: Option<String>,
}

/// From now on requests to `path` (of `username` only, if given) wait until released.
async fn hold(State(state): State<Shared>, Json(body): Json<Hold>) -> Response {
    if !body.path.starts_with('/') || body.path.starts_with("/test/") {
        return bad_request("path must start with / and must not be under /test/");
    }
    state.log(format_args!(
        "test: hold {} for {}",
        body.path,
        body.username.as_deref().unwrap_or("everybody")
    ));
    state.holds.hold(&body.path, body.username);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct Release {
    path: String,
}

/// Removes the hold of `path`; the requests waiting on it proceed normally.
async fn release(State(state): State<Shared>, Json(body): Json<Release>) -> Response {
    let released = state.holds.release(&body.path);
    Json(json!({"released": released})).into_response()
}

/// Requests waiting now, per held path.
async fn held(State(state): State<Shared>) -> Response {
    Json(json!({"held": state.holds.counts()})).into_response()
}

//! What the wiring tests share: the reference backend's address and control API, a sign-in,
//! waits for a condition, and small JS spies that still call the real browser functions.

use std::rc::Rc;

use gloo_net::http::Request;
use herald::config::RuntimeConfig;
use herald::protocol::rest::LoginResponse;
use herald::state::session::Session;
use serde_json::Value;

/// The reference backend `cargo xtask test` started for this run. Built without it, every
/// test that needs it fails (it does not skip).
pub fn backend() -> &'static str {
    match option_env!("HERALD_TEST_BACKEND") {
        Some(url) => url,
        None => panic!(
            "HERALD_TEST_BACKEND is not set: run these tests with `cargo xtask test --only wasm`, \
             which starts the reference backend"
        ),
    }
}

/// The loopback forwarder to the backend's `/test/` control API (see xtask/src/test.rs).
fn control_base() -> &'static str {
    match option_env!("HERALD_TEST_CONTROL") {
        Some(url) => url,
        None => panic!(
            "HERALD_TEST_CONTROL is not set: run these tests with `cargo xtask test --only wasm`"
        ),
    }
}

/// The app's configuration, pointing at the test backend.
pub fn config() -> Rc<RuntimeConfig> {
    let page = web_sys::window().unwrap().location().origin().unwrap();
    let text = format!(r#"{{"api_base_url":"{}"}}"#, backend());
    Rc::new(RuntimeConfig::parse(&text, &page).expect("the test backend's URL is accepted"))
}

/// Calls the control API: `GET /test/<path>/` without a body, `POST` with one.
pub async fn control(path: &str, body: Option<Value>) -> Value {
    let url = format!("{}/test/{path}/", control_base());
    let request = match body {
        None => Request::get(&url).build().unwrap(),
        Some(body) => Request::post(&url).json(&body).unwrap(),
    };
    let response = request.send().await.expect("the control API answers");
    assert!(
        response.ok(),
        "/test/{path}/ answered {}",
        response.status()
    );
    response.json().await.expect("JSON from the control API")
}

/// A fresh backend: seed data, no sockets, no holds, no recorded attempts.
pub async fn reset() {
    control("reset", Some(serde_json::json!({}))).await;
}

/// Open sockets of `username` on the backend now.
pub async fn open_sockets(username: &str) -> u64 {
    control("connections", None).await["open"][username]
        .as_u64()
        .unwrap_or(0)
}

/// Socket upgrade attempts since the last reset: (accepted, rejected).
pub async fn attempts() -> (usize, usize) {
    let all = control("attempts", None).await;
    let list = all["attempts"].as_array().cloned().unwrap_or_default();
    let accepted = list.iter().filter(|a| a["accepted"] == true).count();
    (accepted, list.len() - accepted)
}

/// Requests waiting on the held `path` now.
pub async fn held(path: &str) -> u64 {
    control("held", None).await["held"][path]
        .as_u64()
        .unwrap_or(0)
}

/// Signs in over the real login endpoint (the seeded users' password) and returns the session.
pub async fn sign_in(username: &str) -> Session {
    let response = Request::post(&format!("{}/api/auth/login/", backend()))
        .json(&serde_json::json!({"username": username, "password": "Passw0rd!"}))
        .unwrap()
        .send()
        .await
        .expect("login answers");
    assert_eq!(response.status(), 200, "login of {username}");
    let answer: LoginResponse = response.json().await.expect("a login answer");
    Session::received(
        answer.token,
        answer.refresh,
        answer.data,
        js_sys::Date::now(),
    )
}

/// A session of the seeded user `finance1` (id 35) with made-up tokens, for tests where no
/// server checks them.
pub fn session_of_finance1(access: &str) -> Session {
    Session::received(
        access.into(),
        "header.payload.refresh".into(),
        herald::protocol::rest::User {
            id: 35,
            username: "finance1".into(),
            role: None,
            can_transfer_budget: None,
        },
        js_sys::Date::now(),
    )
}

/// Sleeps `ms` (lets timers, sockets and fetches make progress; never what a test asserts).
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits until `condition` holds, checking every 20 ms; fails the test after `timeout_ms` (a
/// generous bound, not a measurement).
pub async fn wait_until(what: &str, timeout_ms: f64, mut condition: impl FnMut() -> bool) {
    let started = js_sys::Date::now();
    while !condition() {
        assert!(
            js_sys::Date::now() - started < timeout_ms,
            "timed out waiting for: {what}"
        );
        sleep(20).await;
    }
}

/// [`wait_until`] for a condition that asks the backend.
pub async fn wait_until_async<F, Fut>(what: &str, timeout_ms: f64, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = js_sys::Date::now();
    while !condition().await {
        assert!(
            js_sys::Date::now() - started < timeout_ms,
            "timed out waiting for: {what}"
        );
        sleep(50).await;
    }
}

/// Runs a JS snippet (test setup only).
pub fn js(code: &str) -> wasm_bindgen::JsValue {
    js_sys::eval(code).unwrap_or_else(|e| panic!("JS failed: {e:?}\n{code}"))
}

/// A number the JS snippet evaluates to.
pub fn js_number(code: &str) -> f64 {
    js(code)
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {code}"))
}

/// Wraps `window.fetch` in a counter of requests by method and path (the real fetch still
/// does the work): `fetch_count("POST", "/api/auth/token-refresh/")`. Undone by
/// [`unspy_fetch`].
pub fn spy_fetch() {
    js(r#"(() => {
        if (!globalThis.__realFetch) globalThis.__realFetch = globalThis.fetch;
        globalThis.__fetches = [];
        globalThis.__fetchRewrite = null;
        globalThis.fetch = function (input, init) {
            const request = new Request(input, init);
            globalThis.__fetches.push(request.method + ' ' + new URL(request.url).pathname);
            const rewrite = globalThis.__fetchRewrite;
            return globalThis.__realFetch.call(this, rewrite ? rewrite(request) : request);
        };
    })()"#);
}

/// Requests counted by [`spy_fetch`] for `method` and `path`.
pub fn fetch_count(method: &str, path: &str) -> usize {
    js_number(&format!(
        "globalThis.__fetches.filter(f => f === '{method} {path}').length"
    )) as usize
}

/// Puts the real `window.fetch` back.
pub fn unspy_fetch() {
    js("if (globalThis.__realFetch) { globalThis.fetch = globalThis.__realFetch; globalThis.__fetchRewrite = null; }");
}

/// Clears `localStorage` (and the gateway's memory copies through the wipe).
pub fn clear_storage() {
    herald::services::storage::wipe_user_data();
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

thread_local! {
    static BUSY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A test's turn: see [`serial`]. Dropping it ends the turn.
pub struct Turn;

impl Drop for Turn {
    fn drop(&mut self) {
        BUSY.with(|b| b.set(false));
    }
}

/// wasm-bindgen-test polls async tests concurrently; these share one backend, `localStorage`
/// and global spies, so each waits for its turn. A failing test (a panic never unwinds in
/// wasm, so its turn is never dropped) ends its turn from the panic hook.
pub async fn serial() -> Turn {
    if !HOOKED.with(|h| h.replace(true)) {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            BUSY.with(|b| b.set(false));
            previous(info);
        }));
    }
    let started = js_sys::Date::now();
    // The hook is the way out; the bound only keeps a replaced hook from hanging the run.
    while BUSY.with(|b| b.get()) && js_sys::Date::now() - started < 60_000.0 {
        sleep(50).await;
    }
    BUSY.with(|b| b.set(true));
    Turn
}

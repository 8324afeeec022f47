//! The session service (`SessionService`) against the reference backend: one refresh for
//! concurrent callers, 401 → refresh → retry once, and sign-out while a refresh is on its way.
//! Requests are counted by a wrapper around `window.fetch` that still calls the real one.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use herald::services::session::{SessionChange, SessionService};
use herald::services::storage;
use herald::state::remote::ApiError;
use herald::state::session::Session;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::Callback;

use crate::support::*;

const REFRESH: &str = "/api/auth/token-refresh/";
const NOTIFICATIONS: &str = "/api/auth/Notifications/";

type Changes = Rc<RefCell<Vec<SessionChange>>>;

/// A service restored from `stored` (as after a reload), and what it announces.
fn service_with(stored: &Session) -> (Rc<SessionService>, Changes) {
    clear_storage();
    assert!(storage::save_session(stored));
    let changes: Changes = Rc::default();
    let service = SessionService::new(
        config(),
        Callback::from({
            let changes = changes.clone();
            move |c| changes.borrow_mut().push(c)
        }),
    );
    assert_eq!(service.current().as_ref(), Some(stored));
    (service, changes)
}

/// Starts `service.refresh()` in the background; its result lands in the returned slot.
fn refresh_in_background(
    service: &Rc<SessionService>,
) -> Rc<RefCell<Option<Result<Session, ApiError>>>> {
    let slot = Rc::new(RefCell::new(None));
    let future = service.refresh();
    let out = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *out.borrow_mut() = Some(future.await);
    });
    slot
}

/// Starts a refresh that the backend holds; returns once the request is waiting there.
async fn refresh_held_at_the_backend(
    service: &Rc<SessionService>,
) -> Rc<RefCell<Option<Result<Session, ApiError>>>> {
    hold(REFRESH).await;
    let result = refresh_in_background(service);
    wait_until_async("the refresh reached the backend", 10_000.0, || async {
        held(REFRESH).await == 1
    })
    .await;
    result
}

/// Lets the held refresh answer; its result once settled.
async fn release_and_settle(
    result: &Rc<RefCell<Option<Result<Session, ApiError>>>>,
) -> Result<Session, ApiError> {
    release(REFRESH).await;
    wait_until("the refresh settled", 15_000.0, || {
        result.borrow().is_some()
    })
    .await;
    let settled = result.borrow_mut().take();
    settled.unwrap()
}

async fn hold(path: &str) {
    control("hold", Some(json!({ "path": path }))).await;
}

async fn release(path: &str) {
    control("release", Some(json!({ "path": path }))).await;
}

#[wasm_bindgen_test]
async fn concurrent_callers_share_one_refresh_request() {
    let _turn = serial().await;
    reset().await;
    let signed_in = sign_in("finance1").await;
    let (service, changes) = service_with(&signed_in);
    spy_fetch();
    hold(REFRESH).await;
    let mut results: Vec<_> = (0..3).map(|_| refresh_in_background(&service)).collect();
    wait_until_async("the refresh reached the backend", 10_000.0, || async {
        held(REFRESH).await == 1
    })
    .await;
    // Later callers, while the request is in flight, join it too.
    results.extend((0..2).map(|_| refresh_in_background(&service)));
    sleep(100).await;
    assert_eq!(held(REFRESH).await, 1);
    release(REFRESH).await;
    wait_until("every caller has its answer", 15_000.0, || {
        results.iter().all(|r| r.borrow().is_some())
    })
    .await;
    assert_eq!(fetch_count("POST", REFRESH), 1);
    unspy_fetch();
    let renewed = service.current().expect("still signed in");
    assert_ne!(renewed.access, signed_in.access);
    for r in &results {
        assert_eq!(r.borrow().as_ref().unwrap().as_ref(), Ok(&renewed));
    }
    assert_eq!(storage::load_session().as_ref(), Some(&renewed));
    assert_eq!(
        *changes.borrow(),
        vec![SessionChange::Active(renewed.clone())]
    );
    // The next refresh is a new request, not the settled one again.
    spy_fetch();
    let again = service.refresh().await.expect("a second refresh");
    assert_eq!(fetch_count("POST", REFRESH), 1);
    assert_ne!(again.access, renewed.access);
    unspy_fetch();
    clear_storage();
}

#[wasm_bindgen_test]
async fn a_401_refreshes_then_retries_once_and_a_second_401_is_a_refusal_not_a_sign_out() {
    let _turn = serial().await;
    reset().await;
    let signed_in = sign_in("finance1").await;
    // An access token the server no longer takes (as after the laptop slept past its expiry).
    let stale = Session {
        access: "not.a.token".into(),
        ..signed_in
    };
    let (service, _changes) = service_with(&stale);
    spy_fetch();
    let answer = service
        .clone()
        .authed(|c| Request::get(&c.api_url(NOTIFICATIONS)))
        .await
        .expect("answered after the refresh");
    assert_eq!(answer.status, 200);
    assert_eq!(
        fetch_count("GET", NOTIFICATIONS),
        2,
        "the request, then once more"
    );
    assert_eq!(fetch_count("POST", REFRESH), 1);
    let renewed = service.current().expect("signed in");
    assert_ne!(renewed.access, stale.access);

    // A proxy that strips Authorization: every answer is 401, even with the fresh token. One
    // refresh, one retry, then the refusal; the session stays.
    spy_fetch();
    js(r#"globalThis.__fetchRewrite = (r) => {
        if (!new URL(r.url).pathname.startsWith('/api/auth/Notifications/')) return r;
        const headers = new Headers(r.headers);
        headers.delete('authorization');
        return new Request(r, { headers });
    }"#);
    let refused = service
        .clone()
        .authed(|c| Request::get(&c.api_url(NOTIFICATIONS)))
        .await;
    unspy_fetch();
    assert!(
        matches!(refused, Err(ApiError::Rejected { status: 401, .. })),
        "{refused:?}"
    );
    assert_eq!(fetch_count("GET", NOTIFICATIONS), 2);
    assert_eq!(fetch_count("POST", REFRESH), 1);
    assert!(service.current().is_some(), "not signed out");
    assert!(storage::load_session().is_some());
    clear_storage();
}

#[wasm_bindgen_test]
async fn signing_out_during_a_refresh_the_late_answer_does_not_bring_the_session_back() {
    let _turn = serial().await;
    reset().await;
    let signed_in = sign_in("finance2").await;
    let (service, changes) = service_with(&signed_in);
    let result = refresh_held_at_the_backend(&service).await;
    service.logout();
    assert_eq!(service.current(), None);
    assert_eq!(*changes.borrow(), vec![SessionChange::Ended(None)]);
    assert_eq!(
        release_and_settle(&result).await,
        Err(ApiError::SessionExpired)
    );
    // Whatever is still on its way (the revocation included) has had time to land.
    sleep(500).await;
    assert_eq!(service.current(), None);
    assert_eq!(storage::load_session(), None, "nothing stored");
    assert_eq!(*changes.borrow(), vec![SessionChange::Ended(None)]);
    clear_storage();
}

#[wasm_bindgen_test]
async fn a_refresh_answer_after_another_tab_signed_out_is_revoked_not_stored() {
    let _turn = serial().await;
    reset().await;
    let signed_in = sign_in("finance1").await;
    let (service, changes) = service_with(&signed_in);
    spy_fetch();
    let result = refresh_held_at_the_backend(&service).await;
    // Another tab signs out: storage is wiped, its `storage` event not here yet.
    storage::wipe_user_data();
    assert_eq!(
        release_and_settle(&result).await,
        Err(ApiError::SessionExpired)
    );
    assert_eq!(service.current(), None);
    assert_eq!(storage::load_session(), None, "nothing written back");
    assert_eq!(*changes.borrow(), vec![SessionChange::Ended(None)]);
    // The tokens the late answer carried are revoked at the server.
    wait_until("the new tokens revoked", 10_000.0, || {
        fetch_count("POST", "/api/auth/logout/") >= 1
    })
    .await;
    unspy_fetch();
    clear_storage();
}

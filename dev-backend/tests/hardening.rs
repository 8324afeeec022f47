//! Issue #12's backend items over real HTTP: refresh rotation with blacklisting, stalled
//! endpoints, the `?user_id=` hole only on request, a control API that is loopback-only and
//! CORS-free, and the strict CSP on the served app.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite;

// ---- refresh rotation ----------------------------------------------------------------------

async fn refresh(b: &Backend, token: &str) -> (u16, Value) {
    b.post("/api/auth/token-refresh/", json!({ "refresh": token }))
        .await
}

#[tokio::test]
async fn without_the_flag_a_used_refresh_token_keeps_working() {
    let b = start().await;
    let (_, token) = b.login("finance1").await;
    let (first, body) = refresh(&b, &token).await;
    assert_eq!(first, 200, "{body}");
    assert!(
        body["refresh"].as_str().is_some(),
        "rotation hands out a new one"
    );
    let (second, body) = refresh(&b, &token).await;
    assert_eq!(second, 200, "SimpleJWT's default: {body}");
}

#[tokio::test]
async fn with_blacklist_after_rotation_a_used_refresh_token_is_spent() {
    let b = start_with(|o| o.blacklist_after_rotation = true).await;
    let (_, token) = b.login("finance1").await;
    let (status, body) = refresh(&b, &token).await;
    assert_eq!(status, 200, "{body}");
    let rotated = body["refresh"].as_str().unwrap().to_owned();
    let (status, body) = refresh(&b, &token).await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"error": "Invalid or expired refresh token"}));
    let (status, body) = refresh(&b, &rotated).await;
    assert_eq!(status, 200, "the rotated token works once: {body}");
    let (status, _) = refresh(&b, &rotated).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn of_racing_refreshes_with_one_token_only_one_wins_when_blacklisting() {
    let b = start_with(|o| o.blacklist_after_rotation = true).await;
    let (_, token) = b.login("finance1").await;
    let results = futures_util::future::join_all((0..6).map(|_| refresh(&b, &token))).await;
    let ok = results.iter().filter(|(s, _)| *s == 200).count();
    let refused = results.iter().filter(|(s, _)| *s == 401).count();
    assert_eq!((ok, refused), (1, 5), "{results:?}");
}

// ---- the ?user_id= hole ----------------------------------------------------------------------

#[tokio::test]
async fn without_the_flag_user_id_in_the_query_opens_nothing_but_is_recorded() {
    let b = start().await;
    match tokio_tungstenite::connect_async(b.ws_url("?user_id=36")).await {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status().as_u16(), 403),
        Err(e) => panic!("expected HTTP 403, got {e}"),
        Ok(_) => panic!("the hole is open without --user-id-query-hole"),
    }
    // With a token, the token's user is the one served, whatever user_id says.
    let (access, _) = b.login("finance1").await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(b.ws_url(&format!("?token={access}&user_id=36")))
            .await
            .unwrap();
    assert_eq!(next_json(&mut ws).await["user_id"], 35);
    let a = b.attempts().await;
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["accepted"], false);
    assert_eq!(a[0]["reason"], "missing token");
    assert_eq!(a[0]["user_id_in_query"], true);
    assert_eq!(a[1]["accepted"], true);
    assert_eq!(a[1]["user_id_in_query"], true);
}

// ---- the control API: loopback Host only, never CORS ------------------------------------------

async fn health_with_host(b: &Backend, host: &str) -> u16 {
    b.http
        .get(b.url("/test/health/"))
        .header("host", host)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn control_answers_only_a_loopback_host() {
    let b = start().await;
    let port = b.server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("127.9.8.7:{port}"),
        format!("[::1]:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        assert_eq!(health_with_host(&b, &host).await, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("localhost.evil.example:{port}"),
        format!("10.0.0.5:{port}"),
        format!("0.0.0.0:{port}"),
        format!("[::2]:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        assert_eq!(health_with_host(&b, &host).await, 404, "{host}");
    }
    // A wrong Host sees no /test/ at all, whatever the method.
    let r = b
        .http
        .get(b.url("/test/reset/"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    // The API itself does not care about the Host.
    let (status, _) = b
        .post(
            "/api/auth/login/",
            json!({"username": "finance1", "password": "Passw0rd!"}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn control_refuses_browser_requests_from_other_sites() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let _ws = b.socket(&access).await;
    let with_origin = |origin: &'static str| {
        b.http
            .post(b.url("/test/drop/"))
            .header("origin", origin)
            .header("content-type", "text/plain")
            .body("{}")
    };
    // A simple (preflight-free) POST from another site's page acts on nothing.
    for origin in ["https://evil.example", "http://10.0.0.5:8000", "null"] {
        let r = with_origin(origin).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{origin}");
    }
    assert_eq!(b.connections().await["open"]["finance1"], 1);
    // A page of this machine may.
    let r = b
        .http
        .post(b.url("/test/drop/"))
        .header("origin", "http://localhost:5173")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    eventually(|| async {
        b.connections().await["open"]["finance1"]
            .as_u64()
            .unwrap_or(0)
            == 0
    })
    .await;
}

/// Issue #20 item 9: a page of this machine (a loopback `Origin`, which the Origin check lets
/// through) can send a "simple" POST without a preflight: `text/plain`, a form type, or no
/// type at all. The control API refuses every POST that is not `application/json` (which a
/// browser sends cross-origin only after a preflight `/test/` never grants) before it acts.
#[tokio::test]
async fn control_posts_must_be_json_or_nothing_happens() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let _ws = b.socket(&access).await;
    let (_, row) = b
        .post(
            "/test/notify/",
            json!({"username": "finance1", "eng_message": "Kept", "ara_message": "باق"}),
        )
        .await;
    b.post("/test/hold/", json!({ "path": LIST })).await;
    let attempts = b.attempts().await.len();
    assert_eq!(attempts, 1);

    let simple = |content_type: Option<&'static str>, origin: Option<&'static str>| {
        let mut r = b.http.post(b.url("/test/reset/")).body("{}");
        if let Some(t) = content_type {
            r = r.header("content-type", t);
        }
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        r.send()
    };
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        for origin in [
            Some("http://localhost:5173"),
            Some("http://127.0.0.1:3000"),
            None,
        ] {
            let r = simple(content_type, origin).await.unwrap();
            assert_eq!(r.status().as_u16(), 415, "{content_type:?} from {origin:?}");
            assert!(cors_headers(&r).is_empty(), "{:?}", r.headers());
        }
    }
    // Every other POST too (reset is only the worst of them).
    let r = b
        .http
        .post(b.url("/test/drop/"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);

    // Nothing was reset or dropped: the socket, the recorded attempts, the hold and the row.
    assert_eq!(b.connections().await["open"]["finance1"], 1);
    assert_eq!(b.attempts().await.len(), attempts);
    assert_eq!(held(&b).await, json!({ LIST: 0 }));
    b.post("/test/release/", json!({ "path": LIST })).await;
    let (_, rows) = b.authed(Method::GET, LIST, &access).await;
    assert!(
        rows["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == row["id"]),
        "{rows}"
    );

    // JSON, with or without parameters, is what the control API takes; GETs need no type.
    let r = b
        .http
        .post(b.url("/test/reset/"))
        .header("content-type", "Application/JSON; charset=utf-8")
        .header("origin", "http://localhost:5173")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(b.attempts().await.len(), 0, "a JSON reset resets");
    assert_eq!(
        b.http
            .get(b.url("/test/health/"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn control_without_a_host_header_is_not_found() {
    let b = start().await;
    let mut tcp = tokio::net::TcpStream::connect(b.server.addr).await.unwrap();
    tcp.write_all(b"GET /test/health/ HTTP/1.0\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.0 404"), "{answer}");
}

fn cors_headers(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

async fn preflight(b: &Backend, path: &str) -> reqwest::Response {
    b.http
        .request(Method::OPTIONS, b.url(path))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn control_responses_never_carry_cors_headers() {
    for control in [true, false] {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(dist.path().join("index.html"), "<title>Herald</title>").unwrap();
        let path = dist.path().to_path_buf();
        let b = start_with(|o| {
            o.control = control;
            o.dist = Some(path);
        })
        .await;
        // The API is CORS-enabled (what makes the check below meaningful).
        let api = preflight(&b, "/api/auth/login/").await;
        assert!(!cors_headers(&api).is_empty(), "API preflight has CORS");
        for path in ["/test/reset/", "/test/health/", "/test/no-such/", "/test/"] {
            let r = preflight(&b, path).await;
            assert!(
                cors_headers(&r).is_empty(),
                "preflight {path} (control {control}): {:?}",
                r.headers()
            );
            assert!(!r.status().is_success(), "preflight {path}: {}", r.status());
            let r = b
                .http
                .get(b.url(path))
                .header("origin", "https://evil.example")
                .send()
                .await
                .unwrap();
            assert!(cors_headers(&r).is_empty(), "GET {path}: {:?}", r.headers());
        }
        for (origin, ok) in [
            ("http://127.0.0.1:3000", 200),
            ("https://evil.example", 404),
        ] {
            let r = b
                .http
                .post(b.url("/test/reset/"))
                .header("origin", origin)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let expected = if control { ok } else { 404 };
            assert_eq!(r.status().as_u16(), expected, "{origin}");
            assert!(cors_headers(&r).is_empty(), "{:?}", r.headers());
        }
    }
}

#[test]
fn loopback_hosts() {
    use dev_backend::is_loopback_host as lo;
    for yes in [
        "127.0.0.1",
        "127.0.0.1:8000",
        "127.1.2.3",
        "localhost",
        "localhost:1",
        "[::1]",
        "[::1]:80",
        "::1",
        "localhost.",
    ] {
        assert!(lo(yes), "{yes}");
    }
    for no in [
        "0.0.0.0",
        "::",
        "[::]:80",
        "10.0.0.1",
        "example.org",
        "localhost.example.org",
        "",
        "[::1",
        "[::1]x",
        "128.0.0.1",
    ] {
        assert!(!lo(no), "{no}");
    }
}

// ---- hold / release / held -------------------------------------------------------------------

async fn held(b: &Backend) -> Value {
    b.http
        .get(b.url("/test/held/"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["held"]
        .clone()
}

async fn wait_held(b: &Backend, path: &str, n: u64) {
    eventually(|| async { held(b).await[path] == json!(n) }).await;
}

const LIST: &str = "/api/auth/Notifications/";

#[tokio::test]
async fn a_held_endpoint_waits_for_its_user_until_released() {
    let b = start().await;
    let (a1, _) = b.login("finance1").await;
    let (a2, _) = b.login("finance2").await;
    let (s, body) = b
        .post("/test/hold/", json!({"path": LIST, "username": "finance1"}))
        .await;
    assert_eq!((s, body), (200, json!({"ok": true})));
    assert_eq!(held(&b).await, json!({ LIST: 0 }));

    let url = b.url(LIST);
    let http = b.http.clone();
    let waiting = tokio::spawn(async move {
        let r = http.get(url).bearer_auth(a1).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    });
    wait_held(&b, LIST, 1).await;
    // Another user, another path: not held.
    let (s, _) = b.authed(Method::GET, LIST, &a2).await;
    assert_eq!(s, 200);
    let (s, _) = b
        .authed(Method::GET, "/api/auth/Notifications/unread", &a2)
        .await;
    assert_eq!(s, 200);
    assert!(!waiting.is_finished(), "finance1's request is still held");
    assert_eq!(held(&b).await, json!({ LIST: 1 }));

    let (s, body) = b.post("/test/release/", json!({ "path": LIST })).await;
    assert_eq!((s, body), (200, json!({"released": 1})));
    let (status, rows) = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("released within 5 s")
        .unwrap();
    assert_eq!(status, 200);
    assert!(rows["notifications"].as_array().is_some());
    assert_eq!(held(&b).await, json!({}));
    // Released for good.
    let (a1, _) = b.login("finance1").await;
    assert_eq!(b.authed(Method::GET, LIST, &a1).await.0, 200);
}

#[tokio::test]
async fn a_hold_without_username_holds_everybody_and_anonymous_requests() {
    let b = start().await;
    b.post("/test/hold/", json!({"path": LIST})).await;
    let mut waiting = Vec::new();
    for token in [
        b.login("finance1").await.0,
        b.login("finance2").await.0,
        String::new(),
    ] {
        let (url, http) = (b.url(LIST), b.http.clone());
        waiting.push(tokio::spawn(async move {
            let mut r = http.get(url);
            if !token.is_empty() {
                r = r.bearer_auth(token);
            }
            r.send().await.unwrap().status().as_u16()
        }));
    }
    wait_held(&b, LIST, 3).await;
    let (_, body) = b.post("/test/release/", json!({ "path": LIST })).await;
    assert_eq!(body, json!({"released": 3}));
    let mut statuses = Vec::new();
    for w in waiting {
        statuses.push(w.await.unwrap());
    }
    assert_eq!(statuses, vec![200, 200, 401]);
}

#[tokio::test]
async fn the_socket_upgrade_is_held_by_its_token_user() {
    let b = start().await;
    let (a1, _) = b.login("finance1").await;
    let (a2, _) = b.login("finance2").await;
    let path = "/ws/notifications/";
    b.post("/test/hold/", json!({"path": path, "username": "finance1"}))
        .await;
    let url = b.ws_url(&format!("?token={a1}"));
    let upgrade = tokio::spawn(async move { tokio_tungstenite::connect_async(url).await });
    wait_held(&b, path, 1).await;
    // finance2 connects at once (`socket` reads its connection_established).
    drop(b.socket(&a2).await);
    assert!(!upgrade.is_finished());
    let (_, body) = b.post("/test/release/", json!({ "path": path })).await;
    assert_eq!(body, json!({"released": 1}));
    let (mut ws, _) = upgrade.await.unwrap().expect("upgraded after release");
    assert_eq!(next_json(&mut ws).await["user_id"], 35);
}

#[tokio::test]
async fn a_refresh_is_held_by_its_refresh_token_user() {
    let b = start().await;
    let (_, r1) = b.login("finance1").await;
    let (_, r2) = b.login("finance2").await;
    let path = "/api/auth/token-refresh/";
    b.post("/test/hold/", json!({"path": path, "username": "finance1"}))
        .await;
    let (url, http) = (b.url(path), b.http.clone());
    let waiting = tokio::spawn(async move {
        http.post(url)
            .json(&json!({ "refresh": r1 }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    wait_held(&b, path, 1).await;
    assert_eq!(refresh(&b, &r2).await.0, 200, "finance2 refreshes at once");
    // The held request's body reaches the handler intact after release.
    b.post("/test/release/", json!({ "path": path })).await;
    assert_eq!(waiting.await.unwrap(), 200);
}

#[tokio::test]
async fn a_client_that_gives_up_leaves_the_count_and_the_server_healthy() {
    let b = start().await;
    let (a1, _) = b.login("finance1").await;
    b.post("/test/hold/", json!({ "path": LIST })).await;
    let mut tcp = tokio::net::TcpStream::connect(b.server.addr).await.unwrap();
    let request =
        format!("GET {LIST} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {a1}\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    // And one through a client with a deadline.
    let short = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let given_up = short.get(b.url(LIST)).bearer_auth(&a1).send().await;
    assert!(given_up.unwrap_err().is_timeout());
    wait_held(&b, LIST, 1).await;
    drop(tcp);
    wait_held(&b, LIST, 0).await;
    let (_, body) = b.post("/test/release/", json!({ "path": LIST })).await;
    assert_eq!(body, json!({"released": 0}));
    assert_eq!(b.authed(Method::GET, LIST, &a1).await.0, 200);
}

#[tokio::test]
async fn reset_lets_every_held_request_through_and_clears_holds() {
    let b = start().await;
    let (a1, _) = b.login("finance1").await;
    b.post("/test/hold/", json!({ "path": LIST })).await;
    b.post("/test/hold/", json!({"path": "/api/auth/login/"}))
        .await;
    let (url, http) = (b.url(LIST), b.http.clone());
    let waiting =
        tokio::spawn(async move { http.get(url).bearer_auth(a1).send().await.unwrap().status() });
    let (url, http) = (b.url("/api/auth/login/"), b.http.clone());
    let login = tokio::spawn(async move {
        http.post(url)
            .json(&json!({"username": "finance2", "password": "Passw0rd!"}))
            .send()
            .await
            .unwrap()
            .status()
    });
    wait_held(&b, LIST, 1).await;
    wait_held(&b, "/api/auth/login/", 1).await;
    b.post("/test/reset/", json!({})).await;
    assert_eq!(held(&b).await, json!({}));
    assert_eq!(waiting.await.unwrap().as_u16(), 200);
    assert_eq!(login.await.unwrap().as_u16(), 200);
}

#[tokio::test]
async fn holds_reject_control_paths_and_relative_paths() {
    let b = start().await;
    for path in ["/test/reset/", "api/auth/login/"] {
        let (s, _) = b.post("/test/hold/", json!({ "path": path })).await;
        assert_eq!(s, 400, "{path}");
    }
    assert_eq!(held(&b).await, json!({}));
}

// ---- the strict CSP on the served app ----------------------------------------------------------

#[tokio::test]
async fn the_app_is_served_with_the_strict_csp_and_companions() {
    let dist = tempfile::tempdir().unwrap();
    let inline = "\nimport init from '/herald-1.js';\nawait init();\n";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><script type=\"module\">{inline}</script><title>Herald</title>"),
    )
    .unwrap();
    std::fs::write(dist.path().join("herald-1.js"), "export default 1").unwrap();
    let path = dist.path().to_path_buf();
    let b = start_with(|o| o.dist = Some(path)).await;
    let port = b.server.addr.port();
    let hash = dev_backend::csp::inline_script_hashes(&format!("<script>{inline}</script>"));
    assert_eq!(hash.len(), 1);
    let expected = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         connect-src 'self' http://127.0.0.1:{port} ws://127.0.0.1:{port}; img-src 'self' data:; \
         font-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'none'; \
         frame-ancestors 'none'",
        hash[0]
    );
    for p in ["/", "/login", "/herald-1.js", "/missing.wasm"] {
        let r = b.http.get(b.url(p)).send().await.unwrap();
        let h = r.headers();
        assert_eq!(h["content-security-policy"], expected.as_str(), "{p}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{p}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{p}");
    }
    // Another name for this host: the policy names what the browser used.
    let r = b
        .http
        .get(b.url("/"))
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    let policy = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains(&format!("ws://localhost:{port}")),
        "{policy}"
    );
    // A rebuilt index.html is picked up.
    std::fs::write(
        dist.path().join("index.html"),
        "<script>console.log('new build')</script>",
    )
    .unwrap();
    eventually(|| async {
        let r = b.http.get(b.url("/")).send().await.unwrap();
        let p = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        !p.contains(&hash[0])
    })
    .await;
    // The API carries nosniff, but no page policy.
    let r = b
        .http
        .post(b.url("/api/auth/login/"))
        .json(&json!({"username": "finance1", "password": "Passw0rd!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().get("content-security-policy").is_none());
}

#[tokio::test]
async fn the_service_worker_is_javascript_never_cached_without_asking_and_allowed_by_the_csp() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<title>Herald</title>").unwrap();
    std::fs::write(
        dist.path().join("sw.js"),
        "importScripts('sw-manifest.js');",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("sw-manifest.js"),
        "self.heraldPrecache = {};",
    )
    .unwrap();
    std::fs::write(dist.path().join("herald-1.js"), "export default 1").unwrap();
    let path = dist.path().to_path_buf();
    let b = start_with(|o| o.dist = Some(path)).await;
    for p in ["/sw.js", "/sw-manifest.js"] {
        let r = b.http.get(b.url(p)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{p}");
        let h = r.headers();
        assert!(
            h["content-type"].to_str().unwrap().contains("javascript"),
            "{p}: {:?}",
            h["content-type"]
        );
        assert_eq!(h["cache-control"], "no-cache", "{p}");
        let policy = h["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("; worker-src 'self';"), "{policy}");
    }
    // Hashed assets may be cached for long: no such header.
    let r = b.http.get(b.url("/herald-1.js")).send().await.unwrap();
    assert!(r.headers().get("cache-control").is_none());
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("worker-src 'self'"));
}

//! Socket contract over real WebSockets (shared/PROTOCOL.md, "Socket").

mod common;

use std::time::Duration;

use common::*;
use futures_util::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::{self, Message};

async fn rejected_with_403(b: &Backend, query: &str) {
    match tokio_tungstenite::connect_async(b.ws_url(query)).await {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status().as_u16(), 403, "{query}"),
        Err(e) => panic!("{query}: expected HTTP 403, got {e}"),
        Ok(_) => panic!("{query}: accepted"),
    }
}

#[tokio::test]
async fn accepts_an_access_token_and_greets_first() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let (mut ws, _) = tokio_tungstenite::connect_async(b.ws_url(&format!("?token={access}")))
        .await
        .unwrap();
    let hello = next_json(&mut ws).await;
    assert_eq!(
        hello,
        json!({"type": "connection_established", "message": "WebSocket connected successfully", "user_id": 35})
    );
}

#[tokio::test]
async fn rejects_before_accept_with_403() {
    let b = start_with(|o| o.access_ttl = 1).await;
    let (access, refresh) = b.login("finance1").await;
    rejected_with_403(&b, "").await;
    rejected_with_403(&b, "?token=").await;
    rejected_with_403(&b, "?token=not.a.jwt").await;
    // The signature's first character changed (six whole bits of it: still valid base64url;
    // its last character also holds padding bits a strict decoder refuses as malformed).
    let sig = access.rfind('.').unwrap() + 1;
    let mut tampered = access.clone();
    let swap = if access[sig..].starts_with('A') {
        "B"
    } else {
        "A"
    };
    tampered.replace_range(sig..sig + 1, swap);
    rejected_with_403(&b, &format!("?token={tampered}")).await;
    rejected_with_403(&b, &format!("?token={refresh}")).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    rejected_with_403(&b, &format!("?token={access}")).await;
    let attempts = b.attempts().await;
    let reasons: Vec<&str> = attempts
        .iter()
        .map(|a| a["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "missing token",
            "missing token",
            "malformed token",
            "bad signature",
            "wrong token type",
            "expired token"
        ]
    );
}

#[tokio::test]
async fn rejects_a_valid_token_of_an_unknown_user() {
    // A genuine token whose user was removed while the server was down.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let b = start_with(|o| o.data = path.clone()).await;
    let (access, _) = b.login("finance2").await;
    b.server.stop();
    assert!(delete_user(&path, "finance2"));
    let b = start_with(|o| o.data = path.clone()).await;
    rejected_with_403(&b, &format!("?token={access}")).await;
    let attempts = b.attempts().await;
    assert_eq!(attempts[0]["reason"], "unknown user");
}

fn delete_user(path: &std::path::Path, username: &str) -> bool {
    let db = dev_backend::db::Db::open(path).unwrap();
    db.delete_user_for_tests(username).unwrap()
}

#[tokio::test]
async fn an_open_socket_outlives_its_token() {
    let b = start_with(|o| o.access_ttl = 1).await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    b.post(
        "/test/emit/",
        json!({"username": "finance1", "frame": {"type": "notification", "message": "still here"}}),
    )
    .await;
    assert_eq!(next_json(&mut ws).await["message"], "still here");
}

#[tokio::test]
async fn ping_gets_pong_with_the_same_timestamp_and_other_frames_are_ignored() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    send_json(
        &mut ws,
        json!({"type": "ping", "timestamp": "2025-12-30T12:40:49.474Z"}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await,
        json!({"type": "pong", "timestamp": "2025-12-30T12:40:49.474Z"})
    );
    send_json(
        &mut ws,
        json!({"type": "ping", "timestamp": 1735562449474_i64}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await,
        json!({"type": "pong", "timestamp": 1735562449474_i64})
    );
    use futures_util::SinkExt;
    ws.send(Message::Text("not json".into())).await.unwrap();
    send_json(&mut ws, json!({"type": "subscribe", "user_id": 36})).await;
    assert_silent(&mut ws, 300).await;
    send_json(&mut ws, json!({"type": "ping", "timestamp": "x"})).await;
    assert_eq!(
        next_json(&mut ws).await["type"],
        "pong",
        "still alive after junk"
    );
}

#[tokio::test]
async fn pong_can_be_switched_off_for_a_half_open_connection() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    b.post("/test/pong/", json!({"enabled": false})).await;
    send_json(&mut ws, json!({"type": "ping", "timestamp": "a"})).await;
    assert_silent(&mut ws, 300).await;
    b.post("/test/pong/", json!({"enabled": true})).await;
    send_json(&mut ws, json!({"type": "ping", "timestamp": "b"})).await;
    assert_eq!(next_json(&mut ws).await["timestamp"], "b");
}

#[tokio::test]
async fn every_socket_of_a_user_gets_every_event_and_nobody_else_does() {
    let b = start().await;
    let (a1, _) = b.login("finance1").await;
    let (a2, _) = b.login("finance2").await;
    let mut tab1 = b.socket(&a1).await;
    let mut tab2 = b.socket(&a1).await;
    let mut other = b.socket(&a2).await;
    let c = b.connections().await;
    assert_eq!(c["open"]["finance1"], 2);
    assert_eq!(c["peak"]["finance1"], 2);
    let (s, body) = b.post("/test/notify/", json!({"username": "finance1", "eng_message": "Hello", "ara_message": "مرحبا", "transaction_id": 860, "code": "FAR-0016"})).await;
    assert_eq!(s, 200);
    assert_eq!(body["sockets"], 2);
    for ws in [&mut tab1, &mut tab2] {
        let f = next_json(ws).await;
        assert_eq!(f["type"], "notification");
        assert_eq!(f["eng_message"], "Hello");
        assert_eq!(f["id"], body["id"]);
    }
    assert_silent(&mut other, 200).await;
}

#[tokio::test]
async fn notify_persists_and_pushes_the_flattened_shape() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let (_, body) = b.post("/test/notify/", json!({"username": "finance1", "eng_message": "New budget transfer request created with code FAR-0016", "ara_message": "تم إنشاء طلب", "transaction_id": 860, "code": "FAR-0016"})).await;
    let f = next_json(&mut ws).await;
    for key in [
        "message",
        "eng_message",
        "ara_message",
        "timestamp",
        "id",
        "is_read",
        "created_at",
        "is_shown",
        "is_system_read",
        "Transaction_id",
        "type_of_Trasnction",
        "Type_of_action",
        "code",
    ] {
        assert!(f.get(key).is_some(), "missing {key} in {f}");
    }
    assert_eq!(f["Transaction_id"], 860);
    assert_eq!(f["code"], "FAR-0016");
    // Socket timestamps are naive local time: no offset, no Z.
    let ts = f["timestamp"].as_str().unwrap();
    assert!(chrono_like_naive(ts), "{ts}");
    let created = f["created_at"].as_str().unwrap();
    assert!(created.ends_with("+00:00"), "{created}");
    let (_, rows) = b
        .authed(reqwest::Method::GET, "/api/auth/Notifications/", &access)
        .await;
    assert_eq!(rows["notifications"][0]["id"], body["id"]);
    assert_eq!(rows["notifications"][0]["Transaction_id"], 860);
}

fn chrono_like_naive(ts: &str) -> bool {
    ts.len() == 26 && ts.as_bytes()[10] == b'T' && !ts.ends_with('Z') && !ts[19..].contains('+')
}

#[tokio::test]
async fn emit_and_raw_push_anything_as_is() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let nested = json!({"type": "notification", "message": "New budget transfer request created with code FAR-0016", "data": {"transaction_id": 860, "code": "FAR-0016"}, "timestamp": "2025-12-30T12:40:49.474292"});
    b.post(
        "/test/emit/",
        json!({"username": "finance1", "frame": nested.clone()}),
    )
    .await;
    assert_eq!(next_json(&mut ws).await, nested);
    b.post(
        "/test/raw/",
        json!({"username": "finance1", "text": "<b>not json"}),
    )
    .await;
    assert_eq!(next_text(&mut ws).await, "<b>not json");
}

#[tokio::test]
async fn oracle_jobs_run_started_progress_completed_or_failed() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let (s, _) = b.post("/test/oracle/", json!({"username": "finance1", "transaction_id": 602, "steps": ["Journal Upload to UCM", "Interface Loader"], "step_ms": 10})).await;
    assert_eq!(s, 202);
    let mut kinds = vec![];
    loop {
        let f = next_json(&mut ws).await;
        assert_eq!(f["transaction_id"], 602);
        let t = f["type"].as_str().unwrap().to_owned();
        if t == "oracle_upload_progress" {
            assert_eq!(f["total_steps"], 2);
            kinds.push(format!(
                "{}:{}:{}",
                f["step_number"],
                f["step"].as_str().unwrap(),
                f["status"].as_str().unwrap()
            ));
        } else {
            kinds.push(t.clone());
        }
        if t == "oracle_upload_completed" {
            assert_eq!(f["success"], true);
            assert!(f["result_path"].is_string());
            break;
        }
    }
    assert_eq!(
        kinds,
        [
            "oracle_upload_started",
            "1:Journal Upload to UCM:processing",
            "1:Journal Upload to UCM:completed",
            "2:Interface Loader:processing",
            "2:Interface Loader:completed",
            "oracle_upload_completed"
        ]
    );

    b.post("/test/oracle/", json!({"username": "finance1", "transaction_id": 603, "steps": ["A", "B", "C"], "step_ms": 10, "fail_at": 2, "error": "Interface loader timeout"})).await;
    let mut last = json!(null);
    while last["type"] != "oracle_upload_failed" {
        last = next_json(&mut ws).await;
        assert_ne!(last["type"], "oracle_upload_completed");
    }
    assert_eq!(last["error"], "Interface loader timeout");

    b.post("/test/oracle/", json!({"username": "finance1", "transaction_id": 604, "step_ms": 10, "with_progress": false})).await;
    assert_eq!(next_json(&mut ws).await["type"], "oracle_upload_started");
    assert_eq!(next_json(&mut ws).await["type"], "oracle_upload_completed");
    // Started and outcome are persisted with the same Transaction_id.
    let (_, rows) = b
        .authed(reqwest::Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let for_604 = rows["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["Transaction_id"] == 604)
        .count();
    assert_eq!(for_604, 2);
}

#[tokio::test]
async fn flood_delivers_every_frame_in_order_fast() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let reader = tokio::spawn(async move {
        let mut seqs = Vec::new();
        while seqs.len() < 2000 {
            let f = next_json(&mut ws).await;
            seqs.push(f["seq"].as_u64().unwrap());
        }
        seqs
    });
    let (s, body) = b
        .post(
            "/test/flood/",
            json!({"username": "finance1", "count": 2000}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(body["sent"], 2000);
    let seqs = reader.await.unwrap();
    assert_eq!(seqs, (1..=2000).collect::<Vec<u64>>());
}

#[tokio::test]
async fn a_lossy_flood_drops_what_the_buffer_cannot_hold_and_rest_has_every_row() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let (s, body) = b
        .post(
            "/test/flood/",
            json!({"username": "finance1", "count": 2000, "lossy": true}),
        )
        .await;
    assert_eq!(s, 200);
    let dropped = body["dropped"].as_u64().unwrap();
    assert!(dropped > 0 && dropped < 2000, "{body}");
    // What arrives is what was not dropped, in order, then silence.
    let mut last = 0;
    for _ in 0..2000 - dropped {
        let seq = next_json(&mut ws).await["seq"].as_u64().unwrap();
        assert!(seq > last);
        last = seq;
    }
    assert_silent(&mut ws, 300).await;
    let (_, unread) = b
        .authed(
            reqwest::Method::GET,
            "/api/auth/Notifications/unread",
            &access,
        )
        .await;
    assert_eq!(unread["count"], 2002, "every row persisted");
}

#[tokio::test]
async fn notify_can_push_a_persisted_row_in_the_nested_shape_or_both() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let note = |shape: &str| {
        json!({"username": "finance1", "eng_message": format!("Shape {shape}"),
            "transaction_id": 860, "code": "FAR-0016", "shape": shape})
    };
    let (_, body) = b.post("/test/notify/", note("nested")).await;
    let id = body["id"].as_i64().unwrap();
    let f = next_json(&mut ws).await;
    assert_eq!(f["message"], "Shape nested");
    assert_eq!(
        f["data"],
        json!({"transaction_id": 860, "code": "FAR-0016"})
    );
    assert!(f.get("id").is_none(), "{f}");
    let (_, body) = b.post("/test/notify/", note("both")).await;
    let both = body["id"].as_i64().unwrap();
    assert!(next_json(&mut ws).await.get("id").is_none());
    let flat = next_json(&mut ws).await;
    assert_eq!(
        (flat["id"].as_i64(), &flat["message"]),
        (Some(both), &json!("Shape both"))
    );
    assert_eq!(flat["Transaction_id"], 860);
    let (_, list) = b
        .authed(reqwest::Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let ids: Vec<i64> = list["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&id) && ids.contains(&both), "{ids:?}");
}

#[tokio::test]
async fn stream_paces_frames_and_stops_on_reset() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let started = std::time::Instant::now();
    let (s, body) = b
        .post(
            "/test/stream/",
            json!({"username": "finance1", "count": 5, "interval_ms": 40}),
        )
        .await;
    assert_eq!((s, body["scheduled"].as_u64()), (200, Some(5)));
    for seq in 1..=5u64 {
        let f = next_json(&mut ws).await;
        assert_eq!(f["type"], "notification");
        assert_eq!(f["seq"], seq);
        assert_eq!(f["message"], format!("Stream message {seq}"));
        assert_eq!(f["data"]["code"], format!("STR-{seq:05}"));
    }
    // The first tick is immediate, then one every 40 ms.
    assert!(started.elapsed() >= Duration::from_millis(160));
    // A long stream ends at the next reset.
    b.post(
        "/test/stream/",
        json!({"username": "finance1", "count": 1000, "interval_ms": 20}),
    )
    .await;
    let first = next_json(&mut ws).await;
    assert_eq!(first["seq"], 1);
    b.post("/test/reset/", json!({})).await;
    // Reset closes every socket; a new one must see no frame of the old stream.
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    let late = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) if t.contains("Stream message") => return,
                Some(Ok(_)) => continue,
                _ => std::future::pending::<()>().await,
            }
        }
    })
    .await;
    assert!(late.is_err(), "stream frames kept coming after a reset");
}

#[tokio::test]
async fn drop_closes_every_socket_with_the_asked_code() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    b.post("/test/drop/", json!({"code": 1001})).await;
    let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    match msg {
        Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 1001),
        other => panic!("expected a close frame, got {other:?}"),
    }
    eventually(|| async { b.connections().await["open"].get("finance1").is_none() }).await;
    assert_eq!(b.connections().await["peak"]["finance1"], 1);
    b.post("/test/peak-reset/", json!({})).await;
    assert!(b.connections().await["peak"].get("finance1").is_none());
}

#[tokio::test]
async fn bounded_buffer_drops_silently_beyond_capacity() {
    let b = start_with(|o| o.channel_capacity = 4).await;
    let (access, _) = b.login("finance1").await;
    let _ws = b.socket(&access).await; // never read: its buffer fills up
    for i in 0..5000 {
        b.post("/test/emit/", json!({"username": "finance1", "frame": {"type": "notification", "message": "x".repeat(1000), "n": i}})).await;
        if b.connections().await["dropped_frames"].as_u64().unwrap() > 0 {
            return;
        }
    }
    panic!("nothing was ever dropped");
}

#[tokio::test]
async fn the_user_id_query_hole_is_reproduced_on_request_and_recorded() {
    let b = start_with(|o| o.user_id_query_hole = true).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(b.ws_url("?user_id=36"))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["user_id"], 36);
    let attempts = b.attempts().await;
    assert_eq!(attempts[0]["user_id_in_query"], true);
}

#[tokio::test]
async fn reset_closes_sockets_and_restores_the_seed() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let mut ws = b.socket(&access).await;
    b.authed(
        reqwest::Method::PUT,
        "/api/auth/Notifications/read_all",
        &access,
    )
    .await;
    b.post("/test/reset/", json!({})).await;
    let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap();
    assert!(matches!(msg, Some(Ok(Message::Close(_))) | None));
    let (_, unread) = b
        .authed(
            reqwest::Method::GET,
            "/api/auth/Notifications/unread",
            &access,
        )
        .await;
    assert_eq!(unread["count"], 2);
}

#[tokio::test]
async fn control_api_is_absent_without_the_flag() {
    let b = start_with(|o| o.control = false).await;
    let r = b.http.get(b.url("/test/health/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn serves_dist_with_spa_fallback_and_real_404s_for_assets() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Herald</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("app-123.js"), "console.log(1)").unwrap();
    let path = dist.path().to_path_buf();
    let b = start_with(|o| o.dist = Some(path)).await;
    for (p, status, contains) in [
        ("/", 200, "Herald"),
        ("/login", 200, "Herald"),
        ("/some/deep/link", 200, "Herald"),
        ("/app-123.js", 200, "console"),
        ("/missing-456.wasm", 404, ""),
        ("/missing.js", 404, ""),
        ("/config.json", 404, ""),
    ] {
        let r = b.http.get(b.url(p)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{p}");
        assert!(r.text().await.unwrap().contains(contains), "{p}");
    }
}

#[tokio::test]
async fn reset_stops_jobs_started_before_it() {
    let b = start().await;
    b.post(
        "/test/oracle/",
        json!({"username": "finance1", "transaction_id": 77, "steps": ["A", "B"], "step_ms": 150}),
    )
    .await;
    b.post("/test/reset/", json!({})).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (access, _) = b.login("finance1").await;
    let (_, rows) = b
        .authed(reqwest::Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let for_77 = rows["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["Transaction_id"] == 77)
        .count();
    assert_eq!(for_77, 0, "the old job wrote nothing into the fresh seed");
}

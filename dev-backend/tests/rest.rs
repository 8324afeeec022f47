//! REST contract over real HTTP (shared/PROTOCOL.md, "Auth" and "Notification history").

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn login_answers_the_production_shape_and_lowercases_the_username() {
    let b = start().await;
    let (status, body) = b
        .post(
            "/api/auth/login/",
            json!({"username": "  FiNaNcE1 ", "password": "Passw0rd!"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"],
        json!({"id": 35, "username": "finance1", "role": "user", "can_transfer_budget": true})
    );
    assert_eq!(body["message"], "Login successful.");
    assert_eq!(body["user_level"], 2);
    assert_eq!(body["user_level_name"], "Finance Officer");
    assert!(body["token"].as_str().unwrap().split('.').count() == 3);
    assert!(body["refresh"].as_str().unwrap().split('.').count() == 3);
}

#[tokio::test]
async fn access_token_has_simplejwt_claims() {
    let b = start().await;
    let (access, refresh) = b.login("finance1").await;
    use base64_payload as p;
    let a = p(&access);
    assert_eq!(a["token_type"], "access");
    assert_eq!(
        a["user_id"], "35",
        "user_id is a string in current SimpleJWT"
    );
    assert_eq!(
        a["exp"].as_i64().unwrap() - a["iat"].as_i64().unwrap(),
        2700
    );
    assert!(a["jti"].as_str().unwrap().len() >= 16);
    assert_eq!(p(&refresh)["token_type"], "refresh");
}

fn base64_payload(token: &str) -> serde_json::Value {
    let part = token.split('.').nth(1).unwrap();
    let mut bytes = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in part.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => continue,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn login_failures_use_the_servers_bodies() {
    let b = start().await;
    let (s, body) = b
        .post(
            "/api/auth/login/",
            json!({"username": "finance1", "password": "wrong"}),
        )
        .await;
    assert_eq!((s, body), (401, json!({"message": "Invalid credentials."})));
    let (s, body) = b
        .post(
            "/api/auth/login/",
            json!({"username": "nobody", "password": "x"}),
        )
        .await;
    assert_eq!((s, body), (401, json!({"message": "Invalid credentials."})));
    let (s, body) = b.post("/api/auth/login/", json!({"password": "x"})).await;
    assert_eq!(
        (s, body),
        (400, json!({"username": ["This field is required."]}))
    );
    let (s, body) = b
        .post("/api/auth/login/", json!({"username": "", "password": ""}))
        .await;
    assert_eq!(s, 400);
    assert_eq!(body["username"], json!(["This field may not be blank."]));
    assert_eq!(body["password"], json!(["This field may not be blank."]));
    let r = b
        .http
        .post(b.url("/api/auth/login/"))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error"));
}

#[tokio::test]
async fn refresh_returns_a_new_pair_each_time() {
    let b = start().await;
    let (_, refresh) = b.login("finance1").await;
    let (s, one) = b
        .post("/api/auth/token-refresh/", json!({"refresh": refresh}))
        .await;
    assert_eq!(s, 200);
    let (s, two) = b
        .post(
            "/api/auth/token-refresh/",
            json!({"refresh": one["refresh"]}),
        )
        .await;
    assert_eq!(s, 200);
    assert_ne!(one["refresh"], refresh);
    assert_ne!(two["refresh"], one["refresh"]);
    assert_ne!(two["access"], one["access"]);
    let (s, _) = b
        .authed(
            Method::GET,
            "/api/auth/Notifications/",
            two["access"].as_str().unwrap(),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn refresh_failures() {
    let b = start_with(|o| o.refresh_ttl = 1).await;
    let (s, body) = b.post("/api/auth/token-refresh/", json!({})).await;
    assert_eq!(
        (s, body),
        (400, json!({"error": "Refresh token is required"}))
    );
    let (s, body) = b
        .post("/api/auth/token-refresh/", json!({"refresh": "garbage"}))
        .await;
    assert_eq!(
        (s, body),
        (401, json!({"error": "Invalid or expired refresh token"}))
    );
    let (access, refresh) = b.login("finance1").await;
    let (s, _) = b
        .post("/api/auth/token-refresh/", json!({"refresh": access}))
        .await;
    assert_eq!(s, 401, "an access token is not a refresh token");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (s, body) = b
        .post("/api/auth/token-refresh/", json!({"refresh": refresh}))
        .await;
    assert_eq!(
        (s, body),
        (401, json!({"error": "Invalid or expired refresh token"}))
    );
}

#[tokio::test]
async fn logout_answers_205_and_blacklists_the_refresh_token() {
    let b = start().await;
    let (access, refresh) = b.login("finance1").await;
    let r = b
        .http
        .post(b.url("/api/auth/logout/"))
        .bearer_auth(&access)
        .json(&json!({"refresh": refresh, "access": access}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 205);
    let (s, body) = b
        .post("/api/auth/token-refresh/", json!({"refresh": refresh}))
        .await;
    assert_eq!(
        (s, body),
        (401, json!({"error": "Invalid or expired refresh token"}))
    );
    // Logout without credentials, or without a refresh token.
    let r = b
        .http
        .post(b.url("/api/auth/logout/"))
        .json(&json!({"refresh": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let (access, _) = b.login("finance1").await;
    let r = b
        .http
        .post(b.url("/api/auth/logout/"))
        .bearer_auth(&access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn expired_or_invalid_access_gets_token_not_valid() {
    let b = start_with(|o| o.access_ttl = 1).await;
    let (access, _) = b.login("finance1").await;
    let (s, _) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    assert_eq!(s, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    for token in [access.as_str(), "not-a-jwt"] {
        let (s, body) = b
            .authed(Method::GET, "/api/auth/Notifications/", token)
            .await;
        assert_eq!(s, 401);
        assert_eq!(body["code"], "token_not_valid");
        assert_eq!(body["detail"], "Given token not valid for any token type");
        assert!(body["messages"].is_array());
    }
    let r = b
        .http
        .get(b.url("/api/auth/Notifications/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn history_is_newest_first_with_the_wire_spellings() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let (s, body) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    assert_eq!(s, 200);
    let rows = body["notifications"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let first = rows[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "Transaction_id",
            "Type_of_action",
            "ara_message",
            "created_at",
            "eng_message",
            "id",
            "is_read",
            "is_shown",
            "is_system_read",
            "message",
            "type_of_Trasnction"
        ]
    );
    let created = first["created_at"].as_str().unwrap();
    assert!(
        created.ends_with("+00:00") || created.ends_with('Z'),
        "{created}"
    );
    // finance2 has an empty history.
    let (access2, _) = b.login("finance2").await;
    let (_, body) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access2)
        .await;
    assert_eq!(body["notifications"], json!([]));
}

#[tokio::test]
async fn read_one_read_all_and_soft_delete() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let (_, unread) = b
        .authed(Method::GET, "/api/auth/Notifications/unread", &access)
        .await;
    assert_eq!(unread["count"], 2);
    let id = unread["notifications"][0]["id"].as_i64().unwrap();
    let (s, body) = b
        .authed(
            Method::PUT,
            &format!("/api/auth/Notifications/read_one?notification_id={id}"),
            &access,
        )
        .await;
    assert_eq!(
        (s, body),
        (200, json!({"message": "Notification marked as read."}))
    );
    let (_, unread) = b
        .authed(Method::GET, "/api/auth/Notifications/unread", &access)
        .await;
    assert_eq!(unread["count"], 1);
    let (s, _) = b
        .authed(Method::PUT, "/api/auth/Notifications/read_all", &access)
        .await;
    assert_eq!(s, 200);
    let (_, unread) = b
        .authed(Method::GET, "/api/auth/Notifications/unread", &access)
        .await;
    assert_eq!(unread, json!({"notifications": [], "count": 0}));

    let (s, _) = b
        .authed(
            Method::DELETE,
            &format!("/api/auth/Notifications/delete?notification_id={id}"),
            &access,
        )
        .await;
    assert_eq!(s, 200);
    let (_, all) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    assert_eq!(all["notifications"].as_array().unwrap().len(), 2);
    assert!(all["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["id"] != id));
    // Deleting again, reading a deleted row: 404.
    let (s, body) = b
        .authed(
            Method::DELETE,
            &format!("/api/auth/Notifications/delete?notification_id={id}"),
            &access,
        )
        .await;
    assert_eq!(
        (s, body),
        (404, json!({"message": "Notification not found."}))
    );
    let (s, _) = b
        .authed(
            Method::PUT,
            &format!("/api/auth/Notifications/read_one?notification_id={id}"),
            &access,
        )
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn another_users_id_or_a_bad_id_is_404() {
    let b = start().await;
    let (access1, _) = b.login("finance1").await;
    let (access2, _) = b.login("finance2").await;
    let (_, rows) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access1)
        .await;
    let id = rows["notifications"][0]["id"].as_i64().unwrap();
    for path in [
        format!("/api/auth/Notifications/read_one?notification_id={id}"),
        "/api/auth/Notifications/read_one?notification_id=abc".to_owned(),
        "/api/auth/Notifications/read_one".to_owned(),
    ] {
        let (s, body) = b.authed(Method::PUT, &path, &access2).await;
        assert_eq!(
            (s, body),
            (404, json!({"message": "Notification not found."})),
            "{path}"
        );
    }
    let (s, _) = b
        .authed(
            Method::DELETE,
            &format!("/api/auth/Notifications/delete?notification_id={id}"),
            &access2,
        )
        .await;
    assert_eq!(s, 404);
    let (_, rows) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access1)
        .await;
    assert_eq!(
        rows["notifications"].as_array().unwrap().len(),
        3,
        "finance2 changed nothing"
    );
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.sqlite3");
    let b = start_with(|o| o.data = path.clone()).await;
    let (access, refresh) = b.login("finance1").await;
    let (_, rows) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let id = rows["notifications"][0]["id"].as_i64().unwrap();
    b.authed(
        Method::DELETE,
        &format!("/api/auth/Notifications/delete?notification_id={id}"),
        &access,
    )
    .await;
    let (access2, refresh2) = b.login("finance1").await;
    b.http
        .post(b.url("/api/auth/logout/"))
        .bearer_auth(&access2)
        .json(&json!({"refresh": refresh2}))
        .send()
        .await
        .unwrap();
    b.server.stop();

    let b = start_with(|o| o.data = path.clone()).await;
    let (s, rows) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    assert_eq!(
        s, 200,
        "tokens outlive a restart (the signing key is persisted)"
    );
    assert_eq!(
        rows["notifications"].as_array().unwrap().len(),
        2,
        "the deletion survived"
    );
    let (s, _) = b
        .post("/api/auth/token-refresh/", json!({"refresh": refresh2}))
        .await;
    assert_eq!(s, 401, "the blacklist survived");
    let (s, _) = b
        .post("/api/auth/token-refresh/", json!({"refresh": refresh}))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn cors_allows_a_separate_static_origin() {
    let b = start().await;
    let r = b
        .http
        .request(Method::OPTIONS, b.url("/api/auth/Notifications/"))
        .header("Origin", "http://static.example.org")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn trim_keeps_only_the_newest_rows() {
    let b = start().await;
    let (access, _) = b.login("finance1").await;
    let (_, before) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let seeded = before["notifications"].as_array().map_or(0, Vec::len);
    let (status, _) = b
        .post(
            "/test/history/",
            json!({"username": "finance1", "count": 30}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = b
        .post("/test/trim/", json!({"username": "finance1", "keep": 10}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["deleted"], json!(seeded + 20));
    let (_, after) = b
        .authed(Method::GET, "/api/auth/Notifications/", &access)
        .await;
    let rows = after["notifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 10);
    // The newest ten stay: the last rows /test/history/ added (FAR-00021 … FAR-00030).
    assert!(
        rows[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("FAR-00030"),
        "{rows:?}"
    );
    assert!(
        rows[9]["message"]
            .as_str()
            .unwrap_or("")
            .contains("FAR-00021"),
        "{rows:?}"
    );
}

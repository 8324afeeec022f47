//! Shared helpers: a real server on an ephemeral loopback port, real HTTP and WebSocket clients.
#![allow(dead_code)]

use std::time::Duration;

use dev_backend::{Options, Server};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Backend {
    pub server: Server,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub async fn start_with(f: impl FnOnce(&mut Options)) -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let mut options = Options {
        port: 0,
        data: dir.path().join("db.sqlite3"),
        control: true,
        log: false,
        ..Options::default()
    };
    f(&mut options);
    let server = dev_backend::start(options).await.unwrap();
    Backend {
        server,
        http: reqwest::Client::new(),
        dir,
    }
}

pub async fn start() -> Backend {
    start_with(|_| {}).await
}

impl Backend {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub fn ws_url(&self, query: &str) -> String {
        format!("ws://{}/ws/notifications/{query}", self.server.addr)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn authed(&self, method: reqwest::Method, path: &str, access: &str) -> (u16, Value) {
        let r = self
            .http
            .request(method, self.url(path))
            .bearer_auth(access)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Signs in; returns (access, refresh).
    pub async fn login(&self, username: &str) -> (String, String) {
        let (status, body) = self
            .post(
                "/api/auth/login/",
                json!({"username": username, "password": "Passw0rd!"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        (
            body["token"].as_str().unwrap().to_owned(),
            body["refresh"].as_str().unwrap().to_owned(),
        )
    }

    /// Opens a socket and reads `connection_established`.
    pub async fn socket(&self, access: &str) -> Socket {
        let url = self.ws_url(&format!("?token={access}"));
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let hello = next_json(&mut ws).await;
        assert_eq!(hello["type"], "connection_established");
        ws
    }

    /// Every socket attempt `/test/attempts/` recorded, oldest first.
    pub async fn attempts(&self) -> Vec<Value> {
        let v: Value = self
            .http
            .get(self.url("/test/attempts/"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["attempts"].as_array().cloned().unwrap_or_default()
    }

    pub async fn connections(&self) -> Value {
        self.http
            .get(self.url("/test/connections/"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// The next text frame, parsed; panics after 5 s.
pub async fn next_json(ws: &mut Socket) -> Value {
    let text = next_text(ws).await;
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

pub async fn next_text(ws: &mut Socket) -> String {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("socket still open")
            .expect("no socket error");
        match msg {
            Message::Text(t) => return t.to_string(),
            Message::Close(f) => panic!("closed: {f:?}"),
            _ => continue,
        }
    }
}

/// Asserts that nothing arrives within `ms`.
pub async fn assert_silent(ws: &mut Socket, ms: u64) {
    if let Ok(Some(Ok(m))) = tokio::time::timeout(Duration::from_millis(ms), ws.next()).await {
        panic!("unexpected frame {m:?}");
    }
}

pub async fn send_json(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

/// Waits until `check` holds, polling every 20 ms for up to 5 s.
pub async fn eventually<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..250 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not reached within 5 s");
}

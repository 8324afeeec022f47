//! Load benchmark of the reference backend: it must never be the bottleneck of a client
//! benchmark. Measures (1) 1,000 concurrent sockets opened and all answering a ping, and
//! (2) a flood of 2,000 frames to one socket, request → last frame read.
//!
//! `cargo xtask bench --backend` (or `cargo run -p dev-backend --profile backend --example load
//! -- [--sockets N] [--frames N] [--runs N]`).

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn login(http: &reqwest::Client, base: &str, user: &str) -> String {
    let body: Value = http
        .post(format!("{base}/api/auth/login/"))
        .json(&json!({"username": user, "password": "Passw0rd!"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    body["token"].as_str().expect("token").to_owned()
}

#[tokio::main]
async fn main() {
    let sockets = arg("--sockets", 1000);
    let frames = arg("--frames", 2000);
    let runs = arg("--runs", 5).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let server = dev_backend::start(dev_backend::Options {
        port: 0,
        data: dir.path().join("load.sqlite3"),
        control: true,
        log: false,
        ..Default::default()
    })
    .await
    .expect("server");
    let base = server.url();
    let ws_base = format!("ws://{}/ws/notifications/?token=", server.addr);
    let http = reqwest::Client::new();
    let rss_before = rss_mb();

    // 1. Many sockets at once.
    let token = login(&http, &base, "finance1").await;
    let started = Instant::now();
    let mut opened = Vec::with_capacity(sockets);
    let mut pending = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        let url = format!("{ws_base}{token}");
        pending.push(tokio::spawn(async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(url).await.ok()?;
            ws.next().await?.ok()?; // connection_established
            Some(ws)
        }));
    }
    for p in pending {
        if let Ok(Some(ws)) = p.await {
            opened.push(ws);
        }
    }
    let connect_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let mut alive = 0;
    for ws in &mut opened {
        let _ = ws
            .send(Message::Text(
                json!({"type": "ping", "timestamp": 1}).to_string().into(),
            ))
            .await;
    }
    for ws in &mut opened {
        if let Ok(Some(Ok(Message::Text(_)))) =
            tokio::time::timeout(Duration::from_secs(10), ws.next()).await
        {
            alive += 1;
        }
    }
    let ping_ms = started.elapsed().as_secs_f64() * 1000.0;
    let rss_held = rss_mb();
    let open_now: Value = http
        .get(format!("{base}/test/connections/"))
        .send()
        .await
        .expect("connections")
        .json()
        .await
        .expect("connections body");

    // 2. A flood to one socket, request → last frame read.
    let token2 = login(&http, &base, "finance2").await;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{ws_base}{token2}"))
        .await
        .expect("flood socket");
    ws.next().await;
    let mut flood_ms = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let request = http
            .post(format!("{base}/test/flood/"))
            .json(&json!({"username": "finance2", "count": frames}))
            .send();
        let reader = async {
            let mut n = 0;
            while n < frames {
                match ws.next().await {
                    Some(Ok(Message::Text(_))) => n += 1,
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            n
        };
        let (response, received) = tokio::join!(request, reader);
        response.expect("flood request");
        assert_eq!(received, frames, "every flooded frame arrives");
        flood_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }

    let flood = median(flood_ms.clone());
    println!("| measure | result |");
    println!("| --- | --- |");
    println!("| sockets opened concurrently (connection_established read) | {} of {sockets} in {connect_ms:.0} ms |", opened.len());
    println!(
        "| sockets answering a ping | {alive} of {} in {ping_ms:.0} ms |",
        opened.len()
    );
    println!(
        "| backend's own count of open sockets | {} |",
        open_now["open"]["finance1"]
    );
    println!("| process memory (client + server) | {rss_before:.0} MB before, {rss_held:.0} MB holding the sockets |");
    println!(
        "| flood of {frames} frames to one socket, request → last frame read | median {flood:.0} ms (min {:.0}, max {:.0}, {runs} runs); {:.0} frames/s |",
        flood_ms.iter().copied().fold(f64::INFINITY, f64::min),
        flood_ms.iter().copied().fold(0.0, f64::max),
        frames as f64 / (flood / 1000.0)
    );
    let ok = opened.len() == sockets && alive == sockets && flood < 1000.0;
    println!("backend load: {}", if ok { "ok" } else { "TARGET MISSED" });
    server.stop();
    if !ok {
        std::process::exit(1);
    }
}

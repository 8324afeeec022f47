//! Herald's reference backend: the production Django backend's contract
//! (`shared/PROTOCOL.md`), warts included, plus a loopback-only test-control API and a demo
//! traffic generator.

// Handlers return `Result<_, Response>` so an early error is the reply itself: the idiomatic
// axum shape, and a Response is cheap to move compared with a request round trip.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod control;
pub mod csp;
pub mod db;
pub mod demo;
pub mod hold;
pub mod hub;
pub mod rest;
pub mod static_files;
pub mod ws;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};

/// How the server runs; `main` fills it from the command line.
#[derive(Clone, Debug)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub data: PathBuf,
    pub access_ttl: i64,
    pub refresh_ttl: i64,
    pub dist: Option<PathBuf>,
    pub demo: bool,
    pub control: bool,
    /// Frames buffered per socket before new ones are dropped (the channel layer's capacity).
    pub channel_capacity: usize,
    /// Print one line per REST call and socket event.
    pub log: bool,
    /// SimpleJWT's `BLACKLIST_AFTER_ROTATION`: a refresh token stops working once it was used.
    pub blacklist_after_rotation: bool,
    /// Reproduce production's `?user_id=` socket fallback (a hole; tests only).
    pub user_id_query_hole: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8000,
            data: std::env::temp_dir().join("herald-dev-backend.sqlite3"),
            access_ttl: 45 * 60,
            refresh_ttl: 24 * 60 * 60,
            dist: None,
            demo: false,
            control: false,
            channel_capacity: 100,
            log: true,
            blacklist_after_rotation: false,
            user_id_query_hole: false,
        }
    }
}

/// One socket connection attempt, as `/test/attempts/` reports it.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    pub at: String,
    pub accepted: bool,
    pub reason: String,
    pub username: Option<String>,
    pub user_id_in_query: bool,
}

/// Everything the handlers share.
pub struct AppState {
    pub db: Mutex<db::Db>,
    pub signer: auth::Signer,
    pub hub: hub::Hub,
    pub options: Options,
    pub pong_enabled: AtomicBool,
    pub attempts: Mutex<VecDeque<Attempt>>,
    /// Bumped by `/test/reset/`: background jobs started before it stop at their next step.
    pub epoch: std::sync::atomic::AtomicU64,
    /// Endpoints the tests stall (`/test/hold/`).
    pub holds: hold::Holds,
    /// The served `index.html`'s inline-script hashes, by the file's modification time.
    pub script_hashes: Mutex<Option<(std::time::SystemTime, Vec<String>)>>,
}

/// Shared state handle.
pub type Shared = Arc<AppState>;

impl AppState {
    /// The database, even if a handler panicked while holding it.
    pub fn db(&self) -> std::sync::MutexGuard<'_, db::Db> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Prints a log line unless logging is off. Never pass a token here.
    pub fn log(&self, line: std::fmt::Arguments<'_>) {
        if self.options.log {
            eprintln!("{} {line}", chrono::Local::now().format("%H:%M:%S%.3f"));
        }
    }

    pub fn pong_enabled(&self) -> bool {
        self.pong_enabled.load(Ordering::Relaxed)
    }

    fn record_attempt(&self, attempt: Attempt) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if attempts.len() >= 500 {
            attempts.pop_front();
        }
        attempts.push_back(attempt);
    }
}

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub state: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Base URL, e.g. `http://127.0.0.1:8000`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes every socket as a restart would (1001) and stops serving.
    pub fn stop(self) {
        self.state.hub.close_all(1001);
        self.task.abort();
    }

    /// Serves until the task ends (forever, in practice).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Opens the database, binds and starts serving in the background.
pub async fn start(options: Options) -> std::io::Result<Server> {
    let db = db::Db::open(&options.data).map_err(std::io::Error::other)?;
    let secret = db.signing_secret().map_err(std::io::Error::other)?;
    let state = Arc::new(AppState {
        db: Mutex::new(db),
        signer: auth::Signer::new(&secret, options.access_ttl, options.refresh_ttl),
        hub: hub::Hub::new(options.channel_capacity),
        pong_enabled: AtomicBool::new(true),
        attempts: Mutex::new(VecDeque::new()),
        epoch: std::sync::atomic::AtomicU64::new(0),
        holds: hold::Holds::default(),
        script_hashes: Mutex::new(None),
        options: options.clone(),
    });
    let listener = TcpListener::bind((options.host.as_str(), options.port)).await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone());
    if options.demo {
        tokio::spawn(demo::run(state.clone()));
    }
    let task = tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, service).await {
            eprintln!("server error: {e}");
        }
    });
    Ok(Server { addr, state, task })
}

/// All routes: the production API, the socket, and (with options) the test API and the app.
///
/// CORS decorates the API, the socket and the app, never `/test/`: the control routes (and a
/// catch-all 404 for the rest of `/test/`, also without `--control`) are merged after it.
pub fn router(state: Shared) -> Router {
    let mut public = rest::routes().merge(ws::routes());
    if let Some(dist) = &state.options.dist {
        public = public.fallback_service(static_files::service(dist.clone()));
    }
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .max_age(std::time::Duration::from_secs(600));
    public
        .layer(cors)
        .merge(control::routes(state.options.control))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            hold::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            static_files::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_requests,
        ))
        .with_state(state)
}

/// Whether `host` (a `Host` header or `--host` value, with or without a port) is a loopback
/// name or address: `localhost`, 127.0.0.0/8, `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || port.starts_with(':') => inside,
            _ => return false,
        }
    } else if host.matches(':').count() > 1 {
        host
    } else {
        host.split(':').next().unwrap_or("")
    };
    let name = name.trim_end_matches('.');
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// One line per request: method, path (never the query, which may hold a token), status, time.
async fn log_requests(
    axum::extract::State(state): axum::extract::State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let quiet = path.starts_with("/test/") || !(path.starts_with("/api/"));
    if !quiet {
        state.log(format_args!(
            "{method} {path} -> {} ({} ms)",
            response.status().as_u16(),
            started.elapsed().as_millis()
        ));
    }
    response
}

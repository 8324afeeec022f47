//! Serves the built app (`--dist`) with an SPA fallback: paths without a file extension get
//! `index.html` so deep links work; missing assets (`.wasm`, `.js`, `.json`...) stay 404.
//!
//! Precompressed copies (`x.br`, `x.gz` beside `x`, written by `cargo xtask build`) are sent
//! as they are when the request's `Accept-Encoding` takes them (brotli first), with
//! `Content-Encoding` and the original's `Content-Type` (the wasm stays `application/wasm`, so
//! the browser compiles it while it streams); every response says `Vary: Accept-Encoding`.

use std::convert::Infallible;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::fs::ServeFileSystemResponseBody;
use tower_http::services::{ServeDir, ServeFile};

type FileResponse = Response<ServeFileSystemResponseBody>;

/// The files of `--dist`, then the SPA fallback, each response marked `Vary: Accept-Encoding`.
pub type Service = tower::util::MapResponse<
    ServeDir<axum::routing::MethodRouter<(), Infallible>>,
    fn(FileResponse) -> FileResponse,
>;

/// The service mounted as the router's fallback.
pub fn service(dist: PathBuf) -> Service {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let fallback = axum::routing::get(move |request: Request<Body>| {
        let index = index.clone();
        async move { spa_fallback(request, index).await }
    });
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback);
    tower::util::MapResponse::new(files, vary_on_encoding as fn(FileResponse) -> FileResponse)
}

/// Which copy was sent depends on `Accept-Encoding`: caches must key on it.
fn vary_on_encoding(mut response: FileResponse) -> FileResponse {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

async fn spa_fallback(request: Request<Body>, index: ServeFile) -> Response {
    let path = request.uri().path();
    let last = path.rsplit('/').next().unwrap_or("");
    let is_asset = last.contains('.') && !last.ends_with(".html");
    if is_asset || path.starts_with("/api/") || path.starts_with("/ws/") {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    let Ok(response) = index.oneshot(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        return (StatusCode::NOT_FOUND, "index.html is missing from --dist").into_response();
    }
    let mut response = response.map(Body::new);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Adds `X-Content-Type-Options: nosniff` to every response and, to every response of the app
/// (`--dist`: everything but `/api/`, `/ws/` and `/test/`), the strict CSP and
/// `Referrer-Policy: no-referrer`; `Cache-Control: no-cache` to the service worker's scripts.
pub async fn security_headers(
    axum::extract::State(state): axum::extract::State<crate::Shared>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let is_app = state.options.dist.is_some()
        && !["/api/", "/ws/", "/test/"]
            .iter()
            .any(|prefix| path.starts_with(prefix));
    let policy = is_app.then(|| content_security_policy(&state, request_host(&request)));
    let worker_script = is_app && is_worker_script(path);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(policy) = policy.and_then(|p| HeaderValue::from_str(&p).ok()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    if worker_script {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The service worker and the manifest it imports (`cargo xtask build` writes it): the browser
/// must always be able to see a new build's, so they are served `no-cache` (as nginx is told to
/// in docs/deploying.md).
fn is_worker_script(path: &str) -> bool {
    path.ends_with("/sw.js") || path.ends_with("/sw-manifest.js")
}

/// The `Host` the browser used, if it is a plain `host[:port]` (anything else is ignored: the
/// policy then allows only `'self'`).
fn request_host(request: &Request<Body>) -> Option<String> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())?;
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plain.then(|| host.to_ascii_lowercase())
}

/// The policy for a page served by this backend: inline scripts of the served `index.html`,
/// API and socket on this very origin (the socket's `ws://` origin spelled out: not every
/// browser lets `'self'` cover it).
fn content_security_policy(state: &crate::Shared, host: Option<String>) -> String {
    let connect: Vec<String> = host
        .map(|h| vec![format!("http://{h}"), format!("ws://{h}")])
        .unwrap_or_default();
    crate::csp::policy(&script_hashes(state), &connect)
}

/// Hashes of the served `index.html`'s inline scripts, recomputed when the file changes.
fn script_hashes(state: &crate::Shared) -> Vec<String> {
    let Some(dist) = &state.options.dist else {
        return Vec::new();
    };
    let index = dist.join("index.html");
    let modified = std::fs::metadata(&index).and_then(|m| m.modified()).ok();
    let mut cache = state
        .script_hashes
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let (Some(modified), Some((at, hashes))) = (modified, cache.as_ref()) {
        if *at == modified {
            return hashes.clone();
        }
    }
    let hashes = std::fs::read_to_string(&index)
        .map(|html| crate::csp::inline_script_hashes(&html))
        .unwrap_or_default();
    if let Some(modified) = modified {
        *cache = Some((modified, hashes.clone()));
    }
    hashes
}

//! Serves the built app (`--dist`) with an SPA fallback: paths without a file extension get
//! `index.html` so deep links work; missing assets (`.wasm`, `.js`, `.json`...) stay 404.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_http::services::ServeDir;

/// The service mounted as the router's fallback.
pub fn service(dist: PathBuf) -> ServeDir<axum::routing::MethodRouter> {
    let index = dist.join("index.html");
    let fallback = axum::routing::get(move |request: Request<Body>| {
        let index = index.clone();
        async move { spa_fallback(request.uri().path(), &index).await }
    });
    ServeDir::new(dist).fallback(fallback)
}

async fn spa_fallback(path: &str, index: &std::path::Path) -> Response {
    let last = path.rsplit('/').next().unwrap_or("");
    let is_asset = last.contains('.') && !last.ends_with(".html");
    if is_asset || path.starts_with("/api/") || path.starts_with("/ws/") {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    match tokio::fs::read(index).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "index.html is missing from --dist").into_response(),
    }
}

//! Fetches `config.json` from beside `index.html`.

use gloo_net::http::Request;
use web_sys::RequestCache;

use crate::config::{ConfigError, RuntimeConfig, CONFIG_FILE};
use crate::services::deadline::Deadline;
use crate::services::session::ApiError;

/// Loads the runtime configuration.
///
/// The file is resolved against the document's base URL, so a sub-path deployment
/// (`<base href="/herald/">`) reads `/herald/config.json`. No file (404, or an SPA fallback that
/// answers with `index.html`) means "the backend is this page's origin". The page URL's query
/// and hash are never consulted.
pub async fn load_config() -> Result<RuntimeConfig, ConfigError> {
    let origin = page_origin()?;
    // A host that never answers shows the error screen after the deadline, not a blank page.
    let deadline = Deadline::new(None);
    let unavailable = |e: ApiError| ConfigError::Unavailable(e.to_string());
    // index.html preloads this file (`<link rel="preload" as="fetch" crossorigin>`): a request
    // with the same URL, mode (cors) and credentials (same-origin) takes that response, fetched
    // while the wasm was still downloading, instead of making a second round trip.
    let response = deadline
        .send(|signal| {
            Request::get(CONFIG_FILE)
                .cache(RequestCache::NoStore)
                .abort_signal(signal)
                .build()
        })
        .await
        .map_err(unavailable)?;
    if response.status() == 404 {
        return RuntimeConfig::same_origin(&origin);
    }
    if !response.ok() {
        return Err(ConfigError::Unavailable(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let is_html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    if is_html {
        return RuntimeConfig::same_origin(&origin);
    }
    let text = deadline
        .settle(response.text().await)
        .map_err(unavailable)?;
    RuntimeConfig::parse(&text, &origin)
}

fn page_origin() -> Result<String, ConfigError> {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or_else(|| ConfigError::Unavailable("the page has no origin".into()))
}

//! Fetches `config.json` from beside `index.html`.

use gloo_net::http::Request;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::RequestCache;

use crate::config::{ConfigError, RuntimeConfig, CONFIG_FILE};
use crate::services::deadline::Deadline;
use crate::state::remote::ApiError;

/// What the host answered for `config.json`, as far as loading the configuration cares.
#[derive(Debug, PartialEq)]
struct Answer {
    status: u16,
    status_text: String,
    /// The `Content-Type` header (empty if none).
    content_type: String,
    /// The body, read only for a success (2xx).
    text: String,
}

/// Loads the runtime configuration.
///
/// The file is resolved against the document's base URL, so a sub-path deployment
/// (`<base href="/herald/">`) reads `/herald/config.json`. No file (404, or an SPA fallback that
/// answers with `index.html`) means "the backend is this page's origin". The page URL's query
/// and hash are never consulted.
///
/// `early-config.js` normally has the answer already. `index.html` preloads `config.json`
/// (`<link rel="preload" as="fetch" crossorigin>`) and loads that script deferred, so it runs
/// before the wasm loader: it fetches the file as this module would (no-store, CORS mode,
/// same-origin credentials: the preloaded response is taken, one request in all), with the same
/// 15 s deadline ([`crate::services::deadline::REQUEST_TIMEOUT_MS`]), and leaves the answer as
/// `window.heraldConfig`: a promise of `{status, statusText, type, text}` rejected with
/// `"timeout"` or `"network"`. Taking it leaves `heraldConfig` null, so a script that somehow
/// runs later starts nothing. Without it (a page that did not load the script) the file is
/// fetched here, under the same deadline.
pub async fn load_config() -> Result<RuntimeConfig, ConfigError> {
    let origin = page_origin()?;
    let unavailable = |e: ApiError| ConfigError::Unavailable(e.to_string());
    let answer = match take_early_answer() {
        Some(early) => early_answer(early).await,
        None => fetch_answer().await,
    }
    .map_err(unavailable)?;
    interpret(&answer, &origin)
}

/// The configuration an answer means.
fn interpret(answer: &Answer, page_origin: &str) -> Result<RuntimeConfig, ConfigError> {
    if answer.status == 404 {
        return RuntimeConfig::same_origin(page_origin);
    }
    if !(200..300).contains(&answer.status) {
        return Err(ConfigError::Unavailable(format!(
            "the server answered {} {}",
            answer.status, answer.status_text
        )));
    }
    if answer.content_type.starts_with("text/html") {
        return RuntimeConfig::same_origin(page_origin);
    }
    RuntimeConfig::parse(&answer.text, page_origin)
}

/// The request `early-config.js` started, taken once: `heraldConfig` is left null, which also
/// tells a script that runs later not to start another.
fn take_early_answer() -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("heraldConfig");
    let value = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::set(&window, &key, &JsValue::NULL);
    value.dyn_into::<js_sys::Promise>().ok()
}

/// `early-config.js`'s answer: `{status, statusText, type, text}`, or a rejection with
/// `"timeout"` (its 15 s deadline) or `"network"`.
async fn early_answer(early: js_sys::Promise) -> Result<Answer, ApiError> {
    match wasm_bindgen_futures::JsFuture::from(early).await {
        Ok(value) => {
            let field = |name: &str| js_sys::Reflect::get(&value, &JsValue::from_str(name)).ok();
            let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
            let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0);
            Ok(Answer {
                status: status as u16,
                status_text: text("statusText"),
                content_type: text("type"),
                text: text("text"),
            })
        }
        Err(reason) if reason.as_string().as_deref() == Some("timeout") => Err(ApiError::Timeout),
        Err(reason) => Err(ApiError::Network(
            reason.as_string().unwrap_or_else(|| "no answer".into()),
        )),
    }
}

/// Fetches the file itself, under a deadline: a host that never answers shows the error screen
/// after it, not a blank page.
async fn fetch_answer() -> Result<Answer, ApiError> {
    let deadline = Deadline::new(None);
    // index.html preloads this file (`<link rel="preload" as="fetch" crossorigin>`): a request
    // with the same URL, mode (cors) and credentials (same-origin) takes that response instead
    // of making a second round trip.
    let response = deadline
        .send(|signal| {
            Request::get(CONFIG_FILE)
                .cache(RequestCache::NoStore)
                .abort_signal(signal)
                .build()
        })
        .await?;
    let mut answer = Answer {
        status: response.status(),
        status_text: response.status_text(),
        content_type: response.headers().get("content-type").unwrap_or_default(),
        text: String::new(),
    };
    if response.ok() {
        answer.text = deadline.settle(response.text().await)?;
    }
    Ok(answer)
}

fn page_origin() -> Result<String, ConfigError> {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or_else(|| ConfigError::Unavailable("the page has no origin".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://herald.example.org";

    fn answer(status: u16, content_type: &str, text: &str) -> Answer {
        Answer {
            status,
            status_text: if status == 200 { "OK" } else { "Bad Gateway" }.into(),
            content_type: content_type.into(),
            text: text.into(),
        }
    }

    #[test]
    fn no_file_means_the_pages_own_origin() {
        let c = interpret(&answer(404, "text/plain", ""), PAGE).unwrap();
        assert_eq!(c.api_base_url.as_str(), "https://herald.example.org/");
    }

    #[test]
    fn an_spa_fallback_page_means_the_pages_own_origin() {
        let c = interpret(
            &answer(200, "text/html; charset=utf-8", "<!doctype html>"),
            PAGE,
        );
        assert_eq!(
            c.unwrap().api_base_url.as_str(),
            "https://herald.example.org/"
        );
    }

    #[test]
    fn a_file_names_the_backend() {
        let text = r#"{"api_base_url": "https://api.example.org/herald"}"#;
        let c = interpret(&answer(200, "application/json", text), PAGE).unwrap();
        assert_eq!(c.api_base_url.host_str(), Some("api.example.org"));
    }

    #[test]
    fn another_status_is_named() {
        let e = interpret(&answer(502, "text/plain", ""), PAGE).unwrap_err();
        assert_eq!(
            e,
            ConfigError::Unavailable("the server answered 502 Bad Gateway".into())
        );
    }

    #[test]
    fn a_malformed_file_is_an_error() {
        let e = interpret(&answer(200, "application/json", "{"), PAGE).unwrap_err();
        assert!(matches!(e, ConfigError::Malformed(_)), "{e:?}");
    }
}

//! Runtime configuration: where the backend lives.
//!
//! One build serves many deployments, so the backend origin is read at start from `config.json`
//! beside `index.html`, never compiled in and never taken from the page URL (a crafted link must
//! not be able to send a user's token to another host). Everything here is pure; the fetch lives
//! in [`crate::services::config_loader`].

use serde::Deserialize;
use thiserror::Error;
use url::Url;

/// The file the app reads its configuration from, relative to the document's base URL.
pub const CONFIG_FILE: &str = "config.json";

/// Path of the notification socket on the backend.
pub const SOCKET_PATH: &str = "/ws/notifications/";

/// Where the REST API and the notification socket are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeConfig {
    /// REST origin (and optional path prefix), without a trailing slash, e.g. `https://api.example.org`.
    pub api_base_url: Url,
    /// Socket endpoint without the token, e.g. `wss://api.example.org/ws/notifications/`.
    pub ws_url: Url,
}

/// Why `config.json` could not be used. Shown to the user on the error screen.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The file is not the JSON object we expect (syntax, unknown key, wrong type).
    #[error("{CONFIG_FILE} is malformed: {0}")]
    Malformed(String),
    /// A URL in the file cannot be used.
    #[error("{CONFIG_FILE}: \"{field}\" {problem}")]
    BadUrl {
        /// The key in the file.
        field: &'static str,
        /// What is wrong with its value.
        problem: String,
    },
    /// The file could not be fetched for another reason than "not there".
    #[error("{CONFIG_FILE} could not be loaded: {0}")]
    Unavailable(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    api_base_url: Option<String>,
    ws_url: Option<String>,
}

impl RuntimeConfig {
    /// Configuration when there is no `config.json`: the backend is the page's own origin.
    ///
    /// ```
    /// # use herald::config::RuntimeConfig;
    /// let c = RuntimeConfig::same_origin("https://herald.example.org").unwrap();
    /// assert_eq!(c.ws_url.as_str(), "wss://herald.example.org/ws/notifications/");
    /// ```
    pub fn same_origin(page_origin: &str) -> Result<Self, ConfigError> {
        let api = parse_api_base(page_origin, "page origin")?;
        let ws_url = derive_ws_url(&api);
        Ok(Self {
            api_base_url: api,
            ws_url,
        })
    }

    /// Parses the text of `config.json`. Missing keys fall back to the page's origin
    /// (`api_base_url`) and to a socket URL derived from the API base (`ws_url`).
    pub fn parse(text: &str, page_origin: &str) -> Result<Self, ConfigError> {
        let file: ConfigFile =
            serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        let api_base_url = match file.api_base_url.as_deref() {
            Some(s) => parse_api_base(s, "api_base_url")?,
            None => parse_api_base(page_origin, "page origin")?,
        };
        let ws_url = match file.ws_url.as_deref() {
            Some(s) => parse_ws_url(s)?,
            None => derive_ws_url(&api_base_url),
        };
        // An https page may not reach http:// or ws:// (mixed content): the browser blocks it
        // silently and the socket would look like a network failure forever.
        if page_origin.trim().starts_with("https:") {
            if api_base_url.scheme() == "http" && !is_loopback(&api_base_url) {
                return Err(ConfigError::BadUrl {
                    field: "api_base_url",
                    problem: "must be https:// on an https page (the browser blocks mixed content)"
                        .into(),
                });
            }
            if ws_url.scheme() == "ws" && !is_loopback(&ws_url) {
                return Err(ConfigError::BadUrl {
                    field: "ws_url",
                    problem: "must be wss:// on an https page (the browser blocks mixed content)"
                        .into(),
                });
            }
        }
        Ok(Self {
            api_base_url,
            ws_url,
        })
    }

    /// Absolute URL of a REST path such as `/api/auth/login/`, kept under the API base's path.
    pub fn api_url(&self, path: &str) -> String {
        let base = self.api_base_url.as_str().trim_end_matches('/');
        format!("{base}/{}", path.trim_start_matches('/'))
    }

    /// The socket URL for an access token. The token is percent-encoded; nothing else (never a
    /// `user_id`, which the backend would trust) is added.
    pub fn socket_url(&self, access_token: &str) -> String {
        let mut url = self.ws_url.clone();
        url.set_query(None);
        url.query_pairs_mut().append_pair("token", access_token);
        url.into()
    }
}

fn parse_api_base(s: &str, field: &'static str) -> Result<Url, ConfigError> {
    let bad = |problem: &str| ConfigError::BadUrl {
        field,
        problem: problem.to_owned(),
    };
    let url = Url::parse(s.trim()).map_err(|e| bad(&format!("is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    if url.host_str().is_none() {
        return Err(bad("has no host"));
    }
    Ok(url)
}

/// Loopback hosts, which browsers treat as secure (no mixed-content block).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse_ws_url(s: &str) -> Result<Url, ConfigError> {
    let bad = |problem: &str| ConfigError::BadUrl {
        field: "ws_url",
        problem: problem.to_owned(),
    };
    let url = Url::parse(s.trim()).map_err(|e| bad(&format!("is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(bad("must start with ws:// or wss://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(url)
}

/// http → ws, https → wss, same host and port, path `/ws/notifications/`.
fn derive_ws_url(api: &Url) -> Url {
    let scheme = if api.scheme() == "https" { "wss" } else { "ws" };
    let host = api.host_str().unwrap_or("localhost");
    let authority = match api.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    // Bracketed IPv6 hosts keep their brackets in `host_str`, so this always parses.
    Url::parse(&format!("{scheme}://{authority}{SOCKET_PATH}")).unwrap_or_else(|_| api.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://127.0.0.1:4000";

    #[test]
    fn full_file_is_taken_as_is() {
        let c = RuntimeConfig::parse(
            r#"{"api_base_url":"https://api.example.org","ws_url":"wss://ws.example.org/ws/notifications/"}"#,
            PAGE,
        )
        .unwrap();
        assert_eq!(
            c.api_url("/api/auth/login/"),
            "https://api.example.org/api/auth/login/"
        );
        assert_eq!(c.ws_url.as_str(), "wss://ws.example.org/ws/notifications/");
    }

    #[test]
    fn ws_url_is_derived_from_api_base() {
        let https =
            RuntimeConfig::parse(r#"{"api_base_url":"https://api.example.org"}"#, PAGE).unwrap();
        assert_eq!(
            https.ws_url.as_str(),
            "wss://api.example.org/ws/notifications/"
        );
        let http =
            RuntimeConfig::parse(r#"{"api_base_url":"http://10.1.2.3:8000/"}"#, PAGE).unwrap();
        assert_eq!(http.ws_url.as_str(), "ws://10.1.2.3:8000/ws/notifications/");
        let v6 = RuntimeConfig::parse(r#"{"api_base_url":"http://[::1]:8000"}"#, PAGE).unwrap();
        assert_eq!(v6.ws_url.as_str(), "ws://[::1]:8000/ws/notifications/");
    }

    #[test]
    fn api_base_with_path_prefix_keeps_it() {
        let c = RuntimeConfig::parse(r#"{"api_base_url":"https://x.org/backend/"}"#, PAGE).unwrap();
        assert_eq!(
            c.api_url("/api/auth/login/"),
            "https://x.org/backend/api/auth/login/"
        );
    }

    #[test]
    fn missing_keys_mean_same_origin() {
        let c = RuntimeConfig::parse("{}", PAGE).unwrap();
        assert_eq!(c, RuntimeConfig::same_origin(PAGE).unwrap());
        assert_eq!(
            c.api_url("api/auth/login/"),
            "http://127.0.0.1:4000/api/auth/login/"
        );
        assert_eq!(c.ws_url.as_str(), "ws://127.0.0.1:4000/ws/notifications/");
    }

    #[test]
    fn malformed_files_are_named_errors() {
        for text in [
            "",
            "{",
            "[]",
            "null",
            r#"{"api_base_url": 5}"#,
            "<!doctype html>",
        ] {
            let err = RuntimeConfig::parse(text, PAGE).unwrap_err();
            assert!(matches!(err, ConfigError::Malformed(_)), "{text}: {err:?}");
            assert!(err.to_string().starts_with("config.json is malformed"));
        }
    }

    #[test]
    fn unknown_keys_are_rejected_not_ignored() {
        let err = RuntimeConfig::parse(r#"{"api_base":"https://x.org"}"#, PAGE).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `api_base`"),
            "{err}"
        );
    }

    #[test]
    fn bad_urls_are_rejected() {
        for (text, field) in [
            (r#"{"api_base_url":"api.example.org"}"#, "api_base_url"),
            (
                r#"{"api_base_url":"ftp://api.example.org"}"#,
                "api_base_url",
            ),
            (
                r#"{"api_base_url":"https://x.org/?next=evil"}"#,
                "api_base_url",
            ),
            (r#"{"ws_url":"https://x.org/ws/"}"#, "ws_url"),
            (r#"{"ws_url":"wss://x.org/ws/?user_id=3"}"#, "ws_url"),
        ] {
            match RuntimeConfig::parse(text, PAGE) {
                Err(ConfigError::BadUrl { field: f, .. }) => assert_eq!(f, field, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn insecure_backends_on_an_https_page_are_configuration_errors() {
        let page = "https://herald.example.org";
        let e =
            RuntimeConfig::parse(r#"{"api_base_url":"http://api.example.org"}"#, page).unwrap_err();
        assert!(
            matches!(
                e,
                ConfigError::BadUrl {
                    field: "api_base_url",
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("mixed content"));
        let e = RuntimeConfig::parse(
            r#"{"api_base_url":"https://api.example.org","ws_url":"ws://api.example.org/ws/"}"#,
            page,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                ConfigError::BadUrl {
                    field: "ws_url",
                    ..
                }
            ),
            "{e}"
        );
        // Secure pairs, loopback, and plain http pages are fine.
        for (text, page) in [
            (r#"{"api_base_url":"https://api.example.org"}"#, page),
            (r#"{"api_base_url":"http://127.0.0.1:8000"}"#, page),
            (
                r#"{"ws_url":"ws://localhost:8000/ws/notifications/"}"#,
                "https://localhost",
            ),
            (
                r#"{"api_base_url":"http://api.example.org"}"#,
                "http://herald.example.org",
            ),
        ] {
            assert!(RuntimeConfig::parse(text, page).is_ok(), "{text} on {page}");
        }
    }

    #[test]
    fn socket_url_encodes_the_token_and_nothing_else() {
        let c =
            RuntimeConfig::parse(r#"{"api_base_url":"https://api.example.org"}"#, PAGE).unwrap();
        let url = c.socket_url("a.b+c/=d&user_id=1");
        assert_eq!(
            url,
            "wss://api.example.org/ws/notifications/?token=a.b%2Bc%2F%3Dd%26user_id%3D1"
        );
        let parsed = Url::parse(&url).unwrap();
        let keys: Vec<_> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["token"]);
    }
}

//! Runtime configuration: where the backend lives.
//!
//! One build serves many deployments, so the backend origin is read at start from `config.json`
//! beside `index.html`, never compiled in and never taken from the page URL (a crafted link must
//! not be able to send a user's token to another host). Everything here is pure (the purity check
//! in `tests/layers.rs` reads this file); the URL parser, which in the app is the browser's, is
//! `config/weburl.rs`, and the fetch lives in [`crate::services::config_loader`].

use serde::Deserialize;
use thiserror::Error;

mod weburl;

pub use weburl::Url;

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
    /// Where a transaction is shown, if the deployment says (`transaction_url`): each
    /// notification and job card with a transaction then links to it.
    pub transaction_url: Option<TransactionUrl>,
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
    transaction_url: Option<String>,
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
            transaction_url: None,
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
        let transaction_url = match file.transaction_url.as_deref() {
            Some(t) => Some(TransactionUrl::parse(t, page_origin)?),
            None => None,
        };
        Ok(Self {
            api_base_url,
            ws_url,
            transaction_url,
        })
    }

    /// What this deployment's stored session, caches and locks are scoped to: its backend
    /// (the API base). Two deployments on one origin with different backends never share them.
    ///
    /// ```
    /// # use herald::config::RuntimeConfig;
    /// let prod = RuntimeConfig::parse(r#"{"api_base_url": "https://api.example.org/"}"#, "https://x.org").unwrap();
    /// let staging = RuntimeConfig::parse(r#"{"api_base_url": "https://staging.example.org"}"#, "https://x.org").unwrap();
    /// assert_eq!(prod.storage_scope(), "https://api.example.org");
    /// assert_ne!(prod.storage_scope(), staging.storage_scope());
    /// ```
    pub fn storage_scope(&self) -> String {
        self.api_base_url.as_str().trim_end_matches('/').to_owned()
    }

    /// Absolute URL of a REST path such as `/api/auth/login/`, kept under the API base's path.
    pub fn api_url(&self, path: &str) -> String {
        let base = self.api_base_url.as_str().trim_end_matches('/');
        format!("{base}/{}", path.trim_start_matches('/'))
    }

    /// The socket URL for an access token. The token is percent-encoded; nothing else (never a
    /// `user_id`, which the backend would trust) is added.
    pub fn socket_url(&self, access_token: &str) -> String {
        // `ws_url` never has a query or fragment (refused when parsed, none when derived).
        let mut url = self.ws_url.as_str().to_owned();
        url.push_str("?token=");
        form_urlencode(access_token, &mut url);
        url
    }
}

/// One piece of a [`TransactionUrl`] template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Text kept as written.
    Text(String),
    /// `{id}`: the transaction id.
    Id,
    /// `{code}`: the transaction's code, e.g. `FAR-0015`.
    Code,
}

/// The `transaction_url` template of `config.json`, e.g.
/// `https://budget.example.org/transfers/{id}`: an absolute http(s) URL with the placeholders
/// `{id}` and `{code}`, whose values are percent-encoded when expanded.
///
/// ```
/// # use herald::config::RuntimeConfig;
/// let c = RuntimeConfig::parse(
///     r#"{"transaction_url": "https://budget.example.org/transfers/{id}?c={code}"}"#,
///     "https://herald.example.org",
/// ).unwrap();
/// let t = c.transaction_url.unwrap();
/// assert_eq!(
///     t.expand(Some(42), Some("FAR 0015/ب")).as_deref(),
///     Some("https://budget.example.org/transfers/42?c=FAR%200015%2F%D8%A8"),
/// );
/// assert_eq!(t.expand(Some(42), None), None, "a placeholder without a value: no link");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionUrl {
    pieces: Vec<Piece>,
}

impl TransactionUrl {
    /// Parses and checks a template: only `{id}` and `{code}` (a `{` or `}` is nothing else),
    /// an absolute http(s) URL with a host once they are filled in, https on an https page
    /// (loopback excepted, as for the backend).
    pub fn parse(template: &str, page_origin: &str) -> Result<Self, ConfigError> {
        let bad = |problem: String| ConfigError::BadUrl {
            field: "transaction_url",
            problem,
        };
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = template.trim();
        while let Some(i) = rest.find(['{', '}']) {
            text.push_str(&rest[..i]);
            if rest[i..].starts_with('}') {
                return Err(bad("has a \"}\" without its \"{\"".into()));
            }
            let after = &rest[i + 1..];
            let Some(end) = after.find('}') else {
                return Err(bad("has a \"{\" without its \"}\"".into()));
            };
            let piece = match &after[..end] {
                "id" => Piece::Id,
                "code" => Piece::Code,
                other => {
                    return Err(bad(format!(
                        "has an unknown placeholder {{{other}}} (only {{id}} and {{code}})"
                    )))
                }
            };
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(piece);
            rest = &after[end + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        let parsed = Self { pieces };
        // Checked filled in: a value is percent-encoded, so it can never add a scheme, a host
        // or a path separator, and what this URL is made of is what every link is made of.
        let sample = parsed.fill("1", "x");
        let url = Url::parse(&sample).map_err(|e| bad(format!("is not an absolute URL{e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must start with http:// or https://".into()));
        }
        if url.host_str().is_none() {
            return Err(bad("has no host".into()));
        }
        if page_origin.trim().starts_with("https:") && url.scheme() == "http" && !is_loopback(&url)
        {
            return Err(bad("must be https:// on an https page".into()));
        }
        Ok(parsed)
    }

    /// The link for a transaction, or `None` when the template asks for a value the item does
    /// not have. Values are percent-encoded (everything but ASCII letters, digits and `-._~`).
    pub fn expand(&self, id: Option<i64>, code: Option<&str>) -> Option<String> {
        let uses = |p: Piece| self.pieces.contains(&p);
        if (uses(Piece::Id) && id.is_none()) || (uses(Piece::Code) && code.is_none()) {
            return None;
        }
        let id = id.map(|i| i.to_string()).unwrap_or_default();
        Some(self.fill(&id, code.unwrap_or_default()))
    }

    fn fill(&self, id: &str, code: &str) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Id => percent_encode(id, &mut out),
                Piece::Code => percent_encode(code, &mut out),
            }
        }
        out
    }
}

/// Percent-encoding of `value` appended to `out`, safe anywhere in a URL (path, query,
/// fragment): RFC 3986's unreserved characters stay, every other UTF-8 byte is `%XX`.
fn percent_encode(value: &str, out: &mut String) {
    escape(
        value,
        out,
        |b| b.is_ascii_alphanumeric() || b"-._~".contains(&b),
        false,
    );
}

/// Appends `value` to `out`, bytes for which `keep` holds as they are, a space as `+` when
/// `space_as_plus`, every other UTF-8 byte as `%XX`.
fn escape(value: &str, out: &mut String, keep: impl Fn(u8) -> bool, space_as_plus: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else if b == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

fn parse_api_base(s: &str, field: &'static str) -> Result<Url, ConfigError> {
    let bad = |problem: &str| ConfigError::BadUrl {
        field,
        problem: problem.to_owned(),
    };
    let url = Url::parse(s.trim()).map_err(|e| bad(&format!("is not an absolute URL{e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.has_query_or_fragment() {
        return Err(bad("must not have a query or fragment"));
    }
    if url.host_str().is_none() {
        return Err(bad("has no host"));
    }
    Ok(url)
}

/// Loopback hosts, which browsers treat as secure (no mixed-content block). The host is as the
/// URL standard serialises it, which makes string checks exact: IPv6 `::1` in any spelling is
/// `[::1]`; an IPv4 address (in any notation) is four dotted decimals, and a host of digits and
/// dots is always one (a domain cannot end in a number); domains are lower-cased.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    host == "[::1]"
        || host.eq_ignore_ascii_case("localhost")
        || (host.starts_with("127.") && host.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `application/x-www-form-urlencoded` of `value` appended to `out` (what `URLSearchParams`
/// and the url crate's `append_pair` write): ASCII letters, digits and `*-._` stay, a space is
/// `+`, every other UTF-8 byte is `%XX`.
fn form_urlencode(value: &str, out: &mut String) {
    escape(
        value,
        out,
        |b| b.is_ascii_alphanumeric() || b"*-._".contains(&b),
        true,
    );
}

fn parse_ws_url(s: &str) -> Result<Url, ConfigError> {
    let bad = |problem: &str| ConfigError::BadUrl {
        field: "ws_url",
        problem: problem.to_owned(),
    };
    let url = Url::parse(s.trim()).map_err(|e| bad(&format!("is not an absolute URL{e}")))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(bad("must start with ws:// or wss://"));
    }
    if url.has_query_or_fragment() {
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

// Native only: the url crate, the reference these are checked against, is not in the wasm.
#[cfg(all(test, not(target_arch = "wasm32")))]
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
        let parsed = url::Url::parse(&url).unwrap();
        let keys: Vec<_> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["token"]);
        assert_eq!(
            c.socket_url("é ~'\u{1F600}"),
            "wss://api.example.org/ws/notifications/?token=%C3%A9+%7E%27%F0%9F%98%80"
        );
    }

    proptest::proptest! {
        /// The token encoding is the url crate's `append_pair` (which the app used before), for
        /// any text, and the token reads back unchanged.
        #[test]
        fn token_encoding_is_the_url_crates(token in "\\PC{0,40}|[ -~]{0,40}") {
            let c = RuntimeConfig::parse("{}", PAGE).unwrap();
            let mut expected = url::Url::parse(c.ws_url.as_str()).unwrap();
            expected.query_pairs_mut().append_pair("token", &token);
            let ours = c.socket_url(&token);
            proptest::prop_assert_eq!(&ours, expected.as_str());
            let back = url::Url::parse(&ours).unwrap();
            let pairs: Vec<_> = back.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            proptest::prop_assert_eq!(pairs, vec![("token".to_owned(), token)]);
        }
    }

    #[test]
    fn empty_queries_and_fragments_are_still_refused() {
        for text in [
            r#"{"api_base_url":"https://api.example.org/?"}"#,
            r#"{"api_base_url":"https://api.example.org/#"}"#,
            r#"{"ws_url":"wss://api.example.org/ws/notifications/?"}"#,
            r#"{"ws_url":"wss://api.example.org/ws/notifications/#"}"#,
        ] {
            let err = RuntimeConfig::parse(text, PAGE).unwrap_err();
            assert!(
                err.to_string()
                    .contains("must not have a query or fragment"),
                "{text}: {err}"
            );
        }
        // A `?` or `#` elsewhere is percent-encoded, not a query.
        let c = RuntimeConfig::parse(r#"{"api_base_url":"https://api.example.org/a%3Fb"}"#, PAGE)
            .unwrap();
        assert_eq!(c.api_url("x"), "https://api.example.org/a%3Fb/x");
    }

    #[test]
    fn loopback_is_read_from_the_serialised_host() {
        for (text, ok) in [
            (r#"{"api_base_url":"http://[::1]:8000"}"#, true),
            (r#"{"api_base_url":"http://127.1:8000"}"#, true),
            (r#"{"api_base_url":"http://127.200.0.9"}"#, true),
            (r#"{"api_base_url":"http://LOCALHOST:8000"}"#, true),
            (r#"{"api_base_url":"http://[::2]:8000"}"#, false),
            (r#"{"api_base_url":"http://128.0.0.1"}"#, false),
            (r#"{"api_base_url":"http://localhost.example.org"}"#, false),
            (r#"{"api_base_url":"http://[0:0:0:0:0:0:0:1]:8000"}"#, true),
            (r#"{"api_base_url":"http://[::ffff:127.0.0.1]"}"#, false),
            (r#"{"api_base_url":"http://0x7f.1"}"#, true),
            (r#"{"api_base_url":"http://2130706433"}"#, true),
            (r#"{"api_base_url":"http://127.example.org"}"#, false),
        ] {
            assert_eq!(
                RuntimeConfig::parse(text, "https://herald.example.org").is_ok(),
                ok,
                "{text}"
            );
        }
        let c = RuntimeConfig::parse(r#"{"api_base_url":"HTTPS://API.Example.org:443/"}"#, PAGE)
            .unwrap();
        assert_eq!(c.api_base_url.scheme(), "https");
        assert_eq!(c.api_base_url.host_str(), Some("api.example.org"));
        assert_eq!(c.api_base_url.port(), None);
        assert_eq!(c.ws_url.as_str(), "wss://api.example.org/ws/notifications/");
    }

    #[test]
    fn transaction_url_is_optional() {
        assert_eq!(
            RuntimeConfig::parse("{}", PAGE).unwrap().transaction_url,
            None
        );
    }

    #[test]
    fn transaction_url_expands_encoded_values() {
        let c = RuntimeConfig::parse(
            r#"{"transaction_url":"https://budget.example.org/transfers/{id}/{code}?c={code}#{id}"}"#,
            "https://herald.example.org",
        )
        .unwrap();
        let t = c.transaction_url.unwrap();
        let href = t.expand(Some(15), Some("FAR 00/15 ?&#%")).unwrap();
        assert_eq!(
            href,
            "https://budget.example.org/transfers/15/FAR%2000%2F15%20%3F%26%23%25?c=FAR%2000%2F15%20%3F%26%23%25#15"
        );
        // The browser's parser keeps it as written, and the value reads back whole.
        let parsed = url::Url::parse(&href).unwrap();
        assert_eq!(parsed.as_str(), href);
        assert_eq!(parsed.path_segments().unwrap().count(), 3);
        let code: Vec<_> = parsed.query_pairs().map(|(_, v)| v.into_owned()).collect();
        assert_eq!(code, ["FAR 00/15 ?&#%"]);
        // Arabic: UTF-8 bytes, each encoded.
        assert_eq!(
            t.expand(Some(-3), Some("تحويل ١")).unwrap(),
            "https://budget.example.org/transfers/-3/%D8%AA%D8%AD%D9%88%D9%8A%D9%84%20%D9%A1?c=%D8%AA%D8%AD%D9%88%D9%8A%D9%84%20%D9%A1#-3"
        );
        // A placeholder without a value: no link.
        assert_eq!(t.expand(Some(15), None), None);
        assert_eq!(t.expand(None, Some("A")), None);
        let id_only = TransactionUrl::parse("https://x.org/t/{id}", PAGE).unwrap();
        assert_eq!(id_only.expand(Some(7), None).unwrap(), "https://x.org/t/7");
        assert_eq!(id_only.expand(None, Some("A")), None);
        let code_only = TransactionUrl::parse("https://x.org/t?code={code}", PAGE).unwrap();
        assert_eq!(
            code_only.expand(None, Some("FAR-0015")).unwrap(),
            "https://x.org/t?code=FAR-0015"
        );
        let fixed = TransactionUrl::parse(" https://x.org/t ", PAGE).unwrap();
        assert_eq!(fixed.expand(None, None).unwrap(), "https://x.org/t");
    }

    #[test]
    fn bad_transaction_urls_are_configuration_errors() {
        for (template, page, says) in [
            ("https://x.org/{idx}", PAGE, "unknown placeholder {idx}"),
            ("https://x.org/{ID}", PAGE, "unknown placeholder {ID}"),
            ("https://x.org/{}", PAGE, "unknown placeholder {}"),
            ("https://x.org/{id", PAGE, "without its"),
            ("https://x.org/id}", PAGE, "without its"),
            ("/transfers/{id}", PAGE, "not an absolute URL"),
            ("javascript:alert({id})", PAGE, "http:// or https://"),
            ("ftp://x.org/{id}", PAGE, "http:// or https://"),
            ("{code}://x.org/", PAGE, ""),
            (
                "http://x.org/{id}",
                "https://herald.example.org",
                "https:// on an https page",
            ),
        ] {
            let text = serde_json::json!({ "transaction_url": template }).to_string();
            match RuntimeConfig::parse(&text, page) {
                Err(
                    e @ ConfigError::BadUrl {
                        field: "transaction_url",
                        ..
                    },
                ) => {
                    assert!(e.to_string().contains(says), "{template}: {e}")
                }
                other => panic!("{template}: {other:?}"),
            }
        }
        // Plain http is fine on an http page and for loopback.
        for (template, page) in [
            ("http://x.org/{id}", PAGE),
            ("http://127.0.0.1:9000/{id}", "https://herald.example.org"),
        ] {
            assert!(TransactionUrl::parse(template, page).is_ok(), "{template}");
        }
    }
}

//! The Content-Security-Policy Herald runs under, built in one place: the reference backend
//! sends it, `cargo xtask build` prints it for a deployment (xtask compiles this very file by
//! path, so it needs only `sha2`, `base64` and `serde_json`, not the backend).
//!
//! The only inline code Herald has is the module `<script>` Trunk writes into `index.html` to
//! load the wasm; it is allowed by its SHA-256 hash, computed from the built file. No
//! `unsafe-inline`, no `unsafe-eval`: only `wasm-unsafe-eval`, which compiling the app needs.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy: `script_hashes` are CSP source expressions (`'sha256-…'`), `connect` the API and
/// socket origins besides the page's own (`https://api.example.org`, `wss://api.example.org`).
pub fn policy(script_hashes: &[String], connect: &[String]) -> String {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script_src.extend(script_hashes.iter().cloned());
    let mut connect_src = vec!["'self'".to_owned()];
    for origin in connect {
        if !connect_src.contains(origin) {
            connect_src.push(origin.clone());
        }
    }
    [
        "default-src 'none'".to_owned(),
        format!("script-src {}", dedup(script_src).join(" ")),
        "style-src 'self'".to_owned(),
        format!("connect-src {}", connect_src.join(" ")),
        "img-src 'self' data:".to_owned(),
        "font-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        // The service worker (sw.js), registered from the app's own origin.
        "worker-src 'self'".to_owned(),
        "base-uri 'self'".to_owned(),
        "form-action 'none'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
    ]
    .join("; ")
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// `'sha256-<base64>'` of every inline `<script>` (one without `src`) in `html`, in order,
/// hashed over the exact text between the tags as the browser does.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found;
        let after_name = start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..].starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace()) {
            at = after_name;
            continue;
        }
        let Some(tag_end) = tag_end(&lower, after_name) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = lower[body_start..].find("</script") else {
            break;
        };
        let body_end = body_start + close;
        if !has_attribute(attributes, "src") {
            let digest = Sha256::digest(&html.as_bytes()[body_start..body_end]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        at = body_end;
    }
    hashes
}

/// Index of the `>` closing a start tag whose attributes begin at `from`, skipping quoted values.
fn tag_end(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in lower[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether the attribute text of a start tag names `name` (HTML's attribute syntax: names,
/// optionally `=` and a quoted or unquoted value).
fn has_attribute(attributes: &str, name: &str) -> bool {
    let bytes = attributes.as_bytes();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i].is_ascii_whitespace() || bytes[*i] == b'/') {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= bytes.len() {
            return false;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        if &attributes[start..i] == name {
            return true;
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
    }
}

/// `scheme://host[:port]` of an absolute URL, or `None` if it has no such origin.
pub fn origin(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.is_empty() {
        return None;
    }
    let default_port = match scheme.as_str() {
        "http" | "ws" => ":80",
        _ => ":443",
    };
    let host_port = host_port
        .strip_suffix(default_port)
        .unwrap_or(host_port)
        .to_ascii_lowercase();
    Some(format!("{scheme}://{host_port}"))
}

/// The socket origin the app derives from an API origin (http → ws, https → wss).
pub fn socket_origin(api_origin: &str) -> Option<String> {
    if let Some(rest) = api_origin.strip_prefix("https://") {
        Some(format!("wss://{rest}"))
    } else {
        api_origin
            .strip_prefix("http://")
            .map(|rest| format!("ws://{rest}"))
    }
}

/// The `connect-src` origins a deployment's `config.json` asks for: `api_base_url`'s origin and
/// `ws_url`'s (or the socket origin derived from the API, as the app derives it).
pub fn connect_origins_from_config(config_json: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value =
        serde_json::from_str(config_json).map_err(|e| format!("config.json: {e}"))?;
    let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let mut origins = Vec::new();
    let api = match text("api_base_url") {
        Some(url) => {
            Some(origin(&url).ok_or_else(|| format!("config.json: api_base_url {url:?}"))?)
        }
        None => None,
    };
    if let Some(api) = &api {
        origins.push(api.clone());
    }
    match text("ws_url") {
        Some(url) => {
            origins.push(origin(&url).ok_or_else(|| format!("config.json: ws_url {url:?}"))?)
        }
        None => origins.extend(api.as_deref().and_then(socket_origin)),
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only_over_their_exact_text() {
        let html = "<html><head><script src=\"/a.js\"></script><script type='module' async src=/b.js></script>\
            <script data-x=\"a > b\" defer src='/c.js'></script>\
            <SCRIPT type=\"module\">\nimport init from '/x.js';\n</SCRIPT>\
            <scripts>no</scripts><script data-src=\"x\">alert(1)</script></head></html>";
        let hashes = inline_script_hashes(html);
        let expected = |text: &str| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
            )
        };
        assert_eq!(
            hashes,
            vec![
                expected("\nimport init from '/x.js';\n"),
                expected("alert(1)")
            ]
        );
    }

    #[test]
    fn known_hash_of_an_empty_script() {
        // The value browsers print for an empty inline script.
        assert_eq!(
            inline_script_hashes("<script></script>"),
            vec!["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='".to_owned()]
        );
    }

    #[test]
    fn policy_has_every_directive_and_no_unsafe_inline() {
        let p = policy(
            &["'sha256-abc'".into()],
            &["http://127.0.0.1:8000".into(), "ws://127.0.0.1:8000".into()],
        );
        assert_eq!(
            p,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'; \
             style-src 'self'; connect-src 'self' http://127.0.0.1:8000 ws://127.0.0.1:8000; \
             img-src 'self' data:; font-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'self'; \
             form-action 'none'; frame-ancestors 'none'"
        );
        assert!(!p.contains("unsafe-inline") && !p.contains("'unsafe-eval'"));
    }

    #[test]
    fn origins_from_config() {
        assert_eq!(
            connect_origins_from_config(
                r#"{"api_base_url": "https://API.example.org:443/herald/"}"#
            ),
            Ok(vec![
                "https://api.example.org".to_owned(),
                "wss://api.example.org".to_owned()
            ])
        );
        assert_eq!(
            connect_origins_from_config(
                r#"{"api_base_url": "http://10.0.0.5:8000", "ws_url": "wss://push.example.org/ws/notifications/"}"#
            ),
            Ok(vec![
                "http://10.0.0.5:8000".to_owned(),
                "wss://push.example.org".to_owned()
            ])
        );
        assert_eq!(connect_origins_from_config("{}"), Ok(vec![]));
        assert!(connect_origins_from_config(r#"{"api_base_url": "api.example.org"}"#).is_err());
    }
}

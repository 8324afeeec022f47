//! An absolute URL as the URL standard parses and serialises it: the browser's own `URL` in
//! the app (no parser shipped in the wasm), the url crate (the same standard) natively. The one
//! browser call of `config.rs`, kept apart so the rest of it stays in the purity check
//! (`tests/layers.rs`).

/// A parsed absolute URL: its serialisation and the parts the configuration checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    href: String,
    scheme_len: usize,
    host: Option<String>,
    port: Option<u16>,
}

impl Url {
    /// Parses an absolute URL; the error is a short reason in parentheses, or nothing.
    pub fn parse(s: &str) -> Result<Self, String> {
        #[cfg(target_arch = "wasm32")]
        {
            let u = web_sys::Url::new(s).map_err(|_| String::new())?;
            let href = u.href();
            let scheme_len = u.protocol().len().saturating_sub(1);
            let host = Some(u.hostname()).filter(|h| !h.is_empty());
            let port = u.port().parse().ok();
            Ok(Self {
                href,
                scheme_len,
                host,
                port,
            })
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let u = url::Url::parse(s).map_err(|e| format!(" ({e})"))?;
            Ok(Self {
                scheme_len: u.scheme().len(),
                host: u.host_str().map(str::to_owned),
                port: u.port(),
                href: u.into(),
            })
        }
    }

    /// The whole URL, serialised.
    pub fn as_str(&self) -> &str {
        &self.href
    }

    /// `https`, `wss`, … (lower case, without the colon).
    pub fn scheme(&self) -> &str {
        &self.href[..self.scheme_len]
    }

    /// The host (IPv6 in brackets), if any.
    pub fn host_str(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// The port, unless it is the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether a `?` query or `#` fragment is present, even an empty one (a serialised URL
    /// has a `?` or `#` only there: elsewhere they are percent-encoded).
    pub fn has_query_or_fragment(&self) -> bool {
        self.href.contains(['?', '#'])
    }
}

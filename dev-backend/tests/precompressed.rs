//! The built app served precompressed over real HTTP: `x.br` / `x.gz` beside `x` (as
//! `cargo xtask build` writes them) are sent when `Accept-Encoding` takes them, with
//! `Content-Encoding`, the original's `Content-Type` and `Vary: Accept-Encoding`, and the
//! security headers of every app response.

mod common;

use std::io::{Read, Write};

use common::*;

const WASM: &str = "herald-1_bg.wasm";
const INDEX: &str = "<!doctype html><title>Herald</title><script type=\"module\">import init from '/herald-1.js'; init();</script>";

fn wasm_bytes() -> Vec<u8> {
    // The wasm magic and version, then something compressible.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..30_000u32).map(|i| (i % 13) as u8));
    bytes
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data).unwrap();
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn unbrotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn ungzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A dist/ with the wasm and index.html precompressed both ways and a CSS file without copies.
async fn serve() -> (Backend, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    let put = |name: &str, data: &[u8]| std::fs::write(dist.path().join(name), data).unwrap();
    let wasm = wasm_bytes();
    put(WASM, &wasm);
    put(&format!("{WASM}.br"), &brotli(&wasm));
    put(&format!("{WASM}.gz"), &gzip(&wasm));
    put("index.html", INDEX.as_bytes());
    put("index.html.br", &brotli(INDEX.as_bytes()));
    put("index.html.gz", &gzip(INDEX.as_bytes()));
    put("main-1.css", b"body { margin: 0 }");
    let path = dist.path().to_path_buf();
    (start_with(|o| o.dist = Some(path)).await, dist)
}

struct Got {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Every `Vary` value, lower case, split at commas.
    fn vary(&self) -> Vec<String> {
        self.headers
            .get_all("vary")
            .iter()
            .flat_map(|v| v.to_str().unwrap().split(','))
            .map(|s| s.trim().to_ascii_lowercase())
            .collect()
    }

    /// The app's security headers (see static_files.rs), whatever the encoding.
    fn assert_secured(&self) {
        let csp = self.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("default-src"), "CSP: {csp:?}");
        assert_eq!(self.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(self.header("referrer-policy"), Some("no-referrer"));
    }
}

/// A GET with exactly this `Accept-Encoding` (none when `None`); the body as sent (reqwest
/// here decodes nothing).
async fn get(b: &Backend, path: &str, accept: Option<&str>) -> Got {
    let mut request = b.http.get(b.url(path));
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let r = request.send().await.unwrap();
    Got {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.bytes().await.unwrap().to_vec(),
    }
}

#[tokio::test]
async fn a_browser_taking_brotli_gets_the_br_copy_as_application_wasm_and_other_files_as_they_are()
{
    let (b, _dist) = serve().await;
    let r = get(&b, &format!("/{WASM}"), Some("gzip, deflate, br, zstd")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(
        r.vary().contains(&"accept-encoding".to_owned()),
        "{:?}",
        r.vary()
    );
    assert!(r.body.len() < wasm_bytes().len() / 4);
    assert_eq!(unbrotli(&r.body), wasm_bytes());
    r.assert_secured();
    // A file without copies is sent as it is, even to a brotli client.
    let r = get(&b, "/main-1.css", Some("br, gzip")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, b"body { margin: 0 }");
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    // A missing asset stays a 404, never the (compressed) page.
    let r = get(&b, "/missing-1.js", Some("br, gzip")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-encoding"), None);
}

#[tokio::test]
async fn a_client_taking_only_gzip_gets_the_gz_copy() {
    let (b, _dist) = serve().await;
    for accept in ["gzip", "br;q=0, gzip"] {
        let r = get(&b, &format!("/{WASM}"), Some(accept)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-encoding"), Some("gzip"), "{accept}");
        assert_eq!(r.header("content-type"), Some("application/wasm"));
        assert!(r.vary().contains(&"accept-encoding".to_owned()));
        assert_eq!(ungzip(&r.body), wasm_bytes(), "{accept}");
        r.assert_secured();
    }
}

#[tokio::test]
async fn a_client_taking_no_encoding_gets_the_file_itself() {
    let (b, _dist) = serve().await;
    for accept in [None, Some("identity")] {
        let r = get(&b, &format!("/{WASM}"), accept).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-encoding"), None, "{accept:?}");
        assert_eq!(r.header("content-type"), Some("application/wasm"));
        assert!(r.vary().contains(&"accept-encoding".to_owned()));
        assert_eq!(r.body, wasm_bytes());
        r.assert_secured();
    }
}

#[tokio::test]
async fn the_page_and_its_deep_links_come_compressed_with_the_strict_csp() {
    let (b, _dist) = serve().await;
    for path in ["/", "/index.html", "/inbox", "/uploads/42"] {
        let r = get(&b, path, Some("gzip, br")).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-encoding"), Some("br"), "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        assert!(r.vary().contains(&"accept-encoding".to_owned()), "{path}");
        assert_eq!(unbrotli(&r.body), INDEX.as_bytes(), "{path}");
        r.assert_secured();
        // The policy hashes the page's inline script: the same as for the uncompressed page.
        let hash = dev_backend::csp::inline_script_hashes(INDEX)[0].clone();
        assert!(
            r.header("content-security-policy").unwrap().contains(&hash),
            "{path}"
        );
    }
    let r = get(&b, "/inbox", Some("gzip")).await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(ungzip(&r.body), INDEX.as_bytes());
    let r = get(&b, "/inbox", None).await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.body, INDEX.as_bytes());
}

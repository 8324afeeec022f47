//! The service worker's precache manifest (`dist/sw-manifest.js`, imported by `dist/sw.js`):
//! every file of the build the worker serves cache-first, and a version derived from their
//! contents and `index.html`'s, so a build that changes any of them installs a new worker (the
//! browser compares the imported script byte for byte) and a build that changes none does not.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::util::Fail;

/// The manifest's file name, beside `sw.js`.
pub const MANIFEST: &str = "sw-manifest.js";

/// What [`write`] wrote.
pub struct Manifest {
    /// The build's version: the first 16 hex digits of a SHA-256 over names and contents.
    pub version: String,
    /// Paths relative to `dist/` (the worker resolves them against its scope), sorted.
    pub assets: Vec<String>,
}

/// Files of `dist/` that are not precached as build assets: the page (network-first, cached
/// apart), deployment data, the worker and its manifest (always fetched by the browser), and
/// the precompressed copies (the server picks them; the browser never names them).
fn excluded(relative: &str) -> bool {
    matches!(relative, "index.html" | "config.json" | "sw.js" | MANIFEST)
        || relative.ends_with(".br")
        || relative.ends_with(".gz")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Fail> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Fail::new(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Fail::new(format!("{}: {e}", dir.display())))?
            .path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Writes `dist/sw-manifest.js` for the build in `dist`.
pub fn write(dist: &Path) -> Result<Manifest, Fail> {
    let mut files = Vec::new();
    walk(dist, &mut files)?;
    let mut assets: Vec<String> = files
        .iter()
        .filter_map(|p| p.strip_prefix(dist).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !excluded(p))
        .collect();
    assets.sort();
    let mut hasher = Sha256::new();
    for name in assets.iter().map(String::as_str).chain(["index.html"]) {
        let path = dist.join(name);
        let bytes =
            std::fs::read(&path).map_err(|e| Fail::new(format!("{}: {e}", path.display())))?;
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(Sha256::digest(&bytes));
    }
    let version: String = hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let body = serde_json::json!({ "version": version, "assets": assets });
    let text = format!(
        "// Written by `cargo xtask build`: the files this build's service worker (sw.js) precaches.\n\
         self.heraldPrecache = {body};\n"
    );
    let path = dist.join(MANIFEST);
    std::fs::write(&path, text).map_err(|e| Fail::new(format!("{}: {e}", path.display())))?;
    Ok(Manifest { version, assets })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(dir: &Path, files: &[(&str, &str)]) {
        for (name, body) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
    }

    #[test]
    fn lists_the_hashed_assets_and_versions_them_by_content() {
        let dist = std::env::temp_dir().join(format!("xtask-precache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dist);
        build(
            &dist,
            &[
                ("index.html", "<script>import '/herald-1.js'</script>"),
                ("herald-1.js", "export default 1"),
                ("herald-1.js.br", "x"),
                ("herald-1.js.gz", "x"),
                ("herald-1_bg.wasm", "\0asm"),
                ("main-2.css", "body{}"),
                ("static/favicon.svg", "<svg/>"),
                ("config.json", "{}"),
                ("sw.js", "importScripts('sw-manifest.js')"),
            ],
        );
        let first = write(&dist).unwrap();
        assert_eq!(
            first.assets,
            [
                "herald-1.js",
                "herald-1_bg.wasm",
                "main-2.css",
                "static/favicon.svg"
            ]
        );
        assert_eq!(first.version.len(), 16);
        let text = std::fs::read_to_string(dist.join(MANIFEST)).unwrap();
        let json = text
            .split("self.heraldPrecache = ")
            .nth(1)
            .unwrap()
            .trim_end()
            .trim_end_matches(';');
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["version"], first.version.as_str());
        assert_eq!(value["assets"][3], "static/favicon.svg");
        // The manifest itself and deployment data never change the version.
        std::fs::write(dist.join("config.json"), r#"{"api_base_url":"https://x"}"#).unwrap();
        assert_eq!(write(&dist).unwrap().version, first.version);
        // An unhashed file's new contents do; so does a new page.
        std::fs::write(dist.join("static/favicon.svg"), "<svg></svg>").unwrap();
        let second = write(&dist).unwrap();
        assert_ne!(second.version, first.version);
        std::fs::write(dist.join("index.html"), "<p>").unwrap();
        assert_ne!(write(&dist).unwrap().version, second.version);
        std::fs::remove_dir_all(&dist).unwrap();
    }
}

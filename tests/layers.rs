//! The layers and what imports what (#14): `protocol/` → `state/` → `services/` →
//! `providers/` + `hooks/` → `components/` + `pages/` → `app.rs`; nothing imports upwards.
//! Reads `src/` and fails on an upward `crate::…` path. `KNOWN` is for an import that must run
//! against the arrows for a while (none does today): it is kept exact, a listed one that is
//! gone fails too.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;

/// A module's layer; a file may use its own layer and those below (pages and components not
/// `services`, which they reach through hooks and providers).
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "protocol" => 0,
        "state" | "config" => 1,
        "services" => 2,
        "providers" | "hooks" | "i18n" | "routes" | "format" => 3,
        "components" | "pages" => 4,
        "app" => 5,
        _ => return None,
    })
}

/// Upward imports not yet untangled: (file, module it reaches up to).
const KNOWN: &[(&str, &str)] = &[];

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn nothing_imports_upwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut found = BTreeSet::new();
    for path in paths {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let own = rel.split(['/', '.']).next().unwrap().to_owned();
        let Some(own_layer) = layer(&own) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        // Test modules may reach anywhere; comments (doc links) are not imports.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (i, _) in code.match_indices("crate::") {
            let target: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(target_layer) = layer(&target) {
                // Pages and components reach I/O only through a hook or a provider.
                let skips = own_layer == 4 && target == "services";
                if target_layer > own_layer || skips {
                    found.insert((rel.clone(), target));
                }
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(new.is_empty(), "upward imports: {new:#?}");
    assert!(gone.is_empty(), "fixed, take them off KNOWN: {gone:#?}");
}

/// Where a pure layer reaches the browser's own built-in (with the native equivalent beside it
/// for the tests): one small file each, named here.
const SEAMS: &[&str] = &[
    "state/inbox/query/lower.rs",
    "state/inbox/shortcuts/alphabetic.rs",
];

/// `protocol/`, `state/` and `config.rs` stay pure: no browser API, so all of it is tested
/// natively, except the [`SEAMS`]. (`config/weburl.rs`, config's URL parser, is the browser's
/// `URL` in the app.)
#[test]
fn the_pure_layers_call_no_browser() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = vec![src.join("config.rs")];
    files(&src.join("protocol"), &mut paths);
    files(&src.join("state"), &mut paths);
    for path in paths {
        if SEAMS.iter().any(|seam| path.ends_with(seam)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for api in ["js_sys", "web_sys", "wasm_bindgen", "gloo"] {
            assert!(!text.contains(api), "{} uses {api}", path.display());
        }
    }
}

//! Precompressed copies of the built app: `x.br` (brotli, quality 11) and `x.gz` (gzip -9)
//! beside every compressible file of `dist/`, for servers that send them as they are
//! (the reference backend's `ServeDir`, nginx `brotli_static` / `gzip_static`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::Fail;

/// File types worth compressing (text and wasm); images, fonts and archives already are.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "mjs", "css", "html", "svg", "json", "txt"];

/// Files left alone: `config.json` is deployment data, written or replaced per site after the
/// build; a stale `.br` beside it would be served instead of the real one.
const LEFT_OUT: &[&str] = &["config.json"];

/// What one run did, for the build's report.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Files with an up-to-date `.br` and `.gz` (or skipped as not worth it) after the run.
    pub files: usize,
    /// Compressed copies written by this run (0 on a second run: it is idempotent).
    pub written: usize,
    /// Total size of the compressible files, and of what a brotli / gzip client downloads.
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Writes the missing or stale `.br` and `.gz` copies under `dist`, and removes copies whose
/// original is gone. A copy that would not be smaller than its original is not written (the
/// server then sends the original, as it should).
pub fn run(dist: &Path) -> Result<Summary, Fail> {
    let mut files = Vec::new();
    walk(dist, &mut files)?;
    let mut summary = Summary::default();
    for path in &files {
        if let Some(original) = compressed_original(path) {
            if !original.exists() || !is_compressible(&original) {
                std::fs::remove_file(path).map_err(|e| io_fail(path, e))?;
            }
            continue;
        }
        if !is_compressible(path) {
            continue;
        }
        let data = std::fs::read(path).map_err(|e| io_fail(path, e))?;
        summary.files += 1;
        summary.raw += data.len() as u64;
        for (ext, compress) in [("br", brotli_max as fn(&[u8]) -> Vec<u8>), ("gz", gzip_max)] {
            let target = with_suffix(path, ext);
            let size = if is_fresh(path, &target) {
                std::fs::metadata(&target)
                    .map_err(|e| io_fail(&target, e))?
                    .len()
            } else {
                let packed = compress(&data);
                if packed.len() >= data.len() {
                    let _ = std::fs::remove_file(&target);
                    data.len() as u64
                } else {
                    write_atomically(&target, &packed)?;
                    summary.written += 1;
                    packed.len() as u64
                }
            };
            let total = if ext == "br" {
                &mut summary.brotli
            } else {
                &mut summary.gzip
            };
            *total += size;
        }
    }
    Ok(summary)
}

fn io_fail(path: &Path, e: std::io::Error) -> Fail {
    Fail::new(format!("{}: {e}", path.display()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Fail> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_fail(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_fail(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| io_fail(&path, e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

fn is_compressible(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    !LEFT_OUT.contains(&name) && COMPRESSIBLE.contains(&ext.to_ascii_lowercase().as_str())
}

/// `a/x.wasm.br` → `a/x.wasm` (a copy of ours), anything else → None.
fn compressed_original(path: &Path) -> Option<PathBuf> {
    let ext = path.extension()?.to_str()?;
    if ext != "br" && ext != "gz" {
        return None;
    }
    let original = path.with_extension("");
    original.extension().is_some().then_some(original)
}

fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// The copy exists and was written after the original last changed.
fn is_fresh(original: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(original), modified(copy)), (Some(o), Some(c)) if c >= o)
}

fn write_atomically(target: &Path, data: &[u8]) -> Result<(), Fail> {
    let tmp = with_suffix(target, "tmp");
    std::fs::write(&tmp, data).map_err(|e| io_fail(&tmp, e))?;
    std::fs::rename(&tmp, target).map_err(|e| io_fail(target, e))
}

/// Brotli at its highest quality and the largest window browsers accept (16 MiB).
pub fn brotli_max(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)
        .expect("brotli into memory cannot fail");
    out
}

/// gzip -9, without a file name or time in the header (the output depends on the input only).
pub fn gzip_max(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(data)
        .expect("gzip into memory cannot fail");
    encoder.finish().expect("gzip into memory cannot fail")
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-pre-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("static")).unwrap();
        dir
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

    #[test]
    fn every_compressible_file_gets_a_br_and_a_gz_that_decompress_to_it() {
        let dist = scratch("all");
        let js = "export function f() { return 'herald'; }\n".repeat(200);
        let wasm: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8).collect();
        let svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>".repeat(20);
        std::fs::write(dist.join("app-1234.js"), &js).unwrap();
        std::fs::write(dist.join("app-1234_bg.wasm"), &wasm).unwrap();
        std::fs::write(dist.join("static/favicon.svg"), &svg).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html>".repeat(50)).unwrap();
        std::fs::write(
            dist.join("config.json"),
            r#"{"api_base_url": "x"}"#.repeat(20),
        )
        .unwrap();
        std::fs::write(dist.join("static/logo.png"), [0x89u8, b'P', b'N', b'G']).unwrap();

        let summary = run(&dist).unwrap();
        assert_eq!(summary.files, 4);
        assert_eq!(summary.written, 8);
        for (name, original) in [
            ("app-1234.js", js.as_bytes().to_vec()),
            ("app-1234_bg.wasm", wasm.clone()),
            ("static/favicon.svg", svg.as_bytes().to_vec()),
        ] {
            let br = std::fs::read(dist.join(format!("{name}.br"))).unwrap();
            let gz = std::fs::read(dist.join(format!("{name}.gz"))).unwrap();
            assert!(br.len() < original.len() && gz.len() < original.len());
            assert_eq!(unbrotli(&br), original, "{name}.br");
            assert_eq!(ungzip(&gz), original, "{name}.gz");
        }
        // Deployment data and already-compressed formats are left alone.
        for name in ["config.json.br", "config.json.gz", "static/logo.png.br"] {
            assert!(!dist.join(name).exists(), "{name}");
        }
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn a_second_run_writes_nothing_and_a_changed_file_is_compressed_again() {
        let dist = scratch("again");
        let js = dist.join("app.js");
        std::fs::write(&js, "let a = 1;\n".repeat(300)).unwrap();
        let first = run(&dist).unwrap();
        assert_eq!(first.written, 2);
        let second = run(&dist).unwrap();
        assert_eq!(second.written, 0);
        assert_eq!(
            (second.raw, second.brotli, second.gzip),
            (first.raw, first.brotli, first.gzip)
        );

        // A newer original (as after a rebuild without cleaning) makes its copies stale.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&js, "let b = 2;\n".repeat(400)).unwrap();
        assert_eq!(run(&dist).unwrap().written, 2);
        let br = std::fs::read(dist.join("app.js.br")).unwrap();
        assert_eq!(unbrotli(&br), "let b = 2;\n".repeat(400).into_bytes());

        // Copies of a file that is gone are removed.
        std::fs::remove_file(&js).unwrap();
        run(&dist).unwrap();
        assert!(!dist.join("app.js.br").exists() && !dist.join("app.js.gz").exists());
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn a_copy_that_would_not_be_smaller_is_not_written() {
        let dist = scratch("tiny");
        std::fs::write(dist.join("a.css"), "a{}").unwrap();
        let summary = run(&dist).unwrap();
        assert_eq!(summary.written, 0);
        assert_eq!((summary.raw, summary.brotli, summary.gzip), (3, 3, 3));
        assert!(!dist.join("a.css.br").exists() && !dist.join("a.css.gz").exists());
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn gzip_output_depends_on_the_input_only() {
        assert_eq!(gzip_max(b"same bytes"), gzip_max(b"same bytes"));
    }
}

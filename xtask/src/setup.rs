//! `cargo xtask setup`: install what is missing, skip what is there. Every step says which.

use std::path::Path;
use std::process::Command;

use crate::util::{self, root, run_quiet, tool, version_matches, Fail};

/// The Trunk release that builds with this machine's rustc (0.22 needs a newer one).
pub const TRUNK_VERSION: &str = "0.21.14";

pub fn run() -> Result<(), Fail> {
    util::stage_banner("setup", "installing what is missing");
    wasm_target()?;
    trunk()?;
    let wbg = wasm_bindgen_cli()?;
    check_trunk_pins(&wbg)?;
    chromium()?;
    npm_packages()?;
    wasm_opt_link()?;
    fetch_crates()?;
    Ok(())
}

fn skip(what: &str) {
    println!("    {what}: already there");
}

fn wasm_target() -> Result<(), Fail> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        skip("wasm32 target");
        return Ok(());
    }
    run_quiet(
        "install-wasm32-target",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
    .map(drop)
}

fn trunk() -> Result<(), Fail> {
    if version_matches("trunk", &format!("trunk {TRUNK_VERSION}")) {
        skip("trunk");
        return Ok(());
    }
    println!("    trunk {TRUNK_VERSION}: installing with cargo (about 7 minutes on 2 cores)");
    run_quiet(
        "install-trunk",
        util::cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]),
    )
    .map(drop)
}

/// The wasm-bindgen version Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String, Fail> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| Fail::new(format!("Cargo.lock: {e}")))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(Fail::new("Cargo.lock has no wasm-bindgen package"))
}

fn wasm_bindgen_cli() -> Result<String, Fail> {
    let version = locked_wasm_bindgen()?;
    if version_matches("wasm-bindgen", &format!("wasm-bindgen {version}"))
        && version_matches("wasm-bindgen-test-runner", &version)
    {
        skip("wasm-bindgen-cli");
        return Ok(version);
    }
    println!("    wasm-bindgen-cli {version}: installing with cargo (about 2 minutes)");
    // Not --locked: its lockfile names a crate version the registry no longer serves.
    run_quiet(
        "install-wasm-bindgen-cli",
        util::cargo().args([
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &version,
        ]),
    )?;
    Ok(version)
}

/// Trunk.toml's tool pins must equal what is installed, or Trunk would try to download.
fn check_trunk_pins(wasm_bindgen: &str) -> Result<(), Fail> {
    let trunk = std::fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| Fail::new(format!("Trunk.toml: {e}")))?;
    let want = format!("wasm_bindgen = \"{wasm_bindgen}\"");
    if !trunk.contains(&want) {
        return Err(Fail::new(format!(
            "Trunk.toml must pin {want} (Cargo.lock's wasm-bindgen)"
        )));
    }
    Ok(())
}

fn chromium() -> Result<(), Fail> {
    let have =
        Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists();
    if have {
        skip("chromium + chromedriver");
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root {
        return Err(Fail::new(
            "Chromium is missing: run `sudo apt-get install -y chromium chromium-driver`",
        ));
    }
    println!("    chromium + chromedriver: installing with apt-get");
    run_quiet("apt-get-update", Command::new("apt-get").arg("update"))?;
    run_quiet(
        "install-chromium",
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .map(drop)
}

/// `npm ci` in e2e/ when its lockfile changed since the last install.
fn npm_packages() -> Result<(), Fail> {
    let e2e = root().join("e2e");
    let lock = std::fs::read(e2e.join("package-lock.json"))
        .map_err(|e| Fail::new(format!("e2e/package-lock.json: {e}")))?;
    let stamp = e2e.join("node_modules").join(".herald-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        skip("e2e npm packages");
        return Ok(());
    }
    if !version_matches("npm", ".") {
        return Err(Fail::new(
            "npm is missing: run `apt-get install -y nodejs npm`",
        ));
    }
    run_quiet(
        "npm-ci",
        tool("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e),
    )?;
    std::fs::write(&stamp, &lock).map_err(|e| Fail::new(format!("{}: {e}", stamp.display())))
}

/// Trunk finds wasm-opt on PATH: link npm's binaryen into target/tools/bin.
fn wasm_opt_link() -> Result<(), Fail> {
    let target = root().join("e2e/node_modules/binaryen/bin/wasm-opt");
    if !target.exists() {
        return Err(Fail::new(
            "e2e/node_modules/binaryen is missing: npm ci did not install it",
        ));
    }
    let dir = root().join("target/tools/bin");
    std::fs::create_dir_all(&dir).map_err(|e| Fail::new(e.to_string()))?;
    let link = dir.join("wasm-opt");
    if std::fs::read_link(&link).ok().as_deref() != Some(target.as_path()) {
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link)
            .map_err(|e| Fail::new(format!("{}: {e}", link.display())))?;
    }
    if !version_matches("wasm-opt", "version_132") {
        return Err(Fail::new("wasm-opt on PATH is not binaryen 132"));
    }
    skip("wasm-opt (npm binaryen 132)");
    Ok(())
}

/// Trunk builds offline, so the crates must already be on disk.
fn fetch_crates() -> Result<(), Fail> {
    run_quiet("cargo-fetch", util::cargo().args(["fetch", "--locked"])).map(drop)
}

/// The commit the working tree is at (`-dirty` when it has changes), if git can say.
fn git_commit() -> Option<String> {
    let out = Command::new("git")
        .args(["describe", "--always", "--dirty", "--abbrev=12"])
        .current_dir(root())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    (out.status.success() && !text.is_empty() && text.chars().all(plain)).then(|| text.to_owned())
}

/// `trunk build --release` into dist/ (or `dist_dir`), never downloading, then the `.br` and
/// `.gz` copies beside each compressible file.
pub fn trunk_build(public_url: Option<&str>, dist_dir: Option<&Path>) -> Result<(), Fail> {
    let mut cmd = tool("trunk");
    cmd.args(["build", "index.html", "--release"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("NO_COLOR", "true");
    if let Some(url) = public_url {
        cmd.args(["--public-url", url]);
    }
    // Shown in "Connection details" and its support report; the local repository only.
    if let Some(commit) = git_commit() {
        cmd.env("HERALD_GIT_COMMIT", commit);
    }
    if let Some(dir) = dist_dir {
        cmd.arg("--dist").arg(dir);
    }
    run_quiet("trunk-build", &mut cmd)?;
    let dist = dist_dir.map_or_else(|| root().join("dist"), Path::to_path_buf);
    let manifest = crate::precache::write(&dist)?;
    println!(
        "    service worker: {} precached files, version {} ({})",
        manifest.assets.len(),
        manifest.version,
        crate::precache::MANIFEST,
    );
    let done = crate::precompress::run(&dist)?;
    println!(
        "    precompress: {} files, {} copies written; {:.1} KiB raw, {:.1} KiB brotli, {:.1} KiB gzip",
        done.files,
        done.written,
        done.raw as f64 / 1024.0,
        done.brotli as f64 / 1024.0,
        done.gzip as f64 / 1024.0,
    );
    Ok(())
}

//! `cargo xtask`: the project's own commands. Everything a fresh machine needs is installed by
//! `setup`, idempotently; nothing is ever downloaded by the build itself.

mod bench;
/// The one CSP builder, shared with the reference backend without depending on it.
#[path = "../../dev-backend/src/csp.rs"]
mod csp;
mod precache;
mod precompress;
mod setup;
mod soak;
mod test;
mod util;

use std::process::ExitCode;

use util::{root, Fail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                    install what is missing (wasm32 target, trunk, wasm-bindgen-cli,
                           Chromium + chromedriver, e2e npm packages incl. wasm-opt)
  build [--public-url P]   release build of the app into dist/ (P: base path, default /),
                           with x.br (brotli 11) and x.gz (gzip -9) beside each compressible
                           file (not config.json) for servers that send them precompressed;
                           prints the Content-Security-Policy for the deployment (inline
                           script hashes from dist/index.html, origins from dist/config.json)
  demo [--host H] [--port N] [--no-build]
                           setup, build, run the reference backend with demo traffic serving dist/
  test [--only STAGE]... [--skip-setup]
                           setup, then fmt, clippy (host, wasm32), native tests, browser unit
                           tests, release build, end-to-end; stages: fmt clippy clippy-wasm native
                           wasm build e2e
  screenshots              the README's pictures in docs/, from the real app (Playwright)
  bench [--quick] [--skip-setup] [--only soak] [--soak-readings FILE]
                           Herald beside its baselines (bench/: react-seed, vanilla,
                           yew-hello): size, wasm contributors, browser timings, memory,
                           reconnect, herd, backend load, and a soak of one tab (memory and
                           DOM after refreshes, reconnects, frames, deletes); writes
                           BENCHMARKS.md (--quick: smaller runs, written to
                           target/BENCHMARKS-quick.md; --only soak: the soak alone, only its
                           part of the report rewritten; --soak-readings: that part from
                           readings a soak kept, e.g. target/bench-soak.json, without running it;
                           with the whole run too)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "setup" => setup::run(),
        "build" => build(rest),
        "demo" => demo(rest),
        "test" => test::run(rest),
        "screenshots" => screenshots(),
        "bench" => bench::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(Fail::new(format!("unknown command {other:?}\n{USAGE}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag_value(args: &[String], name: &str) -> Result<Option<String>, Fail> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .cloned()
            .map(Some)
            .ok_or_else(|| Fail::new(format!("{name} needs a value"))),
    }
}

fn build(args: &[String]) -> Result<(), Fail> {
    setup::run()?;
    let public_url = flag_value(args, "--public-url")?;
    util::stage_banner("build", "release build into dist/");
    setup::trunk_build(public_url.as_deref(), None)?;
    let policy = deployment_policy(&root().join("dist"))?;
    println!();
    println!("  Content-Security-Policy for this build (send it with every response of dist/):");
    println!();
    println!("{policy}");
    println!();
    if !root().join("dist/config.json").exists() {
        println!(
            "  (no dist/config.json: API and socket on the page's own origin, 'self'; add the"
        );
        println!("  site's wss:// origin to connect-src for browsers where 'self' misses sockets)");
        println!();
    }
    Ok(())
}

/// The policy for `dist`: its `index.html`'s inline scripts by hash, and the API and socket
/// origins of its `config.json` (none: the page's own origin, `'self'`).
fn deployment_policy(dist: &std::path::Path) -> Result<String, Fail> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| Fail::new(format!("{}: {e}", index.display())))?;
    let config = dist.join("config.json");
    let origins = match std::fs::read_to_string(&config) {
        Ok(text) => csp::connect_origins_from_config(&text)
            .map_err(|e| Fail::new(format!("{}: {e}", config.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Fail::new(format!("{}: {e}", config.display()))),
    };
    Ok(csp::policy(&csp::inline_script_hashes(&html), &origins))
}

fn demo(args: &[String]) -> Result<(), Fail> {
    let host = flag_value(args, "--host")?.unwrap_or_else(|| "127.0.0.1".into());
    let port = flag_value(args, "--port")?.unwrap_or_else(|| "8000".into());
    setup::run()?;
    if !args.iter().any(|a| a == "--no-build") {
        util::stage_banner("build", "release build into dist/");
        setup::trunk_build(None, None)?;
    }
    util::stage_banner("backend", "optimised reference backend");
    util::run_quiet(
        "build-backend",
        util::cargo().args(["build", "-p", "dev-backend", "--profile", "backend"]),
    )?;
    let root = root();
    let data = root.join("target").join("demo.sqlite3");
    let url = format!("http://{host}:{port}/");
    println!();
    if !is_loopback(&host) {
        println!(
            "  WARNING: the demo listens on {host}, beyond this machine: anyone who can reach"
        );
        println!("  port {port} can sign in with the published demo passwords below. Use the");
        println!("  default --host 127.0.0.1 unless you mean to show it on a network you trust.");
        println!();
    }
    println!("  Herald demo: {url}");
    println!("  sign in as finance1 / Passw0rd!  (or finance2 / Passw0rd!)");
    println!("  live notifications every ~20 s and an Oracle upload every ~45 s once signed in");
    println!("  Ctrl-C stops it");
    println!();
    let status = std::process::Command::new(root.join("target/backend/dev-backend"))
        .args(["--host", &host, "--port", &port, "--demo", "--dist"])
        .arg(root.join("dist"))
        .arg("--data")
        .arg(&data)
        .status()
        .map_err(|e| Fail::new(format!("cannot start the reference backend: {e}")))?;
    // Ctrl-C reaches the backend too (same process group); it shuts down cleanly.
    if status.success() || status.code().is_none() {
        Ok(())
    } else {
        Err(Fail::new(format!(
            "the reference backend exited with {status}"
        )))
    }
}

/// `localhost`, 127.0.0.0/8 or `::1` (the demo's warning; the backend has the same check).
fn is_loopback(host: &str) -> bool {
    let name = host.trim().trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn screenshots() -> Result<(), Fail> {
    setup::run()?;
    util::stage_banner("build", "release build into dist/");
    setup::trunk_build(None, None)?;
    util::run_quiet(
        "build-backend",
        util::cargo().args(["build", "-p", "dev-backend", "--locked"]),
    )?;
    util::stage_banner("screenshots", "docs/*.png");
    let root = root();
    util::run_quiet(
        "screenshots",
        util::tool("npx")
            .args(["playwright", "test", "--config", "screenshots.config.ts"])
            .current_dir(root.join("e2e"))
            .env("HERALD_DIST", root.join("dist"))
            .env("HERALD_BACKEND_BIN", root.join("target/debug/dev-backend")),
    )
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_policy_hashes_the_built_loader_and_names_the_configured_backend() {
        let dist = std::env::temp_dir().join(format!("xtask-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<script type=\"module\">import init from '/h.js';</script>",
        )
        .unwrap();
        let without_config = deployment_policy(&dist).unwrap();
        assert!(
            without_config.contains("connect-src 'self';"),
            "{without_config}"
        );
        let hash = csp::inline_script_hashes("<script>import init from '/h.js';</script>");
        assert!(without_config.contains(&format!("'wasm-unsafe-eval' {};", hash[0])));
        std::fs::write(
            dist.join("config.json"),
            r#"{"api_base_url": "https://api.example.org/herald"}"#,
        )
        .unwrap();
        let with_config = deployment_policy(&dist).unwrap();
        assert!(
            with_config
                .contains("connect-src 'self' https://api.example.org wss://api.example.org;"),
            "{with_config}"
        );
        std::fs::write(dist.join("config.json"), "{not json").unwrap();
        assert!(deployment_policy(&dist).is_err());
        std::fs::remove_dir_all(&dist).unwrap();
    }
}

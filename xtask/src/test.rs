//! `cargo xtask test`: every stage in order, stopping at the first failure, ending with one
//! line CI reads: `N passed, N failed`.

use std::time::Instant;

use crate::setup;
use crate::util::{self, root, run_quiet, tool, Fail};

const STAGES: &[(&str, &str)] = &[
    ("fmt", "cargo fmt --check"),
    ("clippy", "clippy -D warnings, host"),
    ("clippy-wasm", "clippy -D warnings, wasm32"),
    ("native", "native tests (workspace)"),
    (
        "wasm",
        "browser unit tests (wasm-bindgen-test, headless Chromium)",
    ),
    ("build", "release build into dist/"),
    ("e2e", "Playwright end-to-end against the reference backend"),
    (
        "bench",
        "cargo xtask bench --quick runs end to end (figures are not checked)",
    ),
];

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    /// The build stage has written `dist/` in this run: the quick bench measures that build
    /// instead of making it again.
    built: bool,
}

pub fn run(args: &[String]) -> Result<(), Fail> {
    let mut only = Vec::new();
    let mut skip_setup = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => {
                let stage = it
                    .next()
                    .ok_or_else(|| Fail::new("--only needs a stage name"))?;
                if !STAGES.iter().any(|(n, _)| n == stage) {
                    return Err(Fail::new(format!("unknown stage {stage:?}")));
                }
                only.push(stage.clone());
            }
            "--skip-setup" => skip_setup = true,
            other => return Err(Fail::new(format!("unknown option {other:?}"))),
        }
    }
    let started = Instant::now();
    if !skip_setup {
        setup::run()?;
    }
    let selected: Vec<_> = STAGES
        .iter()
        .filter(|(n, _)| only.is_empty() || only.iter().any(|o| o == n))
        .collect();
    let mut tally = Tally::default();
    for (i, (name, what)) in selected.iter().enumerate() {
        util::stage_banner(&format!("[{}/{}] {name}", i + 1, selected.len()), what);
        if let Err(e) = stage(name, &mut tally) {
            if tally.failed == 0 {
                // A stage without test counts (fmt, clippy, build) failing is one failure.
                tally.failed = 1;
            }
            println!(
                "stage {name} failed after {:.0} s in all",
                started.elapsed().as_secs_f64()
            );
            println!("{} passed, {} failed", tally.passed, tally.failed);
            return Err(e);
        }
    }
    println!(
        "all stages passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

fn stage(name: &str, tally: &mut Tally) -> Result<(), Fail> {
    match name {
        "fmt" => run_quiet("fmt", util::cargo().args(["fmt", "--all", "--", "--check"])).map(drop),
        "clippy" => run_quiet(
            "clippy",
            util::cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        )
        .map(drop),
        "clippy-wasm" => run_quiet(
            "clippy-wasm",
            util::cargo().args([
                "clippy",
                "-p",
                "herald",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        )
        .map(drop),
        "native" => counted(
            tally,
            "native",
            util::cargo().args(["test", "--workspace", "--locked"]),
            cargo_counts,
        ),
        "wasm" => wasm(tally),
        "build" => {
            setup::trunk_build(None, None)?;
            tally.built = true;
            Ok(())
        }
        "e2e" => e2e(tally),
        "bench" => {
            crate::bench::run_after_setup(true, tally.built)?;
            tally.passed += 1;
            Ok(())
        }
        _ => Err(Fail::new(format!("unknown stage {name}"))),
    }
}

/// The browser unit tests. The wiring tests (`tests/wiring/`) drive the real reference
/// backend: it is started here on a free loopback port with `--control`, and its URL is handed
/// to the tests at compile time (`HERALD_TEST_BACKEND`, read with `option_env!`: a test built
/// without it fails). The control API answers without CORS headers on purpose (a page of
/// another origin must not read it), so the tests reach it through [`control_forwarder`], a
/// loopback forwarder that lives only as long as this stage (`HERALD_TEST_CONTROL`).
fn wasm(tally: &mut Tally) -> Result<(), Fail> {
    run_quiet(
        "build-backend",
        util::cargo().args(["build", "-p", "dev-backend", "--locked"]),
    )?;
    let backend = TestBackend::start()?;
    let control = control_forwarder(backend.addr)?;
    let result = counted(
        tally,
        "wasm",
        util::cargo()
            .args([
                "test",
                "-p",
                "herald",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "browser",
                "--test",
                "faults",
                "--test",
                "wiring",
                "--locked",
            ])
            .env("PATH", util::tool_path())
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
            .env("HERALD_TEST_BACKEND", format!("http://{}", backend.addr))
            .env("HERALD_TEST_CONTROL", format!("http://{control}")),
        cargo_counts,
    );
    drop(backend);
    result
}

/// The debug reference backend on a free loopback port, with its own data file; killed (by
/// its process id) when dropped.
struct TestBackend {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    dir: std::path::PathBuf,
}

impl TestBackend {
    fn start() -> Result<Self, Fail> {
        use std::io::BufRead;
        let dir = std::env::temp_dir().join(format!("herald-wasm-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Fail::new(format!("{}: {e}", dir.display())))?;
        let log = std::fs::File::create(util::log_dir().join("wasm-backend.log"))
            .map_err(|e| Fail::new(format!("wasm-backend.log: {e}")))?;
        let mut child = std::process::Command::new(root().join("target/debug/dev-backend"))
            .args(["--host", "127.0.0.1", "--port", "0", "--control", "--data"])
            .arg(dir.join("db.sqlite3"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| Fail::new(format!("cannot start the reference backend: {e}")))?;
        let stdout = child.stdout.take().expect("piped");
        // "listening on http://127.0.0.1:PORT", the line scripts read.
        let addr = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on http://")?.trim().parse().ok());
        let mut backend = Self {
            child,
            addr: ([127, 0, 0, 1], 0).into(),
            dir,
        };
        backend.addr = addr.ok_or_else(|| {
            Fail::new("the reference backend did not say where it listens (target/xtask-logs/wasm-backend.log)")
        })?;
        Ok(backend)
    }
}

impl Drop for TestBackend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A loopback forwarder for the backend's `/test/` control API that adds CORS headers, so the
/// browser tests (served from another origin) can read its answers. Test plumbing only: the
/// app's own requests go to the backend directly, through its real CORS. One request per
/// connection; lives until xtask exits.
fn control_forwarder(backend: std::net::SocketAddr) -> Result<std::net::SocketAddr, Fail> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Fail::new(format!("control forwarder: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Fail::new(format!("control forwarder: {e}")))?;
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || {
                let _ = forward_one(stream, backend);
            });
        }
    });
    Ok(addr)
}

fn forward_one(
    mut client: std::net::TcpStream,
    backend: std::net::SocketAddr,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let request = read_http_message(&mut client)?;
    let (method, path) = request
        .head
        .lines()
        .next()
        .and_then(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_owned(), w.next()?.to_owned()))
        })
        .unwrap_or_default();
    const CORS: &str = "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, POST\r\nAccess-Control-Allow-Headers: content-type\r\n";
    if method == "OPTIONS" {
        return client.write_all(
            format!(
                "HTTP/1.1 204 No Content\r\n{CORS}Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
    }
    if !path.starts_with("/test/") {
        return client.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    let mut upstream = std::net::TcpStream::connect(backend)?;
    // No Origin: the control API acts for loopback callers naming a loopback host.
    upstream.write_all(
        format!(
            "{method} {path} HTTP/1.1\r\nHost: {backend}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            request.body.len()
        )
        .as_bytes(),
    )?;
    upstream.write_all(&request.body)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    let split = find(&answer, b"\r\n\r\n").unwrap_or(answer.len());
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head.lines().next().unwrap_or("HTTP/1.1 502 Bad Gateway");
    let body = answer.get(split + 4..).unwrap_or_default();
    client.write_all(
        format!(
            "{status}\r\n{CORS}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )?;
    client.write_all(body)
}

struct HttpMessage {
    head: String,
    body: Vec<u8>,
}

/// Reads a request's head and its `Content-Length` body.
fn read_http_message(stream: &mut std::net::TcpStream) -> std::io::Result<HttpMessage> {
    use std::io::Read;
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let split = loop {
        if let Some(i) = find(&data, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break data.len();
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..split]).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = data.get(split + 4..).unwrap_or_default().to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Ok(HttpMessage { head, body })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn counted(
    tally: &mut Tally,
    name: &str,
    cmd: &mut std::process::Command,
    parse: fn(&str) -> (u64, u64),
) -> Result<(), Fail> {
    let result = run_quiet(name, cmd);
    let text =
        std::fs::read_to_string(util::log_dir().join(format!("{name}.log"))).unwrap_or_default();
    let (passed, failed) = parse(&text);
    println!("    {name}: {passed} passed, {failed} failed");
    tally.passed += passed;
    tally.failed += failed;
    result.map(drop)
}

/// Sums libtest's `test result: ok. N passed; M failed; ...` lines.
fn cargo_counts(log: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in log.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(n), Some(kind)) = (words.next(), words.next()) {
                let Ok(n) = n.parse::<u64>() else { continue };
                match kind {
                    "passed" => passed += n,
                    "failed" => failed += n,
                    _ => {}
                }
            }
        }
    }
    (passed, failed)
}

fn e2e(tally: &mut Tally) -> Result<(), Fail> {
    // The e2e suite drives the debug backend binary that the native stage already built.
    run_quiet(
        "build-backend",
        util::cargo().args(["build", "-p", "dev-backend", "--locked"]),
    )?;
    let root = root();
    let report = util::log_dir().join("e2e-report.json");
    let _ = std::fs::remove_file(&report);
    let result = run_quiet(
        "e2e",
        tool("npx")
            .args(["playwright", "test"])
            .current_dir(root.join("e2e"))
            .env("HERALD_DIST", root.join("dist"))
            .env("HERALD_BACKEND_BIN", root.join("target/debug/dev-backend"))
            .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report),
    );
    let (passed, failed) = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .map(|v| {
            let n = |k: &str| v["stats"][k].as_u64().unwrap_or(0);
            (n("expected") + n("flaky"), n("unexpected"))
        })
        .unwrap_or((0, u64::from(result.is_err())));
    println!("    e2e: {passed} passed, {failed} failed");
    tally.passed += passed;
    tally.failed += failed;
    if result.is_ok() && passed == 0 {
        return Err(Fail::new("the e2e suite ran no test"));
    }
    result.map(drop)
}

#[cfg(test)]
mod tests {
    use super::cargo_counts;

    #[test]
    fn sums_libtest_result_lines() {
        let log = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   test result: FAILED. 11 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(cargo_counts(log), (14, 2));
        assert_eq!(cargo_counts("nothing here"), (0, 0));
    }
}

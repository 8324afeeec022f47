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
        "wasm" => counted(
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
                    "--locked",
                ])
                .env("PATH", util::tool_path())
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "60"),
            cargo_counts,
        ),
        "build" => setup::trunk_build(None, None),
        "e2e" => e2e(tally),
        "bench" => {
            crate::bench::run_after_setup(true)?;
            tally.passed += 1;
            Ok(())
        }
        _ => Err(Fail::new(format!("unknown stage {name}"))),
    }
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

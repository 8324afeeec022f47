//! `cargo xtask bench`: Herald beside its baselines (bench/), in one command, into
//! BENCHMARKS.md (or target/BENCHMARKS-quick.md with `--quick`). Benchmarks, not tests: nothing
//! here fails on a figure; the test suite only checks that `--quick` runs.

use std::path::{Path, PathBuf};

use crate::setup;
use crate::soak;
use crate::util::{self, root, run_quiet, tool, version_matches, Fail};

/// The generated part of BENCHMARKS.md sits between these; the analysis around it is kept.
const BEGIN: &str = "<!-- cargo xtask bench: generated from here -->";
const END: &str = "<!-- cargo xtask bench: generated up to here -->";
/// The soak's part, inside the generated part: `--only soak` rewrites just this.
const SOAK_BEGIN: &str = "<!-- cargo xtask bench soak: generated from here -->";
const SOAK_END: &str = "<!-- cargo xtask bench soak: generated up to here -->";

pub fn run(args: &[String]) -> Result<(), Fail> {
    let mut quick = false;
    let mut skip_setup = false;
    let mut only_soak = false;
    let mut soak_readings = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--skip-setup" => skip_setup = true,
            "--soak-readings" => {
                soak_readings = Some(
                    it.next()
                        .ok_or_else(|| Fail::new("--soak-readings needs a file"))?
                        .clone(),
                )
            }
            "--only" => match it.next().map(String::as_str) {
                Some("soak") => only_soak = true,
                other => {
                    return Err(Fail::new(format!(
                        "--only takes `soak` (the other parts share one generated section), not {other:?}"
                    )))
                }
            },
            other => return Err(Fail::new(format!("unknown option {other:?}"))),
        }
    }
    if let (Some(file), true) = (&soak_readings, only_soak) {
        // Nothing to build or run: the soak's part of the report from readings kept earlier.
        let (section, quick) = soak_render(Path::new(file))?;
        return write_report(quick, |previous| {
            splice_part(previous, &section, SOAK_BEGIN, SOAK_END)
        });
    }
    if !skip_setup {
        setup::run()?;
    }
    if only_soak {
        run_soak_only(quick)
    } else {
        run_bench(quick, soak_readings.as_deref().map(Path::new), false)
    }
}

/// `--only soak`: Herald and the backend built, the soak run, its part of the report rewritten.
fn run_soak_only(quick: bool) -> Result<(), Fail> {
    util::stage_banner("bench", "builds: Herald, the reference backend");
    setup::trunk_build(None, None)?;
    build_backend(quick)?;
    let section = soak_section(quick)?;
    write_report(quick, |previous| {
        splice_part(previous, &section, SOAK_BEGIN, SOAK_END)
    })
}

/// The cargo profile of the backend and of the native examples (herd, load). A full run
/// measures optimised builds; `--quick` only shows that every part runs end to end (no figure
/// is checked), so it takes the debug builds the test suite's earlier stages already made
/// rather than spending two minutes on an optimised backend.
fn profile(quick: bool) -> &'static str {
    if quick {
        "dev"
    } else {
        "backend"
    }
}

/// The reference backend the browser parts run against (see [`profile`]).
fn backend_bin(quick: bool) -> PathBuf {
    root().join(if quick {
        "target/debug/dev-backend"
    } else {
        "target/backend/dev-backend"
    })
}

fn build_backend(quick: bool) -> Result<(), Fail> {
    run_quiet(
        "bench-backend-build",
        util::cargo().args([
            "build",
            "-p",
            "dev-backend",
            "--profile",
            profile(quick),
            "--locked",
        ]),
    )
    .map(drop)
}

/// BENCHMARKS.md as `update` rewrites it, into BENCHMARKS.md (or, quick, into
/// target/BENCHMARKS-quick.md, leaving BENCHMARKS.md as it is).
fn write_report(quick: bool, update: impl FnOnce(&str) -> String) -> Result<(), Fail> {
    let root = root();
    let path = if quick {
        root.join("target/BENCHMARKS-quick.md")
    } else {
        root.join("BENCHMARKS.md")
    };
    let previous = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
    std::fs::write(&path, update(&previous))
        .map_err(|e| Fail::new(format!("{}: {e}", path.display())))?;
    println!("bench: written to {}", path.display());
    Ok(())
}

/// The soak (`e2e/bench/soak.bench.ts`) run, as its marked part of the report.
fn soak_section(quick: bool) -> Result<String, Fail> {
    let root = root();
    util::stage_banner(
        "bench",
        "soak: one tab through token refreshes, reconnects, frames at the inbox cap, deletes",
    );
    let out = root.join("target/bench-soak.json");
    let _ = std::fs::remove_file(&out);
    let mut playwright = tool("npx");
    playwright
        .args([
            "playwright",
            "test",
            "--config",
            "bench.config.ts",
            "soak.bench.ts",
        ])
        .current_dir(root.join("e2e"))
        .env("HERALD_DIST", root.join("dist"))
        .env("HERALD_BACKEND_BIN", backend_bin(quick))
        .env("HERALD_SOAK_OUT", &out);
    if quick {
        playwright.env("HERALD_BENCH_QUICK", "1");
    }
    run_quiet("bench-soak", &mut playwright)?;
    soak_render(&out).map(|(section, _)| section)
}

/// The soak's marked part of the report from its readings (and whether they are `--quick`'s).
fn soak_render(readings: &Path) -> Result<(String, bool), Fail> {
    let soak: serde_json::Value = std::fs::read_to_string(readings)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| Fail::new(format!("{}: missing or not JSON", readings.display())))?;
    let body = soak::report(&soak).map_err(|e| Fail::new(format!("soak: {e}")))?;
    let quick = soak["quick"].as_bool().unwrap_or(false);
    // "2026-12-05T00:47:12.345Z" → "2026-12-05 00:47 UTC".
    let date = soak["date"]
        .as_str()
        .filter(|d| d.len() >= 16)
        .map_or("an unknown date".to_owned(), |d| {
            format!("{} {} UTC", &d[..10], &d[11..16])
        });
    Ok((
        format!(
            "{SOAK_BEGIN}\n\n{body}\n\n_Soak run on {date} ({cores} cores{flag}); its readings are \
kept in `target/bench-soak.json`. Alone: `cargo xtask bench --only soak [--quick]`; this part again \
from kept readings: `cargo xtask bench --only soak --soak-readings FILE`.{quick_note}_\n\n{SOAK_END}",
            cores = soak["cores"].as_u64().unwrap_or(0),
            flag = if quick { ", `--quick`" } else { "" },
            quick_note = if quick {
                " `--quick`: a few cycles per phase, too few for the verdicts to mean much."
            } else {
                ""
            },
        ),
        quick,
    ))
}

/// Everything but the machine setup (the test suite's `bench` stage runs after its own).
/// From `cargo xtask test`; `built`: its build stage has just written `dist/`.
pub fn run_after_setup(quick: bool, built: bool) -> Result<(), Fail> {
    run_bench(quick, None, built)
}

/// The whole run; with `soak_readings`, the soak's part from readings kept earlier instead of
/// a new soak (its part of the report gives the date of those readings).
fn run_bench(quick: bool, soak_readings: Option<&Path>, built: bool) -> Result<(), Fail> {
    let root = root();
    util::stage_banner(
        "bench",
        "builds: Herald, the baselines, the reference backend",
    );
    if built {
        println!("    herald: dist/ as this run's build stage wrote it");
    } else {
        setup::trunk_build(None, None)?;
    }
    baselines()?;
    build_backend(quick)?;

    util::stage_banner("bench", "transfer size and what the wasm is made of");
    let apps = [
        ("herald", root.join("dist")),
        ("react-seed", root.join("bench/react-seed/dist")),
        ("vanilla", root.join("bench/vanilla")),
        ("yew-hello", root.join("bench/yew-hello/dist")),
    ];
    let mut size_rows = Vec::new();
    let mut totals = Vec::new();
    for (label, dir) in &apps {
        let out = run_quiet(
            &format!("bench-size-{label}"),
            tool("node").arg("bench/size.mjs").arg(dir).arg(label),
        )?;
        size_rows.extend(
            out.lines()
                .filter(|l| l.starts_with('|'))
                .map(str::to_owned),
        );
        let total = out
            .lines()
            .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .ok_or_else(|| Fail::new(format!("bench/size.mjs printed no totals for {label}")))?;
        totals.push((label.to_string(), total));
    }
    let size_summary = size_summary(&totals);
    let contributors = wasm_contributors()?;

    util::stage_banner(
        "bench",
        "browser: cold start, socket → screen, bursts, memory, big inbox, reconnect",
    );
    let browser_md = root.join("target/bench-browser.md");
    let mut playwright = tool("npx");
    playwright
        .args([
            "playwright",
            "test",
            "--config",
            "bench.config.ts",
            "browser.bench.ts",
        ])
        .current_dir(root.join("e2e"))
        .env("HERALD_DIST", root.join("dist"))
        .env("HERALD_BACKEND_BIN", backend_bin(quick))
        .env("HERALD_BENCH_OUT", &browser_md);
    if quick {
        playwright.env("HERALD_BENCH_QUICK", "1");
    }
    run_quiet("bench-browser", &mut playwright)?;
    let browser = std::fs::read_to_string(&browser_md)
        .map_err(|e| Fail::new(format!("{}: {e}", browser_md.display())))?;
    let browser_json = browser_md.with_extension("json");
    let figures: serde_json::Value = std::fs::read_to_string(&browser_json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| Fail::new(format!("{}: missing or not JSON", browser_json.display())))?;
    let herald_gzip_kib = totals[0].1["gzip"].as_f64().unwrap_or(f64::NAN) / 1024.0;
    let met = met_table(&figures["figures"], herald_gzip_kib);

    util::stage_banner("bench", "reconnect herd (the app's own state machine)");
    let clients = if quick { "1000" } else { "10000" };
    let herd = report_lines(&run_quiet(
        "bench-herd",
        util::cargo().args([
            "run",
            "--profile",
            if quick { "dev" } else { "release" },
            "--locked",
            "--example",
            "herd",
            "--",
            "--clients",
            clients,
        ]),
    )?)
    // A blank line between the headline and the table, for Markdown.
    .replacen('\n', "\n\n", 1);

    util::stage_banner("bench", "reference backend under load");
    let load_args: &[&str] = if quick {
        &["--sockets", "100", "--frames", "500", "--runs", "2"]
    } else {
        &["--sockets", "1000", "--frames", "2000", "--runs", "5"]
    };
    let load = report_lines(&run_quiet(
        "bench-load",
        util::cargo()
            .args([
                "run",
                "-p",
                "dev-backend",
                "--profile",
                profile(quick),
                "--locked",
                "--example",
                "load",
                "--",
            ])
            .args(load_args),
    )?);

    let soak = match soak_readings {
        Some(file) => soak_render(file)?.0,
        None => soak_section(quick)?,
    };

    let generated = format!(
        "{BEGIN}\n\n_Produced by `cargo xtask bench{quick}` on {date}: {cores} cores, {chromium}._\n\n\
## Issue #13's targets: met?\n\n\
Computed from this run's figures below (medians; \"worst\" = the worst run). KB here is KiB, \
as in the tables.{quick_note}\n\n\
| target | Herald | reference | met? |\n| --- | --- | --- | --- |\n{met}\n\n\
## Transfer size of the first load\n\n\
Every file the first load fetches (index.html, JS, wasm, CSS), KiB. `config.json` is \
deployment data served beside each app (≈ 0.1 KiB) and left out of all four. Alone: \
`node bench/size.mjs DIR LABEL`.\n\n\
| app | gzip -9 | brotli -11 | Herald ÷ app (gzip) | Herald ÷ app (brotli) |\n| --- | --- | --- | --- | --- |\n{size_summary}\n\n\
<details><summary>Per file</summary>\n\n| app | file | raw | gzip -9 | brotli -11 |\n| --- | --- | --- | --- | --- |\n{files}\n\n</details>\n\n\
### What Herald's wasm is made of\n\n{contributors}\n\n\
## In the browser\n\n\
Alone: `cd e2e && HERALD_DIST=../dist HERALD_BACKEND_BIN=../target/backend/dev-backend npx playwright test --config bench.config.ts -g \"cold start\"` \
(any test name; `HERALD_BENCH_CLIENTS=herald,vanilla` picks clients, `HERALD_BENCH_QUICK=1` shortens).\n\n{browser}\n\
## Reconnect herd (simulated, the app's own connection state machine)\n\n\
Alone: `cargo run --release --example herd -- --clients 10000`.\n\n{herd}\n\n\
## Reference backend under load\n\n\
Alone: `cargo run -p dev-backend --profile backend --example load`.\n\n{load}\n\n{soak}\n\n{END}",
        quick = if quick { " --quick" } else { "" },
        quick_note = if quick {
            " `--quick`: fewer runs and smaller bursts against a debug build of the reference backend, so these verdicts are indicative only."
        } else {
            ""
        },
        date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        cores = std::thread::available_parallelism().map_or(0, |n| n.get()),
        chromium = command_line("/usr/bin/chromium", &["--version"]),
        files = size_rows.join("\n"),
    );
    write_report(quick, |previous| splice(previous, &generated))
}

/// Issue #13's targets 1–7, each one row: what Herald measured, what it is held against, and
/// whether it is met (every part of it), from the browser run's medians (`figures[measure]
/// [client]`) and Herald's gzip total.
fn met_table(figures: &serde_json::Value, herald_gzip_kib: f64) -> String {
    let fig = |measure: &str, client: &str| figures[measure][client].as_f64().unwrap_or(f64::NAN);
    let h = |measure: &str| fig(measure, "herald");
    let react = |measure: &str| fig(measure, "react-seed");
    let ms = |x: f64| {
        if x.is_finite() {
            format!("{x:.1} ms")
        } else {
            "n/a".to_owned()
        }
    };
    // NaN (not measured) is never met.
    let at_most = |x: f64, limit: f64| x.is_finite() && limit.is_finite() && x <= limit;
    let verdict = |parts: &[(&str, bool)]| {
        let missed: Vec<&str> = parts.iter().filter(|p| !p.1).map(|p| p.0).collect();
        if missed.is_empty() {
            "**met**".to_owned()
        } else if missed.len() == parts.len() {
            "missed".to_owned()
        } else {
            format!("missed: {}", missed.join(", "))
        }
    };
    let mut rows = Vec::new();
    let mut row = |target: &str, herald: String, reference: String, met: String| {
        rows.push(format!("| {target} | {herald} | {reference} | {met} |"));
    };

    let (p50, p99) = (h("p50"), h("p99"));
    row(
        "1. socket → screen at 50/s: p50 and p99 ≤ react-seed's",
        format!("p50 {}, p99 {}", ms(p50), ms(p99)),
        format!(
            "react-seed p50 {}, p99 {}",
            ms(react("p50")),
            ms(react("p99"))
        ),
        verdict(&[
            ("p50", at_most(p50, react("p50"))),
            ("p99", at_most(p99, react("p99"))),
        ]),
    );
    let burst = h("in-page burst");
    let vanilla_burst = fig("in-page burst", "vanilla");
    row(
        "2. in-page burst ≤ 2× vanilla",
        format!("{} ({:.2}× vanilla)", ms(burst), burst / vanilla_burst),
        format!(
            "vanilla {}; react-seed {}",
            ms(vanilla_burst),
            ms(react("in-page burst"))
        ),
        verdict(&[("", at_most(burst, 2.0 * vanilla_burst))]),
    );
    let (click, worst_task) = (h("click → frame"), h("longest task, flood (max)"));
    row(
        "3. flood: click painted no later than react-seed's; no task over 50 ms",
        format!(
            "click → frame {}; longest task {} (worst run {}; 0 = none over 50 ms)",
            ms(click),
            ms(h("longest task, flood")),
            ms(worst_task)
        ),
        format!(
            "react-seed click → frame {}, longest task {}",
            ms(react("click → frame")),
            ms(react("longest task, flood"))
        ),
        verdict(&[
            ("click", at_most(click, react("click → frame"))),
            ("long task", worst_task == 0.0),
        ]),
    );
    let served = h("as served");
    row(
        "4. first load ≤ 200 KB gzip, served precompressed: brotli ≤ 165 KB",
        format!("gzip -9 {herald_gzip_kib:.1} KB; as served (brotli) {served:.1} KB"),
        format!("react-seed as served {:.1} KB", react("as served")),
        verdict(&[
            ("gzip", at_most(herald_gzip_kib, 200.0)),
            ("brotli", at_most(served, 165.0)),
        ]),
    );
    let (cold, warm) = (
        h("navigation → sign-in form, cold"),
        h("navigation → sign-in form, warm"),
    );
    let (react_cold, react_warm) = (
        react("navigation → sign-in form, cold"),
        react("navigation → sign-in form, warm"),
    );
    // Herald's sign-in form is drawn before its wasm has come (index.html's early form): its
    // own code running is held to the same mark, so a slower start still shows here.
    let (running_cold, running_warm) = (
        h("navigation → sign-in form running, cold"),
        h("navigation → sign-in form running, warm"),
    );
    row(
        "5. navigation → sign-in form no slower than react-seed, cold and warm (and Herald running)",
        format!(
            "form cold {}, warm {}; running cold {}, warm {}",
            ms(cold),
            ms(warm),
            ms(running_cold),
            ms(running_warm)
        ),
        format!(
            "react-seed cold {}, warm {}",
            ms(react_cold),
            ms(react_warm)
        ),
        verdict(&[
            ("cold", at_most(cold, react_cold)),
            ("warm", at_most(warm, react_warm)),
            ("running cold", at_most(running_cold, react_cold)),
            ("running warm", at_most(running_warm, react_warm)),
        ]),
    );
    let rows_shown = h("history rows");
    let first = h("sign-in click → first render");
    row(
        "6. 10,000-row history: sign-in click → newest rows ≤ 300 ms",
        format!("{} ({rows_shown:.0} rows)", ms(first)),
        "–".to_owned(),
        if rows_shown.is_finite() && rows_shown < 10_000.0 {
            format!("not measured ({rows_shown:.0} rows in this run)")
        } else {
            verdict(&[("", rows_shown >= 10_000.0 && at_most(first, 300.0))])
        },
    );
    let memory = h("JS heap + wasm");
    let react_memory = react("JS heap + wasm");
    let reconnect = h("reconnect");
    let scroll = h("scroll frame time p99");
    row(
        "7. memory ≤ 1.5× react-seed (JS heap + wasm); reconnect median ≤ 3 s; scroll at the display's rate (p99 frame ≤ 20 ms at 60 Hz)",
        format!(
            "memory {memory:.1} MiB ({:.2}×); reconnect {}; scroll p99 {}",
            memory / react_memory,
            ms(reconnect),
            ms(scroll)
        ),
        format!("react-seed memory {react_memory:.1} MiB"),
        verdict(&[
            ("memory", at_most(memory, 1.5 * react_memory)),
            ("reconnect", at_most(reconnect, 3000.0)),
            ("scroll", at_most(scroll, 20.0)),
        ]),
    );
    rows.join("\n")
}

/// Replaces the generated part of `previous` (or all of it, when it has none) by `generated`.
fn splice(previous: &str, generated: &str) -> String {
    match (previous.find(BEGIN), previous.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!(
                "{}{generated}{}",
                &previous[..b],
                &previous[e + END.len()..]
            )
        }
        _ => format!("# Benchmarks\n\n{generated}\n"),
    }
}

/// Replaces the part of `previous` between `begin` and `end` by `part` (which carries both);
/// without that part, puts it at the end of the generated part (or of everything).
fn splice_part(previous: &str, part: &str, begin: &str, end: &str) -> String {
    match (previous.find(begin), previous.find(end)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{part}{}", &previous[..b], &previous[e + end.len()..])
        }
        _ => match previous.find(END) {
            Some(e) => format!("{}{part}\n\n{}", &previous[..e], &previous[e..]),
            None => format!("{previous}\n{part}\n"),
        },
    }
}

fn command_line(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The report lines of a bench example's output (tables and the headline), not cargo's.
fn report_lines(out: &str) -> String {
    out.lines()
        .filter(|l| l.starts_with('|') || l.contains("clients,"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn size_summary(totals: &[(String, serde_json::Value)]) -> String {
    let kib = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN) / 1024.0;
    let herald = &totals[0].1;
    totals
        .iter()
        .map(|(label, v)| {
            format!(
                "| {label} | {:.1} | {:.1} | {:.2}× | {:.2}× |",
                kib(v, "gzip"),
                kib(v, "brotli"),
                kib(herald, "gzip") / kib(v, "gzip"),
                kib(herald, "brotli") / kib(v, "brotli"),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The npm baselines and the Yew size floor, built the way they ship.
fn baselines() -> Result<(), Fail> {
    let root = root();
    let react = root.join("bench/react-seed");
    npm_ci(&react, "bench-react-npm-ci")?;
    run_quiet(
        "bench-react-build",
        tool("npx").args(["vite", "build"]).current_dir(&react),
    )?;
    run_quiet(
        "bench-yew-hello-build",
        tool("trunk")
            .args(["build", "index.html", "--release"])
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("NO_COLOR", "true")
            .current_dir(root.join("bench/yew-hello")),
    )
    .map(drop)
}

/// `npm ci` when the lockfile changed since the last install (a stamp in node_modules).
fn npm_ci(dir: &Path, name: &str) -> Result<(), Fail> {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| Fail::new(format!("{}/package-lock.json: {e}", dir.display())))?;
    let stamp = dir.join("node_modules").join(".herald-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    run_quiet(
        name,
        tool("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    std::fs::write(&stamp, &lock).map_err(|e| Fail::new(format!("{}: {e}", stamp.display())))
}

/// twiggy, from crates.io, installed on first use.
fn twiggy() -> Result<(), Fail> {
    if version_matches("twiggy", "twiggy") {
        return Ok(());
    }
    println!("    twiggy: installing with cargo (about 2 minutes)");
    run_quiet(
        "install-twiggy",
        util::cargo().args(["install", "--locked", "twiggy", "--version", "0.8.0"]),
    )
    .map(drop)
}

/// The ten biggest contributors to Herald's wasm, by crate and by item (twiggy).
fn wasm_contributors() -> Result<String, Fail> {
    twiggy()?;
    let wasm = root().join("target/wasm32-unknown-unknown/release/herald.wasm");
    let out = run_quiet(
        "bench-twiggy",
        tool("twiggy")
            .args(["top", "-n", "1000000", "-f", "json"])
            .arg(&wasm),
    )?;
    let items: Vec<serde_json::Value> = out
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| Fail::new("twiggy printed no JSON"))?;
    let items: Vec<(String, u64)> = items
        .iter()
        .filter_map(|i| Some((i["name"].as_str()?.to_owned(), i["shallow_size"].as_u64()?)))
        .filter(|(name, _)| !is_tooling(name))
        .collect();
    let total: u64 = items.iter().map(|(_, s)| s).sum();
    let mut by_crate: std::collections::HashMap<String, u64> = Default::default();
    for (name, size) in &items {
        *by_crate.entry(crate_of(name)).or_default() += size;
    }
    let mut crates: Vec<_> = by_crate.into_iter().collect();
    crates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let row = |name: &str, size: u64| {
        format!(
            "| {} | {:.1} | {:.1} % |",
            name.replace('|', "\\|"),
            size as f64 / 1024.0,
            100.0 * size as f64 / total as f64
        )
    };
    let crate_rows: Vec<String> = crates.iter().take(10).map(|(n, s)| row(n, *s)).collect();
    let mut top: Vec<&(String, u64)> = items.iter().collect();
    top.sort_by_key(|i| std::cmp::Reverse(i.1));
    let item_rows: Vec<String> = top
        .iter()
        .take(10)
        .map(|(n, s)| row(&shorten(n), *s))
        .collect();
    Ok(format!(
        "`twiggy top` on the release wasm before wasm-bindgen and wasm-opt (names kept; \
{:.1} KiB of code and data once name and binding-description sections are left out). \
Shallow sizes, KiB.\n\n\
| crate | KiB | share |\n| --- | --- | --- |\n{}\n\n\
| item | KiB | share |\n| --- | --- | --- |\n{}",
        total as f64 / 1024.0,
        crate_rows.join("\n"),
        item_rows.join("\n"),
    ))
}

/// Sections and exports that wasm-bindgen removes from the shipped file.
fn is_tooling(name: &str) -> bool {
    name.contains("function names")
        || name.contains("__wasm_bindgen_unstable")
        || name.contains("__wbindgen_describe")
        || name.starts_with("custom section")
        || name.contains("WasmDescribe")
}

/// `core::fmt::write::h…` → `core`; `<yew::X as Trait>::f` → `yew`; data → as named.
fn crate_of(name: &str) -> String {
    let trimmed = name
        .trim_start_matches(['<', '&'])
        .trim_start_matches("mut ");
    let head: String = trimmed
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = &trimmed[head.len()..];
    if !head.is_empty()
        && (rest.starts_with("::")
            || (rest.starts_with('[')
                && rest.find("]::").is_some_and(|i| !rest[..i].contains('('))))
    {
        head
    } else if let Some((_, trait_path)) = name.split_once(" as ") {
        // `<&T as some_crate::Trait>::f`: the trait's crate.
        crate_of(trait_path)
    } else if name.starts_with("data segment") {
        "data (strings, tables)".to_owned()
    } else {
        "other (glue, imports, tables)".to_owned()
    }
}

fn shorten(name: &str) -> String {
    let mut s: String = name.chars().take(100).collect();
    if s.len() < name.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_grouped_by_crate() {
        assert_eq!(crate_of("core::fmt::write::h1234"), "core");
        assert_eq!(crate_of("core[c5930c85a12de822]::fmt::float::x"), "core");
        assert_eq!(
            crate_of("<yew::html::component::lifecycle::CompStateInner<C> as yew::X>::view::h1"),
            "yew"
        );
        assert_eq!(
            crate_of("<&T as wasm_bindgen::describe::WasmDescribe>::d"),
            "wasm_bindgen"
        );
        assert_eq!(
            crate_of("data segment \".rodata\""),
            "data (strings, tables)"
        );
        assert_eq!(crate_of("elem[0]"), "other (glue, imports, tables)");
    }

    #[test]
    fn the_met_table_holds_each_target_against_its_reference() {
        let figures = serde_json::json!({
            "p50": {"herald": 0.9, "react-seed": 1.0},
            "p99": {"herald": 3.0, "react-seed": 2.5},
            "in-page burst": {"herald": 1300.0, "react-seed": 2800.0, "vanilla": 700.0},
            "click → frame": {"herald": 20.0, "react-seed": 35.0},
            "longest task, flood": {"herald": 0.0, "react-seed": 60.0},
            "longest task, flood (max)": {"herald": 0.0, "react-seed": 80.0},
            "as served": {"herald": 160.0, "react-seed": 58.0},
            "navigation → sign-in form, cold": {"herald": 200.0, "react-seed": 220.0},
            "navigation → sign-in form, warm": {"herald": 90.0, "react-seed": 80.0},
            "navigation → sign-in form running, cold": {"herald": 210.0, "react-seed": 220.0},
            "navigation → sign-in form running, warm": {"herald": 80.0, "react-seed": 80.0},
            "navigation → running, cold": {"herald": 900.0, "react-seed": 100.0},
            "history rows": {"herald": 2000.0},
            "sign-in click → first render": {"herald": 100.0},
            "JS heap + wasm": {"herald": 7.0, "react-seed": 6.0},
            "reconnect": {"herald": 2500.0},
            "scroll frame time p99": {"herald": 16.8},
        });
        let table = met_table(&figures, 190.0);
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows.len(), 7);
        let verdict = |i: usize| rows[i].rsplit(" | ").next().unwrap().trim_end_matches(" |");
        assert_eq!(verdict(0), "missed: p99");
        assert_eq!(verdict(1), "**met**", "{}", rows[1]);
        assert_eq!(verdict(2), "**met**");
        assert_eq!(verdict(3), "**met**");
        assert_eq!(verdict(4), "missed: warm");
        // Fewer rows than the target names (a --quick run) is no verdict.
        assert_eq!(verdict(5), "not measured (2000 rows in this run)");
        assert_eq!(verdict(6), "**met**");
        // A figure not measured is never met.
        let table = met_table(&serde_json::json!({}), f64::NAN);
        assert!(table.lines().all(|l| !l.contains("**met**")), "{table}");
    }

    #[test]
    fn only_the_generated_part_is_replaced() {
        let previous = format!("# B\n\nintro\n\n{BEGIN}\nold\n{END}\n\nanalysis\n");
        let out = splice(&previous, &format!("{BEGIN}\nnew\n{END}"));
        assert_eq!(
            out,
            format!("# B\n\nintro\n\n{BEGIN}\nnew\n{END}\n\nanalysis\n")
        );
        assert!(splice("no markers", "X").contains('X'));
    }

    #[test]
    fn only_the_soak_part_is_replaced_by_a_soak_alone() {
        let soak = |x: &str| format!("{SOAK_BEGIN}\n{x}\n{SOAK_END}");
        let previous = format!(
            "# B\n\n{BEGIN}\nsizes\n\n{}\n\n{END}\n\nanalysis\n",
            soak("old")
        );
        assert_eq!(
            splice_part(&previous, &soak("new"), SOAK_BEGIN, SOAK_END),
            format!(
                "# B\n\n{BEGIN}\nsizes\n\n{}\n\n{END}\n\nanalysis\n",
                soak("new")
            )
        );
        // No soak part yet: it goes at the end of the generated part.
        let previous = format!("# B\n\n{BEGIN}\nsizes\n{END}\n\nanalysis\n");
        assert_eq!(
            splice_part(&previous, &soak("new"), SOAK_BEGIN, SOAK_END),
            format!(
                "# B\n\n{BEGIN}\nsizes\n{}\n\n{END}\n\nanalysis\n",
                soak("new")
            )
        );
        assert!(splice_part("", &soak("new"), SOAK_BEGIN, SOAK_END).contains("new"));
    }
}

//! The soak's report (issue 20, item 7): from the readings `e2e/bench/soak.bench.ts` wrote, per
//! phase and metric the reading before the phase, after its first cycle and at its end, the
//! least-squares slope per 1,000 cycles over the readings from the first cycle on, and a
//! verdict against an explicit threshold. Nothing here is a figure: every number comes from the
//! readings.

use serde_json::Value;

/// "Flat" allows this share of the reading after the first cycle per 1,000 cycles...
pub const SHARE: f64 = 0.01;

/// One measured quantity.
struct Metric {
    /// Key in each reading.
    key: &'static str,
    label: &'static str,
    bytes: bool,
    /// ...or this much per 1,000 cycles, whichever is larger (bytes or a count).
    floor: f64,
}

const METRICS: [Metric; 10] = [
    Metric {
        key: "heap",
        label: "JS heap",
        bytes: true,
        // 16 bytes a cycle: less than one leaked JS function (a closure is ≥ 32 bytes).
        floor: 16.0 * 1024.0,
    },
    // The JS heap's parts, from heap snapshots taken with some of the readings.
    Metric {
        key: "objects",
        label: "· JS objects (snapshot, no code)",
        bytes: true,
        floor: 16.0 * 1024.0,
    },
    Metric {
        key: "code",
        label: "· V8's compiled code and feedback (snapshot)",
        bytes: true,
        floor: 16.0 * 1024.0,
    },
    Metric {
        key: "functions",
        label: "· JS functions V8 knows (snapshot)",
        bytes: false,
        floor: 1.0,
    },
    Metric {
        key: "optimised",
        label: "· machine-code objects (snapshot)",
        bytes: false,
        floor: 1.0,
    },
    Metric {
        key: "closures",
        label: "· JS closures (snapshot)",
        bytes: false,
        floor: 1.0,
    },
    Metric {
        key: "wasm",
        label: "wasm memory",
        bytes: true,
        // The linear memory grows by whole 64 KiB pages and never shrinks.
        floor: 64.0 * 1024.0,
    },
    Metric {
        key: "documents",
        label: "documents",
        bytes: false,
        floor: 1.0,
    },
    Metric {
        key: "nodes",
        label: "DOM nodes",
        bytes: false,
        floor: 1.0,
    },
    Metric {
        key: "listeners",
        label: "JS event listeners",
        bytes: false,
        floor: 1.0,
    },
];

/// Least squares through `points` (x, y): the slope and its standard error (NaN with fewer
/// than three points, when the error cannot be estimated; `None` with fewer than two distinct
/// x).
pub fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let se = if points.len() > 2 {
        let residuals: f64 = points
            .iter()
            .map(|p| (p.1 - my - slope * (p.0 - mx)).powi(2))
            .sum();
        (residuals / (n - 2.0) / sxx).sqrt()
    } else {
        f64::NAN
    };
    Some((slope, se))
}

/// "flat" when |slope| ≤ threshold; otherwise which way it goes, and whether the slope is
/// within two standard errors of zero (then the readings cannot tell it from noise).
pub fn verdict(slope: f64, se: f64, threshold: f64) -> String {
    if !slope.is_finite() || !threshold.is_finite() {
        return "n/a (too few readings)".to_owned();
    }
    if slope.abs() <= threshold {
        return "**flat**".to_owned();
    }
    let way = if slope > 0.0 { "grows" } else { "falls" };
    if se.is_finite() && slope.abs() < 2.0 * se {
        format!("{way}, within noise (|slope| < 2 SE)")
    } else {
        way.to_owned()
    }
}

fn amount(x: f64, bytes: bool) -> String {
    if !x.is_finite() {
        "n/a".to_owned()
    } else if !bytes {
        format!("{x:.0}")
    } else if x.abs() >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", x / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KiB", x / 1024.0)
    }
}

fn rate(x: f64, bytes: bool) -> String {
    if !x.is_finite() {
        return "n/a".to_owned();
    }
    if bytes {
        format!("{:+.1} KiB", x / 1024.0)
    } else {
        format!("{x:+.1}")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The Markdown section for the soak's JSON (`Err` when it is not a complete soak).
pub fn report(soak: &Value) -> Result<String, String> {
    let phases = soak["phases"]
        .as_array()
        .filter(|p| !p.is_empty())
        .ok_or("no phases in the soak's readings")?;
    if soak["complete"].as_bool() != Some(true) {
        return Err(format!(
            "the soak stopped after {} of 4 phases",
            phases.len()
        ));
    }
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for phase in phases {
        let name = phase["name"].as_str().unwrap_or("?");
        let unit = phase["unit"].as_str().unwrap_or("cycle");
        let units = phase["units"].as_str().unwrap_or("cycles");
        let cycles = phase["cycles"].as_u64().unwrap_or(0);
        let step = phase["step"].as_u64().unwrap_or(1);
        let readings: Vec<&Value> = phase["readings"]
            .as_array()
            .map(|r| r.iter().collect())
            .unwrap_or_default();
        let first_look = if step > 1 {
            format!("the first {step} {units}")
        } else {
            format!("the first {unit}")
        };
        lines.push(format!(
            "- **{name}**: {} {units} in {:.0} s, {} readings (before the phase, after \
{first_look}, then every {} {units}); {}.",
            thousands(cycles),
            phase["seconds"].as_f64().unwrap_or(f64::NAN),
            readings.len(),
            thousands(phase["every"].as_u64().unwrap_or(0)),
            phase["note"].as_str().unwrap_or(""),
        ));
        let cycle_of = |r: &Value| r["cycle"].as_f64().unwrap_or(f64::NAN);
        if !readings.iter().any(|r| cycle_of(r) >= 1.0) {
            return Err(format!("phase {name}: no reading after its first cycle"));
        }
        for m in &METRICS {
            let value = |r: &Value| r[m.key].as_f64().unwrap_or(f64::NAN);
            // The readings that have this metric (the snapshot's parts come with some only).
            let before = readings
                .iter()
                .find(|r| cycle_of(r) == 0.0)
                .map_or(f64::NAN, |r| value(r));
            let points: Vec<(f64, f64)> = readings
                .iter()
                .map(|r| (cycle_of(r), value(r)))
                .filter(|p| p.0 >= 1.0 && p.1.is_finite())
                .collect();
            let (Some(first), Some(last)) = (points.first(), points.last()) else {
                continue;
            };
            let per_1000 = |points: &[(f64, f64)]| {
                let (slope, se) = fit(points).unwrap_or((f64::NAN, f64::NAN));
                (slope * 1000.0, se * 1000.0)
            };
            let (slope, se) = per_1000(&points);
            // The same over the second half alone: growth that goes on, or a step that stopped.
            let late: Vec<(f64, f64)> = points
                .iter()
                .copied()
                .filter(|p| p.0 >= cycles as f64 / 2.0)
                .collect();
            let (late_slope, late_se) = per_1000(&late);
            let threshold = (SHARE * first.1).max(m.floor);
            let with_se = |slope: f64, se: f64| {
                if se.is_finite() {
                    format!(
                        "{} (± {})",
                        rate(slope, m.bytes),
                        rate(se, m.bytes).trim_start_matches('+')
                    )
                } else {
                    rate(slope, m.bytes)
                }
            };
            rows.push(format!(
                "| {name} | {} | {} | {} | {} | {} | ≤ {} | {} | {} |",
                m.label,
                amount(before, m.bytes),
                amount(first.1, m.bytes),
                amount(last.1, m.bytes),
                with_se(slope, se),
                rate(threshold, m.bytes).trim_start_matches('+'),
                verdict(slope, se, threshold),
                if late_slope.is_finite() {
                    format!(
                        "{}: {}",
                        with_se(late_slope, late_se),
                        verdict(late_slope, late_se, threshold)
                    )
                } else {
                    "n/a".to_owned()
                },
            ));
        }
    }
    let floors = METRICS
        .iter()
        .map(|m| format!("{} {}", m.label, amount(m.floor, m.bytes)))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        "## Soak: nothing grows with time\n\n\
One Herald tab in {chromium}, the reference backend behind it, through four phases in a row \
(issue 20, item 7; `e2e/bench/soak.bench.ts`):\n\n{lines}\n\n\
Each reading follows two forced garbage collections (CDP `HeapProfiler.collectGarbage`): JS \
heap in use (`Runtime.getHeapUsage`), the wasm linear memory (`memory.buffer.byteLength`; it \
never shrinks, so it is a high-water mark) and `Memory.getDOMCounters` (documents, nodes, JS \
event listeners). About a dozen readings per phase (before, after the first cycle, the last \
and evenly between) also take a heap snapshot and split the JS heap (rows marked ·): V8's \
compilation (its `code` nodes: machine code, bytecode, feedback; and the wasm module's feedback \
vectors; it grows while V8 optimises what runs often, and is not data the app keeps) and \
everything else V8 holds (objects, strings, arrays, closures; Blink's own objects left out), \
with the number of closures, of the functions V8 knows (`SharedFunctionInfo`s) and of \
machine-code objects (`InstructionStream`s, one per function and tier V8 compiled it to): \
compiled code that grows while the functions stay put is V8 optimising the same code further, \
which ends when every function that runs has reached its last tier. \"Slope\": least squares over the readings from the first cycle on (the first \
cycle itself may allocate what stays: caches, the first socket's buffers), per 1,000 cycles, \
± its standard error. **Flat** when |slope| is at most {share:.0} % of the reading after the \
first cycle per 1,000 cycles or the floor ({floors}), whichever is larger; otherwise \"grows\" \
or \"falls\", \"within noise\" when the slope is under two standard errors. The last column \
fits the readings of the phase's second half alone, against the same threshold: it tells growth \
that goes on from a step early in the phase that stopped.\n\n\
| phase | metric | before | after the first cycle | at the end | slope per 1,000 cycles | flat if within | verdict | second half alone: slope, verdict |\n\
| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n{rows}",
        chromium = soak["chromium"]
            .as_str()
            .map_or("Chromium".to_owned(), |v| format!("Chromium {v}")),
        lines = lines.join("\n"),
        share = SHARE * 100.0,
        rows = rows.join("\n"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_finds_slope_and_error() {
        let (slope, se) = fit(&[(1.0, 10.0), (2.0, 12.0), (3.0, 14.0)]).unwrap();
        assert!((slope - 2.0).abs() < 1e-12);
        assert!(se.abs() < 1e-12);
        let (slope, se) = fit(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0), (3.0, 1.0)]).unwrap();
        assert!((slope - 0.2).abs() < 1e-12);
        assert!(se > 0.2, "noisy points have a wide error: {se}");
        assert!(fit(&[(1.0, 1.0)]).is_none());
        assert!(fit(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
        assert!(fit(&[(1.0, 1.0), (2.0, 2.0)]).unwrap().1.is_nan());
    }

    #[test]
    fn verdicts_follow_the_threshold() {
        assert_eq!(verdict(0.5, 0.1, 1.0), "**flat**");
        assert_eq!(verdict(-1.0, 0.1, 1.0), "**flat**");
        assert_eq!(verdict(5.0, 0.1, 1.0), "grows");
        assert_eq!(verdict(-5.0, 0.1, 1.0), "falls");
        assert_eq!(
            verdict(5.0, 3.0, 1.0),
            "grows, within noise (|slope| < 2 SE)"
        );
        assert_eq!(verdict(f64::NAN, 0.0, 1.0), "n/a (too few readings)");
    }

    fn reading(cycle: u64, heap: f64, nodes: f64) -> Value {
        serde_json::json!({"cycle": cycle, "heap": heap, "wasm": 3_538_944.0,
            "documents": 1, "nodes": nodes, "listeners": 40})
    }

    fn soak(phase_readings: Vec<Value>) -> Value {
        let phase = serde_json::json!({"name": "reconnects", "unit": "reconnect",
            "units": "reconnects", "cycles": 30,
            "every": 10, "seconds": 250.0, "note": "dropped", "readings": phase_readings});
        serde_json::json!({"complete": true, "chromium": "156", "phases": [phase]})
    }

    #[test]
    fn the_report_computes_every_row_from_the_readings() {
        // The heap grows 1 KiB a cycle after the first (1,000 KiB per 1,000): not flat. Nodes
        // stay put after a jump in the first cycle: flat (the first cycle is left out).
        let mut readings: Vec<Value> = std::iter::once(reading(0, 4_000_000.0, 500.0))
            .chain(
                [1u64, 10, 20, 25, 30]
                    .iter()
                    .map(|&c| reading(c, 4_100_000.0 + 1024.0 * c as f64, 800.0)),
            )
            .collect();
        for i in [1, 5] {
            readings[i]["objects"] = serde_json::json!(2.0 * 1024.0 * 1024.0);
        }
        let md = report(&soak(readings)).unwrap();
        let row = |label: &str| {
            md.lines()
                .find(|l| l.starts_with(&format!("| reconnects | {label} |")))
                .unwrap_or_else(|| panic!("no {label} row in {md}"))
                .to_owned()
        };
        let heap = row("JS heap");
        assert!(
            heap.contains("| +1000.0 KiB (± 0.0 KiB) | ≤ 40.0 KiB |"),
            "{heap}"
        );
        assert!(
            heap.ends_with("| grows | +1000.0 KiB (± 0.0 KiB): grows |"),
            "{heap}"
        );
        let nodes = row("DOM nodes");
        assert!(nodes.contains("| 500 | 800 | 800 | +0.0"), "{nodes}");
        assert!(
            nodes.ends_with("| **flat** | +0.0 (± 0.0): **flat** |"),
            "{nodes}"
        );
        // 1 % of 3.4 MiB is below one page: the floor is the threshold.
        assert!(row("wasm memory").contains("| ≤ 64.0 KiB |"));
        // The snapshot's parts come with some readings only: their rows use those.
        let objects = row("· JS objects (snapshot, no code)");
        assert!(
            objects.contains("| n/a | 2.00 MiB | 2.00 MiB | +0.0 KiB |"),
            "{objects}"
        );
        assert!(
            !md.contains("| · JS closures"),
            "no closures in any reading: no row"
        );
        assert!(
            md.contains("30 reconnects in 250 s, 6 readings (before the phase, after the first reconnect, then every 10 reconnects)"),
            "{md}"
        );
    }

    #[test]
    fn a_step_that_stopped_shows_in_the_second_half() {
        // 8 closures more after cycle 10, then none: not flat, but flat in the second half.
        let readings: Vec<Value> = [0u64, 1, 10, 20, 25, 30]
            .iter()
            .map(|&c| {
                let mut r = reading(c, 4e6, 800.0);
                r["closures"] = serde_json::json!(if c > 10 { 4808 } else { 4800 });
                r
            })
            .collect();
        let md = report(&soak(readings)).unwrap();
        let row = md.lines().find(|l| l.contains("| · JS closures")).unwrap();
        assert!(row.contains("| grows | +0.0 (± 0.0): **flat** |"), "{row}");
    }

    #[test]
    fn an_incomplete_soak_is_no_report() {
        let mut s = soak(vec![reading(0, 1.0, 1.0), reading(1, 1.0, 1.0)]);
        s["complete"] = Value::Bool(false);
        assert!(report(&s).is_err());
        assert!(report(&soak(vec![reading(0, 1.0, 1.0)])).is_err());
        assert!(report(&serde_json::json!({})).is_err());
    }
}

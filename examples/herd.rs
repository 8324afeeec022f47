//! Reconnect herd, simulated: 10,000 clients dropped at once by a server that is away for 5 s.
//! Herald's clients run the app's own connection state machine (the code the app calls, with
//! its backoff); baselines run the retry rules of common client hooks. Reports the peak share
//! of clients connecting in any one second and how long after the server's return 99 % are back.
//!
//! `cargo xtask bench --herd` (or `cargo run --release --example herd -- [--clients N]`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use herald::state::connection::{Command, Connection, ConnectionEvent, Context};

const OUTAGE_MS: f64 = 5_000.0;
const RTT_MS: f64 = 5.0;

struct Outcome {
    name: &'static str,
    /// Largest share of clients that attempted (socket or token refresh) within one second.
    peak_attempting: f64,
    /// Largest share of clients that came back (connected) within one second: the load that
    /// lands on the recovering server.
    peak_back: f64,
    p99_back_ms: f64,
    attempts: usize,
}

/// Deterministic per-client random numbers (xorshift), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn summarize(
    name: &'static str,
    clients: usize,
    attempts: &[(f64, usize)],
    back: &mut [f64],
) -> Outcome {
    let mut per_second = std::collections::HashMap::<i64, std::collections::HashSet<usize>>::new();
    for (t, client) in attempts {
        per_second
            .entry((t / 1000.0).floor() as i64)
            .or_default()
            .insert(*client);
    }
    let peak = per_second.values().map(|s| s.len()).max().unwrap_or(0);
    let mut back_per_second = std::collections::HashMap::<i64, usize>::new();
    for t in back.iter().filter(|t| t.is_finite()) {
        *back_per_second
            .entry((t / 1000.0).floor() as i64)
            .or_default() += 1;
    }
    let peak_back = back_per_second.values().copied().max().unwrap_or(0);
    back.sort_by(f64::total_cmp);
    let p99 = back
        .get(((clients as f64) * 0.99).ceil() as usize - 1)
        .copied()
        .unwrap_or(f64::INFINITY);
    Outcome {
        name,
        peak_attempting: peak as f64 / clients as f64,
        peak_back: peak_back as f64 / clients as f64,
        p99_back_ms: p99 - OUTAGE_MS,
        attempts: attempts.len(),
    }
}

/// Herald: every client is a real `Connection`, its commands executed against a simulated
/// server that rejects (socket) and fails (refresh) until it is back.
fn herald(clients: usize) -> Outcome {
    let mut queue: BinaryHeap<Reverse<(u64, usize, u8)>> = BinaryHeap::new(); // (µs, client, kind)
    let mut conns: Vec<Connection> = (0..clients).map(|_| Connection::new(true)).collect();
    let mut rngs: Vec<Rng> = (0..clients)
        .map(|i| Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D)))
        .collect();
    let mut back = vec![f64::INFINITY; clients];
    let mut attempts = Vec::new();
    const TICK: u8 = 0;
    const OPEN_RESULT: u8 = 1;
    const REFRESH_RESULT: u8 = 2;
    // Rounded up, as the app's timers are: a wake-up is never before its time.
    let us = |ms: f64| (ms * 1000.0).ceil() as u64;
    // Everyone is live, then the server drops them all at t = 0.
    for (i, c) in conns.iter_mut().enumerate() {
        let ctx = Context {
            now: -60_000.0,
            rand01: 0.5,
            token_near_expiry: false,
            token_expired: false,
        };
        c.handle(ConnectionEvent::Start, ctx);
        let g = c.generation;
        c.handle(ConnectionEvent::Opened { generation: g }, ctx);
        queue.push(Reverse((0, i, 3)));
    }
    while let Some(Reverse((t_us, i, kind))) = queue.pop() {
        let now = t_us as f64 / 1000.0;
        let ctx = Context {
            now,
            rand01: rngs[i].next(),
            token_near_expiry: false,
            token_expired: false,
        };
        let up = now >= OUTAGE_MS;
        let g = conns[i].generation;
        let event = match kind {
            TICK => ConnectionEvent::Tick,
            OPEN_RESULT if up => ConnectionEvent::Opened { generation: g },
            OPEN_RESULT => ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            REFRESH_RESULT if up => ConnectionEvent::Refreshed,
            REFRESH_RESULT => ConnectionEvent::RefreshFailed,
            _ => ConnectionEvent::Closed {
                generation: g,
                code: 1001,
            },
        };
        if matches!(event, ConnectionEvent::Opened { .. }) {
            back[i] = now;
        }
        for cmd in conns[i].handle(event, ctx) {
            match cmd {
                Command::Open { .. } => {
                    attempts.push((now, i));
                    queue.push(Reverse((us(now + RTT_MS), i, OPEN_RESULT)));
                }
                Command::Refresh => {
                    attempts.push((now, i));
                    queue.push(Reverse((us(now + RTT_MS), i, REFRESH_RESULT)));
                }
                Command::WakeAt(at) if back[i].is_infinite() => {
                    queue.push(Reverse((us(at), i, TICK)))
                }
                _ => {}
            }
        }
    }
    summarize(
        "Herald (full jitter, 2 s doubling, 8 s cap in the first minute)",
        clients,
        &attempts,
        &mut back,
    )
}

/// A client that retries after `delay(attempt, rng)` ms until the server is back.
fn baseline(name: &'static str, clients: usize, delay: impl Fn(u32, &mut Rng) -> f64) -> Outcome {
    let mut back = vec![f64::INFINITY; clients];
    let mut attempts = Vec::new();
    for (i, b) in back.iter_mut().enumerate() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ ((i as u64 + 7) * 0x9E37_79B9));
        let mut t = 0.0;
        let mut n = 0;
        loop {
            t += delay(n, &mut rng);
            n += 1;
            attempts.push((t, i));
            if t >= OUTAGE_MS {
                *b = t + RTT_MS;
                break;
            }
        }
    }
    summarize(name, clients, &attempts, &mut back)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let clients = args
        .iter()
        .position(|a| a == "--clients")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000usize);
    let results = [
        herald(clients),
        baseline(
            "fixed 3 s retry (yew-hooks use_websocket)",
            clients,
            |_, _| 3_000.0,
        ),
        baseline("fixed 5 s retry (react-use-websocket)", clients, |_, _| {
            5_000.0
        }),
        baseline(
            "reconnecting-websocket (1–5 s start, ×1.3, 10 s cap)",
            clients,
            |n, rng| {
                let min = 1_000.0 + rng.next() * 4_000.0;
                if n == 0 {
                    0.0
                } else {
                    (min * 1.3f64.powi(n as i32 - 1)).min(10_000.0)
                }
            },
        ),
    ];
    println!("{clients} clients, server away {OUTAGE_MS:.0} ms\n");
    println!("| client | peak share reconnecting in one second (on the recovering server) | ratio to Herald | peak share attempting in one second | 99 % back after the server's return | attempts |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let herald_peak = results[0].peak_back;
    for r in &results {
        println!(
            "| {} | {:.1} % | {:.1}× | {:.1} % | {:.1} s | {} |",
            r.name,
            r.peak_back * 100.0,
            r.peak_back / herald_peak,
            r.peak_attempting * 100.0,
            r.p99_back_ms / 1000.0,
            r.attempts
        );
    }
}

//! When live frames reach the screen. Every application of frames costs a render and the
//! browser's style, layout and paint of the list, so:
//! - a frame that arrives when nothing is waiting and nothing was applied for [`QUIET_MS`] is
//!   applied in the task that received it (a lone notification shows at once);
//! - frames that follow closer than that wait until the socket has been silent for
//!   [`SETTLE_MS`] (the end of a burst shows a few ms after its last frame), but never longer
//!   than [`MAX_WAIT_MS`] (during a flood the screen follows about ten times a second, with
//!   the main thread free for input in between: each application re-renders the page's newest
//!   items, and with #22's richer items 48 ms spent a third more of a 2,000-frame burst on
//!   renders; see BENCHMARKS.md).
//!
//! Timers, not `requestAnimationFrame`: while socket messages keep arriving, the browser may
//! postpone animation frames (up to ~100 ms in Chromium), and the screen would fall behind.

/// The shortest interval between two applications of live frames in a quiet stream.
pub const QUIET_MS: f64 = 8.0;
/// Silence after which waiting frames are applied.
pub const SETTLE_MS: f64 = 4.0;
/// The longest a frame waits during a flood.
pub const MAX_WAIT_MS: f64 = 100.0;

/// What the caller does next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Apply everything waiting now (then call [`Pacer::applied`]).
    Now,
    /// Set a timer for this many ms, then call [`Pacer::timer_fired`].
    After(f64),
    /// Nothing: a timer is already set.
    Wait,
}

/// The pacing state of one live stream. Pure: the caller owns the clock and the timer.
#[derive(Clone, Debug, Default)]
pub struct Pacer {
    last_applied: Option<f64>,
    last_arrival: f64,
    first_waiting: Option<f64>,
    timer_set: bool,
}

impl Pacer {
    /// A frame arrived at `now` (ms) and was queued.
    pub fn arrived(&mut self, now: f64) -> Step {
        self.last_arrival = now;
        let quiet = self.first_waiting.is_none()
            && self
                .last_applied
                .is_none_or(|last| now < last || now - last >= QUIET_MS);
        if quiet {
            return Step::Now;
        }
        self.first_waiting.get_or_insert(now);
        if self.timer_set {
            Step::Wait
        } else {
            self.timer_set = true;
            Step::After(SETTLE_MS)
        }
    }

    /// The timer set for an [`Step::After`] fired at `now`.
    pub fn timer_fired(&mut self, now: f64) -> Step {
        self.timer_set = false;
        let Some(first) = self.first_waiting else {
            return Step::Wait; // applied meanwhile
        };
        // A clock that went backwards counts as settled: never stall.
        let silent = now - self.last_arrival;
        let waited = now - first;
        if silent >= SETTLE_MS || waited >= MAX_WAIT_MS || silent < 0.0 || waited < 0.0 {
            Step::Now
        } else {
            self.timer_set = true;
            // At least 1 ms: what a browser timer can do anyway.
            Step::After((SETTLE_MS - silent).min(MAX_WAIT_MS - waited).max(1.0))
        }
    }

    /// Everything waiting was applied at `now` (the caller drops any timer it had set).
    pub fn applied(&mut self, now: f64) {
        self.last_applied = Some(now);
        self.first_waiting = None;
        self.timer_set = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames at the given times (ms); returns, per application, its time and how many
    /// frames it applied, simulating the caller's timer exactly.
    fn run(arrivals: &[f64]) -> Vec<(f64, usize)> {
        let mut p = Pacer::default();
        let mut timer: Option<f64> = None;
        let mut waiting = 0;
        let mut out = Vec::new();
        let fire_until = |p: &mut Pacer,
                          timer: &mut Option<f64>,
                          waiting: &mut usize,
                          t: f64,
                          out: &mut Vec<(f64, usize)>| {
            while let Some(at) = timer.filter(|at| *at <= t) {
                *timer = None;
                match p.timer_fired(at) {
                    Step::Now => {
                        out.push((at, std::mem::take(waiting)));
                        p.applied(at);
                    }
                    Step::After(ms) => *timer = Some(at + ms),
                    Step::Wait => {}
                }
            }
        };
        for &t in arrivals {
            fire_until(&mut p, &mut timer, &mut waiting, t, &mut out);
            waiting += 1;
            match p.arrived(t) {
                Step::Now => {
                    out.push((t, std::mem::take(&mut waiting)));
                    p.applied(t);
                    timer = None;
                }
                Step::After(ms) => timer = Some(t + ms),
                Step::Wait => {}
            }
        }
        fire_until(&mut p, &mut timer, &mut waiting, f64::INFINITY, &mut out);
        out
    }

    #[test]
    fn a_lone_frame_and_a_steady_stream_are_applied_at_once() {
        assert_eq!(run(&[1_000.0]), vec![(1_000.0, 1)]);
        // 50 frames a second: each one alone, in the task that received it.
        let stream: Vec<f64> = (0..50).map(|i| 1_000.0 + 20.0 * f64::from(i)).collect();
        let applied = run(&stream);
        assert_eq!(applied.len(), 50);
        assert!(applied
            .iter()
            .zip(&stream)
            .all(|((at, n), t)| at == t && *n == 1));
    }

    #[test]
    fn close_frames_wait_for_silence() {
        // Two frames 1 ms apart: the first at once, the second once the socket is silent.
        assert_eq!(run(&[0.0, 1.0]), vec![(0.0, 1), (1.0 + SETTLE_MS, 1)]);
    }

    #[test]
    fn a_flood_is_applied_a_few_times_and_its_end_at_once() {
        // 2,000 frames, one every 0.1 ms (200 ms of flood).
        let flood: Vec<f64> = (0..2_000).map(|i| f64::from(i) * 0.1).collect();
        let applied = run(&flood);
        assert_eq!(
            applied.iter().map(|a| a.1).sum::<usize>(),
            2_000,
            "nothing lost"
        );
        // About one application per MAX_WAIT_MS (the first frame at once, the end after it
        // settles), not one per frame.
        let per_wait = (200.0 / MAX_WAIT_MS).ceil() as usize;
        assert!(
            (per_wait..=per_wait + 2).contains(&applied.len()),
            "{applied:?}"
        );
        // No frame waits longer than MAX_WAIT_MS (plus the timer's own granularity).
        let mut prev = 0.0;
        for (at, _) in &applied {
            assert!(at - prev <= MAX_WAIT_MS + SETTLE_MS + 1e-9, "{applied:?}");
            prev = *at;
        }
        // The last frame shows at most SETTLE_MS after it arrived (sooner when the longest
        // wait of its batch ends first).
        let last = applied.last().unwrap().0;
        assert!(last >= 199.9 && last - 199.9 <= SETTLE_MS + 1.0, "{last}");
    }

    #[test]
    fn a_clock_going_backwards_never_stalls() {
        let mut p = Pacer::default();
        assert_eq!(p.arrived(1_000.0), Step::Now);
        p.applied(1_000.0);
        assert_eq!(p.arrived(500.0), Step::Now);
        p.applied(500.0);
        assert_eq!(p.arrived(501.0), Step::After(SETTLE_MS));
        assert_eq!(p.timer_fired(100.0), Step::Now);
    }
}

//! When to re-read the history because a burst may have lost frames.
//!
//! The production channel layer buffers a bounded number of frames per socket and drops the
//! rest silently (PROTOCOL.md, "Bursts are real"): nothing on the wire says a frame went
//! missing. So after a burst of notifications, once it has gone quiet (or after
//! [`MAX_WAIT_MS`] of a burst that does not end), the inbox re-reads the history, which is the
//! truth for everything persisted. A steady trickle never triggers it.
//!
//! Pure: the provider owns the timer and tells the watch when frames arrive and when its
//! timer fires.

/// Frames within [`WINDOW_MS`] that make a burst.
pub const BURST_FRAMES: u32 = 10;
/// The window the frames are counted in.
pub const WINDOW_MS: f64 = 1_000.0;
/// A burst is over after this long without a frame.
pub const QUIET_MS: f64 = 1_000.0;
/// A burst that goes on is re-read at least this often (a whole history per tab: not often).
pub const MAX_WAIT_MS: f64 = 30_000.0;

/// What the provider does when its timer fires.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tick {
    /// Re-read the history now.
    Resync,
    /// Still in the burst: fire again after this many milliseconds.
    Wait(u32),
    /// Nothing to do (no burst).
    Idle,
}

/// Counts notification frames and tells when a burst has ended.
#[derive(Clone, Debug, Default)]
pub struct BurstWatch {
    window_start: f64,
    in_window: u32,
    burst_since: Option<f64>,
    last_frame: f64,
    armed: bool,
}

impl BurstWatch {
    /// A notification frame arrived at `now`: `Some(ms)` when the provider must arm its timer
    /// (only when none is armed, so a flood costs no timer per frame).
    pub fn frame(&mut self, now: f64) -> Option<u32> {
        self.last_frame = now;
        // A clock going backwards starts a new window rather than stretching the old one.
        if !(0.0..WINDOW_MS).contains(&(now - self.window_start)) {
            self.window_start = now;
            self.in_window = 0;
        }
        self.in_window = self.in_window.saturating_add(1);
        if self.burst_since.is_none() && self.in_window >= BURST_FRAMES {
            self.burst_since = Some(now);
        }
        if self.burst_since.is_some() && !self.armed {
            self.armed = true;
            return Some(QUIET_MS as u32);
        }
        None
    }

    /// The provider's timer fired at `now`.
    pub fn tick(&mut self, now: f64) -> Tick {
        self.armed = false;
        let Some(since) = self.burst_since else {
            return Tick::Idle;
        };
        let quiet = now - self.last_frame;
        let waited = now - since;
        // Outside the ranges also when the clock jumped backwards: that ends the wait too.
        if !((0.0..QUIET_MS).contains(&quiet) && (0.0..MAX_WAIT_MS).contains(&waited)) {
            self.burst_since = None;
            self.window_start = now;
            self.in_window = 0;
            return Tick::Resync;
        }
        self.armed = true;
        let left = (QUIET_MS - quiet).min(MAX_WAIT_MS - waited).max(1.0);
        Tick::Wait(left.ceil() as u32)
    }

    /// The history was re-read for another reason (a reconnect): the burst is accounted for
    /// by whichever read comes after it, so the watch starts over. An armed timer still
    /// fires and finds [`Tick::Idle`].
    pub fn reset(&mut self) {
        self.burst_since = None;
        self.in_window = 0;
    }
}

/// When the inbox re-reads the history because the socket alone may have left it short: after
/// a burst of notifications ([`BurstWatch`]) and after an upload job's milestone (persisted
/// as a row, never pushed as a notification). One timer serves both; the caller owns it and
/// sets it for the milliseconds returned.
#[derive(Clone, Debug, Default)]
pub struct Resync {
    watch: BurstWatch,
    /// A milestone asked for a read.
    due: bool,
    /// The caller's timer is set.
    timer_set: bool,
}

/// What the caller does when its timer fires.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fired {
    /// What the burst watch said (for the connection log).
    pub tick: Tick,
    /// Set the timer again for this long.
    pub again: Option<u32>,
    /// Re-read the history now.
    pub read: bool,
}

impl Resync {
    /// Milestones are read 1 s after the first (their rows are written around the frame).
    pub const MILESTONE_MS: u32 = 1_000;

    /// A notification frame arrived at `now`: set (or reset) the timer for `Some(ms)`.
    pub fn frame(&mut self, now: f64) -> Option<u32> {
        let arm = self.watch.frame(now);
        self.timer_set |= arm.is_some();
        arm
    }

    /// An upload milestone arrived: set the timer for `Some(ms)` unless it is set already.
    pub fn milestone(&mut self) -> Option<u32> {
        self.due = true;
        (!std::mem::replace(&mut self.timer_set, true)).then_some(Self::MILESTONE_MS)
    }

    /// A read is under way for another reason (a connect): it covers what came before.
    pub fn reset(&mut self) {
        self.watch.reset();
        self.due = false;
    }

    /// The timer fired at `now`.
    pub fn fired(&mut self, now: f64) -> Fired {
        let tick = self.watch.tick(now);
        let again = match tick {
            Tick::Wait(ms) => Some(ms),
            _ => None,
        };
        self.timer_set = again.is_some();
        let read = std::mem::take(&mut self.due) || tick == Tick::Resync;
        Fired { tick, again, read }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames every `gap` ms from `start`; returns the timer requests.
    fn feed(w: &mut BurstWatch, start: f64, count: u32, gap: f64) -> Vec<(f64, u32)> {
        (0..count)
            .filter_map(|i| {
                let t = start + f64::from(i) * gap;
                w.frame(t).map(|ms| (t, ms))
            })
            .collect()
    }

    #[test]
    fn a_steady_trickle_never_resyncs() {
        let mut w = BurstWatch::default();
        // 5 a second for a minute: never 10 in one window.
        assert!(feed(&mut w, 0.0, 300, 200.0).is_empty());
        assert_eq!(w.tick(60_000.0), Tick::Idle);
    }

    #[test]
    fn a_burst_resyncs_once_it_is_quiet() {
        let mut w = BurstWatch::default();
        let arms = feed(&mut w, 1_000.0, 50, 2.0);
        // One timer for the whole burst, armed at the tenth frame.
        assert_eq!(arms, vec![(1_018.0, 1_000)]);
        // At 2018 the last frame (1098) is 920 ms old: wait the rest.
        assert_eq!(w.tick(2_018.0), Tick::Wait(80));
        assert_eq!(w.tick(2_098.0), Tick::Resync);
        // Done: the next tick (a stale timer) does nothing.
        assert_eq!(w.tick(2_200.0), Tick::Idle);
    }

    #[test]
    fn a_burst_that_goes_on_resyncs_every_max_wait() {
        let mut w = BurstWatch::default();
        let mut resyncs = Vec::new();
        let mut timer: Option<f64> = None;
        let mut timers = 0;
        // 100 frames a second for 70 s, with the provider's timer simulated.
        let end = 7_000;
        for i in 0..end {
            let t = f64::from(i) * 10.0;
            if let Some(at) = timer.filter(|at| *at <= t) {
                timer = None;
                match w.tick(at) {
                    Tick::Resync => resyncs.push(at),
                    Tick::Wait(ms) => {
                        timers += 1;
                        timer = Some(at + f64::from(ms));
                    }
                    Tick::Idle => {}
                }
            }
            if let Some(ms) = w.frame(t) {
                assert!(timer.is_none(), "one timer at a time");
                timers += 1;
                timer = Some(t + f64::from(ms));
            }
        }
        // Burst seen at 90 ms: re-read MAX_WAIT later, then MAX_WAIT after the next began.
        assert_eq!(resyncs.len(), 2, "{resyncs:?}");
        assert!(
            (resyncs[0] - (90.0 + MAX_WAIT_MS)).abs() < 20.0,
            "{resyncs:?}"
        );
        assert!(resyncs[1] - resyncs[0] >= MAX_WAIT_MS, "{resyncs:?}");
        // About one timer a second, not one per frame.
        assert!(timers < 100, "{timers} timers for 7,000 frames");
        // And a last read after the flood ends.
        let last_frame = f64::from(end - 1) * 10.0;
        let mut now = timer.expect("armed");
        loop {
            match w.tick(now) {
                Tick::Resync => break,
                Tick::Wait(ms) => now += f64::from(ms),
                Tick::Idle => panic!("the last part of the flood was not re-read"),
            }
        }
        assert!(
            now >= last_frame + QUIET_MS && now <= last_frame + QUIET_MS + 20.0,
            "{now}"
        );
    }

    #[test]
    fn a_reconnect_read_resets_the_watch() {
        let mut w = BurstWatch::default();
        assert!(!feed(&mut w, 0.0, 20, 1.0).is_empty());
        w.reset();
        assert_eq!(w.tick(1_020.0), Tick::Idle);
        // Nine more frames in a new window are not a burst.
        assert!(feed(&mut w, 5_000.0, 9, 1.0).is_empty());
    }

    #[test]
    fn a_clock_going_backwards_neither_stalls_nor_panics() {
        let mut w = BurstWatch::default();
        assert!(!feed(&mut w, 10_000.0, 10, 1.0).is_empty());
        // The clock jumps back an hour: the timer still ends the burst.
        assert_eq!(w.tick(10_000.0 - 3_600_000.0), Tick::Resync);
        assert!(feed(&mut w, -5_000.0, 5, 1.0).is_empty());
    }
    #[test]
    fn a_milestone_reads_once_a_second_after_the_first() {
        let mut r = Resync::default();
        assert_eq!(r.milestone(), Some(Resync::MILESTONE_MS));
        assert_eq!(r.milestone(), None, "the timer is set: one read for both");
        let fired = r.fired(1_000.0);
        assert_eq!(
            (fired.tick, fired.again, fired.read),
            (Tick::Idle, None, true)
        );
        assert!(!r.fired(2_000.0).read, "read once");
        assert_eq!(
            r.milestone(),
            Some(Resync::MILESTONE_MS),
            "the timer is free again"
        );
    }

    #[test]
    fn a_connect_cancels_what_was_due_and_a_burst_shares_the_timer() {
        let mut r = Resync::default();
        r.milestone();
        r.reset();
        assert!(!r.fired(1_000.0).read, "the connect's read covered it");
        // A burst: armed at the tenth frame, waits while frames go on, then reads.
        let arms: Vec<u32> = (0..10)
            .filter_map(|i| r.frame(2_000.0 + f64::from(i)))
            .collect();
        assert_eq!(arms, vec![1_000]);
        assert_eq!(
            r.milestone(),
            None,
            "the burst's timer serves the milestone too"
        );
        let fired = r.fired(2_500.0);
        assert_eq!(fired.again, Some(509));
        assert!(fired.read, "the milestone is read at once");
        let fired = r.fired(3_009.0);
        assert_eq!(
            (fired.tick, fired.again, fired.read),
            (Tick::Resync, None, true)
        );
    }
}

//! When live frames reach the screen. A frame that arrives when nothing was applied for
//! [`QUIET_MS`] is applied in the task that received it (no wait at all); frames that follow
//! closer than that are buffered and applied together [`QUIET_MS`] after the last application.
//! Once a burst is under way (the last application took more than one frame), the interval
//! widens to [`BUSY_MS`]: every application costs a render and the browser's style, layout and
//! paint of the list, so a flood of thousands costs a few dozen renders, not hundreds, and the
//! main thread stays free for input. A lone notification still costs one render at once, and
//! the screen is never more than [`BUSY_MS`] behind the socket.
//!
//! A timer, not `requestAnimationFrame`: while socket messages keep arriving, the browser may
//! postpone animation frames (up to ~100 ms in Chromium), and the screen would fall behind.

/// The shortest interval between two applications of live frames.
pub const QUIET_MS: f64 = 8.0;
/// The interval between two applications during a burst (about two display frames).
pub const BUSY_MS: f64 = 32.0;

/// What to do with a frame that just arrived.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flush {
    /// Apply it, and everything buffered, now (cancelling a pending timer).
    Now,
    /// Buffer it and apply the buffer after this many ms.
    After(f64),
    /// A timer is already set; just buffer it.
    Buffer,
}

/// Decides for a frame arriving at `now` (ms), given when the buffer was last applied, how
/// many frames that application took, and whether a timer to apply it is already set.
pub fn decide(now: f64, last_flush: Option<f64>, last_batch: usize, timer_set: bool) -> Flush {
    let gap = if last_batch > 1 { BUSY_MS } else { QUIET_MS };
    match last_flush {
        Some(last) if now >= last && now - last < gap => {
            if timer_set {
                Flush::Buffer
            } else {
                Flush::After(gap - (now - last))
            }
        }
        _ => Flush::Now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_frame_is_applied_at_once() {
        assert_eq!(decide(1_000.0, None, 0, false), Flush::Now);
        assert_eq!(
            decide(1_000.0, Some(1_000.0 - QUIET_MS), 1, false),
            Flush::Now
        );
        // A steady 50 frames a second: each one alone, at once.
        let mut last = None;
        for i in 0..50 {
            let now = 1_000.0 + 20.0 * f64::from(i);
            assert_eq!(decide(now, last, 1, false), Flush::Now, "frame {i}");
            last = Some(now);
        }
    }

    #[test]
    fn a_burst_is_applied_once_per_quiet_interval() {
        assert_eq!(
            decide(1_003.0, Some(1_000.0), 1, false),
            Flush::After(QUIET_MS - 3.0)
        );
        assert_eq!(decide(1_004.0, Some(1_000.0), 1, true), Flush::Buffer);
        // Once the interval has passed, the next frame applies itself and the buffer (the
        // caller cancels the timer), whether or not the timer has fired yet.
        assert_eq!(
            decide(1_000.0 + QUIET_MS, Some(1_000.0), 1, true),
            Flush::Now
        );
        // Under way (the last application took several frames): the wider interval.
        assert_eq!(
            decide(1_010.0, Some(1_000.0), 5, false),
            Flush::After(BUSY_MS - 10.0)
        );
        assert_eq!(
            decide(1_000.0 + BUSY_MS, Some(1_000.0), 5, true),
            Flush::Now
        );
    }

    #[test]
    fn a_flood_is_never_more_than_one_interval_behind() {
        // 2,000 frames, one every 0.1 ms: count applications, and the longest a frame waits.
        let (mut last, mut timer_at): (Option<f64>, Option<f64>) = (None, None);
        let (mut applied, mut buffered, mut last_batch) = (0, 0usize, 0usize);
        let (mut buffered_since, mut worst) = (None::<f64>, 0.0f64);
        for i in 0..2_000 {
            let now = f64::from(i) * 0.1;
            if let Some(t) = timer_at.filter(|t| *t <= now) {
                worst = worst.max(t - buffered_since.take().unwrap_or(t));
                applied += 1;
                (last, last_batch, buffered, timer_at) = (Some(t), buffered, 0, None);
            }
            buffered += 1;
            match decide(now, last, last_batch, timer_at.is_some()) {
                Flush::Now => {
                    worst = worst.max(now - buffered_since.take().unwrap_or(now));
                    applied += 1;
                    (last, last_batch, buffered, timer_at) = (Some(now), buffered, 0, None);
                }
                Flush::After(ms) => {
                    buffered_since.get_or_insert(now);
                    timer_at = Some(now + ms);
                }
                Flush::Buffer => {
                    buffered_since.get_or_insert(now);
                }
            }
        }
        assert!(worst <= BUSY_MS + 1e-9, "a frame waited {worst} ms");
        // 200 ms of flood: about one application per busy interval, not one per frame.
        assert!((6..=9).contains(&applied), "{applied} applications");
    }

    #[test]
    fn a_clock_going_backwards_never_stalls() {
        assert_eq!(decide(500.0, Some(1_000.0), 9, false), Flush::Now);
    }
}

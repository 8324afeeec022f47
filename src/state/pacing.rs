//! When live frames reach the screen: at once when the screen has been quiet, otherwise
//! coalesced into the next animation frame. A lone notification is applied in the task that
//! received it (no up-to-16 ms wait for a frame), while a burst of thousands costs one render
//! per frame instead of one per message.

/// How long after a render the next lone frame still waits for the next animation frame.
pub const QUIET_MS: f64 = 16.0;

/// What to do with a frame that just arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// Apply it now (the screen was quiet).
    Now,
    /// Ask for an animation frame and apply everything buffered then.
    NextFrame,
    /// A frame is already requested; just buffer it.
    Buffer,
}

/// Decides for a frame arriving at `now` (ms), given when the buffer was last applied and
/// whether an animation frame is already requested.
pub fn decide(now: f64, last_flush: Option<f64>, frame_requested: bool) -> Flush {
    if frame_requested {
        return Flush::Buffer;
    }
    match last_flush {
        Some(last) if now - last < QUIET_MS && now >= last => Flush::NextFrame,
        _ => Flush::Now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_frame_is_applied_at_once() {
        assert_eq!(decide(1_000.0, None, false), Flush::Now);
        assert_eq!(decide(1_000.0, Some(1_000.0 - QUIET_MS), false), Flush::Now);
        // A steady 50 frames a second: each one alone.
        let mut last = None;
        for i in 0..50 {
            let now = 1_000.0 + 20.0 * f64::from(i);
            assert_eq!(decide(now, last, false), Flush::Now, "frame {i}");
            last = Some(now);
        }
    }

    #[test]
    fn a_burst_waits_for_the_next_animation_frame() {
        assert_eq!(decide(1_005.0, Some(1_000.0), false), Flush::NextFrame);
        assert_eq!(decide(1_005.1, Some(1_000.0), true), Flush::Buffer);
        // Even long after the last render, a requested frame is not bypassed (order is kept).
        assert_eq!(decide(9_000.0, Some(1_000.0), true), Flush::Buffer);
    }

    #[test]
    fn a_clock_going_backwards_never_stalls() {
        assert_eq!(decide(500.0, Some(1_000.0), false), Flush::Now);
    }
}

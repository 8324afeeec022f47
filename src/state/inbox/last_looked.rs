//! "New since you last looked": when the user last had the inbox in view, kept per user in the
//! client, independent of read and unread. Pure: the hook feeds it the page's visibility, the
//! panel's place on screen and the newest item, and stores what it says to store.
//!
//! The mark is the time of the newest notification the user had in view (the server's clock,
//! like every item's time, so a client clock that is off does not move it). It is written when
//! the user leaves (the page hidden or unloaded, sign-out), never while they look: the divider
//! stays where it was for the whole look, and moves on the next one.

/// Per user: the divider's mark and what the current look has seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LastLooked {
    /// The mark as last stored (`None`: this user never looked, in this browser).
    stored: Option<f64>,
    /// The mark the divider stands at during this look.
    shown: Option<f64>,
    /// The newest item in view since the last leave.
    seen: Option<f64>,
    /// The newest item in the inbox now.
    newest: Option<f64>,
    /// The page is visible.
    visible: bool,
    /// The panel is on screen.
    on_screen: bool,
    /// The user left since the divider was placed: the next look places it again.
    left: bool,
}

fn later(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

impl LastLooked {
    /// A user's state, from the stored mark (a value that is no time is none).
    pub fn new(stored: Option<f64>) -> Self {
        let stored = stored.filter(|m| m.is_finite());
        Self {
            stored,
            shown: stored,
            ..Self::default()
        }
    }

    /// Where the divider stands: items newer than this are new since the user last looked.
    pub fn mark(&self) -> Option<f64> {
        self.shown
    }

    /// The user has the inbox in view: the page visible and the panel on screen.
    pub fn in_view(&self) -> bool {
        self.visible && self.on_screen
    }

    /// The newest item's time (`None`: the inbox is empty).
    pub fn set_newest(&mut self, newest: Option<f64>) {
        self.newest = newest.filter(|t| t.is_finite());
        if self.in_view() {
            self.seen = later(self.seen, self.newest);
        }
    }

    /// The page became visible or hidden.
    pub fn set_visible(&mut self, visible: bool) {
        self.set(visible, self.on_screen);
    }

    /// The panel came on screen or left it.
    pub fn set_on_screen(&mut self, on_screen: bool) {
        self.set(self.visible, on_screen);
    }

    fn set(&mut self, visible: bool, on_screen: bool) {
        let was = self.in_view();
        self.visible = visible;
        self.on_screen = on_screen;
        if self.in_view() && !was {
            if self.left {
                self.left = false;
                self.shown = self.stored;
            }
            self.seen = later(self.seen, self.newest);
        }
    }

    /// The user leaves (the page hidden or unloaded, sign-out): the mark to store, if it moved.
    /// The divider stays until the next look.
    pub fn leave(&mut self) -> Option<f64> {
        self.visible = false;
        self.left = true;
        let seen = self.seen.take()?;
        if self.stored.is_some_and(|s| s >= seen) {
            return None;
        }
        self.stored = Some(seen);
        Some(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looking(stored: Option<f64>, newest: f64) -> LastLooked {
        let mut l = LastLooked::new(stored);
        l.set_newest(Some(newest));
        l.set_visible(true);
        l.set_on_screen(true);
        l
    }

    #[test]
    fn a_first_look_shows_no_divider_and_leaving_stores_the_newest_seen() {
        let mut l = looking(None, 100.0);
        assert_eq!(l.mark(), None);
        l.set_newest(Some(120.0));
        assert_eq!(
            l.mark(),
            None,
            "the divider does not move while the user looks"
        );
        assert_eq!(l.leave(), Some(120.0));
        assert_eq!(
            l.leave(),
            None,
            "a second leave (pagehide after hidden) writes nothing"
        );
    }

    #[test]
    fn the_divider_moves_on_the_next_look_to_what_was_seen_before_leaving() {
        let mut l = looking(Some(50.0), 100.0);
        assert_eq!(l.mark(), Some(50.0));
        assert_eq!(l.leave(), Some(100.0));
        assert_eq!(
            l.mark(),
            Some(50.0),
            "still the old one until the user is back"
        );
        // Arrivals while away are not seen.
        l.set_newest(Some(130.0));
        l.set_visible(true);
        assert_eq!(l.mark(), Some(100.0));
        // That look saw 130: the next one starts from it.
        assert_eq!(l.leave(), Some(130.0));
    }

    #[test]
    fn only_what_arrived_while_the_panel_was_on_screen_counts_as_seen() {
        let mut l = LastLooked::new(Some(10.0));
        l.set_visible(true);
        l.set_newest(Some(100.0));
        // The panel scrolled out of sight the whole time: nothing seen, nothing stored.
        assert_eq!(l.leave(), None);
        l.set_visible(true);
        l.set_newest(Some(150.0));
        l.set_on_screen(true);
        l.set_on_screen(false);
        l.set_newest(Some(200.0));
        assert_eq!(l.leave(), Some(150.0));
        // A hidden page with the panel on screen sees nothing either.
        let mut l = LastLooked::new(Some(10.0));
        l.set_on_screen(true);
        l.set_newest(Some(300.0));
        assert_eq!(l.leave(), None);
    }

    #[test]
    fn scrolling_away_and_back_is_not_leaving() {
        let mut l = looking(Some(50.0), 100.0);
        l.set_on_screen(false);
        l.set_on_screen(true);
        assert_eq!(l.mark(), Some(50.0));
    }

    #[test]
    fn the_mark_never_goes_back_and_garbage_is_no_mark() {
        // Items deleted meanwhile: the newest now is older than the mark.
        let mut l = looking(Some(500.0), 100.0);
        assert_eq!(l.leave(), None);
        assert_eq!(LastLooked::new(Some(f64::NAN)).mark(), None);
        assert_eq!(LastLooked::new(Some(f64::INFINITY)).mark(), None);
        let mut l = looking(None, f64::NAN);
        assert_eq!(l.leave(), None);
        // An empty inbox looked at stores nothing.
        let mut l = LastLooked::new(None);
        l.set_visible(true);
        l.set_on_screen(true);
        l.set_newest(None);
        assert_eq!(l.leave(), None);
    }
}

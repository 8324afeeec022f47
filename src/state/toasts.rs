//! Toasts: which are on screen and for how long. Pure, so the selection (oldest first, a few
//! at a time, only visible ones age, a bounded queue) is tested natively.

use std::rc::Rc;

/// Toasts visible at once; the rest are summarised as "+N more".
pub const MAX_VISIBLE: usize = 3;
/// How long a toast stays (paused while hovered or focused).
pub const TOAST_MS: f64 = 6_000.0;
/// One toast.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    /// Identity (for dismissing and as the list key).
    pub id: u64,
    /// What it says, clipped.
    pub text: String,
    /// The transaction code, if any.
    pub reference: Option<String>,
    /// Time left on screen while visible and not paused.
    pub remaining_ms: f64,
}

/// The toasts waiting, oldest first: the first [`MAX_VISIBLE`] are on screen, and only their
/// time runs.
#[derive(Debug, Default, PartialEq)]
pub struct Toasts {
    // Shared: a new arrival copies pointers, not every waiting toast's text.
    items: Vec<Rc<Toast>>,
    next_id: u64,
}

/// What can happen to the toasts.
#[derive(Clone, Debug, PartialEq)]
pub enum ToastAction {
    /// (text, reference) pairs, newest last.
    Arrived(Vec<(String, Option<String>)>),
    /// This much time passed on screen.
    Elapsed(f64),
    /// One closed.
    Dismiss(u64),
    /// All closed.
    DismissAll,
}

/// Toasts kept waiting at most (the oldest beyond are let go).
pub const QUEUE_BOUND: usize = 200;

impl Toasts {
    /// All waiting toasts, oldest first.
    pub fn items(&self) -> &[Rc<Toast>] {
        &self.items
    }

    /// The toasts on screen.
    pub fn visible(&self) -> &[Rc<Toast>] {
        &self.items[..self.items.len().min(MAX_VISIBLE)]
    }

    /// Waiting beyond the visible ones ("+N more").
    pub fn more(&self) -> usize {
        self.items.len().saturating_sub(MAX_VISIBLE)
    }

    /// Applies one action.
    pub fn apply(&mut self, action: ToastAction) {
        let items = &mut self.items;
        match action {
            ToastAction::Arrived(batch) => {
                // Oldest first on screen, newest appended; keep a bounded queue.
                for (text, reference) in batch {
                    self.next_id += 1;
                    items.push(Rc::new(Toast {
                        id: self.next_id,
                        text,
                        reference,
                        remaining_ms: TOAST_MS,
                    }));
                }
                let overflow = items.len().saturating_sub(QUEUE_BOUND);
                items.drain(..overflow);
            }
            ToastAction::Elapsed(ms) => {
                for t in items.iter_mut().take(MAX_VISIBLE) {
                    Rc::make_mut(t).remaining_ms -= ms;
                }
                items.retain(|t| t.remaining_ms > 0.0);
            }
            ToastAction::Dismiss(id) => items.retain(|t| t.id != id),
            ToastAction::DismissAll => items.clear(),
        }
    }
}

/// The tag of this user's desktop notifications in this deployment. A newer notification
/// with the same tag replaces the older one in the operating system's notification centre, so
/// a tag shared by every user would let one user's notification stand in for another's, and
/// user ids of two backends (production and staging on one origin) are not one user.
///
/// ```
/// # use herald::state::toasts::desktop_tag;
/// assert_ne!(desktop_tag("https://api.example.org/", 35), desktop_tag("https://api.example.org/", 36));
/// assert_ne!(desktop_tag("https://api.example.org/", 35), desktop_tag("https://staging.example.org/", 35));
/// ```
pub fn desktop_tag(deployment: &str, user_id: i64) -> String {
    format!("herald-inbox {user_id} {deployment}")
}

/// The desktop notifications this tab opened, by tag, so they can be closed when their user
/// signs out or another user signs in: what a user was told must not stay on a shared PC's
/// screen. Only the newest per tag is kept (it has replaced the others on screen), so this
/// stays as small as the number of users this tab has seen. Generic so it is tested natively.
#[derive(Debug)]
pub struct OpenedDesktop<T> {
    opened: Vec<(String, T)>,
}

impl<T> Default for OpenedDesktop<T> {
    fn default() -> Self {
        Self { opened: Vec::new() }
    }
}

impl<T> OpenedDesktop<T> {
    /// `notification` was opened with `tag`; returns the one it replaced on screen, if any.
    pub fn opened(&mut self, tag: &str, notification: T) -> Option<T> {
        match self.opened.iter_mut().find(|(t, _)| t == tag) {
            Some((_, old)) => Some(std::mem::replace(old, notification)),
            None => {
                self.opened.push((tag.to_owned(), notification));
                None
            }
        }
    }

    /// The ones to close now that `current` is the signed-in user's tag (`None`: nobody is
    /// signed in): every other one. They are forgotten.
    pub fn close_all_but(&mut self, current: Option<&str>) -> Vec<T> {
        let (keep, close) = std::mem::take(&mut self.opened)
            .into_iter()
            .partition(|(tag, _)| Some(tag.as_str()) == current);
        self.opened = keep;
        close.into_iter().map(|(_, n)| n).collect()
    }

    /// How many are open (as far as this tab knows).
    pub fn len(&self) -> usize {
        self.opened.len()
    }

    /// None open.
    pub fn is_empty(&self) -> bool {
        self.opened.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrive(t: &mut Toasts, texts: &[&str]) {
        t.apply(ToastAction::Arrived(
            texts.iter().map(|s| (s.to_string(), None)).collect(),
        ));
    }

    fn texts(items: &[Rc<Toast>]) -> Vec<&str> {
        items.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn the_oldest_are_shown_first_and_the_rest_counted() {
        let mut t = Toasts::default();
        arrive(&mut t, &["a", "b", "c", "d", "e"]);
        assert_eq!(texts(t.visible()), ["a", "b", "c"]);
        assert_eq!(t.more(), 2);
    }

    #[test]
    fn only_visible_toasts_age_and_the_next_ones_move_up() {
        let mut t = Toasts::default();
        arrive(&mut t, &["a", "b", "c", "d"]);
        t.apply(ToastAction::Elapsed(TOAST_MS - 1.0));
        assert_eq!(
            t.items()[3].remaining_ms,
            TOAST_MS,
            "a waiting toast keeps its time"
        );
        t.apply(ToastAction::Elapsed(1.0));
        assert_eq!(texts(t.visible()), ["d"]);
        assert_eq!(t.more(), 0);
    }

    #[test]
    fn dismissing_one_or_all() {
        let mut t = Toasts::default();
        arrive(&mut t, &["a", "b", "c"]);
        let b = t.items()[1].id;
        t.apply(ToastAction::Dismiss(b));
        assert_eq!(texts(t.items()), ["a", "c"]);
        t.apply(ToastAction::DismissAll);
        assert!(t.items().is_empty());
        // Ids keep rising: a dismissed id is never reused.
        arrive(&mut t, &["x"]);
        assert!(t.items()[0].id > b);
    }

    #[test]
    fn the_queue_is_bounded_keeping_the_newest() {
        let mut t = Toasts::default();
        let many: Vec<String> = (0..QUEUE_BOUND + 50).map(|i| i.to_string()).collect();
        arrive(&mut t, &many.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(t.items().len(), QUEUE_BOUND);
        assert_eq!(t.items()[0].text, "50");
    }

    #[test]
    fn an_untouched_toast_is_shared_between_states() {
        let mut t = Toasts::default();
        arrive(&mut t, &["a", "b", "c", "d"]);
        let waiting = t.items()[3].clone();
        t.apply(ToastAction::Elapsed(10.0));
        assert!(Rc::ptr_eq(&waiting, &t.items()[3]), "not copied");
    }

    #[test]
    fn desktop_tags_are_per_user_and_per_deployment() {
        let prod = "https://api.example.org/";
        let staging = "https://staging.example.org/";
        assert_eq!(desktop_tag(prod, 35), desktop_tag(prod, 35), "stable");
        let tags = [
            desktop_tag(prod, 35),
            desktop_tag(prod, 36),
            desktop_tag(staging, 35),
            desktop_tag(prod, 3),
            desktop_tag("https://api.example.org/5", 3),
        ];
        for (i, a) in tags.iter().enumerate() {
            assert_ne!(a, "herald-inbox", "not the old shared tag");
            for b in &tags[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn desktop_notifications_of_other_users_are_closed_the_current_ones_kept() {
        let mut o = OpenedDesktop::default();
        assert_eq!(o.opened("a", 1), None);
        assert_eq!(o.opened("a", 2), Some(1), "replaced on screen: one per tag");
        assert_eq!(o.opened("b", 3), None);
        assert_eq!(o.len(), 2);
        // Another user signs in: a's go, b's stay.
        assert_eq!(o.close_all_but(Some("b")), vec![2]);
        assert_eq!(
            o.close_all_but(Some("b")),
            Vec::<i32>::new(),
            "forgotten once closed"
        );
        // Sign-out: everything goes.
        assert_eq!(o.close_all_but(None), vec![3]);
        assert!(o.is_empty());
    }
}

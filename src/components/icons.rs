//! Inline SVG icons: drawn with the text's colour (`currentColor`, styled in main.css: no
//! inline style, which the CSP refuses), never read out (`aria-hidden`): whatever an icon
//! means is also said in text next to it or in its button's name.

use yew::prelude::*;

use crate::state::action_kind::ActionKind;

/// The icons Herald draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A new document: a transfer request created.
    Created,
    /// An arrow turning back: returned for changes (mirrored in right-to-left).
    Returned,
    /// A ticked circle: approved.
    Approved,
    /// A crossed circle: rejected.
    Rejected,
    /// An arrow up onto a line: the Oracle upload.
    Upload,
    /// A bell: a notification of no known kind.
    Notification,
    /// A tick: "Mark as read".
    MarkRead,
    /// A bin: "Delete".
    Delete,
}

impl Icon {
    /// The icon for a notification's kind of action (a bell when it has none).
    pub fn of_kind(kind: Option<ActionKind>) -> Icon {
        match kind {
            Some(ActionKind::Created) => Icon::Created,
            Some(ActionKind::Returned) => Icon::Returned,
            Some(ActionKind::Approved) => Icon::Approved,
            Some(ActionKind::Rejected) => Icon::Rejected,
            Some(ActionKind::Upload) => Icon::Upload,
            None => Icon::Notification,
        }
    }

    /// The SVG paths, on a 24 × 24 grid.
    fn paths(self) -> &'static [&'static str] {
        match self {
            Icon::Created => &[
                "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z",
                "M14 3v5h5",
                "M12 11v6M9 14h6",
            ],
            Icon::Returned => &["M9 14 4 9l5-5", "M4 9h10.5a5.5 5.5 0 0 1 0 11H11"],
            Icon::Approved => &["M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z", "m8 12 3 3 5-6"],
            Icon::Rejected => &[
                "M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
                "m9 9 6 6M15 9l-6 6",
            ],
            Icon::Upload => &["M12 15V4", "m7 9 5-5 5 5", "M5 20h14"],
            Icon::Notification => &[
                "M6 9a6 6 0 0 1 12 0c0 6 2.5 8 2.5 8h-17S6 15 6 9",
                "M10 20a2 2 0 0 0 4 0",
            ],
            Icon::MarkRead => &["m5 12.5 4.5 4.5L19 7"],
            Icon::Delete => &[
                "M4 7h16",
                "M9 7V4h6v3",
                "M6 7l1 13h10l1-13",
                "M10 11v5M14 11v5",
            ],
        }
    }
}

/// An icon as inline SVG, hidden from assistive technology.
pub fn icon(icon: Icon) -> Html {
    let class = classes!("icon", (icon == Icon::Returned).then_some("mirrored"));
    html! {
        <svg {class} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            { for icon.paths().iter().map(|d| html! { <path d={*d} /> }) }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_icon() {
        use ActionKind::*;
        let icons: Vec<Icon> = [Created, Returned, Approved, Rejected, Upload]
            .into_iter()
            .map(|k| Icon::of_kind(Some(k)))
            .chain([Icon::of_kind(None)])
            .collect();
        for (i, a) in icons.iter().enumerate() {
            assert!(!a.paths().is_empty());
            assert!(
                icons[i + 1..].iter().all(|b| a.paths() != b.paths()),
                "{a:?} looks like another"
            );
        }
    }
}

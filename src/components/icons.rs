//! Icons, drawn by the element that shows them: its classes ([`Icon::classes`]) give it a
//! `::before` whose shape is a CSS mask over the text's colour (main.css, `.icon-*`: no inline
//! style, which the CSP refuses). No element of their own (an inbox item shows three, and a
//! burst builds items by the hundred), never read out: whatever an icon means is also said in
//! text next to it or in its button's name.

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

    /// The classes that make an element show it: `icon`, the one that gives its shape
    /// (main.css), and `mirrored` for an arrow that points the other way in right-to-left.
    pub fn classes(self) -> &'static str {
        match self {
            Icon::Created => "icon icon-created",
            Icon::Returned => "icon icon-returned mirrored",
            Icon::Approved => "icon icon-approved",
            Icon::Rejected => "icon icon-rejected",
            Icon::Upload => "icon icon-upload",
            Icon::Notification => "icon icon-bell",
            Icon::MarkRead => "icon icon-mark-read",
            Icon::Delete => "icon icon-delete",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Icon; 8] = [
        Icon::Created,
        Icon::Returned,
        Icon::Approved,
        Icon::Rejected,
        Icon::Upload,
        Icon::Notification,
        Icon::MarkRead,
        Icon::Delete,
    ];

    /// The class that draws `icon`.
    fn shape_class(icon: Icon) -> &'static str {
        icon.classes().split(' ').nth(1).expect("a shape class")
    }

    #[test]
    fn every_kind_has_its_own_icon() {
        use ActionKind::*;
        let icons: Vec<Icon> = [Created, Returned, Approved, Rejected, Upload]
            .into_iter()
            .map(|k| Icon::of_kind(Some(k)))
            .chain([Icon::of_kind(None)])
            .collect();
        for (i, a) in icons.iter().enumerate() {
            assert!(
                icons[i + 1..]
                    .iter()
                    .all(|b| shape_class(*a) != shape_class(*b)),
                "{a:?} looks like another"
            );
        }
    }

    #[test]
    fn every_icon_has_a_shape_in_the_stylesheet() {
        let css = include_str!("../../styles/main.css");
        let mut shapes = Vec::new();
        for icon in ALL {
            let rule = format!(
                ".{} {{ --shape: url(\"data:image/svg+xml,",
                shape_class(icon)
            );
            let at = css
                .find(&rule)
                .unwrap_or_else(|| panic!("{icon:?}: no rule {rule}"));
            let line = css[at..].lines().next().unwrap_or_default();
            assert!(line.contains("<path d='"), "{icon:?} draws nothing: {line}");
            shapes.push(line.split_once("<path").map(|(_, d)| d.to_owned()));
        }
        for (i, a) in shapes.iter().enumerate() {
            assert!(
                !shapes[i + 1..].contains(a),
                "{:?} looks like another",
                ALL[i]
            );
        }
    }
}

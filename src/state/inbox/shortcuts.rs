//! The inbox's keyboard shortcuts: which key does what, where. Pure (the component reads the
//! event and where focus is, and carries the shortcut out).
//!
//! Rules:
//! - never while the user types (focus in an input, a text area, a select, an editable
//!   element) or works in a dialog, never with Ctrl, Alt or Meta (the browser's and the
//!   system's), and none at all when the user turned them off;
//! - j / ↓ and k / ↑ move between items (from outside the list, j and k go to the first item;
//!   the arrows keep scrolling the page there); Enter opens the item that has focus itself
//!   (on a link or a button, Enter is theirs); `e` marks read, Delete deletes, `x` and Space
//!   select, Shift+x and Shift+Space select a range, `z` undoes a delete, `?` lists them;
//! - letters are read from the key, else from the key's place (`KeyJ`): on an Arabic layout
//!   the j key types "ت" and still moves down; "؟" is "?" there.
//!
//! ```
//! # use herald::state::inbox::shortcuts::{shortcut, Focus, KeyPress, Shortcut};
//! let j = KeyPress { key: "j", code: "KeyJ", ..KeyPress::default() };
//! assert_eq!(shortcut(&j, Focus::Item, true), Some(Shortcut::Next));
//! assert_eq!(shortcut(&j, Focus::Field, true), None);
//! ```

use super::ItemKey;

/// A key as the browser reports it (`KeyboardEvent.key`, `.code` and the modifiers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyPress<'a> {
    /// `key`: what the key types or its name ("j", "ت", "ArrowDown", "Delete").
    pub key: &'a str,
    /// `code`: the key's place on the keyboard ("KeyJ", "Slash").
    pub code: &'a str,
    /// Shift held.
    pub shift: bool,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
    /// Meta (⌘, ⊞) held.
    pub meta: bool,
}

/// Where focus is when the key is pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// A field the user types in: input, textarea, select, contenteditable.
    Field,
    /// A dialog (its own keys: Esc, Tab).
    Dialog,
    /// An item of the inbox itself (its row).
    Item,
    /// A control inside an item (its link, checkbox, buttons).
    ItemControl,
    /// Anywhere else.
    Elsewhere,
}

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// Focus the next item.
    Next,
    /// Focus the previous item.
    Previous,
    /// Open the item (its transaction link).
    Open,
    /// Mark the item read.
    MarkRead,
    /// Delete the item (with Undo).
    Delete,
    /// Select or unselect the item.
    ToggleSelect,
    /// Select the range from the last selected item to this one.
    SelectRange,
    /// Undo the delete waiting to be sent.
    Undo,
    /// List the shortcuts.
    Help,
}

/// Unicode's "Alphabetic", the browser's own in the app (see `shortcuts/alphabetic.rs`).
mod alphabetic;

/// Every shortcut with its keys, for the `?` dialog and `aria-keyshortcuts` (in the
/// attribute's syntax: "J ArrowDown", "Shift+X").
pub const LIST: &[(Shortcut, &str)] = &[
    (Shortcut::Next, "J ArrowDown"),
    (Shortcut::Previous, "K ArrowUp"),
    (Shortcut::Open, "Enter"),
    (Shortcut::MarkRead, "E"),
    (Shortcut::Delete, "Delete"),
    (Shortcut::ToggleSelect, "X Space"),
    (Shortcut::SelectRange, "Shift+X Shift+Space"),
    (Shortcut::Undo, "Z"),
    (Shortcut::Help, "Shift+?"),
];

/// The keys of `shortcut` in `aria-keyshortcuts` syntax.
pub fn keys_of(shortcut: Shortcut) -> &'static str {
    LIST.iter()
        .find(|(s, _)| *s == shortcut)
        .map_or("", |(_, k)| k)
}

/// The letter a key stands for: the key itself when it is a Latin letter, else the letter of
/// its place (`KeyJ` → 'j'), so shortcuts work on any layout.
fn letter(press: &KeyPress) -> Option<char> {
    let mut chars = press.key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
        (Some(c), None) if alphabetic::is_alphabetic(c) => press
            .code
            .strip_prefix("Key")
            .and_then(|l| l.chars().next())
            .map(|c| c.to_ascii_lowercase()),
        _ => None,
    }
}

/// What `press` does with focus `at`; `None`: the key is the page's (nothing is prevented).
pub fn shortcut(press: &KeyPress, at: Focus, enabled: bool) -> Option<Shortcut> {
    if !enabled || press.ctrl || press.alt || press.meta {
        return None;
    }
    if matches!(at, Focus::Field | Focus::Dialog) {
        return None;
    }
    let in_item = matches!(at, Focus::Item | Focus::ItemControl);
    if matches!(press.key, "?" | "؟") || (press.shift && press.code == "Slash") {
        return Some(Shortcut::Help);
    }
    match (press.key, press.shift) {
        ("ArrowDown", false) if in_item => return Some(Shortcut::Next),
        ("ArrowUp", false) if in_item => return Some(Shortcut::Previous),
        ("Enter", false) if at == Focus::Item => return Some(Shortcut::Open),
        ("Delete", false) if in_item => return Some(Shortcut::Delete),
        // On a control Space is the control's (a checkbox's Shift+Space is a range click).
        (" ", false) if at == Focus::Item => return Some(Shortcut::ToggleSelect),
        (" ", true) if at == Focus::Item => return Some(Shortcut::SelectRange),
        _ => {}
    }
    match (letter(press)?, press.shift) {
        ('j', false) => Some(Shortcut::Next),
        ('k', false) => Some(Shortcut::Previous),
        ('z', false) => Some(Shortcut::Undo),
        ('e', false) if in_item => Some(Shortcut::MarkRead),
        ('x', false) if in_item => Some(Shortcut::ToggleSelect),
        ('x', true) if in_item => Some(Shortcut::SelectRange),
        _ => None,
    }
}

/// The item to focus after `from` (`None`: focus is on no item) going down (or up) `order`,
/// the items as shown: the first when none has focus, and no further than either end.
pub fn step(order: &[ItemKey], from: Option<ItemKey>, down: bool) -> Option<ItemKey> {
    let at = from.and_then(|k| order.iter().position(|o| *o == k));
    let to = match (at, down) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(order.len().saturating_sub(1)),
        (Some(i), false) => i.saturating_sub(1),
    };
    order.get(to).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            code: "",
            ..KeyPress::default()
        }
    }

    fn shifted(k: KeyPress<'_>) -> KeyPress<'_> {
        KeyPress { shift: true, ..k }
    }

    #[test]
    fn each_key_does_its_shortcut_on_an_item() {
        let table = [
            ("j", Shortcut::Next),
            ("ArrowDown", Shortcut::Next),
            ("k", Shortcut::Previous),
            ("ArrowUp", Shortcut::Previous),
            ("Enter", Shortcut::Open),
            ("e", Shortcut::MarkRead),
            ("Delete", Shortcut::Delete),
            ("x", Shortcut::ToggleSelect),
            (" ", Shortcut::ToggleSelect),
            ("z", Shortcut::Undo),
            ("?", Shortcut::Help),
        ];
        for (k, want) in table {
            assert_eq!(shortcut(&key(k), Focus::Item, true), Some(want), "{k:?}");
        }
        assert_eq!(
            shortcut(&shifted(key("X")), Focus::Item, true),
            Some(Shortcut::SelectRange)
        );
        assert_eq!(
            shortcut(&shifted(key(" ")), Focus::Item, true),
            Some(Shortcut::SelectRange)
        );
        assert_eq!(
            shortcut(&shifted(key("?")), Focus::Item, true),
            Some(Shortcut::Help),
            "? is typed with Shift"
        );
        // Caps Lock: "X" without Shift is still x.
        assert_eq!(
            shortcut(&key("X"), Focus::Item, true),
            Some(Shortcut::ToggleSelect)
        );
    }

    #[test]
    fn nothing_while_typing_in_a_dialog_with_a_modifier_or_when_off() {
        for k in ["j", "e", "Delete", "x", "?", "z", "Enter", "ArrowDown"] {
            for at in [Focus::Field, Focus::Dialog] {
                assert_eq!(shortcut(&key(k), at, true), None, "{k:?} in {at:?}");
            }
            assert_eq!(shortcut(&key(k), Focus::Item, false), None, "{k:?} off");
            for m in [
                KeyPress {
                    ctrl: true,
                    ..key(k)
                },
                KeyPress {
                    alt: true,
                    ..key(k)
                },
                KeyPress {
                    meta: true,
                    ..key(k)
                },
            ] {
                assert_eq!(shortcut(&m, Focus::Item, true), None, "{m:?}");
            }
        }
        // Shift changes j, e and arrows into no shortcut (Shift+↓ extends a text selection).
        for k in ["j", "e", "ArrowDown", "Enter", "Delete"] {
            assert_eq!(shortcut(&shifted(key(k)), Focus::Item, true), None, "{k:?}");
        }
    }

    #[test]
    fn controls_keep_their_own_keys_and_the_page_keeps_its_arrows() {
        // Enter and Space on a link, a button or the checkbox are theirs.
        for k in ["Enter", " "] {
            assert_eq!(shortcut(&key(k), Focus::ItemControl, true), None);
            assert_eq!(shortcut(&shifted(key(k)), Focus::ItemControl, true), None);
        }
        // The item's own keys still work from its controls.
        for (k, want) in [
            ("e", Shortcut::MarkRead),
            ("Delete", Shortcut::Delete),
            ("x", Shortcut::ToggleSelect),
            ("ArrowDown", Shortcut::Next),
        ] {
            assert_eq!(shortcut(&key(k), Focus::ItemControl, true), Some(want));
        }
        // Outside the list: j, k, z and ? only; the arrows scroll, e and Delete do nothing.
        for (k, want) in [
            ("j", Some(Shortcut::Next)),
            ("k", Some(Shortcut::Previous)),
            ("z", Some(Shortcut::Undo)),
            ("?", Some(Shortcut::Help)),
            ("ArrowDown", None),
            ("e", None),
            ("Delete", None),
            ("x", None),
            ("Enter", None),
            (" ", None),
        ] {
            assert_eq!(shortcut(&key(k), Focus::Elsewhere, true), want, "{k:?}");
        }
    }

    #[test]
    fn an_arabic_layout_works_by_the_keys_place() {
        let press = |key, code| KeyPress {
            key,
            code,
            ..KeyPress::default()
        };
        assert_eq!(
            shortcut(&press("ت", "KeyJ"), Focus::Item, true),
            Some(Shortcut::Next)
        );
        assert_eq!(
            shortcut(&press("ن", "KeyK"), Focus::Item, true),
            Some(Shortcut::Previous)
        );
        assert_eq!(
            shortcut(&press("ث", "KeyE"), Focus::Item, true),
            Some(Shortcut::MarkRead)
        );
        assert_eq!(
            shortcut(&press("؟", "Slash"), Focus::Elsewhere, true),
            Some(Shortcut::Help)
        );
        assert_eq!(
            shortcut(&shifted(press("/", "Slash")), Focus::Item, true),
            Some(Shortcut::Help)
        );
        // A Latin letter is read as typed (Dvorak's j is where QWERTY's c is).
        assert_eq!(
            shortcut(&press("j", "KeyC"), Focus::Item, true),
            Some(Shortcut::Next)
        );
        // Digits and punctuation are nobody's shortcut.
        assert_eq!(shortcut(&press("٣", "Digit3"), Focus::Item, true), None);
        assert_eq!(shortcut(&press("/", "Slash"), Focus::Item, true), None);
    }

    #[test]
    fn steps_stop_at_both_ends_and_start_at_the_top() {
        let order: Vec<ItemKey> = (1..=3).map(ItemKey::Id).collect();
        let at = |i| Some(ItemKey::Id(i));
        assert_eq!(step(&order, None, true), at(1));
        assert_eq!(step(&order, None, false), at(1));
        assert_eq!(step(&order, at(1), true), at(2));
        assert_eq!(step(&order, at(3), true), at(3));
        assert_eq!(step(&order, at(2), false), at(1));
        assert_eq!(step(&order, at(1), false), at(1));
        assert_eq!(step(&order, at(9), true), at(1), "gone: from the top");
        assert_eq!(step(&[], None, true), None);
    }

    #[test]
    fn every_shortcut_is_listed_with_its_keys() {
        for s in [
            Shortcut::Next,
            Shortcut::Previous,
            Shortcut::Open,
            Shortcut::MarkRead,
            Shortcut::Delete,
            Shortcut::ToggleSelect,
            Shortcut::SelectRange,
            Shortcut::Undo,
            Shortcut::Help,
        ] {
            assert!(!keys_of(s).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn the_keys_are_ascii() {
        // The dialog shows them in the ASCII lower case (components/inbox/shortcuts.rs).
        for (s, keys) in LIST {
            assert!(keys.is_ascii(), "{s:?}");
        }
    }
}

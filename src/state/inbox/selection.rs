//! Which items the user has chosen for a bulk action: a checkbox per item, Shift for a range,
//! "Select all matching". Pure: the panel tells it the order the items are shown in (for
//! ranges) and which items match the search and filters (for "all" and for pruning).
//!
//! Rules:
//! - a toggle (click, Space, `x`) flips one item and makes it the anchor;
//! - a range (Shift-click, Shift+Space, Shift+x) gives every item from the anchor to the target,
//!   in the order shown, the anchor's state (so a range can select or clear), and the target
//!   becomes the anchor; without an anchor on screen it is a toggle;
//! - "all" selects exactly the matching items; what stops matching (another filter, another
//!   search, deleted) is no longer selected: a bulk action never touches an item the user
//!   cannot see.
//!
//! ```
//! # use herald::state::inbox::{ItemKey, selection::{Selection, SelectionAction}};
//! let order: std::rc::Rc<[ItemKey]> = (1..=5).map(ItemKey::Id).collect();
//! let mut s = Selection::default();
//! s.apply(SelectionAction::Toggle(ItemKey::Id(2)));
//! s.apply(SelectionAction::Range { to: ItemKey::Id(4), order });
//! assert_eq!(s.len(), 3);
//! ```

use std::collections::HashSet;
use std::rc::Rc;

use super::ItemKey;

/// The chosen items and the anchor of the next Shift range. Cheap to clone and to compare
/// (the set is shared; equal when it is the same set).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    chosen: Rc<HashSet<ItemKey>>,
    anchor: Option<ItemKey>,
}

impl PartialEq for Selection {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.chosen, &other.chosen) && self.anchor == other.anchor
    }
}

/// What the user does to the selection.
#[derive(Clone)]
pub enum SelectionAction {
    /// Checks or unchecks one item; it becomes the anchor.
    Toggle(ItemKey),
    /// Shift on `to`: the items from the anchor to `to` in `order` (the list as shown) take
    /// the anchor's state; `to` becomes the anchor.
    Range {
        /// The item Shift-clicked.
        to: ItemKey,
        /// The items as shown, top to bottom.
        order: Rc<[ItemKey]>,
    },
    /// Selects exactly these (every item matching the search and filters); no anchor.
    All(Rc<[ItemKey]>),
    /// Selects nothing.
    Clear,
    /// Keeps only the chosen items `matching` says yes to (the view changed).
    Keep(Rc<dyn Fn(ItemKey) -> bool>),
}

impl Selection {
    /// Whether `key` is chosen.
    pub fn contains(&self, key: ItemKey) -> bool {
        self.chosen.contains(&key)
    }

    /// How many are chosen.
    pub fn len(&self) -> usize {
        self.chosen.len()
    }

    /// Nothing chosen.
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }

    /// The chosen items in `order` (what a bulk action works through: top to bottom).
    pub fn in_order<'a>(&'a self, order: impl IntoIterator<Item = &'a ItemKey>) -> Vec<ItemKey> {
        if self.chosen.is_empty() {
            return Vec::new();
        }
        order
            .into_iter()
            .copied()
            .filter(|k| self.chosen.contains(k))
            .collect()
    }

    /// The chosen set.
    pub fn keys(&self) -> &HashSet<ItemKey> {
        &self.chosen
    }

    /// Applies one action; whether the selection changed.
    pub fn apply(&mut self, action: SelectionAction) -> bool {
        match action {
            SelectionAction::Toggle(key) => {
                let set = Rc::make_mut(&mut self.chosen);
                if !set.remove(&key) {
                    set.insert(key);
                }
                self.anchor = Some(key);
                true
            }
            SelectionAction::Range { to, order } => self.range(to, &order),
            SelectionAction::All(keys) => {
                self.chosen = Rc::new(keys.iter().copied().collect());
                self.anchor = None;
                true
            }
            SelectionAction::Clear => {
                let changed = !self.chosen.is_empty() || self.anchor.is_some();
                if changed {
                    *self = Selection::default();
                }
                changed
            }
            SelectionAction::Keep(matching) => {
                if self.chosen.iter().all(|k| matching(*k)) {
                    return false;
                }
                Rc::make_mut(&mut self.chosen).retain(|k| matching(*k));
                if self.anchor.is_some_and(|a| !matching(a)) {
                    self.anchor = None;
                }
                true
            }
        }
    }

    fn range(&mut self, to: ItemKey, order: &[ItemKey]) -> bool {
        let from = self.anchor.and_then(|a| order.iter().position(|k| *k == a));
        let (Some(from), Some(at)) = (from, order.iter().position(|k| *k == to)) else {
            return self.apply(SelectionAction::Toggle(to));
        };
        let on = self.anchor.is_some_and(|a| self.chosen.contains(&a));
        let (lo, hi) = if from <= at { (from, at) } else { (at, from) };
        let set = Rc::make_mut(&mut self.chosen);
        for k in &order[lo..=hi] {
            if on {
                set.insert(*k);
            } else {
                set.remove(k);
            }
        }
        self.anchor = Some(to);
        true
    }
}

impl yew::Reducible for Selection {
    type Action = SelectionAction;

    fn reduce(self: Rc<Self>, action: SelectionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ids: impl IntoIterator<Item = i64>) -> Rc<[ItemKey]> {
        ids.into_iter().map(ItemKey::Id).collect()
    }

    fn chosen(s: &Selection, order: &[ItemKey]) -> Vec<i64> {
        s.in_order(order)
            .into_iter()
            .map(|k| match k {
                ItemKey::Id(id) => id,
                ItemKey::Live(n) => -(n as i64),
            })
            .collect()
    }

    #[test]
    fn a_toggle_flips_one_item() {
        let order = keys(1..=3);
        let mut s = Selection::default();
        s.apply(SelectionAction::Toggle(ItemKey::Id(2)));
        assert_eq!(chosen(&s, &order), [2]);
        assert!(s.contains(ItemKey::Id(2)) && !s.contains(ItemKey::Id(1)));
        s.apply(SelectionAction::Toggle(ItemKey::Id(2)));
        assert!(s.is_empty());
    }

    #[test]
    fn a_range_runs_from_the_anchor_either_way_in_the_order_shown() {
        let order = keys([9, 7, 5, 3, 1]);
        let mut s = Selection::default();
        s.apply(SelectionAction::Toggle(ItemKey::Id(7)));
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(3),
            order: order.clone(),
        });
        assert_eq!(chosen(&s, &order), [7, 5, 3]);
        // Upwards from the new anchor (3).
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(9),
            order: order.clone(),
        });
        assert_eq!(chosen(&s, &order), [9, 7, 5, 3]);
    }

    #[test]
    fn a_range_takes_the_anchors_state_so_it_can_clear() {
        let order = keys(1..=6);
        let mut s = Selection::default();
        s.apply(SelectionAction::All(order.clone()));
        // Unchecking 2 makes it an unchecked anchor: Shift on 4 clears 2..=4.
        s.apply(SelectionAction::Toggle(ItemKey::Id(2)));
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(4),
            order: order.clone(),
        });
        assert_eq!(chosen(&s, &order), [1, 5, 6]);
    }

    #[test]
    fn a_range_without_an_anchor_on_screen_is_a_toggle() {
        let order = keys(1..=4);
        let mut s = Selection::default();
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(3),
            order: order.clone(),
        });
        assert_eq!(chosen(&s, &order), [3]);
        // The anchor has left the list (deleted elsewhere): again a toggle.
        let shorter = keys([1, 2, 4]);
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(1),
            order: shorter.clone(),
        });
        assert_eq!(chosen(&s, &order), [1, 3]);
    }

    #[test]
    fn all_selects_exactly_the_matching_and_keep_prunes_what_stops_matching() {
        let order = keys(1..=6);
        let mut s = Selection::default();
        s.apply(SelectionAction::Toggle(ItemKey::Id(1)));
        s.apply(SelectionAction::All(keys([2, 4, 6])));
        assert_eq!(chosen(&s, &order), [2, 4, 6], "not 1: it does not match");
        let before = s.clone();
        assert!(!s.apply(SelectionAction::Keep(Rc::new(|_| true))));
        assert_eq!(s, before, "nothing pruned: the same state");
        assert!(s.apply(SelectionAction::Keep(Rc::new(|k| k != ItemKey::Id(4)))));
        assert_eq!(chosen(&s, &order), [2, 6]);
        assert!(s.apply(SelectionAction::Clear));
        assert!(s.is_empty());
        assert!(!s.apply(SelectionAction::Clear), "already empty");
    }

    #[test]
    fn a_pruned_anchor_starts_no_range() {
        let order = keys(1..=5);
        let mut s = Selection::default();
        s.apply(SelectionAction::Toggle(ItemKey::Id(2)));
        s.apply(SelectionAction::Keep(Rc::new(|k| k != ItemKey::Id(2))));
        s.apply(SelectionAction::Range {
            to: ItemKey::Id(4),
            order: order.clone(),
        });
        assert_eq!(chosen(&s, &order), [4]);
    }

    #[test]
    fn the_reducer_keeps_the_same_state_when_nothing_changed() {
        use yew::Reducible;
        let s = Rc::new(Selection::default());
        let same = s.clone().reduce(SelectionAction::Clear);
        assert!(Rc::ptr_eq(&s, &same));
        let changed = s.clone().reduce(SelectionAction::Toggle(ItemKey::Live(1)));
        assert!(!Rc::ptr_eq(&s, &changed));
        assert_ne!(*s, *changed);
    }
}

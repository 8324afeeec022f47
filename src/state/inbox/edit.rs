//! What the user does to the inbox. One path per operation: an [`Edit`] is applied at once,
//! kept as a [`Pending`] edit until the server answers, told to the server and to the user's
//! other tabs as one [`Change`], and undone if refused.
//!
//! A new operation is one variant of [`Edit`], one arm in [`Edit::effect`] (what it does to
//! an item), one arm in [`Edit::change`] / [`Edit::from_change`] (what the server and the
//! other tabs are told: a [`Change`] variant) and one failure wording per language.

use std::collections::HashSet;
use std::rc::Rc;

use super::{ItemKey, Notification};
use crate::protocol::rest::Change;
use crate::state::remote::{ApiError, ChangeError};

/// A change the user makes to the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Mark one read (the server too, when it has an id).
    MarkRead(ItemKey),
    /// Mark all read.
    MarkAllRead,
    /// Delete one.
    Delete(ItemKey),
    /// Mark these read: a bulk action, whose items are its pending edit's
    /// ([`super::Inbox::edit_many`]), told to the server item by item.
    ReadMany,
    /// Delete these (likewise; after the Undo window, see [`super::bulk`]).
    DeleteMany,
}

/// What an edit does to one item.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Effect {
    /// The item becomes this.
    Becomes(Notification),
    /// The item goes.
    Goes,
}

impl Edit {
    /// What this edit does to `n`; `None` when it leaves `n` alone. The one reducer arm per
    /// operation: applying, re-applying over a newer history and undoing all go through it.
    pub(super) fn effect(self, n: &Notification) -> Option<Effect> {
        let read = || {
            Effect::Becomes(Notification {
                is_read: true,
                ..n.clone()
            })
        };
        match self {
            Edit::MarkRead(k) => (n.key == k && !n.is_read).then(read),
            Edit::MarkAllRead => (!n.is_read).then(read),
            Edit::Delete(k) => (n.key == k).then_some(Effect::Goes),
            // Only ever applied to the items chosen (see `Inbox::edit_many`).
            Edit::ReadMany => (!n.is_read).then(read),
            Edit::DeleteMany => Some(Effect::Goes),
        }
    }

    /// Whether it deletes.
    pub fn deletes(self) -> bool {
        matches!(self, Edit::Delete(_) | Edit::DeleteMany)
    }

    /// Whether it acts on the items chosen for it (a bulk edit), not on items it names.
    pub fn is_many(self) -> bool {
        matches!(self, Edit::ReadMany | Edit::DeleteMany)
    }

    /// What the server is told of item `key` of this bulk edit; `None` when the server never
    /// had it (live-only) or the edit is not a bulk one.
    pub fn item_change(self, key: ItemKey) -> Option<Change> {
        match (self, key) {
            (Edit::ReadMany, ItemKey::Id(id)) => Some(Change::ReadOne(id)),
            (Edit::DeleteMany, ItemKey::Id(id)) => Some(Change::Delete(id)),
            _ => None,
        }
    }

    /// What the server (and then the user's other tabs) are told of this edit, which touched
    /// `before`; `None` when it concerns only what the server never had (live-only items), or
    /// is a bulk edit (told item by item: [`Edit::item_change`]).
    pub fn change(self, before: &[Rc<Notification>]) -> Option<Change> {
        match self {
            Edit::MarkRead(ItemKey::Id(id)) => Some(Change::ReadOne(id)),
            Edit::MarkAllRead if before.iter().any(|n| matches!(n.key, ItemKey::Id(_))) => {
                Some(Change::ReadAll)
            }
            Edit::Delete(ItemKey::Id(id)) => Some(Change::Delete(id)),
            _ => None,
        }
    }

    /// The edit another tab made, as this tab applies it.
    pub fn from_change(change: Change) -> Self {
        match change {
            Change::ReadOne(id) => Edit::MarkRead(ItemKey::Id(id)),
            Change::ReadAll => Edit::MarkAllRead,
            Change::Delete(id) => Edit::Delete(ItemKey::Id(id)),
        }
    }
}

/// An edit applied here and not yet answered by the server, with the items it touched as they
/// were (to undo it).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Which one, for [`super::InboxAction::Settled`] and [`super::InboxAction::Failed`].
    pub id: u64,
    /// The edit.
    pub edit: Edit,
    /// The items it touched, as they were.
    pub before: Vec<Rc<Notification>>,
    /// Their keys (what a newer history or a repeated frame has it applied to again).
    pub(super) keys: HashSet<ItemKey>,
}

impl Pending {
    /// Whether it touched item `key`.
    pub fn touched(&self, key: ItemKey) -> bool {
        self.keys.contains(&key)
    }

    /// What the server is told; see [`Edit::change`].
    pub fn change(&self) -> Option<Change> {
        self.edit.change(&self.before)
    }
}

/// An edit the server refused (or could not be asked): what the inbox says until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// What was tried.
    pub edit: Edit,
    /// Why it did not happen.
    pub why: ChangeError,
}

/// What to do with the server's answer to a [`Change`].
#[derive(Clone, Debug, PartialEq)]
pub enum Answered {
    /// Done: the edit stays, and the user's other tabs apply it too.
    Settled(Change),
    /// The item is no longer on the server (a 404: deleted in another tab or on another
    /// device): a delete is done, a read has nothing left to read. Either way the item goes,
    /// here and (told as this delete) in the other tabs, with no error.
    Gone(ItemKey, Change),
    /// The session ended meanwhile: nothing (its inbox is gone).
    Dropped,
    /// Refused: undo it and say why.
    Failed(ChangeError),
}

/// The rules for the server's answer to `change`.
pub fn answered(change: Change, result: Result<(), ChangeError>) -> Answered {
    match (result, change) {
        (Ok(()), _) => Answered::Settled(change),
        (
            Err(ChangeError::Refused { status: 404, .. }),
            Change::ReadOne(id) | Change::Delete(id),
        ) => Answered::Gone(ItemKey::Id(id), Change::Delete(id)),
        (Err(ChangeError::Api(ApiError::SessionExpired)), _) => Answered::Dropped,
        (Err(why), _) => Answered::Failed(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: ItemKey, read: bool) -> Notification {
        Notification {
            key,
            is_read: read,
            ..Notification::sample(0)
        }
    }

    #[test]
    fn each_edit_touches_only_its_items() {
        let unread = item(ItemKey::Id(1), false);
        let read = item(ItemKey::Id(1), true);
        let other = item(ItemKey::Id(2), false);
        assert_eq!(
            Edit::MarkRead(ItemKey::Id(1)).effect(&unread),
            Some(Effect::Becomes(read.clone()))
        );
        assert_eq!(Edit::MarkRead(ItemKey::Id(1)).effect(&read), None);
        assert_eq!(Edit::MarkRead(ItemKey::Id(1)).effect(&other), None);
        assert!(Edit::MarkAllRead.effect(&other).is_some());
        assert_eq!(Edit::MarkAllRead.effect(&read), None);
        assert_eq!(
            Edit::Delete(ItemKey::Id(1)).effect(&read),
            Some(Effect::Goes)
        );
        assert_eq!(Edit::Delete(ItemKey::Id(1)).effect(&other), None);
    }

    #[test]
    fn only_what_the_server_has_is_told_and_back_again() {
        let live = Rc::new(item(ItemKey::Live(3), false));
        let persisted = Rc::new(item(ItemKey::Id(4), false));
        assert_eq!(
            Edit::MarkRead(ItemKey::Live(3)).change(std::slice::from_ref(&live)),
            None
        );
        assert_eq!(
            Edit::Delete(ItemKey::Live(3)).change(std::slice::from_ref(&live)),
            None
        );
        assert_eq!(Edit::MarkAllRead.change(std::slice::from_ref(&live)), None);
        assert_eq!(
            Edit::MarkAllRead.change(&[live, persisted]),
            Some(Change::ReadAll)
        );
        for edit in [
            Edit::MarkRead(ItemKey::Id(4)),
            Edit::Delete(ItemKey::Id(4)),
            Edit::MarkAllRead,
        ] {
            let before = [Rc::new(item(ItemKey::Id(4), false))];
            let change = edit.change(&before).unwrap();
            assert_eq!(
                Edit::from_change(change),
                edit,
                "the other tabs apply the same"
            );
        }
    }

    #[test]
    fn a_bulk_edit_is_told_item_by_item() {
        let unread = item(ItemKey::Id(1), false);
        let read = item(ItemKey::Id(1), true);
        assert_eq!(
            Edit::ReadMany.effect(&unread),
            Some(Effect::Becomes(read.clone()))
        );
        assert_eq!(Edit::ReadMany.effect(&read), None);
        assert_eq!(Edit::DeleteMany.effect(&read), Some(Effect::Goes));
        let before = [Rc::new(unread)];
        assert_eq!(Edit::ReadMany.change(&before), None, "never read-all");
        assert_eq!(Edit::DeleteMany.change(&before), None);
        assert_eq!(
            Edit::ReadMany.item_change(ItemKey::Id(1)),
            Some(Change::ReadOne(1))
        );
        assert_eq!(
            Edit::DeleteMany.item_change(ItemKey::Id(1)),
            Some(Change::Delete(1))
        );
        assert_eq!(Edit::DeleteMany.item_change(ItemKey::Live(1)), None);
        assert_eq!(
            Edit::Delete(ItemKey::Id(1)).item_change(ItemKey::Id(1)),
            None
        );
        assert!(Edit::ReadMany.is_many() && !Edit::MarkAllRead.is_many());
    }

    #[test]
    fn the_answer_rules() {
        let refused = |status| ChangeError::Refused {
            status,
            message: None,
        };
        assert_eq!(
            answered(Change::ReadOne(1), Ok(())),
            Answered::Settled(Change::ReadOne(1))
        );
        for change in [Change::ReadOne(1), Change::Delete(1)] {
            assert_eq!(
                answered(change, Err(refused(404))),
                Answered::Gone(ItemKey::Id(1), Change::Delete(1)),
                "a 404 is gone, told to the other tabs as a delete"
            );
        }
        assert_eq!(
            answered(Change::ReadAll, Err(refused(404))),
            Answered::Failed(refused(404)),
            "read-all has no item to be gone"
        );
        assert_eq!(
            answered(
                Change::Delete(1),
                Err(ChangeError::Api(ApiError::SessionExpired))
            ),
            Answered::Dropped
        );
        assert_eq!(
            answered(Change::Delete(1), Err(refused(403))),
            Answered::Failed(refused(403))
        );
        let timeout = ChangeError::Api(ApiError::Timeout);
        assert_eq!(
            answered(Change::ReadOne(1), Err(timeout.clone())),
            Answered::Failed(timeout)
        );
    }
}

//! Acting on the inbox: its bulk actions and the keyboard shortcuts' setting.

use std::rc::Rc;

use yew::prelude::*;

pub use crate::services::bulk::BulkService;
use crate::state::inbox::bulk::BulkView;

/// The bulk actions of the inbox shown by the calling component (the selection's "Mark read"
/// and "Delete", a single delete's Undo window) and what they show. They belong to that
/// component: when it goes (sign-out, the page left), a delete still in its Undo window is not
/// made and nothing more is sent.
///
/// ```ignore
/// let (bulk, view) = use_bulk();
/// bulk.delete(&[key]); // gone from view now, sent in 5 s unless undone
/// ```
#[hook]
pub fn use_bulk() -> (BulkService, Rc<BulkView>) {
    let inbox = super::use_inbox().service;
    let view = use_state(|| Rc::new(BulkView::default()));
    let service = {
        let set = view.setter();
        (*use_memo(inbox, move |inbox| {
            BulkService::new(inbox.clone(), Callback::from(move |v| set.set(Rc::new(v))))
        }))
        .clone()
    };
    (service, (*view).clone())
}

/// Where the signed-in user's shortcuts setting is kept: a preference of theirs on this
/// browser, kept across sign-outs (not a cache: the sign-out wipe leaves it).
fn shortcuts_key(user_id: i64) -> String {
    crate::services::storage::scoped(&format!("herald.pref.shortcuts.{user_id}"))
}

/// Whether the signed-in user has the inbox's keyboard shortcuts on (the default), and the
/// switch that changes it for them (kept across reloads).
#[hook]
pub fn use_shortcuts_setting() -> (bool, Callback<bool>) {
    let user_id = super::use_session().session.as_ref().map(|s| s.user.id);
    let on = use_state(|| true);
    {
        let on = on.clone();
        use_effect_with(user_id, move |user_id| {
            let stored =
                user_id.and_then(|id| crate::services::storage::read::<bool>(&shortcuts_key(id)));
            on.set(stored.unwrap_or(true));
        });
    }
    let set = {
        let on = on.clone();
        Callback::from(move |value: bool| {
            if let Some(id) = user_id {
                // Refused: kept in memory for this tab by the gateway.
                let _ = crate::services::storage::write(&shortcuts_key(id), &value);
            }
            on.set(value);
        })
    };
    (*on, set)
}

//! Acting on the inbox: its bulk actions and the keyboard shortcuts' setting.

use std::rc::Rc;

use yew::prelude::*;

pub use crate::services::bulk::BulkService;
use crate::state::inbox::bulk::BulkView;

/// The bulk actions of the inbox shown by the calling component (the selection's "Mark read"
/// and "Delete", a single delete's Undo window) and what they show. They belong to that
/// component; when the user leaves (signs out, closes or leaves the page), what is not yet
/// sent, a delete still in its Undo window included, is sent at once (see
/// [`crate::services::bulk`]).
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

/// Whether the signed-in user has the inbox's keyboard shortcuts on (the default), and the
/// switch that changes it for them: a preference of theirs on this browser, kept across
/// reloads and sign-outs (`herald.pref.shortcuts-off.<user>`).
#[hook]
pub fn use_shortcuts_setting() -> (bool, Callback<bool>) {
    let (off, set_off) = super::use_user_pref::<bool>("shortcuts-off");
    (!off, set_off.reform(|on: bool| !on))
}

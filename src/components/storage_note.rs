use yew::prelude::*;

use crate::hooks::{use_lang, use_session};
use crate::services::storage;

/// A quiet note under the header while someone is signed in and the browser refuses to store
/// the session: it works for this tab's lifetime, and a reload will sign out.
///
/// Reads [`storage::persistent`] at render: every session write is followed by a session
/// change, which re-renders this component.
#[component(StorageNote)]
pub fn storage_note() -> Html {
    let session = use_session();
    let t = use_lang().t();
    if session.session.is_none() || storage::persistent() {
        return html! {};
    }
    html! {
        <p class="storage-note" role="note">{ t.storage_not_persisting }</p>
    }
}

use yew::prelude::*;

use crate::hooks::{use_lang, use_session};

/// A quiet note under the header while someone is signed in and the browser refuses to store
/// the session: it works for this tab's lifetime, and a reload will sign out.
///
/// Follows [`crate::providers::SessionContext::persisted`].
#[component(StorageNote)]
pub fn storage_note() -> Html {
    let session = use_session();
    let t = use_lang().t();
    if session.session.is_none() || session.persisted {
        return html! {};
    }
    html! {
        <p class="storage-note" role="note">{ t.storage_not_persisting }</p>
    }
}

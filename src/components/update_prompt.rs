use yew::prelude::*;

use crate::hooks::{use_lang, use_new_build};

/// "A new version of Herald is ready — Reload", under the header once a new build's service
/// worker waits. Herald never reloads by itself in the middle of work: only the button does.
#[component(UpdatePrompt)]
pub fn update_prompt() -> Html {
    let t = use_lang().t();
    let Some(reload) = use_new_build() else {
        return html! {};
    };
    html! {
        // Not role="status": that is the connection's (components/connection_status.rs).
        <div class="update-prompt" aria-live="polite">
            <p>{ t.update_ready }</p>
            <button type="button" class="secondary" onclick={move |_| reload.emit(())}>
                { t.update_reload }
            </button>
        </div>
    }
}

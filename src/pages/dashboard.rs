use yew::prelude::*;

use crate::components::inbox::InboxPanel;
use crate::components::uploads::UploadsPanel;

/// The signed-in home: the notification inbox beside the Oracle upload panel.
#[component(Dashboard)]
pub fn dashboard() -> Html {
    html! {
        <main id="main" class="page dashboard">
            <InboxPanel />
            <UploadsPanel />
        </main>
    }
}

use yew::prelude::*;

use crate::components::inbox::InboxPanel;
use crate::components::uploads::UploadsPanel;

/// The signed-in home: the notification inbox beside the Oracle upload panel, under the
/// page's one `<h1>` (for screen readers: the panels' own headings say it on screen).
#[component(Dashboard)]
pub fn dashboard() -> Html {
    let t = crate::hooks::use_lang().t();
    html! {
        <main id="main" class="page dashboard">
            <h1 class="visually-hidden">{t.dashboard_title}</h1>
            <InboxPanel />
            <UploadsPanel />
        </main>
    }
}

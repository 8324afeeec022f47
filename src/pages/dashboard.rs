use yew::prelude::*;

use crate::components::inbox::InboxPanel;

/// The signed-in home: the notification inbox beside the Oracle upload panel.
#[component(Dashboard)]
pub fn dashboard() -> Html {
    html! {
        <main id="main" class="page dashboard">
            <InboxPanel />
            <section class="uploads" aria-labelledby="uploads-title">
                <h2 id="uploads-title">{"Oracle uploads"}</h2>
            </section>
        </main>
    }
}

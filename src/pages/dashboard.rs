use yew::prelude::*;

/// The signed-in home: the notification inbox beside the Oracle upload panel.
#[component(Dashboard)]
pub fn dashboard() -> Html {
    html! {
        <main id="main" class="page dashboard">
            <section class="inbox" aria-labelledby="inbox-title">
                <h2 id="inbox-title">{"Notifications"}</h2>
            </section>
            <section class="uploads" aria-labelledby="uploads-title">
                <h2 id="uploads-title">{"Oracle uploads"}</h2>
            </section>
        </main>
    }
}

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// Any path Herald does not know.
#[component(NotFound)]
pub fn not_found() -> Html {
    html! {
        <main id="main" class="page not-found">
            <h1>{"Page not found"}</h1>
            <p>{"There is nothing at this address."}</p>
            <Link<Route> to={Route::Dashboard}>{"Go to the inbox"}</Link<Route>>
        </main>
    }
}

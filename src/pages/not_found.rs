use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::use_lang;
use crate::routes::Route;

/// Any path Herald does not know.
#[component(NotFound)]
pub fn not_found() -> Html {
    let t = use_lang().t();
    html! {
        <main id="main" class="page not-found">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_body}</p>
            <Link<Route> to={Route::Dashboard}>{t.go_to_inbox}</Link<Route>>
        </main>
    }
}

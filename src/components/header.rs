use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// The bar on top of every page: product name, and later connection status, badges and
/// sign-out.
#[component(Header)]
pub fn header() -> Html {
    html! {
        <header class="app-header">
            <Link<Route> to={Route::Dashboard} classes="brand">{"Herald"}</Link<Route>>
        </header>
    }
}

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::connection_status::ConnectionStatus;
use crate::components::uploads::UploadsBadge;
use crate::hooks::use_session;

/// The bar on top of every page: product name, connection status, who is signed in and
/// "Sign out".
#[component(Header)]
pub fn header() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let on_sign_out = {
        let service = session.service.clone();
        Callback::from(move |_| {
            service.logout();
            if let Some(n) = &navigator {
                n.push(&Route::Login);
            }
        })
    };
    html! {
        <header class="app-header">
            <Link<Route> to={Route::Dashboard} classes="brand">{"Herald"}</Link<Route>>
            if let Some(s) = &session.session {
                <ConnectionStatus />
                <UploadsBadge />
                <span class="spacer"></span>
                <span class="user" title="Signed in as">{ s.user.username.clone() }</span>
                <button type="button" class="secondary" onclick={on_sign_out}>{"Sign out"}</button>
            }
        </header>
    }
}

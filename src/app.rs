//! The root component: provider nesting and routes.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::pages::{dashboard::Dashboard, login::Login, not_found::NotFound};
use crate::providers::{ConfigProvider, SessionProvider, SocketProvider};

/// Every page Herald has. Paths are relative to the deployment's base (`<base href>`).
#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    /// The inbox and the upload panel.
    #[at("/")]
    Dashboard,
    /// Sign in.
    #[at("/login")]
    Login,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Dashboard => html! { <Dashboard /> },
        Route::Login => html! { <Login /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// Herald. Config > Session > Socket > Router, so every page can reach all three.
#[component(App)]
pub fn app() -> Html {
    html! {
        <ConfigProvider>
            <SessionProvider>
                <SocketProvider>
                    <BrowserRouter>
                        <Header />
                        <Switch<Route> render={switch} />
                    </BrowserRouter>
                </SocketProvider>
            </SessionProvider>
        </ConfigProvider>
    }
}

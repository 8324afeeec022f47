//! The root component: provider nesting and routes.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::routes::Route;

use crate::components::config_error::ConfigErrorScreen;
use crate::components::header::Header;
use crate::components::storage_note::StorageNote;
use crate::components::toasts::ToastHost;
use crate::components::update_prompt::UpdatePrompt;
use crate::hooks::use_session;
use crate::pages::dashboard::Dashboard;
use crate::pages::login::SignInFirst;
use crate::pages::not_found::NotFound;
use crate::providers::{
    ConfigProvider, InboxProvider, LangProvider, SessionProvider, SocketProvider, UploadsProvider,
};

fn switch(route: Route) -> Html {
    match route {
        // Both through one component, so the form a signed-out visit of the inbox shows is the
        // same form (same DOM, same state) once the address has become /login?next=….
        Route::Dashboard => html! { <SignInFirst><Dashboard /></SignInFirst> },
        Route::Login => html! { <SignInFirst public=true /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// Herald. Lang > Config > Session > Socket > Inbox > Uploads > Router, so every page can
/// reach them all.
#[component(App)]
pub fn app() -> Html {
    html! {
        <LangProvider>
        <ConfigProvider failed={Callback::from(|error| html! { <ConfigErrorScreen {error} /> })}>
            <SessionProvider>
                <SocketProvider>
                    <InboxProvider>
                        <UploadsProvider>
                            <BrowserRouter>
                                <Header />
                                <StorageNote />
                                <UpdatePrompt />
                                <Switch<Route> render={switch} />
                                <SignedInOnly><ToastHost /></SignedInOnly>
                            </BrowserRouter>
                        </UploadsProvider>
                    </InboxProvider>
                </SocketProvider>
            </SessionProvider>
        </ConfigProvider>
        </LangProvider>
    }
}

/// Props of [`SignedInOnly`].
#[derive(Properties, PartialEq)]
pub struct SignedInOnlyProps {
    /// Shown only with a session.
    pub children: Html,
}

/// Renders its children only while someone is signed in.
#[component(SignedInOnly)]
pub fn signed_in_only(props: &SignedInOnlyProps) -> Html {
    if use_session().session.is_some() {
        props.children.clone()
    } else {
        html! {}
    }
}

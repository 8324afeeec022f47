use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::connection_status::ConnectionStatus;
use crate::components::language_switch::LanguageSwitch;
use crate::components::uploads::UploadsBadge;
use crate::hooks::{use_lang, use_session};
use crate::routes::Route;

/// The bar on top of every page: product name, connection status, who is signed in and
/// "Sign out".
#[component(Header)]
pub fn header() -> Html {
    let session = use_session();
    let t = use_lang().t();
    // Skip link: move focus to the inbox heading (a fragment link would fight the router).
    let skip = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        super::focus_by_id("inbox-title", false);
    });
    let sign_out = crate::hooks::use_sign_out();
    let on_sign_out = Callback::from(move |_: MouseEvent| sign_out.emit(()));
    html! {
        <header class="app-header">
            if session.session.is_some() {
                <a class="skip-link" href="#inbox-title" onclick={skip}>{t.skip_to_inbox}</a>
            }
            <Link<Route> to={Route::Dashboard} classes="brand">{t.app_name}</Link<Route>>
            if session.session.is_some() {
                <ConnectionStatus />
                <UploadsBadge />
            }
            <span class="spacer"></span>
            <LanguageSwitch />
            if let Some(s) = &session.session {
                <span class="user" title={t.signed_in_as}>{ s.user.username.clone() }</span>
                <button type="button" class="secondary" onclick={on_sign_out}>{t.sign_out}</button>
            }
        </header>
    }
}

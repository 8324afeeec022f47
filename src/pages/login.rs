use yew::prelude::*;

use crate::hooks::use_config;

/// The sign-in page.
#[component(Login)]
pub fn login() -> Html {
    // Which backend this build talks to: staff with several environments need to know.
    let server = use_config()
        .and_then(|c| {
            c.api_base_url
                .host_str()
                .map(|h| match c.api_base_url.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
        })
        .unwrap_or_default();
    html! {
        <main id="main" class="page login">
            <h1>{"Sign in to Herald"}</h1>
            <form class="login-form" novalidate=true>
                <label for="username">{"Username"}</label>
                <input id="username" name="username" type="text" autocomplete="username" required=true />
                <label for="password">{"Password"}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true />
                <button type="submit">{"Sign in"}</button>
            </form>
            <p class="server">{"Server: "}{server}</p>
        </main>
    }
}

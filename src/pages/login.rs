use yew::prelude::*;

/// The sign-in page.
#[component(Login)]
pub fn login() -> Html {
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
        </main>
    }
}

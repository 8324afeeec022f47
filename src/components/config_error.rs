use yew::prelude::*;

use crate::config::{ConfigError, CONFIG_FILE};

/// Props of [`ConfigErrorScreen`].
#[derive(Properties, PartialEq)]
pub struct ConfigErrorScreenProps {
    /// What is wrong with the configuration.
    pub error: ConfigError,
}

/// Shown instead of the app when `config.json` cannot be used: names the file and the problem,
/// so whoever deployed Herald can fix it.
#[component(ConfigErrorScreen)]
pub fn config_error_screen(props: &ConfigErrorScreenProps) -> Html {
    crate::pages::login::use_early_form_gone();
    html! {
        <main class="config-error">
            <section role="alert" aria-labelledby="config-error-title">
                <h1 id="config-error-title">{"Herald cannot start"}</h1>
                <p>{ props.error.to_string() }</p>
                <p class="hint">
                    {"Check "}<code>{CONFIG_FILE}</code>{" next to index.html. It must be a JSON object such as "}
                    <code>{r#"{"api_base_url": "https://api.example.org"}"#}</code>
                    {", or be absent when the backend serves the app itself."}
                </p>
            </section>
        </main>
    }
}

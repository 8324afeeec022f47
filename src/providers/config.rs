use std::rc::Rc;

use yew::prelude::*;

use crate::config::{ConfigError, RuntimeConfig};
use crate::services::config_loader::load_config;
use crate::state::Remote;

/// The runtime configuration, as handed to every component below [`ConfigProvider`].
pub type ConfigContext = Rc<RuntimeConfig>;

/// Props of [`ConfigProvider`].
#[derive(Properties, PartialEq)]
pub struct ConfigProviderProps {
    /// Rendered once the configuration is known.
    pub children: Html,
    /// What to show instead when it cannot be had (the app picks the screen).
    pub failed: Callback<ConfigError, Html>,
}

/// Loads `config.json` once, then renders its children with a [`ConfigContext`]; a broken file
/// renders `failed` instead of a blank page.
#[component(ConfigProvider)]
pub fn config_provider(props: &ConfigProviderProps) -> Html {
    let config = use_state(|| Remote::<ConfigContext, ConfigError>::Loading);
    let t = crate::hooks::use_lang().t();
    {
        let config = config.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                config.set(match load_config().await {
                    Ok(c) => {
                        // Before anything reads the session or a cache.
                        crate::services::storage::set_scope(&c.storage_scope());
                        Remote::Ready(Rc::new(c))
                    }
                    Err(e) => Remote::Failed(e),
                });
            });
        });
    }
    match &*config {
        Remote::Idle | Remote::Loading => html! {
            <main class="boot" aria-busy="true"><p role="status">{t.starting}</p></main>
        },
        Remote::Failed(error) => props.failed.emit(error.clone()),
        Remote::Ready(c) => html! {
            <ContextProvider<ConfigContext> context={c.clone()}>
                { props.children.clone() }
            </ContextProvider<ConfigContext>>
        },
    }
}

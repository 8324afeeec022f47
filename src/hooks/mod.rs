//! Hooks components use to reach the providers' state.

use yew::prelude::*;

use crate::providers::ConfigContext;

/// The runtime configuration. Only valid below [`crate::providers::ConfigProvider`], which
/// renders nothing else until the configuration is loaded.
#[hook]
pub fn use_config() -> Option<ConfigContext> {
    use_context::<ConfigContext>()
}

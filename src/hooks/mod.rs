//! Hooks components use to reach the providers' state.

use yew::prelude::*;

use crate::providers::{ConfigContext, SessionContext, SocketContext};

/// The runtime configuration. Only valid below [`crate::providers::ConfigProvider`], which
/// renders nothing else until the configuration is loaded.
#[hook]
pub fn use_config() -> Option<ConfigContext> {
    use_context::<ConfigContext>()
}

/// The session and its service.
///
/// ```ignore
/// let session = use_session();
/// if let Some(s) = &session.session { html! { {&s.user.username} } } else { html! {} }
/// ```
#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>().expect("use_session below SessionProvider")
}

/// The tab's socket: status, sending, subscriptions by frame kind.
///
/// ```ignore
/// let socket = use_socket();
/// let live = socket.snapshot.status == Status::Connected;
/// ```
#[hook]
pub fn use_socket() -> SocketContext {
    use_context::<SocketContext>().expect("use_socket below SocketProvider")
}

/// The inbox, its derived unread count, and the commands that change it.
#[hook]
pub fn use_inbox() -> crate::providers::InboxContext {
    use_context::<crate::providers::InboxContext>().expect("use_inbox below InboxProvider")
}

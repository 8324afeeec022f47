use yew::prelude::*;

/// Props of [`SocketProvider`].
#[derive(Properties, PartialEq)]
pub struct SocketProviderProps {
    /// Everything that may subscribe to live frames.
    pub children: Html,
}

/// Owns the one notification socket of the session. Filled in by the socket service work; for
/// now it only marks its place in the provider nesting.
#[component(SocketProvider)]
pub fn socket_provider(props: &SocketProviderProps) -> Html {
    props.children.clone()
}

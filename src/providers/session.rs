use yew::prelude::*;

/// Props of [`SessionProvider`].
#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    /// Everything that may ask who is signed in.
    pub children: Html,
}

/// Owns the signed-in session (tokens and user). Filled in by the sign-in work; for now it
/// only marks its place in the provider nesting.
#[component(SessionProvider)]
pub fn session_provider(props: &SessionProviderProps) -> Html {
    props.children.clone()
}

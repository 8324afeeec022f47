//! Every page Herald has, and where sign-in leads. Its own module (as in Yew's
//! `function_router` example), so pages and components link to routes without importing the
//! root component.

use yew_router::prelude::*;

/// Every page Herald has. Paths are relative to the deployment's base (`<base href>`).
#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    /// The inbox and the upload panel.
    #[at("/")]
    Dashboard,
    /// Sign in.
    #[at("/login")]
    Login,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// Where to go after sign-in: `next` if it is a path inside Herald, else the inbox. Never an
/// absolute or protocol-relative URL (an open redirect).
pub fn destination(next: Option<&str>) -> Route {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .and_then(Route::recognize)
        .filter(|r| *r != Route::Login && *r != Route::NotFound)
        .unwrap_or(Route::Dashboard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_leads_only_to_pages_inside_herald() {
        assert_eq!(destination(None), Route::Dashboard);
        assert_eq!(destination(Some("/")), Route::Dashboard);
        // Never somewhere else (an open redirect), never back to sign-in or a 404.
        for next in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "/login",
            "/no-such-page",
            "",
        ] {
            assert_eq!(destination(Some(next)), Route::Dashboard, "{next}");
        }
    }
}

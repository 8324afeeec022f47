//! One component per route.

/// The signed-in home: the inbox beside the upload panel.
pub mod dashboard;
/// The sign-in page, and the redirect to it for pages that need a session.
pub mod login;
/// The page for any path Herald does not know.
pub mod not_found;

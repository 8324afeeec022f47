//! Pure state: reducers and policies. No I/O, no timers, no DOM.

/// The kind of action a notification reports (created, returned, approved, ...).
pub mod action_kind;
pub mod burst;
/// Codes like "FAR-0015" in running text, cut out to be isolated and kept whole.
pub mod codes;
pub mod connection;
pub mod diagnostics;
pub mod inbox;
pub mod pacing;
pub mod past_jobs;
/// Where the toast stack goes so that it covers no control.
pub mod placement;
/// Where fetched data stands ([`Remote`]) and why a request or a sign-in failed.
pub mod remote;
pub mod reveal;
pub mod session;
pub mod tabs;
pub mod time;
pub mod toasts;
pub mod uploads;

pub use remote::Remote;

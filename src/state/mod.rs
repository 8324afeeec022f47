//! Pure state: reducers and policies. No I/O, no timers, no DOM.

pub mod burst;
pub mod connection;
pub mod diagnostics;
pub mod inbox;
pub mod pacing;
pub mod past_jobs;
/// Where fetched data stands ([`Remote`]) and why a request or a sign-in failed.
pub mod remote;
pub mod reveal;
pub mod session;
pub mod tabs;
pub mod time;
pub mod toasts;
pub mod uploads;

pub use remote::Remote;

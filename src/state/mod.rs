//! Pure state: reducers and policies. No I/O, no timers, no DOM.

pub mod connection;
pub mod remote;
pub mod session;

pub use remote::Remote;

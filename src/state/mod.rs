//! Pure state: reducers and policies. No I/O, no timers, no DOM.

pub mod remote;

pub use remote::Remote;

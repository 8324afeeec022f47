//! I/O: fetching the runtime configuration, REST calls, storage and the socket.

pub mod bulk;
pub mod config_loader;
pub mod deadline;
pub mod diagnostics;
pub mod inbox;
pub mod locks;
pub mod notifications;
pub mod session;
pub mod socket;
pub mod storage;
pub mod tabs;
pub mod worker;

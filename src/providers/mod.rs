//! Context providers: thin components that own state and hand it to everything below them.
//! Nesting (see [`crate::app::App`]): Lang > Config > Session > Socket > Inbox > Uploads >
//! Router.

/// Loads `config.json` and provides the runtime configuration.
pub mod config;
/// The notification inbox: REST history and live frames reduced into one list, and the
/// commands that change it.
pub mod inbox;
/// The user's language (English or Arabic), kept as a preference of this browser.
pub mod lang;
/// The session: restored from storage, refreshed before expiry, followed across tabs.
pub mod session;
/// The socket service (one socket shared by the user's tabs) and its status, for every
/// component below it; hands the shared socket over when the page is frozen or leaves.
pub mod socket;
/// The Oracle upload jobs, reduced from live frames, with their milestones.
pub mod uploads;

pub use config::{ConfigContext, ConfigProvider};
pub use inbox::{HistoryStatus, InboxContext, InboxProvider, NewArrivals, TransactionsContext};
pub use lang::{LangContext, LangProvider};
pub use session::{SessionContext, SessionProvider};
pub use socket::{FrameCounts, SocketContext, SocketProvider};
pub use uploads::{UploadsContext, UploadsProvider};

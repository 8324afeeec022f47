//! Context providers: thin components that own state and hand it to everything below them.
//! Nesting (see [`crate::app::App`]): Config > Session > Socket > Router.

pub mod config;
pub mod inbox;
pub mod lang;
pub mod session;
pub mod socket;
pub mod uploads;

pub use config::{ConfigContext, ConfigProvider};
pub use inbox::{
    ArrivalQueue, HistoryStatus, InboxCommand, InboxContext, InboxProvider, TransactionsContext,
};
pub use lang::{LangContext, LangProvider};
pub use session::{SessionContext, SessionProvider};
pub use socket::{FrameCounts, SocketContext, SocketProvider};
pub use uploads::{UploadsContext, UploadsProvider};

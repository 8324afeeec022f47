//! Herald: the live notification inbox and Oracle upload monitor of the budget-transfer system.
//!
//! Data flows one way: a frame arrives → [`protocol`] decodes it → [`state`] reduces it →
//! [`components`] render it. I/O lives in [`services`], wired to reducers by [`providers`].

#![warn(missing_docs)]

pub mod app;
pub mod components;
pub mod config;
pub mod format;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod protocol;
pub mod providers;
pub mod routes;
pub mod services;
pub mod state;

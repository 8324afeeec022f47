//! Presentational components: they get data and callbacks as props.

pub mod config_error;
pub mod connection_status;
pub mod crash;
pub mod header;
pub mod inbox;
pub mod language_switch;
pub mod storage_note;
pub mod toasts;
pub mod uploads;

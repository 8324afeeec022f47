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

use crate::i18n::Text;
use crate::services::session::ApiError;

/// A REST failure in the user's words (one mapping for every screen that shows one).
pub fn api_error_words(t: &Text, e: &ApiError) -> String {
    match e {
        ApiError::Network(_) => t.cannot_reach.to_owned(),
        ApiError::Timeout => t.timed_out.to_owned(),
        ApiError::Server(s) => t.server_problem.replace("{}", &s.to_string()),
        ApiError::SessionExpired => t.session_expired.to_owned(),
        ApiError::Rejected { .. } => t.refused.to_owned(),
    }
}

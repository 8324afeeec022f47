//! The one place the session is stored, and the wipe on sign-out.

use gloo_storage::{LocalStorage, Storage};

use crate::state::session::Session;

/// The session's storage key: access token, refresh token and user, together.
pub const SESSION_KEY: &str = "herald.session";
/// Prefix of every per-user cache (inbox, upload jobs); all wiped on sign-out.
pub const CACHE_PREFIX: &str = "herald.cache.";

/// The stored session, if any. A corrupt entry is removed rather than trusted.
pub fn load_session() -> Option<Session> {
    match LocalStorage::get::<Session>(SESSION_KEY) {
        Ok(s) => Some(s),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => None,
        Err(_) => {
            LocalStorage::delete(SESSION_KEY);
            None
        }
    }
}

/// Parses a session as another tab wrote it (the `storage` event's new value).
pub fn parse_session(text: &str) -> Option<Session> {
    serde_json::from_str(text).ok()
}

/// Stores the session (the only write of tokens anywhere).
pub fn save_session(session: &Session) {
    // Storage full or disabled: the session still works in memory for this tab.
    let _ = LocalStorage::set(SESSION_KEY, session);
}

/// Removes the session and every per-user cache. Preferences (language) stay.
pub fn wipe_user_data() {
    let storage = LocalStorage::raw();
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect();
    for key in keys {
        if key == SESSION_KEY || key.starts_with(CACHE_PREFIX) {
            let _ = storage.remove_item(&key);
        }
    }
    // Nothing of ours belongs in sessionStorage; make sure of it.
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let len = s.length().unwrap_or(0);
        let keys: Vec<String> = (0..len).filter_map(|i| s.key(i).ok().flatten()).collect();
        for key in keys.into_iter().filter(|k| k.starts_with("herald.")) {
            let _ = s.remove_item(&key);
        }
    }
}

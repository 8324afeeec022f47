//! The one gateway to `localStorage`: the session, the per-user caches, preferences, and the
//! wipe on sign-out. It never panics and never loses a write for the tab's lifetime:
//!
//! - storage blocked entirely (site data off: the `window.localStorage` getter throws): every
//!   value lives in this tab's memory, so Herald still signs in and works until the tab closes;
//! - storage full (`QuotaExceededError`): Herald's caches are evicted (other users' first, then
//!   the signed-in user's) and the write retried; if it still fails the value lives in memory;
//! - any other refusal: memory too.
//!
//! [`persistent`] tells the UI whether the session will survive a reload.
//!
//! ```ignore
//! use crate::services::storage;
//! let _ = storage::write("herald.pref.lang", "ar");
//! let lang: Option<String> = storage::read("herald.pref.lang");
//! ```

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{de::DeserializeOwned, Serialize};

use crate::state::session::Session;

/// The session's storage key, before its deployment scope: access token, refresh token and
/// user, together (see [`session_key`]).
pub const SESSION_KEY: &str = "herald.session";
/// Prefix of every per-user cache (inbox, upload jobs); all of a deployment's are wiped on
/// its sign-out, and evicted first when storage is full. A cache key is
/// `herald.cache.<name>.<user id>@<scope>` (see [`cache_key`]).
pub const CACHE_PREFIX: &str = "herald.cache.";

/// Scopes this tab's session and caches to one deployment's backend (its API base URL):
/// two deployments on one origin (`/herald/` and `/herald-staging/`) never read, overwrite or
/// wipe each other's tokens and caches. Set once the configuration is known, before anything
/// is read. Without it (tests) keys are unscoped.
pub fn set_scope(scope: &str) {
    let _ = SCOPE.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = scope.to_owned();
        }
    });
}

fn scope() -> String {
    SCOPE
        .try_with(|s| s.try_borrow().map(|s| s.clone()).unwrap_or_default())
        .unwrap_or_default()
}

/// `key` within this deployment's scope: `key@scope` (or `key` when no scope is set).
pub fn scoped(key: &str) -> String {
    scoped_in(key, &scope())
}

fn scoped_in(key: &str, scope: &str) -> String {
    if scope.is_empty() {
        key.to_owned()
    } else {
        format!("{key}@{scope}")
    }
}

/// This deployment's session key (the `storage` event's key to follow).
pub fn session_key() -> String {
    scoped(SESSION_KEY)
}

/// The key of the cache `name` (`"inbox"`, `"uploads"`) of `user_id` in this deployment.
pub fn cache_key(name: &str, user_id: i64) -> String {
    scoped(&format!("{CACHE_PREFIX}{name}.{user_id}"))
}

/// Prefix of preferences (language; per-user choices such as the inbox's filters). Never
/// evicted, and kept at sign-out: a preference is not user data worth wiping, and a user who
/// signs in again finds the inbox as they left it.
pub const PREF_PREFIX: &str = "herald.pref.";

/// The key of the preference `name` of `user_id` in this deployment:
/// `herald.pref.<name>.<user id>@<scope>`.
pub fn user_pref_key(name: &str, user_id: i64) -> String {
    scoped(&format!("{PREF_PREFIX}{name}.{user_id}"))
}

/// Why a value did not reach the browser's storage. Except for [`StorageFailure::Serialize`]
/// the value is kept in this tab's memory all the same, and [`read`] returns it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageFailure {
    /// The browser refuses to store data (site data blocked, storage disabled).
    #[error("the browser refuses to store data")]
    Unavailable,
    /// Storage stayed full after Herald's caches were evicted.
    #[error("browser storage is full")]
    QuotaExceeded,
    /// The value cannot be written as JSON (nothing was stored).
    #[error("the value cannot be serialised: {0}")]
    Serialize(String),
}

/// How a store refused a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    Quota,
    Other,
}

/// The operations the gateway needs from a key-value store (the browser's `Storage`; a fake in
/// the native tests). None of them may panic or throw.
trait Store {
    fn keys(&self) -> Vec<String>;
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), Refusal>;
    fn remove(&self, key: &str);
}

impl Store for web_sys::Storage {
    fn keys(&self) -> Vec<String> {
        let len = self.length().unwrap_or(0);
        (0..len)
            .filter_map(|i| self.key(i).ok().flatten())
            .collect()
    }

    fn get(&self, key: &str) -> Option<String> {
        self.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), Refusal> {
        self.set_item(key, value).map_err(|e| {
            use wasm_bindgen::JsCast;
            match e.dyn_ref::<web_sys::DomException>() {
                // 22: QuotaExceededError's legacy code; Firefox before 2020 used its own name.
                Some(d)
                    if d.code() == 22
                        || d.name() == "QuotaExceededError"
                        || d.name() == "NS_ERROR_DOM_QUOTA_REACHED" =>
                {
                    Refusal::Quota
                }
                _ => Refusal::Other,
            }
        })
    }

    fn remove(&self, key: &str) {
        let _ = self.remove_item(key);
    }
}

thread_local! {
    /// The browser's storage, looked up once: `None` when the getter throws (site data
    /// blocked) or there is no window. Native builds (tests) have no storage.
    static BROWSER: Option<web_sys::Storage> = browser_storage();
    /// Values the browser would not store, for this tab's lifetime. A key held here shadows
    /// storage until a write of it succeeds again.
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    /// The deployment's scope ([`set_scope`]).
    static SCOPE: RefCell<String> = const { RefCell::new(String::new()) };
}

#[cfg(target_arch = "wasm32")]
fn browser_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(not(target_arch = "wasm32"))]
fn browser_storage() -> Option<web_sys::Storage> {
    None
}

/// Runs `f` with the browser's storage (`None` when unavailable).
fn with_store<R>(f: impl FnOnce(Option<&dyn Store>) -> R) -> R {
    let store = BROWSER.try_with(|s| s.clone()).ok().flatten();
    f(store.as_ref().map(|s| s as &dyn Store))
}

// The memory map is only ever borrowed for one map operation, never across a store call or a
// callback, and a failed borrow (impossible by that rule) degrades instead of panicking.
fn memory_get(key: &str) -> Option<String> {
    MEMORY
        .try_with(|m| m.try_borrow().ok()?.get(key).cloned())
        .ok()
        .flatten()
}

fn memory_contains(key: &str) -> bool {
    MEMORY
        .try_with(|m| m.try_borrow().is_ok_and(|m| m.contains_key(key)))
        .unwrap_or(false)
}

fn memory_update(f: impl FnOnce(&mut HashMap<String, String>)) {
    let _ = MEMORY.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            f(&mut m);
        }
    });
}

/// The stored text of `key`: this tab's memory copy if the last write of it was refused, else
/// the browser's storage.
pub fn read_raw(key: &str) -> Option<String> {
    memory_get(key).or_else(|| with_store(|s| s?.get(key)))
}

/// Reads `key` as JSON. Missing, unreadable or not a `T`: `None`.
///
/// ```ignore
/// let items: Vec<Notification> = storage::read(&cache_key(user_id)).unwrap_or_default();
/// ```
pub fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&read_raw(key)?).ok()
}

/// Stores `text` under `key`. On `Err` the text is kept in memory (see [`StorageFailure`]).
pub fn write_raw(key: &str, text: &str) -> Result<(), StorageFailure> {
    let current_user = load_session().map(|s| s.user.id);
    let result = with_store(|store| write_to(store, key, text, current_user));
    match result {
        Ok(()) => memory_update(|m| {
            m.remove(key);
        }),
        Err(_) => memory_update(|m| {
            m.insert(key.to_owned(), text.to_owned());
        }),
    }
    result
}

/// Stores `value` as JSON under `key`. On `Err` other than [`StorageFailure::Serialize`] the
/// value is kept in memory for this tab: [`read`] returns it, a reload loses it.
///
/// ```ignore
/// if storage::write(&cache_key(user_id), items.as_slice()).is_err() { /* memory only */ }
/// ```
pub fn write<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), StorageFailure> {
    let text =
        serde_json::to_string(value).map_err(|e| StorageFailure::Serialize(e.to_string()))?;
    write_raw(key, &text)
}

/// Removes `key` from storage and from memory.
pub fn remove(key: &str) {
    memory_update(|m| {
        m.remove(key);
    });
    with_store(|s| {
        if let Some(s) = s {
            s.remove(key);
        }
    });
}

/// Writes to the store; when it is full, evicts Herald's caches in two rounds (other users',
/// then `current_user`'s) and retries after each.
fn write_to(
    store: Option<&dyn Store>,
    key: &str,
    text: &str,
    current_user: Option<i64>,
) -> Result<(), StorageFailure> {
    let store = store.ok_or(StorageFailure::Unavailable)?;
    match store.set(key, text) {
        Ok(()) => return Ok(()),
        Err(Refusal::Other) => return Err(StorageFailure::Unavailable),
        Err(Refusal::Quota) => {}
    }
    let (others, own) = evictable_caches(&store.keys(), current_user, &scope());
    for round in [others, own] {
        if round.is_empty() {
            continue;
        }
        for cache in &round {
            store.remove(cache);
        }
        match store.set(key, text) {
            Ok(()) => return Ok(()),
            Err(Refusal::Other) => return Err(StorageFailure::Unavailable),
            Err(Refusal::Quota) => {}
        }
    }
    Err(StorageFailure::QuotaExceeded)
}

/// Herald's cache keys among `keys`: (other users' and other deployments' caches,
/// `current_user`'s caches in `scope`). Nothing else (sessions, preferences, other apps'
/// keys) is ever evicted.
fn evictable_caches(
    keys: &[String],
    current_user: Option<i64>,
    scope: &str,
) -> (Vec<String>, Vec<String>) {
    let suffix = current_user.map(|id| scoped_in(&format!(".{id}"), scope));
    keys.iter()
        .filter(|k| k.starts_with(CACHE_PREFIX))
        .cloned()
        .partition(|k| {
            !suffix.as_deref().is_some_and(|s| k.ends_with(s))
                // Unscoped: an older version's key, or no scope set (tests).
                || (scope.is_empty() && k.contains('@'))
        })
}

/// Whether the session will survive a reload: `false` when the browser refuses to store data
/// or refused the last write of the session (which then lives in this tab's memory only).
/// Read it at render in a component that re-renders on session changes: every session write
/// is followed by one.
pub fn persistent() -> bool {
    with_store(|s| s.is_some()) && !memory_contains(&session_key())
}

/// The stored session, if any. A corrupt entry is removed rather than trusted.
pub fn load_session() -> Option<Session> {
    let key = session_key();
    let text = read_raw(&key)?;
    let session = parse_session(&text);
    if session.is_none() {
        remove(&key);
    }
    session
}

/// Parses a session as another tab wrote it (the `storage` event's new value).
pub fn parse_session(text: &str) -> Option<Session> {
    serde_json::from_str(text).ok()
}

/// Stores the session (the only write of tokens anywhere). `false`: the browser refused it and
/// the session lives in this tab's memory only (it still works; a reload signs out).
pub fn save_session(session: &Session) -> bool {
    write(&session_key(), session).is_ok()
}

/// Whether `key` holds user data of the deployment `scope` (its session or a per-user
/// cache), or of an older version that did not scope its keys.
fn is_user_data(key: &str, scope: &str) -> bool {
    let unscoped = !key.contains('@');
    let ours = if scope.is_empty() {
        unscoped
    } else {
        unscoped || key.ends_with(&format!("@{scope}"))
    };
    ours && (key.starts_with(SESSION_KEY) || key.starts_with(CACHE_PREFIX))
}

/// Removes the per-user caches of `user_id` in this deployment (not the session: it may be
/// someone else's by now).
pub fn wipe_caches_of(user_id: i64) {
    let suffix = scoped(&format!(".{user_id}"));
    let of_user = |k: &str| k.starts_with(CACHE_PREFIX) && k.ends_with(&suffix);
    memory_update(|m| m.retain(|k, _| !of_user(k)));
    with_store(|s| {
        if let Some(s) = s {
            for key in s.keys().into_iter().filter(|k| of_user(k)) {
                s.remove(&key);
            }
        }
    });
}

/// Removes this deployment's session and per-user caches, from storage and memory (and an
/// older version's unscoped ones). Preferences (language) and other deployments' data stay.
pub fn wipe_user_data() {
    let scope = scope();
    let is_user_data = |k: &str| is_user_data(k, &scope);
    memory_update(|m| m.retain(|k, _| !is_user_data(k)));
    with_store(|s| {
        if let Some(s) = s {
            for key in s.keys().into_iter().filter(|k| is_user_data(k)) {
                s.remove(&key);
            }
        }
    });
    // Nothing of ours belongs in sessionStorage; make sure of it (the getter may throw too).
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        for key in Store::keys(&s)
            .into_iter()
            .filter(|k| k.starts_with("herald."))
        {
            Store::remove(&s, &key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    /// A store holding at most `capacity` bytes of keys and values; `blocked` refuses all.
    #[derive(Default)]
    struct Fake {
        map: RefCell<BTreeMap<String, String>>,
        capacity: usize,
        blocked: bool,
        sets: Cell<usize>,
    }

    impl Fake {
        fn with(capacity: usize, entries: &[(&str, usize)]) -> Self {
            let fake = Fake {
                capacity,
                ..Fake::default()
            };
            for (k, n) in entries {
                fake.map.borrow_mut().insert(k.to_string(), "x".repeat(*n));
            }
            fake
        }
        fn has(&self, key: &str) -> bool {
            self.map.borrow().contains_key(key)
        }
    }

    impl Store for Fake {
        fn keys(&self) -> Vec<String> {
            self.map.borrow().keys().cloned().collect()
        }
        fn get(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> Result<(), Refusal> {
            self.sets.set(self.sets.get() + 1);
            if self.blocked {
                return Err(Refusal::Other);
            }
            let used: usize = self
                .map
                .borrow()
                .iter()
                .filter(|(k, _)| *k != key)
                .map(|(k, v)| k.len() + v.len())
                .sum();
            if used + key.len() + value.len() > self.capacity {
                return Err(Refusal::Quota);
            }
            self.map.borrow_mut().insert(key.into(), value.into());
            Ok(())
        }
        fn remove(&self, key: &str) {
            self.map.borrow_mut().remove(key);
        }
    }

    const OTHER: &str = "herald.cache.inbox.7";
    const OTHER_UPLOADS: &str = "herald.cache.uploads.7";
    const OWN: &str = "herald.cache.uploads.35";
    const LANG: &str = "herald.pref.lang";

    #[test]
    fn a_write_that_fits_touches_nothing_else() {
        let fake = Fake::with(10_000, &[(OTHER, 100), (OWN, 100)]);
        assert_eq!(write_to(Some(&fake), SESSION_KEY, "s", Some(35)), Ok(()));
        assert!(fake.has(OTHER) && fake.has(OWN) && fake.has(SESSION_KEY));
    }

    #[test]
    fn when_full_other_users_caches_go_first_and_the_write_is_retried() {
        let fake = Fake::with(
            1_000,
            &[(OTHER, 400), (OTHER_UPLOADS, 300), (OWN, 100), (LANG, 4)],
        );
        assert_eq!(
            write_to(Some(&fake), SESSION_KEY, &"t".repeat(300), Some(35)),
            Ok(())
        );
        assert!(!fake.has(OTHER) && !fake.has(OTHER_UPLOADS));
        assert!(
            fake.has(OWN),
            "the signed-in user's cache is kept while it can be"
        );
        assert!(fake.has(LANG) && fake.has(SESSION_KEY));
        assert_eq!(fake.sets.get(), 2, "one retry after the first eviction");
    }

    #[test]
    fn then_the_signed_in_users_caches_and_never_preferences_or_foreign_keys() {
        let fake = Fake::with(
            1_000,
            &[(OTHER, 200), (OWN, 500), (LANG, 4), ("theirs", 50)],
        );
        assert_eq!(
            write_to(Some(&fake), SESSION_KEY, &"t".repeat(600), Some(35)),
            Ok(())
        );
        assert!(!fake.has(OTHER) && !fake.has(OWN));
        assert!(fake.has(LANG) && fake.has("theirs") && fake.has(SESSION_KEY));
    }

    #[test]
    fn still_full_after_evicting_every_cache_is_quota_exceeded() {
        let fake = Fake::with(100, &[(OTHER, 10), (LANG, 4)]);
        assert_eq!(
            write_to(Some(&fake), SESSION_KEY, &"t".repeat(200), Some(35)),
            Err(StorageFailure::QuotaExceeded)
        );
        assert!(!fake.has(OTHER) && fake.has(LANG));
    }

    #[test]
    fn a_refusal_that_is_not_the_quota_or_no_storage_at_all_is_unavailable() {
        let fake = Fake {
            blocked: true,
            ..Fake::with(1_000, &[(OTHER, 10)])
        };
        assert_eq!(
            write_to(Some(&fake), SESSION_KEY, "s", None),
            Err(StorageFailure::Unavailable)
        );
        assert!(
            fake.has(OTHER),
            "nothing is evicted for a refusal that is not the quota"
        );
        assert_eq!(
            write_to(None, SESSION_KEY, "s", None),
            Err(StorageFailure::Unavailable)
        );
    }

    #[test]
    fn without_a_signed_in_user_every_cache_counts_as_another_users() {
        let keys = [OTHER.to_owned(), OWN.to_owned(), LANG.to_owned()];
        let (others, own) = evictable_caches(&keys, None, "");
        assert_eq!((others.len(), own.len()), (2, 0));
        let (others, own) = evictable_caches(&keys, Some(35), "");
        assert_eq!(
            (others, own),
            (vec![OTHER.to_owned()], vec![OWN.to_owned()])
        );
        // User 5 does not own user 35's cache.
        let (_, own) = evictable_caches(&keys, Some(5), "");
        assert!(own.is_empty());
    }

    const PROD: &str = "https://api.example.org";
    const STAGING: &str = "https://staging.example.org";

    #[test]
    fn each_deployment_has_its_own_keys() {
        assert_eq!(
            scoped_in("herald.session", PROD),
            "herald.session@https://api.example.org"
        );
        assert_ne!(
            scoped_in("herald.cache.inbox.35", PROD),
            scoped_in("herald.cache.inbox.35", STAGING)
        );
        assert_eq!(scoped_in("herald.session", ""), "herald.session");
    }

    #[test]
    fn user_35_of_staging_does_not_own_user_35_of_production() {
        let prod = scoped_in("herald.cache.inbox.35", PROD);
        let staging = scoped_in("herald.cache.inbox.35", STAGING);
        let keys = [prod.clone(), staging.clone(), LANG.to_owned()];
        let (others, own) = evictable_caches(&keys, Some(35), PROD);
        assert_eq!((others, own), (vec![staging], vec![prod]));
    }

    #[test]
    fn a_sign_out_wipes_its_own_deployment_and_an_older_versions_keys_only() {
        let ours = [
            scoped_in(SESSION_KEY, PROD),
            scoped_in("herald.cache.inbox.35", PROD),
            SESSION_KEY.to_owned(),
            "herald.cache.uploads.35".to_owned(),
        ];
        for key in &ours {
            assert!(is_user_data(key, PROD), "{key}");
        }
        for key in [
            scoped_in(SESSION_KEY, STAGING),
            scoped_in("herald.cache.inbox.35", STAGING),
            LANG.to_owned(),
            "other-app.session".to_owned(),
        ] {
            assert!(!is_user_data(&key, PROD), "{key}");
        }
        assert!(!is_user_data(&scoped_in(SESSION_KEY, PROD), ""));
    }

    fn session() -> Session {
        serde_json::from_str(
            r#"{"access":"a","refresh":"r","user":{"id":35,"username":"finance1"}}"#,
        )
        .expect("a session")
    }

    // Native builds have no browser storage: the gateway's memory fallback end to end.
    #[test]
    fn without_storage_the_session_and_caches_live_in_memory_until_the_wipe() {
        assert!(!persistent());
        assert!(!save_session(&session()));
        assert_eq!(load_session(), Some(session()));
        assert_eq!(
            write("herald.cache.inbox.35", &[1, 2, 3][..]),
            Err(StorageFailure::Unavailable)
        );
        assert_eq!(
            read::<Vec<i32>>("herald.cache.inbox.35"),
            Some(vec![1, 2, 3])
        );
        let _ = write(LANG, "ar");
        wipe_user_data();
        assert_eq!(load_session(), None);
        assert_eq!(read::<Vec<i32>>("herald.cache.inbox.35"), None);
        assert_eq!(
            read::<String>(LANG).as_deref(),
            Some("ar"),
            "preferences stay"
        );
        remove(LANG);
        assert_eq!(read::<String>(LANG), None);
    }

    #[test]
    fn a_corrupt_or_foreign_value_reads_as_none_and_a_corrupt_session_is_dropped() {
        let _ = write_raw(SESSION_KEY, "{not json");
        assert_eq!(load_session(), None);
        assert_eq!(read_raw(SESSION_KEY), None);
        let _ = write("n", &5);
        assert_eq!(read::<String>("n"), None);
    }
}

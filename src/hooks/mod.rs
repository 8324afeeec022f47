//! Hooks components use to reach the providers' state.

use yew::prelude::*;

use crate::providers::{ConfigContext, SessionContext, SocketContext};

mod act;
mod last_looked;
mod update;
pub use act::{use_bulk, use_shortcuts_setting, BulkService};
pub use last_looked::use_last_looked;
pub use update::use_new_build;

/// The runtime configuration. Only valid below [`crate::providers::ConfigProvider`], which
/// renders nothing else until the configuration is loaded.
#[hook]
pub fn use_config() -> Option<ConfigContext> {
    use_context::<ConfigContext>()
}

/// The session and its service.
///
/// ```ignore
/// let session = use_session();
/// if let Some(s) = &session.session { html! { {&s.user.username} } } else { html! {} }
/// ```
#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>().expect("use_session below SessionProvider")
}

/// Signing out, the one way: tokens revoked, this user's caches wiped, every tab told (the
/// session service), then the sign-in page. Only below the router.
#[hook]
pub fn use_sign_out() -> Callback<()> {
    let service = use_session().service;
    let navigator = yew_router::hooks::use_navigator();
    Callback::from(move |_| {
        // What the user did and is not yet sent (a delete in its Undo window) goes first,
        // with the session's token.
        crate::services::bulk::leave_all();
        service.logout();
        if let Some(n) = &navigator {
            n.push(&crate::routes::Route::Login);
        }
    })
}

/// The tab's socket: status, sending, subscriptions by frame kind.
///
/// ```ignore
/// let socket = use_socket();
/// let live = socket.status == Status::Connected;
/// ```
#[hook]
pub fn use_socket() -> SocketContext {
    use_context::<SocketContext>().expect("use_socket below SocketProvider")
}

/// Frames counted on the session's sockets (received, skipped, unknown).
#[hook]
pub fn use_frame_counts() -> crate::providers::FrameCounts {
    use_context::<crate::providers::FrameCounts>().unwrap_or_default()
}

/// This tab's connection log (for "Connection details"), re-read after every new entry while
/// the calling component is mounted.
#[hook]
pub fn use_connection_log() -> crate::state::diagnostics::DiagnosticsLog {
    let update = use_force_update();
    use_effect_with((), move |_| {
        let watch =
            crate::services::diagnostics::watch(Callback::from(move |_| update.force_update()));
        move || drop(watch)
    });
    crate::services::diagnostics::snapshot()
}

/// Copies `text` to the clipboard; `done` hears whether the browser took it.
pub fn copy_text(text: String, done: Callback<bool>) {
    wasm_bindgen_futures::spawn_local(async move {
        done.emit(crate::services::diagnostics::copy_text(&text).await);
    });
}

/// The browser's user agent (for a support report).
pub fn browser() -> String {
    crate::services::diagnostics::browser()
}

/// The inbox, its derived unread count, and the commands that change it.
#[hook]
pub fn use_inbox() -> crate::providers::InboxContext {
    use_context::<crate::providers::InboxContext>().expect("use_inbox below InboxProvider")
}

/// New live notifications, to subscribe to (every subscriber hears every batch).
#[hook]
pub fn use_arrivals() -> crate::providers::NewArrivals {
    use_context::<crate::providers::NewArrivals>().expect("use_arrivals below InboxProvider")
}

/// The inbox's transaction index (for the upload cards): changes only when the index does.
#[hook]
pub fn use_transactions() -> crate::providers::TransactionsContext {
    use_context::<crate::providers::TransactionsContext>()
        .expect("use_transactions below InboxProvider")
}

/// The Oracle upload jobs and the actions on them.
#[hook]
pub fn use_uploads() -> crate::providers::UploadsContext {
    use_context::<crate::providers::UploadsContext>().expect("use_uploads below UploadsProvider")
}

/// A preference of the signed-in user kept across reloads (and sign-outs: it is not a cache),
/// under [`crate::services::storage::user_pref_key`]: its value (the default when signed out,
/// when nothing is stored, or when what is stored cannot be read), and a callback that changes
/// and stores it.
///
/// ```ignore
/// let (filters, set_filters) = use_user_pref::<Filters>("inbox-filters");
/// ```
#[hook]
pub fn use_user_pref<T>(name: &'static str) -> (T, Callback<T>)
where
    T: serde::Serialize + serde::de::DeserializeOwned + Default + 'static,
{
    // The hook's state is the stored JSON text, the same for every `T`: one instance of the
    // memo, the state and the storage calls for all the preferences (≈ 4 KB of wasm); a value
    // this small decodes in microseconds.
    let (text, set_text) = use_user_pref_text(name);
    let value = text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let set = Callback::from(move |v: T| {
        if let Ok(t) = serde_json::to_string(&v) {
            set_text.emit(t);
        }
    });
    (value, set)
}

/// [`use_user_pref`] as JSON text: what is stored for the signed-in user (or was set in this
/// tab for them), and a callback that changes and stores it.
#[hook]
fn use_user_pref_text(name: &'static str) -> (Option<String>, Callback<String>) {
    use crate::services::storage;
    let user_id = use_session().session.as_ref().map(|s| s.user.id);
    let stored = use_memo(user_id, move |id| {
        id.and_then(|id| storage::read_raw(&storage::user_pref_key(name, id)))
    });
    // The value set in this tab, and for whom (another user signing in does not inherit it).
    let chosen = use_state(|| None::<(Option<i64>, String)>);
    let text = match &*chosen {
        Some((user, t)) if *user == user_id => Some(t.clone()),
        _ => (*stored).clone(),
    };
    let set = {
        let chosen = chosen.setter();
        Callback::from(move |t: String| {
            if let Some(id) = user_id {
                // Refused or full: the gateway keeps it in memory for this tab.
                let _ = storage::write_raw(&storage::user_pref_key(name, id), &t);
            }
            chosen.set(Some((user_id, t)));
        })
    };
    (text, set)
}

/// How often a changing cache is written at most (ms). Serialising the newest 500
/// notifications and a synchronous storage write cost milliseconds; a reload in between loses
/// nothing (the write on `pagehide`).
pub const PERSIST_EVERY_MS: u32 = 2_000;

/// Per user: when who is signed in changes (sign-in, sign-out, another user), calls `start`
/// with what the per-user cache under `key(user)` holds (`None` when signed out or nothing is
/// cached). `start` clears the previous user's state first, so nothing carries over.
#[hook]
pub fn use_user_cache<T, F>(user_id: Option<i64>, key: fn(i64) -> String, start: F)
where
    T: serde::de::DeserializeOwned + 'static,
    F: Fn(Option<T>) + 'static,
{
    use_effect_with(user_id, move |user_id| {
        start(user_id.and_then(|id| crate::services::storage::read::<T>(&key(id))));
    });
}

/// Keeps `project(value)` in localStorage under `key` (while signed in): written at most every
/// two seconds however often it changes, in idle time (so never in the middle of a burst), and
/// once more when the page is hidden or unloaded, so a reload loses nothing.
#[hook]
pub fn use_persisted<T, E>(key: Option<String>, value: std::rc::Rc<T>, project: fn(&T) -> &[E])
where
    T: 'static,
    E: serde::Serialize + 'static,
{
    type Latest<T> = std::rc::Rc<std::cell::RefCell<Option<(String, std::rc::Rc<T>)>>>;
    fn write<T, E: serde::Serialize>(latest: &Latest<T>, project: fn(&T) -> &[E]) {
        if let Some((key, value)) = latest.borrow().as_ref() {
            // Signed out meanwhile: the wipe has run; write nothing back.
            // Refused or full: the gateway keeps it in memory for this tab.
            if crate::services::storage::load_session().is_some() {
                let _ = crate::services::storage::write(key, project(value));
            }
        }
    }
    // What the timer and `pagehide` write: this render's.
    let latest: Latest<T> = use_mut_ref(|| None);
    *latest.borrow_mut() = key.clone().map(|k| (k, value.clone()));
    let timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    {
        let latest = latest.clone();
        use_effect_with(
            (key, std::rc::Rc::as_ptr(&value) as *const () as usize),
            move |(key, _)| {
                if key.is_some() && timer.borrow().is_none() {
                    let slot = timer.clone();
                    *timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(
                        PERSIST_EVERY_MS,
                        move || {
                            slot.borrow_mut().take();
                            // Serialising hundreds of items and a synchronous localStorage
                            // write take tens of ms: done when the page is idle (at the latest
                            // after 3 s), never in the middle of a burst of live frames.
                            when_idle(3_000, move || write(&latest, project));
                        },
                    ));
                }
            },
        );
    }
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            gloo_events::EventListener::new(&w, "pagehide", move |_| write(&latest, project))
        });
        move || drop(listener)
    });
}

/// Runs `f` when the browser is idle (or after `timeout_ms` at the latest), at once where
/// `requestIdleCallback` is missing.
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return f();
    };
    let slot = std::rc::Rc::new(std::cell::RefCell::new(Some(f)));
    let run = slot.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(f) = run.borrow_mut().take() {
            f();
        }
    });
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(timeout_ms);
    if window
        .request_idle_callback_with_options(callback.unchecked_ref(), &options)
        .is_err()
    {
        if let Some(f) = slot.borrow_mut().take() {
            f();
        }
    }
}

/// Builds the browser's date format for the user's language once the page is idle (2 s at the
/// latest): the first `Intl.DateTimeFormat` loads locale data (15–35 ms in Chromium), which
/// neither the sign-in form nor the first notification's render should wait for.
#[hook]
pub fn use_intl_warm_up() {
    let code = use_lang().code();
    use_effect_with(code, |code| {
        let code = *code;
        when_idle(2_000, move || {
            let _ = crate::format::exact_localized(0.0, code);
        });
    });
}

/// The user's language (English outside a [`crate::providers::LangProvider`]).
#[hook]
pub fn use_lang() -> crate::i18n::Lang {
    use_context::<crate::providers::LangContext>()
        .map(|c| c.lang)
        .unwrap_or_default()
}

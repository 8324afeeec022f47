//! This tab's connection log ([`DiagnosticsLog`]), filled by one-line calls from the socket
//! driver, the session's token refresh and the inbox's history reads, and read by the
//! "Connection details" panel; and the clipboard the panel copies its report to.
//!
//! One log per tab (the wasm instance), kept across sign-ins: it holds no token, no message
//! text and no user name, only what the connection did and when.

use std::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use crate::protocol::rest::History;
use crate::state::burst::Tick;
use crate::state::connection::{Command, ConnectionEvent, Status};
use crate::state::diagnostics::{DiagnosticsLog, Transition};
use crate::state::remote::ApiError;
use crate::state::tabs::SocketRole;

thread_local! {
    static LOG: RefCell<DiagnosticsLog> = RefCell::default();
    static WATCHERS: RefCell<Vec<(u64, Callback<()>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_WATCHER: Cell<u64> = const { Cell::new(0) };
    static NOTIFY_PENDING: Cell<bool> = const { Cell::new(false) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Keeps `what`, and tells the watchers (later: the caller may hold the socket driver).
pub fn record(what: Transition) {
    let kept = LOG.with(|l| {
        l.try_borrow_mut()
            .map(|mut l| l.record(now(), what))
            .is_ok()
    });
    if kept {
        notify();
    }
}

/// An event of the socket's connection machine (most are not kept: frames, ticks).
pub fn socket_event(event: &ConnectionEvent) {
    if let Some(what) = Transition::of_event(event) {
        record(what);
    }
}

/// A command of the socket's connection machine (connect, close).
pub fn socket_command(command: &Command) {
    if let Some(what) = Transition::of_command(command) {
        record(what);
    }
}

/// What the socket service published: kept when the role (or a follower's status) changed.
pub fn published(role: SocketRole, status: Status) {
    let kept = LOG.with(|l| {
        l.try_borrow_mut()
            .map(|mut l| l.published(now(), role, status))
            .unwrap_or(false)
    });
    if kept {
        notify();
    }
}

/// A token refresh's result (whoever asked: the schedule, the socket, a REST 401), kept by
/// its outcome only.
pub fn refresh_result<T>(result: &Result<T, ApiError>) {
    record(Transition::refresh(result));
}

/// A history read's result (rows counted, never read).
pub fn history_read(result: &Result<History, ApiError>) {
    record(Transition::history(result));
}

/// The burst policy's tick: kept when it re-reads the history.
pub fn burst_tick(tick: Tick) {
    if let Some(what) = Transition::of_tick(tick) {
        record(what);
    }
}

/// A copy of the log now.
pub fn snapshot() -> DiagnosticsLog {
    LOG.with(|l| l.try_borrow().map(|l| l.clone()).unwrap_or_default())
}

/// Calls the watcher after new entries (at most once per task) while it is kept.
pub struct Watch(u64);

impl Drop for Watch {
    fn drop(&mut self) {
        let id = self.0;
        WATCHERS.with(|w| {
            if let Ok(mut w) = w.try_borrow_mut() {
                w.retain(|(i, _)| *i != id);
            }
        });
    }
}

/// Calls `on_change` after new entries until the returned [`Watch`] is dropped.
pub fn watch(on_change: Callback<()>) -> Watch {
    let id = NEXT_WATCHER.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    WATCHERS.with(|w| w.borrow_mut().push((id, on_change)));
    Watch(id)
}

/// Tells the watchers once the current task is done: an entry is recorded in the middle of
/// the socket driver's work, and a burst records many.
fn notify() {
    let has_watchers = WATCHERS.with(|w| w.try_borrow().is_ok_and(|w| !w.is_empty()));
    if !has_watchers || NOTIFY_PENDING.with(|p| p.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        NOTIFY_PENDING.with(|p| p.set(false));
        let watchers: Vec<Callback<()>> = WATCHERS.with(|w| {
            w.try_borrow()
                .map(|w| w.iter().map(|(_, cb)| cb.clone()).collect())
                .unwrap_or_default()
        });
        for cb in watchers {
            cb.emit(());
        }
    });
}

/// The browser's user agent, for the report.
pub fn browser() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// Copies `text` with `navigator.clipboard.writeText`: false when the browser has no clipboard
/// API (an insecure page), or refuses (no permission, the page not focused). Called by name
/// (no web-sys `Clipboard` binding needed for one call).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key));
    let Ok(clipboard) = get(&window.navigator(), "clipboard") else {
        return false;
    };
    let Some(write) = get(&clipboard, "writeText")
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Some(promise) = write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

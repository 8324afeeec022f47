//! Cross-tab mutual exclusion with the Web Locks API (`navigator.locks`): the browser's own
//! lock manager, released by the browser when a tab closes or crashes. Where it is missing
//! (old browsers, opaque origins) the work runs unlocked, as it did before.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn query(this: &LockManager) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = request)]
    fn request_with_options(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &Function,
    ) -> Result<Promise, JsValue>;
}

/// Whether this browser can lock across tabs.
pub fn supported() -> bool {
    lock_manager().is_some()
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    Some(locks.unchecked_into())
}

/// A promise resolved by calling the function stored in the returned slot.
fn deferred() -> (Promise, Rc<RefCell<Option<Function>>>) {
    let slot = Rc::new(RefCell::new(None));
    let keep = slot.clone();
    let promise = Promise::new(&mut |resolve, _reject| {
        *keep.borrow_mut() = Some(resolve);
    });
    (promise, slot)
}

fn resolve(slot: &Rc<RefCell<Option<Function>>>, value: &JsValue) {
    if let Some(f) = slot.borrow_mut().take() {
        let _ = f.call1(&JsValue::UNDEFINED, value);
    }
}

/// How `work` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// With the lock: no other tab runs its `work` meanwhile.
    Locked,
    /// The browser has no usable lock manager: as good as it gets.
    Unsupported,
    /// The lock was not granted in time (a tab holding it hangs): `work` should not take
    /// irreversible decisions that another tab's work could contradict.
    TimedOut,
}

/// Releases the lock when dropped, so a `with_lock` future dropped half-way never keeps it.
struct Release(Rc<RefCell<Option<Function>>>);

impl Drop for Release {
    fn drop(&mut self) {
        resolve(&self.0, &JsValue::UNDEFINED);
    }
}

/// Requests the lock `name` with `granted` as its callback and `signal` to withdraw it. The
/// callback is owned by a task that lives until the request settles (released, withdrawn or
/// refused), then drops it: nothing is leaked per request. `refused` runs if the browser
/// rejects the request (a `SecurityError` where site data is blocked, or our own withdrawal).
fn request(
    name: &str,
    signal: Option<&web_sys::AbortSignal>,
    granted: Closure<dyn FnMut(JsValue) -> JsValue>,
    refused: impl FnOnce() + 'static,
) -> Result<(), JsValue> {
    let locks = lock_manager().ok_or(JsValue::NULL)?;
    let options = js_sys::Object::new();
    if let Some(signal) = signal {
        js_sys::Reflect::set(&options, &JsValue::from_str("signal"), signal)?;
    }
    let request = locks.request_with_options(name, &options, granted.as_ref().unchecked_ref())?;
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(request).await.is_err() {
            refused();
        }
        drop(granted);
    });
    Ok(())
}

/// Runs `work` while holding the lock `name` across every tab of this origin. If the lock is
/// not granted within `max_wait_ms` (a tab holding it is frozen) or cannot be had at all (no
/// lock manager, or the browser refuses: site data blocked), `work` runs anyway, told so: a
/// late refresh is better than none.
pub async fn with_lock<T, F: Future<Output = T>>(
    name: &str,
    max_wait_ms: u32,
    work: impl FnOnce(Held) -> F,
) -> T {
    if !supported() {
        return work(Held::Unsupported).await;
    }
    let (granted, granted_slot) = deferred();
    let (release, release_slot) = deferred();
    let _release = Release(release_slot);
    let abort = web_sys::AbortController::new().ok();
    let on_grant = {
        let granted_slot = granted_slot.clone();
        Closure::once(move |_lock: JsValue| -> JsValue {
            resolve(&granted_slot, &JsValue::TRUE);
            // The lock is held until this promise settles.
            release.into()
        })
    };
    let refused_slot = granted_slot.clone();
    let refused = move || resolve(&refused_slot, &JsValue::FALSE);
    let held = match request(
        name,
        abort.as_ref().map(|a| a.signal()).as_ref(),
        on_grant,
        refused,
    ) {
        Ok(()) => {
            let timer_slot = granted_slot.clone();
            let timer = gloo_timers::callback::Timeout::new(max_wait_ms, move || {
                resolve(&timer_slot, &JsValue::NULL)
            });
            // Granted, refused or timed out: the promise only ever resolves.
            let outcome = JsFuture::from(granted).await.unwrap_or(JsValue::NULL);
            drop(timer);
            if outcome == JsValue::TRUE {
                Held::Locked
            } else if outcome == JsValue::FALSE {
                Held::Unsupported
            } else {
                Held::TimedOut
            }
        }
        Err(_) => Held::Unsupported,
    };
    if held != Held::Locked {
        // Gave up waiting: withdraw the request, so it is never granted to nobody.
        if let Some(abort) = &abort {
            abort.abort();
        }
    }
    // `_release` lets the lock go when this returns.
    work(held).await
}

/// A place in the queue for a lock, then the lock itself, kept until dropped: dropping it
/// withdraws a request still waiting (through an `AbortSignal`) or releases the lock held.
/// The browser also releases it when the tab closes, reloads or crashes.
pub struct Claim {
    release: Rc<RefCell<Option<Function>>>,
    alive: Rc<std::cell::Cell<bool>>,
    abort: Option<web_sys::AbortController>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.alive.set(false);
        if let Some(abort) = &self.abort {
            abort.abort();
        }
        resolve(&self.release, &JsValue::UNDEFINED);
    }
}

/// Queues for the lock `name` (exclusive, across every tab of this origin) and calls
/// `on_granted` once it is held, or `on_refused` if the browser will not lock for this page
/// (site data blocked: `SecurityError`) while the claim is still held. `None` where the
/// browser has no lock manager.
pub fn claim(
    name: &str,
    on_granted: impl FnOnce() + 'static,
    on_refused: impl FnOnce() + 'static,
) -> Option<Claim> {
    if !supported() {
        return None;
    }
    let abort = web_sys::AbortController::new().ok();
    let (release, release_slot) = deferred();
    let alive = Rc::new(std::cell::Cell::new(true));
    let granted = {
        let alive = alive.clone();
        Closure::once(move |_lock: JsValue| -> JsValue {
            if !alive.get() {
                // Given up before the grant ran: let it go at once.
                return JsValue::UNDEFINED;
            }
            on_granted();
            // Held until this settles (when the claim is dropped).
            release.into()
        })
    };
    let refused = {
        let alive = alive.clone();
        // Our own withdrawal (the claim was dropped) is no refusal.
        move || {
            if alive.get() {
                on_refused();
            }
        }
    };
    request(
        name,
        abort.as_ref().map(|a| a.signal()).as_ref(),
        granted,
        refused,
    )
    .ok()?;
    Some(Claim {
        release: release_slot,
        alive,
        abort,
    })
}

/// Whether a tab of this origin is waiting for the lock `name` (`navigator.locks.query()`);
/// `None` when the browser cannot say.
pub async fn anyone_waiting(name: &str) -> Option<bool> {
    let snapshot = JsFuture::from(lock_manager()?.query().ok()?).await.ok()?;
    let pending = js_sys::Reflect::get(&snapshot, &JsValue::from_str("pending")).ok()?;
    let pending: js_sys::Array = pending.dyn_into().ok()?;
    let name = JsValue::from_str(name);
    Some(pending.iter().any(|request| {
        js_sys::Reflect::get(&request, &JsValue::from_str("name")).is_ok_and(|n| n == name)
    }))
}

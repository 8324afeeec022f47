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

    #[wasm_bindgen(method, catch, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Result<Promise, JsValue>;
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

/// Runs `work` while holding the lock `name` across every tab of this origin. If the lock is
/// not granted within `max_wait_ms` (a tab holding it is frozen) or cannot be had at all,
/// `work` runs anyway: a late refresh is better than none.
pub async fn with_lock<T>(name: &str, max_wait_ms: u32, work: impl Future<Output = T>) -> T {
    let Some(locks) = lock_manager() else {
        return work.await;
    };
    let (granted, granted_slot) = deferred();
    let (release, release_slot) = deferred();
    let on_grant = {
        let granted_slot = granted_slot.clone();
        Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            resolve(&granted_slot, &JsValue::TRUE);
            // The lock is held until this promise settles.
            release.into()
        })
    };
    let mut keep = None;
    if let Ok(request) = locks.request(name, on_grant.unchecked_ref()) {
        // A rejected request (e.g. a SecurityError) or a long wait means: go ahead unlocked.
        let slot = granted_slot.clone();
        // Kept until the end of this function: after the release the request resolves, and
        // a resolved promise never calls its catch handler.
        let failed = Closure::once(move |_e: JsValue| resolve(&slot, &JsValue::FALSE));
        let _ = request.catch(&failed);
        let timer_slot = granted_slot.clone();
        let timer = gloo_timers::callback::Timeout::new(max_wait_ms, move || {
            resolve(&timer_slot, &JsValue::FALSE)
        });
        // Granted, failed or timed out: the promise only ever resolves.
        let _ = JsFuture::from(granted).await;
        drop(timer);
        keep = Some(failed);
    }
    let result = work.await;
    // Release (or, if the grant comes after we gave up waiting, let it go at once).
    resolve(&release_slot, &JsValue::UNDEFINED);
    drop(keep);
    result
}

//! Web Locks keep nothing once a request has settled (issue #20, item 7): the callback of a
//! claim given up before its grant, and of a lock released, are dropped, not leaked for the
//! page's lifetime (a follower that leaves, every tab join, every refresh).

use std::cell::Cell;
use std::rc::Rc;

use herald::services::locks;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crate::support::{js, serial, sleep, wait_until};

/// Records the callback of every `navigator.locks.request` (the real one still runs).
fn spy_lock_callbacks() {
    js(r#"(() => {
        const locks = navigator.locks;
        if (!globalThis.__realLockRequest) globalThis.__realLockRequest = locks.request.bind(locks);
        globalThis.__lockCallbacks = [];
        locks.request = function (name, ...rest) {
            globalThis.__lockCallbacks.push(rest[rest.length - 1]);
            return globalThis.__realLockRequest(name, ...rest);
        };
    })()"#);
}

fn unspy_lock_callbacks() {
    js("if (globalThis.__realLockRequest) navigator.locks.request = globalThis.__realLockRequest;");
}

/// Whether the `n`th recorded callback has been freed: calling a dropped wasm-bindgen closure
/// throws; a leaked one still runs.
fn freed(n: usize) -> bool {
    js(&format!(
        "(() => {{ try {{ globalThis.__lockCallbacks[{n}]({{}}); return false; }} catch (e) {{ return true; }} }})()"
    )) == JsValue::TRUE
}

#[wasm_bindgen_test]
async fn a_claim_given_up_or_released_keeps_no_callback() {
    let _turn = serial().await;
    spy_lock_callbacks();
    let name = "herald.wiring.locks";
    let granted = Rc::new(Cell::new(0));
    let first = {
        let granted = granted.clone();
        locks::claim(name, move || granted.set(granted.get() + 1), || {})
    }
    .expect("this browser has Web Locks");
    wait_until("the first claim granted", 5_000.0, || granted.get() == 1).await;
    // A second tab's place in the queue, given up before its turn (a follower leaving).
    let second = {
        let granted = granted.clone();
        locks::claim(name, move || granted.set(granted.get() + 10), || {})
    }
    .expect("this browser has Web Locks");
    sleep(50).await;
    drop(second);
    sleep(200).await;
    assert!(freed(1), "the withdrawn claim's callback is dropped");
    // The held lock, released.
    drop(first);
    sleep(200).await;
    assert!(freed(0), "the released claim's callback is dropped");
    assert_eq!(granted.get(), 1, "the withdrawn claim was never granted");
    unspy_lock_callbacks();
}

#[wasm_bindgen_test]
async fn a_lock_given_up_after_its_wait_is_withdrawn_and_keeps_no_callback() {
    let _turn = serial().await;
    spy_lock_callbacks();
    let name = "herald.wiring.locks.wait";
    let holder = locks::claim(name, || {}, || {}).expect("this browser has Web Locks");
    sleep(50).await;
    // The holder hangs: the work runs unlocked after 100 ms, told so.
    let held = locks::with_lock(name, 100, |held| async move { held }).await;
    assert_eq!(held, locks::Held::TimedOut);
    sleep(200).await;
    assert!(
        freed(1),
        "the request given up is withdrawn and its callback dropped"
    );
    drop(holder);
    // Nobody is left waiting: the lock is free for the next one at once.
    let held = locks::with_lock(name, 2_000, |held| async move { held }).await;
    assert_eq!(held, locks::Held::Locked);
    sleep(200).await;
    assert!(freed(2), "a lock held and released keeps no callback");
    unspy_lock_callbacks();
}

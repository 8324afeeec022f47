//! The persisted-cache hook `use_persisted`, rendered in a real component: throttled writes in
//! idle time, the write on `pagehide`, and nothing written after sign-out. Writes are counted
//! by a wrapper around `Storage.prototype.setItem` that still calls the real one.

use std::cell::RefCell;
use std::rc::Rc;

use herald::hooks::{use_persisted, PERSIST_EVERY_MS};
use herald::services::storage;
use wasm_bindgen_test::*;
use yew::prelude::*;

use crate::support::*;

/// What the harness keeps (a cache's items).
#[derive(PartialEq)]
struct Cache(Vec<u32>);

fn items(cache: &Cache) -> &[u32] {
    &cache.0
}

thread_local! {
    static SETTER: RefCell<Option<UseStateSetter<Rc<Cache>>>> = const { RefCell::new(None) };
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    cache_key: Option<String>,
}

#[function_component]
fn Harness(props: &HarnessProps) -> Html {
    let value = use_state(|| Rc::new(Cache(vec![0])));
    SETTER.with(|s| *s.borrow_mut() = Some(value.setter()));
    use_persisted(props.cache_key.clone(), (*value).clone(), items);
    html! {}
}

/// The harness's value becomes `0..=n`.
async fn set(n: u32) {
    SETTER.with(|s| {
        s.borrow()
            .as_ref()
            .expect("mounted")
            .set(Rc::new(Cache((0..=n).collect())))
    });
    yew::scheduler::flush().await;
}

fn mount(key: &str) -> yew::AppHandle<Harness> {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(
        root,
        HarnessProps {
            cache_key: Some(key.to_owned()),
        },
    )
    .render()
}

/// Signed in (the hook writes only then), with the storage and idle-callback spies on.
fn signed_in_with_spies() {
    clear_storage();
    assert!(storage::save_session(&session_of_finance1("a.b.c")));
    js(r#"(() => {
        const setItem = globalThis.__realSetItem ?? Storage.prototype.setItem;
        globalThis.__realSetItem = setItem;
        globalThis.__writes = [];
        Storage.prototype.setItem = function (key, value) {
            if (key.startsWith('herald.cache.'))
                globalThis.__writes.push({ key, value, idle: !!globalThis.__inIdle });
            return setItem.call(this, key, value);
        };
        const ric = globalThis.__realRic ?? window.requestIdleCallback;
        globalThis.__realRic = ric;
        globalThis.__idleRuns = 0;
        window.requestIdleCallback = function (callback, options) {
            return ric.call(window, (deadline) => {
                globalThis.__inIdle = true;
                try { callback(deadline); } finally {
                    globalThis.__inIdle = false;
                    globalThis.__idleRuns++;
                }
            }, options);
        };
    })()"#);
}

fn remove_spies() {
    js(
        r#"if (globalThis.__realSetItem) Storage.prototype.setItem = globalThis.__realSetItem;
          if (globalThis.__realRic) window.requestIdleCallback = globalThis.__realRic;"#,
    );
}

fn writes(key: &str) -> usize {
    js_number(&format!(
        "globalThis.__writes.filter(w => w.key === '{key}').length"
    )) as usize
}

fn stored(key: &str) -> Option<Vec<u32>> {
    storage::read(key)
}

#[wasm_bindgen_test]
async fn a_burst_of_changes_is_written_once_in_idle_time_with_the_latest_value() {
    let _turn = serial().await;
    let key = "herald.cache.wiring-throttle.35";
    signed_in_with_spies();
    let app = mount(key);
    yew::scheduler::flush().await;
    let started = js_sys::Date::now();
    for n in 1..=40 {
        set(n).await;
    }
    let burst_ms = js_sys::Date::now() - started;
    assert_eq!(writes(key), 0, "nothing written in the middle of a burst");
    wait_until("the throttled write", 15_000.0, || writes(key) >= 1).await;
    // One write per PERSIST_EVERY_MS at most: one for a burst shorter than that (the bound
    // only widens if this machine took longer over the burst itself).
    let allowed = 1 + (burst_ms / f64::from(PERSIST_EVERY_MS)) as usize;
    sleep(300).await;
    assert!(writes(key) <= allowed, "{} writes", writes(key));
    if burst_ms < f64::from(PERSIST_EVERY_MS) {
        assert_eq!(writes(key), 1);
    }
    assert_eq!(stored(key), Some((0..=40).collect()));
    assert_eq!(
        js_number(&format!(
            "globalThis.__writes.filter(w => w.key === '{key}' && !w.idle).length"
        )),
        0.0,
        "written in an idle callback"
    );
    // The next change starts a new period: one more write, not one per change.
    set(41).await;
    set(42).await;
    wait_until("the second write", 15_000.0, || writes(key) == 2).await;
    assert_eq!(stored(key), Some((0..=42).collect()));
    app.destroy();
    remove_spies();
    clear_storage();
}

#[wasm_bindgen_test]
async fn pagehide_writes_the_latest_value_at_once() {
    let _turn = serial().await;
    let key = "herald.cache.wiring-pagehide.35";
    signed_in_with_spies();
    let app = mount(key);
    yew::scheduler::flush().await;
    set(5).await;
    assert_eq!(writes(key), 0);
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
    assert_eq!(writes(key), 1, "written during the event, not later");
    assert_eq!(stored(key), Some((0..=5).collect()));
    app.destroy();
    yew::scheduler::flush().await;
    // Unmounted: the listener is gone with it.
    window
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
    assert_eq!(writes(key), 1);
    remove_spies();
    clear_storage();
}

#[wasm_bindgen_test]
async fn nothing_is_written_after_sign_out() {
    let _turn = serial().await;
    let key = "herald.cache.wiring-signout.35";
    signed_in_with_spies();
    let app = mount(key);
    yew::scheduler::flush().await;
    set(7).await;
    // Signed out (in this tab or another) before the provider re-rendered with no key: the
    // wipe has run, and neither the pending write nor `pagehide` may bring data back.
    storage::wipe_user_data();
    web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
    wait_until("the throttled write's idle callback", 15_000.0, || {
        js_number("globalThis.__idleRuns") >= 1.0
    })
    .await;
    assert_eq!(writes(key), 0);
    assert_eq!(stored(key), None);
    app.destroy();
    remove_spies();
    clear_storage();
}

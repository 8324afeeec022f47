//! Browser unit tests for the faults Herald survives: the crash banner and the storage gateway
//! against the real `localStorage` (and a real `QuotaExceededError`).
#![cfg(target_arch = "wasm32")]

use herald::components::crash::{show_crash_banner, CRASH_BANNER_ID};
use herald::i18n::Lang;
use herald::services::storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .expect("localStorage")
}

#[wasm_bindgen_test]
fn the_crash_banner_is_one_alert_on_top_with_a_reload_button_in_the_users_language() {
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = show_crash_banner(Lang::Ar).expect("a banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(banner.get_attribute("lang").as_deref(), Some("ar"));
    assert_eq!(banner.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(banner.class_name(), "crash-banner");
    assert_eq!(
        banner.get_attribute("style"),
        None,
        "no inline style (strict CSP)"
    );
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains(Lang::Ar.t().crash_message), "{text}");
    let button = banner.query_selector("button").unwrap().expect("a button");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(button.text_content().as_deref(), Some("إعادة التحميل"));
    let body = document.body().unwrap();
    assert!(body
        .first_element_child()
        .is_some_and(|first| first.id() == CRASH_BANNER_ID));
    // A second failure shows no second banner.
    let again = show_crash_banner(Lang::En).expect("the banner");
    assert!(again.is_same_node(Some(&banner)));
    assert_eq!(
        document
            .query_selector_all(&format!("#{CRASH_BANNER_ID}"))
            .unwrap()
            .length(),
        1
    );
    banner.remove();
    let english = show_crash_banner(Lang::En).expect("a banner");
    assert!(english
        .text_content()
        .unwrap()
        .contains("Something went wrong."));
    assert_eq!(
        english
            .query_selector("button")
            .unwrap()
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Reload")
    );
    english.remove();
}

#[wasm_bindgen_test]
fn storage_writes_json_to_local_storage_and_the_wipe_keeps_preferences() {
    let ls = local_storage();
    ls.clear().unwrap();
    assert_eq!(storage::write("herald.pref.lang", "ar"), Ok(()));
    assert_eq!(
        ls.get_item("herald.pref.lang").unwrap().as_deref(),
        Some("\"ar\"")
    );
    assert_eq!(storage::write("herald.cache.inbox.9", &[1, 2][..]), Ok(()));
    assert_eq!(
        storage::read::<Vec<i32>>("herald.cache.inbox.9"),
        Some(vec![1, 2])
    );
    assert!(storage::persistent());
    storage::wipe_user_data();
    assert_eq!(ls.get_item("herald.cache.inbox.9").unwrap(), None);
    assert_eq!(
        storage::read::<String>("herald.pref.lang").as_deref(),
        Some("ar")
    );
    ls.clear().unwrap();
}

#[wasm_bindgen_test]
fn a_real_quota_exceeded_error_evicts_other_users_caches_and_the_write_lands() {
    let ls = local_storage();
    ls.clear().unwrap();
    ls.set_item("herald.cache.inbox.7", &"x".repeat(3_000))
        .unwrap();
    ls.set_item("other-app", "kept").unwrap();
    // The browser's own error: a DOMException named QuotaExceededError (code 22) once
    // storage would hold more than 2,000 characters.
    js_sys::eval(
        r#"(() => {
            const real = Storage.prototype.setItem;
            globalThis.__realSetItem = real;
            Storage.prototype.setItem = function (key, value) {
                let used = 0;
                for (let i = 0; i < this.length; i++) {
                    const k = this.key(i);
                    if (k !== key) used += k.length + this.getItem(k).length;
                }
                if (used + key.length + String(value).length > 2000)
                    throw new DOMException('full', 'QuotaExceededError');
                return real.call(this, key, value);
            };
        })()"#,
    )
    .unwrap();
    let result = storage::write("herald.cache.uploads.35", &"y".repeat(500));
    let landed = ls.get_item("herald.cache.uploads.35").unwrap().is_some();
    let too_big = storage::write("herald.cache.inbox.35", &"z".repeat(5_000));
    js_sys::eval("Storage.prototype.setItem = globalThis.__realSetItem").unwrap();
    assert_eq!(result, Ok(()));
    assert_eq!(ls.get_item("herald.cache.inbox.7").unwrap(), None);
    assert_eq!(ls.get_item("other-app").unwrap().as_deref(), Some("kept"));
    assert!(landed);
    // Still too big after every cache went: kept in memory for the tab.
    assert_eq!(too_big, Err(storage::StorageFailure::QuotaExceeded));
    assert_eq!(ls.get_item("herald.cache.inbox.35").unwrap(), None);
    assert_eq!(
        storage::read::<String>("herald.cache.inbox.35").map(|s| s.len()),
        Some(5_000)
    );
    storage::wipe_user_data();
    assert_eq!(storage::read::<String>("herald.cache.inbox.35"), None);
    ls.clear().unwrap();
}

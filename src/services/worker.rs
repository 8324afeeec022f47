//! The service worker (`sw.js`, beside `index.html`; issue #23): registering it at the base
//! href, noticing when a new build's worker is installed and waits, and letting it take over
//! only when the user asks (then reloading once it controls the page).
//!
//! A browser without service workers (an insecure origin, site data blocked, a test that blocks
//! them) leaves Herald as it was: nothing here ever fails loudly.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// How often a page left open asks the server for a new build (the browser also checks on
/// every navigation).
const UPDATE_CHECK_MS: u32 = 30 * 60 * 1000;

/// What the page sends a waiting worker to make it take over (`sw.js` listens for it).
const SKIP_WAITING: &str = "skip-waiting";

/// The page's service worker container, if the browser offers one here.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .ok()?
        .dyn_into::<ServiceWorkerContainer>()
        .ok()
}

/// Whether a newer build waits while this page runs an earlier one. (The very first install
/// has no controller: that page already runs the newest build.)
fn new_build_waits(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
) -> bool {
    registration.waiting().is_some() && container.controller().is_some()
}

/// Keeps the registration's listeners and its update timer; dropping it removes them.
#[derive(Default)]
pub struct Registration {
    updatefound: Option<EventListener>,
    /// The `statechange` listener of the worker being installed.
    installing: Rc<RefCell<Option<EventListener>>>,
    checks: Option<gloo_timers::callback::Interval>,
}

/// Registers `sw.js` with the base href as its scope, and calls `on_new_build` (once or more)
/// when a new build's worker is installed and waiting. What it sets up lives in `keep`.
pub fn register(on_new_build: Rc<dyn Fn()>, keep: Rc<RefCell<Registration>>) {
    let Some(container) = container() else {
        return;
    };
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("./");
    // Update checks always ask the server for sw.js and sw-manifest.js, whatever HTTP caches
    // between say.
    options.set_update_via_cache(web_sys::ServiceWorkerUpdateViaCache::None);
    let promise = container.register_with_options("sw.js", &options);
    spawn_local(async move {
        let Ok(value) = JsFuture::from(promise).await else {
            return;
        };
        let Ok(registration) = value.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        if new_build_waits(&container, &registration) {
            on_new_build();
        }
        let mut kept = keep.borrow_mut();
        let (reg, cont, installing_slot) = (
            registration.clone(),
            container.clone(),
            kept.installing.clone(),
        );
        kept.updatefound = Some(EventListener::new(
            &registration,
            "updatefound",
            move |_| {
                let Some(installing) = reg.installing() else {
                    return;
                };
                let (reg, cont, on_new_build) = (reg.clone(), cont.clone(), on_new_build.clone());
                let worker = installing.clone();
                let listener = EventListener::new(&installing, "statechange", move |_| {
                    if worker.state() == ServiceWorkerState::Installed
                        && new_build_waits(&cont, &reg)
                    {
                        on_new_build();
                    }
                });
                *installing_slot.borrow_mut() = Some(listener);
            },
        ));
        kept.checks = Some(gloo_timers::callback::Interval::new(
            UPDATE_CHECK_MS,
            move || {
                if let Ok(promise) = registration.update() {
                    spawn_local(async move {
                        let _ = JsFuture::from(promise).await;
                    });
                }
            },
        ));
    });
}

/// The user asked for the new build: the waiting worker takes over and the page reloads once it
/// controls it (at once when none waits, e.g. another tab already let it take over).
pub fn apply_new_build() {
    let Some(container) = container() else {
        reload();
        return;
    };
    spawn_local(async move {
        let waiting = JsFuture::from(container.get_registration())
            .await
            .ok()
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        let Some(waiting) = waiting else {
            reload();
            return;
        };
        EventListener::once(&container, "controllerchange", |_| reload()).forget();
        if waiting.post_message(&SKIP_WAITING.into()).is_err() {
            reload();
        }
    });
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

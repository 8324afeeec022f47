//! The new-build prompt's hook: registers the service worker once the page is idle.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::services::worker;

/// `Some(reload)` once a new build of Herald is installed and waits (the service worker's
/// update); calling it lets the new build take over and reloads. Registers `sw.js` when the
/// page is first idle, so the worker's install never competes with the app's start.
#[hook]
pub fn use_new_build() -> Option<Callback<()>> {
    let ready = use_state_eq(|| false);
    let kept = use_mut_ref(worker::Registration::default);
    {
        let ready = ready.setter();
        use_effect_with((), move |_| {
            let alive = Rc::new(RefCell::new(Some(kept.clone())));
            let registering = alive.clone();
            super::when_idle(2_000, move || {
                if let Some(kept) = registering.borrow().clone() {
                    worker::register(Rc::new(move || ready.set(true)), kept);
                }
            });
            move || {
                // Unmounted: drop the listeners and the update checks.
                if let Some(kept) = alive.borrow_mut().take() {
                    *kept.borrow_mut() = worker::Registration::default();
                }
            }
        });
    }
    (*ready).then(|| Callback::from(|()| worker::apply_new_build()))
}

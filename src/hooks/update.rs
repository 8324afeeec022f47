//! The new-build prompt's hook.

use yew::prelude::*;

use crate::services::worker;

/// `Some(reload)` once a new build of Herald is installed and waits (the service worker's
/// update, told by `sw-register.js`); calling it lets the new build take over and reloads.
#[hook]
pub fn use_new_build() -> Option<Callback<()>> {
    let ready = use_state_eq(worker::new_build_waits);
    {
        let ready = ready.setter();
        use_effect_with((), move |_| {
            let announced = ready.clone();
            let listener = worker::on_new_build(move || announced.set(true));
            // A build announced between the first render and this effect.
            if worker::new_build_waits() {
                ready.set(true);
            }
            move || drop(listener)
        });
    }
    (*ready).then(|| Callback::from(|()| worker::apply_new_build()))
}

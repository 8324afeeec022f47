//! The signed-in user's "last looked" mark (see [`crate::state::inbox::last_looked`]): read
//! from storage per user, fed the page's visibility and the inbox panel's place on screen, and
//! written when the user leaves: the page hidden or unloaded, sign-out (the panel goes).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::services::storage;
use crate::state::inbox::last_looked::LastLooked;

/// The mark's key: per user and deployment, with the preferences (not a cache: it outlives
/// sign-out, since "since you last looked" spans sessions, and eviction leaves it; it is only a
/// time).
fn mark_key(user_id: i64) -> String {
    storage::user_pref_key("last-looked", user_id)
}

type Machine = Rc<RefCell<LastLooked>>;
/// An observer and the callback it calls (kept alive as long as the observer).
type Observer = (
    web_sys::IntersectionObserver,
    Closure<dyn FnMut(js_sys::Array)>,
);

/// Where the "New since you last looked" divider stands for the signed-in user: items newer
/// than this time arrived since the user last had the inbox in view (`None`: never looked in
/// this browser, or signed out). `panel` is the inbox panel's element, `newest` the newest
/// item's time. The divider stays put while the user looks; it moves when they come back.
///
/// ```ignore
/// let panel = use_node_ref();
/// let mark = use_last_looked(panel.clone(), inbox.items().first().map(|n| n.time_ms));
/// ```
#[hook]
pub fn use_last_looked(panel: NodeRef, newest: Option<f64>) -> Option<f64> {
    let session = super::use_session();
    let user_id = session.session.as_ref().map(|s| s.user.id);
    // The current user's machine, made (and their mark read) in the render that first sees
    // them, so that render already has the divider.
    let current = use_mut_ref(|| None::<(i64, Machine)>);
    let machine = {
        let mut current = current.borrow_mut();
        if current.as_ref().map(|(id, _)| Some(*id)) != Some(user_id) {
            *current = user_id.map(|id| {
                let stored = storage::read::<f64>(&mark_key(id));
                (id, Rc::new(RefCell::new(LastLooked::new(stored))))
            });
        }
        current.as_ref().map(|(_, m)| m.clone())
    };
    let update = use_force_update();
    {
        let machine = machine.clone();
        use_effect_with(user_id, move |user_id| {
            let watch = user_id.zip(machine).map(|(id, machine)| {
                Watch::start(
                    id,
                    machine,
                    &panel,
                    Callback::from(move |()| update.force_update()),
                )
            });
            move || drop(watch)
        });
    }
    machine.and_then(|m| {
        let mut m = m.borrow_mut();
        m.set_newest(newest);
        m.mark()
    })
}

/// The listeners of one user's look; dropped (sign-out, the panel gone) it counts as leaving.
struct Watch {
    user_id: i64,
    machine: Machine,
    _listeners: Vec<EventListener>,
    observer: Option<Observer>,
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Runs `change` on the machine; `moved` hears if the divider moved.
fn apply(machine: &Machine, moved: &Callback<()>, change: impl FnOnce(&mut LastLooked)) {
    let (before, after) = {
        let mut m = machine.borrow_mut();
        let before = m.mark();
        change(&mut m);
        (before, m.mark())
    };
    if before != after {
        moved.emit(());
    }
}

fn leave(user_id: i64, machine: &Machine) {
    let mark = machine.borrow_mut().leave();
    if let Some(mark) = mark {
        // Refused or full: the gateway keeps it in memory for this tab.
        let _ = storage::write(&mark_key(user_id), &mark);
    }
}

impl Watch {
    fn start(user_id: i64, machine: Machine, panel: &NodeRef, moved: Callback<()>) -> Self {
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            if let Some(document) = window.document() {
                let (m, moved) = (machine.clone(), moved.clone());
                listeners.push(EventListener::new(
                    &document,
                    "visibilitychange",
                    move |_| {
                        if page_visible() {
                            apply(&m, &moved, |l| l.set_visible(true));
                        } else {
                            leave(user_id, &m);
                        }
                    },
                ));
            }
            let m = machine.clone();
            listeners.push(EventListener::new(&window, "pagehide", move |_| {
                leave(user_id, &m)
            }));
            // Back from the back/forward cache.
            let (m, moved_back) = (machine.clone(), moved.clone());
            listeners.push(EventListener::new(&window, "pageshow", move |_| {
                let visible = page_visible();
                apply(&m, &moved_back, |l| l.set_visible(visible));
            }));
        }
        let visible = page_visible();
        apply(&machine, &moved, |l| l.set_visible(visible));
        let observer = panel
            .cast::<web_sys::Element>()
            .and_then(|el| observe(&el, machine.clone(), moved.clone()));
        if observer.is_none() {
            // No observer (an old browser): a visible page counts as looking.
            apply(&machine, &moved, |l| l.set_on_screen(true));
        }
        Self {
            user_id,
            machine,
            _listeners: listeners,
            observer,
        }
    }
}

/// Follows whether any of `el` is on screen (the observer reports at once, then on changes).
fn observe(el: &web_sys::Element, machine: Machine, moved: Callback<()>) -> Option<Observer> {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let last = entries.iter().last();
        if let Some(entry) =
            last.and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            let on_screen = entry.is_intersecting();
            apply(&machine, &moved, |l| l.set_on_screen(on_screen));
        }
    });
    let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(el);
    Some((observer, callback))
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some((observer, _)) = &self.observer {
            observer.disconnect();
        }
        leave(self.user_id, &self.machine);
    }
}

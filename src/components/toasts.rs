use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use yew::prelude::*;

use crate::hooks::{use_inbox, use_uploads};
use crate::state::inbox::Notification;

/// Toasts visible at once; the rest are summarised as "+N more".
pub const MAX_VISIBLE: usize = 3;
/// How long a toast stays (paused while hovered or focused).
pub const TOAST_MS: f64 = 6_000.0;

#[derive(Clone, PartialEq)]
struct Toast {
    id: u64,
    text: String,
    reference: Option<String>,
    remaining_ms: f64,
}

#[derive(Default, PartialEq)]
struct Toasts {
    items: Vec<Toast>,
    next_id: u64,
}

enum ToastAction {
    /// (text, reference) pairs, newest last.
    Arrived(Vec<(String, Option<String>)>),
    Elapsed(f64),
    Dismiss(u64),
    DismissAll,
}

impl Reducible for Toasts {
    type Action = ToastAction;
    fn reduce(self: Rc<Self>, action: ToastAction) -> Rc<Self> {
        let mut items = self.items.clone();
        let mut next_id = self.next_id;
        match action {
            ToastAction::Arrived(batch) => {
                // Oldest first on screen, newest appended; keep a bounded queue.
                for (text, reference) in batch {
                    next_id += 1;
                    items.push(Toast {
                        id: next_id,
                        text,
                        reference,
                        remaining_ms: TOAST_MS,
                    });
                }
                let overflow = items.len().saturating_sub(200);
                items.drain(..overflow);
            }
            ToastAction::Elapsed(ms) => {
                for t in items.iter_mut().take(MAX_VISIBLE) {
                    t.remaining_ms -= ms;
                }
                items.retain(|t| t.remaining_ms > 0.0);
            }
            ToastAction::Dismiss(id) => items.retain(|t| t.id != id),
            ToastAction::DismissAll => items.clear(),
        }
        Rc::new(Toasts { items, next_id })
    }
}

/// Toasts for new live notifications, a polite announcement for screen readers (batched), and
/// desktop notifications when the tab is hidden and the user opted in. Toasts never take focus.
#[component(ToastHost)]
pub fn toast_host() -> Html {
    let ctx = use_inbox();
    let uploads = use_uploads();
    let toasts = use_reducer(Toasts::default);
    let paused = use_state(|| false);
    let announcement = use_state(String::new);
    let pending = use_mut_ref(|| (0usize, String::new(), None::<Timeout>));

    {
        let dispatcher = toasts.dispatcher();
        let announcement = announcement.setter();
        let pending = pending.clone();
        use_effect_with(ctx.arrived.clone(), move |arrived| {
            if !arrived.is_empty() {
                dispatcher.dispatch(ToastAction::Arrived(
                    arrived
                        .iter()
                        .rev()
                        .map(|n| (n.text(false).to_owned(), n.code.clone()))
                        .collect(),
                ));
                desktop_notify(arrived);
                // Announce at most every 1.5 s: a burst is one sentence, not thousands.
                let mut p = pending.borrow_mut();
                p.0 += arrived.len();
                p.1 = arrived
                    .first()
                    .map(|n| n.text(false).to_owned())
                    .unwrap_or_default();
                if p.2.is_none() {
                    let pending = pending.clone();
                    p.2 = Some(Timeout::new(1_500, move || {
                        let (count, text, _) = std::mem::take(&mut *pending.borrow_mut());
                        announcement.set(match count {
                            0 => String::new(),
                            1 => format!("New notification: {text}"),
                            n => format!("{n} new notifications"),
                        });
                    }));
                }
            }
        });
    }
    // Upload milestones: a toast and an announcement each (not every step).
    {
        let dispatcher = toasts.dispatcher();
        let announcement = announcement.setter();
        use_effect_with(uploads.milestone.clone(), move |m| {
            if let Some(m) = m {
                dispatcher.dispatch(ToastAction::Arrived(vec![(m.text.clone(), None)]));
                announcement.set(m.text.clone());
            }
        });
    }
    {
        let dispatcher = toasts.dispatcher();
        let paused = *paused;
        let any = !toasts.items.is_empty();
        use_effect_with((paused, any), move |(paused, any)| {
            let interval = (!*paused && *any).then(|| {
                Interval::new(250, move || {
                    dispatcher.dispatch(ToastAction::Elapsed(250.0))
                })
            });
            move || drop(interval)
        });
    }

    let hover = |on: bool| {
        let paused = paused.clone();
        Callback::from(move |_: MouseEvent| paused.set(on))
    };
    let focus = |on: bool| {
        let paused = paused.clone();
        Callback::from(move |_: FocusEvent| paused.set(on))
    };
    let extra = toasts.items.len().saturating_sub(MAX_VISIBLE);
    let dismiss_all = {
        let d = toasts.dispatcher();
        Callback::from(move |_| d.dispatch(ToastAction::DismissAll))
    };
    html! {
        <>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announcement).clone() }</div>
            <aside class="toasts" aria-label="New notifications"
                onmouseenter={hover(true)} onmouseleave={hover(false)}
                onfocusin={focus(true)} onfocusout={focus(false)}>
                { for toasts.items.iter().take(MAX_VISIBLE).map(|t| {
                    let d = toasts.dispatcher();
                    let id = t.id;
                    html! {
                        <div class="toast" key={t.id}>
                            <p dir="auto">
                                if let Some(r) = &t.reference { <strong dir="auto">{ r.clone() }</strong>{" "} }
                                { t.text.clone() }
                            </p>
                            <button type="button" class="link" aria-label="Dismiss notification"
                                onclick={Callback::from(move |_| d.dispatch(ToastAction::Dismiss(id)))}>{"×"}</button>
                        </div>
                    }
                }) }
                if extra > 0 {
                    <div class="toast more">
                        <p>{ format!("+{extra} more") }</p>
                        <button type="button" class="link" onclick={dismiss_all}>{"Dismiss all"}</button>
                    </div>
                }
            </aside>
        </>
    }
}

fn desktop_notify(batch: &[Notification]) {
    use web_sys::{Notification as Desktop, NotificationOptions, NotificationPermission};
    let hidden = web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden());
    if !hidden || Desktop::permission() != NotificationPermission::Granted {
        return;
    }
    let (title, body) = match batch {
        [one] => ("Herald".to_owned(), one.text(false).to_owned()),
        many => (
            format!("Herald: {} new notifications", many.len()),
            many[0].text(false).to_owned(),
        ),
    };
    let options = NotificationOptions::new();
    options.set_body(&body);
    options.set_tag("herald-inbox");
    let _ = Desktop::new_with_options(&title, &options);
}

/// "Enable desktop notifications": asks for permission only when clicked.
#[component(DesktopNotificationsToggle)]
pub fn desktop_notifications_toggle() -> Html {
    use web_sys::{Notification as Desktop, NotificationPermission};
    let supported = web_sys::window()
        .map(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
        .unwrap_or(false);
    let permission = use_state(|| supported.then(Desktop::permission));
    let onclick = {
        let permission = permission.clone();
        Callback::from(move |_| {
            let permission = permission.clone();
            if let Ok(promise) = Desktop::request_permission() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                    permission.set(Some(Desktop::permission()));
                });
            }
        })
    };
    match *permission {
        Some(NotificationPermission::Default) => html! {
            <button type="button" class="link" {onclick}>{"Enable desktop notifications"}</button>
        },
        Some(NotificationPermission::Granted) => {
            html! { <span class="muted">{"Desktop notifications on"}</span> }
        }
        _ => html! {},
    }
}

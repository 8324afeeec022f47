use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_arrivals, use_config, use_lang, use_session, use_uploads};
use crate::i18n::Lang;
use crate::protocol::{clip, LiveNotification, SHORT_TEXT_MAX};
use crate::state::toasts::{desktop_tag, OpenedDesktop, ToastAction, Toasts, QUEUE_BOUND};

/// The id of toast `id`'s close button.
fn close_id(id: u64) -> String {
    format!("toast-{id}-close")
}

/// Characters a toast's reference (the transaction code) shows at most.
const REFERENCE_MAX: usize = 100;

/// What a toast, the announcement or a desktop notification says of one notification: its
/// text in the user's language, clipped (a 200 KB message is legal on the wire).
fn short_text(n: &LiveNotification, arabic: bool) -> String {
    clip(n.text(arabic), SHORT_TEXT_MAX).into_owned()
}

/// The toasts' state, changed in place: a new notification costs this component one render.
type SharedToasts = Rc<RefCell<Toasts>>;

/// Announcements waiting for the polite region: how many, the newest's text, and the timer
/// that says them.
type Pending = Rc<RefCell<(usize, String, Option<Timeout>)>>;

/// Desktop notifications are tagged per user and deployment, and the ones this tab opened are
/// closed when their user is no longer the one signed in: at sign-out (the toast host is only
/// mounted while someone is signed in, so its end is the sign-out) and when another user takes
/// over. Called before the arrivals' subscription so that a switch closes the old user's
/// before the new user's first one opens. The tag of the user signed in now, and what this tab
/// opened.
#[hook]
fn use_desktop() -> (
    Option<String>,
    Rc<RefCell<OpenedDesktop<web_sys::Notification>>>,
) {
    let config = use_config();
    let user_id = use_session().session.as_ref().map(|s| s.user.id);
    let tag = config
        .as_ref()
        .zip(user_id)
        .map(|(c, id)| desktop_tag(c.api_base_url.as_str(), id));
    let desktop = use_mut_ref(OpenedDesktop::<web_sys::Notification>::default);
    {
        let desktop = desktop.clone();
        use_effect_with(tag.clone(), move |tag| {
            close_desktop(&desktop, tag.as_deref());
        });
    }
    {
        let desktop = desktop.clone();
        use_effect_with((), move |_| move || close_desktop(&desktop, None));
    }
    (tag, desktop)
}

/// Announces `count` new notifications (the newest saying `text`) at most every 1.5 s: a
/// burst is one sentence, not thousands.
fn announce(pending: &Pending, count: usize, text: String, lang: Lang, to: UseStateSetter<String>) {
    let mut p = pending.borrow_mut();
    p.0 += count;
    p.1 = text;
    if p.2.is_none() {
        let pending = pending.clone();
        p.2 = Some(Timeout::new(1_500, move || {
            let (count, text, _) = std::mem::take(&mut *pending.borrow_mut());
            to.set(match count {
                0 => String::new(),
                1 => format!("{}{text}", lang.t().new_notification),
                n => lang.new_notifications(n),
            });
        }));
    }
}

/// New notifications, as they arrive: toasts, the announcement, and a desktop notification
/// when the tab is hidden and the user opted in.
#[hook]
fn use_arrival_toasts(toasts: SharedToasts, announcement: UseStateSetter<String>) {
    let arrivals = use_arrivals();
    let lang = use_lang();
    let (tag, desktop) = use_desktop();
    let pending: Pending = use_mut_ref(|| (0usize, String::new(), None::<Timeout>));
    let update = use_force_update();
    use_effect_with((arrivals, lang, tag), move |(arrivals, lang, tag)| {
        let (lang, tag) = (*lang, tag.clone());
        let arabic = lang == Lang::Ar;
        let subscription =
            arrivals.subscribe(Callback::from(move |batch: Rc<[LiveNotification]>| {
                // Only the newest QUEUE_BOUND can still be shown: the rest are not even clipped.
                let shown = &batch[batch.len().saturating_sub(QUEUE_BOUND)..];
                toasts.borrow_mut().apply(ToastAction::Arrived(
                    // In arrival order: the newest is appended last.
                    shown
                        .iter()
                        .map(|n| {
                            let reference = n
                                .code
                                .as_deref()
                                .map(|c| clip(c, REFERENCE_MAX).into_owned());
                            (short_text(n, arabic), reference)
                        })
                        .collect(),
                ));
                update.force_update();
                if let Some(tag) = &tag {
                    if let Some(opened) = desktop_notify(&batch, lang, tag) {
                        // The one it replaced on screen (same tag) needs no closing.
                        let _ = desktop.borrow_mut().opened(tag, opened);
                    }
                }
                let newest = batch
                    .last()
                    .map(|n| short_text(n, arabic))
                    .unwrap_or_default();
                announce(&pending, batch.len(), newest, lang, announcement.clone());
            }));
        move || drop(subscription)
    });
}

/// Upload milestones: a toast and an announcement each (not every step).
#[hook]
fn use_milestone_toasts(dispatch: Callback<ToastAction>, announcement: UseStateSetter<String>) {
    let uploads = use_uploads();
    let lang = use_lang();
    use_effect_with(uploads.milestone.clone(), move |m| {
        if let Some(m) = m {
            // A failure's error text comes from the server: clipped like any other.
            let text = clip(&m.text(lang), SHORT_TEXT_MAX).into_owned();
            dispatch.emit(ToastAction::Arrived(vec![(text.clone(), None)]));
            announcement.set(text);
        }
    });
}

/// Whether the toasts are paused: while the pointer is over `region` or focus is in it.
/// Hovering is listened to on the element itself, not through Yew's delegation: a delegated
/// `mouseenter`/`mouseleave` listener would be called for every element the pointer
/// crosses, and a pointer resting over the inbox crosses one with every notification that
/// pushes the list down.
#[hook]
fn use_paused(region: NodeRef) -> UseStateHandle<bool> {
    let paused = use_state(|| false);
    let setter = paused.setter();
    use_effect_with((), move |_| {
        let listeners = region.cast::<web_sys::Element>().map(|el| {
            let enter = setter.clone();
            (
                gloo_events::EventListener::new(&el, "mouseenter", move |_| enter.set(true)),
                gloo_events::EventListener::new(&el, "mouseleave", move |_| setter.set(false)),
            )
        });
        move || drop(listeners)
    });
    paused
}

/// What a toast's stack must never cover: anything a user can press, follow or type in.
const CONTROLS: &str =
    "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

/// The stack's parts that [`place_stack`] measures: the list of toasts and the summary line
/// it folds into. Both are always laid out, whichever shows (main.css), so their heights are
/// read without changing anything.
#[derive(Clone, Default, PartialEq)]
struct StackParts {
    region: NodeRef,
    list: NodeRef,
    summary: NodeRef,
}

/// How long the stack may stay where it is while the page changes under it, at most.
const PLACE_EVERY_MS: f64 = 200.0;

/// What [`use_placement`] keeps between renders.
#[derive(Default)]
struct Placing {
    /// A frame is asked for.
    asked: bool,
    /// The stack is held by the pointer or focus (as of the last render).
    paused: bool,
    /// When the stack was last placed (`Date.now()`).
    at: f64,
    /// The language it was placed for (the direction decides its side).
    lang: Option<Lang>,
}

/// Keeps the stack where it covers no control ([`place_stack`]), at the least cost: a
/// placement reads every control's box, so it must never force a layout per arrival (one
/// placement per arrival made a 2,000-frame in-page burst take 16 s; one per frame, with the
/// stack folded and unfolded to measure it, still 0.5 to 1 s of the burst's ~1.2 s).
/// - A change of the stack's size (a toast comes or goes, a text wraps) is placed by a
///   `ResizeObserver`, whose callback runs after the browser's layout and before its paint: the
///   boxes are read for free, and a new toast is never painted where it was not placed.
/// - The page moving under the stack (scrolling, the inbox growing) is answered in the frame
///   after a render of the host, at most every [`PLACE_EVERY_MS`]; the host re-renders every
///   250 ms while toasts are shown. A change of language (and so of side) is placed at once.
///
/// Not while paused, so the stack does not move from under the pointer or focus that holds it.
#[hook]
fn use_placement(parts: StackParts, paused: bool, lang: Lang) {
    let state = use_mut_ref(Placing::default);
    state.borrow_mut().paused = paused;
    // Built once per stack (not on every render of the host, which is one per arrival).
    let place = {
        let state = state.clone();
        use_memo(parts.clone(), move |parts| {
            let parts = parts.clone();
            move || {
                let paused = state.borrow().paused;
                if let Some(region) = parts.region.cast::<web_sys::HtmlElement>() {
                    let list = parts.list.cast::<web_sys::HtmlElement>();
                    let summary = parts.summary.cast::<web_sys::HtmlElement>();
                    if let (Some(list), Some(summary)) = (list, summary) {
                        if !paused || list.child_element_count() == 0 {
                            place_stack(&region, &list, &summary);
                            state.borrow_mut().at = js_sys::Date::now();
                        }
                    }
                }
            }
        })
    };
    {
        let place = place.clone();
        use_effect_with(parts, move |parts| {
            let observer = (|| {
                let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || place());
                let observer =
                    web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                for part in [&parts.list, &parts.summary] {
                    observer.observe(&part.cast::<web_sys::Element>()?);
                }
                Some((observer, callback))
            })();
            move || {
                if let Some((observer, _)) = observer {
                    observer.disconnect();
                }
            }
        });
    }
    use_effect(move || {
        {
            let mut s = state.borrow_mut();
            let turned = s.lang != Some(lang);
            if s.asked || (!turned && js_sys::Date::now() - s.at < PLACE_EVERY_MS) {
                return;
            }
            s.asked = true;
            s.lang = Some(lang);
        }
        let frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            state.borrow_mut().asked = false;
            place();
        });
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(frame.unchecked_ref());
        }
    });
}

/// Moves the toast stack (`region`) where it covers no control on screen
/// ([`crate::state::placement`]): the lowest free place on the inline-end side, then on the
/// inline-start side; folded into its summary line where only that fits; off screen where
/// nothing does. `list` holds the toasts, `summary` the line the stack folds into.
fn place_stack(
    region: &web_sys::HtmlElement,
    list: &web_sys::HtmlElement,
    summary: &web_sys::HtmlElement,
) {
    use crate::state::placement::{place, Placement, Rect, Viewport};
    let style = region.style();
    if list.child_element_count() == 0 {
        let _ = region.remove_attribute("data-folded");
        for p in ["left", "top", "right", "bottom", "visibility"] {
            let _ = style.remove_property(p);
        }
        return;
    }
    let Some((window, document)) = web_sys::window().and_then(|w| w.document().map(|d| (w, d)))
    else {
        return;
    };
    let Some(root) = document.document_element() else {
        return;
    };
    // The stack's two heights: with every toast, and folded into its summary line.
    let full = f64::from(list.offset_height());
    let folded = f64::from(summary.offset_height());
    let width = f64::from(region.offset_width());
    let mut controls = Vec::new();
    if let Ok(list) = document.query_selector_all(CONTROLS) {
        for i in 0..list.length() {
            let Some(el) = list
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            if region.contains(Some(el.as_ref())) {
                continue;
            }
            let r = el.get_bounding_client_rect();
            controls.push(Rect {
                x: r.left(),
                y: r.top(),
                w: r.width(),
                h: r.height(),
            });
        }
    }
    // 1rem: the stack's margin from the viewport's edges (--space-3).
    let rem = window
        .get_computed_style(&root)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("font-size").ok())
        // Whole pixels: parsing or printing floats would add their code to the wasm.
        .and_then(|v| {
            v.split(['.', 'p'])
                .next()
                .and_then(|n| n.parse::<u16>().ok())
        })
        .filter(|v| *v > 0)
        .map_or(16.0, f64::from);
    let view = Viewport {
        width: f64::from(root.client_width()),
        height: f64::from(root.client_height()),
        margin: rem,
        end_is_right: root.get_attribute("dir").as_deref() != Some("rtl"),
    };
    let (at, fold, visible) = match place(&view, width, full, folded, &controls) {
        Placement::Full { x, y } => (Some((x, y)), false, true),
        Placement::Folded { x, y } => (Some((x, y)), true, true),
        Placement::Away => (None, false, false),
    };
    // Only what changes is written: a stack that stays costs the frame no style or layout.
    if fold != region.has_attribute("data-folded") {
        let _ = if fold {
            region.set_attribute("data-folded", "")
        } else {
            region.remove_attribute("data-folded")
        };
    }
    let set = |name: &str, value: &str| {
        if style.get_property_value(name).ok().as_deref() != Some(value) {
            let _ = style.set_property(name, value);
        }
    };
    if let Some((x, y)) = at {
        let px = |v: f64| format!("{}px", v.round() as i32);
        set("left", &px(x));
        set("top", &px(y));
        set("right", "auto");
        set("bottom", "auto");
    }
    set("visibility", if visible { "visible" } else { "hidden" });
}

/// A toast's text: its reference (the transaction's code) isolated, and the codes in its
/// message kept whole.
fn toast_text(reference: Option<&str>, text: &str) -> Html {
    html! {
        <p dir="auto">
            if let Some(r) = reference { <strong class="ref">{ crate::components::text::reference(r) }</strong>{" "} }
            { crate::components::text::with_codes(text) }
        </p>
    }
}

/// Toasts for new live notifications and upload milestones, a polite announcement for screen
/// readers (batched), and desktop notifications when the tab is hidden and the user opted in.
/// Toasts never take focus, and never cover a control ([`place_stack`]).
#[component(ToastHost)]
pub fn toast_host() -> Html {
    let lang = use_lang();
    let t = lang.t();
    let toasts: SharedToasts = use_mut_ref(Toasts::default);
    let update = use_force_update();
    let dispatch = {
        let toasts = toasts.clone();
        Callback::from(move |action: ToastAction| {
            toasts.borrow_mut().apply(action);
            update.force_update();
        })
    };
    let announcement = use_state(String::new);
    use_arrival_toasts(toasts.clone(), announcement.setter());
    use_milestone_toasts(dispatch.clone(), announcement.setter());
    let region = use_node_ref();
    let paused = use_paused(region.clone());
    {
        let dispatch = dispatch.clone();
        let any = !toasts.borrow().items().is_empty();
        use_effect_with((*paused, any), move |(paused, any)| {
            let interval = (!*paused && *any)
                .then(|| Interval::new(250, move || dispatch.emit(ToastAction::Elapsed(250.0))));
            move || drop(interval)
        });
    }
    let parts = use_memo((), |()| StackParts {
        region: region.clone(),
        ..StackParts::default()
    });
    use_placement((*parts).clone(), *paused, lang);
    let focus = |on: bool| {
        let paused = paused.clone();
        Callback::from(move |_: FocusEvent| paused.set(on))
    };
    let toasts = toasts.borrow();
    let extra = toasts.more();
    let total = toasts.items().len();
    // The button pressed goes with its toast: focus moves to the next toast's, else the one
    // before, else the inbox's heading (never the page).
    let dismiss = |id: u64| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            super::refocus_neighbour_later(".toast-list button[id]", &close_id(id), "inbox-title");
            dispatch.emit(ToastAction::Dismiss(id));
        })
    };
    let dismiss_all = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(ToastAction::DismissAll);
            super::refocus_later(vec!["inbox-title".to_owned()]);
        })
    };
    html! {
        <>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announcement).clone() }</div>
            <aside class="toasts" aria-label={t.new_notifications_region}
                ref={region}
                onfocusin={focus(true)} onfocusout={focus(false)}>
                <div class="toast-list" ref={parts.list.clone()}>
                { for toasts.visible().iter().map(|toast| {
                    let id = toast.id;
                    html! {
                        <div class="toast" key={toast.id}>
                            { toast_text(toast.reference.as_deref(), &toast.text) }
                            <button type="button" class="link" id={close_id(id)} aria-label={t.dismiss_notification}
                                onclick={dismiss(id)}>{"×"}</button>
                        </div>
                    }
                }) }
                if extra > 0 {
                    <div class="toast more">
                        <p>{ lang.more(extra) }</p>
                        <button type="button" class="link" onclick={dismiss_all.clone()}>{t.dismiss_all}</button>
                    </div>
                }
                </div>
                // The stack folded into one line where there is no room for it whole (always
                // there, to be measured; hidden while unfolded).
                <div class="toast summary" ref={parts.summary.clone()}>
                    if total > 0 {
                        <p>{ lang.new_notifications(total) }</p>
                        <button type="button" class="link" onclick={dismiss_all}>{t.dismiss_all}</button>
                    }
                </div>
            </aside>
        </>
    }
}

/// Whether this browser has desktop notifications at all. `Notification` is missing in
/// insecure contexts, in some embedded and mobile browsers, and where policies remove it;
/// touching `Notification.permission` there throws, so every use is behind this check.
fn desktop_supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &"Notification".into()).is_ok_and(|n| n.is_function())
    })
}

/// The permission, or `None` where desktop notifications do not exist.
fn desktop_permission() -> Option<web_sys::NotificationPermission> {
    desktop_supported().then(web_sys::Notification::permission)
}

/// Closes the desktop notifications this tab opened for anyone but the user of `current`.
fn close_desktop(
    desktop: &Rc<RefCell<OpenedDesktop<web_sys::Notification>>>,
    current: Option<&str>,
) {
    // Taken out first: closing runs no code of ours, but nothing is borrowed while it does.
    let closing = desktop.borrow_mut().close_all_but(current);
    for n in closing {
        n.close();
    }
}

/// Shows a desktop notification for `batch`, tagged `tag`, when the tab is hidden and the
/// user opted in; returns it so it can be closed later.
fn desktop_notify(
    batch: &[LiveNotification],
    lang: Lang,
    tag: &str,
) -> Option<web_sys::Notification> {
    use web_sys::{Notification as Desktop, NotificationOptions, NotificationPermission};
    let hidden = web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden());
    if !hidden || desktop_permission() != Some(NotificationPermission::Granted) {
        return None;
    }
    let last = batch.last()?;
    let arabic = lang == Lang::Ar;
    let name = lang.t().app_name;
    let title = match batch.len() {
        1 => name.to_owned(),
        n => format!("{name}: {}", lang.new_notifications(n)),
    };
    let body = short_text(last, arabic);
    let options = NotificationOptions::new();
    options.set_body(&body);
    options.set_tag(tag);
    // Can still throw (e.g. Chrome on Android wants a service worker): caught, ignored.
    Desktop::new_with_options(&title, &options).ok()
}

/// "Enable desktop notifications": asks for permission only when clicked.
#[component(DesktopNotificationsToggle)]
pub fn desktop_notifications_toggle() -> Html {
    use web_sys::{Notification as Desktop, NotificationPermission};
    let t = use_lang().t();
    let permission = use_state(desktop_permission);
    let onclick = {
        let permission = permission.clone();
        Callback::from(move |_| {
            if !desktop_supported() {
                return;
            }
            let permission = permission.clone();
            // Old Safari answers through a callback and returns no promise: awaiting that
            // would throw, so only a real promise is awaited.
            match Desktop::request_permission().map(wasm_bindgen::JsValue::from) {
                Ok(p) if p.is_instance_of::<js_sys::Promise>() => {
                    let promise = js_sys::Promise::from(p);
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                        permission.set(desktop_permission());
                    });
                }
                _ => permission.set(desktop_permission()),
            }
        })
    };
    match *permission {
        Some(NotificationPermission::Default) => html! {
            <button type="button" class="link" {onclick}>{t.enable_desktop}</button>
        },
        Some(NotificationPermission::Granted) => {
            html! { <span class="muted">{t.desktop_on}</span> }
        }
        _ => html! {},
    }
}

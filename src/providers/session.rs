use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::use_config;
use crate::services::session::{EndReason, SessionChange, SessionService};
use crate::services::storage::{parse_session, session_key};
use crate::state::connection::backoff_delay_ms;
use crate::state::remote::ApiError;
use crate::state::session::{refresh_wait_ms, timer_ms, Session};

/// Who is signed in, and the service that signs in, refreshes and signs out.
#[derive(Clone, PartialEq)]
pub struct SessionContext {
    /// The session, if signed in.
    pub session: Option<Session>,
    /// Why the last session ended, when the login page should say so.
    pub ended: Option<EndReason>,
    /// Sign-in, refresh, authenticated REST, sign-out.
    pub service: Rc<SessionService>,
    /// Whether the browser keeps the session (false: storage refused, this tab only).
    pub persisted: bool,
}

/// Props of [`SessionProvider`].
#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    /// Everything that may ask who is signed in.
    pub children: Html,
}

#[derive(Clone, PartialEq)]
struct SessionView {
    session: Option<Session>,
    ended: Option<EndReason>,
}

/// Owns the session: restores it from storage, refreshes the access token 30 s before it
/// expires, follows sign-in and sign-out in other tabs.
#[component(SessionProvider)]
pub fn session_provider(props: &SessionProviderProps) -> Html {
    let config = use_config().expect("SessionProvider sits inside ConfigProvider");
    let view = use_state(|| SessionView {
        session: None,
        ended: None,
    });
    let service = {
        let setter = view.setter();
        use_memo((), move |_| {
            let on_change = Callback::from(move |change: SessionChange| {
                setter.set(match change {
                    SessionChange::Active(s) => SessionView {
                        session: Some(s),
                        ended: None,
                    },
                    SessionChange::Ended(reason) => SessionView {
                        session: None,
                        ended: reason,
                    },
                })
            });
            SessionService::new(config, on_change)
        })
    };
    // The stored session, on first render (the memo above has just read it).
    let session = view.session.clone().or_else(|| service.current());

    // Other tabs: a removed key signs this tab out; a new value is adopted.
    {
        let service = (*service).clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "storage", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                        return;
                    };
                    // key None: storage.clear() in another tab.
                    if e.key().is_none_or(|k| k == session_key()) {
                        // Signed out there (or another user in): what this tab's user did and
                        // is not yet sent goes first, with their token (a refresh there, the
                        // same user's new tokens, is not a leaving).
                        let user = |s: &Session| s.user.id;
                        let next = e.new_value().as_deref().and_then(parse_session);
                        if service.current().as_ref().map(user) != next.as_ref().map(user) {
                            crate::services::bulk::leave_all();
                        }
                        service.follow_other_tab(e.new_value());
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Refresh ahead of expiry (reckoned from when the token arrived, so a wrong PC clock
    // changes nothing); never two scheduled refreshes within 5 s; every wait clamped to what
    // a timer can hold. On network failure retry with backoff, never sign out.
    let last_refresh_at = use_mut_ref(|| None::<f64>);
    {
        let service = (*service).clone();
        let access = session.as_ref().map(|s| s.access.clone());
        use_effect_with(access, move |access| {
            let alive = Rc::new(std::cell::Cell::new(true));
            if let (Some(_), Some(due)) = (
                access,
                service.current().and_then(|s| s.refresh_due_at_ms()),
            ) {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let wait = refresh_wait_ms(due, js_sys::Date::now(), *last_refresh_at.borrow());
                    gloo_timers::future::TimeoutFuture::new(wait).await;
                    let mut attempt = 0;
                    while alive.get() {
                        *last_refresh_at.borrow_mut() = Some(js_sys::Date::now());
                        match service.refresh().await {
                            Ok(_) | Err(ApiError::SessionExpired) => break,
                            Err(_) => {
                                let ms =
                                    backoff_delay_ms(attempt, 0.0, fastrand::f64()).max(1_000.0);
                                attempt += 1;
                                gloo_timers::future::TimeoutFuture::new(timer_ms(ms)).await;
                            }
                        }
                    }
                });
            }
            move || alive.set(false)
        });
    }

    // Every session write is followed by a session change, which renders this again.
    let context = SessionContext {
        session,
        ended: view.ended,
        service: (*service).clone(),
        persisted: crate::services::storage::persistent(),
    };
    html! {
        <ContextProvider<SessionContext> {context}>
            { props.children.clone() }
        </ContextProvider<SessionContext>>
    }
}

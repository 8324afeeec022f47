use gloo_events::EventListener;
use yew::prelude::*;

use crate::hooks::{use_config, use_session};
use crate::services::socket::{Misrouted, SocketService, SocketSnapshot};
use crate::state::connection::Status;
use crate::state::remote::ApiError;
use crate::state::tabs::SocketRole;

/// The tab's socket: its status, and the service to send and subscribe. Changes only when
/// the status does (the frame counters, which change during every burst, are apart in
/// [`FrameCounts`], so the providers that subscribe here are not re-rendered by them).
#[derive(Clone, PartialEq)]
pub struct SocketContext {
    /// Connection status.
    pub status: Status,
    /// When the next attempt starts, while waiting (ms since the epoch).
    pub retry_at: Option<f64>,
    /// Whether this tab holds the socket (shared with the user's other tabs) or follows.
    pub role: SocketRole,
    /// Send, subscribe, retry.
    pub service: SocketService,
}

/// Frames counted on this session's sockets (published at most four times a second).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameCounts {
    /// Frames received.
    pub received: u64,
    /// Frames skipped: not JSON, no type, missing a needed field, too large, binary.
    pub skipped: u64,
    /// Frames of a type this client does not know.
    pub unknown: u64,
}

/// Props of [`SocketProvider`].
#[derive(Properties, PartialEq)]
pub struct SocketProviderProps {
    /// Everything that may subscribe to live frames.
    pub children: Html,
}

/// Owns the one notification socket of the session: opened when a session exists, closed
/// (1000) when it ends, kept alive through every fault in between. Components never open
/// sockets; they subscribe here through `use_socket`.
#[component(SocketProvider)]
pub fn socket_provider(props: &SocketProviderProps) -> Html {
    let config = use_config().expect("SocketProvider sits inside ConfigProvider");
    let session = use_session();
    let snapshot = use_state(SocketSnapshot::default);
    let service = {
        let setter = snapshot.setter();
        let session_service = session.service.clone();
        use_memo((), move |_| {
            let on_refresh = {
                let session_service = session_service.clone();
                Callback::from(move |socket: SocketService| {
                    let session_service = session_service.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match session_service.refresh().await {
                            Ok(session) => socket.refreshed(session),
                            // The session ended: the provider's effect stops the socket. If one
                            // is current again (signed in anew meanwhile), the machine must not
                            // wait for this refresh's deadline.
                            Err(ApiError::SessionExpired) => {
                                if session_service.current().is_some() {
                                    socket.refresh_failed();
                                }
                            }
                            Err(_) => socket.refresh_failed(),
                        }
                    });
                })
            };
            // The server says this socket is someone else's: the tab that saw it signs out
            // (once, whatever the number of tabs); the others only end their session.
            let on_wrong_user = {
                let session_service = session_service.clone();
                Callback::from(move |seen: Misrouted| match seen {
                    Misrouted::Here => session_service.logout(),
                    Misrouted::InAnotherTab => session_service.end(None),
                })
            };
            SocketService::new(
                config,
                Callback::from(move |s| setter.set(s)),
                on_refresh,
                on_wrong_user,
            )
        })
    };

    {
        let service = (*service).clone();
        use_effect_with(session.session.clone(), move |session| match session {
            Some(s) => service.start(s.clone()),
            None => service.stop(),
        });
    }

    {
        let socket = (*service).clone();
        let session_service = session.service.clone();
        use_effect_with((), move |_| {
            // Back from the back/forward cache or a freeze: storage first (another user may
            // have signed in meanwhile), then the socket, with the session storage holds.
            let back = move |socket: &SocketService| {
                session_service.resync();
                socket.resume(session_service.current());
            };
            let listeners = web_sys::window().map(|window| {
                let mut listeners = vec![
                    listen(&window, "online", &socket, SocketService::online),
                    listen(&window, "offline", &socket, SocketService::offline),
                    // Page lifecycle: a frozen or leaving page hands the shared socket over.
                    listen(&window, "pagehide", &socket, SocketService::suspend),
                    listen(&window, "pageshow", &socket, back.clone()),
                ];
                if let Some(document) = window.document() {
                    let shown = document.clone();
                    listeners.extend([
                        listen(&document, "freeze", &socket, SocketService::suspend),
                        listen(&document, "resume", &socket, back),
                        listen(&document, "visibilitychange", &socket, move |socket| {
                            if shown.visibility_state() == web_sys::VisibilityState::Visible {
                                socket.visible();
                            }
                        }),
                    ]);
                }
                listeners
            });
            move || drop(listeners)
        });
    }

    let context = SocketContext {
        status: snapshot.status,
        retry_at: snapshot.retry_at,
        role: snapshot.role,
        service: (*service).clone(),
    };
    let counts = FrameCounts {
        received: snapshot.received,
        skipped: snapshot.skipped,
        unknown: snapshot.unknown,
    };
    html! {
        <ContextProvider<SocketContext> {context}>
            <ContextProvider<FrameCounts> context={counts}>
                { props.children.clone() }
            </ContextProvider<FrameCounts>>
        </ContextProvider<SocketContext>>
    }
}

/// Calls `act` with the socket on every `event` of `target`, until dropped.
fn listen(
    target: &web_sys::EventTarget,
    event: &'static str,
    socket: &SocketService,
    act: impl Fn(&SocketService) + 'static,
) -> EventListener {
    let socket = socket.clone();
    EventListener::new(target, event, move |_| act(&socket))
}

//! The socket service: executes the connection state machine's commands against a real
//! `WebSocket`, decodes every frame once and hands it to the subscribers of its kind.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::config::RuntimeConfig;
use crate::protocol::{decode_frame, FrameKind, ServerFrame};
use crate::state::connection::{Command, Connection, Context, Event, Status};
use crate::state::session::{timer_ms, Session, NEAR_EXPIRY_MS};

/// What the UI shows of the connection. Counters change often, so they are published at most
/// a few times a second; status changes at once.
#[derive(Clone, Debug, PartialEq)]
pub struct SocketSnapshot {
    /// Connection status.
    pub status: Status,
    /// When the next attempt starts, while waiting (ms since the epoch).
    pub retry_at: Option<f64>,
    /// Frames received on this session's sockets.
    pub received: u64,
    /// Frames skipped: not JSON, no type, missing a needed field, too large, binary.
    pub skipped: u64,
    /// Frames of a type this client does not know.
    pub unknown: u64,
}

impl Default for SocketSnapshot {
    fn default() -> Self {
        Self {
            status: Status::Disconnected,
            retry_at: None,
            received: 0,
            skipped: 0,
            unknown: 0,
        }
    }
}

struct Subscriber {
    id: u64,
    kinds: Vec<FrameKind>,
    callback: Callback<Rc<ServerFrame>>,
}

struct ActiveSocket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(web_sys::Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl ActiveSocket {
    /// Detaches our handlers (late events of this socket must not run dropped closures), then
    /// closes it.
    fn close(self, code: u16) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(code);
    }
}

/// The driver behind [`SocketService`].
pub struct SocketDriver {
    config: Rc<RuntimeConfig>,
    connection: Connection,
    session: Option<Session>,
    /// The access token's expiry, decoded once per token (not per frame).
    access_expires_at: Option<f64>,
    socket: Option<ActiveSocket>,
    wake: Option<Timeout>,
    stats_flush: Option<Timeout>,
    subscribers: Vec<Subscriber>,
    next_subscriber: u64,
    snapshot: SocketSnapshot,
    published: SocketSnapshot,
    on_snapshot: Callback<SocketSnapshot>,
    on_refresh: Callback<()>,
    on_wrong_user: Callback<()>,
    me: Weak<RefCell<SocketDriver>>,
}

/// Work to do after the driver is released (callbacks may re-enter it).
#[derive(Default)]
struct Outputs {
    snapshot: Option<(Callback<SocketSnapshot>, SocketSnapshot)>,
    refresh: Option<Callback<()>>,
    wrong_user: Option<Callback<()>>,
    frames: Vec<(Callback<Rc<ServerFrame>>, Rc<ServerFrame>)>,
}

impl Outputs {
    fn emit(self) {
        if let Some((cb, s)) = self.snapshot {
            cb.emit(s);
        }
        for (cb, frame) in self.frames {
            cb.emit(frame);
        }
        if let Some(cb) = self.refresh {
            cb.emit(());
        }
        if let Some(cb) = self.wrong_user {
            cb.emit(());
        }
    }
}

/// Handle to the tab's one socket. Cheap to clone; equal when it is the same service.
#[derive(Clone)]
pub struct SocketService(Rc<RefCell<SocketDriver>>);

impl PartialEq for SocketService {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Keeps a subscription alive; dropping it unsubscribes.
pub struct Subscription {
    id: u64,
    driver: Weak<RefCell<SocketDriver>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(d) = self.driver.upgrade() {
            if let Ok(mut d) = d.try_borrow_mut() {
                d.subscribers.retain(|s| s.id != self.id);
            }
        }
    }
}

fn browser_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

impl SocketService {
    /// A stopped service. `on_snapshot` receives what the UI shows; `on_refresh` is asked for
    /// a new token and must answer with [`SocketService::refreshed`] or
    /// [`SocketService::refresh_failed`]. `on_wrong_user` is told when the server says the
    /// socket belongs to another user than the session's (the socket is already closed then,
    /// and none of its frames reach a subscriber).
    pub fn new(
        config: Rc<RuntimeConfig>,
        on_snapshot: Callback<SocketSnapshot>,
        on_refresh: Callback<()>,
        on_wrong_user: Callback<()>,
    ) -> Self {
        let driver = Rc::new_cyclic(|me| {
            RefCell::new(SocketDriver {
                config,
                connection: Connection::new(browser_online()),
                session: None,
                access_expires_at: None,
                socket: None,
                wake: None,
                stats_flush: None,
                subscribers: Vec::new(),
                next_subscriber: 0,
                snapshot: SocketSnapshot::default(),
                published: SocketSnapshot::default(),
                on_snapshot,
                on_refresh,
                on_wrong_user,
                me: me.clone(),
            })
        });
        Self(driver)
    }

    fn dispatch(&self, event: Event) {
        dispatch(&self.0, event);
    }

    /// The session to connect with (new tokens included); starts the socket if stopped.
    pub fn start(&self, session: Session) {
        let other_user = {
            let d = self.0.borrow();
            d.session
                .as_ref()
                .is_some_and(|s| s.user.id != session.user.id)
        };
        // Another user signed in (in another tab): the old user's socket must not carry on.
        if other_user {
            self.stop();
        }
        self.0.borrow_mut().set_session(Some(session));
        self.dispatch(Event::Start);
    }

    /// Sign-out: close with 1000 and stay closed.
    pub fn stop(&self) {
        self.0.borrow_mut().set_session(None);
        self.dispatch(Event::Stop);
    }

    /// A new token arrived after [`Command::Refresh`].
    pub fn refreshed(&self, session: Session) {
        {
            let mut d = self.0.borrow_mut();
            // A late answer for a stopped socket or another user's session changes nothing.
            if d.session.as_ref().map(|s| s.user.id) != Some(session.user.id) {
                return;
            }
            d.set_session(Some(session));
        }
        self.dispatch(Event::Refreshed);
    }

    /// Refreshing failed for network reasons.
    pub fn refresh_failed(&self) {
        self.dispatch(Event::RefreshFailed);
    }

    /// Skip the wait.
    pub fn retry_now(&self) {
        self.dispatch(Event::RetryNow);
    }

    /// Browser events.
    pub fn online(&self) {
        self.dispatch(Event::Online);
    }
    /// Browser events.
    pub fn offline(&self) {
        self.dispatch(Event::Offline);
    }
    /// Browser events.
    pub fn visible(&self) {
        self.dispatch(Event::Visible);
    }

    /// Calls `callback` with every decoded frame of the given kinds, until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe(
        &self,
        kinds: &[FrameKind],
        callback: Callback<Rc<ServerFrame>>,
    ) -> Subscription {
        let mut d = self.0.borrow_mut();
        d.next_subscriber += 1;
        let id = d.next_subscriber;
        d.subscribers.push(Subscriber {
            id,
            kinds: kinds.to_vec(),
            callback,
        });
        Subscription {
            id,
            driver: Rc::downgrade(&self.0),
        }
    }
}

fn dispatch(driver: &Rc<RefCell<SocketDriver>>, event: Event) {
    let outputs = match driver.try_borrow_mut() {
        Ok(mut d) => d.step(event),
        // Re-entered from a callback: run it right after the current step.
        Err(_) => {
            let weak = Rc::downgrade(driver);
            Timeout::new(0, move || {
                if let Some(d) = weak.upgrade() {
                    dispatch(&d, event);
                }
            })
            .forget();
            return;
        }
    };
    outputs.emit();
}

fn on_message(driver: &Rc<RefCell<SocketDriver>>, generation: u64, event: MessageEvent) {
    let outputs = {
        let Ok(mut d) = driver.try_borrow_mut() else {
            return;
        };
        if generation != d.connection.generation {
            return;
        }
        d.snapshot.received += 1;
        let mut outputs = d.step(Event::Frame { generation });
        match event.data().as_string().map(|t| decode_frame(&t)) {
            // A misrouted socket: never show someone else's events. Stop, and let the session
            // end (the provider signs out).
            Some(Ok(ServerFrame::ConnectionEstablished {
                user_id: Some(server_user),
            })) if d.session.as_ref().is_some_and(|s| s.user.id != server_user) => {
                d.set_session(None);
                let stopped = d.step(Event::Stop);
                outputs.snapshot = stopped.snapshot.or(outputs.snapshot);
                outputs.wrong_user = Some(d.on_wrong_user.clone());
            }
            Some(Ok(frame)) => {
                if frame.kind() == FrameKind::Unknown {
                    d.snapshot.unknown += 1;
                }
                let kind = frame.kind();
                let frame = Rc::new(frame);
                for s in d.subscribers.iter().filter(|s| s.kinds.contains(&kind)) {
                    outputs.frames.push((s.callback.clone(), frame.clone()));
                }
            }
            // Not text, or not a frame we can use: counted, skipped, socket stays up.
            _ => d.snapshot.skipped += 1,
        }
        d.schedule_stats_flush();
        outputs
    };
    outputs.emit();
}

impl SocketDriver {
    fn set_session(&mut self, session: Option<Session>) {
        self.access_expires_at = session.as_ref().and_then(Session::access_expires_at_ms);
        self.session = session;
    }

    fn step(&mut self, event: Event) -> Outputs {
        let mut outputs = Outputs::default();
        let mut queue = vec![event];
        while let Some(event) = queue.pop() {
            let now = js_sys::Date::now();
            let ctx = Context {
                now,
                rand01: fastrand::f64(),
                token_near_expiry: self
                    .access_expires_at
                    .is_some_and(|exp| exp - now <= NEAR_EXPIRY_MS),
                token_expired: self.access_expires_at.is_some_and(|exp| exp <= now),
            };
            for command in self.connection.handle(event, ctx) {
                match command {
                    Command::Open { generation } => {
                        if let Err(()) = self.open(generation) {
                            queue.push(Event::Closed {
                                generation,
                                code: 1006,
                            });
                        }
                    }
                    Command::Close { code } => {
                        if let Some(s) = self.socket.take() {
                            s.close(code);
                        }
                    }
                    Command::SendPing => self.ping(),
                    Command::Refresh => outputs.refresh = Some(self.on_refresh.clone()),
                    Command::WakeAt(at) => self.wake_at(at, now),
                }
            }
        }
        self.snapshot.status = self.connection.status();
        self.snapshot.retry_at = self.connection.retry_at();
        if self.snapshot.status != self.published.status
            || self.snapshot.retry_at != self.published.retry_at
        {
            self.published = self.snapshot.clone();
            outputs.snapshot = Some((self.on_snapshot.clone(), self.snapshot.clone()));
        }
        outputs
    }

    fn open(&mut self, generation: u64) -> Result<(), ()> {
        if let Some(old) = self.socket.take() {
            old.close(1000);
        }
        let token = self.session.as_ref().map(|s| s.access.clone()).ok_or(())?;
        // The URL holds the token: it is never logged or shown.
        let ws = WebSocket::new(&self.config.socket_url(&token)).map_err(|_| ())?;
        ws.set_binary_type(web_sys::BinaryType::Arraybuffer);
        let me = self.me.clone();
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(d) = me.upgrade() {
                dispatch(&d, Event::Opened { generation });
            }
        });
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(d) = me.upgrade() {
                on_message(&d, generation, e);
            }
        });
        let me = self.me.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            if let Some(d) = me.upgrade() {
                dispatch(
                    &d,
                    Event::Closed {
                        generation,
                        code: e.code(),
                    },
                );
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.socket = Some(ActiveSocket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
        Ok(())
    }

    fn ping(&self) {
        if let Some(s) = &self.socket {
            let timestamp = js_sys::Date::new_0().to_iso_string();
            let frame = crate::protocol::frames::ping_frame(&String::from(timestamp));
            let _ = s.ws.send_with_str(&frame);
        }
    }

    fn wake_at(&mut self, at: f64, now: f64) {
        // Clamped to what setTimeout accepts: a longer delay would fire at once.
        let delay = timer_ms(at - now);
        let me = self.me.clone();
        self.wake = Some(Timeout::new(delay, move || {
            if let Some(d) = me.upgrade() {
                dispatch(&d, Event::Tick);
            }
        }));
    }

    fn schedule_stats_flush(&mut self) {
        if self.stats_flush.is_some() {
            return;
        }
        let me = self.me.clone();
        self.stats_flush = Some(Timeout::new(250, move || {
            let Some(d) = me.upgrade() else { return };
            let out = {
                let Ok(mut d) = d.try_borrow_mut() else {
                    return;
                };
                d.stats_flush = None;
                d.published = d.snapshot.clone();
                (d.on_snapshot.clone(), d.snapshot.clone())
            };
            out.0.emit(out.1);
        }));
    }
}

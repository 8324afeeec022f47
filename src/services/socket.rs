//! The socket service: carries out the commands of two pure machines, the connection's
//! (`state/connection.rs`: against a real `WebSocket`) and the tab share's (`state/tabs.rs`:
//! the lock, the channel, their timers), decodes every frame once and hands it to the
//! subscribers of its kind.
//!
//! One socket per browser and user: the tabs of a user share it ([`crate::services::tabs`]).
//! The tab holding it (the leader) forwards its frames while another tab may be listening (a
//! lone leader keeps them: the presence check says when) and every status change; the others
//! (followers) feed them to the same subscribers, so every tab shows the same thing. Where the
//! browser cannot share, each tab keeps its own socket.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::config::RuntimeConfig;
use crate::protocol::rest::Change;
use crate::protocol::{decode_frame, FrameKind, ServerFrame};
use crate::services::tabs::TabShare;
use crate::state::connection::{Command, Connection, ConnectionEvent, Context, Status};
use crate::state::session::{timer_ms, Session, NEAR_EXPIRY_MS};
pub use crate::state::tabs::Misrouted;
use crate::state::tabs::{share_name, Sharing, SocketRole, TabCommand, TabEvent, TabMessage};

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
    /// Whether this tab holds the socket.
    pub role: SocketRole,
}

impl Default for SocketSnapshot {
    fn default() -> Self {
        Self {
            status: Status::Disconnected,
            retry_at: None,
            received: 0,
            skipped: 0,
            unknown: 0,
            role: SocketRole::Own,
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
    /// Which tab holds the socket, and what the tabs tell each other.
    sharing: Sharing,
    session: Option<Session>,
    /// The access token's expiry, decoded once per token (not per frame).
    access_expires_at: Option<f64>,
    socket: Option<ActiveSocket>,
    wake: Option<Timeout>,
    stats_flush: Option<Timeout>,
    subscribers: Subscribers,
    /// This tab's membership of the user's share, while in it.
    share: Option<Membership>,
    snapshot: SocketSnapshot,
    published: SocketSnapshot,
    callbacks: Callbacks,
    me: Weak<RefCell<SocketDriver>>,
}

/// Who hears from the socket: frame subscribers by kind, and the changes other tabs report.
#[derive(Default)]
struct Subscribers {
    frames: Vec<Subscriber>,
    changes: Vec<(u64, Callback<Change>)>,
    last_id: u64,
}

impl Subscribers {
    fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }
}

/// What the service tells its owner.
struct Callbacks {
    on_snapshot: Callback<SocketSnapshot>,
    on_refresh: Callback<SocketService>,
    on_wrong_user: Callback<Misrouted>,
}

/// This tab's place in the share and the timers that only live while it is in it.
struct Membership {
    share: TabShare,
    /// A follower's reminder to the leader, when the leader's announced retry time passes.
    nudge: Option<Timeout>,
    /// The leader's periodic presence check.
    presence: Option<Interval>,
}

/// Work to do after the driver is released (callbacks may re-enter it).
#[derive(Default)]
struct Outputs {
    snapshot: Option<(Callback<SocketSnapshot>, SocketSnapshot)>,
    refresh: Option<(Callback<SocketService>, SocketService)>,
    wrong_user: Option<(Callback<Misrouted>, Misrouted)>,
    frames: Vec<(Callback<Rc<ServerFrame>>, Rc<ServerFrame>)>,
    changes: Vec<(Callback<Change>, Change)>,
}

impl Outputs {
    /// Adds what a later step produced (its snapshot, the newer, replaces this one's).
    fn absorb(&mut self, later: Outputs) {
        if later.snapshot.is_some() {
            self.snapshot = later.snapshot;
        }
        if later.refresh.is_some() {
            self.refresh = later.refresh;
        }
        if later.wrong_user.is_some() {
            self.wrong_user = later.wrong_user;
        }
        self.frames.extend(later.frames);
        self.changes.extend(later.changes);
    }

    fn emit(self) {
        if let Some((cb, s)) = self.snapshot {
            cb.emit(s);
        }
        for (cb, frame) in self.frames {
            cb.emit(frame);
        }
        for (cb, change) in self.changes {
            cb.emit(change);
        }
        if let Some((cb, service)) = self.refresh {
            cb.emit(service);
        }
        if let Some((cb, where_seen)) = self.wrong_user {
            cb.emit(where_seen);
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
                d.subscribers.frames.retain(|s| s.id != self.id);
                d.subscribers.changes.retain(|(id, _)| *id != self.id);
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
    /// a new token and must answer on the service it is given, with
    /// [`SocketService::refreshed`] or [`SocketService::refresh_failed`]. `on_wrong_user` is told when the server says the
    /// socket belongs to another user than the session's (the socket is already closed then,
    /// and none of its frames reach a subscriber).
    pub fn new(
        config: Rc<RuntimeConfig>,
        on_snapshot: Callback<SocketSnapshot>,
        on_refresh: Callback<SocketService>,
        on_wrong_user: Callback<Misrouted>,
    ) -> Self {
        let driver = Rc::new_cyclic(|me| {
            RefCell::new(SocketDriver {
                config,
                connection: Connection::new(browser_online()),
                sharing: Sharing::default(),
                session: None,
                access_expires_at: None,
                socket: None,
                wake: None,
                stats_flush: None,
                subscribers: Subscribers::default(),
                share: None,
                snapshot: SocketSnapshot::default(),
                published: SocketSnapshot::default(),
                callbacks: Callbacks {
                    on_snapshot,
                    on_refresh,
                    on_wrong_user,
                },
                me: me.clone(),
            })
        });
        Self(driver)
    }

    fn dispatch(&self, event: ConnectionEvent) {
        dispatch(&self.0, event);
    }

    fn share_event(&self, event: TabEvent) {
        run(&self.0, move |d| d.share_step(event, None));
    }

    /// The session to connect with (new tokens included); starts the socket if stopped.
    /// Another user's session first stops the old user's socket.
    pub fn start(&self, session: Session) {
        let user = session.user.id;
        run(&self.0, move |d| {
            d.share_step(TabEvent::Start { user }, Some(session))
        });
    }

    /// Sign-out: close with 1000 and stay closed (and out of the share).
    pub fn stop(&self) {
        self.share_event(TabEvent::Stop);
    }

    /// The page is frozen, or hidden and maybe leaving (`freeze`, `pagehide`): a leader closes
    /// its socket and lets another tab take over; a follower leaves the queue.
    pub fn suspend(&self) {
        self.share_event(TabEvent::Suspend);
    }

    /// The page is back (`resume`, `pageshow`): it rejoins the share with `session`, the one
    /// storage holds now (read again by the caller: a page restored from the back/forward
    /// cache got no `storage` events, and its old session may be another user's by now).
    pub fn resume(&self, session: Option<Session>) {
        let user = session.as_ref().map(|s| s.user.id);
        run(&self.0, move |d| {
            d.share_step(TabEvent::Resume { user }, session)
        });
    }

    /// Tells this user's other tabs that the server accepted `change` (they apply it too).
    pub fn tell_tabs(&self, change: Change) {
        self.0.borrow().post(&TabMessage::Changed(change));
    }

    /// Calls `callback` with every change another tab reports, until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe_changes(&self, callback: Callback<Change>) -> Subscription {
        let mut d = self.0.borrow_mut();
        let id = d.subscribers.next_id();
        d.subscribers.changes.push((id, callback));
        Subscription {
            id,
            driver: Rc::downgrade(&self.0),
        }
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
        self.dispatch(ConnectionEvent::Refreshed);
    }

    /// Refreshing failed for network reasons.
    pub fn refresh_failed(&self) {
        self.dispatch(ConnectionEvent::RefreshFailed);
    }

    /// Skip the wait (in a follower: ask the leader to).
    pub fn retry_now(&self) {
        self.share_event(TabEvent::RetryNow);
    }

    /// Browser events.
    pub fn online(&self) {
        self.dispatch(ConnectionEvent::Online);
    }
    /// Browser events.
    pub fn offline(&self) {
        self.dispatch(ConnectionEvent::Offline);
    }
    /// Browser events (a follower passes it on: the leader's page may be hidden).
    pub fn visible(&self) {
        self.share_event(TabEvent::Visible);
    }

    /// Calls `callback` with every decoded frame of the given kinds, until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe(
        &self,
        kinds: &[FrameKind],
        callback: Callback<Rc<ServerFrame>>,
    ) -> Subscription {
        let mut d = self.0.borrow_mut();
        let id = d.subscribers.next_id();
        d.subscribers.frames.push(Subscriber {
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

fn dispatch(driver: &Rc<RefCell<SocketDriver>>, event: ConnectionEvent) {
    run(driver, move |d| d.step(event));
}

/// Runs `f` on the driver, then emits what it produced with the driver released (callbacks
/// may re-enter it). Re-entered from a callback, `f` runs right after the current step.
fn run(driver: &Rc<RefCell<SocketDriver>>, f: impl FnOnce(&mut SocketDriver) -> Outputs + 'static) {
    // One body for every caller (a generic one is copied into each call site's closure type).
    run_boxed(driver, Box::new(f));
}

type Work = Box<dyn FnOnce(&mut SocketDriver) -> Outputs>;

fn run_boxed(driver: &Rc<RefCell<SocketDriver>>, f: Work) {
    let outputs = match driver.try_borrow_mut() {
        Ok(mut d) => f(&mut d),
        Err(_) => {
            // A microtask: after the current step has released the driver. (Not a forgotten
            // timer: its closure would outlive the call.)
            let weak = Rc::downgrade(driver);
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(d) = weak.upgrade() {
                    run_boxed(&d, f);
                }
            });
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
        let mut outputs = d.step(ConnectionEvent::Frame { generation });
        let text = event.data().as_string();
        d.route(text, &mut outputs);
        outputs
    };
    outputs.emit();
}

impl SocketDriver {
    fn set_session(&mut self, session: Option<Session>) {
        self.access_expires_at = session.as_ref().and_then(Session::access_expires_at_ms);
        self.session = session;
    }

    /// Feeds `event` to the share's machine and carries out its commands (and those of the
    /// events they report back). `incoming` is the session that came with the event.
    fn share_step(&mut self, event: TabEvent, mut incoming: Option<Session>) -> Outputs {
        let mut outputs = Outputs::default();
        let mut queue = std::collections::VecDeque::from([event]);
        while let Some(event) = queue.pop_front() {
            for command in self.sharing.handle(event) {
                match command {
                    TabCommand::TakeSession => {
                        if let Some(session) = incoming.take() {
                            self.set_session(Some(session));
                        }
                    }
                    TabCommand::EndSession => self.set_session(None),
                    TabCommand::Join { user } => queue.push_back(match self.join(user) {
                        Some(share) => {
                            self.share = Some(Membership {
                                share,
                                nudge: None,
                                presence: None,
                            });
                            TabEvent::Joined
                        }
                        None => TabEvent::CannotShare,
                    }),
                    TabCommand::Leave => self.share = None,
                    TabCommand::Post(message) => self.post(&message),
                    TabCommand::PostStatus => self.post(&TabMessage::Status {
                        status: self.connection.status(),
                        retry_at: self.connection.retry_at(),
                    }),
                    TabCommand::Connection(event) => outputs.absorb(self.step(event)),
                    TabCommand::Publish => outputs.absorb(self.publish()),
                    TabCommand::Route(text) => self.route(Some(text), &mut outputs),
                    TabCommand::DeliverConnected => self.deliver(
                        Rc::new(ServerFrame::ConnectionEstablished { user_id: None }),
                        &mut outputs,
                    ),
                    TabCommand::Changed(change) => {
                        for (_, cb) in &self.subscribers.changes {
                            outputs.changes.push((cb.clone(), change));
                        }
                    }
                    TabCommand::NudgeAt(at) => {
                        let nudge = self.share_event_at(at, TabEvent::NudgeDue);
                        if let Some(m) = &mut self.share {
                            m.nudge = Some(nudge);
                        }
                    }
                    TabCommand::CancelNudge => {
                        if let Some(m) = &mut self.share {
                            m.nudge = None;
                        }
                    }
                    TabCommand::CheckPresence { hellos } => self.check_presence(hellos),
                    TabCommand::CheckPresenceEvery(ms) => {
                        let me = self.me.clone();
                        let checks = Interval::new(ms, move || {
                            if let Some(d) = me.upgrade() {
                                run(&d, |d| d.share_step(TabEvent::PresenceDue, None));
                            }
                        });
                        if let Some(m) = &mut self.share {
                            m.presence = Some(checks);
                        }
                    }
                    TabCommand::StopPresenceChecks => {
                        if let Some(m) = &mut self.share {
                            m.presence = None;
                        }
                    }
                    TabCommand::Report(seen) => {
                        outputs.wrong_user = Some((self.callbacks.on_wrong_user.clone(), seen));
                    }
                }
            }
        }
        outputs
    }

    /// Joins `user`'s share (`None` where the browser cannot share). The share's callbacks
    /// report to the machine.
    fn join(&self, user: i64) -> Option<TabShare> {
        let name = share_name(self.config.ws_url.as_str(), user);
        let report = |event: fn() -> TabEvent| {
            let me = self.me.clone();
            Callback::from(move |()| {
                if let Some(d) = me.upgrade() {
                    run(&d, move |d| d.share_step(event(), None));
                }
            })
        };
        let me = self.me.clone();
        let on_message = Callback::from(move |message: TabMessage| {
            if let Some(d) = me.upgrade() {
                run(&d, move |d| d.share_step(TabEvent::Message(message), None));
            }
        });
        TabShare::join(
            &name,
            report(|| TabEvent::Elected),
            on_message,
            report(|| TabEvent::Refused),
        )
    }

    /// A timer reporting `event` to the share's machine at `at` (ms since the epoch).
    fn share_event_at(&self, at: f64, event: TabEvent) -> Timeout {
        let me = self.me.clone();
        Timeout::new(timer_ms(at - js_sys::Date::now()), move || {
            if let Some(d) = me.upgrade() {
                run(&d, move |d| d.share_step(event, None));
            }
        })
    }

    /// Asks the browser whether another tab waits in the share, and tells the machine.
    fn check_presence(&self, hellos: u64) {
        let Some(m) = &self.share else { return };
        let waiting = m.share.others_waiting();
        let me = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let waiting = waiting.await;
            if let Some(d) = me.upgrade() {
                run(&d, move |d| {
                    d.share_step(TabEvent::Presence { hellos, waiting }, None)
                });
            }
        });
    }

    /// Tells every other tab of the share, if in one.
    fn post(&self, message: &TabMessage) {
        if let Some(m) = &self.share {
            m.share.post(message);
        }
    }

    /// A snapshot for the UI when something it shows changed (and, from the leader, the
    /// status for the other tabs).
    fn publish(&mut self) -> Outputs {
        let mut outputs = Outputs::default();
        // A follower shows the leader's connection, not its own idle machine.
        let (status, retry_at) = self
            .sharing
            .status_shown()
            .unwrap_or((self.connection.status(), self.connection.retry_at()));
        self.snapshot.status = status;
        self.snapshot.retry_at = retry_at;
        self.snapshot.role = self.sharing.role();
        if self.snapshot.status != self.published.status
            || self.snapshot.retry_at != self.published.retry_at
            || self.snapshot.role != self.published.role
        {
            if let Some(message) = self.sharing.announce(status, retry_at) {
                self.post(&message);
            }
            crate::services::diagnostics::published(self.snapshot.role, status);
            self.published = self.snapshot.clone();
            outputs.snapshot = Some((self.callbacks.on_snapshot.clone(), self.snapshot.clone()));
        }
        outputs
    }

    /// One text frame (from this tab's socket, or forwarded by the leader's) to the
    /// subscribers of its kind; a leader forwards it to the other tabs first.
    fn route(&mut self, text: Option<String>, outputs: &mut Outputs) {
        self.snapshot.received += 1;
        let frame = text.as_deref().map(decode_frame);
        // A misrouted socket: never show (nor forward) someone else's events. Stop, and let
        // the session end: this tab signs out, once; the other tabs are told to end theirs.
        if let Some(Ok(ServerFrame::ConnectionEstablished {
            user_id: Some(server_user),
        })) = &frame
        {
            let stopped = self.share_step(TabEvent::SocketUser(*server_user), None);
            if stopped.wrong_user.is_some() {
                outputs.absorb(stopped);
                return;
            }
        }
        if let Some(message) = text.and_then(|text| self.sharing.forward(text)) {
            self.post(&message);
        }
        match frame {
            Some(Ok(frame)) => {
                if frame.kind() == FrameKind::Unknown {
                    self.snapshot.unknown += 1;
                }
                self.deliver(Rc::new(frame), outputs);
            }
            // Not text, or not a frame we can use: counted, skipped, socket stays up.
            _ => self.snapshot.skipped += 1,
        }
        self.schedule_stats_flush();
    }

    /// Hands `frame` to the subscribers of its kind.
    fn deliver(&self, frame: Rc<ServerFrame>, outputs: &mut Outputs) {
        let kind = frame.kind();
        for s in self
            .subscribers
            .frames
            .iter()
            .filter(|s| s.kinds.contains(&kind))
        {
            outputs.frames.push((s.callback.clone(), frame.clone()));
        }
    }

    fn step(&mut self, event: ConnectionEvent) -> Outputs {
        let mut outputs = Outputs::default();
        let mut queue = vec![event];
        while let Some(event) = queue.pop() {
            crate::services::diagnostics::socket_event(&event);
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
                crate::services::diagnostics::socket_command(&command);
                match command {
                    Command::Open { generation } => {
                        if let Err(()) = self.open(generation) {
                            queue.push(ConnectionEvent::Closed {
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
                    Command::Refresh => {
                        outputs.refresh = self.me.upgrade().map(|driver| {
                            (self.callbacks.on_refresh.clone(), SocketService(driver))
                        });
                    }
                    Command::WakeAt(at) => self.wake_at(at, now),
                }
            }
        }
        let published = self.publish();
        outputs.snapshot = published.snapshot;
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
                dispatch(&d, ConnectionEvent::Opened { generation });
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
                    ConnectionEvent::Closed {
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
                dispatch(&d, ConnectionEvent::Tick);
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
                (d.callbacks.on_snapshot.clone(), d.snapshot.clone())
            };
            out.0.emit(out.1);
        }));
    }
}

//! The socket service: executes the connection state machine's commands against a real
//! `WebSocket`, decodes every frame once and hands it to the subscribers of its kind.
//!
//! One socket per browser and user: the tabs of a user share it ([`crate::services::tabs`]).
//! The tab holding it (the leader) forwards its frames (while another tab is in the share)
//! and every status change; the others (followers) feed them to the same subscribers, so every
//! tab shows the same thing. Where the
//! browser cannot share, each tab keeps its own socket.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::config::RuntimeConfig;
use crate::protocol::rest::Change;
use crate::protocol::{decode_frame, FrameKind, ServerFrame};
use crate::services::tabs::TabShare;
use crate::state::connection::{Command, Connection, Context, Event, Status};
use crate::state::session::{timer_ms, Session, NEAR_EXPIRY_MS};
use crate::state::tabs::{share_name, SocketRole, TabMessage};

/// How often a leader asks the browser whether any other tab still shares its socket.
const PRESENCE_CHECK_MS: u32 = 15_000;

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
    session: Option<Session>,
    /// The access token's expiry, decoded once per token (not per frame).
    access_expires_at: Option<f64>,
    socket: Option<ActiveSocket>,
    wake: Option<Timeout>,
    stats_flush: Option<Timeout>,
    subscribers: Vec<Subscriber>,
    change_subscribers: Vec<(u64, Callback<Change>)>,
    next_subscriber: u64,
    /// This tab's membership of the user's share, while signed in (and the browser can).
    share: Option<TabShare>,
    role: SocketRole,
    /// The page is frozen or hidden for good: out of the share until it comes back.
    suspended: bool,
    /// A follower has heard the leader's status since it joined.
    heard_leader: bool,
    /// A follower's reminder to the leader, when the leader's announced retry time passes.
    nudge: Option<Timeout>,
    /// A leader forwards frames only while another tab is in the share.
    followers: bool,
    /// Bumped by every hello: a presence check started before it does not clear `followers`.
    hellos: u64,
    /// The leader's periodic presence check (a follower that crashed says no goodbye).
    presence: Option<gloo_timers::callback::Interval>,
    /// The browser refused the share's lock: this page keeps its own socket.
    share_refused: bool,
    snapshot: SocketSnapshot,
    published: SocketSnapshot,
    on_snapshot: Callback<SocketSnapshot>,
    on_refresh: Callback<()>,
    on_wrong_user: Callback<Misrouted>,
    me: Weak<RefCell<SocketDriver>>,
}

/// Work to do after the driver is released (callbacks may re-enter it).
#[derive(Default)]
struct Outputs {
    snapshot: Option<(Callback<SocketSnapshot>, SocketSnapshot)>,
    refresh: Option<Callback<()>>,
    wrong_user: Option<(Callback<Misrouted>, Misrouted)>,
    frames: Vec<(Callback<Rc<ServerFrame>>, Rc<ServerFrame>)>,
    changes: Vec<(Callback<Change>, Change)>,
}

impl Outputs {
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
        if let Some(cb) = self.refresh {
            cb.emit(());
        }
        if let Some((cb, where_seen)) = self.wrong_user {
            cb.emit(where_seen);
        }
    }
}

/// Where the server said the socket belongs to another user than the session's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misrouted {
    /// On this tab's socket: this tab signs out (and tells the server).
    Here,
    /// On the socket another tab holds: that tab signs out; this one only ends its session.
    InAnotherTab,
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
                d.change_subscribers.retain(|(id, _)| *id != self.id);
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
        on_wrong_user: Callback<Misrouted>,
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
                change_subscribers: Vec::new(),
                next_subscriber: 0,
                share: None,
                role: SocketRole::Own,
                suspended: false,
                heard_leader: false,
                nudge: None,
                followers: true,
                hellos: 0,
                presence: None,
                share_refused: false,
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
        run(&self.0, move |d| {
            d.set_session(Some(session));
            if d.suspended {
                return Outputs::default();
            }
            d.join_share();
            match d.role {
                // The leader's socket serves this tab; it says how it is doing.
                SocketRole::Follower => d.publish(),
                SocketRole::Own | SocketRole::Leader => d.step(Event::Start),
            }
        });
    }

    /// Sign-out: close with 1000 and stay closed (and out of the share).
    pub fn stop(&self) {
        run(&self.0, |d| {
            d.set_session(None);
            d.suspended = false;
            d.leave_share(Event::Stop)
        });
    }

    /// The page is frozen, or hidden and maybe leaving (`freeze`, `pagehide`): a leader closes
    /// its socket and lets another tab take over; a follower leaves the queue (a frozen tab
    /// granted the lock would hold everyone's socket hostage).
    pub fn suspend(&self) {
        run(&self.0, |d| {
            if d.share.is_none() {
                return Outputs::default();
            }
            d.suspended = true;
            d.leave_share(Event::Stop)
        });
    }

    /// The page is back (`resume`, `pageshow`): it rejoins the share with `session`, the one
    /// storage holds now (read again by the caller: a page restored from the back/forward
    /// cache got no `storage` events, and its old session may be another user's by now).
    pub fn resume(&self, session: Option<Session>) {
        {
            let mut d = self.0.borrow_mut();
            if !d.suspended {
                return;
            }
            d.suspended = false;
        }
        match session {
            Some(session) => self.start(session),
            None => self.stop(),
        }
    }

    /// Tells this user's other tabs that the server accepted `change` (they apply it too).
    pub fn tell_tabs(&self, change: Change) {
        if let Some(share) = &self.0.borrow().share {
            share.post(&TabMessage::Changed(change));
        }
    }

    /// Calls `callback` with every change another tab reports, until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe_changes(&self, callback: Callback<Change>) -> Subscription {
        let mut d = self.0.borrow_mut();
        d.next_subscriber += 1;
        let id = d.next_subscriber;
        d.change_subscribers.push((id, callback));
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
        self.dispatch(Event::Refreshed);
    }

    /// Refreshing failed for network reasons.
    pub fn refresh_failed(&self) {
        self.dispatch(Event::RefreshFailed);
    }

    /// Skip the wait (in a follower: ask the leader to).
    pub fn retry_now(&self) {
        run(&self.0, |d| match (&d.share, d.role) {
            (Some(share), SocketRole::Follower) => {
                share.post(&TabMessage::RetryNow);
                Outputs::default()
            }
            _ => d.step(Event::RetryNow),
        });
    }

    /// Browser events.
    pub fn online(&self) {
        self.dispatch(Event::Online);
    }
    /// Browser events.
    pub fn offline(&self) {
        self.dispatch(Event::Offline);
    }
    /// Browser events (a follower passes it on: the leader's page may be hidden).
    pub fn visible(&self) {
        run(&self.0, |d| match (&d.share, d.role) {
            (Some(share), SocketRole::Follower) => {
                share.post(&TabMessage::Visible);
                Outputs::default()
            }
            _ => d.step(Event::Visible),
        });
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
        let mut outputs = d.step(Event::Frame { generation });
        let text = event.data().as_string();
        d.route(text, &mut outputs);
        outputs
    };
    outputs.emit();
}

/// A message from another tab of the share.
fn on_tab_message(driver: &Rc<RefCell<SocketDriver>>, message: TabMessage) {
    run(driver, move |d| {
        let mut outputs = Outputs::default();
        if d.share.is_none() {
            return outputs;
        }
        match (message, d.role) {
            (TabMessage::Frame(text), SocketRole::Follower) => d.route(Some(text), &mut outputs),
            (TabMessage::Status { status, retry_at }, SocketRole::Follower) => {
                d.snapshot.status = status;
                d.snapshot.retry_at = retry_at;
                d.nudge_at(retry_at);
                outputs = d.publish();
                // Joining a live socket is this tab's connect: its subscribers get what a
                // connect gives (and re-read the history it missed). A socket still on its
                // way sends the real event later.
                if !std::mem::replace(&mut d.heard_leader, true) && status == Status::Connected {
                    d.deliver(
                        Rc::new(ServerFrame::ConnectionEstablished { user_id: None }),
                        &mut outputs,
                    );
                }
            }
            // Whoever held the socket let go: another tab takes it at once.
            (TabMessage::Leaving, SocketRole::Follower) => {
                d.snapshot.status = Status::Connecting;
                d.snapshot.retry_at = None;
                outputs = d.publish();
            }
            (TabMessage::Hello, SocketRole::Leader) => {
                d.followers = true;
                d.hellos += 1;
                d.post_status();
            }
            (TabMessage::Bye, SocketRole::Leader) => d.check_presence(),
            (TabMessage::RetryNow, SocketRole::Leader) => outputs = d.step(Event::RetryNow),
            // Deadline checks: a no-op unless something is due.
            (TabMessage::Wake, SocketRole::Leader) => outputs = d.step(Event::Tick),
            (TabMessage::Visible, SocketRole::Leader) => outputs = d.step(Event::Visible),
            (TabMessage::WrongUser, SocketRole::Follower) => {
                d.set_session(None);
                outputs = d.leave_share(Event::Stop);
                outputs.wrong_user = Some((d.on_wrong_user.clone(), Misrouted::InAnotherTab));
            }
            (TabMessage::Changed(change), _) => {
                for (_, cb) in &d.change_subscribers {
                    outputs.changes.push((cb.clone(), change));
                }
            }
            _ => {}
        }
        outputs
    });
}

impl SocketDriver {
    fn set_session(&mut self, session: Option<Session>) {
        self.access_expires_at = session.as_ref().and_then(Session::access_expires_at_ms);
        self.session = session;
    }

    /// Joins the share of the session's user, unless already in it (or the browser cannot
    /// share: then this tab keeps its own socket).
    fn join_share(&mut self) {
        if self.share.is_some() || self.share_refused {
            return;
        }
        let Some(user) = self.session.as_ref().map(|s| s.user.id) else {
            return;
        };
        let name = share_name(self.config.ws_url.as_str(), user);
        let me = self.me.clone();
        let on_elected = Callback::from(move |()| {
            if let Some(d) = me.upgrade() {
                run(&d, SocketDriver::elected);
            }
        });
        let me = self.me.clone();
        let on_message = Callback::from(move |m: TabMessage| {
            if let Some(d) = me.upgrade() {
                on_tab_message(&d, m);
            }
        });
        let me = self.me.clone();
        let on_refused = Callback::from(move |()| {
            if let Some(d) = me.upgrade() {
                run(&d, SocketDriver::share_refused);
            }
        });
        match TabShare::join(&name, on_elected, on_message, on_refused) {
            Some(share) => {
                // Whoever holds the socket answers with its status.
                share.post(&TabMessage::Hello);
                self.share = Some(share);
                self.role = SocketRole::Follower;
                self.heard_leader = false;
                self.snapshot.status = Status::Connecting;
                self.snapshot.retry_at = None;
            }
            None => self.role = SocketRole::Own,
        }
    }

    /// The browser refused the share's lock (site data blocked: `navigator.locks` rejects with
    /// a `SecurityError`). This tab keeps its own socket, for the rest of the page's life.
    fn share_refused(&mut self) -> Outputs {
        self.share_refused = true;
        if self.share.take().is_none() {
            return Outputs::default();
        }
        self.role = SocketRole::Own;
        self.nudge = None;
        self.presence = None;
        if self.session.is_none() || self.suspended {
            return self.publish();
        }
        self.step(Event::Start)
    }

    /// A follower reminds the leader when its announced retry time has passed (the leader's
    /// own timer may be throttled in a hidden page); a new status replaces the reminder.
    fn nudge_at(&mut self, retry_at: Option<f64>) {
        self.nudge = retry_at.map(|at| {
            let me = self.me.clone();
            // A little after the leader's own timer, which normally wins.
            Timeout::new(timer_ms(at - js_sys::Date::now() + 250.0), move || {
                if let Some(d) = me.upgrade() {
                    if let Ok(d) = d.try_borrow() {
                        if let (Some(share), SocketRole::Follower) = (&d.share, d.role) {
                            share.post(&TabMessage::Wake);
                        }
                    }
                }
            })
        });
    }

    /// This tab now holds the share's lock: it opens the socket.
    fn elected(&mut self) -> Outputs {
        if self.share.is_none() || self.session.is_none() || self.role != SocketRole::Follower {
            return Outputs::default();
        }
        self.role = SocketRole::Leader;
        self.nudge = None;
        // Until the check says otherwise, forward (a follower may have said hello before
        // this tab was elected).
        self.followers = true;
        self.check_presence();
        let me = self.me.clone();
        self.presence = Some(gloo_timers::callback::Interval::new(
            PRESENCE_CHECK_MS,
            move || {
                if let Some(d) = me.upgrade() {
                    if let Ok(mut d) = d.try_borrow_mut() {
                        d.check_presence();
                    }
                }
            },
        ));
        self.step(Event::Start)
    }

    /// Stops the socket with `stop` (sign-out or suspension), then leaves the share: the
    /// socket is closed before the lock goes to the next tab, so the server never sees two.
    fn leave_share(&mut self, stop: Event) -> Outputs {
        let share = self.share.take();
        let was_leader = self.role == SocketRole::Leader;
        let was_follower = self.role == SocketRole::Follower;
        self.role = SocketRole::Own;
        self.nudge = None;
        self.presence = None;
        let outputs = self.step(stop);
        if let Some(share) = share {
            if was_leader {
                share.post(&TabMessage::Leaving);
            } else if was_follower {
                share.post(&TabMessage::Bye);
            }
        }
        outputs
    }

    /// Asks the browser whether another tab waits in the share; a hello that arrives
    /// meanwhile wins over a "no".
    fn check_presence(&mut self) {
        let Some(share) = &self.share else { return };
        let waiting = share.others_waiting();
        let hellos = self.hellos;
        let me = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let waiting = waiting.await;
            if let Some(d) = me.upgrade() {
                if let Ok(mut d) = d.try_borrow_mut() {
                    if d.hellos == hellos && d.role == SocketRole::Leader {
                        d.followers = waiting.unwrap_or(true);
                    }
                }
            }
        });
    }

    fn post_status(&self) {
        if let Some(share) = &self.share {
            share.post(&TabMessage::Status {
                status: self.snapshot.status,
                retry_at: self.snapshot.retry_at,
            });
        }
    }

    /// A snapshot for the UI when something it shows changed (and, from the leader, the
    /// status for the other tabs).
    fn publish(&mut self) -> Outputs {
        let mut outputs = Outputs::default();
        self.snapshot.role = self.role;
        if self.snapshot.status != self.published.status
            || self.snapshot.retry_at != self.published.retry_at
            || self.snapshot.role != self.published.role
        {
            if self.role == SocketRole::Leader {
                self.post_status();
            }
            crate::services::diagnostics::published(self.role, self.snapshot.status);
            self.published = self.snapshot.clone();
            outputs.snapshot = Some((self.on_snapshot.clone(), self.snapshot.clone()));
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
            if self
                .session
                .as_ref()
                .is_some_and(|s| s.user.id != *server_user)
            {
                if let (Some(share), SocketRole::Leader) = (&self.share, self.role) {
                    share.post(&TabMessage::WrongUser);
                }
                self.set_session(None);
                let stopped = self.leave_share(Event::Stop);
                outputs.snapshot = stopped.snapshot.or(outputs.snapshot.take());
                outputs.wrong_user = Some((self.on_wrong_user.clone(), Misrouted::Here));
                return;
            }
        }
        if let (Some(share), Some(text), SocketRole::Leader, true) =
            (&self.share, text, self.role, self.followers)
        {
            share.post(&TabMessage::Frame(text));
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
        for s in self.subscribers.iter().filter(|s| s.kinds.contains(&kind)) {
            outputs.frames.push((s.callback.clone(), frame.clone()));
        }
    }

    fn step(&mut self, event: Event) -> Outputs {
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
        // A follower shows the leader's connection, not its own idle machine.
        if self.role != SocketRole::Follower {
            self.snapshot.status = self.connection.status();
            self.snapshot.retry_at = self.connection.retry_at();
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

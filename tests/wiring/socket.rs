//! The socket driver (`SocketService`) through its public API: against the reference backend
//! for opening, close codes and detaching on stop; against a small JS fake of `WebSocket` for
//! the precisely timed late events of an old socket, which no real server can produce on cue.
//! Those tests run the driver on its own (`navigator.locks` hidden, as in a browser without
//! Web Locks); the last ones share one socket between two services of one user, which stand
//! for two tabs (a `BroadcastChannel` reaches every other channel of its name, in this page too).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use herald::protocol::rest::Change;
use herald::protocol::{FrameKind, ServerFrame};
use herald::services::socket::{SocketService, SocketSnapshot, Subscription};
use herald::state::connection::Status;
use herald::state::session::Session;
use herald::state::tabs::SocketRole;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::Callback;

use crate::support::*;

/// A service and everything it told us.
struct Probe {
    service: SocketService,
    statuses: Rc<RefCell<Vec<Status>>>,
    role: Rc<Cell<SocketRole>>,
    retry_at: Rc<Cell<Option<f64>>>,
    refresh_asks: Rc<Cell<u32>>,
    /// At each ask for a new token, the closes the WebSocket spy had seen (-1 without a spy).
    closes_at_asks: Rc<RefCell<Vec<f64>>>,
    wrong_user: Rc<Cell<u32>>,
    hellos: Rc<Cell<u32>>,
    notifications: Rc<RefCell<Vec<Rc<ServerFrame>>>>,
    _subscriptions: Vec<Subscription>,
}

impl Probe {
    fn new() -> Self {
        let statuses = Rc::new(RefCell::new(Vec::new()));
        let role = Rc::new(Cell::new(SocketRole::Own));
        let retry_at = Rc::new(Cell::new(None));
        let refresh_asks = Rc::new(Cell::new(0));
        let closes_at_asks = Rc::new(RefCell::new(Vec::new()));
        let wrong_user = Rc::new(Cell::new(0));
        let service = SocketService::new(
            config(),
            Callback::from({
                let statuses = statuses.clone();
                let role = role.clone();
                let retry_at = retry_at.clone();
                move |s: SocketSnapshot| {
                    role.set(s.role);
                    retry_at.set(s.retry_at);
                    let mut list = statuses.borrow_mut();
                    if list.last() != Some(&s.status) {
                        list.push(s.status);
                    }
                }
            }),
            Callback::from({
                let asks = refresh_asks.clone();
                let closes = closes_at_asks.clone();
                move |_: SocketService| {
                    asks.set(asks.get() + 1);
                    let seen = js("globalThis.__ws?.closeEvents?.length").as_f64();
                    closes.borrow_mut().push(seen.unwrap_or(-1.0));
                }
            }),
            Callback::from({
                let wrong = wrong_user.clone();
                move |_| wrong.set(wrong.get() + 1)
            }),
        );
        let hellos = Rc::new(Cell::new(0));
        let notifications = Rc::new(RefCell::new(Vec::new()));
        let subscriptions = vec![
            service.subscribe(
                &[FrameKind::ConnectionEstablished],
                Callback::from({
                    let hellos = hellos.clone();
                    move |_| hellos.set(hellos.get() + 1)
                }),
            ),
            service.subscribe(
                &[FrameKind::Notification],
                Callback::from({
                    let n = notifications.clone();
                    move |f| n.borrow_mut().push(f)
                }),
            ),
        ];
        Self {
            service,
            statuses,
            role,
            retry_at,
            refresh_asks,
            closes_at_asks,
            wrong_user,
            hellos,
            notifications,
            _subscriptions: subscriptions,
        }
    }

    fn status(&self) -> Option<Status> {
        self.statuses.borrow().last().copied()
    }

    fn saw(&self, status: Status) -> bool {
        self.statuses.borrow().contains(&status)
    }

    async fn until(&self, status: Status) {
        wait_until(&format!("status {status:?}"), 20_000.0, || {
            self.status() == Some(status)
        })
        .await;
    }
}

/// Spies on the real `WebSocket`: how many were made, which opened, close codes asked for by
/// the app and close codes the browser reported. The real socket does all the work.
fn spy_websocket() {
    js(r#"(() => {
        if (!globalThis.__RealWebSocket) globalThis.__RealWebSocket = globalThis.WebSocket;
        const Real = globalThis.__RealWebSocket;
        const spy = globalThis.__ws = {
            created: 0, opens: 0, closeCalls: [], closeCallsOnLive: 0, closeEvents: [],
        };
        globalThis.WebSocket = class extends Real {
            constructor(url, protocols) {
                super(url, protocols);
                spy.created++;
                this.addEventListener('open', () => spy.opens++);
                this.addEventListener('close', (e) => spy.closeEvents.push(e.code));
            }
            close(code, reason) {
                spy.closeCalls.push(code);
                if (this.readyState <= 1) spy.closeCallsOnLive++;
                return code === undefined ? super.close() : super.close(code, reason);
            }
        };
    })()"#);
}

/// A fake `WebSocket`, for the tests of late events only (unit tests; never in e2e): no real
/// server can deliver an event of an old socket on cue. Events are fired by hand, as a browser
/// does: to the handler set on the socket at that moment (`fire('message', text)`).
fn fake_websocket() {
    js(r#"(() => {
        if (!globalThis.__RealWebSocket) globalThis.__RealWebSocket = globalThis.WebSocket;
        const fake = globalThis.__fake = { sockets: [] };
        globalThis.WebSocket = class FakeWebSocket {
            constructor(url) {
                this.url = url; this.readyState = 0; this.closedWith = null; this.sent = [];
                this.binaryType = 'blob';
                this.onopen = null; this.onmessage = null; this.onclose = null; this.onerror = null;
                fake.sockets.push(this);
            }
            send(text) { this.sent.push(text); }
            close(code) { this.closedWith = code ?? 1005; this.readyState = 3; }
            fire(kind, arg) {
                const event = kind === 'open' ? new Event('open')
                    : kind === 'message' ? new MessageEvent('message', { data: arg })
                    : new CloseEvent('close', { code: arg, wasClean: false });
                const handler = this['on' + kind];
                if (handler) handler(event);
            }
        };
    })()"#);
}

fn restore_websocket() {
    js("if (globalThis.__RealWebSocket) globalThis.WebSocket = globalThis.__RealWebSocket");
}

/// A service started on a [`fake_websocket`] whose first socket opened.
fn open_on_a_fake() -> Probe {
    fake_websocket();
    let probe = Probe::new();
    probe
        .service
        .start(session_of_finance1("header.payload.signature"));
    fake(0, "fire('open')");
    assert_eq!(probe.status(), Some(Status::Connected));
    probe
}

/// Fake socket `i` delivers `text`.
fn fire_message(i: usize, text: &str) {
    fake(i, &format!("fire('message', {text:?})"));
}

fn fake_sockets() -> usize {
    js_number("globalThis.__fake.sockets.length") as usize
}

/// Runs `method(args)` on fake socket `i`, e.g. `fake(0, "fire('open')")`.
fn fake(i: usize, call: &str) -> wasm_bindgen::JsValue {
    js(&format!("globalThis.__fake.sockets[{i}].{call}"))
}

fn hello(user_id: i64) -> String {
    json!({"type": "connection_established", "message": "WebSocket connected successfully", "user_id": user_id}).to_string()
}

fn notification(text: &str) -> String {
    json!({"type": "notification", "message": text, "eng_message": text, "ara_message": text, "id": 1, "timestamp": "2024-01-01T00:00:00"}).to_string()
}

#[wasm_bindgen_test]
async fn opens_with_the_token_delivers_frames_by_kind_and_stop_closes_with_1000_for_good() {
    let _turn = serial().await;
    let _own = own_socket();
    reset().await;
    restore_websocket();
    spy_websocket();
    let session = sign_in("finance1").await;
    let probe = Probe::new();
    assert_eq!(probe.status(), None, "a new service is stopped and quiet");
    probe.service.start(session);
    probe.until(Status::Connected).await;
    assert_eq!(probe.statuses.borrow()[0], Status::Connecting);
    wait_until("the server's hello", 10_000.0, || probe.hellos.get() == 1).await;
    wait_until_async("one socket at the backend", 10_000.0, || async {
        open_sockets("finance1").await == 1
    })
    .await;
    assert_eq!(attempts().await, (1, 0));

    // A notification reaches the notification subscriber, not the hello subscriber.
    let sent = control(
        "notify",
        Some(json!({"username": "finance1", "eng_message": "Transfer FAR-1 approved"})),
    )
    .await;
    assert_eq!(sent["sockets"], 1);
    wait_until("the notification", 10_000.0, || {
        probe.notifications.borrow().len() == 1
    })
    .await;
    assert!(matches!(
        &*probe.notifications.borrow()[0],
        ServerFrame::Notification(n) if n.text(false).contains("FAR-1")
    ));
    assert_eq!(probe.hellos.get(), 1);

    // Sign-out: closed with 1000, from our side, and the server sees it go.
    probe.service.stop();
    assert_eq!(probe.status(), Some(Status::Disconnected));
    assert_eq!(js_number("globalThis.__ws.closeCalls.length"), 1.0);
    assert_eq!(js_number("globalThis.__ws.closeCalls[0]"), 1000.0);
    wait_until_async("the backend saw the socket close", 10_000.0, || async {
        open_sockets("finance1").await == 0
    })
    .await;
    // Detached: nothing reaches a subscriber, and nothing that would reconnect a waiting
    // socket reconnects a stopped one.
    let sent = control(
        "notify",
        Some(json!({"username": "finance1", "eng_message": "after sign-out"})),
    )
    .await;
    assert_eq!(sent["sockets"], 0);
    probe.service.retry_now();
    probe.service.online();
    probe.service.visible();
    // Longer than the first retry's window (2 s): a reconnect would have started by now.
    sleep(2_500).await;
    assert_eq!(js_number("globalThis.__ws.created"), 1.0);
    assert_eq!(attempts().await, (1, 0));
    assert_eq!(probe.notifications.borrow().len(), 1);
    assert_eq!(probe.status(), Some(Status::Disconnected));
    assert_eq!(probe.refresh_asks.get(), 0);
    restore_websocket();
}

#[wasm_bindgen_test]
async fn a_close_the_server_chose_is_not_a_stop_the_socket_comes_back_by_itself() {
    let _turn = serial().await;
    let _own = own_socket();
    reset().await;
    restore_websocket();
    spy_websocket();
    let session = sign_in("finance2").await;
    let probe = Probe::new();
    probe.service.start(session);
    probe.until(Status::Connected).await;
    // Application codes (4001/4003-style), a restart (1001) and even a plain 1000 from the
    // server: only a close the client asked for means "stay closed" (PROTOCOL.md).
    for (round, code) in [4001u16, 4003, 1000].into_iter().enumerate() {
        let dropped = control("drop", Some(json!({"code": code}))).await;
        assert_eq!(dropped["closed"], 1, "code {code}");
        wait_until(&format!("the close event with {code}"), 10_000.0, || {
            js_number(&format!(
                "globalThis.__ws.closeEvents.includes({code}) ? 1 : 0"
            )) == 1.0
        })
        .await;
        probe.until(Status::Connected).await;
        assert!(probe.saw(Status::Reconnecting), "code {code}");
        wait_until("a new hello", 10_000.0, || {
            probe.hellos.get() == round as u32 + 2
        })
        .await;
    }
    assert_eq!(attempts().await, (4, 0));
    // The client never closed a live socket itself (it only tidies up the closed ones).
    assert_eq!(js_number("globalThis.__ws.closeCallsOnLive"), 0.0);
    assert_eq!(probe.refresh_asks.get(), 0);
    probe.service.stop();
    restore_websocket();
}

#[wasm_bindgen_test]
async fn a_rejected_upgrade_closes_1006_without_open_and_a_second_one_asks_for_a_new_token() {
    let _turn = serial().await;
    let _own = own_socket();
    reset().await;
    restore_websocket();
    spy_websocket();
    let good = sign_in("finance1").await;
    // The refresh token where the access token belongs: not expired, refused by the server.
    let refused = Session {
        access: good.refresh.clone(),
        ..good.clone()
    };
    let probe = Probe::new();
    probe.service.start(refused);
    // At least one: the retry after it may be drawn near 0 ms and be rejected too before the
    // next look (every 20 ms).
    wait_until("the first rejection", 10_000.0, || {
        js_number("globalThis.__ws.closeEvents.length") >= 1.0
    })
    .await;
    assert_eq!(js_number("globalThis.__ws.closeEvents[0]"), 1006.0);
    assert_eq!(js_number("globalThis.__ws.opens"), 0.0);
    probe.until(Status::Reconnecting).await;
    // Skip what is left of the backoff, unless its retry has begun already: the first one is
    // drawn from 0 to 2 s (full jitter), so it may have (checked and skipped in one task).
    if js_number("globalThis.__ws.created") == 1.0 {
        probe.service.retry_now();
    }
    wait_until("a refresh request", 10_000.0, || {
        probe.refresh_asks.get() == 1
    })
    .await;
    assert_eq!(attempts().await, (0, 2));
    assert_eq!(js_number("globalThis.__ws.created"), 2.0);
    // One rejection may be the network: the new token is asked for after the second in a
    // row, not after the first.
    assert_eq!(*probe.closes_at_asks.borrow(), vec![2.0]);
    probe.service.refreshed(good);
    probe.until(Status::Connected).await;
    assert_eq!(attempts().await, (1, 2));
    assert_eq!(probe.hellos.get(), 1);
    probe.service.stop();
    restore_websocket();
}

#[wasm_bindgen_test]
async fn late_events_of_an_old_socket_reach_neither_subscribers_nor_the_machine() {
    let _turn = serial().await;
    let _own = own_socket();
    fake_websocket();
    let probe = Probe::new();
    probe
        .service
        .start(session_of_finance1("header.payload.signature"));
    assert_eq!(fake_sockets(), 1);
    assert_eq!(probe.status(), Some(Status::Connecting));
    // The user gives up on the hanging first socket: closed (4000), detached, a second opened.
    probe.service.retry_now();
    assert_eq!(fake_sockets(), 2);
    assert_eq!(fake(0, "closedWith").as_f64(), Some(4000.0));
    assert!(
        fake(0, "onopen").is_falsy(),
        "the abandoned socket is detached"
    );
    fake(0, "fire('open')");
    assert_eq!(probe.status(), Some(Status::Connecting));
    fake(1, "fire('open')");
    assert_eq!(probe.status(), Some(Status::Connected));
    fire_message(0, &notification("abandoned socket"));
    assert_eq!(probe.notifications.borrow().len(), 0);
    fire_message(1, &notification("current socket"));
    assert_eq!(probe.notifications.borrow().len(), 1);
    fake(0, "fire('close', 1006)");
    assert_eq!(probe.status(), Some(Status::Connected));
    assert_eq!(fake_sockets(), 2);

    // The current socket drops: it stays attached (it is closed; nothing to close) while the
    // service waits to retry. Sign-out now starts a new generation: what that old socket still
    // delivers (a frame queued before its close, its close again) is ignored by its tag.
    fake(1, "fire('close', 1006)");
    assert_eq!(probe.status(), Some(Status::Reconnecting));
    probe.service.stop();
    assert_eq!(probe.status(), Some(Status::Disconnected));
    assert!(
        fake(1, "onmessage").is_function(),
        "still attached: the tag is what guards"
    );
    fire_message(1, &notification("old generation"));
    fire_message(1, &hello(35));
    fake(1, "fire('open')");
    fake(1, "fire('close', 1006)");
    assert_eq!(probe.notifications.borrow().len(), 1);
    assert_eq!(probe.hellos.get(), 0);
    assert_eq!(probe.status(), Some(Status::Disconnected));
    assert_eq!(fake_sockets(), 2, "no reconnect");
    // A new start opens a new socket and detaches the old one.
    probe
        .service
        .start(session_of_finance1("header.payload.signature"));
    assert_eq!(fake_sockets(), 3);
    assert!(fake(1, "onmessage").is_falsy());
    fake(2, "fire('open')");
    fire_message(2, &hello(35));
    assert_eq!(probe.hellos.get(), 1);
    probe.service.stop();
    assert_eq!(probe.wrong_user.get(), 0);
    restore_websocket();
}

#[wasm_bindgen_test]
async fn stop_detaches_the_socket_late_frames_and_closes_reach_nobody_and_nothing_reconnects() {
    let _turn = serial().await;
    let _own = own_socket();
    let probe = open_on_a_fake();
    fire_message(0, &notification("before"));
    assert_eq!(probe.notifications.borrow().len(), 1);
    probe.service.stop();
    assert_eq!(fake(0, "closedWith").as_f64(), Some(1000.0));
    assert!(fake(0, "onmessage").is_falsy(), "handlers detached");
    assert!(fake(0, "onclose").is_falsy(), "handlers detached");
    assert!(fake(0, "onopen").is_falsy(), "handlers detached");
    fire_message(0, &notification("after"));
    fake(0, "fire('close', 1006)");
    probe.service.retry_now();
    probe.service.online();
    probe.service.visible();
    assert_eq!(probe.notifications.borrow().len(), 1);
    assert_eq!(probe.status(), Some(Status::Disconnected));
    assert_eq!(fake_sockets(), 1, "no reconnect after stop");
    restore_websocket();
}

#[wasm_bindgen_test]
async fn a_hello_for_another_user_closes_the_socket_and_reaches_no_subscriber() {
    let _turn = serial().await;
    let _own = own_socket();
    let probe = open_on_a_fake();
    fire_message(0, &hello(36));
    assert_eq!(probe.wrong_user.get(), 1);
    assert_eq!(probe.hellos.get(), 0);
    assert_eq!(fake(0, "closedWith").as_f64(), Some(1000.0));
    assert_eq!(probe.status(), Some(Status::Disconnected));
    fire_message(0, &notification("theirs"));
    assert_eq!(probe.notifications.borrow().len(), 0);
    assert_eq!(fake_sockets(), 1);
    restore_websocket();
}

/// Counts the frames posted on any `BroadcastChannel` (`globalThis.__framesPosted`).
fn spy_channel() {
    js(r#"(() => {
        globalThis.__framesPosted = 0;
        if (globalThis.__realPost) return;
        const real = globalThis.__realPost = BroadcastChannel.prototype.postMessage;
        BroadcastChannel.prototype.postMessage = function (data) {
            if (typeof data === 'string' && data.startsWith('f')) globalThis.__framesPosted++;
            return real.call(this, data);
        };
    })()"#);
}

/// Runs the driver as in a browser without Web Locks (this service keeps its own socket),
/// until the returned guard is dropped.
#[must_use]
fn own_socket() -> OwnSocket {
    js("Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true })");
    OwnSocket
}

struct OwnSocket;

impl Drop for OwnSocket {
    fn drop(&mut self) {
        js("delete navigator.locks");
    }
}

/// Undoes [`own_socket`]: the browser's lock manager again.
fn shared_socket() {
    js("delete navigator.locks");
    assert!(js("typeof navigator.locks.request === 'function'").is_truthy());
}

#[wasm_bindgen_test]
async fn two_tabs_of_one_user_share_one_socket_and_hand_it_over() {
    let _turn = serial().await;
    shared_socket();
    restore_websocket();
    reset().await;
    let session = sign_in("finance1").await;
    let a = Probe::new();
    a.service.start(session.clone());
    a.until(Status::Connected).await;
    assert_eq!(a.role.get(), SocketRole::Leader);
    wait_until("the server's hello", 10_000.0, || a.hellos.get() == 1).await;

    // Alone, the leader keeps its frames to itself (posting each costs an IPC) once the
    // browser says no other tab waits: a notification it received and did not post.
    spy_channel();
    let mut kept = false;
    for i in 1..=20 {
        let posted = js_number("globalThis.__framesPosted");
        let text = format!("Alone {i}");
        control(
            "notify",
            Some(json!({"username": "finance1", "eng_message": text})),
        )
        .await;
        wait_until("the notification", 10_000.0, || {
            a.notifications.borrow().len() == i
        })
        .await;
        if js_number("globalThis.__framesPosted") == posted {
            kept = true;
            break;
        }
        sleep(100).await;
    }
    assert!(kept, "a lone leader still posts every frame");
    a.notifications.borrow_mut().clear();

    // A second tab follows: the leader's status, and a hello of its own (it re-reads the
    // history it missed), but no socket.
    let b = Probe::new();
    let changes = Rc::new(RefCell::new(Vec::new()));
    let _changes = b.service.subscribe_changes(Callback::from({
        let changes = changes.clone();
        move |c| changes.borrow_mut().push(c)
    }));
    b.service.start(session.clone());
    b.until(Status::Connected).await;
    assert_eq!(b.role.get(), SocketRole::Follower);
    wait_until("the follower's hello", 10_000.0, || b.hellos.get() == 1).await;
    assert_eq!(open_sockets("finance1").await, 1);
    assert_eq!(attempts().await, (1, 0));

    // Every frame reaches both; a change told by one tab reaches the other's subscribers.
    let sent = control(
        "notify",
        Some(json!({"username": "finance1", "eng_message": "For both tabs"})),
    )
    .await;
    assert_eq!(sent["sockets"], 1);
    wait_until("the notification in both", 10_000.0, || {
        a.notifications.borrow().len() == 1 && b.notifications.borrow().len() == 1
    })
    .await;
    a.service.tell_tabs(Change::ReadOne(7));
    wait_until("the change in the other tab", 10_000.0, || {
        *changes.borrow() == [Change::ReadOne(7)]
    })
    .await;

    // The leader's page is frozen: it closes its socket and lets go; the follower takes over.
    a.service.suspend();
    wait_until("the follower elected", 10_000.0, || {
        b.role.get() == SocketRole::Leader
    })
    .await;
    b.until(Status::Connected).await;
    wait_until_async("the second socket, and only it", 10_000.0, || async {
        attempts().await == (2, 0) && open_sockets("finance1").await == 1
    })
    .await;
    // Back, the first follows.
    a.service.resume(Some(session.clone()));
    wait_until("the first tab follows", 10_000.0, || {
        a.role.get() == SocketRole::Follower && a.status() == Some(Status::Connected)
    })
    .await;
    let sent = control(
        "notify",
        Some(json!({"username": "finance1", "eng_message": "After the hand-over"})),
    )
    .await;
    assert_eq!(sent["sockets"], 1);
    wait_until("the second notification in both", 10_000.0, || {
        a.notifications.borrow().len() == 2 && b.notifications.borrow().len() == 2
    })
    .await;

    // Sign-out everywhere: no socket, nobody left holding the lock.
    b.service.stop();
    a.service.stop();
    wait_until_async("no socket", 10_000.0, || async {
        open_sockets("finance1").await == 0
    })
    .await;
    assert_eq!(attempts().await, (2, 0));
}

/// The leader's page may be hidden and its timers throttled: a follower that becomes visible
/// tells it, and a waiting leader reconnects at once, before its own timer.
#[wasm_bindgen_test]
async fn a_follower_becoming_visible_makes_a_waiting_leader_reconnect_at_once() {
    let _turn = serial().await;
    shared_socket();
    fake_websocket();
    let session = session_of_finance1("header.payload.signature");
    let a = Probe::new();
    a.service.start(session.clone());
    wait_until("the leader's socket", 10_000.0, || fake_sockets() == 1).await;
    let b = Probe::new();
    b.service.start(session);
    wait_until("a follower", 10_000.0, || {
        b.role.get() == SocketRole::Follower
    })
    .await;
    // Drops until the leader's wait is long enough to tell its own timer from the nudge
    // (full jitter: some waits are near zero).
    let mut at = 0.0;
    for _ in 0..30 {
        let last = fake_sockets() - 1;
        fake(last, "fire('open')");
        fake(last, "fire('close', 1006)");
        at = a.retry_at.get().expect("the leader waits");
        if at - js_sys::Date::now() >= 500.0 {
            break;
        }
        wait_until("the leader's own retry", 10_000.0, || {
            fake_sockets() == last + 2
        })
        .await;
    }
    assert!(
        at - js_sys::Date::now() >= 400.0,
        "no long enough wait in 30 drops"
    );
    let sockets = fake_sockets();
    b.service.visible();
    wait_until("the leader's new socket", 10_000.0, || {
        fake_sockets() == sockets + 1
    })
    .await;
    assert!(
        js_sys::Date::now() < at,
        "reconnected before the leader's own timer"
    );
    a.service.stop();
    b.service.stop();
    restore_websocket();
}

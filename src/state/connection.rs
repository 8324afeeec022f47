//! The socket's connection state machine and its reconnect policy, as pure functions:
//! events ([`ConnectionEvent`]) in, new state and commands out. The socket service executes
//! the commands; the benchmarks reuse [`backoff_delay_ms`]. Which tab holds the socket is
//! `state/tabs.rs`'s machine, which feeds this one.

/// The first retry after a drop happens at a random moment within this window.
pub const FIRST_RETRY_WINDOW_MS: f64 = 2_000.0;
/// Backoff ceiling during the first minute of an outage (a restart is short).
pub const EARLY_CAP_MS: f64 = 8_000.0;
/// How long an outage counts as "early".
pub const EARLY_OUTAGE_MS: f64 = 60_000.0;
/// Backoff ceiling after the first minute.
pub const LATE_CAP_MS: f64 = 30_000.0;
/// A connection open this long resets the attempt counter.
pub const STABLE_AFTER_MS: f64 = 30_000.0;
/// Ping period while open.
pub const PING_EVERY_MS: f64 = 25_000.0;
/// No frame this long after a ping: the connection is dead.
pub const PONG_TIMEOUT_MS: f64 = 10_000.0;
/// Close code we use for a connection we declared dead (application range).
pub const DEAD_CONNECTION_CODE: u16 = 4000;
/// Close code for a close we asked for (sign-out).
pub const NORMAL_CLOSE_CODE: u16 = 1000;
/// An upgrade not answered within this long is abandoned (a proxy holding it, say).
pub const CONNECT_TIMEOUT_MS: f64 = 15_000.0;
/// A refresh not settled within this long counts as failed: longer than the wait for another
/// tab's lock (20 s) plus the request's own deadline (15 s), so it only fires when something
/// is truly stuck.
pub const REFRESH_TIMEOUT_MS: f64 = 40_000.0;

/// Delay before reconnect attempt number `attempt` (0 = first retry after a drop), `outage_ms`
/// into an outage, with `rand01` drawn uniformly from [0, 1).
///
/// Full jitter: uniform in [0, d], d = 2 s × 2^attempt, capped at 8 s during the first minute
/// and at 30 s after. Thousands of clients dropped at once spread over the window instead of
/// retrying in step.
///
/// ```
/// # use herald::state::connection::backoff_delay_ms;
/// assert_eq!(backoff_delay_ms(0, 0.0, 0.5), 1_000.0);
/// assert_eq!(backoff_delay_ms(9, 10_000.0, 1.0), 8_000.0);
/// assert_eq!(backoff_delay_ms(9, 90_000.0, 1.0), 30_000.0);
/// ```
pub fn backoff_delay_ms(attempt: u32, outage_ms: f64, rand01: f64) -> f64 {
    let cap = if outage_ms < EARLY_OUTAGE_MS {
        EARLY_CAP_MS
    } else {
        LATE_CAP_MS
    };
    let window = (FIRST_RETRY_WINDOW_MS * f64::from(1u32 << attempt.min(16))).min(cap);
    let r = if rand01.is_finite() {
        rand01.clamp(0.0, 1.0)
    } else {
        0.5
    };
    r * window
}

/// Where the connection is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// No session: no socket, and none wanted.
    Stopped,
    /// A socket is being opened.
    Connecting,
    /// The socket is open.
    Open,
    /// Waiting for the backoff to end.
    Waiting {
        /// When the next attempt starts (ms since the epoch).
        retry_at: f64,
    },
    /// Getting a new access token before reconnecting.
    Refreshing,
    /// The browser says it is offline: attempts wait for `online`.
    Offline,
}

/// What the user sees, as the `data-connection` attribute says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// First connection of a session.
    Connecting,
    /// Live.
    Connected,
    /// Lost and coming back.
    Reconnecting,
    /// The browser is offline.
    Offline,
    /// Signed out.
    Disconnected,
}

impl Status {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Connected => "connected",
            Status::Reconnecting => "reconnecting",
            Status::Offline => "offline",
            Status::Disconnected => "disconnected",
        }
    }

    /// The status of an attribute value ([`Status::as_str`]).
    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Connecting,
            Status::Connected,
            Status::Reconnecting,
            Status::Offline,
            Status::Disconnected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Things that happen to the connection.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectionEvent {
    /// A session exists: connect.
    Start,
    /// Sign-out: close, and stay closed.
    Stop,
    /// The socket of `generation` opened.
    Opened {
        /// Which socket.
        generation: u64,
    },
    /// The socket of `generation` closed (for whatever reason, with whatever code).
    Closed {
        /// Which socket.
        generation: u64,
        /// The close code (1006 for an abnormal close or a rejected upgrade).
        code: u16,
    },
    /// The socket of `generation` delivered a frame (any frame, even a bad one).
    Frame {
        /// Which socket.
        generation: u64,
    },
    /// A timer fired (or anything else worth re-checking the clock for).
    Tick,
    /// The browser went online.
    Online,
    /// The browser went offline.
    Offline,
    /// The tab became visible.
    Visible,
    /// The user asked to retry now.
    RetryNow,
    /// A new access token is available.
    Refreshed,
    /// Refreshing failed for network reasons (an expired session stops instead).
    RefreshFailed,
}

/// What the socket service must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open a socket tagged `generation` with the current access token.
    Open {
        /// Tag for its events.
        generation: u64,
    },
    /// Close the current socket with `code`.
    Close {
        /// Close code.
        code: u16,
    },
    /// Send `{"type":"ping","timestamp":...}`.
    SendPing,
    /// Get a new access token, then report [`ConnectionEvent::Refreshed`] or
    /// [`ConnectionEvent::RefreshFailed`].
    Refresh,
    /// Deliver [`ConnectionEvent::Tick`] at this time (replaces any earlier wake-up).
    WakeAt(f64),
}

/// What the machine needs to know about the world at each step.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Wall-clock time, ms since the epoch (timers in background tabs lie; clocks do not).
    pub now: f64,
    /// Uniform random number in [0, 1) for jitter.
    pub rand01: f64,
    /// The access token is expired or within a minute of it.
    pub token_near_expiry: bool,
    /// The access token is past its expiry: connecting with it is pointless.
    pub token_expired: bool,
}

/// The connection's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// Where it is.
    pub phase: Phase,
    /// Tag of the current socket; events of older ones are ignored.
    pub generation: u64,
    /// Retries since the last stable connection.
    pub attempt: u32,
    /// Whether the browser is online.
    pub online: bool,
    /// Whether this session has lost a connection (to say "reconnecting", not "connecting").
    pub dropped: bool,
    outage_since: Option<f64>,
    opened_at: Option<f64>,
    last_frame_at: f64,
    ping_sent_at: Option<f64>,
    next_ping_at: f64,
    closes_without_open: u32,
    /// A fresh token was fetched and no socket has opened since: another rejection is not
    /// the token's fault (mixed content, a wrong `ws_url`, a proxy without Upgrade), so no
    /// further refresh until one opens.
    refreshed_without_open: bool,
    /// When the current connect or refresh is given up (ms since the epoch).
    deadline: Option<f64>,
}

impl Default for Connection {
    fn default() -> Self {
        Self::new(true)
    }
}

impl Connection {
    /// A stopped connection; `online` as `navigator.onLine` says.
    pub fn new(online: bool) -> Self {
        Self {
            phase: Phase::Stopped,
            generation: 0,
            attempt: 0,
            online,
            dropped: false,
            outage_since: None,
            opened_at: None,
            last_frame_at: 0.0,
            ping_sent_at: None,
            next_ping_at: 0.0,
            closes_without_open: 0,
            refreshed_without_open: false,
            deadline: None,
        }
    }

    /// The status shown to the user.
    pub fn status(&self) -> Status {
        match self.phase {
            Phase::Stopped => Status::Disconnected,
            Phase::Open => Status::Connected,
            Phase::Offline => Status::Offline,
            Phase::Connecting | Phase::Refreshing if !self.dropped => Status::Connecting,
            Phase::Connecting | Phase::Refreshing | Phase::Waiting { .. } => Status::Reconnecting,
        }
    }

    /// Applies one event.
    pub fn handle(&mut self, event: ConnectionEvent, ctx: Context) -> Vec<Command> {
        let now = ctx.now;
        match event {
            ConnectionEvent::Start => {
                if self.phase != Phase::Stopped {
                    return vec![];
                }
                self.attempt = 0;
                self.outage_since = None;
                self.closes_without_open = 0;
                self.refreshed_without_open = false;
                self.dropped = false;
                if self.online {
                    self.connect_now(ctx)
                } else {
                    self.phase = Phase::Offline;
                    vec![]
                }
            }
            ConnectionEvent::Stop => {
                let had_socket = matches!(self.phase, Phase::Connecting | Phase::Open);
                // Late events of the closed socket must not revive anything.
                self.generation += 1;
                self.phase = Phase::Stopped;
                self.opened_at = None;
                self.ping_sent_at = None;
                self.deadline = None;
                if had_socket {
                    vec![Command::Close {
                        code: NORMAL_CLOSE_CODE,
                    }]
                } else {
                    vec![]
                }
            }
            ConnectionEvent::Opened { generation } => {
                if generation != self.generation || self.phase != Phase::Connecting {
                    return vec![];
                }
                self.phase = Phase::Open;
                self.deadline = None;
                self.refreshed_without_open = false;
                self.opened_at = Some(now);
                self.last_frame_at = now;
                self.ping_sent_at = None;
                self.next_ping_at = now + PING_EVERY_MS;
                self.closes_without_open = 0;
                self.outage_since = None;
                vec![Command::WakeAt(self.next_ping_at)]
            }
            ConnectionEvent::Frame { generation } => {
                if generation != self.generation || self.phase != Phase::Open {
                    return vec![];
                }
                self.last_frame_at = now;
                self.ping_sent_at = None;
                self.note_stability(now);
                vec![]
            }
            ConnectionEvent::Closed { generation, .. } => {
                if generation != self.generation
                    || !matches!(self.phase, Phase::Connecting | Phase::Open)
                {
                    return vec![];
                }
                let was_open = self.phase == Phase::Open;
                if was_open {
                    self.note_stability(now);
                    self.closes_without_open = 0;
                } else {
                    self.closes_without_open += 1;
                }
                self.lost(ctx, !was_open)
            }
            ConnectionEvent::Tick => match self.phase {
                Phase::Waiting { retry_at } if now >= retry_at => self.connect_now(ctx),
                Phase::Waiting { retry_at } => vec![Command::WakeAt(retry_at)],
                Phase::Open => self.heartbeat(ctx),
                Phase::Connecting => match self.deadline {
                    // The upgrade hangs: abandon it as a rejection would.
                    Some(at) if now >= at => {
                        let mut commands = self.abandon_socket();
                        self.closes_without_open += 1;
                        commands.extend(self.lost(ctx, true));
                        commands
                    }
                    Some(at) => vec![Command::WakeAt(at)],
                    None => vec![],
                },
                Phase::Refreshing => match self.deadline {
                    Some(at) if now >= at => self.handle(ConnectionEvent::RefreshFailed, ctx),
                    Some(at) => vec![Command::WakeAt(at)],
                    None => vec![],
                },
                _ => vec![],
            },
            ConnectionEvent::Online => {
                self.online = true;
                match self.phase {
                    Phase::Offline | Phase::Waiting { .. } => self.connect_now(ctx),
                    _ => vec![],
                }
            }
            ConnectionEvent::Offline => {
                self.online = false;
                match self.phase {
                    Phase::Waiting { .. } => {
                        self.phase = Phase::Offline;
                        vec![]
                    }
                    // The socket may already be dead without knowing it: check now.
                    Phase::Open => self.ping(now),
                    _ => vec![],
                }
            }
            ConnectionEvent::Visible => match self.phase {
                Phase::Waiting { .. } => self.connect_now(ctx),
                Phase::Open if now - self.last_frame_at >= PING_EVERY_MS => {
                    if self.ping_sent_at.is_some() {
                        self.heartbeat(ctx)
                    } else {
                        self.ping(now)
                    }
                }
                _ => vec![],
            },
            // Offered in every state that waits for something.
            ConnectionEvent::RetryNow => match self.phase {
                Phase::Waiting { .. } | Phase::Offline => self.connect_now(ctx),
                Phase::Connecting => {
                    let mut commands = self.abandon_socket();
                    commands.extend(self.open_socket(now));
                    commands
                }
                // Ask again (the service shares the request in flight); the deadline stays, so
                // clicking does not postpone recovery.
                Phase::Refreshing => vec![Command::Refresh],
                Phase::Open | Phase::Stopped => vec![],
            },
            ConnectionEvent::Refreshed => {
                if self.phase != Phase::Refreshing {
                    return vec![];
                }
                self.closes_without_open = 0;
                self.refreshed_without_open = true;
                self.open_socket(now)
            }
            ConnectionEvent::RefreshFailed => {
                if self.phase != Phase::Refreshing {
                    return vec![];
                }
                self.deadline = None;
                self.outage_since.get_or_insert(now);
                self.schedule_retry(ctx)
            }
        }
    }

    /// The current socket is gone (closed, or declared dead).
    fn lost(&mut self, ctx: Context, never_opened: bool) -> Vec<Command> {
        self.dropped = true;
        self.opened_at = None;
        self.ping_sent_at = None;
        self.deadline = None;
        self.outage_since.get_or_insert(ctx.now);
        if !self.online {
            self.phase = Phase::Offline;
            return vec![];
        }
        // A close before open is how the backend says "bad token" (and how a network failure
        // looks). With a token at or near expiry, or twice in a row, refresh before retrying,
        // unless a fresh token has already failed the same way.
        if never_opened
            && !self.refreshed_without_open
            && (ctx.token_near_expiry || self.closes_without_open >= 2)
        {
            return self.refresh(ctx.now);
        }
        self.schedule_retry(ctx)
    }

    fn schedule_retry(&mut self, ctx: Context) -> Vec<Command> {
        let outage = ctx.now - self.outage_since.unwrap_or(ctx.now);
        let retry_at = ctx.now + backoff_delay_ms(self.attempt, outage, ctx.rand01);
        self.attempt = self.attempt.saturating_add(1);
        self.phase = Phase::Waiting { retry_at };
        vec![Command::WakeAt(retry_at)]
    }

    fn connect_now(&mut self, ctx: Context) -> Vec<Command> {
        // A token that is still valid is used, even close to expiry; only a rejection near
        // expiry (see `lost`) or an expired token refreshes first.
        if (ctx.token_expired || self.closes_without_open >= 2) && !self.refreshed_without_open {
            return self.refresh(ctx.now);
        }
        self.open_socket(ctx.now)
    }

    fn refresh(&mut self, now: f64) -> Vec<Command> {
        self.phase = Phase::Refreshing;
        let deadline = now + REFRESH_TIMEOUT_MS;
        self.deadline = Some(deadline);
        vec![Command::Refresh, Command::WakeAt(deadline)]
    }

    fn open_socket(&mut self, now: f64) -> Vec<Command> {
        self.generation += 1;
        self.phase = Phase::Connecting;
        let deadline = now + CONNECT_TIMEOUT_MS;
        self.deadline = Some(deadline);
        vec![
            Command::Open {
                generation: self.generation,
            },
            Command::WakeAt(deadline),
        ]
    }

    /// Gives up on the current socket: its late events (old generation) are ignored.
    fn abandon_socket(&mut self) -> Vec<Command> {
        self.generation += 1;
        self.deadline = None;
        vec![Command::Close {
            code: DEAD_CONNECTION_CODE,
        }]
    }

    fn note_stability(&mut self, now: f64) {
        if self.opened_at.is_some_and(|t| now - t >= STABLE_AFTER_MS) {
            self.attempt = 0;
        }
    }

    fn ping(&mut self, now: f64) -> Vec<Command> {
        self.ping_sent_at = Some(now);
        self.next_ping_at = now + PING_EVERY_MS;
        vec![Command::SendPing, Command::WakeAt(now + PONG_TIMEOUT_MS)]
    }

    fn heartbeat(&mut self, ctx: Context) -> Vec<Command> {
        let now = ctx.now;
        self.note_stability(now);
        if let Some(sent) = self.ping_sent_at {
            if now - sent >= PONG_TIMEOUT_MS {
                // Nothing at all since the ping: half-open. Close it ourselves and reconnect;
                // its own close event (old generation) will be ignored.
                let mut commands = self.abandon_socket();
                commands.extend(self.lost(ctx, false));
                return commands;
            }
            return vec![Command::WakeAt(sent + PONG_TIMEOUT_MS)];
        }
        if now >= self.next_ping_at {
            return self.ping(now);
        }
        vec![Command::WakeAt(self.next_ping_at)]
    }

    /// When the current wait ends, if waiting.
    pub fn retry_at(&self) -> Option<f64> {
        match self.phase {
            Phase::Waiting { retry_at } => Some(retry_at),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(now: f64) -> Context {
        Context {
            now,
            rand01: 0.5,
            token_near_expiry: false,
            token_expired: false,
        }
    }

    /// Opening socket `generation` at `now`, with its connect deadline.
    fn opens(generation: u64, now: f64) -> Vec<Command> {
        vec![
            Command::Open { generation },
            Command::WakeAt(now + CONNECT_TIMEOUT_MS),
        ]
    }

    /// Refreshing at `now`, with its deadline.
    fn refreshes(now: f64) -> Vec<Command> {
        vec![Command::Refresh, Command::WakeAt(now + REFRESH_TIMEOUT_MS)]
    }

    fn close(c: &mut Connection, now: f64) -> Vec<Command> {
        let generation = c.generation;
        c.handle(
            ConnectionEvent::Closed {
                generation,
                code: 1006,
            },
            ctx(now),
        )
    }

    #[test]
    fn a_held_upgrade_is_abandoned_at_its_deadline_and_retry_now_works_everywhere() {
        let mut c = Connection::new(true);
        assert_eq!(c.handle(ConnectionEvent::Start, ctx(0.0)), opens(1, 0.0));
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(5_000.0)),
            vec![Command::WakeAt(CONNECT_TIMEOUT_MS)],
            "not yet"
        );
        let cmds = c.handle(ConnectionEvent::Tick, ctx(CONNECT_TIMEOUT_MS));
        assert_eq!(
            cmds[0],
            Command::Close {
                code: DEAD_CONNECTION_CODE
            }
        );
        assert!(matches!(cmds[1..], [Command::WakeAt(_)]), "{cmds:?}");
        assert_eq!(c.status(), Status::Reconnecting);
        // The abandoned socket's own late events change nothing.
        assert_eq!(
            c.handle(ConnectionEvent::Opened { generation: 1 }, ctx(15_001.0)),
            vec![]
        );
        // Retry now while a second upgrade hangs: abandon it and open a new one at once.
        assert_eq!(
            c.handle(ConnectionEvent::RetryNow, ctx(15_002.0)),
            opens(3, 15_002.0)
        );
        let mut expected = vec![Command::Close {
            code: DEAD_CONNECTION_CODE,
        }];
        expected.extend(opens(5, 15_003.0));
        assert_eq!(c.handle(ConnectionEvent::RetryNow, ctx(15_003.0)), expected);
        assert_eq!(c.status(), Status::Reconnecting);
    }

    #[test]
    fn a_refresh_that_never_answers_fails_at_its_deadline() {
        let mut c = Connection::new(true);
        let expired = Context {
            now: 0.0,
            rand01: 0.5,
            token_near_expiry: true,
            token_expired: true,
        };
        assert_eq!(c.handle(ConnectionEvent::Start, expired), refreshes(0.0));
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(1_000.0)),
            vec![Command::WakeAt(REFRESH_TIMEOUT_MS)]
        );
        // Retry now asks again (the service shares one request in flight), same deadline.
        assert_eq!(
            c.handle(ConnectionEvent::RetryNow, ctx(2_000.0)),
            vec![Command::Refresh]
        );
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(REFRESH_TIMEOUT_MS - 1.0)),
            vec![Command::WakeAt(REFRESH_TIMEOUT_MS)]
        );
        let cmds = c.handle(ConnectionEvent::Tick, ctx(REFRESH_TIMEOUT_MS));
        assert!(matches!(cmds[..], [Command::WakeAt(_)]), "{cmds:?}");
        assert!(matches!(c.phase, Phase::Waiting { .. }));
        // A late answer to the abandoned refresh is ignored.
        assert_eq!(c.handle(ConnectionEvent::Refreshed, ctx(30_000.0)), vec![]);
    }

    #[test]
    fn a_fresh_token_that_fails_the_same_way_is_not_refreshed_again_until_a_socket_opens() {
        // A wrong ws_url / mixed content / a proxy without Upgrade: every attempt closes
        // before opening, whatever the token.
        let mut c = Connection::new(true);
        c.handle(ConnectionEvent::Start, ctx(0.0));
        let mut refreshes_seen = 0;
        let mut now = 0.0;
        for _ in 0..40 {
            now += 1.0;
            let mut cmds = close(&mut c, now);
            loop {
                if cmds.contains(&Command::Refresh) {
                    refreshes_seen += 1;
                    cmds = c.handle(ConnectionEvent::Refreshed, ctx(now));
                    continue;
                }
                if let Some(Command::WakeAt(at)) = cmds.last().cloned() {
                    if matches!(c.phase, Phase::Waiting { .. }) {
                        now = at;
                        cmds = c.handle(ConnectionEvent::Tick, ctx(now));
                        continue;
                    }
                }
                break;
            }
            assert_eq!(c.phase, Phase::Connecting);
        }
        assert_eq!(
            refreshes_seen, 1,
            "one refresh, then none until a socket opens"
        );
        // Once a socket opens, a later pair of rejections may refresh again.
        c.handle(
            ConnectionEvent::Opened {
                generation: c.generation,
            },
            ctx(now),
        );
        let g = c.generation;
        c.handle(
            ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            ctx(now + 1.0),
        );
        let Phase::Waiting { retry_at } = c.phase else {
            panic!()
        };
        c.handle(ConnectionEvent::Tick, ctx(retry_at));
        assert!(matches!(
            close(&mut c, retry_at + 1.0)[..],
            [Command::WakeAt(_)]
        ));
        let Phase::Waiting { retry_at } = c.phase else {
            panic!()
        };
        c.handle(ConnectionEvent::Tick, ctx(retry_at));
        assert_eq!(close(&mut c, retry_at + 1.0), refreshes(retry_at + 1.0));
    }

    fn open(c: &mut Connection, now: f64) -> u64 {
        let cmds = c.handle(ConnectionEvent::Start, ctx(now));
        let Command::Open { generation } = cmds[0] else {
            panic!("{cmds:?}")
        };
        c.handle(ConnectionEvent::Opened { generation }, ctx(now));
        generation
    }

    #[test]
    fn backoff_bounds() {
        for r in [0.0, 0.3, 0.999, 1.0] {
            assert!(backoff_delay_ms(0, 0.0, r) <= 2_000.0);
            assert!(backoff_delay_ms(1, 0.0, r) <= 4_000.0);
            assert!(backoff_delay_ms(2, 0.0, r) <= 8_000.0);
            assert!(backoff_delay_ms(30, 59_999.0, r) <= 8_000.0);
            assert!(backoff_delay_ms(30, 60_000.0, r) <= 30_000.0);
            assert!(backoff_delay_ms(u32::MAX, 1e12, r) <= 30_000.0);
            assert!(backoff_delay_ms(3, 0.0, r) >= 0.0);
        }
        assert_eq!(backoff_delay_ms(1, 0.0, 1.0), 4_000.0);
        assert_eq!(backoff_delay_ms(3, 61_000.0, 1.0), 16_000.0);
        assert_eq!(backoff_delay_ms(4, 61_000.0, 1.0), 30_000.0);
        assert_eq!(backoff_delay_ms(0, 0.0, f64::NAN), 1_000.0);
    }

    #[test]
    fn start_opens_one_socket_and_goes_live() {
        let mut c = Connection::new(true);
        assert_eq!(c.status(), Status::Disconnected);
        let cmds = c.handle(ConnectionEvent::Start, ctx(0.0));
        assert_eq!(cmds, opens(1, 0.0));
        assert_eq!(c.status(), Status::Connecting);
        assert_eq!(
            c.handle(ConnectionEvent::Start, ctx(1.0)),
            vec![],
            "a second start opens nothing"
        );
        let cmds = c.handle(ConnectionEvent::Opened { generation: 1 }, ctx(10.0));
        assert_eq!(cmds, vec![Command::WakeAt(10.0 + PING_EVERY_MS)]);
        assert_eq!(c.status(), Status::Connected);
    }

    #[test]
    fn any_unrequested_close_reconnects_with_jittered_backoff() {
        for code in [1000, 1001, 1006, 1011] {
            let mut c = Connection::new(true);
            let g = open(&mut c, 0.0);
            let cmds = c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code,
                },
                ctx(5_000.0),
            );
            assert_eq!(
                cmds,
                vec![Command::WakeAt(6_000.0)],
                "code {code}: first retry within 2 s"
            );
            assert_eq!(c.status(), Status::Reconnecting);
            assert_eq!(c.retry_at(), Some(6_000.0));
            assert_eq!(
                c.handle(ConnectionEvent::Tick, ctx(5_500.0)),
                vec![Command::WakeAt(6_000.0)],
                "too early"
            );
            assert_eq!(
                c.handle(ConnectionEvent::Tick, ctx(6_000.0)),
                opens(g + 1, 6_000.0)
            );
        }
    }

    fn close_at(c: &mut Connection, now: f64) -> f64 {
        let cmds = c.handle(
            ConnectionEvent::Closed {
                generation: c.generation,
                code: 1006,
            },
            Context {
                now,
                rand01: 1.0,
                token_near_expiry: false,
                token_expired: false,
            },
        );
        let [Command::WakeAt(at)] = cmds[..] else {
            panic!("{cmds:?}")
        };
        at
    }

    #[test]
    fn delays_grow_then_cap_and_reset_only_after_30s_open() {
        let mut c = Connection::new(true);
        open(&mut c, 0.0);
        let mut now = 1_000.0;
        let mut windows = vec![];
        for _ in 0..6 {
            // A flapping connection: opens, drops at once.
            let at = close_at(&mut c, now);
            windows.push(at - now);
            now = at;
            c.handle(ConnectionEvent::Tick, ctx(now));
            c.handle(
                ConnectionEvent::Opened {
                    generation: c.generation,
                },
                ctx(now),
            );
        }
        assert_eq!(
            windows,
            vec![2_000.0, 4_000.0, 8_000.0, 8_000.0, 8_000.0, 8_000.0]
        );
        // Open 30 s: the counter resets.
        c.handle(
            ConnectionEvent::Frame {
                generation: c.generation,
            },
            ctx(now + STABLE_AFTER_MS),
        );
        assert_eq!(c.attempt, 0);
        now += STABLE_AFTER_MS + 1.0;
        assert_eq!(close_at(&mut c, now) - now, 2_000.0);
    }

    #[test]
    fn a_long_outage_caps_at_30s() {
        let mut c = Connection::new(true);
        open(&mut c, 0.0);
        let at = close_at(&mut c, 1_000.0);
        c.handle(ConnectionEvent::Tick, ctx(at));
        c.attempt = 10;
        // Still down 70 s into the outage: a rejected attempt waits up to 30 s.
        assert_eq!(close_at(&mut c, 71_000.0) - 71_000.0, 30_000.0);
    }

    #[test]
    fn events_of_a_replaced_socket_are_ignored() {
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        c.handle(
            ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            ctx(1.0),
        );
        c.handle(ConnectionEvent::Tick, ctx(10_000.0));
        let g2 = c.generation;
        assert_ne!(g, g2);
        assert_eq!(
            c.handle(ConnectionEvent::Opened { generation: g }, ctx(10_001.0)),
            vec![]
        );
        assert_eq!(
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1006
                },
                ctx(10_002.0)
            ),
            vec![]
        );
        assert_eq!(c.phase, Phase::Connecting);
        c.handle(ConnectionEvent::Opened { generation: g2 }, ctx(10_003.0));
        assert_eq!(
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1006
                },
                ctx(10_004.0)
            ),
            vec![]
        );
        assert_eq!(
            c.status(),
            Status::Connected,
            "a stale close cannot mark the new socket closed"
        );
    }

    #[test]
    fn stop_closes_with_1000_and_stays_closed() {
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        assert_eq!(
            c.handle(ConnectionEvent::Stop, ctx(1.0)),
            vec![Command::Close { code: 1000 }]
        );
        assert_eq!(c.status(), Status::Disconnected);
        assert_eq!(
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1000
                },
                ctx(2.0)
            ),
            vec![]
        );
        for e in [
            ConnectionEvent::Tick,
            ConnectionEvent::Online,
            ConnectionEvent::Visible,
            ConnectionEvent::RetryNow,
            ConnectionEvent::Refreshed,
        ] {
            assert_eq!(c.handle(e, ctx(100_000.0)), vec![]);
        }
        assert_eq!(c.phase, Phase::Stopped);
        // Stop while waiting closes nothing.
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        c.handle(
            ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            ctx(1.0),
        );
        assert_eq!(c.handle(ConnectionEvent::Stop, ctx(2.0)), vec![]);
    }

    #[test]
    fn rejection_near_expiry_refreshes_first() {
        let mut c = Connection::new(true);
        c.handle(ConnectionEvent::Start, ctx(0.0));
        let g = c.generation;
        let near = Context {
            now: 10.0,
            rand01: 0.5,
            token_near_expiry: true,
            token_expired: false,
        };
        assert_eq!(
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1006
                },
                near
            ),
            refreshes(10.0)
        );
        assert_eq!(c.phase, Phase::Refreshing);
        assert_eq!(
            c.handle(ConnectionEvent::Refreshed, ctx(20.0)),
            opens(g + 1, 20.0)
        );
    }

    #[test]
    fn two_rejections_in_a_row_refresh_even_with_time_left() {
        let mut c = Connection::new(true);
        c.handle(ConnectionEvent::Start, ctx(0.0));
        let cmds = c.handle(
            ConnectionEvent::Closed {
                generation: c.generation,
                code: 1006,
            },
            ctx(1.0),
        );
        assert!(
            matches!(cmds[..], [Command::WakeAt(_)]),
            "one rejection may be the network"
        );
        let Phase::Waiting { retry_at } = c.phase else {
            panic!()
        };
        c.handle(ConnectionEvent::Tick, ctx(retry_at));
        let cmds = c.handle(
            ConnectionEvent::Closed {
                generation: c.generation,
                code: 1006,
            },
            ctx(retry_at + 1.0),
        );
        assert_eq!(cmds, refreshes(retry_at + 1.0));
        // Refresh failing on the network backs off, then refreshes again: no 403 loop.
        let cmds = c.handle(ConnectionEvent::RefreshFailed, ctx(retry_at + 2.0));
        let [Command::WakeAt(at)] = cmds[..] else {
            panic!("{cmds:?}")
        };
        assert_eq!(c.status(), Status::Reconnecting);
        assert_eq!(c.handle(ConnectionEvent::Tick, ctx(at)), refreshes(at));
        assert_eq!(
            c.handle(ConnectionEvent::Refreshed, ctx(at + 1.0)),
            opens(c.generation, at + 1.0)
        );
        assert!(matches!(c.phase, Phase::Connecting));
    }

    #[test]
    fn starting_with_an_expired_token_refreshes_first() {
        let mut c = Connection::new(true);
        let cmds = c.handle(
            ConnectionEvent::Start,
            Context {
                now: 0.0,
                rand01: 0.5,
                token_near_expiry: true,
                token_expired: true,
            },
        );
        assert_eq!(cmds, refreshes(0.0));
        assert_eq!(c.status(), Status::Connecting);
        // Close to expiry but still valid: use it.
        let mut c = Connection::new(true);
        let near = Context {
            now: 0.0,
            rand01: 0.5,
            token_near_expiry: true,
            token_expired: false,
        };
        assert_eq!(c.handle(ConnectionEvent::Start, near), opens(1, 0.0));
    }

    #[test]
    fn heartbeat_pings_every_25s_and_declares_silence_dead() {
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(10_000.0)),
            vec![Command::WakeAt(PING_EVERY_MS)]
        );
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(PING_EVERY_MS)),
            vec![
                Command::SendPing,
                Command::WakeAt(PING_EVERY_MS + PONG_TIMEOUT_MS)
            ]
        );
        // A pong (any frame) clears it.
        c.handle(ConnectionEvent::Frame { generation: g }, ctx(26_000.0));
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(35_000.0)),
            vec![Command::WakeAt(50_000.0)]
        );
        assert_eq!(
            c.handle(ConnectionEvent::Tick, ctx(50_000.0)),
            vec![Command::SendPing, Command::WakeAt(60_000.0)]
        );
        // Nothing for 10 s: close it and reconnect.
        let cmds = c.handle(ConnectionEvent::Tick, ctx(60_000.0));
        assert_eq!(
            cmds[0],
            Command::Close {
                code: DEAD_CONNECTION_CODE
            }
        );
        assert!(matches!(cmds[1], Command::WakeAt(_)));
        assert_eq!(c.status(), Status::Reconnecting);
        assert_eq!(
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1006
                },
                ctx(60_001.0)
            ),
            vec![],
            "its own close is stale"
        );
    }

    #[test]
    fn throttled_timers_are_judged_by_the_clock() {
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        c.handle(ConnectionEvent::Tick, ctx(PING_EVERY_MS));
        // The pong arrived, but the tab's timer only fires a minute later: still alive.
        c.handle(ConnectionEvent::Frame { generation: g }, ctx(25_100.0));
        let cmds = c.handle(ConnectionEvent::Tick, ctx(90_000.0));
        assert_eq!(cmds, vec![Command::SendPing, Command::WakeAt(100_000.0)]);
        assert_eq!(c.status(), Status::Connected);
    }

    #[test]
    fn offline_burns_no_attempts_and_online_reconnects_at_once() {
        let mut c = Connection::new(true);
        let g = open(&mut c, 0.0);
        let cmds = c.handle(ConnectionEvent::Offline, ctx(1_000.0));
        assert_eq!(
            cmds,
            vec![Command::SendPing, Command::WakeAt(11_000.0)],
            "check the open socket"
        );
        c.handle(
            ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            ctx(2_000.0),
        );
        assert_eq!(c.status(), Status::Offline);
        let attempts = c.attempt;
        for t in [10_000.0, 100_000.0] {
            assert_eq!(c.handle(ConnectionEvent::Tick, ctx(t)), vec![]);
        }
        assert_eq!(c.attempt, attempts);
        assert_eq!(
            c.handle(ConnectionEvent::Online, ctx(200_000.0)),
            opens(g + 1, 200_000.0)
        );
        // Going offline while waiting parks the wait.
        let g = c.generation;
        c.handle(
            ConnectionEvent::Closed {
                generation: g,
                code: 1006,
            },
            ctx(200_001.0),
        );
        c.handle(ConnectionEvent::Offline, ctx(200_002.0));
        assert_eq!(c.phase, Phase::Offline);
        // Start while offline waits too.
        let mut c = Connection::new(false);
        assert_eq!(c.handle(ConnectionEvent::Start, ctx(0.0)), vec![]);
        assert_eq!(c.status(), Status::Offline);
        assert_eq!(c.handle(ConnectionEvent::Online, ctx(1.0)), opens(1, 1.0));
    }

    #[test]
    fn visible_and_retry_now_skip_the_wait() {
        for e in [ConnectionEvent::Visible, ConnectionEvent::RetryNow] {
            let mut c = Connection::new(true);
            let g = open(&mut c, 0.0);
            c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1006,
                },
                ctx(1.0),
            );
            assert_eq!(c.handle(e.clone(), ctx(2.0)), opens(g + 1, 2.0), "{e:?}");
        }
        // Visible while open after a long silence: check liveness now.
        let mut c = Connection::new(true);
        open(&mut c, 0.0);
        assert_eq!(c.handle(ConnectionEvent::Visible, ctx(1_000.0)), vec![]);
        assert_eq!(
            c.handle(ConnectionEvent::Visible, ctx(100_000.0)),
            vec![Command::SendPing, Command::WakeAt(110_000.0)]
        );
    }

    #[test]
    fn thousands_of_clients_spread_their_first_retry() {
        // Same drop moment, different random draws: retries spread over the whole 2 s window.
        let mut seconds = [0usize; 3];
        for i in 0..1000 {
            let mut c = Connection::new(true);
            let g = open(&mut c, 0.0);
            let r = (i as f64 + 0.5) / 1000.0;
            let cmds = c.handle(
                ConnectionEvent::Closed {
                    generation: g,
                    code: 1001,
                },
                Context {
                    now: 0.0,
                    rand01: r,
                    token_near_expiry: false,
                    token_expired: false,
                },
            );
            let Command::WakeAt(at) = cmds[0] else {
                panic!()
            };
            seconds[(at / 1000.0) as usize] += 1;
        }
        assert_eq!(seconds, [500, 500, 0]);
    }
}

//! What the connection did, for support: a bounded log of this tab's transitions (socket
//! connect, open and close, token refreshes, the tab's role, history reads) and the plain-text
//! report a user copies into a support ticket.
//!
//! Nothing here holds a token or a message text: a [`Transition`] carries numbers and kinds
//! only (never an error's body or a URL), and the report strips the query, the fragment and any
//! user info from the URLs it is given. Pure: the recorder that fills it lives in
//! `services::diagnostics`, the wording of the panel in `i18n`.
//!
//! ```
//! use herald::state::diagnostics::{DiagnosticsLog, Transition, CAPACITY};
//! let mut log = DiagnosticsLog::default();
//! for socket in 0..150 {
//!     log.record(socket as f64, Transition::Connect { socket });
//! }
//! assert_eq!(log.entries().count(), CAPACITY);
//! assert_eq!(log.forgotten(), 50);
//! ```

use std::collections::VecDeque;

use crate::protocol::rest::History;
use crate::state::burst::Tick;
use crate::state::connection::{Command, ConnectionEvent, Status};
use crate::state::remote::ApiError;
use crate::state::tabs::SocketRole;
use crate::state::time::iso_utc;

/// How many transitions are kept; the oldest goes first.
pub const CAPACITY: usize = 100;

/// This build's version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit this build was made from, when the build said (`cargo xtask build` sets
/// `HERALD_GIT_COMMIT` from the local repository; nothing is fetched).
pub const COMMIT: Option<&str> = option_env!("HERALD_GIT_COMMIT");

/// Why a REST call got no usable answer: the kind and the status only, never a body, a
/// message or a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, DNS, refused, CORS.
    Network,
    /// No answer within the deadline.
    TimedOut,
    /// The session had ended (signed out meanwhile, or the refresh token was refused).
    SessionEnded,
    /// An answer with this HTTP status that could not be used.
    Http(u16),
}

impl From<&ApiError> for Failure {
    fn from(e: &ApiError) -> Self {
        match e {
            ApiError::Network(_) => Failure::Network,
            ApiError::Timeout => Failure::TimedOut,
            ApiError::SessionExpired => Failure::SessionEnded,
            ApiError::Server(status) | ApiError::Rejected { status, .. } => Failure::Http(*status),
        }
    }
}

/// How a token refresh ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// A new access token (from the server, or one another tab had just stored).
    Renewed,
    /// The refresh token was refused, or the session ended meanwhile: signed out.
    Refused,
    /// No new token this time (network, deadline, server error); tried again later.
    Failed(Failure),
}

/// One thing that happened to this tab's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// A socket is being opened (the number tells this tab's sockets apart: the connection
    /// machine's generation).
    Connect {
        /// Which socket.
        socket: u64,
    },
    /// The socket opened.
    Opened {
        /// Which socket.
        socket: u64,
    },
    /// The socket closed: the server, a proxy or the network closed it.
    Closed {
        /// Which socket.
        socket: u64,
        /// The close code (1006: abnormal, or the upgrade was refused).
        code: u16,
    },
    /// Herald closed the socket itself (sign-out, page hidden, a dead connection).
    ClosedByHerald {
        /// The close code it used.
        code: u16,
    },
    /// A token refresh ended.
    Refresh(RefreshOutcome),
    /// This tab's part in sharing the socket changed.
    Role(SocketRole),
    /// The status of the socket another tab holds (only while this tab follows it: it has no
    /// socket events of its own).
    Status(Status),
    /// The history was read: the rows it had and the rows skipped as unreadable.
    HistoryRead {
        /// Rows read.
        rows: usize,
        /// Rows skipped.
        skipped: usize,
    },
    /// The history could not be read.
    HistoryFailed(Failure),
    /// The history was read again after a burst of frames, some of which the server may have
    /// dropped.
    BurstReread,
    /// The browser went online.
    Online,
    /// The browser went offline.
    Offline,
    /// The user asked to retry now.
    RetryNow,
}

impl Transition {
    /// What an event of the connection machine says, if it is worth keeping (frames and
    /// timer ticks are not, nor a stop: a stop that closes a socket is a
    /// [`Transition::ClosedByHerald`], and one without a socket, as on the sign-in page, is
    /// nothing).
    pub fn of_event(event: &ConnectionEvent) -> Option<Self> {
        Some(match *event {
            ConnectionEvent::Opened { generation } => Transition::Opened { socket: generation },
            ConnectionEvent::Closed { generation, code } => Transition::Closed {
                socket: generation,
                code,
            },
            ConnectionEvent::Online => Transition::Online,
            ConnectionEvent::Offline => Transition::Offline,
            ConnectionEvent::RetryNow => Transition::RetryNow,
            _ => return None,
        })
    }

    /// What a command of the connection machine says, if it is worth keeping.
    pub fn of_command(command: &Command) -> Option<Self> {
        Some(match *command {
            Command::Open { generation } => Transition::Connect { socket: generation },
            Command::Close { code } => Transition::ClosedByHerald { code },
            _ => return None,
        })
    }

    /// How a refresh ended.
    pub fn refresh<T>(result: &Result<T, ApiError>) -> Self {
        Transition::Refresh(match result {
            Ok(_) => RefreshOutcome::Renewed,
            Err(ApiError::SessionExpired) => RefreshOutcome::Refused,
            Err(e) => RefreshOutcome::Failed(e.into()),
        })
    }

    /// How a history read ended.
    pub fn history(result: &Result<History, ApiError>) -> Self {
        match result {
            Ok(h) => Transition::HistoryRead {
                rows: h.rows.len(),
                skipped: h.skipped,
            },
            Err(e) => Transition::HistoryFailed(e.into()),
        }
    }

    /// The burst policy's tick: a re-read is a transition, waiting is not.
    pub fn of_tick(tick: Tick) -> Option<Self> {
        (tick == Tick::Resync).then_some(Transition::BurstReread)
    }

    /// One line of the support report (English: support reads it; the panel words it in the
    /// user's language).
    pub fn describe(&self) -> String {
        match *self {
            Transition::Connect { socket } => format!("socket {socket}: connecting"),
            Transition::Opened { socket } => format!("socket {socket}: open"),
            Transition::Closed { socket, code } => format!("socket {socket}: closed, code {code}"),
            Transition::ClosedByHerald { code } => format!("socket closed by Herald, code {code}"),
            Transition::Refresh(RefreshOutcome::Renewed) => "token refresh: ok".into(),
            Transition::Refresh(RefreshOutcome::Refused) => {
                "token refresh: refused (session ended)".into()
            }
            Transition::Refresh(RefreshOutcome::Failed(f)) => {
                format!("token refresh: failed ({})", failure(f))
            }
            Transition::Role(role) => format!("tab role: {}", role.as_str()),
            Transition::Status(status) => {
                format!("status of the other tab's socket: {}", status.as_str())
            }
            Transition::HistoryRead { rows, skipped } => {
                format!("history read: ok, {rows} rows, {skipped} skipped")
            }
            Transition::HistoryFailed(f) => format!("history read: failed ({})", failure(f)),
            Transition::BurstReread => {
                "history re-read after a burst (frames may have been dropped)".into()
            }
            Transition::Online => "browser online".into(),
            Transition::Offline => "browser offline".into(),
            Transition::RetryNow => "Retry now".into(),
        }
    }
}

fn failure(f: Failure) -> String {
    match f {
        Failure::Network => "network failure".into(),
        Failure::TimedOut => "timed out".into(),
        Failure::SessionEnded => "session ended".into(),
        Failure::Http(status) => format!("HTTP {status}"),
    }
}

/// A transition and when it happened (ms since the epoch).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// When.
    pub at: f64,
    /// What.
    pub what: Transition,
}

/// The newest [`CAPACITY`] transitions of this tab, and counters that outlive them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiagnosticsLog {
    entries: VecDeque<Entry>,
    recorded: u64,
    rereads: u64,
    role: Option<SocketRole>,
    status: Option<Status>,
}

impl DiagnosticsLog {
    /// Keeps `what`, letting the oldest go beyond [`CAPACITY`].
    pub fn record(&mut self, at: f64, what: Transition) {
        if what == Transition::BurstReread {
            self.rereads += 1;
        }
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry { at, what });
        self.recorded += 1;
    }

    /// What the socket service published: its role when it changed, and, in a follower, the
    /// status of the other tab's socket when it changed. Whether anything was kept.
    pub fn published(&mut self, at: f64, role: SocketRole, status: Status) -> bool {
        let mut kept = false;
        if self.role != Some(role) {
            self.role = Some(role);
            self.status = None;
            self.record(at, Transition::Role(role));
            kept = true;
        }
        if role == SocketRole::Follower && self.status != Some(status) {
            self.status = Some(status);
            self.record(at, Transition::Status(status));
            kept = true;
        }
        kept
    }

    /// The kept transitions, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Transitions recorded but no longer kept.
    pub fn forgotten(&self) -> u64 {
        self.recorded - self.entries.len() as u64
    }

    /// History re-reads after a burst (each one: frames may have been dropped).
    pub fn rereads(&self) -> u64 {
        self.rereads
    }
}

/// Frame counters of the session's sockets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameCounters {
    /// Frames received.
    pub received: u64,
    /// Frames skipped: not JSON, no type, missing a needed field, too large, binary.
    pub skipped: u64,
    /// Frames of a type this client does not know.
    pub unknown: u64,
}

/// Everything the support report says.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// When the report was made (ms since the epoch).
    pub now: f64,
    /// The configured API base.
    pub api_base: &'a str,
    /// The configured socket URL (stripped again here: a socket URL with a token in its
    /// query never reaches the report).
    pub socket_url: &'a str,
    /// The browser (its user agent).
    pub browser: &'a str,
    /// The status shown now.
    pub status: Status,
    /// This tab's part in sharing the socket.
    pub role: SocketRole,
    /// Frame counters.
    pub frames: FrameCounters,
    /// The transitions.
    pub log: &'a DiagnosticsLog,
}

impl Report<'_> {
    /// The plain text for a support ticket, in English, times in UTC.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("Herald connection report\n");
        let commit = COMMIT.map(|c| format!(" (commit {c})")).unwrap_or_default();
        let _ = writeln!(out, "Version: {VERSION}{commit}");
        let _ = writeln!(out, "Made at: {}", stamp(self.now));
        let _ = writeln!(out, "API: {}", without_secrets(self.api_base));
        let _ = writeln!(out, "Socket: {}", without_secrets(self.socket_url));
        let _ = writeln!(out, "Browser: {}", self.browser.replace(['\r', '\n'], " "));
        let _ = writeln!(
            out,
            "Status: {} (this tab: {})",
            self.status.as_str(),
            self.role.as_str()
        );
        let _ = writeln!(out, "Frames received: {}", self.frames.received);
        let _ = writeln!(out, "Frames skipped (unreadable): {}", self.frames.skipped);
        let _ = writeln!(out, "Frames of unknown type: {}", self.frames.unknown);
        let _ = writeln!(
            out,
            "History re-reads after a burst: {}",
            self.log.rereads()
        );
        let kept = self.log.entries().len();
        let _ = writeln!(
            out,
            "Transitions, oldest first ({kept} kept, {} older ones forgotten):",
            self.log.forgotten()
        );
        for e in self.log.entries() {
            let _ = writeln!(out, "{}  {}", stamp(e.at), e.what.describe());
        }
        out
    }
}

/// `2025-12-30T12:40:49.474Z`; `?` outside the years 0000–9999.
fn stamp(ms: f64) -> String {
    let iso = iso_utc(ms);
    if iso.is_empty() {
        return "?".into();
    }
    let millis = ms.rem_euclid(1_000.0).floor() as u32;
    format!("{}.{millis:03}Z", iso.trim_end_matches('Z'))
}

/// `url` without its query, fragment and user info (where a token or a password could be).
pub fn without_secrets(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        // Not an absolute URL: keep nothing that could be a secret.
        return url.split('@').next_back().unwrap_or_default().to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let host = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    format!("{}{host}", &url[..scheme_end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuntimeConfig;
    use crate::protocol::rest::User;
    use crate::state::session::Session;

    fn report_of(log: &DiagnosticsLog, api: &str, socket: &str) -> String {
        Report {
            now: 1_767_098_449_474.0,
            api_base: api,
            socket_url: socket,
            browser: "Test browser",
            status: Status::Connected,
            role: SocketRole::Leader,
            frames: FrameCounters {
                received: 12,
                skipped: 2,
                unknown: 1,
            },
            log,
        }
        .text()
    }

    #[test]
    fn the_log_keeps_the_newest_hundred_in_order() {
        let mut log = DiagnosticsLog::default();
        for socket in 0..250 {
            log.record(socket as f64, Transition::Connect { socket });
            assert!(log.entries().len() <= CAPACITY);
        }
        assert_eq!(log.entries().len(), CAPACITY);
        assert_eq!(log.forgotten(), 150);
        let sockets: Vec<u64> = log
            .entries()
            .map(|e| match e.what {
                Transition::Connect { socket } => socket,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(sockets, (150..250).collect::<Vec<_>>());
        // The report lists exactly the kept ones.
        let text = report_of(&log, "https://api.example.org", "wss://api.example.org/ws/");
        assert_eq!(text.matches(": connecting").count(), CAPACITY);
        assert!(text.contains("(100 kept, 150 older ones forgotten)"));
        assert!(!text.contains("socket 149: connecting"));
        assert!(text.contains("socket 249: connecting"));
    }

    #[test]
    fn rereads_are_counted_beyond_the_cap() {
        let mut log = DiagnosticsLog::default();
        for i in 0..130 {
            log.record(i as f64, Transition::BurstReread);
        }
        assert_eq!(log.rereads(), 130);
        assert_eq!(log.entries().len(), CAPACITY);
    }

    #[test]
    fn machine_events_and_commands_worth_keeping() {
        use Transition as T;
        let cases = [
            (
                ConnectionEvent::Opened { generation: 3 },
                Some(T::Opened { socket: 3 }),
            ),
            (
                ConnectionEvent::Closed {
                    generation: 3,
                    code: 4012,
                },
                Some(T::Closed {
                    socket: 3,
                    code: 4012,
                }),
            ),
            (ConnectionEvent::Online, Some(T::Online)),
            (ConnectionEvent::Offline, Some(T::Offline)),
            (ConnectionEvent::RetryNow, Some(T::RetryNow)),
            (ConnectionEvent::Stop, None),
            (ConnectionEvent::Frame { generation: 3 }, None),
            (ConnectionEvent::Tick, None),
            (ConnectionEvent::Start, None),
            (ConnectionEvent::Visible, None),
            (ConnectionEvent::Refreshed, None),
            (ConnectionEvent::RefreshFailed, None),
        ];
        for (event, want) in cases {
            assert_eq!(T::of_event(&event), want, "{event:?}");
        }
        assert_eq!(
            T::of_command(&Command::Open { generation: 4 }),
            Some(T::Connect { socket: 4 })
        );
        assert_eq!(
            T::of_command(&Command::Close { code: 4000 }),
            Some(T::ClosedByHerald { code: 4000 })
        );
        assert_eq!(T::of_command(&Command::SendPing), None);
        assert_eq!(T::of_command(&Command::Refresh), None);
        assert_eq!(T::of_command(&Command::WakeAt(5.0)), None);
        assert_eq!(T::of_tick(Tick::Resync), Some(T::BurstReread));
        assert_eq!(T::of_tick(Tick::Wait(5)), None);
        assert_eq!(T::of_tick(Tick::Idle), None);
    }

    #[test]
    fn refresh_and_history_outcomes_keep_kinds_and_statuses_only() {
        use Transition as T;
        let secret_body = "token eyJsecret";
        assert_eq!(
            T::refresh(&Ok::<(), _>(())),
            T::Refresh(RefreshOutcome::Renewed)
        );
        assert_eq!(
            T::refresh::<()>(&Err(ApiError::SessionExpired)),
            T::Refresh(RefreshOutcome::Refused)
        );
        assert_eq!(
            T::refresh::<()>(&Err(ApiError::Network(secret_body.into()))),
            T::Refresh(RefreshOutcome::Failed(Failure::Network))
        );
        assert_eq!(
            T::refresh::<()>(&Err(ApiError::Timeout)),
            T::Refresh(RefreshOutcome::Failed(Failure::TimedOut))
        );
        assert_eq!(
            T::refresh::<()>(&Err(ApiError::Server(502))),
            T::Refresh(RefreshOutcome::Failed(Failure::Http(502)))
        );
        let rejected = Err(ApiError::Rejected {
            status: 403,
            body: secret_body.into(),
        });
        assert_eq!(T::history(&rejected), T::HistoryFailed(Failure::Http(403)));
        assert!(!T::history(&rejected).describe().contains("eyJ"));
        assert_eq!(
            T::history(&rejected).describe(),
            "history read: failed (HTTP 403)"
        );
        let history = History::parse(
            r#"{"notifications": [{"id": 1, "message": "secret text"}, {"id": "x"}]}"#,
        );
        let read = T::history(&history.map_err(|_| ApiError::Timeout));
        assert_eq!(
            read,
            T::HistoryRead {
                rows: 1,
                skipped: 1
            }
        );
        assert_eq!(read.describe(), "history read: ok, 1 rows, 1 skipped");
    }

    #[test]
    fn roles_are_kept_when_they_change_and_a_followers_status_too() {
        let mut log = DiagnosticsLog::default();
        assert!(log.published(1.0, SocketRole::Own, Status::Connecting));
        assert!(!log.published(2.0, SocketRole::Own, Status::Connected));
        assert!(log.published(3.0, SocketRole::Follower, Status::Connecting));
        assert!(!log.published(4.0, SocketRole::Follower, Status::Connecting));
        assert!(log.published(5.0, SocketRole::Follower, Status::Connected));
        assert!(log.published(6.0, SocketRole::Leader, Status::Connecting));
        assert!(!log.published(7.0, SocketRole::Leader, Status::Connected));
        let kept: Vec<_> = log.entries().map(|e| (e.at, e.what)).collect();
        assert_eq!(
            kept,
            vec![
                (1.0, Transition::Role(SocketRole::Own)),
                (3.0, Transition::Role(SocketRole::Follower)),
                (3.0, Transition::Status(Status::Connecting)),
                (5.0, Transition::Status(Status::Connected)),
                (6.0, Transition::Role(SocketRole::Leader)),
            ]
        );
    }

    #[test]
    fn urls_lose_query_fragment_and_user_info() {
        for (url, want) in [
            (
                "wss://api.example.org/ws/notifications/?token=eyJabc",
                "wss://api.example.org/ws/notifications/",
            ),
            (
                "https://user:pw@api.example.org/base#frag",
                "https://api.example.org/base",
            ),
            (
                "https://api.example.org/a@b/c?x=1",
                "https://api.example.org/a@b/c",
            ),
            ("ws://127.0.0.1:8000", "ws://127.0.0.1:8000"),
            ("user:pw@host/x?y", "host/x"),
            ("", ""),
        ] {
            assert_eq!(without_secrets(url), want, "{url}");
        }
    }

    #[test]
    fn the_report_never_holds_a_token_even_given_a_socket_url_with_one() {
        let session = Session::received(
            "eyJhbGciOiJIUzI1NiJ9.access-token-secret.sig".into(),
            "eyJhbGciOiJIUzI1NiJ9.refresh-token-secret.sig".into(),
            User {
                id: 35,
                username: "finance1".into(),
                role: None,
                can_transfer_budget: None,
            },
            1_767_098_449_474.0,
        );
        let config = RuntimeConfig::parse(
            r#"{"api_base_url": "https://api.example.org/herald-api"}"#,
            "https://herald.example.org",
        )
        .unwrap();
        let mut log = DiagnosticsLog::default();
        let mut at = 1_767_098_000_000.0;
        let mut push = |what| {
            at += 1_234.0;
            log.record(at, what);
        };
        push(Transition::Connect { socket: 1 });
        push(Transition::Opened { socket: 1 });
        push(Transition::Closed {
            socket: 1,
            code: 4012,
        });
        push(Transition::Refresh(RefreshOutcome::Renewed));
        push(Transition::Refresh(RefreshOutcome::Failed(
            Failure::Network,
        )));
        push(Transition::Role(SocketRole::Leader));
        push(Transition::HistoryRead {
            rows: 3,
            skipped: 0,
        });
        push(Transition::HistoryFailed(Failure::Http(503)));
        // The caller hands over the URL the socket really used: with the token in it.
        let used = config.socket_url(&session.access);
        assert!(used.contains("access-token-secret"));
        let text = report_of(&log, config.api_base_url.as_str(), &used);
        for secret in [&session.access, &session.refresh] {
            assert!(!text.contains(secret.as_str()), "{text}");
        }
        for part in [
            "access-token-secret",
            "refresh-token-secret",
            "token=",
            "eyJ",
        ] {
            assert!(!text.contains(part), "{part} in {text}");
        }
        // What support needs is there.
        for line in [
            "Herald connection report",
            &format!("Version: {VERSION}"),
            "Made at: 2025-12-30T12:40:49.474Z",
            "API: https://api.example.org/herald-api",
            "Socket: wss://api.example.org/ws/notifications/\n",
            "Browser: Test browser",
            "Status: connected (this tab: leader)",
            "Frames received: 12",
            "Frames skipped (unreadable): 2",
            "Frames of unknown type: 1",
            "History re-reads after a burst: 0",
            "(8 kept, 0 older ones forgotten)",
            "2025-12-30T12:33:21.234Z  socket 1: connecting",
            "socket 1: closed, code 4012",
            "token refresh: ok",
            "token refresh: failed (network failure)",
            "tab role: leader",
            "history read: ok, 3 rows, 0 skipped",
            "history read: failed (HTTP 503)",
        ] {
            assert!(text.contains(line), "{line:?} not in {text}");
        }
    }

    #[test]
    fn times_outside_the_calendar_do_not_break_the_report() {
        let mut log = DiagnosticsLog::default();
        log.record(f64::NAN, Transition::Online);
        log.record(1e300, Transition::Offline);
        log.record(-1.0, Transition::RetryNow);
        let text = report_of(&log, "https://a.example", "wss://a.example/ws/");
        assert!(text.contains("?  browser online"));
        assert!(text.contains("?  browser offline"));
        assert!(text.contains("1969-12-31T23:59:59.999Z  Retry now"));
    }
}

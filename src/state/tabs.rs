//! The tabs of one browser and the socket they share: which tab holds it (the leader), what
//! they tell each other about it ([`TabMessage`]; `services/tabs.rs` carries them over a
//! `BroadcastChannel`), and [`Sharing`], this tab's part in it as a pure machine: events
//! ([`TabEvent`]) in, commands ([`TabCommand`]) out, like `state/connection.rs`, whose
//! machine it feeds. The socket service carries the commands out.
//!
//! Messages are short strings behind a one-letter tag. A frame travels exactly as the server
//! sent it, so every tab decodes it with the same rules (and counts what it skips the same way).
//! Anything else on the channel (another version of Herald, garbage) decodes to `None`.

use crate::protocol::rest::Change;
use crate::state::connection::{ConnectionEvent, Status};

/// One message between tabs.
#[derive(Clone, Debug, PartialEq)]
pub enum TabMessage {
    /// A text frame of the shared socket, as received (leader → every tab).
    Frame(String),
    /// The shared connection's status, and when its next attempt starts while waiting
    /// (whole ms since the epoch: every tab reads the same clock) (leader → every tab).
    Status {
        /// Connection status.
        status: Status,
        /// When the next attempt starts.
        retry_at: Option<f64>,
    },
    /// A tab that just joined asks for the status (→ the leader).
    Hello,
    /// The user pressed "Retry now" in a tab that does not hold the socket (→ the leader).
    RetryNow,
    /// A tab that does not hold the socket saw the leader's announced retry time pass: the
    /// leader checks its deadlines now. A hidden leader's timers may be throttled to one a
    /// minute (Chromium's intensive wake-up throttling); a visible follower's are not.
    Wake,
    /// A tab that does not hold the socket became visible: the leader does what a tab coming
    /// back does (reconnect at once when waiting, check a quiet socket).
    Visible,
    /// A tab that does not hold the socket leaves the share (signed out, frozen, closing):
    /// the leader checks whether anyone still listens (→ the leader).
    Bye,
    /// The leader lets go of the socket (its page is hidden, frozen or closing): another tab
    /// takes over.
    Leaving,
    /// The server said the shared socket belongs to another user (a misrouted socket): the
    /// leader signs out, once; every other tab ends its session without telling the server
    /// again (→ every other tab).
    WrongUser,
    /// The server accepted a change the user made in one tab (→ every other tab).
    Changed(Change),
}

impl TabMessage {
    /// The message as sent.
    pub fn encode(&self) -> String {
        match self {
            TabMessage::Frame(text) => {
                let mut out = String::with_capacity(text.len() + 1);
                out.push('f');
                out.push_str(text);
                out
            }
            // Whole milliseconds: integers keep float formatting and parsing out of the wasm.
            TabMessage::Status { status, retry_at } => match retry_at {
                Some(at) => format!("s{} {}", status.as_str(), at.round() as i64),
                None => format!("s{}", status.as_str()),
            },
            TabMessage::Hello => "h".into(),
            TabMessage::RetryNow => "r".into(),
            TabMessage::Wake => "w".into(),
            TabMessage::Visible => "v".into(),
            TabMessage::Leaving => "l".into(),
            TabMessage::Bye => "b".into(),
            TabMessage::WrongUser => "u".into(),
            TabMessage::Changed(Change::ReadOne(id)) => format!("cread {id}"),
            TabMessage::Changed(Change::ReadAll) => "cread_all".into(),
            TabMessage::Changed(Change::Delete(id)) => format!("cdelete {id}"),
        }
    }

    /// A message received; `None` for anything that is not one.
    pub fn decode(text: &str) -> Option<TabMessage> {
        let mut chars = text.chars();
        let tag = chars.next()?;
        let rest = chars.as_str();
        match (tag, rest) {
            ('f', frame) => Some(TabMessage::Frame(frame.to_owned())),
            ('s', status) => {
                let (status, retry_at) = match status.split_once(' ') {
                    Some((s, at)) => (s, Some(at.parse::<i64>().ok()? as f64)),
                    None => (status, None),
                };
                Some(TabMessage::Status {
                    status: Status::parse(status)?,
                    retry_at,
                })
            }
            ('h', "") => Some(TabMessage::Hello),
            ('r', "") => Some(TabMessage::RetryNow),
            ('w', "") => Some(TabMessage::Wake),
            ('v', "") => Some(TabMessage::Visible),
            ('l', "") => Some(TabMessage::Leaving),
            ('b', "") => Some(TabMessage::Bye),
            ('u', "") => Some(TabMessage::WrongUser),
            ('c', "read_all") => Some(TabMessage::Changed(Change::ReadAll)),
            ('c', change) => {
                let (what, id) = change.split_once(' ')?;
                let id = id.parse::<i64>().ok()?;
                match what {
                    "read" => Some(TabMessage::Changed(Change::ReadOne(id))),
                    "delete" => Some(TabMessage::Changed(Change::Delete(id))),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Which tab holds the socket, as the connection status shows it (`data-socket-role`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SocketRole {
    /// This tab has its own socket: the browser cannot share one (no `navigator.locks` or
    /// `BroadcastChannel`), or nobody is signed in.
    #[default]
    Own,
    /// This tab holds the socket and shares it with the other tabs.
    Leader,
    /// Another tab holds the socket; this one receives what it forwards.
    Follower,
}

impl SocketRole {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            SocketRole::Own => "own",
            SocketRole::Leader => "leader",
            SocketRole::Follower => "follower",
        }
    }
}

/// The name of the lock and channel of one user's shared socket. The socket URL is part of it,
/// so two deployments on one origin (different API bases) never share a socket.
pub fn share_name(socket_url: &str, user_id: i64) -> String {
    format!("herald.socket.{user_id}.{socket_url}")
}

/// How often a leader asks the browser whether any other tab still waits for its socket (a
/// follower that crashed says no goodbye).
pub const PRESENCE_CHECK_MS: u32 = 15_000;

/// A follower reminds the leader this long after the leader's announced retry time (the
/// leader's own timer normally wins; a hidden leader's may be throttled).
pub const NUDGE_AFTER_MS: f64 = 250.0;

/// Where the server said the socket belongs to another user than the session's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misrouted {
    /// On this tab's socket: this tab signs out (and tells the server).
    Here,
    /// On the socket another tab holds: that tab signs out; this one only ends its session.
    InAnotherTab,
}

/// Things that happen to this tab's part in the share.
#[derive(Clone, Debug, PartialEq)]
pub enum TabEvent {
    /// A session of `user` (new tokens included): connect, through the share where the
    /// browser can share.
    Start {
        /// The session's user.
        user: i64,
    },
    /// Sign-out: close, leave the share, stay out.
    Stop,
    /// The page is frozen, or hidden and maybe leaving (`freeze`, `pagehide`).
    Suspend,
    /// The page is back (`resume`, `pageshow`), with the session storage holds now.
    Resume {
        /// That session's user, if any.
        user: Option<i64>,
    },
    /// [`TabCommand::Join`] succeeded: this tab waits in line for the lock.
    Joined,
    /// [`TabCommand::Join`] failed: the browser cannot share (no `navigator.locks` or
    /// `BroadcastChannel`).
    CannotShare,
    /// This tab now holds the share's lock.
    Elected,
    /// The browser refused the lock (site data blocked: `SecurityError`).
    Refused,
    /// Another tab of the share posted this.
    Message(TabMessage),
    /// Time for the leader's periodic presence check.
    PresenceDue,
    /// The answer to [`TabCommand::CheckPresence`].
    Presence {
        /// The hello count the check was started at.
        hellos: u64,
        /// Whether another tab waits for the lock (`None`: the browser cannot say).
        waiting: Option<bool>,
    },
    /// Time for a follower's reminder ([`TabCommand::NudgeAt`]).
    NudgeDue,
    /// The user pressed "Retry now".
    RetryNow,
    /// The page became visible.
    Visible,
    /// The server said whose socket it is (`connection_established.user_id`).
    SocketUser(i64),
}

/// What the socket service must do for the share.
#[derive(Clone, Debug, PartialEq)]
pub enum TabCommand {
    /// The session that came with the event becomes the socket's.
    TakeSession,
    /// Forget the session (signed out, or the socket was someone else's).
    EndSession,
    /// Join `user`'s share (queue for its lock, open its channel), then report
    /// [`TabEvent::Joined`] or [`TabEvent::CannotShare`].
    Join {
        /// Whose share.
        user: i64,
    },
    /// Leave the share: its lock goes to the next tab, its channel closes.
    Leave,
    /// Tell every other tab of the share.
    Post(TabMessage),
    /// Tell every other tab this tab's connection status ([`TabMessage::Status`]).
    PostStatus,
    /// Feed this to the connection machine.
    Connection(ConnectionEvent),
    /// Show the UI what changed (a follower shows [`Sharing::status_shown`]).
    Publish,
    /// A frame the leader forwarded: route it as one of this tab's own.
    Route(String),
    /// Give this tab's subscribers what a connect gives (a hello without a user): it joined
    /// a live socket.
    DeliverConnected,
    /// Hand a change another tab made to this tab's change subscribers.
    Changed(Change),
    /// Report [`TabEvent::NudgeDue`] at this time (replaces any earlier reminder).
    NudgeAt(f64),
    /// No reminder.
    CancelNudge,
    /// Ask the browser whether another tab waits for the lock, then report
    /// [`TabEvent::Presence`] with these `hellos`.
    CheckPresence {
        /// The hello count now.
        hellos: u64,
    },
    /// Report [`TabEvent::PresenceDue`] every `ms`.
    CheckPresenceEvery(u32),
    /// No more periodic presence checks.
    StopPresenceChecks,
    /// Tell the session that the socket belonged to another user.
    Report(Misrouted),
}

/// This tab's part in the user's socket share. One tab of a user, the leader, holds the
/// share's lock and the socket; the others (followers) wait in line for the lock and show
/// what the leader forwards. Where the browser cannot share, or refuses the lock, the tab
/// keeps its own socket.
#[derive(Clone, Debug, PartialEq)]
pub struct Sharing {
    role: SocketRole,
    /// The session's user.
    user: Option<i64>,
    /// The page is frozen or hidden for good: out of the share until it comes back.
    suspended: bool,
    /// The browser refused the lock: this page keeps its own socket for the rest of its life.
    refused: bool,
    /// A follower has heard the leader's status since it joined.
    heard_leader: bool,
    /// A leader forwards frames only while another tab may be listening.
    forwarding: bool,
    /// Hellos heard: a presence check started before one does not turn forwarding off.
    hellos: u64,
    /// The leader's status and retry time, as a follower last heard them.
    leader_status: (Status, Option<f64>),
}

impl Default for Sharing {
    fn default() -> Self {
        Self {
            role: SocketRole::Own,
            user: None,
            suspended: false,
            refused: false,
            heard_leader: false,
            forwarding: true,
            hellos: 0,
            leader_status: (Status::Connecting, None),
        }
    }
}

impl Sharing {
    /// Which tab holds the socket, as this one sees it.
    pub fn role(&self) -> SocketRole {
        self.role
    }

    /// The status and retry time a follower shows (the leader's); `None` where this tab's own
    /// connection is what it shows.
    pub fn status_shown(&self) -> Option<(Status, Option<f64>)> {
        (self.role == SocketRole::Follower).then_some(self.leader_status)
    }

    /// The message forwarding a frame of this tab's socket, when it is a leader and another
    /// tab may be listening (posting costs an IPC even when nobody listens).
    pub fn forward(&self, frame: String) -> Option<TabMessage> {
        (self.role == SocketRole::Leader && self.forwarding).then_some(TabMessage::Frame(frame))
    }

    /// The message announcing a new status of this tab's connection, when it is the leader.
    pub fn announce(&self, status: Status, retry_at: Option<f64>) -> Option<TabMessage> {
        (self.role == SocketRole::Leader).then_some(TabMessage::Status { status, retry_at })
    }

    /// Applies one event.
    pub fn handle(&mut self, event: TabEvent) -> Vec<TabCommand> {
        use SocketRole::{Follower, Leader, Own};
        match event {
            TabEvent::Start { user } => {
                // Another user signed in (in another tab): the old user's socket must not
                // carry on.
                let mut commands = if self.user.is_some_and(|u| u != user) {
                    self.stop()
                } else {
                    vec![]
                };
                self.user = Some(user);
                commands.push(TabCommand::TakeSession);
                if !self.suspended {
                    commands.extend(self.connect(user));
                }
                commands
            }
            TabEvent::Stop => self.stop(),
            TabEvent::Suspend => {
                if self.role == Own {
                    return vec![];
                }
                // A leader lets another tab take over; a follower leaves the queue (a frozen
                // tab granted the lock would hold everyone's socket hostage).
                self.suspended = true;
                self.leave()
            }
            TabEvent::Resume { user } => {
                if !self.suspended {
                    return vec![];
                }
                self.suspended = false;
                match user {
                    Some(user) => self.handle(TabEvent::Start { user }),
                    None => self.stop(),
                }
            }
            TabEvent::Joined => {
                self.role = Follower;
                self.heard_leader = false;
                self.leader_status = (Status::Connecting, None);
                // Whoever holds the socket answers with its status.
                vec![TabCommand::Post(TabMessage::Hello), TabCommand::Publish]
            }
            TabEvent::CannotShare => {
                self.role = Own;
                vec![TabCommand::Connection(ConnectionEvent::Start)]
            }
            TabEvent::Elected => {
                if self.role != Follower || self.user.is_none() {
                    return vec![];
                }
                self.role = Leader;
                // Until the check says otherwise, forward (a follower may have said hello
                // before this tab was elected).
                self.forwarding = true;
                vec![
                    TabCommand::CancelNudge,
                    TabCommand::CheckPresence {
                        hellos: self.hellos,
                    },
                    TabCommand::CheckPresenceEvery(PRESENCE_CHECK_MS),
                    TabCommand::Connection(ConnectionEvent::Start),
                ]
            }
            TabEvent::Refused => {
                self.refused = true;
                if self.role == Own {
                    return vec![];
                }
                let mut commands = self.forget_role();
                commands.push(TabCommand::Leave);
                commands.push(if self.user.is_none() || self.suspended {
                    TabCommand::Publish
                } else {
                    TabCommand::Connection(ConnectionEvent::Start)
                });
                commands
            }
            TabEvent::Message(message) => self.message(message),
            TabEvent::PresenceDue => match self.role {
                Leader => vec![TabCommand::CheckPresence {
                    hellos: self.hellos,
                }],
                _ => vec![],
            },
            TabEvent::Presence { hellos, waiting } => {
                // A hello that arrived meanwhile wins over a "no".
                if hellos == self.hellos && self.role == Leader {
                    self.forwarding = waiting.unwrap_or(true);
                }
                vec![]
            }
            TabEvent::NudgeDue => match self.role {
                Follower => vec![TabCommand::Post(TabMessage::Wake)],
                _ => vec![],
            },
            // In a follower, the leader is asked: its page may be hidden.
            TabEvent::RetryNow => match self.role {
                Follower => vec![TabCommand::Post(TabMessage::RetryNow)],
                _ => vec![TabCommand::Connection(ConnectionEvent::RetryNow)],
            },
            TabEvent::Visible => match self.role {
                Follower => vec![TabCommand::Post(TabMessage::Visible)],
                _ => vec![TabCommand::Connection(ConnectionEvent::Visible)],
            },
            TabEvent::SocketUser(server_user) => {
                if self.user.is_none_or(|u| u == server_user) {
                    return vec![];
                }
                // A misrouted socket: stop, and let the session end. This tab signs out, once;
                // the other tabs are told to end theirs.
                let mut commands = match self.role {
                    Leader => vec![TabCommand::Post(TabMessage::WrongUser)],
                    _ => vec![],
                };
                commands.extend(self.end_session());
                commands.push(TabCommand::Report(Misrouted::Here));
                commands
            }
        }
    }

    /// A message another tab posted.
    fn message(&mut self, message: TabMessage) -> Vec<TabCommand> {
        use SocketRole::{Follower, Leader, Own};
        if self.role == Own {
            return vec![];
        }
        match (message, self.role) {
            (TabMessage::Frame(text), Follower) => vec![TabCommand::Route(text)],
            (TabMessage::Status { status, retry_at }, Follower) => {
                self.leader_status = (status, retry_at);
                let mut commands = vec![
                    match retry_at {
                        Some(at) => TabCommand::NudgeAt(at + NUDGE_AFTER_MS),
                        None => TabCommand::CancelNudge,
                    },
                    TabCommand::Publish,
                ];
                // Joining a live socket is this tab's connect: its subscribers get what a
                // connect gives (and re-read the history it missed). A socket still on its
                // way sends the real event later.
                if !std::mem::replace(&mut self.heard_leader, true) && status == Status::Connected {
                    commands.push(TabCommand::DeliverConnected);
                }
                commands
            }
            // Whoever held the socket let go: another tab takes it at once.
            (TabMessage::Leaving, Follower) => {
                self.leader_status = (Status::Connecting, None);
                vec![TabCommand::Publish]
            }
            (TabMessage::Hello, Leader) => {
                self.forwarding = true;
                self.hellos += 1;
                vec![TabCommand::PostStatus]
            }
            (TabMessage::Bye, Leader) => vec![TabCommand::CheckPresence {
                hellos: self.hellos,
            }],
            (TabMessage::RetryNow, Leader) => {
                vec![TabCommand::Connection(ConnectionEvent::RetryNow)]
            }
            // Deadline checks: a no-op unless something is due.
            (TabMessage::Wake, Leader) => vec![TabCommand::Connection(ConnectionEvent::Tick)],
            (TabMessage::Visible, Leader) => {
                vec![TabCommand::Connection(ConnectionEvent::Visible)]
            }
            (TabMessage::WrongUser, Follower) => {
                let mut commands = self.end_session();
                commands.push(TabCommand::Report(Misrouted::InAnotherTab));
                commands
            }
            (TabMessage::Changed(change), _) => vec![TabCommand::Changed(change)],
            _ => vec![],
        }
    }

    /// Connects `user`'s session: through the share (joining it first), or with a socket of
    /// this tab's own.
    fn connect(&mut self, user: i64) -> Vec<TabCommand> {
        match self.role {
            // The leader's socket serves this tab; it says how it is doing.
            SocketRole::Follower => vec![TabCommand::Publish],
            SocketRole::Leader => vec![TabCommand::Connection(ConnectionEvent::Start)],
            SocketRole::Own if !self.refused => vec![TabCommand::Join { user }],
            SocketRole::Own => vec![TabCommand::Connection(ConnectionEvent::Start)],
        }
    }

    /// Sign-out: no session, not suspended, out of the share.
    fn stop(&mut self) -> Vec<TabCommand> {
        self.suspended = false;
        self.end_session()
    }

    fn end_session(&mut self) -> Vec<TabCommand> {
        self.user = None;
        let mut commands = vec![TabCommand::EndSession];
        commands.extend(self.leave());
        commands
    }

    /// Stops the socket, then leaves the share: the socket is closed before the lock goes to
    /// the next tab, so the server never sees two.
    fn leave(&mut self) -> Vec<TabCommand> {
        let was = self.role;
        let mut commands = self.forget_role();
        commands.push(TabCommand::Connection(ConnectionEvent::Stop));
        match was {
            SocketRole::Leader => {
                commands.extend([TabCommand::Post(TabMessage::Leaving), TabCommand::Leave])
            }
            SocketRole::Follower => {
                commands.extend([TabCommand::Post(TabMessage::Bye), TabCommand::Leave])
            }
            SocketRole::Own => {}
        }
        commands
    }

    /// Back to a tab of its own; a follower's reminder or a leader's checks end.
    fn forget_role(&mut self) -> Vec<TabCommand> {
        match std::mem::replace(&mut self.role, SocketRole::Own) {
            SocketRole::Leader => vec![TabCommand::StopPresenceChecks],
            SocketRole::Follower => vec![TabCommand::CancelNudge],
            SocketRole::Own => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<TabMessage> {
        vec![
            TabMessage::Frame(r#"{"type":"notification","message":"hi"}"#.into()),
            TabMessage::Frame(String::new()),
            TabMessage::Frame("not json at all 🙂".into()),
            TabMessage::Status {
                status: Status::Connected,
                retry_at: None,
            },
            TabMessage::Status {
                status: Status::Reconnecting,
                retry_at: Some(1_764_646_000_123.0),
            },
            TabMessage::Status {
                status: Status::Offline,
                retry_at: None,
            },
            TabMessage::Hello,
            TabMessage::RetryNow,
            TabMessage::Wake,
            TabMessage::Visible,
            TabMessage::Leaving,
            TabMessage::Bye,
            TabMessage::WrongUser,
            TabMessage::Changed(Change::ReadOne(42)),
            TabMessage::Changed(Change::ReadAll),
            TabMessage::Changed(Change::Delete(-7)),
        ]
    }

    #[test]
    fn every_message_survives_the_trip() {
        for m in all() {
            assert_eq!(TabMessage::decode(&m.encode()), Some(m.clone()), "{m:?}");
        }
    }

    #[test]
    fn a_frame_travels_as_the_server_sent_it() {
        let raw = r#"{"type":"upload_progress","step":"3"}"#;
        assert_eq!(TabMessage::Frame(raw.into()).encode(), format!("f{raw}"));
    }

    #[test]
    fn anything_else_is_not_a_message() {
        for text in [
            "",
            "x",
            "h ",
            "hello",
            "rr",
            "w1",
            "vv",
            "l1",
            "u1",
            "sconnected-ish",
            "sreconnecting soon",
            "sreconnecting NaN",
            "sreconnecting inf",
            "sreconnecting 1.5",
            "cread",
            "cread x",
            "cdelete 1.5",
            "cwipe 3",
            "cread_all ",
        ] {
            assert_eq!(TabMessage::decode(text), None, "{text:?}");
        }
    }

    #[test]
    fn every_status_reads_back_from_its_attribute() {
        for s in [
            Status::Connecting,
            Status::Connected,
            Status::Reconnecting,
            Status::Offline,
            Status::Disconnected,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("Connected"), None);
    }

    #[test]
    fn each_user_and_deployment_has_its_own_share() {
        let a = share_name("wss://api.example.org/ws/notifications/", 1);
        assert_ne!(a, share_name("wss://api.example.org/ws/notifications/", 2));
        assert_ne!(
            a,
            share_name("wss://other.example.org/ws/notifications/", 1)
        );
        assert_ne!(
            share_name("x", 12),
            share_name("2.x", 1),
            "the id cannot run into the URL"
        );
    }

    // The machine: one test per event, across the roles it can meet.

    use TabCommand as C;

    const USER: i64 = 7;

    fn own() -> Sharing {
        let mut s = Sharing::default();
        s.handle(TabEvent::Start { user: USER });
        s.handle(TabEvent::CannotShare);
        s
    }

    fn follower() -> Sharing {
        let mut s = Sharing::default();
        s.handle(TabEvent::Start { user: USER });
        s.handle(TabEvent::Joined);
        s
    }

    fn leader() -> Sharing {
        let mut s = follower();
        s.handle(TabEvent::Elected);
        s
    }

    fn stop(role: SocketRole) -> Vec<TabCommand> {
        let mut commands = vec![C::EndSession];
        commands.extend(leave(role));
        commands
    }

    fn leave(role: SocketRole) -> Vec<TabCommand> {
        match role {
            SocketRole::Leader => vec![
                C::StopPresenceChecks,
                C::Connection(ConnectionEvent::Stop),
                C::Post(TabMessage::Leaving),
                C::Leave,
            ],
            SocketRole::Follower => vec![
                C::CancelNudge,
                C::Connection(ConnectionEvent::Stop),
                C::Post(TabMessage::Bye),
                C::Leave,
            ],
            SocketRole::Own => vec![C::Connection(ConnectionEvent::Stop)],
        }
    }

    fn start() -> TabEvent {
        TabEvent::Start { user: USER }
    }

    #[test]
    fn a_session_joins_the_share_and_waits_as_a_follower() {
        let mut s = Sharing::default();
        assert_eq!(s.role(), SocketRole::Own);
        assert_eq!(s.handle(start()), [C::TakeSession, C::Join { user: USER }]);
        assert_eq!(
            s.handle(TabEvent::Joined),
            [C::Post(TabMessage::Hello), C::Publish]
        );
        assert_eq!(s.role(), SocketRole::Follower);
        assert_eq!(s.status_shown(), Some((Status::Connecting, None)));
        // New tokens: only the session changes.
        assert_eq!(s.handle(start()), [C::TakeSession, C::Publish]);
        let mut l = leader();
        assert_eq!(
            l.handle(start()),
            [C::TakeSession, C::Connection(ConnectionEvent::Start)]
        );
    }

    #[test]
    fn where_the_browser_cannot_share_the_tab_keeps_its_own_socket() {
        let mut s = Sharing::default();
        s.handle(start());
        assert_eq!(
            s.handle(TabEvent::CannotShare),
            [C::Connection(ConnectionEvent::Start)]
        );
        assert_eq!(s.role(), SocketRole::Own);
        assert_eq!(s.status_shown(), None);
        assert_eq!(s.forward("f".into()), None);
        // It asks again with the next session (nothing is lost by asking).
        assert_eq!(s.handle(start()), [C::TakeSession, C::Join { user: USER }]);
    }

    #[test]
    fn the_elected_tab_opens_the_socket_forwards_and_checks_who_listens() {
        let mut s = follower();
        assert_eq!(
            s.handle(TabEvent::Elected),
            [
                C::CancelNudge,
                C::CheckPresence { hellos: 0 },
                C::CheckPresenceEvery(PRESENCE_CHECK_MS),
                C::Connection(ConnectionEvent::Start),
            ]
        );
        assert_eq!(s.role(), SocketRole::Leader);
        assert_eq!(s.status_shown(), None, "a leader shows its own connection");
        assert_eq!(s.forward("x".into()), Some(TabMessage::Frame("x".into())));
        // Elected twice, or elected without being in line: nothing.
        assert_eq!(s.handle(TabEvent::Elected), []);
        assert_eq!(own().handle(TabEvent::Elected), []);
        let mut signed_out = follower();
        signed_out.user = None;
        assert_eq!(signed_out.handle(TabEvent::Elected), []);
    }

    #[test]
    fn sign_out_closes_the_socket_before_it_leaves_the_share() {
        for (mut s, role) in [
            (leader(), SocketRole::Leader),
            (follower(), SocketRole::Follower),
            (own(), SocketRole::Own),
        ] {
            assert_eq!(s.handle(TabEvent::Stop), stop(role), "{role:?}");
            assert_eq!(s.role(), SocketRole::Own);
            assert_eq!(s.user, None);
            // Out of the share: its messages and timers change nothing.
            assert_eq!(s.handle(TabEvent::Message(TabMessage::Hello)), []);
            assert_eq!(s.handle(TabEvent::NudgeDue), []);
            assert_eq!(s.handle(TabEvent::PresenceDue), []);
        }
    }

    #[test]
    fn another_users_session_stops_the_old_users_socket_first() {
        for (mut s, role) in [
            (leader(), SocketRole::Leader),
            (follower(), SocketRole::Follower),
            (own(), SocketRole::Own),
        ] {
            let mut expected = stop(role);
            expected.extend([C::TakeSession, C::Join { user: 8 }]);
            assert_eq!(s.handle(TabEvent::Start { user: 8 }), expected, "{role:?}");
            assert_eq!(s.user, Some(8));
        }
    }

    #[test]
    fn a_suspended_page_leaves_the_share_and_comes_back_with_the_stored_session() {
        assert_eq!(own().handle(TabEvent::Suspend), [], "nothing to hand over");
        for (mut s, role) in [
            (leader(), SocketRole::Leader),
            (follower(), SocketRole::Follower),
        ] {
            assert_eq!(s.handle(TabEvent::Suspend), leave(role), "{role:?}");
            assert_eq!(s.role(), SocketRole::Own);
            // New tokens meanwhile are kept, but nothing connects.
            assert_eq!(s.handle(start()), [C::TakeSession]);
            assert_eq!(
                s.handle(TabEvent::Resume { user: Some(USER) }),
                [C::TakeSession, C::Join { user: USER }]
            );
            assert_eq!(
                s.handle(TabEvent::Resume { user: Some(USER) }),
                [],
                "not suspended: a pageshow of a page never suspended changes nothing"
            );
        }
        // Back after a sign-out elsewhere: the session ends.
        let mut s = leader();
        s.handle(TabEvent::Suspend);
        assert_eq!(
            s.handle(TabEvent::Resume { user: None }),
            stop(SocketRole::Own)
        );
        assert_eq!(s.user, None);
        // Back with another user's session: the old one's ends, the new one joins.
        let mut s = follower();
        s.handle(TabEvent::Suspend);
        let mut expected = stop(SocketRole::Own);
        expected.extend([C::TakeSession, C::Join { user: 8 }]);
        assert_eq!(s.handle(TabEvent::Resume { user: Some(8) }), expected);
        // Another user's session while suspended is no resume, but it is a new start.
        let mut s = follower();
        s.handle(TabEvent::Suspend);
        assert_eq!(s.handle(TabEvent::Start { user: 8 }), expected);
        assert_eq!(s.handle(TabEvent::Resume { user: Some(8) }), []);
    }

    #[test]
    fn a_refused_lock_means_a_socket_of_its_own_for_the_pages_life() {
        let mut s = follower();
        assert_eq!(
            s.handle(TabEvent::Refused),
            [
                C::CancelNudge,
                C::Leave,
                C::Connection(ConnectionEvent::Start)
            ]
        );
        assert_eq!(s.role(), SocketRole::Own);
        assert_eq!(
            s.handle(start()),
            [C::TakeSession, C::Connection(ConnectionEvent::Start)],
            "no second try"
        );
        let mut s = leader();
        assert_eq!(
            s.handle(TabEvent::Refused),
            [
                C::StopPresenceChecks,
                C::Leave,
                C::Connection(ConnectionEvent::Start)
            ]
        );
        // Without a session there is nothing to connect: the UI is told the role.
        let mut s = follower();
        s.user = None;
        assert_eq!(
            s.handle(TabEvent::Refused),
            [C::CancelNudge, C::Leave, C::Publish]
        );
        // Refused out of the share: nothing now, and no joining later.
        let mut s = own();
        assert_eq!(s.handle(TabEvent::Refused), []);
        s.handle(TabEvent::Stop);
        assert_eq!(
            s.handle(start()),
            [C::TakeSession, C::Connection(ConnectionEvent::Start)]
        );
    }

    #[test]
    fn a_follower_shows_the_leaders_status_and_reminds_it_when_its_retry_is_due() {
        let mut s = follower();
        let status = |status, retry_at| TabEvent::Message(TabMessage::Status { status, retry_at });
        assert_eq!(
            s.handle(status(Status::Reconnecting, Some(1_000.0))),
            [C::NudgeAt(1_000.0 + NUDGE_AFTER_MS), C::Publish]
        );
        assert_eq!(
            s.status_shown(),
            Some((Status::Reconnecting, Some(1_000.0)))
        );
        assert_eq!(s.handle(TabEvent::NudgeDue), [C::Post(TabMessage::Wake)]);
        assert_eq!(
            s.handle(status(Status::Connected, None)),
            [C::CancelNudge, C::Publish],
            "the leader's socket was on its way when this tab joined: its hello comes"
        );
        // Joining a socket already live: this tab's connect.
        let mut s = follower();
        assert_eq!(
            s.handle(status(Status::Connected, None)),
            [C::CancelNudge, C::Publish, C::DeliverConnected]
        );
        assert_eq!(
            s.handle(status(Status::Connected, None)),
            [C::CancelNudge, C::Publish]
        );
        // The leader lets go: another tab takes over at once.
        assert_eq!(
            s.handle(TabEvent::Message(TabMessage::Leaving)),
            [C::Publish]
        );
        assert_eq!(s.status_shown(), Some((Status::Connecting, None)));
        // Only a follower reminds.
        assert_eq!(leader().handle(TabEvent::NudgeDue), []);
        assert_eq!(own().handle(TabEvent::NudgeDue), []);
    }

    #[test]
    fn a_follower_routes_forwarded_frames_and_applies_changes() {
        let mut s = follower();
        assert_eq!(
            s.handle(TabEvent::Message(TabMessage::Frame("{}".into()))),
            [C::Route("{}".into())]
        );
        assert_eq!(
            s.handle(TabEvent::Message(TabMessage::Changed(Change::ReadAll))),
            [C::Changed(Change::ReadAll)]
        );
        // What only a leader answers.
        for m in [
            TabMessage::Hello,
            TabMessage::Bye,
            TabMessage::RetryNow,
            TabMessage::Wake,
            TabMessage::Visible,
        ] {
            assert_eq!(s.handle(TabEvent::Message(m.clone())), [], "{m:?}");
        }
        assert_eq!(s.role(), SocketRole::Follower);
    }

    #[test]
    fn a_follower_told_of_a_misrouted_socket_ends_its_session_without_signing_out() {
        let mut s = follower();
        let mut expected = stop(SocketRole::Follower);
        expected.push(C::Report(Misrouted::InAnotherTab));
        assert_eq!(s.handle(TabEvent::Message(TabMessage::WrongUser)), expected);
        assert_eq!(s.user, None);
        assert_eq!(s.role(), SocketRole::Own);
    }

    #[test]
    fn the_leader_answers_the_other_tabs() {
        let mut s = leader();
        let message = |s: &mut Sharing, m| s.handle(TabEvent::Message(m));
        assert_eq!(message(&mut s, TabMessage::Hello), [C::PostStatus]);
        assert_eq!(
            message(&mut s, TabMessage::Bye),
            [C::CheckPresence { hellos: 1 }]
        );
        assert_eq!(
            message(&mut s, TabMessage::RetryNow),
            [C::Connection(ConnectionEvent::RetryNow)]
        );
        assert_eq!(
            message(&mut s, TabMessage::Wake),
            [C::Connection(ConnectionEvent::Tick)]
        );
        assert_eq!(
            message(&mut s, TabMessage::Visible),
            [C::Connection(ConnectionEvent::Visible)]
        );
        assert_eq!(
            message(&mut s, TabMessage::Changed(Change::Delete(3))),
            [C::Changed(Change::Delete(3))]
        );
        // What only a follower heeds (a leader hears no other leader).
        for m in [
            TabMessage::Frame("{}".into()),
            TabMessage::Status {
                status: Status::Offline,
                retry_at: None,
            },
            TabMessage::Leaving,
            TabMessage::WrongUser,
        ] {
            assert_eq!(message(&mut s, m.clone()), [], "{m:?}");
        }
        assert_eq!(s.role(), SocketRole::Leader);
        assert_eq!(s.user, Some(USER));
    }

    #[test]
    fn a_tab_out_of_the_share_ignores_its_messages() {
        let mut s = own();
        for m in all() {
            assert_eq!(s.handle(TabEvent::Message(m.clone())), [], "{m:?}");
        }
    }

    #[test]
    fn a_leader_forwards_only_while_another_tab_may_listen() {
        let mut s = leader();
        let frame = || Some(TabMessage::Frame("x".into()));
        assert_eq!(s.forward("x".into()), frame(), "until the check answers");
        s.handle(TabEvent::Presence {
            hellos: 0,
            waiting: Some(false),
        });
        assert_eq!(s.forward("x".into()), None, "alone");
        s.handle(TabEvent::Message(TabMessage::Hello));
        assert_eq!(s.forward("x".into()), frame(), "a tab said hello");
        // A check started before that hello does not turn it off again.
        assert_eq!(
            s.handle(TabEvent::Presence {
                hellos: 0,
                waiting: Some(false),
            }),
            []
        );
        assert_eq!(s.forward("x".into()), frame());
        // The browser cannot say: forward.
        s.handle(TabEvent::Presence {
            hellos: 1,
            waiting: None,
        });
        assert_eq!(s.forward("x".into()), frame());
        // The periodic check, and a follower that left, ask again.
        assert_eq!(
            s.handle(TabEvent::PresenceDue),
            [C::CheckPresence { hellos: 1 }]
        );
        s.handle(TabEvent::Presence {
            hellos: 1,
            waiting: Some(false),
        });
        assert_eq!(s.forward("x".into()), None, "the last follower crashed");
        s.handle(TabEvent::Presence {
            hellos: 1,
            waiting: Some(true),
        });
        assert_eq!(s.forward("x".into()), frame());
        // Only a leader checks, and only a leader's checks count.
        let mut f = follower();
        assert_eq!(f.handle(TabEvent::PresenceDue), []);
        f.handle(TabEvent::Presence {
            hellos: 0,
            waiting: Some(false),
        });
        f.handle(TabEvent::Elected);
        assert_eq!(f.forward("x".into()), frame());
    }

    #[test]
    fn retry_now_and_visible_go_to_whoever_holds_the_socket() {
        for (event, message, connection) in [
            (
                TabEvent::RetryNow,
                TabMessage::RetryNow,
                ConnectionEvent::RetryNow,
            ),
            (
                TabEvent::Visible,
                TabMessage::Visible,
                ConnectionEvent::Visible,
            ),
        ] {
            assert_eq!(follower().handle(event.clone()), [C::Post(message)]);
            assert_eq!(
                leader().handle(event.clone()),
                [C::Connection(connection.clone())]
            );
            assert_eq!(own().handle(event), [C::Connection(connection)]);
        }
    }

    #[test]
    fn a_socket_of_another_user_signs_out_here_and_tells_the_other_tabs() {
        let mut s = leader();
        assert_eq!(s.handle(TabEvent::SocketUser(USER)), [], "the right user");
        let mut expected = vec![C::Post(TabMessage::WrongUser)];
        expected.extend(stop(SocketRole::Leader));
        expected.push(C::Report(Misrouted::Here));
        assert_eq!(s.handle(TabEvent::SocketUser(USER + 1)), expected);
        assert_eq!(s.user, None);
        let mut expected = stop(SocketRole::Own);
        expected.push(C::Report(Misrouted::Here));
        assert_eq!(own().handle(TabEvent::SocketUser(USER + 1)), expected);
        // No session: nobody to compare with.
        assert_eq!(
            Sharing::default().handle(TabEvent::SocketUser(USER + 1)),
            []
        );
    }

    #[test]
    fn only_the_leader_announces_its_status() {
        let announced = |s: Sharing| s.announce(Status::Reconnecting, Some(5.0));
        assert_eq!(
            announced(leader()),
            Some(TabMessage::Status {
                status: Status::Reconnecting,
                retry_at: Some(5.0)
            })
        );
        assert_eq!(announced(follower()), None);
        assert_eq!(announced(own()), None);
    }
}

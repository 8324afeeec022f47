//! What the tabs of one browser tell each other about the socket they share (one tab, the
//! leader, holds it; `services/tabs.rs` carries these over a `BroadcastChannel`).
//!
//! Messages are short strings behind a one-letter tag. A frame travels exactly as the server
//! sent it, so every tab decodes it with the same rules (and counts what it skips the same way).
//! Anything else on the channel (another version of Herald, garbage) decodes to `None`.

use crate::protocol::rest::Change;
use crate::state::connection::Status;

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
}

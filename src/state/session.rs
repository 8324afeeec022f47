//! The signed-in session and token-expiry arithmetic. Pure: callers pass the time.

use serde::{Deserialize, Serialize};

use crate::protocol::rest::User;

/// Refresh this long before the access token expires.
pub const REFRESH_AHEAD_MS: f64 = 30_000.0;
/// A socket rejection this close to expiry (or after it) is taken as "token expired".
pub const NEAR_EXPIRY_MS: f64 = 60_000.0;
/// Never two scheduled refreshes closer than this, whatever the tokens or the clock say.
pub const MIN_REFRESH_GAP_MS: f64 = 5_000.0;
/// The longest delay `setTimeout` accepts (a signed 32-bit count of ms); longer ones fire at
/// once, so every timer is clamped to it.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// A timer delay `setTimeout` will honour: 0 for NaN or negative, at most [`MAX_TIMER_MS`].
///
/// ```
/// # use herald::state::session::timer_ms;
/// assert_eq!(timer_ms(-5.0), 0);
/// assert_eq!(timer_ms(f64::NAN), 0);
/// assert_eq!(timer_ms(1e15), 2_147_483_647);
/// assert_eq!(timer_ms(1.2), 2);
/// ```
pub fn timer_ms(delay: f64) -> u32 {
    if delay.is_nan() {
        return 0;
    }
    delay.ceil().clamp(0.0, MAX_TIMER_MS) as u32
}

/// Tokens and user, kept in one place (one storage key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Access token (JWT).
    pub access: String,
    /// Refresh token (JWT).
    pub refresh: String,
    /// Who is signed in.
    pub user: User,
    /// When this access token was received, by this PC's clock (ms since the epoch). Expiry is
    /// reckoned from it and the token's lifetime (`exp − iat`), never by comparing the server's
    /// `exp` with a local clock that may be hours off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<i64>,
}

impl Session {
    /// A session whose access token was received at `now_ms` (local clock).
    pub fn received(access: String, refresh: String, user: User, now_ms: f64) -> Self {
        Self {
            access,
            refresh,
            user,
            received_at: now_ms.is_finite().then_some(now_ms as i64),
        }
    }

    /// When the access token expires by the local clock, in ms since the epoch; `None` when it
    /// cannot be read (then the session relies on 401s and socket rejections to refresh).
    ///
    /// With `iat`, `exp` and the time of receipt known: receipt + lifetime, whatever the local
    /// clock's offset from the server's. Otherwise the server's `exp` as it is.
    pub fn access_expires_at_ms(&self) -> Option<f64> {
        let (exp, iat) = jwt_times_ms(&self.access)?;
        match (iat, self.received_at) {
            (Some(iat), Some(at)) if iat <= exp => Some(at as f64 + (exp - iat)),
            _ => Some(exp),
        }
    }

    /// Whether the access token is expired or within `margin_ms` of it at `now_ms`.
    pub fn access_expires_within(&self, now_ms: f64, margin_ms: f64) -> bool {
        self.access_expires_at_ms()
            .is_some_and(|exp| exp - now_ms <= margin_ms)
    }

    /// When to refresh ahead of expiry (local clock): 30 s before it, but never before half the
    /// token's lifetime has passed (a short-lived token must not cause a refresh loop).
    pub fn refresh_due_at_ms(&self) -> Option<f64> {
        let (exp, iat) = jwt_times_ms(&self.access)?;
        let expires = self.access_expires_at_ms()?;
        let ahead = expires - REFRESH_AHEAD_MS;
        Some(match iat {
            Some(iat) if iat < exp => ahead.max(expires - (exp - iat) / 2.0),
            _ => ahead,
        })
    }
}

/// How long to wait before the next scheduled refresh: until `due`, but at least
/// [`MIN_REFRESH_GAP_MS`] after the previous one, and never longer than a timer can wait.
///
/// ```
/// # use herald::state::session::refresh_wait_ms;
/// assert_eq!(refresh_wait_ms(10_000.0, 0.0, None), 10_000);
/// // Due in the past (a clock two hours fast without `iat`): not again within 5 s.
/// assert_eq!(refresh_wait_ms(-7_200_000.0, 100_000.0, Some(99_000.0)), 4_000);
/// // `exp` in a hundred years: clamped to what setTimeout accepts.
/// assert_eq!(refresh_wait_ms(3.2e12, 0.0, None), 2_147_483_647);
/// ```
pub fn refresh_wait_ms(due: f64, now: f64, last_refresh_at: Option<f64>) -> u32 {
    let floor = last_refresh_at.map_or(now, |t| t + MIN_REFRESH_GAP_MS);
    timer_ms(due.max(floor) - now)
}

#[derive(Deserialize)]
struct Claims {
    exp: Option<f64>,
    iat: Option<f64>,
}

/// Reads `exp` (seconds) from a JWT's payload without checking the signature: the client only
/// needs to know when to refresh; the server checks everything.
pub fn jwt_exp_ms(token: &str) -> Option<f64> {
    jwt_times_ms(token).map(|(exp, _)| exp)
}

/// `exp` and `iat`, in ms.
fn jwt_times_ms(token: &str) -> Option<(f64, Option<f64>)> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64url_decode(payload.trim_end_matches('='))?;
    // Text first: one JSON reader (`from_str`) in the wasm, not a second one for bytes.
    let claims: Claims = serde_json::from_str(std::str::from_utf8(&bytes).ok()?).ok()?;
    let exp = claims.exp.filter(|e| e.is_finite())? * 1000.0;
    Some((
        exp,
        claims.iat.filter(|i| i.is_finite()).map(|i| i * 1000.0),
    ))
}

/// Unpadded base64url (RFC 4648 §5), strictly: what the base64 crate's `URL_SAFE_NO_PAD`
/// engine accepts (no `=`, no other alphabet, no leftover length of 1, unused bits of the last
/// symbol zero), in a few lines instead of the crate's engine (tested against it).
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in b {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // 2 or 4 bits left over: 2 or 3 symbols in the last group, whose unused bits must be
    // zero; 6 bits: a lone last symbol, not a whole byte.
    (bits < 6 && acc == 0).then_some(out)
}

/// Whose the session in storage is, seen from a tab that holds `mine`. Storage is the truth
/// shared by every tab of a deployment: a tab that fell behind (restored from the back/forward
/// cache, or whose `storage` event is still on its way) must neither spend nor remove a
/// session that is no longer its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Storage holds this tab's session: it may refresh, write and wipe it.
    Mine,
    /// The same user with other tokens (another tab refreshed): adopt them.
    Renewed(Session),
    /// Another user signed in since: follow them; never touch their session.
    OtherUser(Session),
    /// Signed out elsewhere: end here, and write nothing back.
    Gone,
}

impl Stored {
    /// Compares `stored` (storage now) with `mine` (this tab's).
    pub fn of(mine: &Session, stored: Option<Session>) -> Stored {
        match stored {
            None => Stored::Gone,
            Some(s) if s.user.id != mine.user.id => Stored::OtherUser(s),
            Some(s) if s.refresh != mine.refresh => Stored::Renewed(s),
            Some(_) => Stored::Mine,
        }
    }

    /// What a tab ending `mine` may wipe: everything of its deployment while storage holds
    /// its session; only its user's caches when another user's (or nobody's) is there; nothing
    /// when the same user's newer session is (its caches are that session's).
    pub fn wipe_on_end(&self) -> Wipe {
        match self {
            Stored::Mine => Wipe::Everything,
            Stored::OtherUser(_) | Stored::Gone => Wipe::CachesOfMine,
            Stored::Renewed(_) => Wipe::Nothing,
        }
    }
}

/// What a tab that ends its session removes from storage ([`Stored::wipe_on_end`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wipe {
    /// The stored session and every per-user cache of the deployment.
    Everything,
    /// This tab's user's caches only.
    CachesOfMine,
    /// Nothing.
    Nothing,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An unsigned JWT with the given claims (the client never checks signatures).
    pub fn token_with(claims: &str) -> String {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.sig",
            b64(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64(claims)
        )
    }

    pub fn session_expiring_at(exp_s: i64) -> Session {
        Session {
            access: token_with(&format!(
                r#"{{"token_type":"access","exp":{exp_s},"iat":0,"jti":"j","user_id":"35"}}"#
            )),
            refresh: "r".into(),
            user: User {
                id: 35,
                username: "finance1".into(),
                role: None,
                can_transfer_budget: None,
            },
            received_at: None,
        }
    }

    #[test]
    fn reads_exp_from_a_simplejwt_token() {
        let t = token_with(
            r#"{"token_type":"access","exp":1795635085,"iat":1795632385,"jti":"x","user_id":"35"}"#,
        );
        assert_eq!(jwt_exp_ms(&t), Some(1_795_635_085_000.0));
        // Older SimpleJWT: numeric user_id, same exp handling.
        let t = token_with(r#"{"exp":10,"user_id":35}"#);
        assert_eq!(jwt_exp_ms(&t), Some(10_000.0));
    }

    #[test]
    fn short_lived_tokens_refresh_at_half_life_not_in_a_loop() {
        let mut s = session_expiring_at(0);
        s.access = token_with(r#"{"exp":1010,"iat":1000}"#);
        assert_eq!(s.refresh_due_at_ms(), Some(1_005_000.0));
        s.access = token_with(r#"{"exp":3700,"iat":1000}"#);
        assert_eq!(
            s.refresh_due_at_ms(),
            Some(3_670_000.0),
            "45 min token: 30 s ahead"
        );
    }

    #[test]
    fn expiry_is_reckoned_from_receipt_whatever_the_clock() {
        // A 45-minute token issued at server time 1000 s.
        let mut s = session_expiring_at(0);
        s.access = token_with(r#"{"exp":3700,"iat":1000}"#);
        for offset_ms in [-7_200_000.0, 0.0, 7_200_000.0] {
            let received = 1_000_000.0 + offset_ms;
            s.received_at = Some(received as i64);
            assert_eq!(s.access_expires_at_ms(), Some(received + 2_700_000.0));
            assert_eq!(s.refresh_due_at_ms(), Some(received + 2_670_000.0));
            assert!(!s.access_expires_within(received + 1_000.0, NEAR_EXPIRY_MS));
            assert!(s.access_expires_within(received + 2_700_001.0, 0.0));
        }
        // Received earlier than issued by the server's clock: still the lifetime.
        let r = Session::received(s.access.clone(), "r".into(), s.user.clone(), 5.0);
        assert_eq!(r.access_expires_at_ms(), Some(2_700_005.0));
    }

    #[test]
    fn refresh_waits_are_bounded_and_spaced() {
        // Far-future exp without iat: clamped, never wrapped to a negative (immediate) timer.
        assert_eq!(refresh_wait_ms(1e13, 0.0, None), 2_147_483_647);
        assert_eq!(refresh_wait_ms(f64::INFINITY, 0.0, None), 2_147_483_647);
        // Overdue: at once the first time, then no closer than the floor.
        assert_eq!(refresh_wait_ms(-1e9, 50_000.0, None), 0);
        assert_eq!(refresh_wait_ms(-1e9, 50_000.0, Some(50_000.0)), 5_000);
        assert_eq!(refresh_wait_ms(-1e9, 50_000.0, Some(40_000.0)), 0);
        assert_eq!(timer_ms(f64::NEG_INFINITY), 0);
    }

    #[test]
    fn stored_sessions_without_receipt_time_still_load() {
        let s = session_expiring_at(1000);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("received_at"));
        let back: Session = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let mut t = s.clone();
        t.received_at = Some(42);
        let back: Session = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back.received_at, Some(42));
    }

    #[test]
    fn unreadable_tokens_have_no_expiry() {
        for t in [
            "",
            "abc",
            "a.b.c",
            "a.!!!.c",
            &token_with("[]"),
            &token_with(r#"{"exp":"soon"}"#),
        ] {
            assert_eq!(jwt_exp_ms(t), None, "{t}");
        }
    }

    #[test]
    fn base64url_as_the_base64_crate_decodes_it() {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        for text in [
            "",
            "A",
            "AA",
            "AB",
            "AAA",
            "AAB",
            "AAAA",
            "QQ",
            "QR",
            "QUI",
            "QUJ",
            "QUJD",
            "-_-_",
            "+/+/",
            "QQ==",
            "Q=Q",
            "a.b",
            "eyJleHAiOjEwfQ",
            "eyJleHAiOjEwfQ=",
        ] {
            assert_eq!(base64url_decode(text), engine.decode(text).ok(), "{text:?}");
        }
    }

    #[test]
    fn expiry_arithmetic() {
        let s = session_expiring_at(1000);
        assert_eq!(s.access_expires_at_ms(), Some(1_000_000.0));
        assert_eq!(s.refresh_due_at_ms(), Some(970_000.0), "iat 0: 30 s ahead");
        assert!(!s.access_expires_within(900_000.0, NEAR_EXPIRY_MS));
        assert!(s.access_expires_within(940_000.0, NEAR_EXPIRY_MS));
        assert!(
            s.access_expires_within(2_000_000.0, NEAR_EXPIRY_MS),
            "already expired"
        );
        let mut unknown = s.clone();
        unknown.access = "opaque".into();
        assert!(!unknown.access_expires_within(2_000_000.0, NEAR_EXPIRY_MS));
    }
}

/// The base64url decoder against the base64 crate it replaced, on any text of its alphabet
/// and a few others.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod against_base64 {
    use super::*;
    use base64::Engine;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn decodes_as_the_crate_does(text in "[A-Za-z0-9_=+/.-]{0,24}") {
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            prop_assert_eq!(base64url_decode(&text), engine.decode(&text).ok(), "{}", text);
        }

        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            prop_assert_eq!(base64url_decode(&engine.encode(&bytes)), Some(bytes));
        }
    }

    fn session_of(id: i64, refresh: &str) -> Session {
        serde_json::from_value(serde_json::json!({
            "access": "a", "refresh": refresh, "user": {"id": id, "username": "u"}
        }))
        .expect("a session")
    }

    #[test]
    fn whose_the_stored_session_is() {
        let mine = session_of(35, "r1");
        assert_eq!(Stored::of(&mine, Some(mine.clone())), Stored::Mine);
        let renewed = session_of(35, "r2");
        assert_eq!(
            Stored::of(&mine, Some(renewed.clone())),
            Stored::Renewed(renewed)
        );
        let other = session_of(36, "r1");
        assert_eq!(
            Stored::of(&mine, Some(other.clone())),
            Stored::OtherUser(other),
            "another user, even with an equal token text"
        );
        assert_eq!(Stored::of(&mine, None), Stored::Gone);
    }

    #[test]
    fn a_tab_that_fell_behind_never_wipes_another_session() {
        let mine = session_of(35, "r1");
        let wipe = |stored| Stored::of(&mine, stored).wipe_on_end();
        assert_eq!(wipe(Some(mine.clone())), Wipe::Everything);
        assert_eq!(wipe(Some(session_of(36, "b"))), Wipe::CachesOfMine);
        assert_eq!(wipe(None), Wipe::CachesOfMine);
        assert_eq!(wipe(Some(session_of(35, "r2"))), Wipe::Nothing);
    }
}

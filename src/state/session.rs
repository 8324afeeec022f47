//! The signed-in session and token-expiry arithmetic. Pure: callers pass the time.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::protocol::rest::User;

/// Refresh this long before the access token expires.
pub const REFRESH_AHEAD_MS: f64 = 30_000.0;
/// A socket rejection this close to expiry (or after it) is taken as "token expired".
pub const NEAR_EXPIRY_MS: f64 = 60_000.0;

/// Tokens and user, kept in one place (one storage key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Access token (JWT).
    pub access: String,
    /// Refresh token (JWT).
    pub refresh: String,
    /// Who is signed in.
    pub user: User,
}

impl Session {
    /// When the access token expires, in ms since the epoch; `None` when it cannot be read
    /// (then the session relies on 401s and socket rejections to refresh).
    pub fn access_expires_at_ms(&self) -> Option<f64> {
        jwt_exp_ms(&self.access)
    }

    /// Whether the access token is expired or within `margin_ms` of it at `now_ms`.
    pub fn access_expires_within(&self, now_ms: f64, margin_ms: f64) -> bool {
        self.access_expires_at_ms()
            .is_some_and(|exp| exp - now_ms <= margin_ms)
    }

    /// When to refresh ahead of expiry: 30 s before it, but never before half the token's
    /// lifetime has passed (a short-lived token must not cause a refresh loop).
    pub fn refresh_due_at_ms(&self) -> Option<f64> {
        let (exp, iat) = jwt_times_ms(&self.access)?;
        let ahead = exp - REFRESH_AHEAD_MS;
        Some(match iat {
            Some(iat) if iat < exp => ahead.max(iat + (exp - iat) / 2.0),
            _ => ahead,
        })
    }
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
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.exp.filter(|e| e.is_finite())? * 1000.0;
    Some((
        exp,
        claims.iat.filter(|i| i.is_finite()).map(|i| i * 1000.0),
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An unsigned JWT with the given claims (the client never checks signatures).
    pub fn token_with(claims: &str) -> String {
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

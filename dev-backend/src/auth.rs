//! SimpleJWT-style HS256 tokens: `token_type`, `exp`, `iat`, `jti`, `user_id` (a string, as
//! current SimpleJWT writes it).

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Access or refresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    Access,
    Refresh,
}

impl TokenType {
    fn as_str(self) -> &'static str {
        match self {
            TokenType::Access => "access",
            TokenType::Refresh => "refresh",
        }
    }
}

/// The claims SimpleJWT puts in both token types.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub token_type: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub user_id: String,
}

/// Why a token was not accepted (logged, and reported by `/test/attempts/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    Missing,
    Malformed,
    BadSignature,
    Expired,
    WrongType,
}

impl TokenProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenProblem::Missing => "missing token",
            TokenProblem::Malformed => "malformed token",
            TokenProblem::BadSignature => "bad signature",
            TokenProblem::Expired => "expired token",
            TokenProblem::WrongType => "wrong token type",
        }
    }
}

/// Signs and checks tokens with one key.
pub struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl: i64,
    pub refresh_ttl: i64,
}

impl Signer {
    pub fn new(secret: &[u8], access_ttl: i64, refresh_ttl: i64) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl,
            refresh_ttl,
        }
    }

    /// A new token of `kind` for `user_id`.
    pub fn issue(&self, kind: TokenType, user_id: i64) -> String {
        let now = chrono::Utc::now().timestamp();
        let ttl = match kind {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            token_type: kind.as_str().to_owned(),
            exp: now + ttl,
            iat: now,
            jti: (0..16)
                .map(|_| format!("{:02x}", rand::random::<u8>()))
                .collect(),
            user_id: user_id.to_string(),
        };
        // HS256 over a serialisable struct cannot fail.
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing of plain claims")
    }

    /// Checks signature, expiry (no leeway) and type; returns the claims.
    pub fn check(&self, token: &str, kind: TokenType) -> Result<Claims, TokenProblem> {
        if token.is_empty() {
            return Err(TokenProblem::Missing);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp"]);
        let data = decode::<Claims>(token, &self.decoding, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            match e.kind() {
                ErrorKind::ExpiredSignature => TokenProblem::Expired,
                ErrorKind::InvalidSignature => TokenProblem::BadSignature,
                _ => TokenProblem::Malformed,
            }
        })?;
        if data.claims.token_type != kind.as_str() {
            return Err(TokenProblem::WrongType);
        }
        Ok(data.claims)
    }
}

impl Signer {
    /// The claims of a well-signed token of `kind`, expired or not: whose request this is,
    /// never whether it may proceed.
    pub fn identify(&self, token: &str, kind: TokenType) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_required_spec_claims::<&str>(&[]);
        let data = decode::<Claims>(token, &self.decoding, &validation).ok()?;
        (data.claims.token_type == kind.as_str()).then_some(data.claims)
    }
}

impl Claims {
    /// The user id, whether the token holds it as a string or (older SimpleJWT) a number.
    pub fn user_id(&self) -> Option<i64> {
        self.user_id.parse().ok()
    }
}

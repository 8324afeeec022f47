use thiserror::Error;

use crate::protocol::rest::LoginProblem;

/// Something fetched from elsewhere: one enum instead of three `Option`s.
///
/// ```
/// # use herald::state::Remote;
/// let r: Remote<u32, String> = Remote::Ready(3);
/// assert_eq!(r.ready(), Some(&3));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Remote<T, E> {
    /// Not asked for yet.
    #[default]
    Idle,
    /// Asked for, no answer yet.
    Loading,
    /// Here it is.
    Ready(T),
    /// The request failed; the error says why.
    Failed(E),
}

impl<T, E> Remote<T, E> {
    /// The value, if ready.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(v) => Some(v),
            _ => None,
        }
    }
}

/// A REST failure, kept with its cause.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, DNS, refused, CORS.
    #[error("Cannot reach the server")]
    Network(String),
    /// No answer within the request deadline.
    #[error("The server did not answer in time")]
    Timeout,
    /// 5xx.
    #[error("The server had a problem (HTTP {0}). Please try again.")]
    Server(u16),
    /// The refresh token was refused: the user must sign in again.
    #[error("Your session has expired. Please sign in again.")]
    SessionExpired,
    /// Any other non-success answer, with its body.
    #[error("The server refused the request (HTTP {status})")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Body text.
        body: String,
    },
}

/// A failed sign-in, as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginFailure {
    /// The server answered 4xx with messages.
    Refused(LoginProblem),
    /// Anything else.
    Api(ApiError),
}

/// Why a change the user made (read, delete) did not happen on the server.
#[derive(Clone, Debug, PartialEq)]
pub enum ChangeError {
    /// It did not get an answer it could use.
    Api(ApiError),
    /// The server answered no, with its own `message` when it gave one.
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's words.
        message: Option<String>,
    },
}

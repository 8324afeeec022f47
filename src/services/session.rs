//! The session service: sign-in, one-at-a-time token refresh, authenticated REST with
//! "refresh, then retry once" on 401 (the only place that rule lives), and sign-out.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde_json::json;
use thiserror::Error;
use yew::Callback;

use crate::config::RuntimeConfig;
use crate::protocol::rest::{LoginProblem, LoginRequest, LoginResponse, RefreshResponse};
use crate::services::storage;
use crate::state::session::{Session, NEAR_EXPIRY_MS};

/// A REST failure, kept with its cause.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, DNS, refused, CORS.
    #[error("Cannot reach the server")]
    Network(String),
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

/// Why a session ended, for the login page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The refresh token was refused.
    Expired,
}

impl EndReason {
    /// What the login page says.
    pub fn message(self) -> &'static str {
        match self {
            EndReason::Expired => "Your session has expired. Please sign in again.",
        }
    }
}

/// What changed, for the provider's state.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionChange {
    /// A session is (now) active, new or with new tokens.
    Active(Session),
    /// Signed out, maybe with a reason to show.
    Ended(Option<EndReason>),
}

/// A failed sign-in, as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginFailure {
    /// The server answered 4xx with messages.
    Refused(LoginProblem),
    /// Anything else.
    Api(ApiError),
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Session, ApiError>>>;

/// Owns the session. One per tab, created by the session provider.
pub struct SessionService {
    config: Rc<RuntimeConfig>,
    session: RefCell<Option<Session>>,
    refreshing: RefCell<Option<RefreshFuture>>,
    on_change: Callback<SessionChange>,
}

impl PartialEq for SessionService {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|e| ApiError::Network(e.to_string()))?;
    request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

impl SessionService {
    /// Restores the stored session, if any.
    pub fn new(config: Rc<RuntimeConfig>, on_change: Callback<SessionChange>) -> Rc<Self> {
        Rc::new(Self {
            config,
            session: RefCell::new(storage::load_session()),
            refreshing: RefCell::new(None),
            on_change,
        })
    }

    /// The session now.
    pub fn current(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    fn set(&self, session: Session) {
        storage::save_session(&session);
        *self.session.borrow_mut() = Some(session.clone());
        self.on_change.emit(SessionChange::Active(session));
    }

    /// Signs in; on success the session is stored and announced.
    pub async fn login(self: Rc<Self>, username: &str, password: &str) -> Result<(), LoginFailure> {
        let url = self.config.api_url("/api/auth/login/");
        let response = send(Request::post(&url).json(&LoginRequest { username, password }))
            .await
            .map_err(LoginFailure::Api)?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        match status {
            200 => {
                let answer: LoginResponse = serde_json::from_str(&body).map_err(|e| {
                    LoginFailure::Api(ApiError::Rejected {
                        status,
                        body: format!("unexpected login answer: {e}"),
                    })
                })?;
                self.set(Session {
                    access: answer.token,
                    refresh: answer.refresh,
                    user: answer.data,
                });
                Ok(())
            }
            500..=599 => Err(LoginFailure::Api(ApiError::Server(status))),
            _ => Err(LoginFailure::Refused(LoginProblem::from_body(&body))),
        }
    }

    /// A new access token. Concurrent callers share one request; a refused refresh token ends
    /// the session; a network failure leaves it alone (the caller retries later).
    pub fn refresh(self: &Rc<Self>) -> impl Future<Output = Result<Session, ApiError>> {
        if let Some(f) = self.refreshing.borrow().as_ref() {
            return f.clone();
        }
        let this = self.clone();
        let future = async move {
            let result = this.refresh_once().await;
            this.refreshing.borrow_mut().take();
            result
        }
        .boxed_local()
        .shared();
        *self.refreshing.borrow_mut() = Some(future.clone());
        future
    }

    async fn refresh_once(self: &Rc<Self>) -> Result<Session, ApiError> {
        let Some(current) = self.current() else {
            return Err(ApiError::SessionExpired);
        };
        // Another tab may have refreshed already: take its tokens instead of rotating again.
        if let Some(stored) = storage::load_session() {
            if stored.access != current.access
                && stored.user == current.user
                && !stored.access_expires_within(now_ms(), NEAR_EXPIRY_MS)
            {
                self.set(stored.clone());
                return Ok(stored);
            }
        }
        let url = self.config.api_url("/api/auth/token-refresh/");
        let response =
            send(Request::post(&url).json(&json!({ "refresh": current.refresh }))).await?;
        match response.status() {
            200 => {
                let pair: RefreshResponse = response
                    .json()
                    .await
                    .map_err(|e| ApiError::Network(e.to_string()))?;
                let session = Session {
                    access: pair.access,
                    refresh: pair.refresh,
                    user: current.user,
                };
                // Signed out meanwhile (another tab, the button): do not resurrect.
                if self.current().is_none() {
                    return Err(ApiError::SessionExpired);
                }
                self.set(session.clone());
                Ok(session)
            }
            400 | 401 => {
                self.end(Some(EndReason::Expired));
                Err(ApiError::SessionExpired)
            }
            s @ 500..=599 => Err(ApiError::Server(s)),
            s => Err(ApiError::Rejected {
                status: s,
                body: response.text().await.unwrap_or_default(),
            }),
        }
    }

    /// An authenticated request. `build` makes the request for a URL prefix and is called again
    /// with the new token after a 401 → refresh (once).
    pub async fn authed(
        self: Rc<Self>,
        build: impl Fn(&RuntimeConfig) -> RequestBuilder,
    ) -> Result<Response, ApiError> {
        let mut refreshed = false;
        loop {
            let Some(session) = self.current() else {
                return Err(ApiError::SessionExpired);
            };
            let request = build(&self.config)
                .header("Authorization", &format!("Bearer {}", session.access))
                .build();
            let response = send(request).await?;
            match response.status() {
                401 if !refreshed => {
                    refreshed = true;
                    self.refresh().await?;
                }
                401 => return Err(ApiError::SessionExpired),
                s @ 500..=599 => return Err(ApiError::Server(s)),
                _ => return Ok(response),
            }
        }
    }

    /// Signs out: tells the server (both tokens; its 205 body is never read), and whatever it
    /// answers, ends the session here at once.
    pub fn logout(self: &Rc<Self>) {
        if let Some(session) = self.current() {
            let url = self.config.api_url("/api/auth/logout/");
            wasm_bindgen_futures::spawn_local(async move {
                let request = Request::post(&url)
                    .header("Authorization", &format!("Bearer {}", session.access))
                    .json(&json!({ "refresh": session.refresh, "access": session.access }));
                let _ = send(request).await;
            });
        }
        self.end(None);
    }

    /// Ends the session in this tab: wipes tokens and caches, announces it.
    pub fn end(&self, reason: Option<EndReason>) {
        storage::wipe_user_data();
        self.session.borrow_mut().take();
        self.on_change.emit(SessionChange::Ended(reason));
    }

    /// Another tab changed the session key: follow it.
    pub fn follow_other_tab(&self, new_value: Option<String>) {
        match new_value.as_deref().and_then(storage::parse_session) {
            Some(session) => {
                if self.current().as_ref() != Some(&session) {
                    *self.session.borrow_mut() = Some(session.clone());
                    self.on_change.emit(SessionChange::Active(session));
                }
            }
            None => {
                if self.session.borrow_mut().take().is_some() {
                    // The other tab already wiped storage; wipe again in case of a race.
                    storage::wipe_user_data();
                    self.on_change.emit(SessionChange::Ended(None));
                }
            }
        }
    }
}

//! The session service: sign-in, one-at-a-time token refresh, authenticated REST with
//! "refresh, then retry once" on 401 (the only place that rule lives), and sign-out.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder};
use web_sys::{AbortController, AbortSignal};
use yew::Callback;

use crate::config::RuntimeConfig;
use crate::protocol::rest::{
    LoginProblem, LoginRequest, LoginResponse, LogoutRequest, RefreshRequest, RefreshResponse,
};
use crate::services::deadline::{send_once, Deadline};
use crate::services::{locks, storage};
use crate::state::remote::{ApiError, LoginFailure};
use crate::state::session::{Session, Stored, Wipe};

/// A tab waits at most this long for another tab's refresh to finish before going ahead.
const REFRESH_LOCK_WAIT_MS: u32 = 20_000;

/// A complete answer to an authenticated request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status (never 401 or 5xx: those are errors).
    pub status: u16,
    /// The body as received.
    pub body: Vec<u8>,
}

impl Answer {
    /// 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a session ended, for the login page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The refresh token was refused.
    Expired,
}

/// What changed, for the provider's state.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionChange {
    /// A session is (now) active, new or with new tokens.
    Active(Session),
    /// Signed out, maybe with a reason to show.
    Ended(Option<EndReason>),
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Session, ApiError>>>;

/// Owns the session. One per tab, created by the session provider.
pub struct SessionService {
    config: Rc<RuntimeConfig>,
    session: RefCell<Option<Session>>,
    refreshing: RefCell<Option<RefreshFuture>>,
    on_change: Callback<SessionChange>,
    /// Bumped whenever the session ends or changes hands: a result started under an older
    /// epoch belongs to someone else and is dropped.
    epoch: Cell<u64>,
    /// Aborted when the session ends: every request of the session listens to it.
    ended: RefCell<Option<AbortController>>,
}

impl PartialEq for SessionService {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `POST /api/auth/token-refresh/` with `refresh`; the new pair, or why not.
async fn post_refresh(
    config: &RuntimeConfig,
    deadline: &Deadline,
    refresh: &str,
) -> Result<Result<RefreshResponse, u16>, ApiError> {
    let url = config.api_url("/api/auth/token-refresh/");
    let response = deadline
        .send(|signal| {
            Request::post(&url)
                .abort_signal(signal)
                .json(&RefreshRequest { refresh })
        })
        .await?;
    match response.status() {
        200 => deadline
            .settle(response.json::<RefreshResponse>().await)
            .map(Ok),
        s @ 500..=599 => Err(ApiError::Server(s)),
        s => Ok(Err(s)),
    }
}

/// `POST /api/auth/logout/`: its status (a 205 body is never read).
async fn post_logout(config: &RuntimeConfig, access: &str, refresh: &str) -> Option<u16> {
    let url = config.api_url("/api/auth/logout/");
    let bearer = format!("Bearer {access}");
    send_once(|signal| {
        Request::post(&url)
            .abort_signal(signal)
            .header("Authorization", &bearer)
            .json(&LogoutRequest { refresh, access })
    })
    .await
    .ok()
    .map(|r| r.status())
}

/// Tells the server to forget `session`, whatever state its tokens are in. An access token
/// that expired while the laptop slept is answered 401: then the refresh token is exchanged
/// once and both refresh tokens are blacklisted (the old one may still work where rotation
/// does not blacklist).
async fn revoke(config: Rc<RuntimeConfig>, session: Session) {
    if post_logout(&config, &session.access, &session.refresh).await != Some(401) {
        return;
    }
    let deadline = Deadline::new(None);
    if let Ok(Ok(pair)) = post_refresh(&config, &deadline, &session.refresh).await {
        post_logout(&config, &pair.access, &pair.refresh).await;
        post_logout(&config, &pair.access, &session.refresh).await;
    }
}

impl SessionService {
    /// Restores the stored session, if any.
    pub fn new(config: Rc<RuntimeConfig>, on_change: Callback<SessionChange>) -> Rc<Self> {
        Rc::new(Self {
            config,
            session: RefCell::new(storage::load_session()),
            refreshing: RefCell::new(None),
            on_change,
            epoch: Cell::new(0),
            ended: RefCell::new(AbortController::new().ok()),
        })
    }

    /// The session now.
    pub fn current(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    /// The deployment's settings.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    /// Which session results belong to: compare with [`SessionService::is_current`] before
    /// applying anything that arrived asynchronously.
    pub fn epoch(&self) -> u64 {
        self.epoch.get()
    }

    /// Whether the session of `epoch` is still the one signed in.
    pub fn is_current(&self, epoch: u64) -> bool {
        self.epoch.get() == epoch && self.session.borrow().is_some()
    }

    /// The session's end: aborts its requests, starts a new epoch.
    fn close_epoch(&self) {
        self.epoch.set(self.epoch.get() + 1);
        if let Some(c) = self.ended.replace(AbortController::new().ok()) {
            c.abort();
        }
        self.refreshing.borrow_mut().take();
    }

    fn end_signal(&self) -> Option<AbortSignal> {
        self.ended.borrow().as_ref().map(AbortController::signal)
    }

    fn set(&self, session: Session) {
        let other_user = self
            .session
            .borrow()
            .as_ref()
            .is_some_and(|s| s.user.id != session.user.id);
        if other_user {
            self.close_epoch();
        }
        storage::save_session(&session);
        *self.session.borrow_mut() = Some(session.clone());
        self.on_change.emit(SessionChange::Active(session));
    }

    /// Signs in; on success the session is stored and announced. The username is sent
    /// trimmed (a pasted name often carries a space; Django usernames never do); the password
    /// exactly as typed.
    pub async fn login(self: Rc<Self>, username: &str, password: &str) -> Result<(), LoginFailure> {
        let username = username.trim();
        let url = self.config.api_url("/api/auth/login/");
        let deadline = Deadline::new(None);
        let response = deadline
            .send(|signal| {
                Request::post(&url)
                    .abort_signal(signal)
                    .json(&LoginRequest { username, password })
            })
            .await
            .map_err(LoginFailure::Api)?;
        let status = response.status();
        let body = deadline
            .settle(response.text().await)
            .map_err(LoginFailure::Api)?;
        match status {
            200 => {
                let answer: LoginResponse = serde_json::from_str(&body).map_err(|e| {
                    LoginFailure::Api(ApiError::Rejected {
                        status,
                        body: format!("unexpected login answer: {e}"),
                    })
                })?;
                // Someone else was signed in here (a shared PC): nothing of theirs carries over.
                if self.current().is_some() {
                    self.end(None);
                }
                self.set(Session::received(
                    answer.token,
                    answer.refresh,
                    answer.data,
                    now_ms(),
                ));
                Ok(())
            }
            500..=599 => Err(LoginFailure::Api(ApiError::Server(status))),
            _ => Err(LoginFailure::Refused(LoginProblem::from_body(&body))),
        }
    }

    /// A new access token. Concurrent callers share one request; tabs take turns (a lock per
    /// user), and a tab that finds another tab's newer session in storage adopts it instead of
    /// spending its own refresh token, which rotation may have blacklisted. A refused refresh
    /// token ends the session only if storage holds nothing newer; a network failure leaves
    /// it alone (the caller retries later).
    pub fn refresh(self: &Rc<Self>) -> impl Future<Output = Result<Session, ApiError>> {
        if let Some(f) = self.refreshing.borrow().as_ref() {
            return f.clone();
        }
        let this = self.clone();
        let epoch = self.epoch();
        let future = async move {
            let asked = this.current();
            let result = match asked {
                Some(asked) => {
                    let lock = storage::scoped(&format!("herald.refresh.{}", asked.user.id));
                    let inner = this.clone();
                    locks::with_lock(&lock, REFRESH_LOCK_WAIT_MS, move |held| async move {
                        inner.refresh_locked(epoch, &asked.refresh, held).await
                    })
                    .await
                }
                None => Err(ApiError::SessionExpired),
            };
            crate::services::diagnostics::refresh_result(&result);
            if this.epoch() == epoch {
                this.refreshing.borrow_mut().take();
            }
            result
        }
        .boxed_local()
        .shared();
        *self.refreshing.borrow_mut() = Some(future.clone());
        future
    }

    /// Whose the stored session is, seen from `mine`. Where the browser keeps nothing (site
    /// data blocked, a refused write) this tab's copy is the truth: always [`Stored::Mine`].
    fn stored(mine: &Session) -> Stored {
        if !storage::persistent() {
            return Stored::Mine;
        }
        Stored::of(mine, storage::load_session())
    }

    /// Takes what storage holds instead of this tab's session, which is no longer this tab's:
    /// the same user's newer tokens are adopted (`Ok`); another user's session, or none, is
    /// followed without touching storage.
    fn yield_to(&self, stored: Stored) -> Result<Session, ApiError> {
        match stored {
            Stored::Mine => self.current().ok_or(ApiError::SessionExpired),
            Stored::Renewed(s) => {
                self.follow(Some(s.clone()));
                Ok(s)
            }
            Stored::OtherUser(s) => {
                self.follow(Some(s));
                Err(ApiError::SessionExpired)
            }
            Stored::Gone => {
                self.follow(None);
                Err(ApiError::SessionExpired)
            }
        }
    }

    /// The refresh itself, inside the lock; `asked` is the refresh token the session had when
    /// a caller asked.
    async fn refresh_locked(
        self: &Rc<Self>,
        epoch: u64,
        asked: &str,
        held: locks::Held,
    ) -> Result<Session, ApiError> {
        if !self.is_current(epoch) {
            return Err(ApiError::SessionExpired);
        }
        let Some(current) = self.current() else {
            return Err(ApiError::SessionExpired);
        };
        // Inside the lock storage is the truth: another tab may have refreshed a moment ago,
        // or another user signed in (a page restored from the back/forward cache).
        let stored = Self::stored(&current);
        if stored != Stored::Mine {
            return self.yield_to(stored);
        }
        // Renewed while we waited for the lock (adopted from another tab's storage event).
        if current.refresh != asked {
            return Ok(current);
        }
        let deadline = Deadline::new(self.end_signal().as_ref());
        let outcome = post_refresh(&self.config, &deadline, &current.refresh).await;
        if !self.is_current(epoch) {
            // Signed out meanwhile (another tab, the button): do not resurrect.
            return Err(ApiError::SessionExpired);
        }
        match outcome? {
            Ok(pair) => {
                let session =
                    Session::received(pair.access, pair.refresh, current.user.clone(), now_ms());
                // Storage changed hands while the answer was on its way (another tab signed
                // out, or in as someone else): never write over it; revoke the new tokens.
                let stored = Self::stored(&current);
                if stored != Stored::Mine {
                    wasm_bindgen_futures::spawn_local(revoke(self.config.clone(), session));
                    return self.yield_to(stored);
                }
                self.set(session.clone());
                Ok(session)
            }
            Err(status @ (400 | 401)) => {
                // A tab without locks may have rotated it: what does storage hold now?
                let stored = Self::stored(&current);
                if stored != Stored::Mine {
                    return self.yield_to(stored);
                }
                // Unlocked because a tab holding the lock hangs: it may have spent this very
                // token a moment ago and not stored its answer yet. Try again later instead.
                if held == locks::Held::TimedOut {
                    return Err(ApiError::Rejected {
                        status,
                        body: String::new(),
                    });
                }
                self.end(Some(EndReason::Expired));
                Err(ApiError::SessionExpired)
            }
            Err(status) => Err(ApiError::Rejected {
                status,
                body: String::new(),
            }),
        }
    }

    /// An authenticated request, answered in full (status and body). `build` makes the request
    /// for a URL prefix and is called again with the new token after a 401 → refresh (once).
    /// The request and its body have a deadline and are aborted when the session ends; an
    /// answer that arrives for an ended session is [`ApiError::SessionExpired`].
    pub async fn authed(
        self: Rc<Self>,
        build: impl Fn(&RuntimeConfig) -> RequestBuilder,
    ) -> Result<Answer, ApiError> {
        let epoch = self.epoch();
        let mut refreshed = false;
        loop {
            if !self.is_current(epoch) {
                return Err(ApiError::SessionExpired);
            }
            let Some(session) = self.current() else {
                return Err(ApiError::SessionExpired);
            };
            let deadline = Deadline::new(self.end_signal().as_ref());
            let bearer = format!("Bearer {}", session.access);
            let response = deadline
                .send(|signal| {
                    build(&self.config)
                        .abort_signal(signal)
                        .header("Authorization", &bearer)
                        .build()
                })
                .await?;
            if !self.is_current(epoch) {
                return Err(ApiError::SessionExpired);
            }
            match response.status() {
                401 if !refreshed => {
                    refreshed = true;
                    self.refresh().await?;
                }
                // Refused again with a fresh token: not the session's end (a proxy that strips
                // Authorization, say), a refusal the caller shows.
                401 => {
                    return Err(ApiError::Rejected {
                        status: 401,
                        body: String::new(),
                    })
                }
                s @ 500..=599 => return Err(ApiError::Server(s)),
                status => {
                    // Bytes, not text: a 10,000-row answer is copied into wasm as-is.
                    let body = deadline.settle(response.binary().await)?;
                    if !self.is_current(epoch) {
                        return Err(ApiError::SessionExpired);
                    }
                    return Ok(Answer { status, body });
                }
            }
        }
    }

    /// Signs out: tells the server (both tokens; its 205 body is never read; an expired access
    /// token is refreshed first), and whatever it answers, ends the session here at once.
    pub fn logout(self: &Rc<Self>) {
        if let Some(session) = self.current() {
            wasm_bindgen_futures::spawn_local(revoke(self.config.clone(), session));
        }
        self.end(None);
    }

    /// Ends the session in this tab: aborts its requests, announces it, and wipes the stored
    /// session and caches, but only while storage still holds this tab's session: a tab
    /// that fell behind (restored from the back/forward cache, say) never signs out the user
    /// who signed in since. Its own user's caches go all the same.
    pub fn end(&self, reason: Option<EndReason>) {
        self.close_epoch();
        let mine = self.session.borrow_mut().take();
        if let Some(mine) = &mine {
            match Self::stored(mine).wipe_on_end() {
                Wipe::Everything => storage::wipe_user_data(),
                Wipe::CachesOfMine => storage::wipe_caches_of(mine.user.id),
                Wipe::Nothing => {}
            }
        }
        self.on_change.emit(SessionChange::Ended(reason));
    }

    /// Reads storage again and follows it (on `pageshow` from the back/forward cache, on
    /// `resume`): a page that slept got no `storage` events, and another user may have signed
    /// in meanwhile. Call it before anything else uses the session.
    pub fn resync(&self) {
        if storage::persistent() {
            self.follow(storage::load_session());
        }
    }

    /// Another tab changed the session key: follow it.
    pub fn follow_other_tab(&self, new_value: Option<String>) {
        self.follow(new_value.as_deref().and_then(storage::parse_session));
    }

    /// Makes `stored` this tab's session (without writing it): adopted if it differs; another
    /// user's drops everything of the old user here; none ends the session here.
    fn follow(&self, stored: Option<Session>) {
        match stored {
            Some(session) => {
                if self.current().as_ref() != Some(&session) {
                    if self
                        .current()
                        .is_some_and(|mine| mine.user.id != session.user.id)
                    {
                        self.close_epoch();
                    }
                    *self.session.borrow_mut() = Some(session.clone());
                    self.on_change.emit(SessionChange::Active(session));
                }
            }
            None => {
                let mine = self.session.borrow_mut().take();
                if let Some(mine) = mine {
                    self.close_epoch();
                    // The other tab wiped storage; its own caches go here too in case of a
                    // race (never the session key: someone may have signed in since).
                    storage::wipe_caches_of(mine.user.id);
                    self.on_change.emit(SessionChange::Ended(None));
                }
            }
        }
    }
}

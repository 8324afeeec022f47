//! Deadlines for every request: each one is aborted after [`REQUEST_TIMEOUT_MS`], or when
//! the session it was made for ends, whichever comes first.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, AbortSignal};

use crate::state::remote::ApiError;

/// Every request is given up after this long (about 15 s, never more than 20).
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// One request's abort switch: fired by its deadline or by the end of the session it was
/// made for. Dropping it cancels the timer and the listener.
pub struct Deadline {
    controller: Option<AbortController>,
    timed_out: Rc<Cell<bool>>,
    _timer: Option<Timeout>,
    _on_session_end: Option<EventListener>,
}

impl Deadline {
    /// A deadline starting now; `session_end`, when given, aborts the request as well.
    pub fn new(session_end: Option<&AbortSignal>) -> Self {
        let controller = AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let timer = controller.clone().map(|c| {
            let flag = timed_out.clone();
            Timeout::new(REQUEST_TIMEOUT_MS, move || {
                flag.set(true);
                c.abort();
            })
        });
        let on_session_end = match (session_end, controller.clone()) {
            (Some(end), Some(c)) => Some(EventListener::once(end, "abort", move |_| c.abort())),
            _ => None,
        };
        Self {
            controller,
            timed_out,
            _timer: timer,
            _on_session_end: on_session_end,
        }
    }

    /// The signal to hand to the request (`None` where `AbortController` is missing).
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }

    /// Sends the request `make` builds with this deadline's signal.
    pub async fn send(
        &self,
        make: impl FnOnce(Option<&AbortSignal>) -> Result<Request, gloo_net::Error>,
    ) -> Result<Response, ApiError> {
        let signal = self.signal();
        let request = make(signal.as_ref()).map_err(|e| ApiError::Network(e.to_string()))?;
        let result = request.send().await;
        self.settle(result)
    }

    /// Maps an outcome: an abort is a timeout or the session's end.
    pub fn settle<T>(&self, result: Result<T, gloo_net::Error>) -> Result<T, ApiError> {
        result.map_err(|e| {
            if self.timed_out.get() {
                ApiError::Timeout
            } else if let gloo_net::Error::SerdeError(e) = &e {
                // An answer, but not the one the contract describes (a proxy's HTML page, say).
                ApiError::Rejected {
                    status: 0,
                    body: e.to_string(),
                }
            } else if self.signal().is_some_and(|s| s.aborted()) {
                ApiError::SessionExpired
            } else {
                ApiError::Network(e.to_string())
            }
        })
    }
}

/// A request with a deadline and no session (sign-in, sign-out's own calls).
pub async fn send_once(
    make: impl FnOnce(Option<&AbortSignal>) -> Result<Request, gloo_net::Error>,
) -> Result<Response, ApiError> {
    Deadline::new(None).send(make).await
}

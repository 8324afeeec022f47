use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{use_session, use_socket};
use crate::protocol::frames::UploadPhase;
use crate::protocol::{FrameKind, ServerFrame};
use crate::state::past_jobs::PastJob;
use crate::state::uploads::{JobState, UploadJob, Uploads, UploadsAction};

/// A job milestone worth a toast and an announcement (started, completed, failed).
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    /// The transaction.
    pub transaction_id: i64,
    /// What happened (progress frames are not milestones).
    pub phase: UploadPhase,
}

impl Milestone {
    /// What to say, in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let tx = self.transaction_id;
        match &self.phase {
            UploadPhase::Failed { error } => lang.upload_failed(tx, error.as_deref()),
            UploadPhase::Completed { .. } => lang.upload_completed(tx),
            _ => lang.upload_started(tx),
        }
    }
}

/// The upload jobs and what can be done to them.
#[derive(Clone, PartialEq)]
pub struct UploadsContext {
    /// Every job, running first.
    pub uploads: Rc<Uploads>,
    /// The latest milestone.
    pub milestone: Option<Rc<Milestone>>,
    /// The clock jobs are judged by (stalled or running): moved on only when time alone
    /// changes a job (it stalls, or it is let go), so no consumer renders on a timer.
    pub now: f64,
    /// Dismiss, acknowledge, clear finished.
    pub dispatch: Callback<UploadsAction>,
}

/// Props of [`UploadsProvider`].
#[derive(Properties, PartialEq)]
pub struct UploadsProviderProps {
    /// Everything that shows jobs.
    pub children: Html,
}

fn cache_key(user_id: i64) -> String {
    crate::services::storage::cache_key("uploads", user_id)
}

fn past_key(user_id: i64) -> String {
    crate::services::storage::cache_key("past_uploads", user_id)
}

/// Owns the upload jobs: reduces every `oracle_upload_*` frame, caches the jobs per user so a
/// reload mid-job brings the card back at once, and reports milestones.
#[component(UploadsProvider)]
pub fn uploads_provider(props: &UploadsProviderProps) -> Html {
    let session = use_session();
    let socket = use_socket();
    let uploads = use_reducer(Uploads::default);
    let milestone = use_state(|| None::<Rc<Milestone>>);
    let now = use_state(js_sys::Date::now);
    let user_id = session.session.as_ref().map(|s| s.user.id);
    let snapshot = Rc::new((*uploads).clone());
    // The jobs of this render, for the frame callback made once.
    let latest = use_mut_ref(|| snapshot.clone());
    *latest.borrow_mut() = snapshot.clone();

    {
        let dispatcher = uploads.dispatcher();
        let milestone = milestone.setter();
        crate::hooks::use_user_cache(user_id, cache_key, move |jobs: Option<Vec<UploadJob>>| {
            // Nothing of the previous user's jobs or milestones carries over.
            dispatcher.dispatch(UploadsAction::Clear);
            milestone.set(None);
            if let Some(jobs) = jobs {
                dispatcher.dispatch(UploadsAction::Restore {
                    jobs,
                    now: js_sys::Date::now(),
                });
            }
        });
    }
    {
        let dispatcher = uploads.dispatcher();
        let milestone = milestone.setter();
        let service = socket.service.clone();
        let latest = latest.clone();
        use_effect_with((user_id, service.clone()), move |(user_id, _)| {
            let subscription = user_id.map(|_| {
                service.subscribe(
                    &[FrameKind::Upload],
                    Callback::from(move |frame: Rc<ServerFrame>| {
                        let ServerFrame::Upload(event) = &*frame else {
                            return;
                        };
                        let tx = event.transaction_id;
                        // Repeated frames must not repeat the toast.
                        let before = latest
                            .borrow()
                            .jobs()
                            .iter()
                            .find(|j| j.transaction_id == tx)
                            .map(|j| (j.state, j.joined_midway));
                        let repeat = match (&event.phase, before) {
                            (UploadPhase::Started, Some((JobState::Running, false))) => true,
                            (
                                UploadPhase::Completed { .. } | UploadPhase::Failed { .. },
                                Some((state, _)),
                            ) => state != JobState::Running,
                            _ => false,
                        };
                        dispatcher.dispatch(UploadsAction::Frame {
                            event: event.clone(),
                            now: js_sys::Date::now(),
                        });
                        if event.phase.is_milestone() && !repeat {
                            milestone.set(Some(Rc::new(Milestone {
                                transaction_id: tx,
                                phase: event.phase.clone(),
                            })));
                        }
                    }),
                )
            });
            move || drop(subscription)
        });
    }
    {
        // One timer, for the next moment time alone changes a job (none while nothing will):
        // then the clock moves and jobs with no news for a day are let go.
        let next = uploads.next_change(*now);
        let dispatcher = uploads.dispatcher();
        let set_now = now.setter();
        // Keyed on the clock too: a timer that fired a little early sets it again.
        use_effect_with((next, *now), move |(next, _)| {
            let timer = next.map(|at| {
                let wait = crate::state::session::timer_ms(at - js_sys::Date::now());
                gloo_timers::callback::Timeout::new(wait, move || {
                    let t = js_sys::Date::now();
                    dispatcher.dispatch(UploadsAction::LetGo(t));
                    set_now.set(t);
                })
            });
            move || drop(timer)
        });
    }
    {
        // The past jobs ("Past jobs", the estimate): after the jobs' cache, which clears both.
        let dispatcher = uploads.dispatcher();
        crate::hooks::use_user_cache(user_id, past_key, move |past: Option<Vec<PastJob>>| {
            if let Some(past) = past {
                dispatcher.dispatch(UploadsAction::RestorePast(past));
            }
        });
    }
    crate::hooks::use_persisted(user_id.map(cache_key), snapshot.clone(), Uploads::jobs);
    crate::hooks::use_persisted(user_id.map(past_key), snapshot.clone(), Uploads::past);

    let context = UploadsContext {
        uploads: snapshot,
        milestone: (*milestone).clone(),
        now: *now,
        dispatch: {
            let d = uploads.dispatcher();
            Callback::from(move |a| d.dispatch(a))
        },
    };
    html! {
        <ContextProvider<UploadsContext> {context}>
            { props.children.clone() }
        </ContextProvider<UploadsContext>>
    }
}

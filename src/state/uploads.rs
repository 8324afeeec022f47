//! Oracle upload jobs, one per transaction, built from `oracle_upload_*` frames however
//! irregular the stream: missing `started`, no progress frames, repeats, out-of-order frames,
//! frames after the end, crashed workers. Pure; time is passed in.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::protocol::frames::{StepStatus, UploadPhase};
use crate::protocol::{clip_owned, UploadEvent, STORED_TEXT_MAX};

/// A running job with no frame for this long is shown as stalled (never as failed).
pub const STALL_AFTER_MS: f64 = 5.0 * 60_000.0;
/// A job with no news for this long is let go by itself, in an open tab and when a reload
/// restores the cache: a crashed worker sends nothing more (PROTOCOL.md), and its card would
/// otherwise come back forever. Failed jobs are the exception: they stay until acknowledged.
pub const LET_GO_AFTER_MS: f64 = 24.0 * 3_600_000.0;
/// Jobs kept at most: the oldest completed ones are let go first, then (only when a stream of
/// new transactions would otherwise grow the list without end) the oldest failed, then the
/// oldest running.
pub const JOB_BOUND: usize = 100;
/// Steps a job can have: a larger `total_steps` is taken as this, a `step_number` beyond it
/// (or below 1) as unknown, and no job keeps more steps than this, whatever the frames say.
pub const MAX_STEPS: u32 = 100;
/// Characters a step name keeps (it is a label: the timeline, the bar's value text).
pub const STEP_NAME_MAX: usize = 200;

fn stored(text: &Option<String>) -> Option<String> {
    text.clone().map(|t| clip_owned(t, STORED_TEXT_MAX))
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Steps are running.
    Running,
    /// Done, with success.
    Completed,
    /// Ended in error.
    Failed,
}

/// Where a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StepState {
    /// Not started.
    Pending,
    /// Running.
    Running,
    /// Finished.
    Done,
    /// Failed.
    Failed,
}

/// One step of a job's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// 1-based position, when known.
    pub number: Option<u32>,
    /// Name, e.g. "Interface Loader Submission".
    pub name: String,
    /// State.
    pub state: StepState,
    /// When it started running (this client's clock).
    pub started_ms: Option<f64>,
    /// When it finished.
    pub ended_ms: Option<f64>,
}

impl Step {
    /// How long it took, once known.
    pub fn duration_ms(&self) -> Option<f64> {
        Some(self.ended_ms? - self.started_ms?)
    }
}

/// One upload job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadJob {
    /// The job's key.
    pub transaction_id: i64,
    /// 1 for the first run; a new `started` after the end begins attempt 2, and so on.
    pub attempt: u32,
    /// State.
    pub state: JobState,
    /// 0–100, never decreasing within an attempt.
    pub percent: f64,
    /// Steps in the job (5 when the server does not say).
    pub total_steps: u32,
    /// Steps seen, by position.
    pub steps: Vec<Step>,
    /// Latest message (generic / English / Arabic).
    pub message: Option<String>,
    /// English.
    pub eng_message: Option<String>,
    /// Arabic.
    pub ara_message: Option<String>,
    /// Error text of a failed job.
    pub error: Option<String>,
    /// Result path of a completed job.
    pub result_path: Option<String>,
    /// When it started (or was first seen).
    pub started_ms: f64,
    /// When it ended.
    pub ended_ms: Option<f64>,
    /// Last frame of this job.
    pub last_frame_ms: f64,
    /// `started` was never seen (joined mid-way, e.g. after a reload).
    pub joined_midway: bool,
    /// Restored from the cache, no frame since: "waiting for updates".
    pub restored: bool,
    /// The wire `timestamp` of its `started` frame: that frame repeated after the end
    /// (PROTOCOL.md: "frames for one job can repeat") is not a new attempt.
    #[serde(default)]
    pub started_stamp: Option<String>,
}

impl UploadJob {
    fn new(transaction_id: i64, attempt: u32, now: f64) -> Self {
        Self {
            transaction_id,
            attempt,
            state: JobState::Running,
            percent: 0.0,
            total_steps: crate::protocol::frames::DEFAULT_TOTAL_STEPS,
            steps: Vec::new(),
            message: None,
            eng_message: None,
            ara_message: None,
            error: None,
            result_path: None,
            started_ms: now,
            ended_ms: None,
            last_frame_ms: now,
            joined_midway: true,
            restored: false,
            started_stamp: None,
        }
    }

    /// Running with no frame for [`STALL_AFTER_MS`].
    pub fn is_stalled(&self, now: f64) -> bool {
        self.state == JobState::Running && now - self.last_frame_ms >= STALL_AFTER_MS
    }

    /// Running and not stalled: what the header counts as running and the ticker ticks for.
    pub fn is_active(&self, now: f64) -> bool {
        self.state == JobState::Running && !self.is_stalled(now)
    }

    /// The user may acknowledge it and make it go: a failure, or a job whose worker has gone
    /// silent (stalled), which may never send anything again.
    pub fn can_acknowledge(&self, now: f64) -> bool {
        self.state == JobState::Failed || self.is_stalled(now)
    }

    /// No news for [`LET_GO_AFTER_MS`], and not a failure waiting to be acknowledged.
    pub fn is_let_go(&self, now: f64) -> bool {
        self.state != JobState::Failed && now - self.last_frame_ms >= LET_GO_AFTER_MS
    }

    /// How long it ran: to its end, to its last frame while stalled (nothing is known after
    /// it, and a stalled card needs no clock), else to `now`.
    pub fn elapsed_ms(&self, now: f64) -> f64 {
        let until = match self.ended_ms {
            Some(end) => end,
            None if self.is_stalled(now) => self.last_frame_ms,
            None => now,
        };
        until - self.started_ms
    }

    /// The next moment after `now` at which time alone changes this job: it stalls, or it is
    /// let go (`now` itself when that is overdue).
    fn next_change(&self, now: f64) -> Option<f64> {
        let stall = self.last_frame_ms + STALL_AFTER_MS;
        if self.state == JobState::Running && stall > now {
            return Some(stall);
        }
        (self.state != JobState::Failed).then(|| (self.last_frame_ms + LET_GO_AFTER_MS).max(now))
    }

    /// The step running now (or the last one reached).
    pub fn current_step(&self) -> Option<&Step> {
        self.steps
            .iter()
            .filter(|s| s.state != StepState::Pending)
            .max_by_key(|s| s.number.unwrap_or(0))
    }

    /// The step that failed, if one did.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.state == StepState::Failed)
    }

    fn step_mut(&mut self, number: Option<u32>, name: Option<&str>) -> Option<&mut Step> {
        let name = name.map(|n| crate::protocol::clip(n, STEP_NAME_MAX));
        let name = name.as_deref();
        // Position from the number, or from a step of the same name seen before.
        let number = number.or_else(|| {
            let name = name?;
            self.steps
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.number)
        });
        let idx = match (number, name) {
            (Some(k), _) => self.steps.iter().position(|s| s.number == Some(k)),
            (None, Some(n)) => self.steps.iter().position(|s| s.name == n),
            (None, None) => return None,
        };
        let idx = match idx {
            Some(i) => i,
            // Bounded: a stream of ever new step names or numbers adds nothing past the cap.
            None if self.steps.len() >= MAX_STEPS as usize => return None,
            None => {
                self.steps.push(Step {
                    number,
                    name: name
                        .map(str::to_owned)
                        .unwrap_or_else(|| format!("Step {}", number.unwrap_or(0))),
                    state: StepState::Pending,
                    started_ms: None,
                    ended_ms: None,
                });
                self.steps.sort_by_key(|s| s.number.unwrap_or(u32::MAX));
                self.steps
                    .iter()
                    .position(|s| s.number == number && name.is_none_or(|n| s.name == n))?
            }
        };
        let step = &mut self.steps[idx];
        if let Some(n) = name {
            if step.name.starts_with("Step ") && step.name != n {
                step.name = n.to_owned();
            }
        }
        Some(step)
    }

    fn raise(&mut self, percent: f64) {
        if percent.is_finite() {
            self.percent = self.percent.max(percent.clamp(0.0, 100.0));
        }
    }

    /// A job read back from storage made to keep every invariant a job built from frames
    /// keeps: percent within 0–100, a sane step count, bounded text.
    fn sanitised(mut self) -> Self {
        self.percent = if self.state == JobState::Completed {
            100.0
        } else if self.percent.is_finite() {
            self.percent.clamp(0.0, 100.0)
        } else {
            0.0
        };
        self.steps.truncate(MAX_STEPS as usize);
        for s in &mut self.steps {
            s.name = clip_owned(std::mem::take(&mut s.name), STEP_NAME_MAX);
            s.number = s.number.filter(|k| (1..=MAX_STEPS).contains(k));
        }
        let highest_known = self.steps.iter().filter_map(|s| s.number).max();
        self.total_steps = self
            .total_steps
            .clamp(1, MAX_STEPS)
            .max(highest_known.unwrap_or(0));
        for text in [
            &mut self.message,
            &mut self.eng_message,
            &mut self.ara_message,
            &mut self.error,
            &mut self.result_path,
        ] {
            *text = stored(text);
        }
        self.attempt = self.attempt.max(1);
        self.restored = self.state == JobState::Running;
        self
    }

    fn apply(&mut self, event: &UploadEvent, now: f64) {
        self.last_frame_ms = now;
        self.restored = false;
        if event.message.is_some() || event.eng_message.is_some() || event.ara_message.is_some() {
            self.message = stored(&event.message);
            self.eng_message = stored(&event.eng_message);
            self.ara_message = stored(&event.ara_message);
        }
        match &event.phase {
            UploadPhase::Started => {
                self.joined_midway = false;
                self.started_stamp.clone_from(&event.timestamp);
            }
            UploadPhase::Progress {
                step,
                step_number,
                total_steps,
                status,
            } => {
                // 1-based positions within the cap; a step beyond the announced total means
                // the total was wrong (the bar must never pass 100 while running).
                let step_number = step_number.filter(|k| (1..=MAX_STEPS).contains(k));
                let highest_known = self.steps.iter().filter_map(|s| s.number).max();
                self.total_steps = (*total_steps)
                    .clamp(1, MAX_STEPS)
                    .max(step_number.unwrap_or(0))
                    .max(highest_known.unwrap_or(0));
                let n = f64::from(self.total_steps);
                let Some(s) = self.step_mut(step_number, step.as_deref()) else {
                    return;
                };
                let k = s.number;
                let next = match status {
                    StepStatus::Processing | StepStatus::Other(_) => StepState::Running,
                    StepStatus::Completed => StepState::Done,
                    StepStatus::Failed => StepState::Failed,
                };
                if next > s.state {
                    // First seen already over (joined mid-way, or its running frame missed):
                    // when it began is unknown, so no duration is made up for it.
                    if s.started_ms.is_none()
                        && (next == StepState::Running || s.state != StepState::Pending)
                    {
                        s.started_ms = Some(now);
                    }
                    if matches!(next, StepState::Done | StepState::Failed) {
                        s.ended_ms = Some(now);
                    }
                    s.state = next;
                }
                if let Some(k) = k {
                    // Earlier steps are done once a later one runs (a missed frame).
                    for earlier in self
                        .steps
                        .iter_mut()
                        .filter(|e| e.number.is_some_and(|e| e < k))
                    {
                        if earlier.state < StepState::Done {
                            earlier.state = StepState::Done;
                            earlier.ended_ms.get_or_insert(now);
                        }
                    }
                    let k = f64::from(k);
                    match next {
                        StepState::Done => self.raise(k / n * 100.0),
                        _ => self.raise((k - 1.0) / n * 100.0),
                    }
                }
            }
            UploadPhase::Completed {
                result_path,
                success,
            } => {
                if *success == Some(false) {
                    self.state = JobState::Failed;
                } else {
                    self.state = JobState::Completed;
                    self.percent = 100.0;
                    for s in &mut self.steps {
                        if s.state < StepState::Done {
                            s.state = StepState::Done;
                            s.ended_ms.get_or_insert(now);
                        }
                    }
                }
                self.result_path = stored(result_path);
                self.ended_ms = Some(now);
            }
            UploadPhase::Failed { error } => {
                self.state = JobState::Failed;
                self.error = stored(error).or_else(|| stored(&event.eng_message));
                self.ended_ms = Some(now);
                // The step that was running failed, unless a progress frame said which.
                if self.failed_step().is_none() {
                    if let Some(k) = self
                        .steps
                        .iter()
                        .filter(|s| s.state == StepState::Running)
                        .map(|s| s.number)
                        .max()
                    {
                        if let Some(s) = self
                            .steps
                            .iter_mut()
                            .find(|s| s.number == k && s.state == StepState::Running)
                        {
                            s.state = StepState::Failed;
                            s.ended_ms = Some(now);
                        }
                    }
                }
            }
        }
    }
}

/// What can happen to the jobs.
#[derive(Clone, Debug)]
pub enum UploadsAction {
    /// A frame arrived at `now`.
    Frame {
        /// The event.
        event: UploadEvent,
        /// Arrival time.
        now: f64,
    },
    /// Remove a completed job.
    Dismiss(i64),
    /// Remove a failed or stalled job: the user has seen it.
    Acknowledge {
        /// The job.
        transaction_id: i64,
        /// When (a job that is merely running is not removed).
        now: f64,
    },
    /// Remove every completed job (failed ones stay until acknowledged).
    ClearFinished,
    /// The cached jobs, on load, at `now` (jobs with no news for [`LET_GO_AFTER_MS`] stay
    /// behind).
    Restore {
        /// From storage.
        jobs: Vec<UploadJob>,
        /// Now.
        now: f64,
    },
    /// Time passed: jobs with no news for [`LET_GO_AFTER_MS`] go.
    LetGo(f64),
    /// The past jobs storage held, on load (added to those this tab saw end).
    RestorePast(Vec<super::past_jobs::PastJob>),
    /// Sign-out (the past jobs go too).
    Clear,
}

/// Every job of this user, running first, then newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Uploads {
    jobs: Vec<UploadJob>,
    /// Jobs this user saw end, newest first (for "Past jobs" and the estimate).
    past: super::past_jobs::PastJobs,
}

impl Uploads {
    /// Jobs in display order.
    pub fn jobs(&self) -> &[UploadJob] {
        &self.jobs
    }

    /// The last finished jobs, newest first.
    pub fn past(&self) -> &[super::past_jobs::PastJob] {
        self.past.jobs()
    }

    /// How long a job usually takes, from the past jobs (`None`: nothing honest to say).
    pub fn estimate(&self) -> Option<super::past_jobs::Estimate> {
        self.past.estimate()
    }

    /// Jobs running at `now`: not stalled (the header's "2 uploads running").
    pub fn running(&self, now: f64) -> usize {
        self.jobs.iter().filter(|j| j.is_active(now)).count()
    }

    /// Jobs stalled at `now` (the header's "1 upload stalled").
    pub fn stalled(&self, now: f64) -> usize {
        self.jobs.iter().filter(|j| j.is_stalled(now)).count()
    }

    /// Whether a card's clock must tick at `now` (every second): only while a job runs. Stalled
    /// and finished jobs show nothing that changes with time.
    pub fn ticking(&self, now: f64) -> bool {
        self.jobs.iter().any(|j| j.is_active(now))
    }

    /// When time alone next changes what the jobs show after `now`: the first job to stall
    /// or to be let go ([`UploadsAction::LetGo`] then). `None`: nothing will.
    pub fn next_change(&self, now: f64) -> Option<f64> {
        self.jobs
            .iter()
            .filter_map(|j| j.next_change(now))
            .min_by(f64::total_cmp)
    }

    fn order(&mut self) {
        self.jobs.sort_by(|a, b| {
            let running = |j: &UploadJob| j.state == JobState::Running;
            running(b)
                .cmp(&running(a))
                .then_with(|| b.started_ms.total_cmp(&a.started_ms))
                .then_with(|| b.transaction_id.cmp(&a.transaction_id))
        });
        if self.jobs.len() > JOB_BOUND {
            // Let go of the oldest finished jobs first; failed ones wait for acknowledgement...
            let mut excess = self.jobs.len() - JOB_BOUND;
            let mut i = self.jobs.len();
            while excess > 0 && i > 0 {
                i -= 1;
                if self.jobs[i].state == JobState::Completed {
                    self.jobs.remove(i);
                    excess -= 1;
                }
            }
            // ...unless only that would keep the list bounded: then the oldest go, failed
            // (listed after running ones) before running.
            self.jobs.truncate(JOB_BOUND);
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, action: UploadsAction) {
        match action {
            UploadsAction::Frame { event, now } => {
                let tx = event.transaction_id;
                let is_start = event.phase == UploadPhase::Started;
                match self.jobs.iter().position(|j| j.transaction_id == tx) {
                    Some(i) => {
                        let job = &mut self.jobs[i];
                        if job.state != JobState::Running {
                            // Late or repeated frames do not reopen a finished job.
                            let repeated =
                                event.timestamp.is_some() && event.timestamp == job.started_stamp;
                            if !is_start || repeated {
                                return;
                            }
                            *job = UploadJob::new(tx, job.attempt.saturating_add(1), now);
                        }
                        job.apply(&event, now);
                        self.past.record_end(job);
                    }
                    None => {
                        let mut job = UploadJob::new(tx, 1, now);
                        job.apply(&event, now);
                        self.past.record_end(&job);
                        self.jobs.push(job);
                    }
                }
                self.order();
            }
            UploadsAction::Dismiss(tx) => self
                .jobs
                .retain(|j| !(j.transaction_id == tx && j.state == JobState::Completed)),
            UploadsAction::Acknowledge {
                transaction_id,
                now,
            } => self
                .jobs
                .retain(|j| !(j.transaction_id == transaction_id && j.can_acknowledge(now))),
            UploadsAction::ClearFinished => self.jobs.retain(|j| j.state != JobState::Completed),
            UploadsAction::Restore { jobs, now } => {
                if self.jobs.is_empty() {
                    // Storage is not the server: one job per transaction, invariants restored.
                    let mut seen = std::collections::HashSet::new();
                    self.jobs = jobs
                        .into_iter()
                        .filter(|j| seen.insert(j.transaction_id))
                        .map(|mut j| {
                            // News from the future (a tampered cache, a clock set back) would
                            // keep the job from ever stalling or going: it is news from now.
                            j.last_frame_ms = j.last_frame_ms.min(now);
                            j.sanitised()
                        })
                        .filter(|j| !j.is_let_go(now))
                        .collect();
                    self.order();
                }
            }
            UploadsAction::LetGo(now) => self.jobs.retain(|j| !j.is_let_go(now)),
            UploadsAction::RestorePast(stored) => self.past.restore(stored),
            UploadsAction::Clear => {
                self.jobs.clear();
                self.past.clear();
            }
        }
    }
}

impl yew::Reducible for Uploads {
    type Action = UploadsAction;

    fn reduce(self: Rc<Self>, action: UploadsAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{decode_frame, ServerFrame};

    fn ev(json: &str) -> UploadEvent {
        match decode_frame(json).unwrap() {
            ServerFrame::Upload(u) => u,
            other => panic!("{other:?}"),
        }
    }

    fn started(tx: i64) -> String {
        format!(r#"{{"type":"oracle_upload_started","transaction_id":{tx},"message":"started"}}"#)
    }
    fn progress(tx: i64, k: Option<u32>, n: Option<u32>, step: &str, status: &str) -> String {
        let k = k.map_or("null".into(), |k| k.to_string());
        let n = n.map_or(String::new(), |n| format!(r#","total_steps":{n}"#));
        format!(
            r#"{{"type":"oracle_upload_progress","transaction_id":{tx},"step":"{step}","step_number":{k}{n},"status":"{status}"}}"#
        )
    }
    fn completed(tx: i64) -> String {
        format!(
            r#"{{"type":"oracle_upload_completed","transaction_id":{tx},"success":true,"result_path":"/r/{tx}.zip"}}"#
        )
    }
    fn failed(tx: i64, error: &str) -> String {
        format!(r#"{{"type":"oracle_upload_failed","transaction_id":{tx},"error":"{error}"}}"#)
    }

    /// Feeds frames one second apart; returns the percent after each.
    fn run(frames: &[String]) -> (Uploads, Vec<f64>) {
        let mut u = Uploads::default();
        let mut percents = vec![];
        for (i, f) in frames.iter().enumerate() {
            u.apply(UploadsAction::Frame {
                event: ev(f),
                now: 1_000.0 * i as f64,
            });
            percents.push(u.jobs().first().map_or(-1.0, |j| j.percent));
        }
        (u, percents)
    }

    #[test]
    fn percent_rules_table() {
        let cases: Vec<(&str, Vec<String>, Vec<f64>)> = vec![
            (
                "five steps, processing then completed",
                {
                    let mut f = vec![started(1)];
                    for k in 1..=5 {
                        f.push(progress(
                            1,
                            Some(k),
                            Some(5),
                            &format!("S{k}"),
                            "processing",
                        ));
                        f.push(progress(1, Some(k), Some(5), &format!("S{k}"), "completed"));
                    }
                    f.push(completed(1));
                    f
                },
                vec![
                    0.0, 0.0, 20.0, 20.0, 40.0, 40.0, 60.0, 60.0, 80.0, 80.0, 100.0, 100.0,
                ],
            ),
            (
                "started then completed, no progress",
                vec![started(1), completed(1)],
                vec![0.0, 100.0],
            ),
            (
                "joined mid-way at step 3",
                vec![
                    progress(1, Some(3), Some(5), "Interface Loader", "processing"),
                    completed(1),
                ],
                vec![40.0, 100.0],
            ),
            (
                "repeats change nothing",
                vec![
                    started(1),
                    progress(1, Some(2), Some(4), "B", "processing"),
                    progress(1, Some(2), Some(4), "B", "processing"),
                    started(1),
                ],
                vec![0.0, 25.0, 25.0, 25.0],
            ),
            (
                "out of order never regresses",
                vec![
                    started(1),
                    progress(1, Some(3), Some(5), "C", "processing"),
                    progress(1, Some(1), Some(5), "A", "processing"),
                    progress(1, Some(2), Some(5), "B", "completed"),
                ],
                vec![0.0, 40.0, 40.0, 40.0],
            ),
            (
                "total_steps missing means 5",
                vec![progress(1, Some(1), None, "A", "completed")],
                vec![20.0],
            ),
            (
                "step_number null, name unknown: no guess",
                vec![
                    started(1),
                    progress(1, None, Some(4), "Mystery", "processing"),
                ],
                vec![0.0, 0.0],
            ),
            (
                "step_number null, name seen: its position",
                vec![
                    progress(1, Some(2), Some(4), "B", "processing"),
                    progress(1, None, Some(4), "B", "completed"),
                ],
                vec![25.0, 50.0],
            ),
        ];
        for (name, frames, want) in cases {
            let (_, got) = run(&frames);
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn value_text_and_timeline() {
        let (u, _) = run(&[
            started(602),
            progress(602, Some(3), Some(5), "Interface Loader", "processing"),
        ]);
        let job = &u.jobs()[0];
        assert_eq!(
            crate::i18n::Lang::En.job_progress(job),
            "Step 3 of 5: Interface Loader"
        );
        assert!(!job.joined_midway);
        let (u, _) = run(&[
            started(7),
            progress(7, Some(1), Some(2), "A", "processing"),
            progress(7, Some(1), Some(2), "A", "completed"),
            progress(7, Some(2), Some(2), "B", "processing"),
        ]);
        let steps = &u.jobs()[0].steps;
        assert_eq!(
            steps
                .iter()
                .map(|s| (s.number, s.state))
                .collect::<Vec<_>>(),
            vec![(Some(1), StepState::Done), (Some(2), StepState::Running)]
        );
        assert_eq!(steps[0].duration_ms(), Some(1_000.0));
        let (u, _) = run(&[started(8), completed(8)]);
        assert!(u.jobs()[0].steps.is_empty(), "steps unknown");
        assert_eq!(
            crate::i18n::Lang::En.job_progress(&u.jobs()[0]),
            "Completed"
        );
        assert_eq!(u.jobs()[0].result_path.as_deref(), Some("/r/8.zip"));
    }

    #[test]
    fn failure_names_the_step_and_keeps_the_bar() {
        let (u, p) = run(&[
            started(9),
            progress(9, Some(1), Some(5), "A", "completed"),
            progress(9, Some(2), Some(5), "B", "processing"),
            failed(9, "Interface loader timeout"),
        ]);
        let job = &u.jobs()[0];
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.error.as_deref(), Some("Interface loader timeout"));
        assert_eq!(job.failed_step().map(|s| s.name.as_str()), Some("B"));
        assert_eq!(crate::i18n::Lang::En.job_progress(job), "Failed at B");
        assert_eq!(p.last(), Some(&20.0));
    }

    #[test]
    fn finished_jobs_are_not_reopened_except_by_a_new_start() {
        let (mut u, _) = run(&[started(5), failed(5, "x")]);
        u.apply(UploadsAction::Frame {
            event: ev(&progress(5, Some(4), Some(5), "D", "processing")),
            now: 10.0,
        });
        u.apply(UploadsAction::Frame {
            event: ev(&completed(5)),
            now: 11.0,
        });
        assert_eq!(u.jobs()[0].state, JobState::Failed);
        u.apply(UploadsAction::Frame {
            event: ev(&started(5)),
            now: 12.0,
        });
        let job = &u.jobs()[0];
        assert_eq!(
            (job.attempt, job.state, job.percent),
            (2, JobState::Running, 0.0)
        );
        assert_eq!(job.error, None);
    }

    #[test]
    fn stall_is_a_function_of_time_not_a_failure() {
        let (u, _) = run(&[started(1)]);
        let job = &u.jobs()[0];
        assert!(!job.is_stalled(STALL_AFTER_MS - 1.0));
        assert!(job.is_stalled(STALL_AFTER_MS));
        assert_eq!(job.state, JobState::Running);
        let (u, _) = run(&[started(1), completed(1)]);
        assert!(!u.jobs()[0].is_stalled(1e12));
    }

    #[test]
    fn ordering_dismiss_acknowledge_clear() {
        let (mut u, _) = run(&[
            started(1),
            completed(1),
            started(2),
            failed(2, "e"),
            started(3),
            started(4),
        ]);
        let order: Vec<i64> = u.jobs().iter().map(|j| j.transaction_id).collect();
        assert_eq!(order, vec![4, 3, 2, 1], "running first, then newest");
        assert_eq!(u.running(5_000.0), 2);
        u.apply(UploadsAction::ClearFinished);
        assert_eq!(
            u.jobs()
                .iter()
                .map(|j| j.transaction_id)
                .collect::<Vec<_>>(),
            vec![4, 3, 2],
            "failed stays"
        );
        u.apply(UploadsAction::Dismiss(2));
        assert_eq!(u.jobs().len(), 3, "dismiss is for completed jobs");
        u.apply(UploadsAction::Acknowledge {
            transaction_id: 2,
            now: 6_000.0,
        });
        assert_eq!(u.jobs().len(), 2);
    }

    fn frame(u: &mut Uploads, json: &str, now: f64) {
        u.apply(UploadsAction::Frame {
            event: ev(json),
            now,
        });
    }

    #[test]
    fn a_started_frame_repeated_after_the_end_is_not_a_new_attempt() {
        let at = |ts: &str| {
            format!(
                r#"{{"type":"oracle_upload_started","transaction_id":9,"message":"started","timestamp":"{ts}"}}"#
            )
        };
        let mut u = Uploads::default();
        frame(&mut u, &at("2025-12-30T12:40:49.474292"), 1_000.0);
        frame(&mut u, &completed(9), 2_000.0);
        frame(&mut u, &at("2025-12-30T12:40:49.474292"), 3_000.0);
        let job = &u.jobs()[0];
        assert_eq!((job.state, job.attempt), (JobState::Completed, 1));
        // A later start is a new attempt; one without a timestamp cannot be told apart: so too.
        frame(&mut u, &at("2025-12-30T12:45:00"), 4_000.0);
        assert_eq!(
            (u.jobs()[0].state, u.jobs()[0].attempt),
            (JobState::Running, 2)
        );
        frame(&mut u, &completed(9), 5_000.0);
        frame(&mut u, &started(9), 6_000.0);
        assert_eq!(
            (u.jobs()[0].state, u.jobs()[0].attempt),
            (JobState::Running, 3)
        );
        // A cache written before the field existed still reads.
        let mut cached = serde_json::to_value(&u.jobs()[0]).unwrap();
        cached.as_object_mut().unwrap().remove("started_stamp");
        assert!(serde_json::from_value::<UploadJob>(cached).is_ok());
    }

    #[test]
    fn hostile_step_numbers_never_fill_a_running_bar() {
        let (u, p) = run(&[
            started(1),
            r#"{"type":"oracle_upload_progress","transaction_id":1,"step":"X","step_number":4000000000,"total_steps":5}"#.into(),
            r#"{"type":"oracle_upload_progress","transaction_id":1,"step":"Y","step_number":1e300,"total_steps":0}"#.into(),
            r#"{"type":"oracle_upload_progress","transaction_id":1,"step":"Z","step_number":-3,"total_steps":-5}"#.into(),
            r#"{"type":"oracle_upload_progress","transaction_id":1,"step":"Seven","step_number":7,"total_steps":5}"#.into(),
            r#"{"type":"oracle_upload_progress","transaction_id":1,"step":"Huge","step_number":3,"total_steps":4000000000}"#.into(),
        ]);
        let job = &u.jobs()[0];
        assert_eq!(job.state, JobState::Running);
        assert!(p.iter().all(|p| (0.0..100.0).contains(p)), "{p:?}");
        // Step 7 of an announced 5: the total was wrong, 7 is the last known (6 of 7 done).
        assert_eq!(p[4], 600.0 / 7.0);
        assert_eq!(
            job.total_steps, MAX_STEPS,
            "a huge total is taken as the cap"
        );
        let (u, _) = run(&[
            progress(1, Some(7), Some(5), "Seven", "processing"),
            progress(1, None, Some(5), "Other", "processing"),
        ]);
        assert_eq!(
            crate::i18n::Lang::En.job_progress(&u.jobs()[0]),
            "Step 7 of 7: Seven",
            "never fewer steps than one seen"
        );
        assert!(job
            .steps
            .iter()
            .all(|s| s.number.is_none_or(|k| k <= MAX_STEPS)));
        let _ = crate::i18n::Lang::Ar.job_progress(job);
    }

    #[test]
    fn steps_and_jobs_stay_bounded_whatever_the_stream() {
        let mut u = Uploads::default();
        for i in 0..1_000 {
            frame(
                &mut u,
                &format!(
                    r#"{{"type":"oracle_upload_progress","transaction_id":1,"step":"s{i}","step_number":null}}"#
                ),
                f64::from(i),
            );
        }
        assert!(u.jobs()[0].steps.len() <= MAX_STEPS as usize);
        for tx in 0..1_000 {
            frame(&mut u, &started(tx), 2_000.0 + tx as f64);
            if tx % 3 == 0 {
                frame(&mut u, &failed(tx, "e"), 2_000.0 + tx as f64);
            }
        }
        assert_eq!(u.jobs().len(), JOB_BOUND);
        assert_eq!(u.jobs()[0].transaction_id, 998, "the newest running first");
        assert!(
            u.jobs().iter().any(|j| j.transaction_id == 999),
            "the newest failed kept"
        );
        assert!(
            u.jobs().iter().all(|j| j.transaction_id >= 850),
            "the oldest let go"
        );
    }

    #[test]
    fn huge_texts_are_clipped_in_the_job() {
        let huge = "x".repeat(50 * 1024);
        let (u, _) = run(&[
            format!(
                r#"{{"type":"oracle_upload_progress","transaction_id":1,"step":"{huge}","step_number":1,"message":"{huge}","eng_message":"{huge}","ara_message":"{huge}"}}"#
            ),
            failed(1, &huge),
        ]);
        let job = &u.jobs()[0];
        let max = crate::protocol::STORED_TEXT_MAX;
        for t in [&job.message, &job.eng_message, &job.ara_message, &job.error] {
            assert_eq!(t.as_ref().unwrap().chars().count(), max);
        }
        assert_eq!(job.steps[0].name.chars().count(), STEP_NAME_MAX);
        assert!(serde_json::to_string(u.jobs()).unwrap().len() < 5 * max + 1_000);
    }

    #[test]
    fn a_tampered_cache_is_made_sane() {
        let (u, _) = run(&[started(1), progress(1, Some(2), Some(4), "B", "processing")]);
        let mut job = u.jobs()[0].clone();
        job.percent = 1e300;
        job.attempt = u32::MAX;
        job.total_steps = 0;
        job.state = JobState::Failed;
        let mut negative = job.clone();
        negative.transaction_id = 2;
        negative.percent = -5.0;
        let mut back = Uploads::default();
        back.apply(UploadsAction::Restore {
            jobs: vec![job.clone(), job, negative],
            now: 5_000.0,
        });
        assert_eq!(back.jobs().len(), 2, "one job per transaction");
        let by_tx = |tx| back.jobs().iter().find(|j| j.transaction_id == tx).unwrap();
        assert_eq!(by_tx(1).percent, 100.0);
        assert_eq!(by_tx(2).percent, 0.0);
        assert_eq!(by_tx(1).total_steps, 2, "at least the highest step seen");
        // A restart after the maximum attempt saturates instead of overflowing.
        back.apply(UploadsAction::Frame {
            event: ev(&started(1)),
            now: 5.0,
        });
        assert_eq!(by_tx_attempt(&back, 1), u32::MAX);
    }

    fn by_tx_attempt(u: &Uploads, tx: i64) -> u32 {
        u.jobs()
            .iter()
            .find(|j| j.transaction_id == tx)
            .unwrap()
            .attempt
    }

    #[test]
    fn restore_marks_running_jobs_as_waiting_and_frames_continue_them() {
        let (u, _) = run(&[started(1), progress(1, Some(2), Some(4), "B", "processing")]);
        let json = serde_json::to_string(u.jobs()).unwrap();
        let mut back = Uploads::default();
        back.apply(UploadsAction::Restore {
            jobs: serde_json::from_str(&json).unwrap(),
            now: 2_000.0,
        });
        assert!(back.jobs()[0].restored);
        back.apply(UploadsAction::Frame {
            event: ev(&progress(1, Some(3), Some(4), "C", "processing")),
            now: 99.0,
        });
        let job = &back.jobs()[0];
        assert!(!job.restored);
        assert_eq!(job.percent, 50.0);
        back.apply(UploadsAction::Clear);
        assert!(back.jobs().is_empty());
    }

    // ---- issue #20, item 5: a job whose worker died ----------------------------------------

    const MIN: f64 = 60_000.0;
    const HOUR: f64 = 60.0 * MIN;

    /// Job 1 running (last frame at 1 s), job 2 completed (at 3 s), job 3 failed (at 5 s).
    fn three_jobs() -> Uploads {
        let (u, _) = run(&[
            started(1),
            progress(1, Some(1), Some(5), "A", "processing"),
            started(2),
            completed(2),
            started(3),
            failed(3, "e"),
        ]);
        u
    }

    #[test]
    fn a_stalled_job_counts_as_stalled_not_running() {
        let u = three_jobs();
        let stalls_at = 1_000.0 + STALL_AFTER_MS;
        assert_eq!(
            (u.running(stalls_at - 1.0), u.stalled(stalls_at - 1.0)),
            (1, 0)
        );
        assert_eq!((u.running(stalls_at), u.stalled(stalls_at)), (0, 1));
        // A frame brings it back to running.
        let mut u = u;
        frame(
            &mut u,
            &progress(1, Some(2), Some(5), "B", "processing"),
            stalls_at + 10.0,
        );
        assert_eq!(
            (u.running(stalls_at + 20.0), u.stalled(stalls_at + 20.0)),
            (1, 0)
        );
    }

    #[test]
    fn a_stalled_job_is_acknowledged_like_a_failed_one_and_a_running_one_is_not() {
        let mut u = three_jobs();
        let ack = |u: &mut Uploads, tx, now| {
            u.apply(UploadsAction::Acknowledge {
                transaction_id: tx,
                now,
            })
        };
        let txs = |u: &Uploads| {
            u.jobs()
                .iter()
                .map(|j| j.transaction_id)
                .collect::<Vec<_>>()
        };
        assert!(!u.jobs()[0].can_acknowledge(2_000.0));
        ack(&mut u, 1, 2_000.0);
        assert_eq!(txs(&u), vec![1, 3, 2], "a running job stays");
        ack(&mut u, 2, 2_000.0);
        assert_eq!(
            txs(&u),
            vec![1, 3, 2],
            "a completed one is dismissed, not acknowledged"
        );
        let stalled = 1_000.0 + STALL_AFTER_MS;
        assert!(u.jobs()[0].can_acknowledge(stalled));
        ack(&mut u, 1, stalled);
        assert_eq!(txs(&u), vec![3, 2]);
        ack(&mut u, 3, 0.0);
        assert_eq!(txs(&u), vec![2], "failed: whenever");
    }

    #[test]
    fn the_ticker_runs_only_while_a_job_runs() {
        let mut u = three_jobs();
        assert!(u.ticking(2_000.0));
        let stalled = 1_000.0 + STALL_AFTER_MS;
        assert!(
            !u.ticking(stalled),
            "stalled and finished jobs need no clock"
        );
        assert!(!u.ticking(stalled + 10.0 * HOUR));
        frame(
            &mut u,
            &progress(1, Some(2), Some(5), "B", "processing"),
            stalled + HOUR,
        );
        assert!(u.ticking(stalled + HOUR + 1.0), "a frame starts it again");
        assert!(!Uploads::default().ticking(0.0));
        // What a stalled card shows does not change with time: its elapsed time ends at its
        // last frame; a running one's goes on; a finished one's ends at its end.
        let (u, _) = run(&[started(1), progress(1, Some(1), Some(5), "A", "processing")]);
        let job = &u.jobs()[0];
        assert_eq!(job.elapsed_ms(2_000.0), 2_000.0);
        assert_eq!(job.elapsed_ms(STALL_AFTER_MS + 1_000.0), 1_000.0);
        assert_eq!(job.elapsed_ms(10.0 * HOUR), 1_000.0);
        let three = three_jobs();
        let done = &three.jobs()[2];
        assert_eq!((done.transaction_id, done.elapsed_ms(HOUR)), (2, 1_000.0));
    }

    #[test]
    fn time_changes_the_jobs_at_the_next_stall_or_let_go_only() {
        let u = three_jobs();
        // The running job stalls first.
        assert_eq!(u.next_change(2_000.0), Some(1_000.0 + STALL_AFTER_MS));
        // Then the stalled job (news at 1 s) is let go before the completed one (at 3 s).
        assert_eq!(
            u.next_change(1_000.0 + STALL_AFTER_MS),
            Some(1_000.0 + LET_GO_AFTER_MS)
        );
        // A failed job never goes by itself; overdue means now.
        let (failed_only, _) = run(&[started(3), failed(3, "e")]);
        assert_eq!(failed_only.next_change(1e15), None);
        assert_eq!(u.next_change(1e15), Some(1e15));
        assert_eq!(Uploads::default().next_change(0.0), None);
    }

    #[test]
    fn a_job_with_no_news_for_a_day_is_let_go_but_a_failed_one_waits() {
        let mut u = three_jobs();
        u.apply(UploadsAction::LetGo(1_000.0 + LET_GO_AFTER_MS - 1.0));
        assert_eq!(u.jobs().len(), 3);
        u.apply(UploadsAction::LetGo(1_000.0 + LET_GO_AFTER_MS));
        let txs = |u: &Uploads| {
            u.jobs()
                .iter()
                .map(|j| j.transaction_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(txs(&u), vec![3, 2], "the stalled job goes");
        u.apply(UploadsAction::LetGo(3_000.0 + LET_GO_AFTER_MS));
        assert_eq!(
            txs(&u),
            vec![3],
            "the completed one too; the failed one stays"
        );
        u.apply(UploadsAction::LetGo(1e15));
        assert_eq!(txs(&u), vec![3]);
    }

    #[test]
    fn a_reload_a_day_later_does_not_bring_the_job_back() {
        let u = three_jobs();
        let cached: Vec<UploadJob> =
            serde_json::from_str(&serde_json::to_string(u.jobs()).unwrap()).unwrap();
        let restore = |jobs: Vec<UploadJob>, now| {
            let mut back = Uploads::default();
            back.apply(UploadsAction::Restore { jobs, now });
            back.jobs()
                .iter()
                .map(|j| j.transaction_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(restore(cached.clone(), 2.0 * HOUR), vec![1, 3, 2]);
        assert_eq!(
            restore(cached.clone(), 1_000.0 + LET_GO_AFTER_MS),
            vec![3, 2]
        );
        assert_eq!(restore(cached.clone(), 2.0 * LET_GO_AFTER_MS), vec![3]);
        // News from the future (a clock set back, a tampered cache) counts as news from now:
        // the job still stalls and goes in time.
        let mut future = cached[0].clone();
        future.last_frame_ms = 1e300;
        let mut back = Uploads::default();
        back.apply(UploadsAction::Restore {
            jobs: vec![future],
            now: 10.0,
        });
        assert_eq!(back.next_change(10.0), Some(10.0 + STALL_AFTER_MS));
        back.apply(UploadsAction::LetGo(10.0 + LET_GO_AFTER_MS));
        assert!(back.jobs().is_empty());
    }
}

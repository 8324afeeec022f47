//! The upload panel's memory of finished jobs (issue #22, item 9): the last [`PAST_JOBS_MAX`]
//! per user, the typical duration they suggest ("usually about 2 min"), what a step shows as
//! its duration, and the text a failed job's "Copy details" puts on the clipboard. Pure; time
//! is passed in.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::uploads::{JobState, Step, StepState, UploadJob, MAX_STEPS, STEP_NAME_MAX};
use crate::protocol::{clip_owned, STORED_TEXT_MAX};

/// Finished jobs kept per user.
pub const PAST_JOBS_MAX: usize = 50;
/// Completed jobs, timed from their start, needed before the panel estimates anything.
pub const ESTIMATE_MIN_JOBS: usize = 3;
/// The newest this many timed jobs make the estimate (older ones may predate a change of the
/// server's speed).
pub const ESTIMATE_WINDOW: usize = 20;
/// The estimate is given only while the middle half of the jobs lies within this factor
/// (the third quartile at most this times the first): a wider spread says nothing useful.
pub const ESTIMATE_MAX_SPREAD: f64 = 2.0;

const MINUTE: f64 = 60_000.0;

/// A job that ended, as the "Past jobs" list and the estimate need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastJob {
    /// The transaction.
    pub transaction_id: i64,
    /// Which run of it.
    pub attempt: u32,
    /// Completed or failed.
    pub state: JobState,
    /// When it started (or was first seen), this client's clock.
    pub started_ms: f64,
    /// When it ended.
    pub ended_ms: f64,
    /// Its steps as seen.
    pub steps: Vec<Step>,
    /// The error of a failed job.
    pub error: Option<String>,
    /// The result of a completed one.
    pub result_path: Option<String>,
    /// Its `started` frame was seen: its times cover the whole job.
    pub whole: bool,
}

impl PastJob {
    /// The record of `job`, once it has ended.
    pub fn of(job: &UploadJob) -> Option<Self> {
        let ended_ms = job.ended_ms?;
        (job.state != JobState::Running).then(|| Self {
            transaction_id: job.transaction_id,
            attempt: job.attempt,
            state: job.state,
            started_ms: job.started_ms,
            ended_ms,
            steps: job.steps.clone(),
            error: job.error.clone(),
            result_path: job.result_path.clone(),
            whole: !job.joined_midway,
        })
    }

    /// How long it ran (never negative).
    pub fn duration_ms(&self) -> f64 {
        (self.ended_ms - self.started_ms).max(0.0)
    }

    /// What the estimate learns from it: a completed job seen from its start, as the sum of
    /// its steps' durations when every step was timed, else start to end.
    pub fn typical_sample_ms(&self) -> Option<f64> {
        if self.state != JobState::Completed || !self.whole {
            return None;
        }
        let steps: Option<f64> = if self.steps.is_empty() {
            None
        } else {
            self.steps.iter().map(Step::duration_ms).sum()
        };
        let ms = steps.unwrap_or_else(|| self.duration_ms());
        (ms.is_finite() && ms >= 0.0).then_some(ms)
    }

    /// The step that failed, if one did.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.state == StepState::Failed)
    }

    /// Storage is not the server: times finite, texts and steps bounded.
    fn sane(mut self) -> Option<Self> {
        if !(self.started_ms.is_finite() && self.ended_ms.is_finite()) {
            return None;
        }
        if self.state == JobState::Running {
            return None;
        }
        self.attempt = self.attempt.max(1);
        self.steps.truncate(MAX_STEPS as usize);
        for s in &mut self.steps {
            s.name = clip_owned(std::mem::take(&mut s.name), STEP_NAME_MAX);
            s.number = s.number.filter(|k| (1..=MAX_STEPS).contains(k));
        }
        for text in [&mut self.error, &mut self.result_path] {
            *text = text.take().map(|t| clip_owned(t, STORED_TEXT_MAX));
        }
        Some(self)
    }
}

/// The last [`PAST_JOBS_MAX`] finished jobs, newest (by end) first, one per run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PastJobs {
    jobs: Rc<Vec<PastJob>>,
}

impl PastJobs {
    /// Newest first.
    pub fn jobs(&self) -> &[PastJob] {
        &self.jobs
    }

    /// Keeps `job` (a run seen before is replaced), dropping the oldest past the bound.
    pub fn record(&mut self, job: PastJob) {
        let jobs = Rc::make_mut(&mut self.jobs);
        jobs.retain(|j| !(j.transaction_id == job.transaction_id && j.attempt == job.attempt));
        jobs.push(job);
        Self::order(jobs);
    }

    /// Records `job` if this frame ended it (it was running before: a finished job takes no
    /// more frames but a new start).
    pub(crate) fn record_end(&mut self, job: &UploadJob) {
        if let Some(past) = PastJob::of(job) {
            self.record(past);
        }
    }

    /// Adds what storage held to what this tab has seen (which wins on a repeat).
    pub fn restore(&mut self, stored: Vec<PastJob>) {
        let jobs = Rc::make_mut(&mut self.jobs);
        for job in stored.into_iter().filter_map(PastJob::sane) {
            let seen = jobs
                .iter()
                .any(|j| j.transaction_id == job.transaction_id && j.attempt == job.attempt);
            if !seen {
                jobs.push(job);
            }
        }
        Self::order(jobs);
    }

    /// Forgets everything (another user).
    pub fn clear(&mut self) {
        self.jobs = Rc::default();
    }

    fn order(jobs: &mut Vec<PastJob>) {
        jobs.sort_by(|a, b| {
            b.ended_ms
                .total_cmp(&a.ended_ms)
                .then_with(|| b.transaction_id.cmp(&a.transaction_id))
                .then_with(|| b.attempt.cmp(&a.attempt))
        });
        jobs.truncate(PAST_JOBS_MAX);
    }

    /// How long a job usually takes here, said no more precisely than the past allows.
    pub fn estimate(&self) -> Option<Estimate> {
        estimate(
            self.jobs
                .iter()
                .filter_map(PastJob::typical_sample_ms)
                .take(ESTIMATE_WINDOW),
        )
    }
}

/// "Usually …": a typical duration, rounded to what the past can honestly say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Estimate {
    /// Jobs end within a minute.
    UnderAMinute,
    /// About this many minutes (whole minutes under 10, then multiples of 5).
    Minutes(u32),
    /// About this many hours.
    Hours(u32),
}

/// The typical duration of `samples` (ms): `None` with fewer than [`ESTIMATE_MIN_JOBS`], or
/// when the middle half spreads wider than [`ESTIMATE_MAX_SPREAD`]. The median, rounded: under
/// a minute when three quarters end within one; whole minutes under 10 min; 5 min steps under
/// an hour; whole hours beyond.
pub fn estimate(samples: impl IntoIterator<Item = f64>) -> Option<Estimate> {
    let mut ms: Vec<f64> = samples
        .into_iter()
        .filter(|m| m.is_finite() && *m >= 0.0)
        .collect();
    if ms.len() < ESTIMATE_MIN_JOBS {
        return None;
    }
    ms.sort_by(f64::total_cmp);
    // Nearest-rank quartiles (with 3 jobs: the shortest and the longest).
    let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    let (q1, median, q3) = (rank(0.25), rank(0.5), rank(0.75));
    if q3 < MINUTE {
        return Some(Estimate::UnderAMinute);
    }
    if q3 > ESTIMATE_MAX_SPREAD * q1 {
        return None;
    }
    let minutes = median / MINUTE;
    Some(if minutes < 10.0 {
        Estimate::Minutes((minutes.round() as u32).max(1))
    } else if minutes < 57.5 {
        Estimate::Minutes(((minutes / 5.0).round() as u32 * 5).max(10))
    } else {
        Estimate::Hours(((minutes / 60.0).round() as u32).max(1))
    })
}

/// What a step shows as its duration at `now` in `job`: finished, from its start to its end;
/// running, so far (to the last frame once the job has stalled: nothing is known after it);
/// `None` while pending or when its start was not seen.
pub fn step_duration_ms(job: &UploadJob, step: &Step, now: f64) -> Option<f64> {
    let started = step.started_ms?;
    let until = match (step.state, step.ended_ms) {
        (StepState::Pending, _) => return None,
        (_, Some(end)) => end,
        (StepState::Running, None) if job.state == JobState::Running => {
            if job.is_stalled(now) {
                job.last_frame_ms
            } else {
                now
            }
        }
        _ => return None,
    };
    Some((until - started).max(0.0))
}

/// The stepper's rows: every known step, and a pending placeholder (its number) for each
/// position up to the job's total not yet seen while it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum StepRow<'a> {
    /// A step a frame named.
    Known(&'a Step),
    /// Position `k`, not reported yet.
    Unseen(u32),
    /// Position `k`, never reported, but a later step was (the job was joined mid-way, or
    /// its frames were missed): over, when and how long unknown.
    Passed(u32),
}

/// The rows of `job`'s stepper, in order (nothing when no step was reported).
pub fn step_rows(job: &UploadJob) -> Vec<StepRow<'_>> {
    let mut rows: Vec<StepRow<'_>> = job.steps.iter().map(StepRow::Known).collect();
    let numbered = job.steps.iter().any(|s| s.number.is_some());
    // The furthest step reported as begun or over.
    let reached = job
        .steps
        .iter()
        .filter(|s| s.state > StepState::Pending)
        .filter_map(|s| s.number)
        .max();
    if job.state == JobState::Running && numbered {
        for k in 1..=job.total_steps.min(MAX_STEPS) {
            if !job.steps.iter().any(|s| s.number == Some(k)) {
                rows.push(if reached.is_some_and(|r| k < r) {
                    StepRow::Passed(k)
                } else {
                    StepRow::Unseen(k)
                });
            }
        }
        let position = |r: &StepRow<'_>| match r {
            StepRow::Known(s) => s.number.unwrap_or(u32::MAX),
            StepRow::Unseen(k) | StepRow::Passed(k) => *k,
        };
        rows.sort_by_key(position);
    }
    rows
}

/// The text "Copy details" puts on the clipboard for a support ticket (in English, like the
/// connection report): the transaction, the run, where and why it failed, when (UTC).
pub fn support_text(job: &UploadJob, code: Option<&str>, message: Option<&str>) -> String {
    use std::fmt::Write;
    let iso = |ms: f64| match crate::state::time::iso_utc(ms) {
        s if s.is_empty() => "unknown".to_owned(),
        s => s,
    };
    let mut out = String::from("Herald: Oracle upload\n");
    let _ = writeln!(out, "Transaction: {}", job.transaction_id);
    if let Some(code) = code {
        let _ = writeln!(out, "Code: {code}");
    }
    let _ = writeln!(out, "Attempt: {}", job.attempt);
    let state = match job.state {
        JobState::Running => "running",
        JobState::Completed => "completed",
        JobState::Failed => "failed",
    };
    let _ = writeln!(out, "State: {state}");
    if let Some(step) = job.failed_step() {
        let at = step.number.map_or(String::new(), |k| {
            format!(" (step {k} of {})", job.total_steps)
        });
        let _ = writeln!(out, "Failed step: {}{at}", step.name);
    }
    if let Some(error) = &job.error {
        let _ = writeln!(out, "Error: {error}");
    }
    if let Some(message) = message {
        let _ = writeln!(out, "Message: {message}");
    }
    let _ = writeln!(out, "Started: {}", iso(job.started_ms));
    if let Some(end) = job.ended_ms {
        let _ = writeln!(out, "Ended: {}", iso(end));
    }
    let _ = writeln!(out, "Last update: {}", iso(job.last_frame_ms));
    if !job.steps.is_empty() {
        out.push_str("Steps:\n");
        for s in &job.steps {
            let k = s.number.map_or("?".to_owned(), |k| k.to_string());
            let state = match s.state {
                StepState::Pending => "pending",
                StepState::Running => "running",
                StepState::Done => "done",
                StepState::Failed => "failed",
            };
            // Tenths of a second, in integers (no float formatting linked for one line).
            let took = s.duration_ms().map_or(String::new(), |d| {
                let tenths = (d.max(0.0) / 100.0).round() as u64;
                format!(", {}.{} s", tenths / 10, tenths % 10)
            });
            let _ = writeln!(out, "  {k}. {} — {state}{took}", s.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{decode_frame, ServerFrame};
    use crate::state::uploads::{Uploads, UploadsAction};

    const SEC: f64 = 1_000.0;

    fn frame(u: &mut Uploads, json: &str, now: f64) {
        let ServerFrame::Upload(event) = decode_frame(json).unwrap() else {
            panic!("{json}")
        };
        u.apply(UploadsAction::Frame { event, now });
    }
    fn started(u: &mut Uploads, tx: i64, now: f64) {
        frame(
            u,
            &format!(r#"{{"type":"oracle_upload_started","transaction_id":{tx}}}"#),
            now,
        );
    }
    fn step(u: &mut Uploads, tx: i64, k: u32, name: &str, status: &str, now: f64) {
        frame(
            u,
            &format!(
                r#"{{"type":"oracle_upload_progress","transaction_id":{tx},"step":"{name}","step_number":{k},"total_steps":3,"status":"{status}"}}"#
            ),
            now,
        );
    }
    fn completed(u: &mut Uploads, tx: i64, now: f64) {
        frame(
            u,
            &format!(
                r#"{{"type":"oracle_upload_completed","transaction_id":{tx},"success":true,"result_path":"/r/{tx}.zip"}}"#
            ),
            now,
        );
    }
    fn failed(u: &mut Uploads, tx: i64, now: f64) {
        frame(
            u,
            &format!(
                r#"{{"type":"oracle_upload_failed","transaction_id":{tx},"error":"Interface loader timeout"}}"#
            ),
            now,
        );
    }

    /// A whole job of `tx` from `at`: started, steps A (10 s) and B (`b` s), completed.
    fn whole_job(u: &mut Uploads, tx: i64, at: f64, b: f64) {
        started(u, tx, at);
        step(u, tx, 1, "A", "processing", at + SEC);
        step(u, tx, 1, "A", "completed", at + 11.0 * SEC);
        step(u, tx, 2, "B", "processing", at + 11.0 * SEC);
        step(u, tx, 2, "B", "completed", at + (11.0 + b) * SEC);
        completed(u, tx, at + (12.0 + b) * SEC);
    }

    const MIN: f64 = 60.0 * SEC;

    #[test]
    fn no_estimate_before_three_jobs() {
        assert_eq!(estimate([]), None);
        assert_eq!(estimate([2.0 * MIN, 2.0 * MIN]), None);
        assert_eq!(
            estimate([2.0 * MIN, 2.0 * MIN, 2.0 * MIN]),
            Some(Estimate::Minutes(2))
        );
        // Unusable samples do not count towards the three.
        assert_eq!(estimate([2.0 * MIN, f64::NAN, -5.0, 2.0 * MIN]), None);
    }

    #[test]
    fn the_estimate_is_rounded_never_falsely_precise() {
        let three = |m: f64| estimate([m * MIN, m * MIN, m * MIN]);
        assert_eq!(three(0.2), Some(Estimate::UnderAMinute));
        assert_eq!(three(59.0 / 60.0), Some(Estimate::UnderAMinute));
        assert_eq!(three(1.4), Some(Estimate::Minutes(1)));
        assert_eq!(three(1.5), Some(Estimate::Minutes(2)));
        assert_eq!(three(9.4), Some(Estimate::Minutes(9)));
        assert_eq!(three(9.6), Some(Estimate::Minutes(10)));
        assert_eq!(three(12.4), Some(Estimate::Minutes(10)));
        assert_eq!(three(13.0), Some(Estimate::Minutes(15)));
        assert_eq!(three(57.0), Some(Estimate::Minutes(55)));
        assert_eq!(three(58.0), Some(Estimate::Hours(1)));
        assert_eq!(three(150.0), Some(Estimate::Hours(3)));
        // The median speaks, not the mean: one long run does not drag it.
        assert_eq!(
            estimate([2.0 * MIN, 2.0 * MIN, 2.2 * MIN, 2.1 * MIN, 30.0 * MIN]),
            Some(Estimate::Minutes(2))
        );
    }

    #[test]
    fn a_wide_spread_says_nothing_unless_all_is_under_a_minute() {
        assert_eq!(estimate([1.0 * MIN, 3.0 * MIN, 9.0 * MIN]), None);
        assert_eq!(
            estimate([1.0 * MIN, 1.5 * MIN, 2.0 * MIN]),
            Some(Estimate::Minutes(2))
        );
        assert_eq!(
            estimate([5.0 * SEC, 20.0 * SEC, 50.0 * SEC]),
            Some(Estimate::UnderAMinute),
            "whatever the spread, they all ended within a minute"
        );
        assert_eq!(estimate([5.0 * SEC, 20.0 * SEC, 2.0 * MIN]), None);
    }

    #[test]
    fn finished_jobs_are_recorded_once_and_timed_from_their_steps() {
        let mut u = Uploads::default();
        whole_job(&mut u, 1, 0.0, 50.0);
        assert_eq!(u.past().len(), 1);
        let past = &u.past()[0];
        assert_eq!((past.transaction_id, past.state), (1, JobState::Completed));
        assert_eq!(past.result_path.as_deref(), Some("/r/1.zip"));
        // Steps: 10 s + 50 s (the second between `started` and step 1 is not a step's).
        assert_eq!(past.typical_sample_ms(), Some(60.0 * SEC));
        assert_eq!(past.duration_ms(), 62.0 * SEC);
        // A repeated end adds nothing; a new start is a new run, recorded on its own end.
        completed(&mut u, 1, 100.0 * SEC);
        assert_eq!(u.past().len(), 1);
        started(&mut u, 1, 200.0 * SEC);
        failed(&mut u, 1, 210.0 * SEC);
        let runs: Vec<_> = u.past().iter().map(|p| (p.attempt, p.state)).collect();
        assert_eq!(runs, vec![(2, JobState::Failed), (1, JobState::Completed)]);
        assert_eq!(
            u.past()[0].error.as_deref(),
            Some("Interface loader timeout")
        );
        // Running jobs are not past.
        started(&mut u, 2, 300.0 * SEC);
        assert_eq!(u.past().len(), 2);
        // Sign-out (or another user) forgets them.
        u.apply(UploadsAction::Clear);
        assert!(u.past().is_empty());
    }

    #[test]
    fn only_whole_completed_jobs_feed_the_estimate() {
        let mut u = Uploads::default();
        whole_job(&mut u, 1, 0.0, 50.0);
        whole_job(&mut u, 2, 1_000.0 * SEC, 60.0);
        assert_eq!(u.estimate(), None, "two jobs");
        // Joined mid-way (no `started`): its times miss the start.
        step(&mut u, 3, 2, "B", "processing", 2_000.0 * SEC);
        completed(&mut u, 3, 2_001.0 * SEC);
        // Failed: it ended early.
        started(&mut u, 4, 3_000.0 * SEC);
        failed(&mut u, 4, 3_001.0 * SEC);
        assert_eq!(u.past().len(), 4);
        assert_eq!(u.estimate(), None, "still two usable jobs");
        whole_job(&mut u, 5, 4_000.0 * SEC, 80.0);
        assert_eq!(u.estimate(), Some(Estimate::Minutes(1)), "60, 70, 90 s");
        // A job without progress frames counts from start to end.
        started(&mut u, 6, 5_000.0 * SEC);
        completed(&mut u, 6, 5_200.0 * SEC);
        assert_eq!(u.past()[0].typical_sample_ms(), Some(200.0 * SEC));
    }

    #[test]
    fn the_ring_keeps_the_newest_fifty_across_a_reload() {
        let mut u = Uploads::default();
        for tx in 0..60 {
            whole_job(&mut u, tx, tx as f64 * 1_000.0 * SEC, 5.0);
        }
        assert_eq!(u.past().len(), PAST_JOBS_MAX);
        assert_eq!(u.past()[0].transaction_id, 59, "newest first");
        assert_eq!(u.past()[PAST_JOBS_MAX - 1].transaction_id, 10);
        // Through storage and back: the same list.
        let stored: Vec<PastJob> =
            serde_json::from_str(&serde_json::to_string(u.past()).unwrap()).unwrap();
        let mut back = Uploads::default();
        back.apply(UploadsAction::RestorePast(stored.clone()));
        assert_eq!(back.past(), u.past());
        assert_eq!(back.estimate(), u.estimate());
        // A job this tab saw end before the restore stays, and a repeat is not doubled.
        let mut early = Uploads::default();
        whole_job(&mut early, 100, 1e9, 5.0);
        whole_job(&mut early, 59, 59.0 * 1_000.0 * SEC, 5.0);
        early.apply(UploadsAction::RestorePast(stored));
        assert_eq!(early.past().len(), PAST_JOBS_MAX);
        assert_eq!(early.past()[0].transaction_id, 100);
        assert_eq!(
            early
                .past()
                .iter()
                .filter(|p| p.transaction_id == 59)
                .count(),
            1
        );
    }

    #[test]
    fn a_tampered_store_is_made_sane() {
        let mut u = Uploads::default();
        whole_job(&mut u, 1, 0.0, 5.0);
        let good = u.past()[0].clone();
        let mut nan = good.clone();
        nan.transaction_id = 2;
        nan.ended_ms = f64::NAN;
        let mut running = good.clone();
        running.transaction_id = 3;
        running.state = JobState::Running;
        let mut huge = good.clone();
        huge.transaction_id = 4;
        huge.error = Some("x".repeat(50_000));
        huge.attempt = 0;
        huge.steps = vec![good.steps[0].clone(); 500];
        let mut back = Uploads::default();
        back.apply(UploadsAction::RestorePast(vec![
            good.clone(),
            good,
            nan,
            running,
            huge,
        ]));
        let txs: Vec<i64> = back.past().iter().map(|p| p.transaction_id).collect();
        assert_eq!(txs, vec![4, 1]);
        let huge = &back.past()[0];
        assert_eq!(
            huge.error.as_ref().unwrap().chars().count(),
            STORED_TEXT_MAX
        );
        assert_eq!(huge.steps.len(), MAX_STEPS as usize);
        assert_eq!(huge.attempt, 1);
    }

    #[test]
    fn step_durations_tick_while_running_and_stop_when_stalled() {
        let mut u = Uploads::default();
        started(&mut u, 1, 0.0);
        step(&mut u, 1, 1, "A", "processing", SEC);
        step(&mut u, 1, 1, "A", "completed", 11.0 * SEC);
        step(&mut u, 1, 2, "B", "processing", 11.0 * SEC);
        let job = u.jobs()[0].clone();
        let (a, b) = (&job.steps[0], &job.steps[1]);
        assert_eq!(step_duration_ms(&job, a, 99.0 * SEC), Some(10.0 * SEC));
        assert_eq!(step_duration_ms(&job, b, 12.0 * SEC), Some(SEC));
        assert_eq!(step_duration_ms(&job, b, 15.0 * SEC), Some(4.0 * SEC));
        // Stalled: the clock stops at the last frame.
        let stalled = 11.0 * SEC + crate::state::uploads::STALL_AFTER_MS;
        assert_eq!(step_duration_ms(&job, b, stalled), Some(0.0));
        assert_eq!(step_duration_ms(&job, b, stalled * 10.0), Some(0.0));
        // A step never seen running, or marked done by a later one, shows no duration.
        step(&mut u, 1, 3, "C", "completed", 20.0 * SEC);
        let job = u.jobs()[0].clone();
        assert_eq!(job.steps[1].state, StepState::Done);
        assert_eq!(
            step_duration_ms(&job, &job.steps[1], 30.0 * SEC),
            Some(9.0 * SEC)
        );
        let mut never = job.steps[2].clone();
        never.started_ms = None;
        assert_eq!(step_duration_ms(&job, &never, 30.0 * SEC), None);
        let pending = Step {
            number: Some(9),
            name: "P".into(),
            state: StepState::Pending,
            started_ms: Some(1.0),
            ended_ms: None,
        };
        assert_eq!(step_duration_ms(&job, &pending, 30.0 * SEC), None);
        // A failed job's running step stops with it.
        let mut f = Uploads::default();
        started(&mut f, 2, 0.0);
        step(&mut f, 2, 1, "A", "processing", SEC);
        failed(&mut f, 2, 4.0 * SEC);
        let job = &f.jobs()[0];
        assert_eq!(step_duration_ms(job, &job.steps[0], 1e9), Some(3.0 * SEC));
    }

    #[test]
    fn the_stepper_shows_unseen_positions_while_running() {
        let mut u = Uploads::default();
        step(&mut u, 1, 2, "B", "processing", 0.0);
        let job = &u.jobs()[0];
        let rows: Vec<String> = step_rows(job)
            .iter()
            .map(|r| match r {
                StepRow::Known(s) => s.name.clone(),
                StepRow::Unseen(k) => k.to_string(),
                StepRow::Passed(k) => format!("{k} passed"),
            })
            .collect();
        // Joined mid-way: step 1 is over (never seen), step 3 still to come.
        assert_eq!(rows, vec!["1 passed", "B", "3"]);
        // A step first seen already done: no duration made up for it (0 s was shown).
        step(&mut u, 1, 3, "C", "completed", SEC);
        let job = &u.jobs()[0];
        let c = job.steps.iter().find(|s| s.name == "C").unwrap();
        assert_eq!(c.state, StepState::Done);
        assert_eq!(step_duration_ms(job, c, 2.0 * SEC), None);
        let b = job.steps.iter().find(|s| s.name == "B").unwrap();
        assert_eq!(
            step_duration_ms(job, b, 2.0 * SEC),
            Some(SEC),
            "seen running: timed"
        );
        completed(&mut u, 1, SEC);
        assert_eq!(
            step_rows(&u.jobs()[0]).len(),
            2,
            "a finished job: what was seen"
        );
        let mut none = Uploads::default();
        started(&mut none, 2, 0.0);
        assert!(step_rows(&none.jobs()[0]).is_empty());
    }

    #[test]
    fn support_text_names_transaction_step_error_and_times() {
        let mut u = Uploads::default();
        started(&mut u, 603, 1_767_098_449_000.0);
        step(
            &mut u,
            603,
            1,
            "Journal Upload to UCM",
            "processing",
            1_767_098_450_000.0,
        );
        step(
            &mut u,
            603,
            2,
            "Interface Loader Submission",
            "processing",
            1_767_098_452_000.0,
        );
        failed(&mut u, 603, 1_767_098_455_000.0);
        let text = support_text(&u.jobs()[0], Some("FAR-0015"), Some("Oracle upload failed"));
        for line in [
            "Transaction: 603",
            "Code: FAR-0015",
            "Attempt: 1",
            "State: failed",
            "Failed step: Interface Loader Submission (step 2 of 3)",
            "Error: Interface loader timeout",
            "Message: Oracle upload failed",
            "Started: 2025-12-30T12:40:49Z",
            "Ended: 2025-12-30T12:40:55Z",
            "  1. Journal Upload to UCM — done, 2.0 s",
            "  2. Interface Loader Submission — failed, 3.0 s",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        let plain = support_text(&u.jobs()[0], None, None);
        assert!(!plain.contains("Code:") && !plain.contains("Message:"));
    }

    #[test]
    fn the_estimate_reads_in_both_languages() {
        use crate::i18n::Lang;
        assert_eq!(
            Lang::En.usually(Estimate::UnderAMinute),
            "Usually under a minute"
        );
        assert_eq!(
            Lang::En.usually(Estimate::Minutes(15)),
            "Usually about 15 min"
        );
        assert_eq!(Lang::En.usually(Estimate::Hours(2)), "Usually about 2 h");
        assert_eq!(
            Lang::Ar.usually(Estimate::UnderAMinute),
            "عادةً أقل من دقيقة"
        );
        assert_eq!(Lang::Ar.usually(Estimate::Minutes(15)), "عادةً نحو ١٥ د");
        assert_eq!(Lang::Ar.past_jobs(12), "عمليات الرفع السابقة (١٢)");
        assert_eq!(Lang::En.past_jobs(3), "Past jobs (3)");
        assert_eq!(Lang::Ar.step_number(4), "الخطوة ٤");
    }
}

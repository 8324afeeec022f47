use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::text::{reference, with_codes};
use crate::hooks::{use_config, use_lang, use_transactions, use_uploads};
use crate::i18n::Lang;
use crate::state::inbox::{Edit, ItemKey};
use crate::state::past_jobs::{self, Estimate, PastJob, StepRow};
use crate::state::uploads::{JobState, StepState, UploadJob, UploadsAction};

/// Characters of a transaction code a job card shows at most.
const CODE_MAX: usize = 100;

/// "1 min 05 s", "12 s" (Arabic: "١ د ٠٥ ث").
pub fn duration(ms: f64, lang: Lang) -> String {
    let secs = (ms.max(0.0) / 1000.0).round() as u64;
    let (s, m, h) = match lang {
        Lang::En => ("s", "min", "h"),
        Lang::Ar => ("ث", "د", "س"),
    };
    let text = if secs < 60 {
        format!("{secs} {s}")
    } else if secs < 3600 {
        format!("{} {m} {:02} {s}", secs / 60, secs % 60)
    } else {
        format!("{} {h} {:02} {m}", secs / 3600, (secs % 3600) / 60)
    };
    lang.num(text)
}

/// The Oracle upload panel: a region named "Oracle uploads", one card per job, and the
/// finished jobs of this user ("Past jobs", collapsed).
#[component(UploadsPanel)]
pub fn uploads_panel() -> Html {
    let ctx = use_uploads();
    let transactions = use_transactions();
    let config = use_config();
    let template = config.as_ref().and_then(|c| c.transaction_url.as_ref());
    let lang = use_lang();
    let t = lang.t();
    let ticked = use_state(js_sys::Date::now);
    // The provider's clock moves when a job stalls or goes; this one every second, and only
    // while a job runs: stalled and finished cards show nothing that changes with time.
    let now = (*ticked).max(ctx.now);
    let ticking = ctx.uploads.ticking(now);
    {
        let ticked = ticked.clone();
        use_effect_with(ticking, move |ticking| {
            ticked.set(js_sys::Date::now());
            let interval =
                ticking.then(|| Interval::new(1_000, move || ticked.set(js_sys::Date::now())));
            move || drop(interval)
        });
    }
    let finished = ctx
        .uploads
        .jobs()
        .iter()
        .any(|j| j.state == JobState::Completed);
    let clear = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| {
            d.emit(UploadsAction::ClearFinished);
            // The button goes with the last finished job.
            super::refocus_later(vec!["uploads-title".to_owned()]);
        })
    };
    let estimate = ctx.uploads.estimate();
    let past = ctx.uploads.past();
    html! {
        <section class="uploads" id="uploads" aria-labelledby="uploads-title">
            <div class="panel-head">
                <h2 id="uploads-title" tabindex="-1">{t.oracle_uploads}</h2>
                <span class="spacer"></span>
                if finished {
                    <button type="button" class="secondary" onclick={clear}>{t.clear_finished}</button>
                }
            </div>
            if ctx.uploads.jobs().is_empty() {
                <p class="empty">{t.no_jobs}</p>
            } else {
                <ul class="job-list">
                    { for ctx.uploads.jobs().iter().map(|job| {
                        // From the inbox's index (O(1)), as props: a card re-renders only when
                        // its own code or related notification changes.
                        let known = transactions.get(job.transaction_id);
                        let code = known.and_then(|k| k.code.clone());
                        let href = template.and_then(|t| t.expand(Some(job.transaction_id), code.as_deref()));
                        html! {
                            <JobCard key={format!("{}-{}", job.transaction_id, job.attempt)} job={job.clone()} {now}
                                {code} {href} edit={transactions.1.clone()}
                                related={known.map(|k| k.related)} {estimate} />
                        }
                    }) }
                </ul>
            }
            if !past.is_empty() {
                <details class="past-jobs">
                    <summary>{ lang.past_jobs(past.len()) }</summary>
                    <ol class="past-list">
                        { for past.iter().map(|p| {
                            let code = transactions
                                .get(p.transaction_id)
                                .and_then(|k| k.code.clone())
                                .map(|c| crate::protocol::clip(&c, CODE_MAX).into_owned());
                            past_row(p, code, lang)
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}

/// One line of "Past jobs": outcome, transaction, how long, when it ended.
fn past_row(p: &PastJob, code: Option<String>, lang: Lang) -> Html {
    let t = lang.t();
    let (class, icon, outcome) = match (p.state, p.failed_step()) {
        (JobState::Failed, Some(s)) => ("failed", "✕", lang.failed_at(&s.name)),
        (JobState::Failed, None) => ("failed", "✕", t.failed.to_owned()),
        _ => ("completed", "✓", t.completed.to_owned()),
    };
    html! {
        <li class={classes!("past", class)}>
            <span class="glyph" aria-hidden="true">{icon}</span>
            <span class="past-tx">{ lang.transaction(p.transaction_id) }
                if let Some(c) = code { {lang.sep()}{ reference(&c) } }
                if p.attempt > 1 { {lang.sep()}{ lang.attempt(p.attempt) } }
            </span>
            <span class="past-outcome" dir="auto">{ outcome }</span>
            <span class="muted">{ duration(p.duration_ms(), lang) }</span>
            <time class="muted" datetime={crate::state::time::iso_utc(p.ended_ms)}>
                { crate::format::exact_localized(p.ended_ms, lang.code()) }
            </time>
        </li>
    }
}

/// Props of [`JobCard`].
#[derive(Properties, PartialEq)]
pub struct JobCardProps {
    /// The job.
    pub job: UploadJob,
    /// Now, for elapsed time and stall detection.
    pub now: f64,
    /// The transaction's code, from the newest notification that carries one.
    pub code: Option<Rc<str>>,
    /// The newest notification about the transaction ("Show in inbox").
    pub related: Option<ItemKey>,
    /// How long a job usually takes here (shown while it runs).
    pub estimate: Option<Estimate>,
    /// The transaction's page (`config.json`'s `transaction_url`), if there is one.
    pub href: Option<String>,
    /// The inbox's edits: following the link marks the related notification read.
    pub edit: Callback<Edit>,
}

/// What was copied last, and whether the browser took it.
#[derive(Clone, PartialEq)]
enum Copied {
    Nothing,
    Done,
    /// The browser refused: the text is shown to be copied by hand.
    Refused(Rc<str>),
}

/// One job, one line per fact: heading and state, bar, percent and time (and the usual
/// duration), the error or the result, the stepper (each step's name once, with its
/// duration), the actions.
#[component(JobCard)]
pub fn job_card(props: &JobCardProps) -> Html {
    let ctx = use_uploads();
    let lang = use_lang();
    let t = lang.t();
    let copied = use_state(|| Copied::Nothing);
    let job = &props.job;
    let tx = job.transaction_id;
    // A label in the heading and the bar's name: clipped (the inbox shows it whole).
    let code = props
        .code
        .as_deref()
        .map(|c| crate::protocol::clip(c, CODE_MAX).into_owned());
    let related = props.related.map(ItemKey::dom_id);
    let title = match &code {
        Some(c) => format!("{}{}{c}", lang.transaction(tx), lang.sep()),
        None => lang.transaction(tx),
    };
    let percent = job.percent.round() as u32;
    let elapsed = job.elapsed_ms(props.now);
    let stalled = job.is_stalled(props.now);
    let (state_class, state_word) = match job.state {
        JobState::Running if stalled => ("stalled", t.stalled),
        JobState::Running if job.restored => ("waiting", t.waiting),
        JobState::Running => ("running", t.running),
        JobState::Completed => ("completed", t.completed),
        JobState::Failed => ("failed", t.failed),
    };
    let value_text = lang.job_progress(job);
    let mut meta = format!(
        "{}{}{}",
        lang.percent(percent),
        lang.sep(),
        duration(elapsed, lang)
    );
    if let (JobState::Running, Some(e)) = (job.state, props.estimate) {
        meta.push_str(lang.sep());
        meta.push_str(&lang.usually(e));
    }
    let heading_id = format!("job-{tx}-title");
    // The card goes with its Dismiss or Acknowledge: focus moves to the next card, else the
    // one before, else the panel's heading.
    let focus_after = {
        let heading_id = heading_id.clone();
        move || super::refocus_neighbour_later(".job-list h3[id]", &heading_id, "uploads-title")
    };
    let dismiss = {
        let d = ctx.dispatch.clone();
        let focus_after = focus_after.clone();
        Callback::from(move |_| {
            d.emit(UploadsAction::Dismiss(tx));
            focus_after();
        })
    };
    let acknowledge = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| {
            d.emit(UploadsAction::Acknowledge {
                transaction_id: tx,
                now: js_sys::Date::now(),
            });
            focus_after();
        })
    };
    let copy = |text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let shown: Rc<str> = text.as_str().into();
            let copied = copied.clone();
            crate::hooks::copy_text(
                text.clone(),
                Callback::from(move |ok: bool| {
                    copied.set(if ok {
                        Copied::Done
                    } else {
                        Copied::Refused(shown.clone())
                    })
                }),
            );
        })
    };
    // For support: in English, with the server's English message (the card does not repeat it:
    // the stepper, the state and the error already say what it says).
    let copy_details = (job.state == JobState::Failed).then(|| {
        let message = job.eng_message.as_deref().or(job.message.as_deref());
        copy(past_jobs::support_text(job, code.as_deref(), message))
    });
    let result = match (job.state, &job.result_path) {
        (JobState::Completed, Some(path)) => Some(path.clone()),
        _ => None,
    };
    let copy_path = result.clone().map(copy);
    let show_related = related.map(|id| Callback::from(move |_| super::inbox::show_item(&id)));
    let heading = html! {
        <>
            { lang.transaction(tx) }
            if let Some(c) = &code { {lang.sep()}{ reference(c) } }
        </>
    };
    let follow = props
        .related
        .map(|key| props.edit.reform(move |()| Edit::MarkRead(key)));
    let rows = past_jobs::step_rows(job);
    html! {
        <li class={classes!("job", state_class)} aria-labelledby={heading_id.clone()}>
            <div class="job-head">
                <h3 id={heading_id} tabindex="-1">
                    if let Some(href) = props.href.clone() {
                        { super::inbox::transaction_link(href, heading, lang, follow) }
                    } else {
                        { heading }
                    }
                </h3>
                if job.attempt > 1 { <span class="attempt">{ lang.attempt(job.attempt) }</span> }
                <span class={classes!("job-state", state_class)}>
                    <span class="glyph" aria-hidden="true">{ match job.state { JobState::Completed => "✓", JobState::Failed => "✕", _ if stalled => "⏸", _ => "●" } }</span>
                    { state_word }
                </span>
            </div>
            // A native bar: its fill needs no inline `style`, which the CSP (style-src 'self')
            // refuses. The explicit aria values keep what assistive technology announced.
            <progress class="bar" max="100" value={percent.to_string()}
                aria-label={format!("{title} {}", t.upload_progress)}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}
                aria-valuetext={value_text}></progress>
            <p class="job-meta muted">{ meta }</p>
            if job.state == JobState::Failed {
                <p class="job-error">
                    <strong>{t.error_label}</strong>
                    <span dir="auto">{ with_codes(job.error.as_deref().unwrap_or(t.failed)) }</span>
                </p>
            }
            if let Some(path) = result {
                <p class="job-result">{t.result_label}<code dir="ltr">{ path }</code></p>
            }
            if rows.is_empty() {
                if job.state == JobState::Completed { <p class="muted">{t.steps_unknown}</p> }
            } else {
                <ol class="stepper" aria-label={t.steps}>
                    { for rows.iter().map(|row| step_row(job, row, props.now, lang)) }
                </ol>
            }
            <div class="actions">
                if job.state == JobState::Completed {
                    <button type="button" class="secondary" onclick={dismiss}>{t.dismiss}</button>
                }
                // A stalled job's worker may never speak again: acknowledged like a failure.
                if job.can_acknowledge(props.now) {
                    <button type="button" class="secondary" onclick={acknowledge}>{t.acknowledge}</button>
                }
                if let Some(cb) = copy_details {
                    <button type="button" class="secondary" onclick={cb}>{t.copy_details}</button>
                }
                if let Some(cb) = copy_path {
                    <button type="button" class="secondary" onclick={cb}>{t.copy_path}</button>
                }
                if let Some(cb) = show_related {
                    <button type="button" class="link" onclick={cb}>{t.show_in_inbox}</button>
                }
            </div>
            if job.state != JobState::Running {
                <p class="copy-note" aria-live="polite">{ match &*copied {
                    Copied::Nothing => "",
                    Copied::Done => t.copied,
                    Copied::Refused(_) => t.copy_refused,
                } }</p>
            }
            if let Copied::Refused(text) = &*copied {
                <label class="field">
                    {t.support_report}
                    <textarea class="copy-text" readonly=true rows="6" dir="ltr" value={text.to_string()} />
                </label>
            }
        </li>
    }
}

/// One row of the stepper: a marker, the step's name, its state (for screen readers: the
/// marker says it visually) and its duration, ticking while it runs.
fn step_row(job: &UploadJob, row: &StepRow<'_>, now: f64, lang: Lang) -> Html {
    let t = lang.t();
    let (state, name, took) = match row {
        StepRow::Known(s) => (
            s.state,
            s.name.clone(),
            past_jobs::step_duration_ms(job, s, now),
        ),
        StepRow::Unseen(k) => (StepState::Pending, lang.step_number(*k), None),
        StepRow::Passed(k) => (StepState::Done, lang.step_number(*k), None),
    };
    let (class, word, icon) = match state {
        StepState::Pending => ("pending", t.step_pending, "○"),
        StepState::Running => ("running", t.step_running, "●"),
        StepState::Done => ("done", t.step_done, "✓"),
        StepState::Failed => ("failed", t.step_failed, "✕"),
    };
    html! {
        <li class={classes!("step", class)} aria-current={(state == StepState::Running).then_some("step")}>
            <span class="marker" aria-hidden="true">{icon}</span>
            <span class="step-name"><bdi>{ name }</bdi></span>
            <span class="visually-hidden">{ format!(", {word}") }</span>
            if let Some(d) = took { <span class="step-time">{ duration(d, lang) }</span> }
        </li>
    }
}

/// "2 uploads running", "1 upload stalled" (or both), on every page, linking to the panel.
#[component(UploadsBadge)]
pub fn uploads_badge() -> Html {
    let ctx = use_uploads();
    let lang = use_lang();
    let (running, stalled) = (ctx.uploads.running(ctx.now), ctx.uploads.stalled(ctx.now));
    let text = match (running, stalled) {
        (0, 0) => return html! {},
        (r, 0) => lang.uploads_running(r),
        (0, s) => lang.uploads_stalled(s),
        (r, s) => format!(
            "{}{}{}",
            lang.uploads_running(r),
            lang.sep(),
            lang.uploads_stalled(s)
        ),
    };
    html! {
        <yew_router::components::Link<crate::routes::Route> to={crate::routes::Route::Dashboard} classes="uploads-badge">
            { text }
        </yew_router::components::Link<crate::routes::Route>>
    }
}

#[cfg(test)]
mod tests {
    use super::duration;
    use crate::i18n::Lang;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0.0, Lang::En), "0 s");
        assert_eq!(duration(12_400.0, Lang::En), "12 s");
        assert_eq!(duration(65_000.0, Lang::En), "1 min 05 s");
        assert_eq!(duration(3_720_000.0, Lang::En), "1 h 02 min");
        assert_eq!(duration(-5.0, Lang::En), "0 s");
        assert_eq!(duration(65_000.0, Lang::Ar), "١ د ٠٥ ث");
    }
}

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::hooks::{use_lang, use_transactions, use_uploads};
use crate::i18n::Lang;
use crate::state::inbox::ItemKey;
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

/// The Oracle upload panel: a region named "Oracle uploads", one card per job.
#[component(UploadsPanel)]
pub fn uploads_panel() -> Html {
    let ctx = use_uploads();
    let transactions = use_transactions();
    let t = use_lang().t();
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
        Callback::from(move |_| d.emit(UploadsAction::ClearFinished))
    };
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
                        html! {
                            <JobCard key={format!("{}-{}", job.transaction_id, job.attempt)} job={job.clone()} {now}
                                code={known.and_then(|k| k.code.clone())}
                                related={known.map(|k| k.related)} />
                        }
                    }) }
                </ul>
            }
        </section>
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
}

/// One job: progress bar, current step, timeline, outcome.
#[component(JobCard)]
pub fn job_card(props: &JobCardProps) -> Html {
    let ctx = use_uploads();
    let lang = use_lang();
    let t = lang.t();
    let job = &props.job;
    let tx = job.transaction_id;
    // A label in the heading and the bar's name: clipped (the inbox shows it whole).
    let code = props
        .code
        .as_deref()
        .map(|c| crate::protocol::clip(c, CODE_MAX).into_owned());
    let related = props.related.map(ItemKey::dom_id);
    let title = match &code {
        Some(c) => format!("{} · {c}", lang.transaction(tx)),
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
    let message = crate::protocol::server_text(
        lang == Lang::Ar,
        job.eng_message.as_deref(),
        job.ara_message.as_deref(),
        job.message.as_deref(),
    )
    .map(str::to_owned);
    let value_text = lang.job_progress(job);
    let dismiss = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| d.emit(UploadsAction::Dismiss(tx)))
    };
    let acknowledge = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| {
            d.emit(UploadsAction::Acknowledge {
                transaction_id: tx,
                now: js_sys::Date::now(),
            })
        })
    };
    let show_related = related.map(|id| Callback::from(move |_| super::focus_by_id(&id, true)));
    let heading_id = format!("job-{tx}-title");
    html! {
        <li class={classes!("job", state_class)} aria-labelledby={heading_id.clone()}>
            <div class="job-head">
                <h3 id={heading_id}>{ title.clone() }</h3>
                if job.attempt > 1 { <span class="attempt">{ lang.attempt(job.attempt) }</span> }
                <span class={classes!("job-state", state_class)}>
                    <span class="icon" aria-hidden="true">{ match job.state { JobState::Completed => "✓", JobState::Failed => "✕", _ if stalled => "⏸", _ => "●" } }</span>
                    { state_word }
                </span>
            </div>
            // A native bar: its fill needs no inline `style`, which the CSP (style-src 'self')
            // refuses. The explicit aria values keep what assistive technology announced.
            <progress class="bar" max="100" value={percent.to_string()}
                aria-label={format!("{title} {}", t.upload_progress)}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}
                aria-valuetext={value_text.clone()}></progress>
            <p class="job-step">
                <span dir="auto">{ value_text }</span>
                <span class="muted">{ format!(" · {}% · {}", lang.num(percent), duration(elapsed, lang)) }</span>
            </p>
            if let Some(m) = message { <p class="job-message" dir="auto">{ m }</p> }
            if job.state == JobState::Failed {
                <p class="job-error">
                    <strong>{t.error_label}</strong>
                    <span dir="auto">{ job.error.clone().unwrap_or_else(|| t.failed.into()) }</span>
                    if let Some(step) = job.failed_step() { { format!(" ({}{})", t.step_label, step.name) } }
                </p>
            }
            if let (JobState::Completed, Some(path)) = (job.state, &job.result_path) {
                <p class="job-result">{t.result_label}<code dir="ltr">{ path.clone() }</code></p>
            }
            if job.steps.is_empty() {
                if job.state == JobState::Completed { <p class="muted">{t.steps_unknown}</p> }
            } else {
                <ol class="timeline" aria-label={t.steps}>
                    { for job.steps.iter().map(|s| {
                        let (class, word) = match s.state {
                            StepState::Pending => ("pending", t.step_pending),
                            StepState::Running => ("running", t.step_running),
                            StepState::Done => ("done", t.step_done),
                            StepState::Failed => ("failed", t.step_failed),
                        };
                        html! {
                            <li class={classes!("step", class)}>
                                <span class="icon" aria-hidden="true">{ match s.state { StepState::Done => "✓", StepState::Failed => "✕", StepState::Running => "…", StepState::Pending => "○" } }</span>
                                <span dir="auto">{ s.name.clone() }</span>
                                <span class="muted">{ format!(" — {word}") }
                                    if let Some(d) = s.duration_ms() { { format!(", {}", duration(d, lang)) } }
                                </span>
                            </li>
                        }
                    }) }
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
                if let Some(cb) = show_related {
                    <button type="button" class="link" onclick={cb}>{t.show_in_inbox}</button>
                }
            </div>
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
        (r, s) => format!("{} · {}", lang.uploads_running(r), lang.uploads_stalled(s)),
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

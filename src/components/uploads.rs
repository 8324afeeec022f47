use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_inbox, use_uploads};
use crate::state::uploads::{JobState, StepState, UploadJob, UploadsAction};

/// "1 min 05 s", "12 s".
pub fn duration(ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0).round() as u64;
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min {:02} s", secs / 60, secs % 60)
    } else {
        format!("{} h {:02} min", secs / 3600, (secs % 3600) / 60)
    }
}

/// The Oracle upload panel: a region named "Oracle uploads", one card per job.
#[component(UploadsPanel)]
pub fn uploads_panel() -> Html {
    let ctx = use_uploads();
    let now = use_state(js_sys::Date::now);
    let running = ctx.uploads.running();
    {
        let now = now.clone();
        use_effect_with(running > 0, move |any| {
            now.set(js_sys::Date::now());
            let interval = any.then(|| Interval::new(1_000, move || now.set(js_sys::Date::now())));
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
                <h2 id="uploads-title" tabindex="-1">{"Oracle uploads"}</h2>
                <span class="spacer"></span>
                if finished {
                    <button type="button" class="secondary" onclick={clear}>{"Clear finished"}</button>
                }
            </div>
            if ctx.uploads.jobs().is_empty() {
                <p class="empty">{"No upload jobs. Jobs appear here as soon as an upload starts."}</p>
            } else {
                <ul class="job-list">
                    { for ctx.uploads.jobs().iter().map(|job| html! {
                        <JobCard key={format!("{}-{}", job.transaction_id, job.attempt)} job={job.clone()} now={*now} />
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
}

/// One job: progress bar, current step, timeline, outcome.
#[component(JobCard)]
pub fn job_card(props: &JobCardProps) -> Html {
    let ctx = use_uploads();
    let inbox = use_inbox();
    let job = &props.job;
    let tx = job.transaction_id;
    let code = inbox
        .inbox
        .items()
        .iter()
        .find(|n| n.transaction_id == Some(tx) && n.code.is_some())
        .and_then(|n| n.code.clone());
    let related = inbox
        .inbox
        .items()
        .iter()
        .find(|n| n.transaction_id == Some(tx))
        .map(|n| n.key.dom_id());
    let title = match &code {
        Some(c) => format!("Transaction {tx} · {c}"),
        None => format!("Transaction {tx}"),
    };
    let percent = job.percent.round() as u32;
    let elapsed = job.ended_ms.unwrap_or(props.now) - job.started_ms;
    let stalled = job.is_stalled(props.now);
    let (state_class, state_word) = match job.state {
        JobState::Running if stalled => ("stalled", "No update for 5 min"),
        JobState::Running if job.restored => ("waiting", "Waiting for updates"),
        JobState::Running => ("running", "Running"),
        JobState::Completed => ("completed", "Completed"),
        JobState::Failed => ("failed", "Failed"),
    };
    let message = job
        .eng_message
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| job.ara_message.clone())
        .or_else(|| job.message.clone());
    let dismiss = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| d.emit(UploadsAction::Dismiss(tx)))
    };
    let acknowledge = {
        let d = ctx.dispatch.clone();
        Callback::from(move |_| d.emit(UploadsAction::Acknowledge(tx)))
    };
    let show_related = related.map(|id| {
        Callback::from(move |_| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                el.scroll_into_view();
                let _ = el.focus();
            }
        })
    });
    let heading_id = format!("job-{tx}-title");
    html! {
        <li class={classes!("job", state_class)} aria-labelledby={heading_id.clone()}>
            <div class="job-head">
                <h3 id={heading_id}>{ title.clone() }</h3>
                if job.attempt > 1 { <span class="attempt">{ format!("Attempt {}", job.attempt) }</span> }
                <span class={classes!("job-state", state_class)}>
                    <span class="icon" aria-hidden="true">{ match job.state { JobState::Completed => "✓", JobState::Failed => "✕", _ if stalled => "⏸", _ => "●" } }</span>
                    { state_word }
                </span>
            </div>
            <div role="progressbar" class="bar"
                aria-label={format!("{title} upload progress")}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}
                aria-valuetext={job.value_text()}>
                <div class="fill" style={format!("inline-size: {percent}%")}></div>
            </div>
            <p class="job-step">
                <span>{ job.value_text() }</span>
                <span class="muted">{ format!(" · {percent}% · {}", duration(elapsed)) }</span>
            </p>
            if let Some(m) = message { <p class="job-message" dir="auto">{ m }</p> }
            if job.state == JobState::Failed {
                <p class="job-error">
                    <strong>{"Error: "}</strong>
                    { job.error.clone().unwrap_or_else(|| "The upload failed.".into()) }
                    if let Some(step) = job.failed_step() { { format!(" (step: {})", step.name) } }
                </p>
            }
            if let (JobState::Completed, Some(path)) = (job.state, &job.result_path) {
                <p class="job-result">{"Result: "}<code>{ path.clone() }</code></p>
            }
            if job.steps.is_empty() {
                if job.state == JobState::Completed { <p class="muted">{"Steps were not reported."}</p> }
            } else {
                <ol class="timeline" aria-label="Steps">
                    { for job.steps.iter().map(|s| {
                        let word = match s.state {
                            StepState::Pending => "pending",
                            StepState::Running => "running",
                            StepState::Done => "done",
                            StepState::Failed => "failed",
                        };
                        html! {
                            <li class={classes!("step", word)}>
                                <span class="icon" aria-hidden="true">{ match s.state { StepState::Done => "✓", StepState::Failed => "✕", StepState::Running => "…", StepState::Pending => "○" } }</span>
                                <span dir="auto">{ s.name.clone() }</span>
                                <span class="muted">{ format!(" — {word}") }
                                    if let Some(d) = s.duration_ms() { { format!(", {}", duration(d)) } }
                                </span>
                            </li>
                        }
                    }) }
                </ol>
            }
            <div class="actions">
                if job.state == JobState::Completed {
                    <button type="button" class="secondary" onclick={dismiss}>{"Dismiss"}</button>
                }
                if job.state == JobState::Failed {
                    <button type="button" class="secondary" onclick={acknowledge}>{"Acknowledge"}</button>
                }
                if let Some(cb) = show_related {
                    <button type="button" class="link" onclick={cb}>{"Show in inbox"}</button>
                }
            </div>
        </li>
    }
}

/// "2 uploads running", on every page, linking to the panel.
#[component(UploadsBadge)]
pub fn uploads_badge() -> Html {
    let ctx = use_uploads();
    let n = ctx.uploads.running();
    if n == 0 {
        return html! {};
    }
    let text = if n == 1 {
        "1 upload running".to_owned()
    } else {
        format!("{n} uploads running")
    };
    html! {
        <yew_router::components::Link<crate::app::Route> to={crate::app::Route::Dashboard} classes="uploads-badge">
            { text }
        </yew_router::components::Link<crate::app::Route>>
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0.0), "0 s");
        assert_eq!(duration(12_400.0), "12 s");
        assert_eq!(duration(65_000.0), "1 min 05 s");
        assert_eq!(duration(3_720_000.0), "1 h 02 min");
        assert_eq!(duration(-5.0), "0 s");
    }
}

use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{use_config, use_connection_log, use_frame_counts, use_lang, use_socket};
use crate::state::diagnostics::{without_secrets, FrameCounters, Report, COMMIT, VERSION};

/// Props of [`ConnectionDetails`].
#[derive(Properties, PartialEq)]
pub struct ConnectionDetailsProps {
    /// Shown (modally) while true.
    pub open: bool,
    /// The dialog closed: its Close button, Esc, or the browser.
    pub on_close: Callback<()>,
}

/// "Connection details": a modal `<dialog>` (the browser keeps focus inside it and closes it
/// on Esc) with what this tab's connection did, the counters, the build and the configured
/// origins, and a Copy button for a support ticket. Its content exists only while it is open.
#[component(ConnectionDetails)]
pub fn connection_details(props: &ConnectionDetailsProps) -> Html {
    let dialog = crate::components::use_modal(props.open);
    let on_close = props.on_close.clone();
    let onclose = Callback::from(move |_: Event| on_close.emit(()));
    html! {
        <dialog ref={dialog} class="details-dialog" aria-labelledby="connection-details-title"
            aria-describedby="connection-details-intro" {onclose}>
            if props.open {
                <DetailsBody on_close={props.on_close.clone()} />
            }
        </dialog>
    }
}

#[derive(Clone, PartialEq)]
enum Copy {
    Idle,
    Copied,
    /// The browser refused: the report is shown to be copied by hand.
    Refused(Rc<str>),
}

#[derive(Properties, PartialEq)]
struct DetailsBodyProps {
    on_close: Callback<()>,
}

#[component(DetailsBody)]
fn details_body(props: &DetailsBodyProps) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let log = use_connection_log();
    let counts = use_frame_counts();
    let socket = use_socket();
    let config = use_config();
    let copy = use_state(|| Copy::Idle);
    let api = config
        .as_ref()
        .map(|c| without_secrets(c.api_base_url.as_str()))
        .unwrap_or_default();
    let ws = config
        .as_ref()
        .map(|c| without_secrets(c.ws_url.as_str()))
        .unwrap_or_default();
    let frames = FrameCounters {
        received: counts.received,
        skipped: counts.skipped,
        unknown: counts.unknown,
    };
    let on_copy = {
        let copy = copy.clone();
        let (log, api, ws) = (log.clone(), api.clone(), ws.clone());
        let (status, role) = (socket.status, socket.role);
        Callback::from(move |_: MouseEvent| {
            // Made when asked for, from what the panel shows.
            let report = Report {
                now: js_sys::Date::now(),
                api_base: &api,
                socket_url: &ws,
                browser: &crate::hooks::browser(),
                status,
                role,
                frames,
                log: &log,
            }
            .text();
            let text: Rc<str> = report.as_str().into();
            let copy = copy.clone();
            crate::hooks::copy_text(
                report,
                Callback::from(move |ok: bool| {
                    copy.set(if ok {
                        Copy::Copied
                    } else {
                        Copy::Refused(text.clone())
                    })
                }),
            );
        })
    };
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let version = match COMMIT {
        Some(commit) => format!("{VERSION} ({commit})"),
        None => VERSION.to_owned(),
    };
    let feedback = match &*copy {
        Copy::Idle => "",
        Copy::Copied => t.copied,
        Copy::Refused(_) => t.copy_refused,
    };
    let fact = |name: &'static str, value: String| {
        html! { <><dt>{name}</dt><dd dir="ltr">{value}</dd></> }
    };
    let count = |name: &'static str, value: u64| {
        html! { <><dt>{name}</dt><dd>{lang.num(value)}</dd></> }
    };
    html! {
        <>
            <h2 id="connection-details-title">{t.connection_details}</h2>
            <p id="connection-details-intro" class="muted">{t.details_intro}</p>
            <dl class="details-facts">
                {fact(t.details_version, version)}
                {fact(t.details_api, api)}
                {fact(t.details_socket, ws)}
            </dl>
            <h3>{t.details_counters}</h3>
            <dl class="details-facts">
                {count(t.frames_received, frames.received)}
                {count(t.frames_skipped, frames.skipped)}
                {count(t.frames_unknown, frames.unknown)}
                {count(t.burst_rereads, log.rereads())}
            </dl>
            <div class="details-actions">
                <button type="button" autofocus=true onclick={on_copy}>{t.copy_report}</button>
                <button type="button" class="secondary" onclick={on_close}>{t.close}</button>
                <p class="copy-note" aria-live="polite">{feedback}</p>
            </div>
            if let Copy::Refused(text) = &*copy {
                <label class="field">
                    {t.support_report}
                    <textarea class="details-report" readonly=true rows="8" dir="ltr"
                        value={text.to_string()} />
                </label>
            }
            <h3>{t.recent_events}</h3>
            if log.entries().len() == 0 {
                <p class="empty">{t.no_events}</p>
            } else {
                <ol class="details-log">
                    { for log.entries().rev().map(|e| html! {
                        <li>
                            <time datetime={crate::state::time::iso_utc(e.at)}>
                                {crate::format::exact_localized(e.at, lang.code())}
                            </time>
                            {" "}
                            <span>{lang.transition(&e.what)}</span>
                        </li>
                    }) }
                </ol>
            }
        </>
    }
}

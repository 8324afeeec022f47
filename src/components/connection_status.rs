use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::connection_details::ConnectionDetails;
use crate::hooks::{use_frame_counts, use_lang, use_socket};
use crate::state::connection::Status;
use crate::state::tabs::SocketRole;

/// The connection, in words a person understands, with "Retry now" while waiting and
/// "Connection details" always. `data-connection` carries the machine-readable state.
#[component(ConnectionStatus)]
pub fn connection_status() -> Html {
    let socket = use_socket();
    let lang = use_lang();
    let t = lang.t();
    let snapshot = &socket;
    let counts = use_frame_counts();
    let now = use_state(js_sys::Date::now);
    // Tick the countdown once a second while waiting.
    {
        let now = now.clone();
        use_effect_with(snapshot.retry_at, move |retry_at| {
            now.set(js_sys::Date::now());
            let interval = retry_at.map(|_| {
                let now = now.clone();
                Interval::new(1_000, move || now.set(js_sys::Date::now()))
            });
            move || drop(interval)
        });
    }
    let (label, detail) = match snapshot.status {
        Status::Connected => (t.live, None),
        Status::Connecting => (t.connecting, None),
        Status::Reconnecting => match snapshot.retry_at {
            Some(at) => {
                let secs = ((at - *now) / 1000.0).ceil().max(0.0) as u64;
                (t.reconnecting, Some(lang.in_seconds(secs)))
            }
            None => (t.reconnecting_soon, None),
        },
        Status::Offline => (t.offline, None),
        Status::Disconnected => (t.disconnected, None),
    };
    // Offered in every state that waits for something (a held upgrade or a slow refresh too).
    let waiting = matches!(
        snapshot.status,
        Status::Connecting | Status::Reconnecting | Status::Offline
    );
    let on_retry = {
        let service = socket.service.clone();
        Callback::from(move |_| service.retry_now())
    };
    // For the curious: which tab holds the socket (a tooltip, never announced).
    let role_hint = match snapshot.role {
        SocketRole::Leader => Some(t.socket_leader),
        SocketRole::Follower => Some(t.socket_follower),
        SocketRole::Own => None,
    };
    let details_open = use_state(|| false);
    let details_button = use_node_ref();
    let on_details = {
        let open = details_open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    // Closed (Close, Esc): focus goes back to the button that opened it.
    let on_details_close = {
        let open = details_open.clone();
        let button = details_button.clone();
        Callback::from(move |()| {
            open.set(false);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    html! {
        <div class="connection">
            <div role="status" class={classes!("conn", format!("conn-{}", snapshot.status.as_str()))}
                data-connection={snapshot.status.as_str()}
                data-socket-role={snapshot.role.as_str()}
                title={role_hint}
                data-frames-received={counts.received.to_string()}
                data-frames-skipped={counts.skipped.to_string()}
                data-frames-unknown={counts.unknown.to_string()}>
                <span class="dot" aria-hidden="true"></span>
                <span>{label}</span>
                // The countdown changes every second: shown, not announced.
                if let Some(d) = detail { <span aria-hidden="true">{d}</span> }
            </div>
            if waiting {
                <button type="button" class="link" onclick={on_retry}>{t.retry_now}</button>
            }
            <button type="button" class="link" ref={details_button} aria-haspopup="dialog"
                onclick={on_details}>{t.connection_details}</button>
            <ConnectionDetails open={*details_open} on_close={on_details_close} />
        </div>
    }
}

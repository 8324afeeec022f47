//! Browser unit tests: components rendered into a real DOM in headless Chromium.
#![cfg(target_arch = "wasm32")]

use herald::components::config_error::{ConfigErrorScreen, ConfigErrorScreenProps};
use herald::config::ConfigError;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn config_error_screen_is_an_alert_naming_the_file_and_problem() {
    let root = mount_point();
    let error = ConfigError::Malformed("EOF while parsing an object at line 1 column 30".into());
    let _app = yew::Renderer::<ConfigErrorScreen>::with_root_and_props(
        root.clone(),
        ConfigErrorScreenProps { error },
    )
    .render();
    yew::scheduler::flush().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("Herald cannot start"), "{text}");
    assert!(
        text.contains("config.json is malformed: EOF while parsing"),
        "{text}"
    );
}

/// In the app, config URLs are parsed by the browser's `URL` (natively by the url crate): the
/// same answers as config.rs's native tests.
#[wasm_bindgen_test]
fn config_urls_parse_with_the_browsers_url() {
    use herald::config::RuntimeConfig;
    let page = "http://127.0.0.1:4000";
    let c =
        RuntimeConfig::parse(r#"{"api_base_url":"HTTPS://API.Example.org:443/x/"}"#, page).unwrap();
    assert_eq!(c.api_base_url.scheme(), "https");
    assert_eq!(c.api_base_url.host_str(), Some("api.example.org"));
    assert_eq!(c.api_base_url.port(), None);
    assert_eq!(
        c.api_url("/api/auth/login/"),
        "https://api.example.org/x/api/auth/login/"
    );
    assert_eq!(c.ws_url.as_str(), "wss://api.example.org/ws/notifications/");
    let v6 = RuntimeConfig::parse(r#"{"api_base_url":"http://[::1]:8000"}"#, page).unwrap();
    assert_eq!(v6.ws_url.as_str(), "ws://[::1]:8000/ws/notifications/");
    assert_eq!(
        v6.socket_url("a.b+c/=d&user_id=1 é"),
        "ws://[::1]:8000/ws/notifications/?token=a.b%2Bc%2F%3Dd%26user_id%3D1+%C3%A9"
    );
    for (text, ok) in [
        (r#"{"api_base_url":"http://127.1:8000"}"#, true),
        (r#"{"api_base_url":"http://[::1]"}"#, true),
        (r#"{"api_base_url":"http://localhost"}"#, true),
        (r#"{"api_base_url":"http://128.0.0.1"}"#, false),
        (r#"{"api_base_url":"http://[0:0:0:0:0:0:0:1]:8000"}"#, true),
        (r#"{"api_base_url":"http://[::ffff:127.0.0.1]"}"#, false),
        (r#"{"api_base_url":"http://0x7f.1"}"#, true),
        (r#"{"api_base_url":"http://127.example.org"}"#, false),
        (r#"{"api_base_url":"https://api.example.org/?"}"#, false),
        (r#"{"api_base_url":"https://api.example.org/#"}"#, false),
        (r#"{"api_base_url":"api.example.org"}"#, false),
        (r#"{"api_base_url":"ftp://api.example.org"}"#, false),
        (r#"{"ws_url":"https://api.example.org/ws/"}"#, false),
    ] {
        let result = RuntimeConfig::parse(text, "https://herald.example.org");
        assert_eq!(result.is_ok(), ok, "{text}: {result:?}");
    }
    let err = RuntimeConfig::parse(r#"{"api_base_url":"api.example.org"}"#, page).unwrap_err();
    assert!(
        err.to_string()
            .contains("\"api_base_url\" is not an absolute URL"),
        "{err}"
    );
}

/// The browser's zone is applied to the exact time, and out-of-range times are empty.
#[wasm_bindgen_test]
fn exact_local_uses_the_browsers_zone() {
    use herald::format::exact_local;
    use herald::state::time::iso_utc;
    let ms = 1_767_098_449_474.0;
    let date = js_sys::Date::new(&ms.into());
    let expected = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    );
    assert_eq!(exact_local(ms), expected);
    assert_eq!(iso_utc(ms), "2025-12-30T12:40:49Z");
    assert_eq!(exact_local(f64::NAN), "");
    assert_eq!(exact_local(1e300), "");
}

mod slices {
    //! The inbox provider hands out three contexts so that each consumer re-renders only for
    //! its slice: these mount a consumer of the transaction index and count its renders.
    use std::cell::Cell;
    use std::rc::Rc;

    use herald::hooks::use_transactions;
    use herald::protocol::{decode_frame, ServerFrame};
    use herald::providers::TransactionsContext;
    use herald::state::inbox::{Inbox, InboxAction};
    use wasm_bindgen_test::*;
    use yew::prelude::*;

    thread_local! {
        static RENDERS: Cell<u32> = const { Cell::new(0) };
    }

    #[component(JobCardLike)]
    fn job_card_like() -> Html {
        let index = use_transactions();
        RENDERS.with(|r| r.set(r.get() + 1));
        html! { <p>{ index.get(860).and_then(|t| t.code.clone()).unwrap_or_default().to_string() }</p> }
    }

    #[derive(Properties, PartialEq)]
    struct HostProps {
        inbox: Rc<Inbox>,
    }

    #[component(Host)]
    fn host(props: &HostProps) -> Html {
        html! {
            <ContextProvider<TransactionsContext> context={TransactionsContext(props.inbox.clone(), Callback::noop())}>
                <JobCardLike />
            </ContextProvider<TransactionsContext>>
        }
    }

    fn with(inbox: &Inbox, frame: &str) -> Rc<Inbox> {
        let ServerFrame::Notification(n) = decode_frame(frame).unwrap() else {
            panic!("a notification")
        };
        let mut next = inbox.clone();
        next.apply(InboxAction::Live {
            batch: vec![n],
            now: 1.0,
        });
        Rc::new(next)
    }

    #[wasm_bindgen_test]
    async fn a_job_card_re_renders_only_when_the_transaction_index_changes() {
        let root = super::mount_point();
        let a = with(
            &Inbox::default(),
            r#"{"type":"notification","message":"m","id":1,"Transaction_id":860,"code":"FAR-0016"}"#,
        );
        let mut app = yew::Renderer::<Host>::with_root_and_props(
            root.clone(),
            HostProps { inbox: a.clone() },
        )
        .render();
        yew::scheduler::flush().await;
        assert_eq!(RENDERS.with(Cell::get), 1);
        assert_eq!(root.text_content().unwrap(), "FAR-0016");
        // A new inbox (another notification, no transaction): the card is not re-rendered.
        let b = with(&a, r#"{"type":"notification","message":"n","id":2}"#);
        assert_ne!(a, b);
        app.update(HostProps { inbox: b.clone() });
        yew::scheduler::flush().await;
        assert_eq!(RENDERS.with(Cell::get), 1, "re-rendered for another slice");
        // A notification about a transaction changes the index: it is.
        let c = with(
            &b,
            r#"{"type":"notification","message":"o","id":3,"Transaction_id":860,"code":"FAR-0017"}"#,
        );
        app.update(HostProps { inbox: c });
        yew::scheduler::flush().await;
        assert_eq!(RENDERS.with(Cell::get), 2, "not re-rendered for its slice");
        assert_eq!(root.text_content().unwrap(), "FAR-0017");
    }
}

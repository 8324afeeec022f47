use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::{use_config, use_lang, use_session};
use crate::i18n::Lang;
use crate::providers::LangContext;
use crate::routes::{destination, Route};
use crate::state::remote::{ApiError, LoginFailure};

/// The sign-in page: labelled fields, Enter submits, the server's words on failure, and back
/// to where the user was heading on success.
#[component(Login)]
pub fn login() -> Html {
    let session = use_session();
    let lang = use_lang();
    let t = lang.t();
    let navigator = use_navigator();
    let location = use_location();
    let username = use_node_ref();
    let password = use_node_ref();
    let submit = use_node_ref();
    let busy = use_state(|| false);
    let failure = use_state(|| None::<LoginFailure>);
    let next = location
        .as_ref()
        .and_then(|l| l.query::<NextQuery>().ok())
        .and_then(|q| q.next);

    crate::hooks::use_intl_warm_up();

    // The form index.html drew before the wasm arrived (`sign-in-shell.js`): what was typed
    // there, the caret, the focus and the language are carried over and it is removed, in one
    // task; a press of Sign in is sent. Until then this page is hidden behind it (main.css).
    {
        let (username, password, submit) = (username.clone(), password.clone(), submit.clone());
        let lang_context = use_context::<LangContext>();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let Some(early) = early_form() else {
                // Come from inside the app (signed out here or in another tab): the control
                // that had the focus is gone with the page, and the form takes it.
                let lost = document
                    .as_ref()
                    .is_some_and(|d| d.active_element() == d.body().map(Into::into));
                if let (true, Some(input)) = (lost, username.cast::<HtmlElement>()) {
                    let _ = input.focus();
                }
                return;
            };
            let focused = document.as_ref().and_then(|d| d.active_element());
            let early_input = |name: &str| {
                early
                    .query_selector(&format!("[name={name}]"))
                    .ok()
                    .flatten()
                    .map(JsCast::unchecked_into::<HtmlInputElement>)
            };
            let queued = early
                .query_selector("form[data-queued]")
                .ok()
                .flatten()
                .is_some();
            let fields = [("username", &username), ("password", &password)]
                .map(|(name, node)| (early_input(name), node.cast::<HtmlInputElement>()));
            let focused_lang = focused
                .as_ref()
                .filter(|f| early.contains(Some(f)))
                .and_then(|f| f.get_attribute("data-lang"));
            early.remove();
            if let Some(button) = focused_lang.and_then(|code| {
                let d = document.as_ref()?;
                d.query_selector(&format!(".language-switch [lang={code}]"))
                    .ok()?
            }) {
                let _ = button.unchecked_into::<HtmlElement>().focus();
            }
            for (from, to) in fields {
                let (Some(from), Some(to)) = (from, to) else {
                    continue;
                };
                to.set_value(&from.value());
                if focused.as_ref() == Some(from.as_ref()) {
                    let _ = to.focus();
                    let (start, end) = (from.selection_start(), from.selection_end());
                    if let (Ok(Some(start)), Ok(Some(end))) = (start, end) {
                        let _ = to.set_selection_range(start, end);
                    }
                }
            }
            // Switched there (and perhaps not stored: storage blocked or full).
            let shown = document
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .map(|code| Lang::from_code(&code));
            if let (Some(shown), Some(context)) = (shown, lang_context) {
                if shown != context.lang {
                    context.set.emit(shown);
                }
            }
            if queued {
                if let Some(button) = submit.cast::<HtmlElement>() {
                    button.click();
                }
            }
        });
    }

    // Signed in (here, or in another tab): go on.
    {
        let navigator = navigator.clone();
        let next = next.clone();
        use_effect_with(session.session.is_some(), move |signed_in| {
            if *signed_in {
                if let Some(n) = navigator {
                    n.replace(&destination(next.as_deref()));
                }
            }
        });
    }

    let onsubmit = {
        let (username, password) = (username.clone(), password.clone());
        let (busy, failure) = (busy.clone(), failure.clone());
        let service = session.service.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let user = username
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let pass = password
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            busy.set(true);
            failure.set(None);
            let (busy, failure, service) = (busy.clone(), failure.clone(), service.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = service.login(&user, &pass).await;
                busy.set(false);
                if let Err(e) = result {
                    failure.set(Some(e));
                }
            });
        })
    };

    let server = use_config()
        .and_then(|c| {
            c.api_base_url
                .host_str()
                .map(|h| match c.api_base_url.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
        })
        .unwrap_or_default();

    let (general, fields) = match &*failure {
        None => (
            session.ended.map(|_| t.session_expired.to_owned()),
            Default::default(),
        ),
        // A refused sign-in says so in the login's own words.
        Some(LoginFailure::Api(ApiError::Rejected { .. })) => {
            (Some(t.refused.to_owned()), Default::default())
        }
        Some(LoginFailure::Api(e)) => (Some(lang.api_error(e)), Default::default()),
        Some(LoginFailure::Refused(p)) => {
            // The server's own words (it answers in English).
            let general = p
                .general
                .clone()
                .or_else(|| p.fields.is_empty().then(|| t.refused.to_owned()));
            (general, p.fields.clone())
        }
    };
    let field = |name: &str, label: &str, kind: &str, autocomplete: &str, node: &NodeRef| {
        let error = fields.get(name).cloned();
        let error_id = format!("{name}-error");
        html! {
            <div class="field">
                <label for={name.to_owned()}>{label}</label>
                <input id={name.to_owned()} name={name.to_owned()} type={kind.to_owned()}
                    autocomplete={autocomplete.to_owned()} ref={node.clone()}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| error_id.clone())} />
                if let Some(error) = error {
                    <p id={error_id} class="field-error"><bdi>{error}</bdi></p>
                }
            </div>
        }
    };

    html! {
        <main id="main" class="page login">
            <h1>{t.sign_in_title}</h1>
            if let Some(message) = general {
                <div role="alert" class="form-error"><bdi>{message}</bdi></div>
            }
            <form class="login-form" novalidate=true {onsubmit} aria-busy={busy.then_some("true")}>
                { field("username", t.username, "text", "username", &username) }
                { field("password", t.password, "password", "current-password", &password) }
                <button type="submit" disabled={*busy} ref={submit}>
                    { if *busy { t.signing_in } else { t.sign_in } }
                </button>
            </form>
            <p class="server">{t.server}<span dir="ltr">{server}</span></p>
        </main>
    }
}

/// The sign-in form `sign-in-shell.js` put on the page while the wasm was on its way, if it is
/// still there.
fn early_form() -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id("shell")
}

/// Removes the early sign-in form once Herald draws a page of its own: a mount effect of every
/// page that can follow it (the sign-in page, a child of [`SignInFirst`], takes what was typed
/// into it first: children's effects run before their parent's).
#[hook]
pub fn use_early_form_gone() {
    use_effect_with((), |_| {
        if let Some(early) = early_form() {
            early.remove();
        }
    });
}

#[derive(serde::Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Props of [`SignInFirst`].
#[derive(Properties, PartialEq)]
pub struct SignInFirstProps {
    /// The sign-in page itself (no session needed): always the form.
    #[prop_or_default]
    pub public: bool,
    /// The signed-in page.
    #[prop_or_default]
    pub children: Html,
}

/// A signed-in page with a session; otherwise the sign-in form, at once, while the address is
/// replaced by `/login?next=<where they were>`. The login route renders through this component
/// too, so that replacement keeps the very same form: nothing is rendered twice, and nothing
/// typed in between is lost.
#[component(SignInFirst)]
pub fn sign_in_first(props: &SignInFirstProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let location = use_location();
    let signed_in = session.session.is_some();
    let redirect = !props.public && !signed_in;
    use_early_form_gone();
    use_effect_with(redirect, move |redirect| {
        if *redirect {
            if let (Some(n), Some(l)) = (navigator, location) {
                let here = l.path().to_owned();
                let _ = n.replace_with_query(&Route::Login, &[("next", here)]);
            }
        }
    });
    if props.public || !signed_in {
        html! { <Login /> }
    } else {
        props.children.clone()
    }
}

use yew::prelude::*;

use crate::i18n::Lang;
use crate::services::storage;

/// Where the language choice is kept (a preference of this browser, kept across sign-outs).
pub const LANG_KEY: &str = "herald.pref.lang";

/// The language and how to change it.
#[derive(Clone, PartialEq)]
pub struct LangContext {
    /// The current language.
    pub lang: Lang,
    /// Switches language.
    pub set: Callback<Lang>,
}

/// Props of [`LangProvider`].
#[derive(Properties, PartialEq)]
pub struct LangProviderProps {
    /// The app.
    pub children: Html,
}

/// The language chosen in this browser, if one was.
pub fn stored_lang() -> Option<Lang> {
    storage::read::<String>(LANG_KEY).map(|c| Lang::from_code(&c))
}

/// Owns the language: restored from this browser, reflected on `<html lang dir>`, so the whole
/// layout mirrors in Arabic through CSS logical properties.
#[component(LangProvider)]
pub fn lang_provider(props: &LangProviderProps) -> Html {
    let lang = use_state(|| stored_lang().unwrap_or_default());
    use_effect_with(*lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
            let _ = root.set_attribute("dir", lang.dir());
        }
    });
    let set = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            let _ = storage::write(LANG_KEY, l.code());
            lang.set(l);
        })
    };
    // Switched in another tab of this browser: this one follows (the choice is the browser's).
    {
        let lang = lang.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "storage", move |e| {
                    use wasm_bindgen::JsCast;
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                        return;
                    };
                    if e.key().as_deref() == Some(LANG_KEY) {
                        let code = e
                            .new_value()
                            .and_then(|v| serde_json::from_str::<String>(&v).ok());
                        if let Some(code) = code {
                            lang.set(Lang::from_code(&code));
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }
    let context = LangContext { lang: *lang, set };
    html! {
        <ContextProvider<LangContext> {context}>
            { props.children.clone() }
        </ContextProvider<LangContext>>
    }
}

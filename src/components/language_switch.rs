use yew::prelude::*;

use crate::i18n::Lang;
use crate::providers::LangContext;

/// English / العربية, each labelled in its own language.
#[component(LanguageSwitch)]
pub fn language_switch() -> Html {
    let Some(ctx) = use_context::<LangContext>() else {
        return html! {};
    };
    let button = |lang: Lang, label: &'static str| {
        let set = ctx.set.clone();
        let pressed = ctx.lang == lang;
        html! {
            <button type="button" class={classes!("lang", pressed.then_some("selected"))}
                lang={lang.code()} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| set.emit(lang))}>{label}</button>
        }
    };
    html! {
        <div role="group" class="language-switch" aria-label={ctx.lang.t().language_label}>
            { button(Lang::En, "English") }
            { button(Lang::Ar, "العربية") }
        </div>
    }
}

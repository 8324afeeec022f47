//! The inbox's tools (issue #22, items 2 and 3): the search box, the filters (All/Unread,
//! transfer type, action) with their counts, the polite count of matches, and the highlight
//! of the search in the items. What matches and what is counted is decided in
//! [`crate::state::inbox::query`]; this wires it to the page.
//!
//! The panel asks [`use_find`] which items to show, renders [`view`] in its tools row, and
//! provides [`Highlight`] around its list; an item shows its texts in [`Marked`].

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::use_user_pref;
use crate::i18n::Lang;
use crate::state::inbox::query::{focuses_search, Facet, Filters, FindIndex, Outcome, Query};
use crate::state::inbox::Inbox;

/// The search box's id (`/` focuses it).
pub const SEARCH_ID: &str = "inbox-search";
/// The filters' preference name (per user: `herald.pref.inbox-filters.<user>`).
const FILTERS_PREF: &str = "inbox-filters";
/// How long the count of matches waits for the typing to pause before it is announced (ms):
/// one announcement per search, not one per keystroke.
const ANNOUNCE_AFTER_MS: u32 = 600;

/// The search and the filters, and what they show. Cheap to clone.
#[derive(Clone)]
pub struct Find {
    /// What is shown: positions in the inbox's items, and each filter's choices.
    pub outcome: Rc<Outcome>,
    /// The search as typed.
    pub input: Rc<str>,
    /// The search, folded (what the items highlight).
    pub query: Rc<Query>,
    /// The filters (kept per user).
    pub filters: Filters,
    /// How many of the items shown are in the page ("Show more" adds a page; a new search or
    /// filter starts again from one page).
    pub limit: usize,
    /// Adds a page.
    pub show_more: Callback<()>,
    set_input: Callback<String>,
    set_filters: Callback<Filters>,
    type_select: NodeRef,
    action_select: NodeRef,
}

impl Find {
    /// A search or a type or action filter narrows the list (All/Unread alone does not count:
    /// it has its own words when it empties the list).
    pub fn narrowed(&self) -> bool {
        !self.query.is_empty()
            || self.filters.transaction_type.is_some()
            || self.filters.action.is_some()
    }

    /// Clears the search and every filter.
    pub fn clear(&self) {
        self.set_input.emit(String::new());
        self.set_filters.emit(Filters::default());
    }
}

/// The search and filters of the signed-in user over `inbox`. The inbox is indexed again only
/// when it changed ([`FindIndex::sync`] folds only new and changed items); a keystroke or a
/// filter change runs the query over the index.
#[hook]
pub fn use_find(inbox: &Rc<Inbox>) -> Find {
    let (filters, set_filters) = use_user_pref::<Filters>(FILTERS_PREF);
    let input = use_state(|| Rc::<str>::from(""));
    let query = use_memo((*input).clone(), |input| Query::parse(input));
    let index = use_mut_ref(FindIndex::default);
    let indexed = use_mut_ref(|| None::<Rc<Inbox>>);
    let outcome = use_memo(
        (inbox.clone(), query.clone(), filters.clone()),
        move |(inbox, query, filters)| {
            let (Ok(mut index), Ok(mut indexed)) =
                (index.try_borrow_mut(), indexed.try_borrow_mut())
            else {
                return Outcome::default();
            };
            if indexed.as_ref() != Some(inbox) {
                index.sync(inbox.items());
                *indexed = Some(inbox.clone());
            }
            index.run(query, filters)
        },
    );
    // The page size, for this search and these filters.
    let key = (query.clone(), filters.clone());
    let more = use_state(|| (key.clone(), super::PAGE));
    let limit = if more.0 == key { more.1 } else { super::PAGE };
    let show_more = {
        let more = more.clone();
        Callback::from(move |()| more.set((key.clone(), limit + super::PAGE)))
    };
    let set_input = {
        let input = input.clone();
        Callback::from(move |text: String| input.set(Rc::from(text)))
    };
    let type_select = use_node_ref();
    let action_select = use_node_ref();
    // A `<select>` the user has touched no longer follows its options' `selected` attribute:
    // its value is set after each render (after "Clear search and filters", another tab...).
    {
        let (types, actions) = (type_select.clone(), action_select.clone());
        let wanted = filters.clone();
        use_effect(move || {
            set_select(&types, wanted.transaction_type.as_deref());
            set_select(&actions, wanted.action.as_deref());
        });
    }
    Find {
        outcome,
        input: (*input).clone(),
        query,
        filters,
        limit,
        show_more,
        set_input,
        set_filters,
        type_select,
        action_select,
    }
}

fn set_select(node: &NodeRef, value: Option<&str>) {
    if let Some(select) = node.cast::<web_sys::HtmlSelectElement>() {
        let value = value.unwrap_or("");
        if select.value() != value {
            select.set_value(value);
        }
    }
}

/// `/` anywhere on the page but in a field focuses the search box (and selects what it holds),
/// unless the user turned the inbox's keyboard shortcuts off (`/` is one of them).
/// `on`: the user's shortcuts setting (the act's, so a change shows at once).
#[hook]
pub fn use_slash_focuses_search(on: bool) {
    use_effect_with(on, |&on| {
        let listener = on
            .then(|| web_sys::window().and_then(|w| w.document()))
            .flatten()
            .map(|doc| {
                // Not passive (gloo's default): the `/` must not be typed into the box it focuses.
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(&doc, "keydown", options, |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.default_prevented()
                        || !focuses_search(
                            &e.key(),
                            e.ctrl_key(),
                            e.alt_key(),
                            e.meta_key(),
                            in_field(e.target()),
                        )
                    {
                        return;
                    }
                    let input = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(SEARCH_ID))
                        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok());
                    if let Some(input) = input {
                        e.prevent_default();
                        let _ = input.focus();
                        input.select();
                    }
                })
            });
        move || drop(listener)
    });
}

/// Whether `target` is somewhere the user types (where `/` is a character).
fn in_field(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    if el
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|h| h.is_content_editable())
    {
        return true;
    }
    match el.tag_name().to_ascii_uppercase().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            el.get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str(),
            "checkbox"
                | "radio"
                | "button"
                | "submit"
                | "reset"
                | "image"
                | "file"
                | "range"
                | "color"
        ),
        _ => false,
    }
}

/// The tools: search, Show All/Unread, transfer type and action, and the count of matches
/// (announced politely). `slash`: the shortcuts are on, so `/` focuses the box (and says so).
pub fn view(find: &Find, lang: Lang, slash: bool) -> Html {
    let t = lang.t();
    let on_input = {
        let set = find.set_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set.emit(input.value());
            }
        })
    };
    // Esc clears the search (and is not passed on: the keyboard shortcuts never see it).
    let on_keydown = {
        let set = find.set_input.clone();
        let typed = !find.input.is_empty();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && typed {
                e.prevent_default();
                e.stop_propagation();
                set.emit(String::new());
            }
        })
    };
    let show = |unread_only: bool, label: &str| {
        let pressed = find.filters.unread_only == unread_only;
        let set = find.set_filters.clone();
        let filters = find.filters.clone();
        html! {
            <button type="button" aria-pressed={pressed.to_string()}
                class={classes!("tab", pressed.then_some("selected"))}
                onclick={Callback::from(move |_| set.emit(Filters { unread_only, ..filters.clone() }))}>{label}</button>
        }
    };
    let on_type = {
        let set = find.set_filters.clone();
        let filters = find.filters.clone();
        Callback::from(move |value: Option<String>| {
            set.emit(Filters {
                transaction_type: value,
                ..filters.clone()
            })
        })
    };
    let on_action = {
        let set = find.set_filters.clone();
        let filters = find.filters.clone();
        Callback::from(move |value: Option<String>| {
            set.emit(Filters {
                action: value,
                ..filters.clone()
            })
        })
    };
    let active = find.narrowed() || find.filters.unread_only;
    let count = if active {
        lang.matches(find.outcome.shown.len())
    } else {
        String::new()
    };
    html! {
        <>
            <div role="search" class="inbox-search">
                <label for={SEARCH_ID} class="visually-hidden">{t.search_label}</label>
                <input id={SEARCH_ID} type="search" value={find.input.to_string()} dir="auto"
                    placeholder={if slash { t.search_placeholder } else { t.search_label }}
                    aria-keyshortcuts={slash.then_some("/")}
                    autocomplete="off" spellcheck="false"
                    oninput={on_input} onkeydown={on_keydown} />
            </div>
            // Toggle buttons (like the language switch), not tabs: there is no tab panel.
            <div role="group" aria-label={t.filter_label} class="tabs">
                { show(false, t.all) }
                { show(true, t.unread_tab) }
            </div>
            { select("filter-type", t.type_label, t.all_types, &find.outcome.types,
                find.filters.transaction_type.as_deref(), &find.type_select, on_type, lang) }
            { select("filter-action", t.action_label, t.all_actions, &find.outcome.actions,
                find.filters.action.as_deref(), &find.action_select, on_action, lang) }
            <MatchCount text={AttrValue::from(count)} />
        </>
    }
}

/// One filter: a labelled `<select>` of "all" and the values the inbox holds, with counts.
#[allow(clippy::too_many_arguments)]
fn select(
    id: &'static str,
    label: &str,
    all: &str,
    facet: &Facet,
    chosen: Option<&str>,
    node: &NodeRef,
    on_change: Callback<Option<String>>,
    lang: Lang,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            let value = select.value();
            on_change.emit((!value.is_empty()).then_some(value));
        }
    });
    // Keyed by value: an option keeps its element (and the select its choice) when values
    // come or go around it.
    let all = html! {
        <option key="" value="" selected={chosen.is_none()}>{ lang.choice(all, facet.all) }</option>
    };
    let options = std::iter::once(all).chain(facet.choices.iter().map(|c| {
        html! {
            <option key={c.value.to_string()} value={c.value.to_string()}
                selected={chosen == Some(&*c.value)}>{ lang.choice(&c.value, c.count) }</option>
        }
    }));
    html! {
        <span class="inbox-filter">
            <label for={id}>{label}</label>
            <select {id} ref={node.clone()} {onchange}>
                { for options }
            </select>
        </span>
    }
}

/// Props of [`MatchCount`].
#[derive(Properties, PartialEq)]
struct MatchCountProps {
    /// "12 notifications match" (empty: nothing to say).
    text: AttrValue,
}

/// The count of matches, said politely once the typing pauses. A component of its own, so its
/// wait re-renders only itself.
#[component(MatchCount)]
fn match_count(props: &MatchCountProps) -> Html {
    let said = use_state(AttrValue::default);
    {
        let said = said.clone();
        use_effect_with(props.text.clone(), move |text| {
            let text = text.clone();
            let timer = Timeout::new(ANNOUNCE_AFTER_MS, move || said.set(text));
            move || drop(timer)
        });
    }
    html! {
        <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*said).clone() }</div>
    }
}

/// The "nothing matches" state: says so, and offers to clear the search and the filters.
pub fn no_matches(find: &Find, lang: Lang) -> Html {
    let t = lang.t();
    let clear = {
        let find = find.clone();
        Callback::from(move |_| {
            find.clear();
            crate::components::focus_by_id(SEARCH_ID, false);
        })
    };
    html! {
        <div class="empty no-matches">
            <p>{ t.no_matches }</p>
            <button type="button" class="secondary" onclick={clear}>{ t.clear_find }</button>
        </div>
    }
}

/// The search on screen, for the items' highlights: the panel provides it around its list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Highlight(pub Rc<Query>);

/// The search the items highlight (none outside the panel's list).
#[hook]
pub fn use_highlight() -> Rc<Query> {
    use_context::<Highlight>().map(|h| h.0).unwrap_or_default()
}

/// How a [`Marked`] text is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum MarkedAs {
    /// As it is.
    #[default]
    Plain,
    /// A message: the one place its text becomes markup, its codes isolated and kept whole
    /// ([`crate::components::text::with_codes`]).
    Message,
    /// A transaction code, isolated and kept whole ([`crate::components::text::reference`]).
    Code,
}

/// Props of [`Marked`].
#[derive(Properties, PartialEq)]
pub struct MarkedProps {
    /// The text (an item's message or reference).
    pub text: AttrValue,
    /// How it is shown.
    #[prop_or_default]
    pub shown_as: MarkedAs,
}

/// A text of an item with the search's hits marked: the one part of an item that follows the
/// search, so a keystroke re-renders these texts, not whole items.
#[component(Marked)]
pub fn marked(props: &MarkedProps) -> Html {
    let query = use_highlight();
    let text: &str = &props.text;
    match props.shown_as {
        MarkedAs::Plain => highlighted(text, &query),
        MarkedAs::Message => crate::components::text::with_codes(text, &query.highlights(text)),
        MarkedAs::Code => crate::components::text::reference(text, &query.highlights(text)),
    }
}

/// `text` with the search's hits marked (`<mark>`); the text as it is without a search or a
/// hit. Always text: nothing in `text` is read as HTML.
pub fn highlighted(text: &str, query: &Query) -> Html {
    crate::components::text::marked(text, &query.highlights(text))
}

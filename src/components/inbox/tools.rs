//! The inbox's tools (issue #22, items 2 and 3): the search box, the filters (All/Unread,
//! transfer type, action) with their counts, the polite count of matches, and the search's hits
//! in the items. What matches and what is counted is decided in
//! [`crate::state::inbox::query`]; this wires it to the page.
//!
//! The panel asks [`use_find`] which items to show, renders [`view`] in its tools row, and
//! paints the search's hits over its items with [`Hits`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::use_user_pref;
use crate::i18n::Lang;
use crate::state::action_kind::ActionKind;
use crate::state::inbox::query::{
    focuses_search, hit_spans, Facet, Filters, FindIndex, Outcome, Query,
};
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
/// when it changed; a keystroke or a filter change runs the query over the index (a search
/// folds the texts of new and changed items first: [`FindIndex::sync`] folds none).
#[hook]
pub fn use_find(inbox: &Rc<Inbox>) -> Find {
    let (filters, set_filters) = use_user_pref::<Filters>(FILTERS_PREF);
    let input = use_state(|| Rc::<str>::from(""));
    let query = use_memo((*input).clone(), |input| Query::parse(input));
    let index = use_mut_ref(|| FindIndex::labelled(transaction_labels));
    let indexed = use_mut_ref(|| None::<Rc<Inbox>>);
    // The search's code run once over the inbox when the page is idle after the inbox first
    // holds items: the first key would otherwise pay for V8 compiling it (about 3 ms measured,
    // see BENCHMARKS.md) and for folding every item's text (not done while signing in).
    {
        let index = index.clone();
        use_effect_with(inbox.items().is_empty(), move |&empty| {
            if !empty {
                crate::hooks::when_idle(2_000, move || {
                    if let Ok(mut index) = index.try_borrow_mut() {
                        let query = Query::parse("0");
                        index.run(&query, &Filters::default());
                        let _ = hit_spans(&["0"], &query.highlights("0"));
                    }
                });
            }
        });
    }
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
            { FilterSelect {
                id: "filter-type", label: t.type_label, all: t.all_types,
                facet: &find.outcome.types, chosen: find.filters.transaction_type.as_deref(),
                node: &find.type_select, on_change: on_type, reword: |_, _| None,
            }.render(lang) }
            { FilterSelect {
                id: "filter-action", label: t.action_label, all: t.all_actions,
                facet: &find.outcome.actions, chosen: find.filters.action.as_deref(),
                node: &find.action_select, on_change: on_action, reword: action_words,
            }.render(lang) }
            <MatchCount text={AttrValue::from(count)} />
        </>
    }
}

/// A transaction as the rows name it, in both languages (searchable whichever is shown).
fn transaction_labels(id: i64) -> [String; 2] {
    [Lang::En.transaction(id), Lang::Ar.transaction(id)]
}

/// One filter: a labelled `<select>` of "all" and the values the inbox holds, with counts.
struct FilterSelect<'a> {
    id: &'static str,
    label: &'a str,
    /// The "all" option's words.
    all: &'a str,
    facet: &'a Facet,
    chosen: Option<&'a str>,
    node: &'a NodeRef,
    on_change: Callback<Option<String>>,
    /// A value in the words the rows use, where they differ from the wire's.
    reword: fn(&str, Lang) -> Option<String>,
}

impl FilterSelect<'_> {
    fn render(self, lang: Lang) -> Html {
        let Self {
            id,
            label,
            all,
            facet,
            chosen,
            node,
            on_change,
            reword,
        } = self;
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
            let words = reword(&c.value, lang);
            html! {
                <option key={c.value.to_string()} value={c.value.to_string()}
                    selected={chosen == Some(&*c.value)}>
                    { lang.choice(words.as_deref().unwrap_or(&c.value), c.count) }
                </option>
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
}

/// An action as the rows name it ("Created · List"): the wire's word alone would not say
/// which rows it picks.
fn action_words(value: &str, lang: Lang) -> Option<String> {
    let word = lang.kind(ActionKind::of(value)?);
    (!word.eq_ignore_ascii_case(value)).then(|| format!("{word} · {value}"))
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

/// The name of the search's highlight (`::highlight(find)` in main.css).
pub const HIGHLIGHT: &str = "find";

/// The search's hits on the page, painted by the browser (CSS custom highlights) over the
/// items' texts as they are: a keystroke changes no element for them, so the hits cost paint
/// but no layout, and no item is rendered again for them. The panel paints after each of its
/// renders ([`Hits::paint`]) and provides this handle to the parts that show items without it
/// (an opened thread: [`Hits::repaint`]). Cheap to clone; equal to itself only, so a context
/// of it never re-renders anyone.
#[derive(Clone)]
pub struct Hits(Rc<HitsState>);

struct HitsState {
    /// The panel, whose items' texts are searched.
    root: NodeRef,
    /// The search painted.
    query: RefCell<Rc<Query>>,
    /// The ranges painted, registered as [`HIGHLIGHT`] while the panel is on the page (none
    /// where the browser has no custom highlights). Registered once and changed in place:
    /// registering or removing a highlight makes the browser restyle the whole page.
    highlight: Option<Highlight>,
}

impl PartialEq for Hits {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Hits {
    /// The hits of the panel at `root`, painted once [`Hits::register`]ed.
    pub fn new(root: NodeRef) -> Self {
        let highlight = highlights().and_then(|_| Highlight::new().ok());
        Self(Rc::new(HitsState {
            root,
            query: RefCell::default(),
            highlight,
        }))
    }

    /// Puts the highlight on the page (the panel is there), until [`Hits::remove`].
    pub fn register(&self) {
        if let Some((registry, highlight)) = highlights().zip(self.0.highlight.as_ref()) {
            registry.set(HIGHLIGHT, highlight);
        }
    }

    /// Removes the highlight from the page (the panel is gone).
    pub fn remove(&self) {
        if let Some(registry) = self.0.highlight.as_ref().and_then(|_| highlights()) {
            registry.delete(HIGHLIGHT);
        }
    }

    /// Paints `query`'s hits over the items on the page.
    pub fn paint(&self, query: Rc<Query>) {
        let unchanged_empty = query.is_empty() && self.0.query.borrow().is_empty();
        *self.0.query.borrow_mut() = query;
        if !unchanged_empty {
            self.repaint();
        }
    }

    /// Paints the search's hits again, over the items on the page now. Where the browser
    /// has no custom highlights, the items show no hits (the search works the same).
    pub fn repaint(&self) {
        let Some(highlight) = &self.0.highlight else {
            return;
        };
        highlight.clear();
        let query = self.0.query.borrow().clone();
        let Some(root) = self
            .0
            .root
            .cast::<web_sys::Element>()
            .filter(|_| !query.is_empty())
        else {
            return;
        };
        // The texts an item is found by: its message and its reference.
        let Ok(texts) = root.query_selector_all(".inbox-item .message, .inbox-item .ref") else {
            return;
        };
        let mut nodes = Vec::new();
        for i in 0..texts.length() {
            nodes.clear();
            if let Some(text) = texts.item(i) {
                text_nodes(&text, &mut nodes);
            }
            let pieces: Vec<&str> = nodes.iter().map(|(_, s)| s.as_str()).collect();
            for (start, end) in hit_spans(&pieces, &query.highlights(&pieces.concat())) {
                let init = web_sys::StaticRangeInit::new(
                    &nodes[end.piece].0,
                    end.offset,
                    &nodes[start.piece].0,
                    start.offset,
                );
                if let Ok(range) = web_sys::StaticRange::new(&init) {
                    highlight.add(&range);
                }
            }
        }
    }
}

/// The text nodes under `node` in order, with their texts, but those only screen readers get
/// (a link's "opens in a new tab").
fn text_nodes(node: &web_sys::Node, out: &mut Vec<(web_sys::Node, String)>) {
    let mut child = node.first_child();
    while let Some(c) = child {
        if c.node_type() == web_sys::Node::TEXT_NODE {
            out.push((c.clone(), c.node_value().unwrap_or_default()));
        } else if c.dyn_ref::<web_sys::Element>().is_some_and(|e| {
            !e.class_name()
                .split_ascii_whitespace()
                .any(|c| c == "visually-hidden")
        }) {
            text_nodes(&c, out);
        }
        child = c.next_sibling();
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A set of ranges the browser paints with a `::highlight()` rule.
    type Highlight;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<Highlight, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method)]
    fn add(this: &Highlight, range: &web_sys::StaticRange);
    #[wasm_bindgen(method)]
    fn clear(this: &Highlight);

    /// `CSS.highlights`: the page's highlights by name.
    type HighlightRegistry;
    #[wasm_bindgen(method)]
    fn set(this: &HighlightRegistry, name: &str, highlight: &Highlight);
    #[wasm_bindgen(method)]
    fn delete(this: &HighlightRegistry, name: &str);
}

/// `CSS.highlights`, where the browser has it.
fn highlights() -> Option<HighlightRegistry> {
    let css = js_sys::Reflect::get(&js_sys::global(), &"CSS".into()).ok()?;
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).ok()?;
    registry
        .is_object()
        .then(|| registry.unchecked_into::<HighlightRegistry>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stylesheet_paints_the_search_highlight() {
        let css = include_str!("../../../styles/main.css");
        assert!(
            css.contains(&format!("::highlight({})", super::HIGHLIGHT)),
            "main.css has no ::highlight({}) rule",
            super::HIGHLIGHT
        );
    }
}

//! The list view: one group per day under its heading ("Today", "Yesterday", the weekday,
//! the date), the "New since you last looked" divider, and the lists of items in blocks (the
//! layout is [`crate::state::inbox::days::layout`]'s).
//!
//! Each day's items are a list of their own, named by the panel and the day ("Notifications
//! Today"): a list holds only items, and a screen reader moves from day to day by heading and
//! hears how many items each day has. The divider is a heading too, and its end a rule.

use std::rc::Rc;

use yew::prelude::*;

use super::bulk::Selecting;
use super::InboxBlock;
use crate::format::{day_heading, zone_offset_ms};
use crate::i18n::Lang;
use crate::state::inbox::days::{day_label, layout, local_day, DayLabel, Part, Placed};
use crate::state::inbox::{Edit, ItemKey, Notification};

/// What the list view's rows need.
pub struct ListRows<'a> {
    /// The items in the DOM, in list order, each with its place counted from the oldest end.
    pub items: &'a [(usize, &'a Rc<Notification>)],
    /// Now (the minute clock): which day is today.
    pub now: f64,
    /// "Last looked": items newer than this are under the divider.
    pub mark: Option<f64>,
    /// Language.
    pub lang: Lang,
    /// Edits.
    pub edit: &'a Callback<Edit>,
    /// Delete, with focus handling.
    pub on_delete: &'a Callback<ItemKey>,
    /// The selection and the shortcuts.
    pub select: Selecting,
    /// The list's generation: a new one is a new list (see `use_revealed`).
    pub generation: u32,
}

/// Each item's local day, the zone looked up once per hour of the times on the page (it only
/// changes with daylight saving).
fn placed<'a>(
    items: &'a [(usize, &'a Rc<Notification>)],
) -> impl Iterator<Item = Placed<Rc<Notification>>> + 'a {
    let mut zone: Option<(f64, f64)> = None;
    items.iter().map(move |(place, n)| {
        let hour = (n.time_ms / 3_600_000.0).floor();
        let offset = match zone {
            Some((h, offset)) if h == hour => offset,
            _ => {
                let offset = zone_offset_ms(n.time_ms);
                zone = Some((hour, offset));
                offset
            }
        };
        Placed {
            place: *place,
            day: local_day(n.time_ms, offset),
            time_ms: n.time_ms,
            item: Rc::clone(n),
        }
    })
}

impl ListRows<'_> {
    /// The days, in a container of their own.
    pub fn render(&self) -> Html {
        let t = self.lang.t();
        let today = local_day(self.now, zone_offset_ms(self.now));
        let groups = layout(placed(self.items), self.mark).into_iter().map(|group| {
            let key = group.key();
            let heading_id = format!("day-{key}");
            let label = group.day.map(|day| {
                let label = today.map_or(
                    DayLabel::Date {
                        day,
                        with_year: true,
                    },
                    |today| day_label(day, today),
                );
                day_heading(label, self.lang)
            });
            let named_by = |new: bool| {
                let mut ids = String::from("inbox-title");
                if label.is_some() {
                    ids.push(' ');
                    ids.push_str(&heading_id);
                }
                if new {
                    ids.push_str(" new-since");
                }
                ids
            };
            let parts = group.parts.into_iter().map(|part| {
                let part_key = part.key();
                match part {
                    Part::NewSince => html! {
                        <h4 key={part_key} id="new-since" class="new-since">{ t.new_since }</h4>
                    },
                    Part::NewEnd => html! { <hr key={part_key} class="new-since-end" /> },
                    Part::List { new, blocks } => html! {
                        <ul key={part_key} class="inbox-list" aria-labelledby={named_by(new)}>
                            { for blocks.into_iter().map(|(id, items)| html! {
                                <InboxBlock key={id.key()} items={Rc::<[Rc<Notification>]>::from(items)}
                                    now={self.now} lang={self.lang} edit={self.edit.clone()}
                                    on_delete={self.on_delete.clone()} select={self.select.clone()} />
                            }) }
                        </ul>
                    },
                }
            });
            html! {
                <div key={key} class="inbox-day">
                    if let Some(label) = label.clone() {
                        <h3 id={heading_id.clone()} class="day-heading">{ label }</h3>
                    }
                    { for parts }
                </div>
            }
        });
        html! { <div key={self.generation} class="inbox-days">{ for groups }</div> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::inbox::item::tests::props;

    fn item(id: i64) -> Rc<Notification> {
        Rc::new(Notification {
            // One a minute, from 2025-12-30 00:00 UTC: the first 1,440 on one day.
            time_ms: 1_767_052_800_000.0 + id as f64 * 60_000.0,
            ..Notification::sample(id)
        })
    }

    /// The newest `page` of `list` (newest first) as the panel lays them out: (key, block).
    fn blocks(
        list: &[Rc<Notification>],
        page: usize,
        mark: Option<f64>,
    ) -> Vec<(String, Rc<[Rc<Notification>]>)> {
        let len = list.len();
        let places: Vec<(usize, &Rc<Notification>)> = list
            .iter()
            .enumerate()
            .take(page)
            .map(|(i, n)| (len - 1 - i, n))
            .collect();
        layout(placed(&places), mark)
            .into_iter()
            .flat_map(|g| g.parts)
            .flat_map(|p| match p {
                Part::List { blocks, .. } => blocks,
                _ => Vec::new(),
            })
            .map(|(id, items)| (id.key(), Rc::from(items)))
            .collect()
    }

    #[test]
    fn a_new_notification_re_renders_only_the_top_and_bottom_blocks() {
        // With and without the divider (the mark between the 3rd and 4th newest).
        for mark in [None, Some(item(247).time_ms + 1.0)] {
            let mut list: Vec<Rc<Notification>> = (1..=250).rev().map(item).collect();
            let before = blocks(&list, super::super::PAGE, mark);
            list.insert(0, item(251));
            let after = blocks(&list, super::super::PAGE, mark);
            assert_eq!(
                after
                    .iter()
                    .flat_map(|b| b.1.iter().map(|n| n.key))
                    .collect::<Vec<_>>(),
                list[..super::super::PAGE]
                    .iter()
                    .map(|n| n.key)
                    .collect::<Vec<_>>(),
                "the page in list order"
            );
            let changed = after
                .iter()
                .filter(|(key, items)| {
                    !before
                        .iter()
                        .any(|(k, old)| k == key && props(old.clone()) == props(items.clone()))
                })
                .count();
            assert_eq!(changed, 2, "only the top and the bottom block ({mark:?})");
        }
    }
}

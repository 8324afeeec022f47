//! The list view's rows: day headings, the "New since you last looked" divider and the blocks
//! of items between them (the layout is [`crate::state::inbox::days::layout`]'s).
//!
//! Headings are `<li role="presentation">` holding an `<h3>`: the list stays one list of
//! notifications (its items counted as they are), and a screen reader moves from day to day
//! by heading. The divider's end is a separator.

use std::rc::Rc;

use yew::prelude::*;

use super::InboxBlock;
use crate::format::{day_heading, zone_offset_ms};
use crate::i18n::Lang;
use crate::state::inbox::days::{day_label, layout, local_day, DayLabel, Placed, Row};
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
    /// The rows, as children of the list.
    pub fn render(&self) -> Html {
        let t = self.lang.t();
        let today = local_day(self.now, zone_offset_ms(self.now));
        layout(placed(self.items), self.mark)
            .into_iter()
            .map(|row| {
                let key = row.key();
                match row {
                    Row::Day { day, .. } => {
                        let label = today.map_or(
                            DayLabel::Date {
                                day,
                                with_year: true,
                            },
                            |today| day_label(day, today),
                        );
                        html! {
                            <li key={key} role="presentation" class="day-heading">
                                <h3>{ day_heading(label, self.lang) }</h3>
                            </li>
                        }
                    }
                    Row::NewSince => html! {
                        <li key={key} role="presentation" class="new-since">
                            <h3 id="new-since">{ t.new_since }</h3>
                        </li>
                    },
                    Row::NewEnd => html! {
                        <li key={key} role="separator" class="new-since-end"></li>
                    },
                    Row::Block(_, items) => html! {
                        <InboxBlock key={key} items={Rc::<[Rc<Notification>]>::from(items)} now={self.now}
                            lang={self.lang} edit={self.edit.clone()} on_delete={self.on_delete.clone()} />
                    },
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::inbox::InboxBlockProps;

    fn item(id: i64) -> Rc<Notification> {
        Rc::new(Notification {
            key: ItemKey::Id(id),
            message: format!("m{id}"),
            eng_message: None,
            ara_message: None,
            transaction_id: None,
            code: None,
            transaction_type: None,
            action: None,
            // One a minute, from 2025-12-30 00:00 UTC: the first 1,440 on one day.
            time_ms: 1_767_052_800_000.0 + id as f64 * 60_000.0,
            is_read: false,
            received_ms: 0.0,
        })
    }

    thread_local! {
        static CALLBACKS: (Callback<Edit>, Callback<ItemKey>) =
            (Callback::noop(), Callback::noop());
    }

    fn props(items: Rc<[Rc<Notification>]>) -> InboxBlockProps {
        let (edit, on_delete) = CALLBACKS.with(|c| c.clone());
        InboxBlockProps {
            items,
            now: 0.0,
            edit,
            on_delete,
            lang: Lang::En,
        }
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
            .filter_map(|r| {
                let key = r.key();
                match r {
                    Row::Block(_, items) => Some((key, Rc::from(items))),
                    _ => None,
                }
            })
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

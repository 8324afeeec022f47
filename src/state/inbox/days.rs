//! Day headings of the inbox list ("Today", "Yesterday", a weekday, a date) and how the page is
//! laid out under them: headings, the "New since you last looked" divider and blocks of items.
//! Pure: the caller passes each item's local day (the browser's zone is looked up by
//! [`crate::format`]), so every rule here is tested natively.

use std::collections::HashSet;

use crate::state::time::civil_from_days;

/// A day in ms.
pub const DAY_MS: f64 = 86_400_000.0;
/// Items per block (see [`layout`]).
pub const BLOCK: usize = 10;

/// The local calendar day of `ms` (days since 1970-01-01) in a zone `offset_ms` ahead of UTC;
/// `None` for a time that is no date (not finite, or beyond ±100 million days).
///
/// ```
/// # use herald::state::inbox::days::local_day;
/// // 1970-01-01T23:30Z is already the 2nd in Riyadh (UTC+3), still the 1st in New York.
/// assert_eq!(local_day(84_600_000.0, 3.0 * 3_600_000.0), Some(1));
/// assert_eq!(local_day(84_600_000.0, -5.0 * 3_600_000.0), Some(0));
/// ```
pub fn local_day(ms: f64, offset_ms: f64) -> Option<i64> {
    let day = ((ms + offset_ms) / DAY_MS).floor();
    (day.is_finite() && day.abs() <= 1e8).then_some(day as i64)
}

/// What a day heading says of `day`, seen on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayLabel {
    /// Today.
    Today,
    /// The day before.
    Yesterday,
    /// 2 to 6 days ago: the weekday says which (a week back would name today's weekday).
    Weekday(i64),
    /// Older (or later than today: a clock ahead of ours): the date, with its year when it is
    /// not this year's.
    Date {
        /// The day.
        day: i64,
        /// Whether the year is shown.
        with_year: bool,
    },
}

/// The heading of `day` seen on `today` (both local day numbers, see [`local_day`]).
pub fn day_label(day: i64, today: i64) -> DayLabel {
    match today - day {
        0 => DayLabel::Today,
        1 => DayLabel::Yesterday,
        2..=6 => DayLabel::Weekday(day),
        _ => DayLabel::Date {
            day,
            with_year: civil_from_days(day).0 != civil_from_days(today).0,
        },
    }
}

/// The weekday of a day number: 0 is Sunday (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> u8 {
    (day + 4).rem_euclid(7) as u8
}

/// One item of the page as [`layout`] needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed<T> {
    /// Its place counted from the oldest end of the whole list: stable when items arrive on
    /// top.
    pub place: usize,
    /// Its local day (`None`: a time that is no date; no heading).
    pub day: Option<i64>,
    /// When it happened (ms), compared with the "last looked" mark.
    pub time_ms: f64,
    /// The item.
    pub item: T,
}

/// Identity of a block: the same items under the same heading keep the same block from one
/// render to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockId {
    /// `place / BLOCK`.
    pub chunk: usize,
    /// The day it belongs to.
    pub day: Option<i64>,
    /// Above the "new since you last looked" end.
    pub new: bool,
    /// 0, or a repeat's number (only with items out of order).
    pub repeat: u32,
}

impl BlockId {
    /// A key for the DOM, unique among the rows of one layout.
    pub fn key(&self) -> String {
        let day = self.day.map_or("x".to_owned(), |d| d.to_string());
        format!(
            "b{}-{day}-{}-{}",
            self.chunk,
            if self.new { "n" } else { "o" },
            self.repeat
        )
    }
}

/// One row of the list.
#[derive(Clone, Debug, PartialEq)]
pub enum Row<T> {
    /// A day heading (the repeat number makes its key unique if a day comes back: items out
    /// of order).
    Day {
        /// The local day.
        day: i64,
        /// 0, or a repeat's number.
        repeat: u32,
    },
    /// "New since you last looked": above the first item newer than the mark.
    NewSince,
    /// Where the new items end.
    NewEnd,
    /// Consecutive items of one day and one side of the divider.
    Block(BlockId, Vec<T>),
}

impl<T> Row<T> {
    /// A key for the DOM, unique among the rows of one layout.
    pub fn key(&self) -> String {
        match self {
            Row::Day { day, repeat: 0 } => format!("d{day}"),
            Row::Day { day, repeat } => format!("d{day}-{repeat}"),
            Row::NewSince => "new-since".to_owned(),
            Row::NewEnd => "new-end".to_owned(),
            Row::Block(id, _) => id.key(),
        }
    }
}

/// The page (in list order, newest first) as rows: a heading where the day changes, the
/// divider above the items newer than `mark` (they are the first ones: the list is newest
/// first; an item out of order below an older one is not new) and its end below them, and
/// the items in blocks of at most [`BLOCK`] places counted from the oldest end of the list.
///
/// A notification arriving on top changes only the top block (and the bottom one, whose last
/// item leaves the page): the others hold the same items under the same ids, so a new item
/// costs a dozen comparisons, not one per item on the page.
pub fn layout<T>(items: impl IntoIterator<Item = Placed<T>>, mark: Option<f64>) -> Vec<Row<T>> {
    let mut rows: Vec<Row<T>> = Vec::new();
    let mut days_seen: HashSet<i64> = HashSet::new();
    let mut day_repeats: u32 = 0;
    let mut blocks_seen: HashSet<BlockId> = HashSet::new();
    let mut current: Option<(Option<i64>, bool)> = None;
    // Once an item is not new, none after it is.
    let mut still_new = mark.is_some();
    let mut divided = false;
    for p in items {
        let new = still_new && mark.is_some_and(|m| p.time_ms > m);
        if !new && still_new {
            still_new = false;
            if divided {
                rows.push(Row::NewEnd);
            }
        }
        let day_changed = current.is_none_or(|(d, _)| d != p.day);
        if day_changed {
            if let Some(day) = p.day {
                let repeat = if days_seen.insert(day) {
                    0
                } else {
                    day_repeats += 1;
                    day_repeats
                };
                rows.push(Row::Day { day, repeat });
            }
        }
        if new && !divided {
            divided = true;
            rows.push(Row::NewSince);
        }
        let mut id = BlockId {
            chunk: p.place / BLOCK,
            day: p.day,
            new,
            repeat: 0,
        };
        let same_block = matches!(rows.last(), Some(Row::Block(last, _))
            if last.chunk == id.chunk && last.day == id.day && last.new == id.new);
        if same_block {
            if let Some(Row::Block(_, block)) = rows.last_mut() {
                block.push(p.item);
            }
        } else {
            while !blocks_seen.insert(id) {
                id.repeat += 1;
            }
            rows.push(Row::Block(id, vec![p.item]));
        }
        current = Some((p.day, new));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: f64 = 3_600_000.0;

    #[test]
    fn the_local_day_follows_the_zone() {
        // 2025-12-30T22:30Z: the 31st in Riyadh, the 30th in UTC and New York.
        let t = crate::state::time::parse_timestamp_ms("2025-12-30T22:30:00Z").unwrap();
        let utc = local_day(t, 0.0).unwrap();
        assert_eq!(civil_from_days(utc), (2025, 12, 30));
        assert_eq!(local_day(t, 3.0 * H), Some(utc + 1));
        assert_eq!(local_day(t, -5.0 * H), Some(utc));
        // Before 1970 the day is floored, not truncated.
        assert_eq!(local_day(-1.0, 0.0), Some(-1));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300] {
            assert_eq!(local_day(bad, 0.0), None, "{bad}");
        }
        assert_eq!(local_day(0.0, f64::NAN), None);
    }

    #[test]
    fn today_yesterday_the_weekday_then_the_date() {
        let today = 20_452; // 2025-12-30, a Tuesday.
        assert_eq!(civil_from_days(today), (2025, 12, 30));
        assert_eq!(weekday(today), 2);
        assert_eq!(day_label(today, today), DayLabel::Today);
        assert_eq!(day_label(today - 1, today), DayLabel::Yesterday);
        for back in 2..=6 {
            assert_eq!(
                day_label(today - back, today),
                DayLabel::Weekday(today - back)
            );
        }
        // A week back is today's weekday again: the date says which.
        assert_eq!(
            day_label(today - 7, today),
            DayLabel::Date {
                day: today - 7,
                with_year: false
            }
        );
        // Last year's dates carry the year; 2025-01-01 does not.
        assert_eq!(civil_from_days(today - 363), (2025, 1, 1));
        assert_eq!(
            day_label(today - 363, today),
            DayLabel::Date {
                day: today - 363,
                with_year: false
            }
        );
        assert_eq!(
            day_label(today - 364, today),
            DayLabel::Date {
                day: today - 364,
                with_year: true
            }
        );
        // Tomorrow (a server clock ahead of ours) is a date, never "Today".
        assert_eq!(
            day_label(today + 1, today),
            DayLabel::Date {
                day: today + 1,
                with_year: false
            }
        );
        assert_eq!(weekday(0), 4, "1970-01-01 was a Thursday");
        assert_eq!(weekday(-1), 3);
    }

    /// `n` items one hour apart from `newest` (ms), newest first, on a list of `len`.
    fn page(len: usize, n: usize, newest: f64) -> Vec<Placed<usize>> {
        (0..n)
            .map(|i| {
                let time_ms = newest - i as f64 * H;
                Placed {
                    place: len - 1 - i,
                    day: local_day(time_ms, 0.0),
                    time_ms,
                    item: len - 1 - i,
                }
            })
            .collect()
    }

    fn keys<T>(rows: &[Row<T>]) -> Vec<String> {
        rows.iter().map(Row::key).collect()
    }

    #[test]
    fn a_heading_where_the_day_changes_and_blocks_split_at_it() {
        // Items at 04:00, 03:00, ... of day 10: five today, then day 9 from 23:00 on.
        let rows = layout(page(100, 8, 10.0 * DAY_MS + 4.0 * H), None);
        let shape: Vec<String> = rows
            .iter()
            .map(|r| match r {
                Row::Day { day, .. } => format!("day {day}"),
                Row::Block(_, items) => format!("{items:?}"),
                Row::NewSince | Row::NewEnd => "divider".to_owned(),
            })
            .collect();
        // Places 99..=92: the block of places 90-99 is cut at midnight.
        assert_eq!(
            shape,
            ["day 10", "[99, 98, 97, 96, 95]", "day 9", "[94, 93, 92]"]
        );
        let all: HashSet<String> = keys(&rows).into_iter().collect();
        assert_eq!(all.len(), rows.len(), "keys are unique");
    }

    #[test]
    fn the_divider_stands_above_the_items_newer_than_the_mark_and_ends_below_them() {
        let newest = 10.0 * DAY_MS + 12.0 * H;
        let rows = layout(page(100, 5, newest), Some(newest - 2.5 * H));
        let shape: Vec<String> = rows
            .iter()
            .map(|r| match r {
                Row::Day { .. } => "day".to_owned(),
                Row::NewSince => "new since".to_owned(),
                Row::NewEnd => "end".to_owned(),
                Row::Block(_, items) => format!("{items:?}"),
            })
            .collect();
        assert_eq!(
            shape,
            ["day", "new since", "[99, 98, 97]", "end", "[96, 95]"]
        );
        // Nothing newer than the mark: no divider. No mark (never looked): none either.
        for mark in [Some(newest), None] {
            let rows = layout(page(100, 5, newest), mark);
            assert!(!rows
                .iter()
                .any(|r| matches!(r, Row::NewSince | Row::NewEnd)));
        }
        // Everything new: the divider on top, no end on this page.
        let rows = layout(page(100, 5, newest), Some(0.0));
        assert!(matches!(rows[1], Row::NewSince));
        assert!(!rows.iter().any(|r| matches!(r, Row::NewEnd)));
    }

    #[test]
    fn new_items_over_two_days_keep_one_divider_with_the_days_inside() {
        // 01:00 and 00:00 of day 10, then 23:00, 22:00 of day 9: the mark at 22:30.
        let newest = 10.0 * DAY_MS + H;
        let rows = layout(page(50, 4, newest), Some(newest - 2.5 * H));
        let shape: Vec<String> = rows
            .iter()
            .map(|r| match r {
                Row::Day { day, .. } => format!("day {day}"),
                Row::NewSince => "new since".to_owned(),
                Row::NewEnd => "end".to_owned(),
                Row::Block(_, items) => format!("{items:?}"),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "day 10",
                "new since",
                "[49, 48]",
                "day 9",
                "[47]",
                "end",
                "[46]"
            ]
        );
    }

    #[test]
    fn an_item_out_of_order_is_not_new_and_keys_stay_unique() {
        // Newest first except one newer item below older ones, and day 3 coming back.
        let items = vec![
            Placed {
                place: 3,
                day: Some(3),
                time_ms: 3.0 * DAY_MS,
                item: 'a',
            },
            Placed {
                place: 2,
                day: Some(2),
                time_ms: 2.0 * DAY_MS,
                item: 'b',
            },
            Placed {
                place: 1,
                day: Some(3),
                time_ms: 3.5 * DAY_MS,
                item: 'c',
            },
            Placed {
                place: 0,
                day: None,
                time_ms: f64::NAN,
                item: 'd',
            },
        ];
        let rows = layout(items, Some(2.5 * DAY_MS));
        let news = rows.iter().filter(|r| matches!(r, Row::NewSince)).count();
        let ends = rows.iter().filter(|r| matches!(r, Row::NewEnd)).count();
        assert_eq!((news, ends), (1, 1));
        let ks = keys(&rows);
        let unique: HashSet<&String> = ks.iter().collect();
        assert_eq!(unique.len(), ks.len(), "{ks:?}");
        // 'c' is under a heading of its own day, below the divider's end.
        let end = ks.iter().position(|k| k == "new-end").unwrap();
        let c = rows
            .iter()
            .position(|r| matches!(r, Row::Block(_, items) if items == &vec!['c']))
            .unwrap();
        assert!(c > end);
        assert!(matches!(rows[c - 1], Row::Day { day: 3, repeat: 1 }));
    }

    #[test]
    fn a_new_item_on_top_changes_only_the_top_and_bottom_blocks() {
        let newest = 10.0 * DAY_MS + 20.0 * H;
        let step = 60_000.0;
        // The item at place p happened at a time of its own, whatever arrives after it.
        let list = |len: usize| -> Vec<Placed<usize>> {
            (0..100)
                .map(|i| {
                    let place = len - 1 - i;
                    let time_ms = newest + (place as f64 - 249.0) * step;
                    Placed {
                        place,
                        day: local_day(time_ms, 0.0),
                        time_ms,
                        item: place,
                    }
                })
                .collect()
        };
        for mark in [None, Some(newest - 3.5 * step)] {
            let before = layout(list(250), mark);
            let after = layout(list(251), mark);
            let blocks = |rows: &[Row<usize>]| -> Vec<(BlockId, Vec<usize>)> {
                rows.iter()
                    .filter_map(|r| match r {
                        Row::Block(id, items) => Some((*id, items.clone())),
                        _ => None,
                    })
                    .collect()
            };
            let (old, new) = (blocks(&before), blocks(&after));
            let changed = new.iter().filter(|b| !old.contains(b)).count();
            assert_eq!(changed, 2, "only the top and the bottom block ({mark:?})");
        }
    }
}

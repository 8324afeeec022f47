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

/// One part of a day's group.
#[derive(Clone, Debug, PartialEq)]
pub enum Part<T> {
    /// "New since you last looked": above the first item newer than the mark.
    NewSince,
    /// Where the new items end.
    NewEnd,
    /// A list of consecutive items of the day on one side of the divider, in blocks.
    List {
        /// Above the divider's end.
        new: bool,
        /// Its blocks.
        blocks: Vec<(BlockId, Vec<T>)>,
    },
}

impl<T> Part<T> {
    /// A key for the DOM, unique within its group (a group has at most one list on each side
    /// of the divider: the new items are the first ones).
    pub fn key(&self) -> &'static str {
        match self {
            Part::NewSince => "new-since",
            Part::NewEnd => "new-end",
            Part::List { new: true, .. } => "new",
            Part::List { new: false, .. } => "old",
        }
    }
}

/// The items of one day under its heading.
#[derive(Clone, Debug, PartialEq)]
pub struct DayGroup<T> {
    /// The local day (`None`: times that are no date; no heading).
    pub day: Option<i64>,
    /// 0, or a repeat's number (a day coming back: items out of order).
    pub repeat: u32,
    /// The divider's parts and the lists, in order.
    pub parts: Vec<Part<T>>,
}

impl<T> DayGroup<T> {
    /// A key for the DOM, unique among the groups of one layout.
    pub fn key(&self) -> String {
        let day = self.day.map_or("x".to_owned(), |d| d.to_string());
        match self.repeat {
            0 => format!("d{day}"),
            r => format!("d{day}-{r}"),
        }
    }
}

/// The page (in list order, newest first) as groups, one per day, each under a heading: the
/// divider above the items newer than `mark` (they are the first ones: the list is newest
/// first; an item out of order below an older one is not new) and its end below them (at the
/// end of its day's group when the next day's items are old), and the items in lists of
/// blocks of at most [`BLOCK`] places counted from the oldest end of the list.
///
/// A notification arriving on top changes only the top block (and the bottom one, whose last
/// item leaves the page): the others hold the same items under the same ids, so a new item
/// costs a dozen comparisons, not one per item on the page.
pub fn layout<T>(
    items: impl IntoIterator<Item = Placed<T>>,
    mark: Option<f64>,
) -> Vec<DayGroup<T>> {
    let mut groups: Vec<DayGroup<T>> = Vec::new();
    let mut days_seen: HashSet<Option<i64>> = HashSet::new();
    let mut repeats: u32 = 0;
    let mut blocks_seen: HashSet<BlockId> = HashSet::new();
    // Once an item is not new, none after it is.
    let mut still_new = mark.is_some();
    let mut divided = false;
    for p in items {
        let new = still_new && mark.is_some_and(|m| p.time_ms > m);
        if !new && still_new {
            still_new = false;
            if let (true, Some(group)) = (divided, groups.last_mut()) {
                group.parts.push(Part::NewEnd);
            }
        }
        if groups.last().is_none_or(|g| g.day != p.day) {
            let repeat = if days_seen.insert(p.day) {
                0
            } else {
                repeats += 1;
                repeats
            };
            groups.push(DayGroup {
                day: p.day,
                repeat,
                parts: Vec::new(),
            });
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        if new && !divided {
            divided = true;
            group.parts.push(Part::NewSince);
        }
        if !matches!(group.parts.last(), Some(Part::List { new: n, .. }) if *n == new) {
            group.parts.push(Part::List {
                new,
                blocks: Vec::new(),
            });
        }
        let Some(Part::List { blocks, .. }) = group.parts.last_mut() else {
            continue;
        };
        let mut id = BlockId {
            chunk: p.place / BLOCK,
            day: p.day,
            new,
            repeat: 0,
        };
        match blocks.last_mut() {
            Some((last, block)) if last.chunk == id.chunk => block.push(p.item),
            _ => {
                while !blocks_seen.insert(id) {
                    id.repeat += 1;
                }
                blocks.push((id, vec![p.item]));
            }
        }
    }
    groups
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

    /// The layout in reading order: "day 10", "new since", "end", each block's items.
    fn shape<T: std::fmt::Debug>(groups: &[DayGroup<T>]) -> Vec<String> {
        let mut out = Vec::new();
        for g in groups {
            out.push(g.day.map_or("no day".to_owned(), |d| format!("day {d}")));
            for part in &g.parts {
                match part {
                    Part::NewSince => out.push("new since".to_owned()),
                    Part::NewEnd => out.push("end".to_owned()),
                    Part::List { blocks, .. } => {
                        out.extend(blocks.iter().map(|(_, items)| format!("{items:?}")))
                    }
                }
            }
        }
        out
    }

    /// Every key is unique where the DOM needs it: groups among groups, parts within their
    /// group, blocks among all blocks.
    fn assert_unique_keys<T>(groups: &[DayGroup<T>]) {
        let keys: HashSet<String> = groups.iter().map(DayGroup::key).collect();
        assert_eq!(keys.len(), groups.len(), "group keys");
        let mut blocks = HashSet::new();
        for g in groups {
            let parts: HashSet<&str> = g.parts.iter().map(Part::key).collect();
            assert_eq!(parts.len(), g.parts.len(), "part keys in {}", g.key());
            for part in &g.parts {
                if let Part::List { blocks: b, .. } = part {
                    for (id, _) in b {
                        assert!(blocks.insert(id.key()), "block key {}", id.key());
                    }
                }
            }
        }
    }

    #[test]
    fn a_heading_where_the_day_changes_and_blocks_split_at_it() {
        // Items at 04:00, 03:00, ... of day 10: five today, then day 9 from 23:00 on.
        let groups = layout(page(100, 8, 10.0 * DAY_MS + 4.0 * H), None);
        // Places 99..=92: the block of places 90-99 is cut at midnight.
        assert_eq!(
            shape(&groups),
            ["day 10", "[99, 98, 97, 96, 95]", "day 9", "[94, 93, 92]"]
        );
        assert_unique_keys(&groups);
        // A block holds at most BLOCK places.
        let groups = layout(page(100, 15, 10.0 * DAY_MS + 23.0 * H), None);
        assert_eq!(
            shape(&groups),
            [
                "day 10",
                "[99, 98, 97, 96, 95, 94, 93, 92, 91, 90]",
                "[89, 88, 87, 86, 85]"
            ]
        );
    }

    #[test]
    fn the_divider_stands_above_the_items_newer_than_the_mark_and_ends_below_them() {
        let newest = 10.0 * DAY_MS + 12.0 * H;
        let groups = layout(page(100, 5, newest), Some(newest - 2.5 * H));
        assert_eq!(
            shape(&groups),
            ["day 10", "new since", "[99, 98, 97]", "end", "[96, 95]"]
        );
        assert_unique_keys(&groups);
        // Nothing newer than the mark: no divider. No mark (never looked): none either.
        for mark in [Some(newest), None] {
            let groups = layout(page(100, 5, newest), mark);
            assert_eq!(shape(&groups), ["day 10", "[99, 98, 97, 96, 95]"]);
        }
        // Everything new: the divider on top, no end on this page.
        let groups = layout(page(100, 5, newest), Some(0.0));
        assert_eq!(
            shape(&groups),
            ["day 10", "new since", "[99, 98, 97, 96, 95]"]
        );
    }

    #[test]
    fn new_items_over_two_days_keep_one_divider_with_the_days_inside() {
        // 01:00 and 00:00 of day 10, then 23:00, 22:00 of day 9: the mark at 22:30.
        let newest = 10.0 * DAY_MS + H;
        let groups = layout(page(50, 4, newest), Some(newest - 2.5 * H));
        assert_eq!(
            shape(&groups),
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
        assert_unique_keys(&groups);
        // The end falls at midnight: it closes the day before the next heading.
        let groups = layout(page(50, 4, newest), Some(newest - 1.5 * H));
        assert_eq!(
            shape(&groups),
            [
                "day 10",
                "new since",
                "[49, 48]",
                "end",
                "day 9",
                "[47, 46]"
            ]
        );
    }

    #[test]
    fn an_item_out_of_order_is_not_new_and_keys_stay_unique() {
        // Newest first except one newer item below older ones, and day 3 coming back.
        let placed = |place, day, time_ms, item| Placed {
            place,
            day,
            time_ms,
            item,
        };
        let items = vec![
            placed(3, Some(3), 3.0 * DAY_MS, 'a'),
            placed(2, Some(2), 2.0 * DAY_MS, 'b'),
            placed(1, Some(3), 3.5 * DAY_MS, 'c'),
            placed(0, None, f64::NAN, 'd'),
        ];
        let groups = layout(items, Some(2.5 * DAY_MS));
        assert_eq!(
            shape(&groups),
            [
                "day 3",
                "new since",
                "['a']",
                "end",
                "day 2",
                "['b']",
                "day 3",
                "['c']",
                "no day",
                "['d']"
            ]
        );
        assert_eq!(groups[2].repeat, 1);
        assert_unique_keys(&groups);
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
        let blocks = |groups: &[DayGroup<usize>]| -> Vec<(BlockId, Vec<usize>)> {
            groups
                .iter()
                .flat_map(|g| &g.parts)
                .flat_map(|p| match p {
                    Part::List { blocks, .. } => blocks.clone(),
                    _ => Vec::new(),
                })
                .collect()
        };
        for mark in [None, Some(newest - 3.5 * step)] {
            let (old, new) = (
                blocks(&layout(list(250), mark)),
                blocks(&layout(list(251), mark)),
            );
            let changed = new.iter().filter(|b| !old.contains(b)).count();
            assert_eq!(changed, 2, "only the top and the bottom block ({mark:?})");
        }
    }
}

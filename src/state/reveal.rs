//! Which items of a page enter the DOM in one render. Building an item's DOM is the dearest
//! part of showing a notification (a dozen elements and their attributes), so a render adds at
//! most a budget of new items — the newest first, since the list is newest first — and keeps
//! every item already there; the rest follow in the next renders, a task apart. A burst that
//! replaces the whole first page then costs a few short renders instead of one long one (the
//! main thread stays free for input), and an item that falls off the page before its turn is
//! never built at all. The top of the list is always the newest; the page is complete once the
//! burst is over.

use std::collections::HashSet;
use std::hash::Hash;

/// New items one render may add.
pub const NEW_PER_RENDER: usize = 12;

/// Of `page` (keys in list order), the positions to render now, and whether that is all of
/// them: every key in `in_dom`, and the first `budget` keys that are not, among the first `top`
/// positions (the top of the list, what is on screen; `page.len()` for anywhere).
pub fn reveal<K: Eq + Hash>(
    page: &[K],
    in_dom: &HashSet<K>,
    budget: usize,
    top: usize,
) -> (Vec<usize>, bool) {
    let mut left = budget;
    let mut complete = true;
    let take = (0..page.len())
        .filter(|&i| {
            if in_dom.contains(&page[i]) {
                true
            } else if left > 0 && i < top {
                left -= 1;
                true
            } else {
                complete = false;
                false
            }
        })
        .collect();
    (take, complete)
}

/// How many items of `item_height`, counted from one whose top is at `top`, it takes to reach
/// the bottom of a window of `window_height` (all in CSS pixels, from the window's top; the
/// ones scrolled past above it count): at least one, at most [`NEW_PER_RENDER`]; that many
/// where nothing is known (no item, hidden).
pub fn items_fitting(window_height: f64, top: f64, item_height: f64) -> usize {
    if !(item_height > 0.0 && item_height.is_finite() && (window_height - top).is_finite()) {
        return NEW_PER_RENDER;
    }
    let below = (window_height - top).max(0.0);
    ((below / item_height).ceil() as usize).clamp(1, NEW_PER_RENDER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[u32]) -> HashSet<u32> {
        keys.iter().copied().collect()
    }

    #[test]
    fn a_page_already_on_screen_is_rendered_whole() {
        let page = [5, 4, 3, 2, 1];
        assert_eq!(
            reveal(&page, &set(&page), 0, 5),
            (vec![0, 1, 2, 3, 4], true)
        );
    }

    #[test]
    fn new_items_enter_newest_first_within_the_budget() {
        // Three new on top of two known: a budget of two shows the two newest now.
        let page = [9, 8, 7, 2, 1];
        assert_eq!(
            reveal(&page, &set(&[2, 1]), 2, 5),
            (vec![0, 1, 3, 4], false)
        );
        // The next render, with those in the DOM, completes the page.
        assert_eq!(
            reveal(&page, &set(&[9, 8, 2, 1]), 2, 5),
            (vec![0, 1, 2, 3, 4], true)
        );
    }

    #[test]
    fn a_whole_new_page_takes_a_few_renders_and_always_converges() {
        let page: Vec<u32> = (0..100).rev().collect();
        let mut in_dom = HashSet::new();
        let mut renders = 0;
        loop {
            let (take, complete) = reveal(&page, &in_dom, NEW_PER_RENDER, page.len());
            renders += 1;
            assert!(take.windows(2).all(|w| w[0] < w[1]), "list order kept");
            assert_eq!(take[0], 0, "the newest is always on top");
            in_dom = take.iter().map(|&i| page[i]).collect();
            if complete {
                break;
            }
        }
        assert_eq!(renders, 100usize.div_ceil(NEW_PER_RENDER));
        assert_eq!(in_dom.len(), 100);
    }

    #[test]
    fn items_gone_from_the_page_leave_the_dom() {
        let (take, complete) = reveal(&[3, 2], &set(&[3, 2, 1]), 0, 2);
        assert_eq!((take, complete), (vec![0, 1], true));
    }

    #[test]
    fn only_the_top_is_built_when_asked() {
        // Typing a search: the kept items stay wherever they are, new ones only on top.
        let page = [9, 8, 7, 6, 5, 4];
        let (take, complete) = reveal(&page, &set(&[8, 4]), 10, 3);
        assert_eq!((take, complete), (vec![0, 1, 2, 5], false));
        // With the top on screen already, nothing new is built.
        let (take, complete) = reveal(&page, &set(&[9, 8, 7]), 10, 3);
        assert_eq!((take, complete), (vec![0, 1, 2], false));
        // The whole page fits in the top: complete.
        let (take, complete) = reveal(&page[..2], &set(&[]), 10, 3);
        assert_eq!((take, complete), (vec![0, 1], true));
    }

    #[test]
    fn the_items_a_window_shows_are_counted_from_the_first() {
        // 720 px, the list from 315 px, items of 73: five whole ones and part of a sixth.
        assert_eq!(items_fitting(720.0, 315.0, 73.0), 6);
        // A tall window still builds no more than a render may.
        assert_eq!(items_fitting(4000.0, 0.0, 40.0), NEW_PER_RENDER);
        // The list below the window: one, the top, still.
        assert_eq!(items_fitting(720.0, 900.0, 73.0), 1);
        // Scrolled past the first two: the three in the window are the third to the fifth.
        assert_eq!(items_fitting(300.0, -200.0, 100.0), 5);
        assert_eq!(items_fitting(300.0, -2000.0, 100.0), NEW_PER_RENDER);
        // Nothing known (hidden, not laid out): a render's budget.
        assert_eq!(items_fitting(720.0, 0.0, 0.0), NEW_PER_RENDER);
        assert_eq!(items_fitting(f64::NAN, 0.0, 73.0), NEW_PER_RENDER);
        assert_eq!(items_fitting(720.0, 0.0, f64::INFINITY), NEW_PER_RENDER);
    }
}

//! Where the toast stack goes so that it covers no control.
//!
//! A toast that lands on a button the user is about to press (a failed job's Acknowledge, say)
//! takes the click. So the stack is not pinned to a corner: it takes the lowest place, on the
//! viewport's inline-end side first, then on its inline-start side, where it overlaps no
//! control on screen; where the whole stack fits nowhere it folds into its one-line summary;
//! where even that fits nowhere it stays out of sight (the polite announcement, the inbox and
//! the title's count still say what arrived) until the page moves and a place frees up.
//!
//! Pure: the toast host measures the viewport, the stack and the controls, and applies the
//! answer. Coordinates are CSS pixels from the viewport's top-left corner.

/// A box on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// The viewport the stack lives in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Width (without a scroll bar).
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Space kept between the stack and the viewport's edges, and between it and a control.
    pub margin: f64,
    /// Whether the inline-end side is the right one (left-to-right pages).
    pub end_is_right: bool,
}

/// Where the stack goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placement {
    /// Every toast, with its top-left corner here.
    Full {
        /// Left edge.
        x: f64,
        /// Top edge.
        y: f64,
    },
    /// Folded into its summary line, with its top-left corner here.
    Folded {
        /// Left edge.
        x: f64,
        /// Top edge.
        y: f64,
    },
    /// Nowhere on screen.
    Away,
}

/// The lowest place for a `width` × `height` box on the inline-end side, then on the
/// inline-start side, that overlaps none of `controls` (each kept `margin` away).
pub fn lowest_free(
    view: &Viewport,
    width: f64,
    height: f64,
    controls: &[Rect],
) -> Option<(f64, f64)> {
    let m = view.margin;
    if !(width > 0.0 && height > 0.0) || height > view.height - 2.0 * m {
        return None;
    }
    let right = (view.width - m - width).max(m);
    let (end, start) = if view.end_is_right {
        (right, m)
    } else {
        (m, right)
    };
    let sides: &[f64] = if (end - start).abs() < 0.5 {
        &[end]
    } else {
        &[end, start]
    };
    // Controls grown by the margin: the stack keeps clear of them by that much.
    let grown: Vec<Rect> = controls
        .iter()
        .filter(|c| c.w > 0.0 && c.h > 0.0)
        .map(|c| Rect {
            x: c.x - m,
            y: c.y - m,
            w: c.w + 2.0 * m,
            h: c.h + 2.0 * m,
        })
        .collect();
    for &x in sides {
        let column: Vec<&Rect> = grown
            .iter()
            .filter(|c| c.x < x + width && x < c.x + c.w)
            .collect();
        // The lowest free place has its bottom at the viewport's bottom margin or against a
        // control's top: nothing lower can be free without one of these being free.
        let mut bottoms: Vec<f64> = std::iter::once(view.height - m)
            .chain(column.iter().map(|c| c.y))
            .filter(|b| *b <= view.height - m && *b - height >= m)
            .collect();
        // Lowest first (the same sort as elsewhere in the app: one copy of it in the wasm).
        bottoms.sort_by(f64::total_cmp);
        for bottom in bottoms.into_iter().rev() {
            let spot = Rect {
                x,
                y: bottom - height,
                w: width,
                h: height,
            };
            if !column.iter().any(|c| c.overlaps(&spot)) {
                return Some((spot.x, spot.y));
            }
        }
    }
    None
}

/// Where a stack of `width` that is `full` high with every toast, or `folded` high as its
/// summary line, goes among `controls`.
pub fn place(view: &Viewport, width: f64, full: f64, folded: f64, controls: &[Rect]) -> Placement {
    if let Some((x, y)) = lowest_free(view, width, full, controls) {
        Placement::Full { x, y }
    } else if let Some((x, y)) = lowest_free(view, width, folded, controls) {
        Placement::Folded { x, y }
    } else {
        Placement::Away
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Viewport = Viewport {
        width: 1024.0,
        height: 700.0,
        margin: 16.0,
        end_is_right: true,
    };

    fn rect(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    #[test]
    fn with_nothing_in_the_way_it_sits_in_the_end_corner() {
        assert_eq!(
            place(&VIEW, 384.0, 200.0, 40.0, &[]),
            Placement::Full {
                x: 1024.0 - 16.0 - 384.0,
                y: 700.0 - 16.0 - 200.0
            }
        );
        let rtl = Viewport {
            end_is_right: false,
            ..VIEW
        };
        assert_eq!(
            place(&rtl, 384.0, 200.0, 40.0, &[]),
            Placement::Full { x: 16.0, y: 484.0 }
        );
    }

    #[test]
    fn it_rises_above_a_button_in_the_corner() {
        // The case: a failed job's Acknowledge near the bottom of the end column.
        let acknowledge = rect(800.0, 560.0, 120.0, 36.0);
        let Placement::Full { x, y } = place(&VIEW, 384.0, 200.0, 40.0, &[acknowledge]) else {
            panic!("fits above the button")
        };
        let stack = rect(x, y, 384.0, 200.0);
        assert!(!stack.overlaps(&acknowledge));
        assert_eq!(
            (x, y + 200.0),
            (624.0, 560.0 - 16.0),
            "right above it, margin kept"
        );
    }

    #[test]
    fn it_crosses_to_the_start_side_when_the_end_side_is_full() {
        // A column of buttons every 100 px down the end side.
        let buttons: Vec<Rect> = (0..7)
            .map(|i| rect(700.0, 20.0 + 100.0 * i as f64, 300.0, 30.0))
            .collect();
        let Placement::Full { x, y } = place(&VIEW, 384.0, 200.0, 40.0, &buttons) else {
            panic!("the start side is free")
        };
        assert_eq!((x, y), (16.0, 484.0));
    }

    #[test]
    fn it_folds_when_only_a_line_fits_and_goes_away_when_nothing_does() {
        let buttons: Vec<Rect> = (0..6)
            .map(|i| rect(0.0, 20.0 + 120.0 * i as f64, 1024.0, 30.0))
            .collect();
        let Placement::Folded { x, y } = place(&VIEW, 384.0, 200.0, 40.0, &buttons) else {
            panic!("a line fits between two rows of buttons")
        };
        let line = rect(x, y, 384.0, 40.0);
        assert!(buttons.iter().all(|b| !b.overlaps(&line)));
        let dense: Vec<Rect> = (0..35)
            .map(|i| rect(0.0, 20.0 * i as f64, 1024.0, 18.0))
            .collect();
        assert_eq!(place(&VIEW, 384.0, 200.0, 40.0, &dense), Placement::Away);
    }

    #[test]
    fn on_a_phone_there_is_one_side_and_controls_off_screen_do_not_count() {
        let phone = Viewport {
            width: 360.0,
            height: 740.0,
            margin: 16.0,
            end_is_right: true,
        };
        let below = rect(0.0, 900.0, 360.0, 40.0);
        let above = rect(0.0, -200.0, 360.0, 40.0);
        assert_eq!(
            place(&phone, 328.0, 150.0, 40.0, &[below, above]),
            Placement::Full {
                x: 16.0,
                y: 740.0 - 16.0 - 150.0
            }
        );
    }

    #[test]
    fn a_stack_taller_than_the_viewport_or_empty_has_no_place() {
        assert_eq!(lowest_free(&VIEW, 384.0, 690.0, &[]), None);
        assert_eq!(lowest_free(&VIEW, 384.0, 0.0, &[]), None);
        assert_eq!(lowest_free(&VIEW, 384.0, f64::NAN, &[]), None);
    }

    #[test]
    fn every_answer_is_clear_of_every_control() {
        // A deterministic scatter of buttons: whatever the answer, it overlaps none of them.
        let mut seed = 7u64;
        let mut next = |n: f64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64 * n
        };
        for _ in 0..200 {
            let controls: Vec<Rect> = (0..12)
                .map(|_| {
                    rect(
                        next(1000.0),
                        next(700.0),
                        20.0 + next(200.0),
                        20.0 + next(30.0),
                    )
                })
                .collect();
            let (w, full, folded) = (384.0, 60.0 + next(200.0), 40.0);
            let (x, y, h) = match place(&VIEW, w, full, folded, &controls) {
                Placement::Full { x, y } => (x, y, full),
                Placement::Folded { x, y } => (x, y, folded),
                Placement::Away => continue,
            };
            let stack = rect(x, y, w, h);
            assert!(controls.iter().all(|c| !c.overlaps(&stack)), "{stack:?}");
            assert!(y >= 16.0 && y + h <= 684.0 && x >= 16.0 && x + w <= 1008.0);
        }
    }
}

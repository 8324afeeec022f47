//! Running text as the screen shows it: codes like "FAR-0015" isolated and kept on one line
//! (see [`crate::state::codes`]), and the search's hits marked. Text is always text: HTML in it
//! is shown literally.

use std::ops::Range;

use yew::prelude::*;

use crate::state::codes::{hits_within, is_code, pieces, Piece};
use crate::state::inbox::query::split_highlights;

/// `text` with `hits` (byte ranges, in order) marked (`<mark>`).
pub fn marked(text: &str, hits: &[Range<usize>]) -> Html {
    if hits.is_empty() {
        return html! { { text.to_owned() } };
    }
    split_highlights(text, hits)
        .into_iter()
        .map(|(piece, hit)| {
            if hit {
                html! { <mark>{ piece.to_owned() }</mark> }
            } else {
                html! { { piece.to_owned() } }
            }
        })
        .collect()
}

/// A code, isolated (`<bdi>`: its hyphen and digits keep their order inside Arabic) and
/// unbroken (class `code`: no line ends inside it), with `hits` marked.
fn code(code: &str, hits: &[Range<usize>]) -> Html {
    html! { <bdi class="code">{ marked(code, hits) }</bdi> }
}

/// A reference shown on its own (a transaction's code), with `hits` marked: isolated, and
/// kept whole when it looks like a code (a hostile 100-character one may still wrap).
pub fn reference(text: &str, hits: &[Range<usize>]) -> Html {
    if is_code(text) {
        code(text, hits)
    } else {
        html! { <bdi>{ marked(text, hits) }</bdi> }
    }
}

/// `text` with every code in it drawn by [`code`], and `hits` (byte ranges into `text`, in
/// order, as the search gives them) marked; a hit across a code's edge is marked on both sides.
pub fn with_codes(text: &str, hits: &[Range<usize>]) -> Html {
    match pieces(text).as_slice() {
        [Piece::Text(_)] => marked(text, hits),
        pieces => {
            let mut at = 0;
            pieces
                .iter()
                .map(|p| {
                    let (Piece::Text(s) | Piece::Code(s)) = *p;
                    let within = hits_within(hits, at..at + s.len());
                    at += s.len();
                    match p {
                        Piece::Text(_) => marked(s, &within),
                        Piece::Code(_) => code(s, &within),
                    }
                })
                .collect()
        }
    }
}

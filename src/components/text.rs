//! Running text as the screen shows it: codes like "FAR-0015" isolated and kept on one line
//! (see [`crate::state::codes`]). Text is always text: HTML in it is shown literally. The
//! search's hits are painted over these texts as they are (see `inbox::tools::Hits`).

use yew::prelude::*;

use crate::state::codes::{is_code, pieces, Piece};

/// A code, isolated (`<bdi>`: its hyphen and digits keep their order inside Arabic) and
/// unbroken (class `code`: no line ends inside it).
fn code(code: &str) -> Html {
    html! { <bdi class="code">{ code.to_owned() }</bdi> }
}

/// A reference shown on its own (a transaction's code): isolated, and kept whole when it
/// looks like a code (a hostile 100-character one may still wrap).
pub fn reference(text: &str) -> Html {
    if is_code(text) {
        code(text)
    } else {
        html! { <bdi>{ text.to_owned() }</bdi> }
    }
}

/// `text` with every code in it drawn by [`code`].
pub fn with_codes(text: &str) -> Html {
    match pieces(text).as_slice() {
        [Piece::Text(_)] => html! { { text.to_owned() } },
        pieces => pieces
            .iter()
            .map(|p| match *p {
                Piece::Text(s) => html! { { s.to_owned() } },
                Piece::Code(s) => code(s),
            })
            .collect(),
    }
}

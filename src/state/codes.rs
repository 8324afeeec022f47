//! Codes like "FAR-0015" in running text. In an Arabic sentence a code is a left-to-right island:
//! unless it is isolated (bidi) and kept whole, a line can end after its hyphen, leaving "FAR-"
//! at one line's end and "0015" at the next one's start. The inbox, the toasts and the upload
//! cards cut their texts with [`pieces`] and draw each code isolated and unbroken.

/// The longest run shown unbroken: a longer one (hostile, or not a code) may wrap like any text.
pub const CODE_MAX: usize = 32;

/// A part of a text: plain text, or a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as it is.
    Text(&'a str),
    /// A code: letters and digits joined by hyphens, with at least one of each.
    Code(&'a str),
}

/// Whether `token` (ASCII letters, digits and hyphens) is a code: parts joined by single
/// hyphens, some letter and some digit, at most [`CODE_MAX`] long.
pub fn is_code(token: &str) -> bool {
    token.len() <= CODE_MAX
        && token.contains('-')
        && token.split('-').all(|part| !part.is_empty())
        && token.bytes().any(|b| b.is_ascii_alphabetic())
        && token.bytes().any(|b| b.is_ascii_digit())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `text` cut into plain text and codes, in order; concatenated they give `text` back.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    if !text.contains('-') {
        return vec![Piece::Text(text)];
    }
    let is_token = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_token(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !is_token(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        // Hyphens at a run's ends are punctuation ("-FAR-1-"), not part of the code.
        let run = &text[start..end];
        let lead = run.len() - run.trim_start_matches('-').len();
        let token = run.trim_matches('-');
        if is_code(token) {
            let from = start + lead;
            if from > plain_from {
                out.push(Piece::Text(&text[plain_from..from]));
            }
            out.push(Piece::Code(token));
            plain_from = from + token.len();
        }
    }
    if plain_from < text.len() || out.is_empty() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Piece::{Code, Text};
    use super::*;

    fn joined(p: &[Piece<'_>]) -> String {
        p.iter()
            .map(|p| match p {
                Text(s) | Code(s) => *s,
            })
            .collect()
    }

    #[test]
    fn a_code_in_an_arabic_sentence_is_cut_out() {
        let text = "تمت إعادة مناقلة الميزانية FAR-0015 لإجراء تعديلات";
        assert_eq!(
            pieces(text),
            [
                Text("تمت إعادة مناقلة الميزانية "),
                Code("FAR-0015"),
                Text(" لإجراء تعديلات")
            ]
        );
    }

    #[test]
    fn codes_at_the_ends_and_in_punctuation() {
        assert_eq!(pieces("FAR-0015"), [Code("FAR-0015")]);
        assert_eq!(
            pieces("(FAR-0012), FEB-26."),
            [
                Text("("),
                Code("FAR-0012"),
                Text("), "),
                Code("FEB-26"),
                Text(".")
            ]
        );
        assert_eq!(pieces("-FAR-1-"), [Text("-"), Code("FAR-1"), Text("-")]);
        assert_eq!(
            pieces("FAR-2025-0015 x"),
            [Code("FAR-2025-0015"), Text(" x")]
        );
    }

    #[test]
    fn what_is_not_a_code_stays_text() {
        for text in [
            "",
            "no hyphen FAR0015",
            "2025-12-30",
            "well-known",
            "FAR--0015",
            "a - 1",
            "الرمز-١٥",
        ] {
            assert_eq!(pieces(text), [Text(text)], "{text:?}");
        }
        let long = format!("A-{}", "1".repeat(CODE_MAX));
        assert_eq!(pieces(&long), [Text(long.as_str())]);
    }

    #[test]
    fn the_pieces_give_the_text_back() {
        for text in [
            "Budget transfer FAR-0015 was returned, see FAR-0014 and x-1-y",
            "ééé-1 FAR-٠١ A-1\u{200f}B-2",
            "--",
            "-",
        ] {
            assert_eq!(joined(&pieces(text)), text, "{text:?}");
        }
    }
}

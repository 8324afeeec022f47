//! Caps on server text. A 200 KB message is legal on the wire: the inbox shows it whole, but
//! what is repeated elsewhere (toasts, the live announcement, desktop notifications, the
//! per-user caches, upload cards) is clipped here, in one place, on a character boundary.

use std::borrow::Cow;

/// Characters a toast, a live announcement or a desktop notification shows at most.
pub const SHORT_TEXT_MAX: usize = 1_000;

/// Characters one text field keeps in a persisted cache (and in an upload job) at most.
/// Real messages are a sentence or two; 500 cached items × a few fields stays far below a
/// `localStorage` quota even when every field is this long.
pub const STORED_TEXT_MAX: usize = 2_000;

/// The mark that ends clipped text.
pub const ELLIPSIS: char = '…';

/// `text` cut to at most `max` characters (Unicode scalar values, the ellipsis included),
/// never inside a character; text that fits is borrowed unchanged. Only the first `max`
/// characters are looked at, so clipping a huge string costs what the short one does.
///
/// ```
/// # use herald::protocol::clip;
/// assert_eq!(clip("hello", 10), "hello");
/// assert_eq!(clip("hello world", 6), "hello…");
/// assert_eq!(clip("مرحبا بالعالم", 6), "مرحبا…");
/// ```
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    // Byte index of the character at position `max`: none means the text fits.
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return Cow::Borrowed(text);
    };
    if max == 0 {
        return Cow::Borrowed("");
    }
    // Keep `max - 1` characters and the ellipsis. `cut` is a char boundary; stepping back one
    // character from it is too.
    let keep = text[..cut].char_indices().next_back().map_or(0, |(i, _)| i);
    let kept = text[..keep].trim_end_matches(is_dangling);
    let mut out = String::with_capacity(kept.len() + ELLIPSIS.len_utf8());
    out.push_str(kept);
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// [`clip`] into an owned `String` (for fields that are stored).
pub fn clip_owned(text: String, max: usize) -> String {
    match clip(&text, max) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clipped) => clipped,
    }
}

/// Characters that must not end clipped text: a joiner or a direction mark left dangling
/// before the ellipsis would glue it to the cut word or flip its direction.
fn is_dangling(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A server message in a language (Arabic when `arabic`): the Arabic or English variant when it has text,
/// else the other one, else the plain `message` (the backend sends any subset of the three).
pub fn server_text<'a>(
    arabic: bool,
    eng: Option<&'a str>,
    ara: Option<&'a str>,
    message: Option<&'a str>,
) -> Option<&'a str> {
    let (first, second) = if arabic { (ara, eng) } else { (eng, ara) };
    let has_text = |s: &&str| !s.trim().is_empty();
    first
        .filter(has_text)
        .or(second.filter(has_text))
        .or(message)
}

/// A notification's text in a language: its Arabic or English variant when that has text,
/// else the other, else the plain `message` (live frames and history rows alike).
pub fn message_text<'a>(
    arabic: bool,
    message: &'a str,
    eng: Option<&'a str>,
    ara: Option<&'a str>,
) -> &'a str {
    server_text(arabic, eng, ara, None).unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_prefers_the_users_language_then_the_other_then_message() {
        let (en, ar, m) = (Some("Hello"), Some("مرحبا"), Some("plain"));
        assert_eq!(server_text(false, en, ar, m), en);
        assert_eq!(server_text(true, en, ar, m), ar);
        assert_eq!(server_text(true, en, Some("  "), m), en);
        assert_eq!(server_text(false, None, ar, m), ar);
        assert_eq!(server_text(false, Some(""), None, m), m);
        assert_eq!(server_text(true, None, None, None), None);
    }

    #[test]
    fn short_text_is_borrowed_unchanged() {
        for t in ["", "a", "hello", "مرحبا"] {
            assert!(matches!(clip(t, 5), Cow::Borrowed(s) if s == t), "{t}");
        }
        assert!(matches!(clip("", 0), Cow::Borrowed("")));
    }

    #[test]
    fn long_text_ends_in_an_ellipsis_within_the_cap() {
        let long = "x".repeat(200 * 1024);
        let c = clip(&long, SHORT_TEXT_MAX);
        assert_eq!(c.chars().count(), SHORT_TEXT_MAX);
        assert!(c.ends_with(ELLIPSIS));
        assert!(c.starts_with("xxx"));
        assert_eq!(clip("abcdef", 1), "…");
        assert_eq!(clip("abcdef", 0), "");
        assert_eq!(clip("abcdef", 6), "abcdef");
        assert_eq!(clip("abcdefg", 6), "abcde…");
    }

    #[test]
    fn multi_byte_characters_are_never_split() {
        // Arabic (2 bytes a letter), CJK (3), emoji (4), mixed.
        let arabic = "مرحبا بالعالم ".repeat(10_000);
        let c = clip(&arabic, 7);
        assert_eq!(c, "مرحبا …");
        assert_eq!(clip("日本語のテキスト", 4), "日本語…");
        assert_eq!(clip("😀😃😄😁😆", 3), "😀😃…");
        assert_eq!(clip("aé😀بx", 4), "aé😀…");
        for max in 0..40 {
            let c = clip(&arabic, max);
            assert!(c.chars().count() <= max, "{max}");
        }
    }

    #[test]
    fn no_dangling_joiner_or_direction_mark_before_the_ellipsis() {
        assert_eq!(clip("ab\u{200D}cdef", 4), "ab…");
        assert_eq!(clip("ab\u{202B}\u{200F}cdef", 5), "ab…");
    }

    #[test]
    fn owned_variant() {
        assert_eq!(clip_owned("short".into(), 10), "short");
        assert_eq!(clip_owned("ابجدهوز".into(), 4), "ابج…");
    }
}

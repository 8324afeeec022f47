//! Timestamps as the backend writes them, and how long ago they were. Pure: callers pass "now".

/// Parses a wire timestamp to ms since the epoch.
///
/// - With an offset (`...Z`, `+00:00`, `+03:00`): exact.
/// - Naive (`2025-12-30T12:40:49.474292`, the socket's server-local time in a zone the
///   client does not know): `None`, and the caller uses the arrival time (events are pushed as
///   they happen, so arrival is the honest fallback).
/// - Missing, null, garbage, or outside the years 0000–9999 (`+99999-01-01T00:00:00`
///   parses, but no event happened then; it would pin an item to the top forever): `None`.
///
/// The accepted shapes are RFC 3339's (`YYYY-MM-DD`, `T`/`t`/space, `HH:MM:SS`, an optional
/// `.` and fraction digits, `Z`/`z`/`±HH:MM`); a second of 60 is a leap second, as chrono read it. Fraction digits past the millisecond
/// are dropped.
///
/// ```
/// # use herald::state::time::parse_timestamp_ms;
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01Z"), Some(1000.0));
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01"), None);
/// ```
pub fn parse_timestamp_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    // The longest real form is ~35 characters; a 100 KB "timestamp" is not parsed at all.
    if text.len() > MAX_TIMESTAMP_LEN {
        return None;
    }
    let b = text.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |i: usize, n: usize| -> Option<i64> {
        b[i..i + n].iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let sep = |i: usize, c: u8| (b[i] == c).then_some(());
    let year = num(0, 4)?;
    sep(4, b'-')?;
    let month = num(5, 2)?;
    sep(7, b'-')?;
    let day = num(8, 2)?;
    let t = b[10];
    if !matches!(t, b'T' | b't' | b' ') {
        return None;
    }
    let hour = num(11, 2)?;
    sep(13, b':')?;
    let minute = num(14, 2)?;
    sep(16, b':')?;
    let second = num(17, 2)?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    let mut millis = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for (k, &c) in tail[..digits.min(3)].iter().enumerate() {
            millis += i64::from(c - b'0') * [100, 10, 1][k];
        }
        rest = &tail[digits..];
    }
    let offset_secs = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            offset(*sign == b'-', [*h1, *h2, *m1, *m2])?
        }
        // U+2212 MINUS SIGN, which RFC 3339 parsing accepted too.
        [0xE2, 0x88, 0x92, h1, h2, b':', m1, m2] => offset(true, [*h1, *h2, *m1, *m2])?,
        _ => return None,
    };
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
        - offset_secs;
    let ms = secs * 1_000 + millis;
    (MIN_MS..=MAX_MS).contains(&ms).then_some(ms as f64)
}

/// `±HH:MM` (hours 00–23, minutes 00–59) as seconds east of UTC.
fn offset(negative: bool, digits: [u8; 4]) -> Option<i64> {
    let [h1, h2, m1, m2] = digits.map(|c| c.is_ascii_digit().then(|| i64::from(c - b'0')));
    let (hours, minutes) = (h1? * 10 + h2?, m1? * 10 + m2?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    let secs = hours * 3_600 + minutes * 60;
    Some(if negative { -secs } else { secs })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Longer "timestamps" are garbage, refused before parsing.
const MAX_TIMESTAMP_LEN: usize = 64;
/// `0000-01-01T00:00:00Z`.
const MIN_MS: i64 = -62_167_219_200_000;
/// `9999-12-31T23:59:59.999Z`.
const MAX_MS: i64 = 253_402_300_799_999;

/// How long ago, in the unit a person would use; words come from [`crate::i18n`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ago {
    /// Under a minute (or in the future: clock skew).
    JustNow,
    /// Minutes.
    Minutes(i64),
    /// Hours.
    Hours(i64),
    /// One day.
    Yesterday,
    /// Days.
    Days(i64),
}

/// How long before `now_ms` `then_ms` was.
pub fn ago(then_ms: f64, now_ms: f64) -> Ago {
    let secs = ((now_ms - then_ms) / 1000.0).floor();
    if secs < 60.0 || !secs.is_finite() {
        return Ago::JustNow;
    }
    let mins = (secs / 60.0).floor() as i64;
    if mins < 60 {
        return Ago::Minutes(mins);
    }
    let hours = mins / 60;
    if hours < 24 {
        return Ago::Hours(hours);
    }
    match hours / 24 {
        1 => Ago::Yesterday,
        d => Ago::Days(d),
    }
}

/// The exact time at a zone `zone_ms` ahead of UTC, e.g. `2025-12-30 15:40:49`; empty outside
/// the years 0000–9999. Pure: the browser's zone is looked up by [`crate::format`].
pub fn exact_at(ms: f64, zone_ms: f64) -> String {
    if utc_ms(ms)
        .and_then(|ms| utc_ms(ms as f64 + zone_ms))
        .is_none()
    {
        return String::new();
    }
    let mut out = date_time(ms + zone_ms, b' ');
    out.truncate(19);
    out
}

/// `ms` as whole ms when it is a time in the years 0000–9999 (finite; `as` saturates, so no
/// float can wrap into a wrong date).
fn utc_ms(ms: f64) -> Option<i64> {
    let ms = ms.floor();
    (ms.is_finite() && (MIN_MS as f64..=MAX_MS as f64).contains(&ms)).then_some(ms as i64)
}

/// `YYYY-MM-DD?HH:MM:SSZ` of a time [`utc_ms`] accepts (callers check), `?` = `sep`.
fn date_time(ms: f64, sep: u8) -> String {
    let secs = (ms.floor() as i64).div_euclid(1_000);
    let (days, secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let mut out = Vec::with_capacity(20);
    for (n, width, after) in [
        (year, 4, b'-'),
        (month, 2, b'-'),
        (day, 2, sep),
        (secs / 3_600, 2, b':'),
        (secs / 60 % 60, 2, b':'),
        (secs % 60, 2, b'Z'),
    ] {
        for k in (0..width).rev() {
            out.push(b'0' + (n / 10_i64.pow(k) % 10) as u8);
        }
        out.push(after);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Machine-readable UTC time for `<time datetime>`; empty outside the years 0000–9999.
pub fn iso_utc(ms: f64) -> String {
    match utc_ms(ms) {
        Some(_) => date_time(ms, b'T'),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_form() {
        let z = parse_timestamp_ms("2025-12-30T12:40:49.474292Z").unwrap();
        let plus = parse_timestamp_ms("2025-12-30T12:40:49.474292+00:00").unwrap();
        assert_eq!(z, plus);
        assert_eq!(z, 1_767_098_449_474.0);
        let riyadh = parse_timestamp_ms("2025-12-30T15:40:49.474292+03:00").unwrap();
        assert_eq!(riyadh, z);
        // Naive: the server's zone is unknown.
        assert_eq!(parse_timestamp_ms("2025-12-30T12:40:49.474292"), None);
        assert_eq!(parse_timestamp_ms("2025-12-30 15:40:49"), None);
    }

    #[test]
    fn garbage_is_none() {
        for t in [
            "",
            "null",
            "yesterday",
            "2025-13-40T99:99:99",
            "12:40",
            "2025-12-30",
        ] {
            assert_eq!(parse_timestamp_ms(t), None, "{t}");
        }
    }

    #[test]
    fn shapes_chrono_also_read() {
        let z = 1_767_098_449_000.0;
        for t in [
            "2025-12-30t12:40:49Z",
            "2025-12-30 12:40:49z",
            "2025-12-30T15:40:49+03:00",
            "2025-12-30T07:10:49\u{2212}05:30",
            "  2025-12-30T12:40:49.000Z  ",
        ] {
            assert_eq!(parse_timestamp_ms(t), Some(z), "{t}");
        }
        // Fraction digits past the millisecond are dropped, not rounded.
        assert_eq!(
            parse_timestamp_ms("2025-12-30T12:40:49.9999999999Z"),
            Some(z + 999.0)
        );
        assert_eq!(
            parse_timestamp_ms("2025-12-30T12:40:49.5Z"),
            Some(z + 500.0)
        );
        // A leap second is the next minute's first.
        assert_eq!(
            parse_timestamp_ms("2016-12-31T23:59:60Z"),
            parse_timestamp_ms("2017-01-01T00:00:00Z")
        );
        // 29 February only in leap years (2000 is one, 1900 is not).
        assert!(parse_timestamp_ms("2000-02-29T00:00:00Z").is_some());
        assert!(parse_timestamp_ms("2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse_timestamp_ms("1900-02-29T00:00:00Z"), None);
        assert_eq!(parse_timestamp_ms("2025-02-29T00:00:00Z"), None);
        assert_eq!(parse_timestamp_ms("2025-04-31T00:00:00Z"), None);
        // Before 1970 and across an offset that changes the date.
        assert_eq!(parse_timestamp_ms("1969-12-31T23:59:59.5Z"), Some(-500.0));
        assert_eq!(
            parse_timestamp_ms("1970-01-01T02:00:00+03:00"),
            Some(-3_600_000.0)
        );
        // The naive form is never read; an offset form takes nothing after it.
        for t in [
            "2025-12-30T12:40:49.Z",
            "2025-12-30T12:40:49+0300",
            "2025-12-30T12:40:49+03",
            "2025-12-30T12:40:49+24:00",
            "2025-12-30T12:40:49+03:60",
            "2025-12-30T12:40:49ZZ",
            "2025-12-30T12:40:49Z.5",
            "2025-12-30T12:40:61Z",
            "2025-12-30T12:60:00Z",
            "2025-1-30T12:40:49Z",
            "2025-12-30T12:40:49\u{2212}",
            "2025-12-30T12:40:4９Z",
        ] {
            assert_eq!(parse_timestamp_ms(t), None, "{t}");
        }
    }

    #[test]
    fn relative_times() {
        let now = 10_000_000_000.0;
        assert_eq!(ago(now, now), Ago::JustNow);
        assert_eq!(ago(now + 5_000.0, now), Ago::JustNow);
        assert_eq!(ago(now - 59_000.0, now), Ago::JustNow);
        assert_eq!(ago(now - 120_000.0, now), Ago::Minutes(2));
        assert_eq!(ago(now - 3.0 * 3_600_000.0, now), Ago::Hours(3));
        assert_eq!(ago(now - 25.0 * 3_600_000.0, now), Ago::Yesterday);
        assert_eq!(ago(now - 72.0 * 3_600_000.0, now), Ago::Days(3));
    }

    #[test]
    fn impossible_timestamps_are_none_and_never_panic() {
        for t in [
            "+99999-01-01T00:00:00",
            "99999-01-01T00:00:00Z",
            "+262143-12-31T23:59:59",
            "-262143-01-01T00:00:00",
            "-0001-01-01T00:00:00",
            "10000-01-01T00:00:00+00:00",
            "2025-02-30T00:00:00Z",
            "2025-12-30T24:00:00Z",
            "1e300",
            "-5",
            "NaN",
        ] {
            assert_eq!(parse_timestamp_ms(t), None, "{t}");
        }
        let long = format!("2025-12-30T12:40:49.{}Z", "9".repeat(100_000));
        assert_eq!(parse_timestamp_ms(&long), None);
        // The edges of the accepted range.
        assert_eq!(
            parse_timestamp_ms("0000-01-01T00:00:00Z"),
            Some(MIN_MS as f64)
        );
        assert_eq!(
            parse_timestamp_ms("9999-12-31T23:59:59.999Z"),
            Some(MAX_MS as f64)
        );
        assert_eq!(
            parse_timestamp_ms("9999-12-31T23:59:59"),
            None,
            "naive: never read"
        );
    }

    #[test]
    fn formatting_any_float_never_panics() {
        for ms in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            1e300,
            -1e300,
            8.64e15,
            -8.64e15,
            8_210_266_876_799_999.0,
            -8_334_601_228_800_000.0,
            0.0,
            -0.0,
        ] {
            let _ = exact_at(ms, 0.0);
            let _ = iso_utc(ms);
            let _ = ago(ms, 1.7e12);
            let _ = ago(1.7e12, ms);
        }
        assert_eq!(iso_utc(f64::NAN), "");
        assert_eq!(exact_at(f64::INFINITY, 0.0), "");
        assert_eq!(iso_utc(1e300), "");
    }

    #[test]
    fn iso_is_utc() {
        assert_eq!(iso_utc(1_767_098_449_474.0), "2025-12-30T12:40:49Z");
        assert_eq!(iso_utc(-500.0), "1969-12-31T23:59:59Z");
        assert_eq!(iso_utc(MIN_MS as f64), "0000-01-01T00:00:00Z");
        assert_eq!(iso_utc(MAX_MS as f64), "9999-12-31T23:59:59Z");
        assert_eq!(iso_utc(MAX_MS as f64 + 1.0), "");
        assert_eq!(exact_at(951_782_400_000.0, 0.0), "2000-02-29 00:00:00");
    }
}

/// The parser against chrono, which it replaced: the same answer on every shape it may see.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod against_chrono {
    use super::*;
    use proptest::prelude::*;

    fn chrono_ms(text: &str) -> Option<f64> {
        use chrono::DateTime;
        let text = text.trim();
        if text.len() > MAX_TIMESTAMP_LEN {
            return None;
        }
        // Naive forms are never read (the server's zone is unknown).
        let ms = DateTime::parse_from_rfc3339(text).ok()?.timestamp_millis();
        (MIN_MS..=MAX_MS).contains(&ms).then_some(ms as f64)
    }

    fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(options)
    }

    /// Wire-shaped strings, each field in or just out of range, with the separators, fractions
    /// and offsets that occur or nearly do.
    fn shaped() -> impl Strategy<Value = String> {
        (
            (0u32..10_000, 0u32..14, 0u32..33),
            pick(&["T", "t", " ", "_", "TT"]),
            (0u32..26, 0u32..61, 0u32..62),
            pick(&[
                "",
                ".",
                ".4",
                ".47",
                ".474",
                ".474292",
                ".9999999999",
                ".1234567891234",
                "Z.",
            ]),
            pick(&[
                "",
                "Z",
                "z",
                "+00:00",
                "-00:00",
                "+03:00",
                "-05:30",
                "+23:59",
                "-23:59",
                "+24:00",
                "+03:60",
                "+0300",
                "+03",
                "\u{2212}03:00",
                " ",
                "Z ",
                "ZZ",
                "+3:00",
                "+03:00:00",
            ]),
        )
            .prop_map(|((y, mo, d), t, (h, mi, s), frac, off)| {
                format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{frac}{off}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn shaped_timestamps_agree(text in shaped()) {
            prop_assert_eq!(parse_timestamp_ms(&text), chrono_ms(&text), "{}", text);
        }

        #[test]
        fn any_text_is_refused_or_agrees(text in "\\PC{0,40}") {
            if let Some(ms) = parse_timestamp_ms(&text) {
                prop_assert_eq!(Some(ms), chrono_ms(&text), "{}", text);
            }
        }

        #[test]
        fn formatting_agrees(ms in MIN_MS..=MAX_MS, frac in 0.0f64..1.0) {
            let t = chrono::DateTime::from_timestamp_millis(ms).unwrap();
            let expected = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            // `ms + frac` as the f64 it really is: near year 9999 a fraction close to 1 rounds
            // up to the next millisecond, which is what the formatter must then show.
            let input = ms as f64 + frac;
            let whole = chrono::DateTime::from_timestamp_millis(input.floor() as i64).unwrap();
            prop_assert_eq!(iso_utc(input), whole.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            prop_assert_eq!(iso_utc(ms as f64), expected);
            prop_assert_eq!(exact_at(ms as f64, 0.0), t.format("%Y-%m-%d %H:%M:%S").to_string());
        }

        #[test]
        fn days_round_trip(days in -1_000_000i64..3_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
            prop_assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
        }
    }
}

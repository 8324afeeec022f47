//! Timestamps as the backend writes them, and how long ago they were. Pure: callers pass "now".

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// Parses a wire timestamp to ms since the epoch.
///
/// - With an offset (`...Z`, `+00:00`, `+03:00`): exact.
/// - Naive (`2025-12-30T12:40:49.474292`, the socket's server-local time): exact only if the
///   server's UTC offset is known; otherwise `None`, and the caller uses the arrival time
///   (events are pushed as they happen, so arrival is the honest fallback).
/// - Missing, null, garbage, or outside the years 0000–9999 (`+99999-01-01T00:00:00`
///   parses, but no event happened then; it would pin an item to the top forever): `None`.
///
/// ```
/// # use herald::state::time::parse_timestamp_ms;
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01Z", None), Some(1000.0));
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01", None), None);
/// ```
pub fn parse_timestamp_ms(text: &str, server_offset: Option<FixedOffset>) -> Option<f64> {
    let text = text.trim();
    // The longest real form is ~35 characters; a 100 KB "timestamp" is not parsed at all.
    if text.len() > MAX_TIMESTAMP_LEN {
        return None;
    }
    let ms = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        t.timestamp_millis()
    } else {
        let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()?;
        let offset = server_offset?;
        naive
            .and_local_timezone(offset)
            .single()?
            .timestamp_millis()
    };
    (MIN_MS..=MAX_MS).contains(&ms).then_some(ms as f64)
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

/// The exact time in the user's zone, e.g. `2025-12-30 15:40:49`.
pub fn exact_local(ms: f64) -> String {
    match utc(ms) {
        Some(t) => t
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        None => String::new(),
    }
}

/// The exact time in the user's zone and language (the browser's `Intl`: Arabic digits and
/// month names in Arabic), falling back to [`exact_local`] outside a browser. One
/// `Intl.DateTimeFormat` per language is built once and reused: `Date.toLocaleString` builds a
/// new one on every call, which made every inbox render spend most of its time here.
pub fn exact_localized(ms: f64, locale: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static FORMATS: std::cell::RefCell<Vec<(String, js_sys::Function)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let format = FORMATS.with(|f| {
            let mut formats = f.borrow_mut();
            if let Some((_, format)) = formats.iter().find(|(l, _)| l == locale) {
                return format.clone();
            }
            let options = js_sys::Object::new();
            for (k, v) in [("dateStyle", "medium"), ("timeStyle", "medium")] {
                let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
            }
            let locales = js_sys::Array::of1(&locale.into());
            let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
            formats.push((locale.to_owned(), format.clone()));
            format
        });
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        format
            .call1(&wasm_bindgen::JsValue::NULL, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        exact_local(ms)
    }
}

/// `ms` as a UTC time when it is one (finite, within chrono's range); `as` saturates, so no
/// float can wrap into a wrong date.
fn utc(ms: f64) -> Option<DateTime<Utc>> {
    if !ms.is_finite() {
        return None;
    }
    DateTime::<Utc>::from_timestamp_millis(ms as i64)
}

/// Machine-readable UTC time for `<time datetime>`.
pub fn iso_utc(ms: f64) -> String {
    utc(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_form() {
        let z = parse_timestamp_ms("2025-12-30T12:40:49.474292Z", None).unwrap();
        let plus = parse_timestamp_ms("2025-12-30T12:40:49.474292+00:00", None).unwrap();
        assert_eq!(z, plus);
        assert_eq!(z, 1_767_098_449_474.0);
        let riyadh = parse_timestamp_ms("2025-12-30T15:40:49.474292+03:00", None).unwrap();
        assert_eq!(riyadh, z);
        // Naive: unknown zone unless configured.
        assert_eq!(parse_timestamp_ms("2025-12-30T12:40:49.474292", None), None);
        let plus3 = FixedOffset::east_opt(3 * 3600);
        assert_eq!(
            parse_timestamp_ms("2025-12-30T15:40:49.474292", plus3),
            Some(z)
        );
        assert_eq!(
            parse_timestamp_ms("2025-12-30 15:40:49", plus3),
            Some(z - 474.0)
        );
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
            assert_eq!(parse_timestamp_ms(t, FixedOffset::east_opt(0)), None, "{t}");
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
        let offsets = [
            None,
            FixedOffset::east_opt(0),
            FixedOffset::east_opt(86_399),
            FixedOffset::west_opt(86_399),
        ];
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
            for off in offsets {
                assert_eq!(parse_timestamp_ms(t, off), None, "{t} {off:?}");
            }
        }
        let long = format!("2025-12-30T12:40:49.{}Z", "9".repeat(100_000));
        assert_eq!(parse_timestamp_ms(&long, None), None);
        // The edges of the accepted range.
        assert_eq!(
            parse_timestamp_ms("0000-01-01T00:00:00Z", None),
            Some(MIN_MS as f64)
        );
        assert_eq!(
            parse_timestamp_ms("9999-12-31T23:59:59.999Z", None),
            Some(MAX_MS as f64)
        );
        assert_eq!(
            parse_timestamp_ms("9999-12-31T23:59:59", FixedOffset::west_opt(3600)),
            None,
            "past 9999 once the offset is applied"
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
            let _ = exact_local(ms);
            let _ = exact_localized(ms, "ar");
            let _ = iso_utc(ms);
            let _ = ago(ms, 1.7e12);
            let _ = ago(1.7e12, ms);
        }
        assert_eq!(iso_utc(f64::NAN), "");
        assert_eq!(exact_local(f64::INFINITY), "");
        assert_eq!(iso_utc(1e300), "");
    }

    #[test]
    fn iso_is_utc() {
        assert_eq!(iso_utc(1_767_098_449_474.0), "2025-12-30T12:40:49Z");
    }
}

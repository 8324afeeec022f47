//! Timestamps as the backend writes them, and how long ago they were. Pure: callers pass "now".

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// Parses a wire timestamp to ms since the epoch.
///
/// - With an offset (`...Z`, `+00:00`, `+03:00`): exact.
/// - Naive (`2025-12-30T12:40:49.474292`, the socket's server-local time): exact only if the
///   server's UTC offset is known; otherwise `None`, and the caller uses the arrival time
///   (events are pushed as they happen, so arrival is the honest fallback).
/// - Missing, null or garbage: `None`.
///
/// ```
/// # use herald::state::time::parse_timestamp_ms;
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01Z", None), Some(1000.0));
/// assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01", None), None);
/// ```
pub fn parse_timestamp_ms(text: &str, server_offset: Option<FixedOffset>) -> Option<f64> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis() as f64);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()?;
    let offset = server_offset?;
    let t = naive.and_local_timezone(offset).single()?;
    Some(t.timestamp_millis() as f64)
}

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
    match DateTime::<Utc>::from_timestamp_millis(ms as i64) {
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

/// Machine-readable UTC time for `<time datetime>`.
pub fn iso_utc(ms: f64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms as i64)
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
    fn iso_is_utc() {
        assert_eq!(iso_utc(1_767_098_449_474.0), "2025-12-30T12:40:49Z");
    }
}

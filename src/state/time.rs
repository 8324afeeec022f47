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

/// "just now", "5 min ago", "3 h ago", "2 days ago"; future times (clock skew) read "just now".
pub fn relative(then_ms: f64, now_ms: f64) -> String {
    let secs = ((now_ms - then_ms) / 1000.0).floor();
    if secs < 60.0 {
        return "just now".into();
    }
    let mins = (secs / 60.0).floor() as i64;
    if mins < 60 {
        return format!("{mins} min ago");
    }
    let hours = mins / 60;
    if hours < 24 {
        return format!("{hours} h ago");
    }
    let days = hours / 24;
    if days == 1 {
        "yesterday".into()
    } else {
        format!("{days} days ago")
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
        assert_eq!(relative(now, now), "just now");
        assert_eq!(relative(now + 5_000.0, now), "just now");
        assert_eq!(relative(now - 59_000.0, now), "just now");
        assert_eq!(relative(now - 120_000.0, now), "2 min ago");
        assert_eq!(relative(now - 3.0 * 3_600_000.0, now), "3 h ago");
        assert_eq!(relative(now - 25.0 * 3_600_000.0, now), "yesterday");
        assert_eq!(relative(now - 72.0 * 3_600_000.0, now), "3 days ago");
    }

    #[test]
    fn iso_is_utc() {
        assert_eq!(iso_utc(1_767_098_449_474.0), "2025-12-30T12:40:49Z");
    }
}

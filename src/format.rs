//! Times for people, in the browser's zone and language. The parsing and the calendar
//! arithmetic are pure (`state::time`); what needs the browser (its zone, `Intl`) is here, used
//! by components and hooks.

use crate::i18n::Lang;
use crate::state::inbox::days::{DayLabel, DAY_MS};
use crate::state::time::exact_at;

/// The exact time in the user's zone, e.g. `2025-12-30 15:40:49` (the browser's zone; UTC
/// outside a browser); empty outside the years 0000–9999.
pub fn exact_local(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let zone_ms =
        -js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset() * 60_000.0;
    #[cfg(not(target_arch = "wasm32"))]
    let zone_ms = 0.0;
    exact_at(ms, zone_ms)
}

/// The exact time in the user's zone and language (the browser's `Intl`: Arabic digits and
/// month names in Arabic), falling back to [`exact_local`] outside a browser. One
/// `Intl.DateTimeFormat` per language is built once and reused: `Date.toLocaleString` builds a
/// new one on every call, which made every inbox render spend most of its time here.
pub fn exact_localized(ms: f64, locale: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        // Arabic-Indic digits asked for by name, as the relative times and day headings write
        // them: the bare "ar" locale's default numbering differs between CLDR versions.
        let locale = if locale == "ar" {
            "ar-u-nu-arab"
        } else {
            locale
        };
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

/// How far the browser's zone is ahead of UTC at `ms` (daylight saving included); 0 outside a
/// browser.
pub fn zone_offset_ms(ms: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        let offset = -js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset()
            * 60_000.0;
        if offset.is_finite() {
            offset
        } else {
            0.0
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ms;
        0.0
    }
}

/// A day heading of the inbox: "Today", "Yesterday", the weekday ("Monday"), or the date
/// ("30 December", with the year when it is not this year's), in the user's language and
/// digits (the browser's `Intl`; English names and ISO dates outside a browser).
pub fn day_heading(label: DayLabel, lang: Lang) -> String {
    let t = lang.t();
    match label {
        DayLabel::Today => t.today.to_owned(),
        DayLabel::Yesterday => t.yesterday.to_owned(),
        DayLabel::Weekday(day) => day_format(day, lang, DayFormat::Weekday),
        DayLabel::Date {
            day,
            with_year: false,
        } => day_format(day, lang, DayFormat::Date),
        DayLabel::Date {
            day,
            with_year: true,
        } => day_format(day, lang, DayFormat::DateWithYear),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum DayFormat {
    Weekday,
    Date,
    DateWithYear,
}

/// `day` (a day number) in `format`. The day is formatted at its noon in UTC with the format's
/// zone set to UTC: the date shown is the day's, whatever the browser's zone.
fn day_format(day: i64, lang: Lang, format: DayFormat) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static FORMATS: std::cell::RefCell<Vec<((Lang, DayFormat), js_sys::Function)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let f = FORMATS.with(|f| {
            let mut formats = f.borrow_mut();
            if let Some((_, f)) = formats.iter().find(|(k, _)| *k == (lang, format)) {
                return f.clone();
            }
            let options = js_sys::Object::new();
            let fields: &[(&str, &str)] = match format {
                DayFormat::Weekday => &[("weekday", "long")],
                DayFormat::Date => &[("day", "numeric"), ("month", "long")],
                DayFormat::DateWithYear => {
                    &[("day", "numeric"), ("month", "long"), ("year", "numeric")]
                }
            };
            for (k, v) in fields.iter().chain(&[("timeZone", "UTC")]) {
                let _ = js_sys::Reflect::set(&options, &(*k).into(), &(*v).into());
            }
            // Arabic-Indic digits asked for by name: the bare "ar" locale's default numbering
            // differs between CLDR versions.
            let locale = match lang {
                Lang::En => "en",
                Lang::Ar => "ar-u-nu-arab",
            };
            let locales = js_sys::Array::of1(&locale.into());
            let f = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
            formats.push(((lang, format), f.clone()));
            f
        });
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            day as f64 * DAY_MS + DAY_MS / 2.0,
        ));
        f.call1(&wasm_bindgen::JsValue::NULL, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = lang;
        const NAMES: [&str; 7] = [
            "Sunday",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
        ];
        match format {
            DayFormat::Weekday => {
                NAMES[usize::from(crate::state::inbox::days::weekday(day))].to_owned()
            }
            DayFormat::Date | DayFormat::DateWithYear => exact_at(day as f64 * DAY_MS, 0.0)
                .chars()
                .take(10)
                .collect(),
        }
    }
}

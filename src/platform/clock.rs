//! The device's clock and calendar, for the UI: the time now, today's date,
//! local date and time of a moment, the end of a local day, and a clock that
//! ticks every second for countdowns. The core reads no clock; it is given
//! these values.

use leptos::prelude::*;

/// A moment in local time (month and day from 1, as people write them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year.
    pub year: u32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
    /// The hour, 0–23.
    pub hour: u32,
    /// The minute, 0–59.
    pub minute: u32,
}

impl LocalTime {
    fn of(date: &js_sys::Date) -> Self {
        LocalTime {
            year: date.get_full_year(),
            month: date.get_month() + 1,
            day: date.get_date(),
            hour: date.get_hours(),
            minute: date.get_minutes(),
        }
    }

    /// The local time at `ms` milliseconds since the epoch.
    pub fn at_ms(ms: f64) -> Self {
        Self::of(&js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)))
    }

    /// The local time now.
    pub fn now() -> Self {
        Self::of(&js_sys::Date::new_0())
    }

    /// `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYY-MM-DD HH:MM`.
    pub fn date_time(&self) -> String {
        format!("{} {:02}:{:02}", self.date(), self.hour, self.minute)
    }
}

/// Today's date on this device, `YYYY-MM-DD` (local time), for defaults and
/// the "overdue" filter; the core takes it as input.
pub fn today() -> String {
    LocalTime::now().date()
}

/// The time now (ms since the epoch), passed into the core where it needs a clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The last second of the local day `YYYY-MM-DD`, in seconds since the epoch.
pub fn end_of_local_day(day: &str) -> Option<i64> {
    let mut parts = day.split('-').map(|p| p.parse::<i32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let date = js_sys::Date::new_with_year_month_day_hr_min_sec(y as u32, m - 1, d, 23, 59, 59);
    let ms = date.get_time();
    ms.is_finite().then(|| (ms / 1000.0) as i64)
}

/// The time now (ms since the epoch), as a signal that ticks every second
/// while the calling component lives (for countdowns; leptos-use stops the
/// interval when the component goes).
pub fn ticking_clock() -> ReadSignal<f64> {
    let (now, set_now) = signal(js_sys::Date::now());
    leptos_use::use_interval_fn(move || set_now.set(js_sys::Date::now()), 1_000);
    now
}

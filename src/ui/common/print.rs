//! The line only a printed page shows: when it was printed.

use leptos::prelude::*;

use super::text::tr_with;
use crate::i18n;
use crate::platform::clock;

/// "Afgedrukt op …" with today's date, hidden on screen.
#[component]
pub fn PrintDate() -> impl IntoView {
    view! {
        <p class="print-only print-date">
            {move || tr_with("export.printed_on", &[("date", &i18n::date(&clock::today()))])}
        </p>
    }
}

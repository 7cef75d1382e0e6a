//! Texts in the interface language: the language signal, lookups by locale
//! key ([`tr`], [`t`], [`tr_with`]), core errors and messages in words, and
//! [`Notice`], a form message kept as what it is so it follows a switch.

use std::sync::LazyLock;

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::Status;
use regie_core::plan::validate::Invalid;
use regie_core::text::Text;

use crate::i18n::{self, Lang};
use crate::platform::clock::LocalTime;
use crate::platform::language;

/// The language the interface is shown in. A global rather than a context,
/// because event handlers (which report errors) run outside any component.
static LANGUAGE: LazyLock<ArcRwSignal<Lang>> = LazyLock::new(|| ArcRwSignal::new(language::load()));

/// The interface language (tracked: a view that calls this follows a switch).
pub fn lang() -> Lang {
    LANGUAGE.get()
}

/// Switches the interface language, remembers it and marks the page.
pub fn set_lang(lang: Lang) {
    language::save(lang);
    LANGUAGE.set(lang);
}

/// The text for `key` in the interface language (tracked).
pub fn tr(key: &str) -> String {
    i18n::text(lang(), key)
}

/// The text for `key` with its `%{name}` placeholders filled in (tracked).
pub fn tr_with(key: &str, values: &[(&str, &str)]) -> String {
    i18n::text_with(lang(), key, values)
}

/// The text for `key` as a view or attribute value that follows a switch.
pub fn t(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || tr(key)
}

/// A status's word in the interface language.
pub fn status_label(status: Status) -> String {
    tr(status.key())
}

/// A form problem in the interface language.
pub fn invalid_text(problem: &Invalid) -> String {
    i18n::invalid(lang(), problem)
}

/// An error from the core in the interface language.
pub fn error_text(error: &DocError) -> String {
    i18n::error(lang(), error)
}

/// A message of the core or the platform in the interface language.
pub fn said_text(said: &Text) -> String {
    i18n::said(lang(), said)
}

/// A message for a form, kept as what it is rather than as text, so that it
/// follows a language switch while it is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A text of the locale files, by key.
    Key(&'static str),
    /// An error from the core.
    Error(DocError),
    /// A message of the core or the platform, by key.
    Said(Text),
}

impl Notice {
    /// The message in the interface language (tracked).
    pub fn text(&self) -> String {
        match self {
            Notice::Key(key) => tr(key),
            Notice::Error(error) => error_text(error),
            Notice::Said(said) => said_text(said),
        }
    }
}

impl From<Text> for Notice {
    fn from(said: Text) -> Self {
        Notice::Said(said)
    }
}

impl From<DocError> for Notice {
    fn from(error: DocError) -> Self {
        Notice::Error(error)
    }
}

/// A form's error line, when there is one.
pub fn form_error(error: RwSignal<Option<Notice>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{move || e.text()}</p> })
    }
}

/// Seconds since the epoch as a local date and time: "23/11/2026 14:05".
pub fn moment(time: i64) -> String {
    i18n::date(&LocalTime::at_ms(time as f64 * 1000.0).date_time())
}

/// Milliseconds since the epoch as a local time of day: "14:05".
pub fn time_of_day(ms: f64) -> String {
    let at = LocalTime::at_ms(ms);
    i18n::time(at.hour, at.minute)
}

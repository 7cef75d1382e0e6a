//! Components of the app. Dutch or English, touch-friendly, keyboard-usable.
//!
//! Every text comes from the locale files through [`tr`] (or [`t`], its
//! reactive form for views), which read the language signal: switching the
//! language re-renders each text in place, so open forms keep what was typed.
//!
//! - [`app`]: the shell: header with the sync indicator, routes.
//! - [`home`]: choose a wijk, create its plan, list plans on this device.
//! - [`plan`]: the wijkactieplan page, its tabs and shared [`plan::PlanCtx`].
//! - [`outline`], [`table`], [`board`], [`signals`], [`team`]: the plan's views.
//! - [`action_editor`]: one actie's details, texts, indicators, budget, opvolging.
//! - [`gate`]: opening a document page: id, loading, not found, no access.
//! - [`forms`]: labelled selects, inputs with messages, live text areas.
//! - [`knelpunten`]: the register of beleidsknelpunten and signals needing attention.
//! - [`roundtable`]: the ronde tafel board, scores and grid, composing a campaign.
//! - [`campaign`]: a campaign: commitment, signatures, status, updates.
//! - [`directory`]: the adresboek (wijken, partners, people, thema's).
//! - [`identity`]: "Wie ben je?" (name, organisation, colour for presence).
//! - [`not_found`]: the answer to a link that leads nowhere.

mod action_editor;
mod app;
mod board;
mod campaign;
mod conflicts;
mod device;
mod directory;
mod export;
mod forms;
mod gate;
mod history;
mod home;
mod identity;
mod knelpunten;
mod not_found;
mod outline;
mod plan;
mod roundtable;
mod signals;
mod table;
mod team;

use std::sync::LazyLock;

use leptos::prelude::*;
use regie_core::plan::validate::Invalid;
use regie_core::plan::{PlanError, Status};

use crate::i18n::{self, Lang};
use crate::platform::language;

pub use app::App;

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
pub fn error_text(error: &PlanError) -> String {
    match error {
        PlanError::Invalid(problems) => problems
            .0
            .iter()
            .map(invalid_text)
            .collect::<Vec<_>>()
            .join(" "),
        other => message_text(&other.to_string()),
    }
}

/// A message for a form, kept as what it is rather than as text, so that it
/// follows a language switch while it is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A text of the locale files, by key.
    Key(&'static str),
    /// An error from the core.
    Error(PlanError),
    /// A Dutch message from the core or the platform.
    Dutch(String),
}

impl Notice {
    /// The message in the interface language (tracked).
    pub fn text(&self) -> String {
        match self {
            Notice::Key(key) => tr(key),
            Notice::Error(error) => error_text(error),
            Notice::Dutch(message) => message_text(message),
        }
    }
}

impl From<PlanError> for Notice {
    fn from(error: PlanError) -> Self {
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

/// A Dutch message from the core or the platform in the interface language.
pub fn message_text(dutch: &str) -> String {
    i18n::core_message(lang(), dutch)
}

/// Replaces the page with a readable message if the app ever panics, instead
/// of leaving a blank or frozen page. Stored documents are not touched.
pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            // Read from storage: the reactive system may be what failed.
            let lang = language::load();
            let text = |key| i18n::text(lang, key);
            body.set_inner_html(&format!(
                "<main class=\"crash\" role=\"alert\"><h1>{}</h1><p>{}</p>\
                 <button onclick=\"location.reload()\">{}</button></main>",
                text("crash.title"),
                text("crash.body"),
                text("crash.reload"),
            ));
        }
    }));
}

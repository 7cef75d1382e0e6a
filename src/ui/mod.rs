//! Components of the app. Dutch or English, touch-friendly, keyboard-usable.
//!
//! Every text comes from the locale files through [`common::text`] (`tr`,
//! or `t`, its reactive form for views), which read the language signal:
//! switching the language re-renders each text in place, so open forms keep
//! what was typed.
//!
//! A page with views of its own is a folder that owns its context and
//! sub-views; the views import their siblings and [`common`], never the
//! page that contains them, and [`common`] imports no page.
//!
//! - [`app`]: the shell: header with the sync indicator, routes.
//! - [`home`]: a page per person: the plan of a wijk made or opened, my wijken, open tafels and campagnes, signals needing attention.
//! - [`plan`]: the wijkactieplan page: its context, widgets, tabs (outline,
//!   table, board, signals, team, meetings) and the actie editor.
//! - [`roundtable`]: the ronde tafel: facilitation, the board of cards with
//!   one tools panel for the selected card, scores and grid, composing a campaign.
//! - [`common`]: what every document page uses: texts, forms, the dialog,
//!   sharing, export, conflicts, history, the print line.
//! - [`gate`]: opening a document page: id, loading, not found, no access.
//! - [`register`]: the register of knelpunten: signals needing attention, tafels and campagnes, inboxes, signals across the city, the signalenbundel.
//! - [`meeting`]: a wijkactieteam meeting: attendance, the agenda from what changed, notes, decisions, the minutes.
//! - [`campaign`]: a campaign: trekker and regisseur, commitment, signatures with inbreng, pistes turned into acties, status, updates.
//! - [`directory`]: the adresboek (wijken, partners, people, thema's).
//! - [`device`]: "Dit toestel" and the banners on every page.
//! - [`links`]: "Deellinks": links for others within this link's scope.
//! - [`audit`]: "Auditspoor": which link delivered which change (the city).
//! - [`identity`]: "Wie ben je?" (name, organisation, colour for presence).
//! - [`not_found`]: the answer to a link that leads nowhere.

mod app;
mod audit;
mod campaign;
mod common;
mod device;
mod directory;
mod gate;
mod home;
mod identity;
mod links;
mod meeting;
mod not_found;
mod plan;
mod register;
mod roundtable;

use crate::i18n;
use crate::platform::{dom, language};

pub use app::App;

/// Replaces the page with a readable message if the app ever panics, instead
/// of leaving a blank or frozen page. Stored documents are not touched.
pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // Read from storage: the reactive system may be what failed.
        let lang = language::load();
        let text = |key| i18n::text(lang, key);
        dom::replace_body(&format!(
            "<main class=\"crash\" role=\"alert\"><h1>{}</h1><p>{}</p>\
             <button onclick=\"location.reload()\">{}</button></main>",
            text("crash.title"),
            text("crash.body"),
            text("crash.reload"),
        ));
    }));
}

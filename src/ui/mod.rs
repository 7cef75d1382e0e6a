//! Components of the app. Dutch, touch-friendly, keyboard-usable.
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
mod device;
mod directory;
mod forms;
mod gate;
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

pub use app::App;

/// Replaces the page with a readable message if the app ever panics, instead
/// of leaving a blank or frozen page. Stored documents are not touched.
pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            body.set_inner_html(
                "<main class=\"crash\" role=\"alert\"><h1>Er ging iets mis</h1>\
                 <p>Regie liep vast. Je gegevens staan veilig op dit toestel. \
                 Herlaad de pagina om verder te werken.</p>\
                 <button onclick=\"location.reload()\">Pagina herladen</button></main>",
            );
        }
    }));
}

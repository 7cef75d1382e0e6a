//! The answer to a link that leads nowhere.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::common::text::t;

/// "Niet gevonden", with a way back.
#[component]
pub fn NotFound(
    /// What was not found, in a sentence (a locale key).
    #[prop(default = "not_found.page")]
    message: &'static str,
) -> impl IntoView {
    view! {
        <section class="not-found">
            <h1>{t("not_found.title")}</h1>
            <p>{t(message)}</p>
            <p><A href="/">{t("not_found.home")}</A></p>
        </section>
    }
}

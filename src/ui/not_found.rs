//! The answer to a link that leads nowhere.

use leptos::prelude::*;
use leptos_router::components::A;

/// "Niet gevonden", with a way back.
#[component]
pub fn NotFound(
    /// What was not found, in a sentence.
    #[prop(default = "Deze pagina bestaat niet.")]
    message: &'static str,
) -> impl IntoView {
    view! {
        <section class="not-found">
            <h1>"Niet gevonden"</h1>
            <p>{message}</p>
            <p><A href="/">"Naar de wijkactieplannen"</A></p>
        </section>
    }
}

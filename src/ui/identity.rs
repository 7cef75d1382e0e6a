//! "Wie ben je?": the name and organisation others see next to your edits.

use leptos::prelude::*;

use crate::platform::Workspace;
use crate::platform::identity::{Identity, PALETTE};
use crate::ui::common::text::{Notice, form_error, t, tr_with};

/// Shows who you are, or asks.
#[component]
pub fn WhoAmI() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let editing = RwSignal::new(false);
    move || {
        match (workspace.me(), editing.get()) {
        (Some(me), false) => view! {
            <p class="whoami">
                <span class="dot" style=format!("background:{}", me.colour)></span>
                {t("identity.you_are")} " " <strong>{me.name.clone()}</strong>
                {(!me.organisation.is_empty()).then(|| format!(" ({})", me.organisation))}
                " "
                <button type="button" class="link" on:click=move |_| editing.set(true)>{t("identity.change")}</button>
            </p>
        }
        .into_any(),
        (me, _) => view! { <IdentityForm current=me done=Callback::new(move |()| editing.set(false))/> }.into_any(),
    }
    }
}

#[component]
fn IdentityForm(current: Option<Identity>, done: Callback<()>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let name = RwSignal::new(current.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let organisation = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.organisation.clone())
            .unwrap_or_default(),
    );
    let colour = RwSignal::new(current.map_or(PALETTE[0].to_owned(), |c| c.colour));
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = name.get_untracked().trim().to_owned();
        if chosen.is_empty() {
            error.set(Some(Notice::Key("identity.name_missing")));
            return;
        }
        workspace.set_me(Identity {
            name: chosen,
            organisation: organisation.get_untracked().trim().to_owned(),
            colour: colour.get_untracked(),
        });
        error.set(None);
        done.run(());
    };
    view! {
        <form class="card identity" on:submit=submit>
            <h2>{t("identity.title")}</h2>
            <p class="muted">{t("identity.intro")}</p>
            <label for="me-name">{t("identity.name")}</label>
            <input id="me-name" type="text" autocomplete="name" bind:value=name/>
            <label for="me-organisation">{t("identity.organisation")}</label>
            <input id="me-organisation" type="text" autocomplete="organization" bind:value=organisation/>
            <fieldset class="colours">
                <legend>{t("identity.colour")}</legend>
                {PALETTE
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let c = (*c).to_owned();
                        let value = c.clone();
                        let style = format!("background:{c}");
                        view! {
                            <label class="colour" style=style>
                                <input
                                    type="radio"
                                    name="colour"
                                    value=c.clone()
                                    prop:checked=move || colour.get() == value
                                    on:change=move |_| colour.set(c.clone())
                                />
                                <span class="visually-hidden">{move || tr_with("identity.colour_n", &[("n", &(i + 1).to_string())])}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit">{t("identity.save")}</button>
            {form_error(error)}
        </form>
    }
}

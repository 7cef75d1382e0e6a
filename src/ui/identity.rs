//! "Wie ben je?": the name and organisation others see next to your edits.

use leptos::prelude::*;

use crate::platform::Workspace;
use crate::platform::identity::{Identity, PALETTE};

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
                "Je bent " <strong>{me.name.clone()}</strong>
                {(!me.organisation.is_empty()).then(|| format!(" ({})", me.organisation))}
                " "
                <button type="button" class="link" on:click=move |_| editing.set(true)>"Wijzig"</button>
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
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = name.get_untracked().trim().to_owned();
        if chosen.is_empty() {
            error.set(Some("Geef je naam op, zodat anderen zien wie er meewerkt."));
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
            <h2>"Wie ben je?"</h2>
            <p class="muted">"Anderen in hetzelfde plan zien je naam bij wat je bewerkt."</p>
            <label for="me-name">"Naam"</label>
            <input id="me-name" type="text" autocomplete="name" bind:value=name/>
            <label for="me-organisation">"Organisatie"</label>
            <input id="me-organisation" type="text" autocomplete="organization" bind:value=organisation/>
            <fieldset class="colours">
                <legend>"Kleur"</legend>
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
                                <span class="visually-hidden">{format!("Kleur {}", i + 1)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit">"Bewaar"</button>
            {move || error.get().map(|e| view! { <p role="alert" class="form-error">{e}</p> })}
        </form>
    }
}

//! The directory page (`/adresboek`): wijken and their sociaal regisseur,
//! partner organisations, people and thema's; all editable and synced.

use leptos::prelude::*;
use regie_core::plan::PlanError;

use super::forms::{Choice, TextInput};
use crate::platform::Workspace;
use crate::platform::workspace::new_item_id;

/// The directory page.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let directory = Memo::new(move |_| workspace.directory());
    view! {
        <article class="directory">
            <h1>"Adresboek"</h1>
            <p class="muted">"Wijken, partners, mensen en thema's, gedeeld door iedereen in de werkruimte."</p>
            {move || directory.get().is_none().then(|| view! { <p role="status">"Adresboek wordt geladen…"</p> })}
            <section class="card">
                <h2>"Partnerorganisaties"</h2>
                <ul class="organisations">
                    {move || directory.with(|d| d.iter().flat_map(|d| d.organisations.clone()).map(|o| view! {
                        <li><strong>{o.name.clone()}</strong> <span class="muted">{(o.kind != o.name).then(|| o.kind.clone())}</span></li>
                    }).collect_view())}
                </ul>
                <AddForm kind=Kind::Organisation/>
            </section>
            <section class="card">
                <h2>"Mensen"</h2>
                <ul class="people">
                    {move || directory.with(|d| d.iter().flat_map(|d| {
                        d.people.iter().map(|p| (p.clone(), d.organisation_name(&p.organisation))).collect::<Vec<_>>()
                    }).map(|(p, org)| view! {
                        <li><strong>{p.name}</strong> <span class="muted">{format!("{} · {}", p.role, org)}</span></li>
                    }).collect_view())}
                </ul>
                <AddForm kind=Kind::Person/>
            </section>
            <section class="card">
                <h2>"Thema's"</h2>
                <ul class="themes">
                    {move || directory.with(|d| d.iter().flat_map(|d| d.themes.clone()).map(|t| view! { <li>{t.name}</li> }).collect_view())}
                </ul>
                <AddForm kind=Kind::Thema/>
            </section>
            <section class="card">
                <h2>"Wijken en sociaal regisseurs"</h2>
                <table class="wijken">
                    <thead><tr><th scope="col">"Wijk"</th><th scope="col">"Sociaal regisseur"</th></tr></thead>
                    <tbody>
                        {move || directory.with(|d| d.iter().flat_map(|d| d.wijken.clone()).map(|w| view! {
                            <tr><td>{w.name}</td><td>{w.regisseur}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </section>
        </article>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Organisation,
    Person,
    Thema,
}

/// A form to add an organisation, person or thema.
#[component]
fn AddForm(kind: Kind) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let name = RwSignal::new(String::new());
    let extra = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let (prefix, button) = match kind {
        Kind::Organisation => ("organisation", "Organisatie toevoegen"),
        Kind::Person => ("person", "Persoon toevoegen"),
        Kind::Thema => ("thema", "Thema toevoegen"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, x, o) = (
            name.get_untracked(),
            extra.get_untracked(),
            organisation.get_untracked(),
        );
        let result: Result<(), PlanError> = workspace.edit_directory(|d| match kind {
            Kind::Organisation => d.add_organisation(new_item_id(), &n, &x),
            Kind::Person => d.add_person(new_item_id(), &n, &o, &x),
            Kind::Thema => d.add_thema(new_item_id(), &n),
        });
        match result {
            Ok(()) => {
                name.set(String::new());
                extra.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let organisations = Signal::derive(move || {
        workspace
            .directory()
            .map(|d| {
                d.organisations
                    .into_iter()
                    .map(|o| (o.id, o.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    view! {
        <Show when=move || workspace.can_write()>
            <form class="inline-form" on:submit=submit>
                <TextInput id=format!("{prefix}-name") label="Naam" value=name/>
                {(kind == Kind::Organisation).then(|| view! { <TextInput id="organisation-kind".into() label="Soort partner" value=extra/> })}
                {(kind == Kind::Person).then(|| view! {
                    <Choice id="person-organisation".into() label="Organisatie" options=organisations value=organisation empty="Geen"/>
                    <TextInput id="person-role".into() label="Rol" value=extra/>
                })}
                <button type="submit">{button}</button>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </form>
        </Show>
    }
}

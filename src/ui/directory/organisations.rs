//! The partner organisations of the adresboek. The seed lists the kinds of
//! partner of seed 000 (wijkgezondheidscentrum, OCMW welzijnsbureau, …); a
//! real organisation has a name, one of those kinds, a contact and the
//! wijken it works in, so a campaign's trekker is an organisation, not a kind.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::directory::{Directory, OrganisationForm};
use regie_core::kind::DocError;

use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::{CheckList, Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr};

#[component]
pub fn Organisations(directory: Memo<Option<Arc<Directory>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    // Real organisations first, then the kinds of the seed.
    let rows = Memo::new(move |_| {
        directory.with(|d| {
            let Some(d) = d else { return Vec::new() };
            let mut rows: Vec<(bool, String, String)> = d
                .organisations
                .iter()
                .map(|o| {
                    let wijken: Vec<String> = o
                        .wijken
                        .iter()
                        .filter_map(|w| d.wijken.iter().find(|x| &x.slug == w))
                        .map(|w| w.name.clone())
                        .collect();
                    let meta = [
                        o.is_real().then(|| d.organisation_name(&o.kind)),
                        o.contact.clone(),
                        (!wijken.is_empty()).then(|| wijken.join(", ")),
                    ];
                    let meta: Vec<String> = meta.into_iter().flatten().collect();
                    (o.is_real(), o.name.clone(), meta.join(" · "))
                })
                .collect();
            rows.sort_by_key(|(real, _, _)| !*real);
            rows
        })
    });
    view! {
        <section class="card">
            <h2>{t("directory.organisations")}</h2>
            <ul class="organisations">
                {move || rows.get().into_iter().map(|(real, name, meta)| view! {
                    <li class:kind=!real><strong>{name}</strong> " " <span class="muted">{meta}</span></li>
                }).collect_view()}
            </ul>
            <Show when=move || workspace.may_edit(regie_core::directory::directory_id())>
                <AddOrganisation directory/>
            </Show>
        </section>
    }
}

#[component]
fn AddOrganisation(directory: Memo<Option<Arc<Directory>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let wijken = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<Notice>);
    let kinds = Signal::derive(|| {
        Directory::kinds()
            .map(|(id, name)| (id.to_owned(), name.to_owned()))
            .collect::<Options>()
    });
    let wijk_options = Signal::derive(move || {
        directory.with(|d| {
            d.iter()
                .flat_map(|d| &d.wijken)
                .map(|w| (w.slug.clone(), w.name.clone()))
                .collect::<Options>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = OrganisationForm {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            contact: contact.get_untracked(),
            wijken: wijken.get_untracked(),
        };
        let added: Result<(), DocError> =
            workspace.edit_fixed::<Directory>(|d| d.add_organisation(new_item_id(), &form));
        match added {
            Ok(()) => {
                for field in [name, kind, contact] {
                    field.set(String::new());
                }
                wijken.set(Vec::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="add-organisation" on:submit=submit>
            <h3>{t("directory.add_organisation")}</h3>
            <div class="field-row">
                <TextInput id="organisation-name".into() label="directory.name" value=name/>
                <Choice id="organisation-kind".into() label="directory.kind" options=kinds value=kind empty="directory.choose_kind"/>
            </div>
            <TextInput id="organisation-contact".into() label="directory.contact" value=contact placeholder=tr("directory.contact_example")/>
            <details class="organisation-wijken">
                <summary>{t("directory.works_in")}</summary>
                <CheckList id_prefix="organisation-wijk" legend="directory.works_in" options=wijk_options chosen=wijken/>
            </details>
            <button type="submit">{t("directory.add_organisation")}</button>
            {form_error(error)}
        </form>
    }
}

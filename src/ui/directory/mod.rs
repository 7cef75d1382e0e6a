//! The directory page (`/adresboek`): wijken and their sociaal regisseur,
//! partner organisations, people and thema's; all editable and synced.
//!
//! - [`organisations`]: the partner organisations, each with its kind,
//!   contact and wijken, and adding one;
//! - [`wijken`]: the wijken and their sociaal regisseur, who can be changed.

pub mod organisations;
pub mod wijken;

use leptos::prelude::*;
use regie_core::kind::DocError;

use regie_core::directory::{self, Directory};
use regie_core::kind;

use self::organisations::Organisations;
use self::wijken::Wijken;
use crate::platform::Workspace;
use crate::platform::new_item_id;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::export::ExportMenu;
use crate::ui::common::forms::{Choice, TextInput};
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::text::{Notice, form_error, t};

/// The directory page.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let directory = Memo::new(move |_| workspace.fixed::<Directory>());
    view! {
        <article class="directory">
            <h1>{t("directory.title")}</h1>
            <ExportMenu id=directory::directory_id() name=Signal::derive(|| "adresboek".to_owned())/>
            <ConflictList id=directory::directory_id()/>
            <p class="muted">{t("directory.intro")}</p>
            {move || directory.get().is_none().then(|| view! { <p role="status">{t("directory.loading")}</p> })}
            <Organisations directory/>
            <section class="card">
                <h2>{t("directory.people")}</h2>
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
                <h2>{t("directory.themes")}</h2>
                <ul class="themes">
                    {move || directory.with(|d| d.iter().flat_map(|d| d.themes.clone()).map(|t| view! { <li>{t.name}</li> }).collect_view())}
                </ul>
                <AddForm kind=Kind::Thema/>
            </section>
            <Wijken directory/>
            <HistoryDetails id=directory::directory_id() restore={kind::restore::<Directory>} summary="history.title"/>
        </article>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Thema,
}

/// A form to add a person or thema.
#[component]
fn AddForm(kind: Kind) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let name = RwSignal::new(String::new());
    let extra = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let (prefix, button) = match kind {
        Kind::Person => ("person", "directory.add_person"),
        Kind::Thema => ("thema", "directory.add_thema"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, x, o) = (
            name.get_untracked(),
            extra.get_untracked(),
            organisation.get_untracked(),
        );
        let result: Result<(), DocError> = workspace.edit_fixed::<Directory>(|d| match kind {
            Kind::Person => d.add_person(new_item_id(), &n, &o, &x),
            Kind::Thema => d.add_thema(new_item_id(), &n),
        });
        match result {
            Ok(()) => {
                name.set(String::new());
                extra.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let organisations = Signal::derive(move || {
        workspace
            .fixed::<Directory>()
            .map(|d| {
                d.organisations
                    .iter()
                    .map(|o| (o.id.clone(), o.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    view! {
        <Show when=move || workspace.may_edit(regie_core::directory::directory_id())>
            <form class="inline-form" on:submit=submit>
                <TextInput id=format!("{prefix}-name") label="directory.name" value=name/>
                {(kind == Kind::Person).then(|| view! {
                    <Choice id="person-organisation".into() label="directory.organisation" options=organisations value=organisation empty="directory.none"/>
                    <TextInput id="person-role".into() label="directory.role" value=extra/>
                })}
                <button type="submit">{t(button)}</button>
                {form_error(error)}
            </form>
        </Show>
    }
}

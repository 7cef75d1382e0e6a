//! The 25 wijken and their sociaal regisseur (seed 000). A regisseur
//! changes when people change jobs: each row can be given a new name.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::directory::Directory;

use crate::platform::Workspace;
use crate::ui::common::text::{Notice, form_error, t, tr_with};

#[component]
pub fn Wijken(directory: Memo<Option<Arc<Directory>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let may_edit = move || workspace.may_edit(regie_core::directory::directory_id());
    view! {
        <section class="card">
            <h2>{t("directory.wijken")}</h2>
            <table class="wijken">
                <thead><tr><th scope="col">{t("directory.wijk")}</th><th scope="col">{t("directory.regisseur")}</th></tr></thead>
                <tbody>
                    {move || directory.with(|d| d.iter().flat_map(|d| d.wijken.clone()).map(|w| (w.slug.clone(), w)).map(|(row, w)| view! {
                        <tr data-wijk=row>
                            <td>{w.name.clone()}</td>
                            <td>
                                {if may_edit() {
                                    view! { <RegisseurForm slug=w.slug name=w.name regisseur=w.regisseur/> }.into_any()
                                } else {
                                    view! { <span>{w.regisseur}</span> }.into_any()
                                }}
                            </td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </section>
    }
}

/// The regisseur's name in a field, saved with its button.
#[component]
fn RegisseurForm(slug: String, name: String, regisseur: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let value = RwSignal::new(regisseur);
    let error = RwSignal::new(None::<Notice>);
    let input_id = format!("regisseur-{slug}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let changed =
            workspace.edit_fixed::<Directory>(|d| d.set_regisseur(&slug, &value.get_untracked()));
        error.set(changed.err().map(Notice::from));
    };
    view! {
        <form class="inline-form regisseur-form" on:submit=submit>
            <input id=input_id type="text" bind:value=value
                aria-label=move || tr_with("directory.regisseur_of", &[("wijk", &name)])/>
            <button type="submit" class="small">{t("directory.change")}</button>
            {form_error(error)}
        </form>
    }
}

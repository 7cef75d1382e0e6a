//! The register's forms: a new knelpunt (with its policy domains), a new
//! policy domain ("nieuw prioritair thema", with its regisseur and
//! overleg), and a ronde tafel about one signal no knelpunt covers.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::kind::DocError;
use regie_core::register::{KnelpuntForm, Register};
use regie_core::roundtable::Table;

use crate::platform::{Workspace, new_item_id};
use crate::ui::common::cycle::SignalRow;
use crate::ui::common::forms::{CheckList, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t};

/// Starts a ronde tafel about one signal that no knelpunt covers yet.
#[component]
pub fn StartFromSignal(signal: SignalRow) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let navigate = use_navigate();
    let start = move |_| {
        let title = signal
            .label
            .split_once(": ")
            .map_or(signal.label.as_str(), |(_, what)| what);
        let wijk = Some(signal.wijk.clone());
        if let Ok(table) = Table::new(title, None, vec![signal.key.clone()], wijk)
            .map(|t| t.led_by(&crate::platform::identity::person_id()))
        {
            let id = workspace.create_table(&table);
            navigate(&format!("/tafel/{id}"), Default::default());
        }
    };
    view! {
        <Show when=move || workspace.may_edit(regie_core::register::register_id())>
            <button type="button" class="small" on:click=start.clone()>{t("register.table_about")}</button>
        </Show>
    }
}

#[component]
pub fn AddKnelpunt(register: Memo<Option<Arc<Register>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let title = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let raised_by = RwSignal::new(workspace.me().map(|m| m.name).unwrap_or_default());
    let date = RwSignal::new(crate::platform::today());
    let domains = RwSignal::new(Vec::<String>::new());
    let problems = RwSignal::new(None);
    let error = RwSignal::new(None::<Notice>);
    let domain_options = Signal::derive(move || {
        register.with(|r| {
            r.iter()
                .flat_map(|r| &r.domains)
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect::<Options>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = KnelpuntForm {
            title: title.get_untracked(),
            question: question.get_untracked(),
            domains: domains.get_untracked(),
            raised_by: raised_by.get_untracked(),
            date: date.get_untracked(),
        };
        match workspace.edit_fixed::<Register>(|r| r.add_knelpunt(new_item_id(), &form)) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                title.set(String::new());
                question.set(String::new());
                domains.set(Vec::new());
            }
            Err(DocError::Invalid(p)) => problems.set(Some(p)),
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card add-knelpunt" on:submit=submit>
            <h2>{t("register.new")}</h2>
            <TextInput id="knelpunt-title".into() label="register.knelpunt" value=title problems field=regie_core::plan::Field::Title/>
            <div class="field">
                <label for="knelpunt-question">{t("register.question")}</label>
                <textarea id="knelpunt-question" rows="3" bind:value=question></textarea>
            </div>
            <CheckList id_prefix="domain" legend="register.domains" options=domain_options chosen=domains/>
            <div class="field-row">
                <TextInput id="knelpunt-by".into() label="register.raised_by" value=raised_by/>
                <TextInput id="knelpunt-date".into() label="register.date" kind="date" value=date problems field=regie_core::plan::Field::Date/>
            </div>
            <button type="submit">{t("register.add")}</button>
            {form_error(error)}
        </form>
    }
}

/// A new policy domain.
#[component]
pub fn AddDomain() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let name = RwSignal::new(String::new());
    let regisseur = RwSignal::new(String::new());
    let overleg = RwSignal::new(String::new());
    let problems = RwSignal::new(None);
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let added = workspace.edit_fixed::<Register>(|r| {
            r.add_domain(
                new_item_id(),
                &name.get_untracked(),
                &regisseur.get_untracked(),
                &overleg.get_untracked(),
            )
        });
        match added {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                for field in [name, regisseur, overleg] {
                    field.set(String::new());
                }
            }
            Err(DocError::Invalid(p)) => problems.set(Some(p)),
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card add-domain" on:submit=submit>
            <h2>{t("domain.new")}</h2>
            <p class="muted">{t("domain.text")}</p>
            <TextInput id="domain-name".into() label="domain.name" value=name problems field=regie_core::plan::Field::Title/>
            <div class="field-row">
                <TextInput id="domain-regisseur".into() label="domain.regisseur" value=regisseur problems field=regie_core::plan::Field::Text/>
                <TextInput id="domain-overleg".into() label="domain.overleg" value=overleg/>
            </div>
            <button type="submit">{t("domain.add")}</button>
            {form_error(error)}
        </form>
    }
}

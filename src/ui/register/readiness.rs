//! "Bereidheid polsen" (seed 003 e): each regisseur or partner says, also
//! offline, whether they would join a ronde tafel about a knelpunt and what
//! their domain could contribute. One answer per person (a new one replaces
//! theirs); when enough people from more than one domain would join, the
//! card proposes a ronde tafel.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::cycle::stage;
use regie_core::kind::DocError;
use regie_core::register::{self, Knelpunt, Register};

use crate::platform::{Workspace, identity};
use crate::ui::common::forms::{Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

#[component]
pub fn Readiness(
    knelpunt_id: String,
    knelpunt: Memo<Option<Knelpunt>>,
    register: Memo<Option<Arc<Register>>>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let me = workspace.me();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let organisation = RwSignal::new(
        workspace
            .link_organisation()
            .or_else(|| me.map(|m| m.organisation))
            .unwrap_or_default(),
    );
    let domain = RwSignal::new(String::new());
    let joins = RwSignal::new("ja".to_owned());
    let contribution = RwSignal::new(String::new());
    let problems = RwSignal::new(None);
    let error = RwSignal::new(None::<Notice>);
    let domains = Signal::derive(move || {
        register.with(|r| {
            r.iter()
                .flat_map(|r| &r.domains)
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect::<Options>()
        })
    });
    let answers = Signal::derive(|| {
        ["ja", "nee"]
            .map(|a| (a.to_owned(), tr(&format!("readiness.{a}"))))
            .into_iter()
            .collect::<Options>()
    });
    let domain_name = move |id: &Option<String>| {
        id.as_ref().map(|id| {
            register.with(|r| r.as_ref().map_or_else(|| id.clone(), |r| r.domain_name(id)))
        })
    };
    let id = knelpunt_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = domain.get_untracked();
        let answer = register::Readiness {
            person: identity::person_id(),
            name: name.get_untracked(),
            organisation: organisation.get_untracked(),
            domain: (!chosen.is_empty()).then_some(chosen),
            joins: joins.get_untracked() == "ja",
            contribution: contribution.get_untracked(),
            date: crate::platform::today(),
        };
        match workspace.edit_fixed::<Register>(|r| r.answer_readiness(&id, answer)) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                contribution.set(String::new());
            }
            Err(DocError::Invalid(p)) => problems.set(Some(p)),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let proposes = move || knelpunt.with(|k| k.as_ref().is_some_and(stage::proposes_table));
    let prefix = knelpunt_id.clone();
    view! {
        <details class="readiness">
            <summary>{move || {
                let n = knelpunt.with(|k| k.as_ref().map_or(0, |k| k.readiness.iter().filter(|r| r.joins).count()));
                tr_with("readiness.summary", &[("n", &n.to_string())])
            }}</summary>
            <Show when=proposes>
                <p class="banner info proposal" role="status">{t("readiness.proposal")}</p>
            </Show>
            <ul class="readiness-list">
                {move || knelpunt.with(|k| k.iter().flat_map(|k| k.readiness.clone()).collect::<Vec<_>>()).into_iter().map(|r| {
                    let answer = if r.joins { tr("readiness.joins") } else { tr("readiness.declines") };
                    let domain = domain_name(&r.domain).map(|d| format!(" · {d}")).unwrap_or_default();
                    view! {
                        <li data-joins=r.joins.to_string()>
                            <strong>{format!("{} ({})", r.name, r.organisation)}</strong>
                            {format!(" — {answer}{domain}")}
                            {(!r.contribution.is_empty()).then(|| view! { <p class="muted">{r.contribution.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || workspace.may_edit(regie_core::register::register_id())>
                <form class="readiness-form" on:submit=submit.clone()>
                    <div class="field-row">
                        <TextInput id=format!("{prefix}-ready-name") label="readiness.name" value=name problems field=regie_core::plan::Field::Text/>
                        <TextInput id=format!("{prefix}-ready-org") label="readiness.organisation" value=organisation/>
                    </div>
                    <div class="field-row">
                        <Choice id=format!("{prefix}-ready-joins") label="readiness.question" options=answers value=joins/>
                        <Choice id=format!("{prefix}-ready-domain") label="readiness.domain" options=domains value=domain empty="readiness.no_domain"/>
                    </div>
                    <TextInput id=format!("{prefix}-ready-contribution") label="readiness.contribution" value=contribution/>
                    <button type="submit">{t("readiness.answer")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </details>
    }
}

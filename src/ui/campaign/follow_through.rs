//! A campaign's follow-through (seed 003: "een trekker en een regisseur om
//! de pistes verder uit te werken"): who pulls it (an organisation of the
//! adresboek) and which regisseur follows it up; and each piste turned into
//! an actie in one or more wijkactieplannen, which keeps its origin and
//! says so ("waarom bestaat deze actie?").

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::DocumentId;
use regie_core::campaign::Campaign;
use regie_core::cycle::follow_through::{self, Into};
use regie_core::cycle::triage;
use regie_core::directory::Directory;
use regie_core::kind::DocError;
use regie_core::plan::Plan;
use regie_core::register::Register;

use crate::platform::{Workspace, new_item_id};
use crate::ui::common::cycle::wijk_name;
use crate::ui::common::forms::{Choice, Options, organisation_options};
use crate::ui::common::text::{Notice, form_error, t, tr};

/// The trekker and the regisseur.
#[component]
pub fn Leads(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let now = campaign.get_untracked();
    let trekker = RwSignal::new(
        now.as_ref()
            .and_then(|c| c.trekker.clone())
            .unwrap_or_default(),
    );
    let regisseur = RwSignal::new(now.and_then(|c| c.regisseur.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<Notice>);
    let saved = RwSignal::new(false);
    let organisations = Signal::derive(move || {
        workspace
            .fixed::<Directory>()
            .map(|d| organisation_options(&d))
            .unwrap_or_default()
    });
    let regisseurs = Signal::derive(move || {
        workspace
            .fixed::<Register>()
            .map(|r| {
                triage::regisseurs(&r)
                    .into_iter()
                    .map(|n| (n.to_owned(), n.to_owned()))
                    .collect::<Options>()
            })
            .unwrap_or_default()
    });
    let name_of = move |org: &str| {
        workspace
            .fixed::<Directory>()
            .map_or_else(|| org.to_owned(), |d| d.name_of(org))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = workspace.edit::<Campaign>(id, |c| {
            c.set_leads(&trekker.get_untracked(), &regisseur.get_untracked());
            Ok(())
        });
        saved.set(result.is_ok());
        error.set(result.err().map(Notice::from));
    };
    let shown = move || {
        campaign.with(|c| {
            let c = c.as_ref()?;
            Some((
                c.trekker
                    .as_deref()
                    .map(name_of)
                    .unwrap_or_else(|| tr("campaign.nobody")),
                c.regisseur.clone().unwrap_or_else(|| tr("campaign.nobody")),
            ))
        })
    };
    view! {
        <section class="card leads">
            <h2>{t("campaign.leads")}</h2>
            {move || shown().map(|(trekker, regisseur)| view! {
                <p class="lead-names">
                    {t("campaign.trekker")} ": " <strong data-trekker="">{trekker}</strong>
                    " · " {t("campaign.regisseur")} ": " <strong data-regisseur="">{regisseur}</strong>
                </p>
            })}
            <Show when=move || workspace.may_edit(id)>
                <form class="inline-form" on:submit=save>
                    <Choice id="campaign-trekker".into() label="campaign.trekker" options=organisations value=trekker empty="campaign.choose_trekker"/>
                    <Choice id="campaign-regisseur".into() label="campaign.regisseur" options=regisseurs value=regisseur empty="campaign.choose_regisseur"/>
                    <button type="submit">{t("campaign.save_leads")}</button>
                    {move || saved.get().then(|| view! { <span class="muted" role="status">{t("campaign.saved")}</span> })}
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

/// Each piste, the acties it became, and making one.
#[component]
pub fn FollowThrough(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let pistes = Memo::new(move |_| {
        campaign.with(|c| {
            c.iter()
                .flat_map(|c| c.pistes())
                .map(|p| (p.card.clone(), p.text.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card follow-through">
            <h2>{t("campaign.follow_through")}</h2>
            <p class="muted">{t("campaign.follow_through_text")}</p>
            <For each=move || pistes.get() key=|(card, _)| card.clone() let:piste>
                <PisteItem id campaign card=piste.0 text=piste.1/>
            </For>
        </section>
    }
}

#[component]
fn PisteItem(
    id: DocumentId,
    campaign: Memo<Option<Arc<Campaign>>>,
    card: String,
    text: String,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    // Plans this link may add an actie to.
    let plans = Memo::new(move |_| {
        workspace
            .all::<Plan>()
            .into_iter()
            .filter(|(plan, _)| workspace.may_edit(*plan))
            .collect::<Vec<_>>()
    });
    let plan = RwSignal::new(String::new());
    let ambition = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let plan_options = Signal::derive(move || {
        let mut options: Options = plans.with(|p| {
            p.iter()
                .map(|(id, plan)| (id.to_string(), wijk_name(&plan.wijk)))
                .collect()
        });
        options.sort_by(|a, b| a.1.cmp(&b.1));
        options
    });
    let ambition_options = Signal::derive(move || {
        let chosen = plan.get();
        let mut options: Options = plans.with(|p| {
            p.iter()
                .filter(|(id, _)| id.to_string() == chosen)
                .flat_map(|(_, plan)| &plan.ambitions)
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect()
        });
        options.push(("new".to_owned(), tr("campaign.new_ambition")));
        options
    });
    let key = card.clone();
    let made = move || {
        campaign.with(|c| {
            c.iter()
                .flat_map(|c| &c.actions)
                .filter(|a| a.card == key)
                .filter_map(|a| {
                    let (plan_id, action) = a.target()?;
                    let title = plans.with(|p| {
                        let (_, plan) = p.iter().find(|(i, _)| *i == plan_id)?;
                        Some(format!(
                            "{} ({})",
                            plan.action(action)?.title,
                            wijk_name(&plan.wijk)
                        ))
                    });
                    Some((
                        format!("/plan/{plan_id}?actie={action}"),
                        title.unwrap_or_else(|| tr("chain.not_here")),
                    ))
                })
                .collect::<Vec<_>>()
        })
    };
    let key = card.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(plan_id) = plan.get_untracked().parse::<DocumentId>() else {
            error.set(Some(Notice::Key("campaign.choose_plan")));
            return;
        };
        let Some(c) = campaign.get_untracked() else {
            return;
        };
        let (action_id, new_ambition) = (new_item_id(), new_item_id());
        let chosen = ambition.get_untracked();
        let into = match chosen.as_str() {
            "" | "new" => Into::NewAmbition(&new_ambition),
            existing => Into::Ambition(existing),
        };
        let made = workspace.edit::<Plan>(plan_id, |p| {
            follow_through::action_from_piste(p, &id, &c, &key, into, &action_id)
        });
        if let Err(e) = made {
            error.set(Some(e.into()));
            return;
        }
        // The campaign lists it too; a link that may only read the campaign
        // leaves that to the actie's origin, which the chain also follows.
        match workspace.edit::<Campaign>(id, |c| c.record_action(&key, &plan_id, &action_id)) {
            Ok(()) | Err(DocError::ReadOnly) => error.set(None),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let (plan_id, ambition_id) = (
        format!("piste-plan-{card}"),
        format!("piste-ambition-{card}"),
    );
    view! {
        <article class="piste" data-card=card.clone()>
            <p class="piste-text">{text}</p>
            {move || {
                let made = made();
                (!made.is_empty()).then(|| view! {
                    <ul class="piste-actions">
                        {made.into_iter().map(|(href, title)| view! { <li>{t("chain.action")} ": " <A href=href>{title}</A></li> }).collect_view()}
                    </ul>
                })
            }}
            <Show when=move || !plans.with(Vec::is_empty)>
                <form class="inline-form" on:submit=submit.clone()>
                    <Choice id=plan_id.clone() label="campaign.to_plan" options=plan_options value=plan empty="campaign.choose_plan_option"/>
                    <Choice id=ambition_id.clone() label="campaign.to_ambition" options=ambition_options value=ambition/>
                    <button type="submit">{t("campaign.make_action")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </article>
    }
}

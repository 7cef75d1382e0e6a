//! The circles around the plan (seed 000): the wijkactieteam, who draft,
//! follow up and carry out the plan, and the wider netwerk SW&G.

use leptos::prelude::*;
use regie_core::plan::{Circle, Plan};

use super::context::PlanCtx;
use crate::platform::Workspace;
use crate::ui::common::forms::{Choice, Options};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The team view.
#[component]
pub fn Team() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let organisation = RwSignal::new(String::new());
    let circle = RwSignal::new(Circle::Wijkactieteam.slug().to_owned());
    let error = RwSignal::new(None::<Notice>);
    let set = move |org: String, circle: Option<Circle>| match workspace
        .edit::<Plan>(ctx.id, |p| p.set_member(&org, circle))
    {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e.into())),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let org = organisation.get_untracked();
        if org.is_empty() {
            error.set(Some(Notice::Key("team.choose_organisation")));
            return;
        }
        set(org, Circle::from_slug(&circle.get_untracked()));
        organisation.set(String::new());
    };
    let circles = Signal::derive(|| {
        Circle::ALL
            .into_iter()
            .map(|c| (c.slug().to_owned(), tr(circle_label(c))))
            .collect::<Options>()
    });
    let members = move |c: Circle| {
        ctx.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.members)
                .filter(|m| m.circle == c)
                .map(|m| m.organisation.clone())
                .collect::<Vec<_>>()
        })
    };
    let list = move |c: Circle| {
        let description = match c {
            Circle::Wijkactieteam => "team.wijkactieteam_text",
            Circle::Netwerk => "team.netwerk_text",
        };
        view! {
            <section class="card circle" data-circle=c.slug()>
                <h2>{t(circle_label(c))}</h2>
                <p class="muted">{t(description)}</p>
                {move || {
                    let orgs = members(c);
                    if orgs.is_empty() {
                        return view! { <p class="muted">{t("team.nobody")}</p> }.into_any();
                    }
                    view! {
                        <ul>
                            {orgs.into_iter().map(|org| {
                                let name = ctx.name(&org);
                                let other = match c { Circle::Wijkactieteam => Circle::Netwerk, Circle::Netwerk => Circle::Wijkactieteam };
                                let (org_a, org_b) = (org.clone(), org.clone());
                                view! {
                                    <li>
                                        {name.clone()}
                                        <Show when=move || workspace.may_edit(ctx.id)>
                                            <button type="button" class="small" on:click={
                                                let org = org_a.clone();
                                                move |_| set(org.clone(), Some(other))
                                            }>{move || tr_with("team.move_to", &[("circle", &tr(circle_label(other)))])}</button>
                                            <button type="button" class="small danger" aria-label={
                                                let name = name.clone();
                                                move || tr_with("team.remove_named", &[("name", &name)])
                                            } on:click={
                                                let org = org_b.clone();
                                                move |_| set(org.clone(), None)
                                            }>{t("team.remove")}</button>
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    };
    view! {
        <div class="circles">{Circle::ALL.into_iter().map(list).collect_view()}</div>
        <Show when=move || workspace.may_edit(ctx.id)>
            <form class="card inline-form" on:submit=add>
                <Choice id="member-organisation".into() label="team.organisation" options=Signal::derive(move || ctx.organisations()) value=organisation empty="team.choose_organisation_option"/>
                <Choice id="member-circle".into() label="team.circle" options=circles value=circle/>
                <button type="submit">{t("team.add")}</button>
                {form_error(error)}
            </form>
        </Show>
    }
}

/// The locale key of a circle's name.
fn circle_label(circle: Circle) -> &'static str {
    match circle {
        Circle::Wijkactieteam => "team.wijkactieteam",
        Circle::Netwerk => "team.netwerk",
    }
}

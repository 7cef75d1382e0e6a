//! The circles around the plan (seed 000): the wijkactieteam, who draft,
//! follow up and carry out the plan, and the wider netwerk SW&G.

use leptos::prelude::*;
use regie_core::plan::Circle;

use super::forms::{Choice, Options};
use super::plan::PlanCtx;
use crate::platform::Workspace;

/// The team view.
#[component]
pub fn Team() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let organisation = RwSignal::new(String::new());
    let circle = RwSignal::new(Circle::Wijkactieteam.slug().to_owned());
    let error = RwSignal::new(None::<String>);
    let set = move |org: String, circle: Option<Circle>| match workspace
        .edit_plan(ctx.id, |p| p.set_member(&org, circle))
    {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e.to_string())),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let org = organisation.get_untracked();
        if org.is_empty() {
            error.set(Some("Kies een organisatie.".to_owned()));
            return;
        }
        set(org, Circle::from_slug(&circle.get_untracked()));
        organisation.set(String::new());
    };
    let circles: Options = Circle::ALL
        .into_iter()
        .map(|c| (c.slug().to_owned(), c.label().to_owned()))
        .collect();
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
            Circle::Wijkactieteam => "Maakt het plan op, volgt het op en voert het uit.",
            Circle::Netwerk => {
                "Deelt informatie, geeft signalen door en krijgt terugkoppeling over het plan."
            }
        };
        view! {
            <section class="card circle" data-circle=c.slug()>
                <h2>{c.label()}</h2>
                <p class="muted">{description}</p>
                {move || {
                    let orgs = members(c);
                    if orgs.is_empty() {
                        return view! { <p class="muted">"Nog niemand."</p> }.into_any();
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
                                        <Show when=move || workspace.can_write()>
                                            <button type="button" class="small" on:click={
                                                let org = org_a.clone();
                                                move |_| set(org.clone(), Some(other))
                                            }>{format!("Naar {}", other.label())}</button>
                                            <button type="button" class="small danger" aria-label=format!("{} weghalen", name) on:click={
                                                let org = org_b.clone();
                                                move |_| set(org.clone(), None)
                                            }>"Weghalen"</button>
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
        <Show when=move || workspace.can_write()>
            <form class="card inline-form" on:submit=add>
                <Choice id="member-organisation".into() label="Organisatie" options=Signal::derive(move || ctx.organisations()) value=organisation empty="Kies een organisatie"/>
                <Choice id="member-circle".into() label="Kring" options=circles.clone() value=circle/>
                <button type="submit">"Toevoegen"</button>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </form>
        </Show>
    }
}

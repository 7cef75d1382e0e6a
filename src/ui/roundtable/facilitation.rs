//! Running the table: phases and the timer, set by the facilitator (who
//! started the table, or to whom the role was handed) and seen by everyone;
//! anyone else's click on a phase proposes it. And the participants
//! (joining the table).

use leptos::prelude::*;
use regie_core::roundtable::{Participant, Phase};

use super::context::{TableCtx, phase_label};
use crate::platform::{Workspace, clock};
use crate::ui::common::forms::{Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// Phases and the timer, set by the facilitator, seen by everyone.
#[component]
pub fn Facilitation() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let now = clock::ticking_clock();
    let minutes = RwSignal::new("10".to_owned());
    let error = RwSignal::new(None::<Notice>);
    let phase = move || ctx.table.with(|t| t.as_ref().map(|t| t.phase));
    let me = ctx.me.get_value();
    let leads = {
        let me = me.clone();
        Memo::new(move |_| {
            workspace.may_edit(ctx.id)
                && ctx.table.with(|t| t.as_ref().is_some_and(|t| t.leads(&me)))
        })
    };
    let facilitator = move || {
        ctx.table.with(|t| {
            let t = t.as_ref()?;
            let id = t.facilitator.as_ref()?;
            Some(
                t.participants
                    .iter()
                    .find(|p| &p.id == id)
                    .map_or_else(|| tr("roundtable.facilitator_unnamed"), |p| p.name.clone()),
            )
        })
    };
    let proposals = move || {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.proposals.iter().map(|(who, phase)| {
                        let name = t
                            .participants
                            .iter()
                            .find(|p| &p.id == who)
                            .map_or_else(String::new, |p| p.name.clone());
                        tr_with(
                            "roundtable.proposed",
                            &[("name", &name), ("phase", &tr(phase_label(*phase)))],
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    let click_phase = {
        let me = me.clone();
        move |p: Phase| {
            let me = me.clone();
            let result = ctx.edit(move |t| {
                if t.leads(&me) {
                    t.lead_phase(&me, p)
                } else {
                    t.propose_phase(&me, p);
                    Ok(())
                }
            });
            error.set(result.err().map(Notice::from));
        }
    };
    let remaining = move || {
        let ends = ctx.table.with(|t| t.as_ref()?.timer_ends)?;
        let left = ((ends as f64 - now.get()) / 1000.0).max(0.0) as i64;
        Some(if left == 0 {
            tr("roundtable.time_up")
        } else {
            let left = format!("{}:{:02}", left / 60, left % 60);
            tr_with("roundtable.time_left", &[("time", &left)])
        })
    };
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let me = ctx.me.get_value();
        let result = match minutes.get_untracked().trim().parse::<u64>() {
            Ok(m) => ctx
                .edit(|t| {
                    t.check_leads(&me)?;
                    t.start_timer(clock::now_ms(), m)
                })
                .map_err(Notice::from),
            Err(_) => Err(Notice::Key("roundtable.minutes_number")),
        };
        error.set(result.err());
    };
    view! {
        <section class="card facilitation">
            <p class="muted facilitator">{move || facilitator().map(|name| tr_with("roundtable.led_by", &[("name", &name)]))}
                {move || (workspace.may_edit(ctx.id) && !leads.get()).then(|| view! { " " {t("roundtable.propose_hint")} })}</p>
            <div class="phases" role="group" aria-label=t("roundtable.phase")>
                {Phase::ALL.into_iter().map(|p| {
                    let click_phase = click_phase.clone();
                    view! {
                        <button type="button" class="phase" aria-pressed=move || (phase() == Some(p)).to_string()
                            prop:disabled=move || !workspace.may_edit(ctx.id)
                            on:click=move |_| click_phase(p)>
                            {t(phase_label(p))}
                        </button>
                    }
                }).collect_view()}
            </div>
            <ul class="proposals" aria-live="polite">{move || proposals().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <p class="timer" role="timer" aria-live="off">{move || remaining().unwrap_or_else(|| tr("roundtable.no_timer"))}</p>
            <Show when=move || leads.get()>
                <HandOver/>
                <form class="inline-form" on:submit=start>
                    <TextInput id="timer-minutes".into() label="roundtable.minutes" value=minutes/>
                    <button type="submit">{t("roundtable.start_timer")}</button>
                    <button type="button" on:click=move |_| {
                        let me = ctx.me.get_value();
                        let _ = ctx.edit(|t| { t.check_leads(&me)?; t.stop_timer(); Ok(()) });
                    }>{t("roundtable.stop_timer")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

/// The facilitator hands the role to another participant.
#[component]
fn HandOver() -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let to = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let others = Signal::derive(move || {
        let me = ctx.me.get_value();
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| &t.participants)
                .filter(|p| p.id != me)
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Options>()
        })
    });
    let hand = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let me = ctx.me.get_value();
        let result = ctx.edit(|t| t.hand_over(&me, &to.get_untracked()));
        error.set(result.err().map(Notice::from));
    };
    view! {
        <Show when=move || !others.get().is_empty()>
            <form class="inline-form hand-over" on:submit=hand>
                <Choice id="hand-over".into() label="roundtable.hand_over_to" options=others value=to empty="roundtable.choose_participant"/>
                <button type="submit">{t("roundtable.hand_over")}</button>
                {form_error(error)}
            </form>
        </Show>
    }
}

/// Who is at the table, and joining it.
#[component]
pub fn Participants() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let me = workspace.me();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let organisation = RwSignal::new(me.map(|m| m.organisation).unwrap_or_default());
    let decides = RwSignal::new(true);
    let error = RwSignal::new(None::<Notice>);
    let joined = move || ctx.joined();
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let participant = Participant {
            id: ctx.me.get_value(),
            name: name.get_untracked().trim().to_owned(),
            organisation: organisation.get_untracked().trim().to_owned(),
            decides: decides.get_untracked(),
        };
        let result = ctx.edit(|t| t.join(participant));
        error.set(result.err().map(|_| Notice::Key("roundtable.name_missing")));
    };
    view! {
        <section class="card participants">
            <h2>{t("roundtable.at_table")}</h2>
            <ul>
                {move || ctx.table.with(|t| t.iter().flat_map(|t| t.participants.clone()).map(|p| view! {
                    <li>{p.name} <span class="muted">{format!(" · {}{}", p.organisation, if p.decides { format!(" · {}", tr("roundtable.decides_short")) } else { String::new() })}</span></li>
                }).collect_view())}
            </ul>
            <Show when=move || workspace.may_edit(ctx.id) && !joined()>
                <form class="inline-form join" on:submit=join>
                    <TextInput id="join-name".into() label="roundtable.name" value=name/>
                    <TextInput id="join-organisation".into() label="roundtable.organisation" value=organisation/>
                    <div class="field checkbox">
                        <input id="join-decides" type="checkbox" prop:checked=move || decides.get()
                            on:change=move |ev| decides.set(event_target_checked(&ev))/>
                        <label for="join-decides">{t("roundtable.decides")}</label>
                    </div>
                    <button type="submit">{t("roundtable.join")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

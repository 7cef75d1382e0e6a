//! Running the table: phases and the timer, set by the facilitator and seen
//! by everyone, and the participants (joining the table).

use leptos::prelude::*;
use regie_core::roundtable::{Participant, Phase};

use super::context::{TableCtx, phase_label};
use crate::platform::{Workspace, clock};
use crate::ui::common::forms::TextInput;
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
        let result = match minutes.get_untracked().trim().parse::<u64>() {
            Ok(m) => ctx
                .edit(|t| t.start_timer(clock::now_ms(), m))
                .map_err(Notice::from),
            Err(_) => Err(Notice::Key("roundtable.minutes_number")),
        };
        error.set(result.err());
    };
    view! {
        <section class="card facilitation">
            <div class="phases" role="group" aria-label=t("roundtable.phase")>
                {Phase::ALL.into_iter().map(|p| view! {
                    <button type="button" class="phase" aria-pressed=move || (phase() == Some(p)).to_string()
                        prop:disabled=move || !workspace.may_edit(ctx.id)
                        on:click=move |_| { let _ = ctx.edit(|t| { t.set_phase(p); Ok(()) }); }>
                        {t(phase_label(p))}
                    </button>
                }).collect_view()}
            </div>
            <p class="timer" role="timer" aria-live="off">{move || remaining().unwrap_or_else(|| tr("roundtable.no_timer"))}</p>
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="inline-form" on:submit=start>
                    <TextInput id="timer-minutes".into() label="roundtable.minutes" value=minutes/>
                    <button type="submit">{t("roundtable.start_timer")}</button>
                    <button type="button" on:click=move |_| { let _ = ctx.edit(|t| { t.stop_timer(); Ok(()) }); }>{t("roundtable.stop_timer")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
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

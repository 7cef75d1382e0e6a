//! Who came to the meeting, per organisation: each tablet adds its own
//! organisation (the list is keyed per organisation, so tablets adding at
//! once all keep theirs), with the people present, or that it sent
//! apologies.

use leptos::prelude::*;

use super::context::MeetingCtx;
use crate::ui::common::forms::{Choice, Options, TextInput, organisation_options};
use crate::ui::common::text::{Notice, form_error, t, tr_with};

#[component]
pub fn AttendanceList() -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let organisation = RwSignal::new(String::new());
    let people = RwSignal::new(String::new());
    let excused = RwSignal::new(false);
    let error = RwSignal::new(None::<Notice>);
    let options = Signal::derive(move || {
        ctx.directory
            .with(|d| d.as_deref().map(organisation_options).unwrap_or_default())
            .into_iter()
            .collect::<Options>()
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = ctx.edit(|m| {
            m.set_attendance(
                &organisation.get_untracked(),
                &people.get_untracked(),
                !excused.get_untracked(),
            )
        });
        match result {
            Ok(()) => {
                people.set(String::new());
                excused.set(false);
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let rows = move || {
        ctx.meeting.with(|m| {
            m.iter()
                .flat_map(|m| m.attendance.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card attendance">
            <h2>{t("meeting.attendance")}</h2>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p class="muted">{t("minutes.nobody")}</p> }.into_any();
                }
                view! {
                    <ul class="attendance-list">
                        {rows.into_iter().map(|a| {
                            let name = ctx.organisation(&a.organisation);
                            let key = a.organisation.clone();
                            let label = tr_with("meeting.remove_attendance", &[("name", &name)]);
                            let presence = if a.present { "minutes.present" } else { "minutes.excused" };
                            view! {
                                <li>
                                    <strong>{name}</strong>
                                    {(!a.people.is_empty()).then(|| format!(" — {}", a.people))}
                                    <span class="muted">" (" {t(presence)} ")"</span>
                                    <Show when=move || ctx.writable()>
                                        <button type="button" class="link" aria-label=label.clone() on:click={
                                            let key = key.clone();
                                            move |_| { let _ = ctx.edit(|m| m.remove_attendance(&key)); }
                                        }>{t("meeting.remove")}</button>
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=move || ctx.writable()>
                <form class="inline-form" on:submit=add>
                    <Choice id="attendance-organisation".into() label="meeting.organisation" options value=organisation empty="meeting.choose_organisation"/>
                    <TextInput id="attendance-people".into() label="meeting.people" value=people/>
                    <label class="check" for="attendance-excused">
                        <input id="attendance-excused" type="checkbox" prop:checked=move || excused.get() on:change=move |ev| excused.set(event_target_checked(&ev))/>
                        {t("meeting.excused")}
                    </label>
                    <button type="submit">{t("meeting.add_attendance")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

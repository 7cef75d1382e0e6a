//! Vergaderingen: the wijkactieteam's meetings about this plan, the latest
//! first, and starting the next one (its agenda is proposed from what
//! changed since the previous one).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::meeting::MeetingForm;

use super::context::PlanCtx;
use crate::i18n;
use crate::platform::Workspace;
use crate::ui::common::forms::TextInput;
use crate::ui::common::text::{Notice, form_error, t, tr_with};

#[component]
pub fn Meetings() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let date = RwSignal::new(crate::platform::today());
    let place = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let navigate = use_navigate();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = MeetingForm {
            date: date.get_untracked(),
            place: place.get_untracked(),
        };
        match workspace.create_meeting(ctx.id, &form) {
            Ok(id) => navigate(&format!("/vergadering/{id}"), Default::default()),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let meetings = move || workspace.meetings_of(ctx.id);
    view! {
        <section class="meetings">
            <h2>{t("meeting.list")}</h2>
            {move || {
                let all = meetings();
                if all.is_empty() {
                    return view! { <p class="muted">{t("meeting.none")}</p> }.into_any();
                }
                view! {
                    <ul class="meeting-list">
                        {all.into_iter().map(|(id, m)| {
                            let open = m.open_decisions().count().to_string();
                            let state = if m.closed.is_some() { "meeting.closed" } else { "meeting.running" };
                            view! {
                                <li>
                                    <a href=format!("/vergadering/{id}")>{i18n::date(&m.date)} " · " {m.place.clone()}</a>
                                    <span class="muted">" " {t(state)} " · " {tr_with("meeting.open_count", &[("count", &open)])}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="card inline-form new-meeting" on:submit=start.clone()>
                    <h3>{t("meeting.new")}</h3>
                    <p class="muted">{t("meeting.new_hint")}</p>
                    <TextInput id="meeting-date".into() label="meeting.date" kind="date" value=date/>
                    <TextInput id="meeting-place".into() label="meeting.place" value=place/>
                    <button type="submit" class="primary">{t("meeting.start")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

//! The meeting page (`/vergadering/:id`): a wijkactieteam meeting held on
//! several tablets at once — who is there, the agenda proposed from what
//! changed since the previous meeting, a note per item typed together, the
//! decisions (which land as opvolging on their acties), and closing it.
//! The page owns [`context::MeetingCtx`] and provides it to its parts; the minutes
//! are a page of their own ([`minutes`], `/vergadering/:id/verslag`).
//!
//! - [`context`]: [`context::MeetingCtx`], and words for the agenda's lines.
//! - [`attendance`]: who came, per organisation.
//! - [`agenda`]: the items, what changed, the notes, adding an item.
//! - [`decisions`]: decisions per item, the form, done or open.
//! - [`minutes`]: the verslag, printable and as a .docx.

pub mod agenda;
pub mod attendance;
pub mod context;
pub mod decisions;
pub mod minutes;

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::kind;
use regie_core::meeting::Meeting;

use self::agenda::Agenda;
use self::attendance::AttendanceList;
use self::context::MeetingCtx;
use crate::i18n;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::cycle::wijk_name;
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::text::{Notice, form_error, t, tr_with};
use crate::ui::gate::{Shown, not_ready, open_document};

/// The page for `/vergadering/:id`.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let opened = open_document::<Meeting>();
    let (id, value) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <MeetingView id meeting=value/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_meeting", "gate.unknown_meeting"),
    }
}

#[component]
fn MeetingView(id: DocumentId, meeting: Memo<Option<Arc<Meeting>>>) -> impl IntoView {
    let ctx = MeetingCtx::new(id, meeting);
    provide_context(ctx);
    let heading = move || {
        meeting.with(|m| {
            m.as_ref().map(|m| {
                tr_with(
                    "meeting.heading",
                    &[
                        ("wijk", &wijk_name(&m.wijk)),
                        ("date", &i18n::date(&m.date)),
                    ],
                )
            })
        })
    };
    let place = move || meeting.with(|m| m.as_ref().map(|m| m.place.clone()).unwrap_or_default());
    let plan_link = move || {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| format!("/plan/{}?tab=vergaderingen", m.plan))
        })
    };
    let closed = move || meeting.with(|m| m.as_ref().is_some_and(|m| m.closed.is_some()));
    let error = RwSignal::new(None::<Notice>);
    let close = move |_| {
        let now = crate::platform::now_ms() / 1000;
        let result = ctx.edit(|m| {
            m.close(now);
            Ok(())
        });
        error.set(result.err().map(Notice::from));
    };
    view! {
        <article class="meeting">
            <h1>{heading}</h1>
            <p class="muted">{place} " · " <a href=plan_link>{t("meeting.to_plan")}</a></p>
            {move || ctx.plan.with(Option::is_none).then(|| view! { <p class="banner" role="status">{t("meeting.plan_missing")}</p> })}
            <ConflictList id/>
            <AttendanceList/>
            <Agenda/>
            <section class="card meeting-end">
                <h2>{t("meeting.end")}</h2>
                <p><a class="button-link" href=format!("/vergadering/{id}/verslag")>{t("meeting.minutes")}</a></p>
                {move || if closed() {
                    view! { <p class="muted" role="status">{t("meeting.is_closed")}</p> }.into_any()
                } else {
                    view! {
                        <Show when=move || ctx.writable()>
                            <p class="muted">{t("meeting.close_hint")}</p>
                            <button type="button" class="secondary" on:click=close>{t("meeting.close")}</button>
                        </Show>
                    }.into_any()
                }}
                {form_error(error)}
            </section>
            <HistoryDetails id restore={kind::restore::<Meeting>} summary="history.title"/>
        </article>
    }
}

//! The verslag (`/vergadering/:id/verslag`): the minutes the core makes of
//! the meeting, in the interface language, printable on A4 and saved as an
//! editable .docx (the same blocks, so what is printed and what is filed
//! say the same).

use leptos::prelude::*;
use regie_core::meeting::Meeting;
use regie_core::meeting::docx::MEDIA_TYPE;
use regie_core::meeting::minutes::{self, Block, Style};

use super::context::{MeetingCtx, words};
use crate::platform::device;
use crate::ui::common::print::PrintDate;
use crate::ui::common::text::{Notice, form_error, said_text, t, tr};
use crate::ui::gate::{Shown, not_ready, open_document};

/// The page for `/vergadering/:id/verslag`.
#[component]
pub fn MinutesPage() -> impl IntoView {
    let opened = open_document::<Meeting>();
    let (id, value) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => {
            provide_context(MeetingCtx::new(id, value));
            view! { <Minutes/> }.into_any()
        }
        (shown, _) => not_ready(shown, "gate.this_meeting", "gate.unknown_meeting"),
    }
}

#[component]
fn Minutes() -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let blocks = Memo::new(move |_| {
        let meeting = ctx.meeting.get()?;
        let plan = ctx.plan.get()?;
        let directory = ctx.directory.get()?;
        Some(minutes::minutes(&meeting, &plan, &directory))
    });
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let save_docx = move |_| {
        let Some(blocks) = blocks.get_untracked() else {
            error.set(Some(Notice::Key("meeting.plan_missing")));
            return;
        };
        let in_words = minutes::in_words(&blocks, &|text| said_text(text));
        let name = ctx.meeting.with_untracked(|m| {
            m.as_ref().map_or_else(
                || "verslag".to_owned(),
                |m| format!("verslag-{}-{}", m.wijk, m.date),
            )
        });
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = device::export_worker::docx(&in_words)
                .await
                .and_then(|bytes| device::save_file(&format!("{name}.docx"), MEDIA_TYPE, &bytes));
            busy.set(false);
            error.set(result.err().map(Notice::Said));
        });
    };
    view! {
        <article class="minutes">
            <p class="back-link"><a href=format!("/vergadering/{}", ctx.id)>{t("meeting.back")}</a></p>
            <div class="export-buttons">
                <button type="button" class="secondary" on:click=|_| device::print_page()>{t("export.print")}</button>
                <button type="button" class="secondary" on:click=save_docx prop:disabled=move || busy.get()>
                    {move || if busy.get() { tr("meeting.docx_busy") } else { tr("meeting.save_docx") }}
                </button>
            </div>
            {form_error(error)}
            <PrintDate/>
            {move || match blocks.get() {
                None => view! { <p class="muted" role="status">{t("meeting.plan_missing")}</p> }.into_any(),
                Some(blocks) => blocks.iter().map(block).collect_view().into_any(),
            }}
        </article>
    }
}

fn block(block: &Block) -> AnyView {
    match block {
        Block::Line(style, pieces) => {
            let text = words(pieces);
            match style {
                Style::Title => view! { <h1>{text}</h1> }.into_any(),
                Style::Heading => view! { <h2>{text}</h2> }.into_any(),
                Style::Subheading => view! { <h3>{text}</h3> }.into_any(),
                Style::Paragraph => view! { <p class="minutes-text">{text}</p> }.into_any(),
                Style::Item => view! { <p class="minutes-item">"• " {text}</p> }.into_any(),
            }
        }
        Block::Table(rows) => {
            let mut rows = rows.iter();
            let head = rows
                .next()
                .map(|r| {
                    r.iter()
                        .map(|c| words(std::slice::from_ref(c)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let body: Vec<Vec<String>> = rows
                .map(|r| r.iter().map(|c| words(std::slice::from_ref(c))).collect())
                .collect();
            view! {
                <table class="minutes-table">
                    <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                    <tbody>{body.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                </table>
            }.into_any()
        }
    }
}

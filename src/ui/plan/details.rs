//! The actie's details form: checked as a whole, then saved in one change;
//! only the fields the person changed are written.

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::{Action, Details, Field, Plan, Status};

use super::context::PlanCtx;
use super::widgets::Outcome;
use crate::platform::Workspace;
use crate::ui::common::forms::{CheckList, Choice, Options, TextInput};
use crate::ui::common::text::{status_label, t, tr_with};

#[component]
pub fn DetailsSection(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let start = action
        .get_untracked()
        .map(|a| a.details_form())
        .unwrap_or_default();
    // What the form showed when it opened: only fields changed since are written.
    let before = StoredValue::new(action.get_untracked().map(|a| a.details()));
    let title = RwSignal::new(start.title);
    let thema = RwSignal::new(start.thema);
    let trekker = RwSignal::new(start.trekker);
    let partners = RwSignal::new(start.partners);
    let status = RwSignal::new(start.status.unwrap_or(Status::Idee).slug().to_owned());
    let progress_text = RwSignal::new(start.progress);
    let weight = RwSignal::new(start.weight);
    let start_date = RwSignal::new(start.start);
    let end_date = RwSignal::new(start.end);
    let outcome = Outcome::new();
    let statuses = Signal::derive(|| {
        Status::ALL
            .into_iter()
            .map(|s| (s.slug().to_owned(), status_label(s)))
            .collect::<Options>()
    });
    let default_hint = move || {
        Status::from_slug(&status.get()).map(|s| {
            tr_with(
                "editor.default_progress",
                &[
                    ("percent", &s.default_progress().to_string()),
                    ("status", &status_label(s).to_lowercase()),
                ],
            )
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = regie_core::plan::DetailsForm {
            title: title.get_untracked(),
            thema: thema.get_untracked(),
            trekker: trekker.get_untracked(),
            partners: partners.get_untracked(),
            status: Status::from_slug(&status.get_untracked()),
            progress: progress_text.get_untracked(),
            weight: weight.get_untracked(),
            start: start_date.get_untracked(),
            end: end_date.get_untracked(),
        };
        let result = form
            .check()
            .map_err(DocError::from)
            .and_then(|details: Details| {
                let Some(was) = before.get_value() else {
                    return Err(DocError::NotFound);
                };
                workspace
                    .edit::<Plan>(ctx.id, |p| p.set_details(&action_id, details.clone(), &was))?;
                before.set_value(Some(details));
                Ok(())
            });
        outcome.show(result);
    };
    let problems = outcome.problems;
    view! {
        <form class="details" on:submit=submit>
            <fieldset prop:disabled=move || !workspace.may_edit(ctx.id)>
                <legend>{t("editor.details")}</legend>
                <TextInput id="action-title".into() label="editor.title" value=title problems field=Field::Title/>
                <div class="field-row">
                    <Choice id="action-status".into() label="editor.status" options=statuses value=status/>
                    <TextInput id="action-progress".into() label="editor.progress" value=progress_text
                        problems field=Field::Progress placeholder=default_hint().unwrap_or_default()/>
                    <TextInput id="action-weight".into() label="editor.weight" value=weight problems field=Field::Weight/>
                </div>
                <p class="muted hint">{default_hint} ". " {t("editor.default_hint")}</p>
                <div class="field-row">
                    <Choice id="action-thema".into() label="editor.thema" options=Signal::derive(move || ctx.themes()) value=thema empty="editor.no_thema"/>
                    <Choice id="action-trekker".into() label="editor.trekker" options=Signal::derive(move || ctx.organisations()) value=trekker empty="editor.no_trekker"/>
                </div>
                <div class="field-row">
                    <TextInput id="action-start".into() label="editor.start" kind="date" value=start_date problems field=Field::Start/>
                    <TextInput id="action-end".into() label="editor.end" kind="date" value=end_date problems field=Field::End/>
                </div>
                <CheckList id_prefix="partner" legend="editor.partners"
                    options=Signal::derive(move || ctx.organisations()) chosen=partners/>
                <button type="submit">{t("editor.save_details")}</button>
                {outcome.view("editor.details_saved")}
            </fieldset>
        </form>
    }
}

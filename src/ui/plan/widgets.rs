//! Small pieces the plan's views share: a progress bar, a one-field title
//! form, adding an ambitie, a status picker, and the add/remove feedback of
//! the actie editor's lists.

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::kind::DocError;
use regie_core::plan::{Plan, Problems, Status, progress};

use crate::platform::{Workspace, new_item_id};
use crate::ui::common::text::{Notice, form_error, status_label, t, tr};

/// A labelled progress bar (a dash when there is nothing to count); `label`
/// is a locale key.
#[component]
pub fn ProgressBar(label: &'static str, #[prop(into)] value: Signal<Option<f64>>) -> impl IntoView {
    view! {
        <div class="progress">
            <span class="progress-label">{t(label)} ": " {move || progress::label(value.get())}</span>
            <progress
                max="100"
                aria-label=t(label)
                prop:value=move || value.get().unwrap_or(0.0)
            ></progress>
        </div>
    }
}

/// A one-field form with a validation message; `submit` gets the text and
/// returns the error to show, if any. `label` and `button` are locale keys.
#[component]
pub fn TitleForm(
    input_id: Option<String>,
    label: &'static str,
    button: &'static str,
    #[prop(optional)] status: Option<RwSignal<Status>>,
    submit: impl Fn(String, Status) -> Result<(), DocError> + 'static,
    #[prop(into)] class: String,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = status.map_or(Status::Idee, |s| s.get_untracked());
        match submit(title.get_untracked(), chosen) {
            Ok(()) => {
                title.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let labelled_by_label = input_id.is_some();
    view! {
        <form class=format!("inline-form {class}") on:submit=on_submit>
            {labelled_by_label.then(|| view! { <label for=input_id.clone()>{t(label)}</label> })}
            <input
                id=input_id.clone()
                class=format!("{class}-title")
                type="text"
                aria-label=move || (!labelled_by_label).then(|| tr(label))
                bind:value=title
            />
            {status.map(|status| {
                view! {
                    <StatusSelect
                        class=format!("{class}-status")
                        label=Signal::derive(t("plan.new_action_status"))
                        status
                        on_change=Callback::new(move |s| status.set(s))
                    />
                }
            })}
            <button type="submit">{t(button)}</button>
            {form_error(error)}
        </form>
    }
}

#[component]
pub fn AddAmbition(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    view! {
        <TitleForm
            input_id=Some("new-ambition".into())
            label="plan.new_ambition"
            button="plan.add_ambition"
            class="new-ambition"
            submit={move |title, _| workspace.edit::<Plan>(id, |p| p.add_ambition(new_item_id(), &title))}
        />
    }
}

/// A status picker; shows `status` and reports the person's choice.
#[component]
pub fn StatusSelect(
    class: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] status: Signal<Status>,
    on_change: Callback<Status>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <select
            class=class
            prop:disabled=move || disabled.get()
            aria-label=move || label.get()
            prop:value=move || status.get().slug()
            on:change=move |ev| {
                if let Some(s) = Status::from_slug(&event_target_value(&ev)) {
                    on_change.run(s);
                }
            }
        >
            {Status::ALL
                .into_iter()
                .map(|s| view! { <option value=s.slug()>{move || status_label(s)}</option> })
                .collect_view()}
        </select>
    }
}

/// A form's outcome: field problems, another error, or saved.
#[derive(Clone, Copy)]
pub struct Outcome {
    /// Problems per field.
    pub problems: RwSignal<Option<Problems>>,
    /// Another error.
    pub error: RwSignal<Option<Notice>>,
    /// Saved.
    pub saved: RwSignal<bool>,
}

impl Outcome {
    pub fn new() -> Self {
        Outcome {
            problems: RwSignal::new(None),
            error: RwSignal::new(None),
            saved: RwSignal::new(false),
        }
    }

    /// Shows what happened; true when it was saved.
    pub fn show(&self, result: Result<(), DocError>) -> bool {
        self.saved.set(result.is_ok());
        match result {
            Ok(()) => {
                self.problems.set(None);
                self.error.set(None);
                true
            }
            Err(DocError::Invalid(problems)) => {
                self.problems.set(Some(problems));
                self.error.set(None);
                false
            }
            Err(e) => {
                self.problems.set(None);
                self.error.set(Some(e.into()));
                false
            }
        }
    }

    /// The error or the `ok` message (a locale key).
    pub fn view(self, ok: &'static str) -> impl IntoView {
        view! {
            {form_error(self.error)}
            {move || self.saved.get().then(|| view! { <p class="form-ok" role="status">{t(ok)}</p> })}
        }
    }
}

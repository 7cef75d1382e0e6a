//! Small form pieces used across the plan's views: labelled selects, field
//! messages, and a live text area that types straight into Automerge text.
//!
//! Labels, legends and empty choices are given as locale keys (see
//! [`super::text::tr`]), so every form follows a language switch without losing
//! what was typed.

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::{Field, Problems};

use crate::ui::common::text::{error_text, invalid_text, t};

/// Options for a select: (value, label).
pub type Options = Vec<(String, String)>;

/// A labelled `<select>`; `empty` adds a first option with value "".
/// `label` and `empty` are locale keys.
#[component]
pub fn Choice(
    id: String,
    label: &'static str,
    #[prop(into)] options: Signal<Options>,
    value: RwSignal<String>,
    #[prop(optional)] empty: Option<&'static str>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select
                id=id
                prop:disabled=move || disabled.get()
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {empty.map(|key| view! { <option value="">{t(key)}</option> })}
                {move || {
                    let chosen = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// A labelled text input bound to a signal; `label` is a locale key.
#[component]
pub fn TextInput(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] placeholder: Option<String>,
    #[prop(optional)] problems: Option<RwSignal<Option<Problems>>>,
    #[prop(optional)] field: Option<Field>,
) -> impl IntoView {
    let message_id = format!("{id}-fout");
    let error_id = message_id.clone();
    let message = move || {
        let field = field?;
        problems?.with(|p| {
            p.as_ref()?
                .0
                .iter()
                .find(|i| i.field == field)
                .map(invalid_text)
        })
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input
                id=id
                type=kind.unwrap_or("text")
                placeholder=placeholder
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=move || message().is_some().then(|| message_id.clone())
                bind:value=value
            />
            {move || {
                message().map(|m| view! { <p class="form-error" id=error_id.clone() role="alert">{m}</p> })
            }}
        </div>
    }
}

/// A text area whose every keystroke becomes Automerge text splices, so
/// two people can type in it at once. `value` is what the document holds;
/// when someone else's typing changes it, the caret stays where it was.
/// `label` is a locale key.
#[component]
pub fn LiveText(
    id: String,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String, Result<(), DocError>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    let error = RwSignal::new(None::<String>);
    // Push the document's text into the field when it differs (someone
    // else typed), keeping the caret after the same characters.
    Effect::new(move |_| {
        let text = value.get();
        let Some(el) = area.get() else {
            return;
        };
        let shown = el.value();
        if shown == text {
            return;
        }
        // Carets count UTF-16 units, as the browser does.
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let shown16: Vec<u16> = shown.encode_utf16().collect();
        let text16: Vec<u16> = text.encode_utf16().collect();
        let before = caret.min(shown16.len());
        let new_caret = if text16.len() >= before && shown16[..before] == text16[..before] {
            caret
        } else {
            (caret + text16.len()).saturating_sub(shown16.len())
        };
        el.set_value(&text);
        let _ = el.set_selection_range(new_caret as u32, new_caret as u32);
    });
    view! {
        <div class="field live-text">
            <label for=id.clone()>{t(label)}</label>
            <textarea
                id=id
                node_ref=area
                rows="4"
                prop:disabled=move || disabled.get()
                on:input=move |ev| {
                    match on_input.run(event_target_value(&ev)) {
                        Ok(()) => error.set(None),
                        Err(e) => error.set(Some(error_text(&e))),
                    }
                }
            ></textarea>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// A fieldset of checkboxes choosing several of `options`; each box has
/// the id `<id_prefix>-<value>`; `legend` is a locale key.
#[component]
pub fn CheckList(
    id_prefix: &'static str,
    legend: &'static str,
    #[prop(into)] options: Signal<Options>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="partners">
            <legend>{t(legend)}</legend>
            {move || options.get().into_iter().map(|(value, label)| {
                let input_id = format!("{id_prefix}-{value}");
                let label_for = input_id.clone();
                let checked = {
                    let value = value.clone();
                    move || chosen.with(|c| c.contains(&value))
                };
                view! {
                    <label class="check" for=label_for>
                        <input id=input_id type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != &value);
                                if on { c.push(value.clone()); }
                            });
                        }/>
                        {label}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Organisations for a select: real ones with their kind first, then the
/// seed's kinds.
pub fn organisation_options(directory: &regie_core::directory::Directory) -> Options {
    let mut options: Vec<(bool, String, String)> = directory
        .organisations
        .iter()
        .map(|o| (!o.is_real(), o.id.clone(), directory.organisation_label(o)))
        .collect();
    options.sort_by_key(|(kind, _, _)| *kind);
    options
        .into_iter()
        .map(|(_, id, label)| (id, label))
        .collect()
}

//! The wijkactieplan page: ambities with their acties, editable in place.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use regie_core::DocumentId;
use regie_core::plan::{Action, Ambition, Plan, PlanError, Status};
use regie_core::wijken;

use super::identity::WhoAmI;
use super::not_found::NotFound;
use crate::platform::Workspace;
use crate::platform::workspace::{PlanState, new_item_id};

const UNKNOWN_PLAN: &str =
    "Dit wijkactieplan bestaat niet of is niet gedeeld met deze server. Controleer de link.";

/// What kind of answer the page gives; the page only re-renders when this
/// changes, so forms keep their text while the plan updates under them.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    BadLink,
    Loading,
    NotFound,
    NotOnDevice,
    NoAccess,
    Unreadable(String),
    Plan,
}

/// The page for `/plan/:id`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<DocumentId>().ok())
    });
    // Ask for the document once local storage is read (and whenever the link changes).
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            workspace.open(id);
        }
    });
    // Tell the others in this plan that we are here (and when we leave).
    Effect::new(move |_| workspace.set_viewing(id.get()));
    on_cleanup(move || workspace.set_viewing(None));
    let state = Memo::new(move |_| id.get().map(|id| workspace.plan(id)));
    let plan = Memo::new(move |_| match state.get() {
        Some(PlanState::Ready(plan)) => Some(plan),
        _ => None,
    });
    let shown = Memo::new(move |_| match state.get() {
        None => Shown::BadLink,
        Some(PlanState::Loading) => Shown::Loading,
        Some(PlanState::NotFound) => Shown::NotFound,
        Some(PlanState::NotOnDevice) => Shown::NotOnDevice,
        Some(PlanState::NoAccess) => Shown::NoAccess,
        Some(PlanState::Unreadable(message)) => Shown::Unreadable(message),
        Some(PlanState::Ready(_)) => Shown::Plan,
    });
    move || match (shown.get(), id.get_untracked()) {
        (Shown::Plan, Some(id)) => view! { <PlanView id plan/> }.into_any(),
        (Shown::BadLink | Shown::NotFound | Shown::Plan, _) => {
            view! { <NotFound message=UNKNOWN_PLAN/> }.into_any()
        }
        (Shown::Loading, _) => {
            view! { <p class="muted" role="status">"Plan wordt geladen…"</p> }.into_any()
        }
        (Shown::NotOnDevice, _) => view! {
            <section class="card">
                <h1>"Nog niet op dit toestel"</h1>
                <p>
                    "Dit plan staat nog niet op dit toestel en de server is nu niet bereikbaar. "
                    "Zodra er verbinding is, wordt het opgehaald."
                </p>
            </section>
        }
        .into_any(),
        (Shown::NoAccess, _) => view! {
            <section class="card" role="alert">
                <h1>"Geen toegang"</h1>
                <p>
                    "Dit plan staat niet op dit toestel en je link geeft er geen toegang toe. "
                    "Vraag de sociaal regisseur om een nieuwe deellink."
                </p>
            </section>
        }
        .into_any(),
        (Shown::Unreadable(message), _) => view! {
            <section class="card" role="alert">
                <h1>"Kan dit plan niet tonen"</h1>
                <p>{message}</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn PlanView(id: DocumentId, plan: Memo<Option<Plan>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let writable = move || workspace.can_write();
    let wijk = move || plan.with(|p| p.as_ref().and_then(|p| wijken::by_slug(&p.wijk)));
    let name = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| wijken::by_slug(&p.wijk).map_or(p.wijk.clone(), |w| w.name.to_owned()))
        })
    };
    view! {
        <article class="plan">
            <h1>"Wijkactieplan " {name}</h1>
            <p class="muted">{move || wijk().map(|w| format!("Sociaal regisseur: {}", w.regisseur))}</p>
            <PresenceBar id/>
            <Show when=move || workspace.me().is_none()>
                <details class="whoami-prompt">
                    <summary>"Wie ben je? Geef je naam op, zodat anderen zien wie er meewerkt."</summary>
                    <WhoAmI/>
                </details>
            </Show>
            <Show when=move || !writable()>
                <p class="banner readonly" role="note">
                    "Alleen lezen: je kan dit plan bekijken, maar niet wijzigen."
                </p>
            </Show>
            <For
                each=move || plan.get().map(|p| p.ambitions).unwrap_or_default()
                key=|a: &Ambition| a.id.clone()
                let:ambition
            >
                <AmbitionView id ambition_id=ambition.id plan/>
            </For>
            <Show when=writable>
                <AddAmbition id/>
            </Show>
            <SharePanel id/>
        </article>
    }
}

/// A one-field form with a validation message; `submit` gets the text and
/// returns the error to show, if any.
#[component]
fn TitleForm(
    input_id: Option<String>,
    label: &'static str,
    button: &'static str,
    #[prop(optional)] status: Option<RwSignal<Status>>,
    submit: impl Fn(String, Status) -> Result<(), PlanError> + 'static,
    #[prop(into)] class: String,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = status.map_or(Status::Idee, |s| s.get_untracked());
        match submit(title.get_untracked(), chosen) {
            Ok(()) => {
                title.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let labelled_by_label = input_id.is_some();
    view! {
        <form class=format!("inline-form {class}") on:submit=on_submit>
            {labelled_by_label.then(|| view! { <label for=input_id.clone()>{label}</label> })}
            <input
                id=input_id.clone()
                class=format!("{class}-title")
                type="text"
                aria-label=(!labelled_by_label).then_some(label)
                bind:value=title
            />
            {status.map(|status| {
                view! {
                    <StatusSelect
                        class=format!("{class}-status")
                        label="Status nieuwe actie".to_owned()
                        status
                        on_change=Callback::new(move |s| status.set(s))
                    />
                }
            })}
            <button type="submit">{button}</button>
            {move || error.get().map(|e| view! { <p role="alert" class="form-error">{e}</p> })}
        </form>
    }
}

#[component]
fn AddAmbition(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    view! {
        <TitleForm
            input_id=Some("new-ambition".into())
            label="Nieuwe ambitie"
            button="Ambitie toevoegen"
            class="new-ambition"
            submit=move |title, _| workspace.edit_plan(id, |p| p.add_ambition(new_item_id(), &title))
        />
    }
}

#[component]
fn AmbitionView(id: DocumentId, ambition_id: String, plan: Memo<Option<Plan>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let key = ambition_id.clone();
    let ambition = Memo::new(move |_| {
        plan.with(|p| p.as_ref()?.ambitions.iter().find(|a| a.id == key).cloned())
    });
    let new_status = RwSignal::new(Status::Idee);
    view! {
        <section class="ambition card">
            <h2>{move || ambition.with(|a| a.as_ref().map(|a| a.title.clone()))}</h2>
            <ul class="actions">
                <For
                    each=move || ambition.get().map(|a| a.actions).unwrap_or_default()
                    key=|a: &Action| a.id.clone()
                    let:action
                >
                    <ActionRow id action_id=action.id ambition/>
                </For>
            </ul>
            <Show when=move || workspace.can_write()>
            <TitleForm
                input_id=None
                label="Titel nieuwe actie"
                button="Actie toevoegen"
                class="new-action"
                status=new_status
                submit={
                    let ambition_id = ambition_id.clone();
                    move |title, status| {
                        workspace.edit_plan(id, |p| p.add_action(&ambition_id, new_item_id(), &title, status))
                    }
                }
            />
            </Show>
        </section>
    }
}

#[component]
fn ActionRow(id: DocumentId, action_id: String, ambition: Memo<Option<Ambition>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let key = action_id.clone();
    let action = Memo::new(move |_| {
        ambition.with(|a| a.as_ref()?.actions.iter().find(|x| x.id == key).cloned())
    });
    let status =
        Signal::derive(move || action.with(|a| a.as_ref().map_or(Status::Idee, |a| a.status)));
    let title = move || action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default());
    let item = action_id.clone();
    let change = Callback::new(move |chosen: Status| {
        let _ = workspace.edit_plan(id, |p| p.set_status(&action_id, chosen));
    });
    let others = {
        let item = item.clone();
        move || workspace.editing_item(id, &item)
    };
    view! {
        <li
            class="action"
            data-status=move || status.get().slug()
            on:focusin=move |_| workspace.set_editing(Some(item.clone()))
            on:focusout=move |_| workspace.set_editing(None)
        >
            <span class="action-title">{title}</span>
            {move || {
                others()
                    .into_iter()
                    .map(|p| {
                        view! {
                            <span class="editing-badge" style=format!("border-color:{0};color:{0}", p.colour)>
                                {format!("{} bewerkt dit", p.name)}
                            </span>
                        }
                    })
                    .collect_view()
            }}
            <StatusSelect
                disabled=Signal::derive(move || !workspace.can_write())
                class="action-status".into()
                label=Signal::derive(move || format!("Status van {}", title()))
                status
                on_change=change
            />
        </li>
    }
}

/// A status picker; shows `status` and reports the person's choice.
#[component]
fn StatusSelect(
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
                .map(|s| view! { <option value=s.slug()>{s.label()}</option> })
                .collect_view()}
        </select>
    }
}

/// Links to share the plan: the edit link this browser has, and a new
/// read-only link for the wider network.
#[component]
fn SharePanel(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let read_link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let make_read_link = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match workspace.create_read_link(id).await {
                Ok(link) => read_link.set(Some(link)),
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    move || {
        workspace.edit_link(id).map(|edit_link| {
            view! {
                <section class="card share">
                    <h2>"Delen"</h2>
                    <label for="edit-link">"Bewerklink (wie deze link heeft, kan het plan wijzigen)"</label>
                    <input id="edit-link" type="text" readonly prop:value=edit_link/>
                    <button type="button" on:click=make_read_link disabled=move || busy.get()>
                        {move || if busy.get() { "Leeslink wordt gemaakt…" } else { "Maak een leeslink" }}
                    </button>
                    {move || read_link.get().map(|link| view! {
                        <label for="read-link">"Leeslink (alleen lezen, voor het netwerk SW&G)"</label>
                        <input id="read-link" type="text" readonly prop:value=link/>
                    })}
                    {move || error.get().map(|e| view! { <p role="alert" class="form-error">{e}</p> })}
                </section>
            }
        })
    }
}

/// Who else has this plan open.
#[component]
fn PresenceBar(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    move || {
        let people = workspace.present(id);
        (!people.is_empty()).then(|| {
            view! {
                <section class="presence" aria-label="Nu in dit plan">
                    <span class="muted">"Nu in dit plan: "</span>
                    <ul>
                        {people
                            .into_iter()
                            .map(|p| {
                                let org = (!p.organisation.is_empty()).then(|| format!(" ({})", p.organisation));
                                view! {
                                    <li>
                                        <span class="dot" style=format!("background:{}", p.colour)></span>
                                        {p.name}
                                        {org}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

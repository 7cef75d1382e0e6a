//! The wijkactieplan page: the plan's header, its views as tabs (outline,
//! table, board, signals, team), the actie editor and sharing. The views
//! share [`PlanCtx`] through context.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::directory::Directory;
use regie_core::plan::{self, Plan, PlanError, Status, progress};
use regie_core::wijken;

use super::action_editor::ActionEditor;
use super::board::Board;
use super::conflicts::ConflictList;
use super::export::{ExportMenu, PlanExport};
use super::forms::Options;
use super::gate::{Shown, not_ready, open_document};
use super::history::{HistoryPanel, Restore};
use super::identity::WhoAmI;
use super::outline::Outline;
use super::signals::Signals;
use super::table::ActionTable;
use super::team::Team;
use super::{Notice, form_error, status_label, t, tr, tr_with};
use crate::i18n;
use crate::platform::Workspace;
use crate::platform::workspace::new_item_id;

/// The page for `/plan/:id`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let opened = open_document(|workspace, id| workspace.plan(id));
    let (id, plan) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <PlanView id plan/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_plan", "gate.unknown_plan"),
    }
}

/// What the plan page shares with its views: which plan, the plan and
/// directory as they are now, and which actie is open in the editor.
#[derive(Clone, Copy)]
pub struct PlanCtx {
    /// The plan's document.
    pub id: DocumentId,
    /// The plan (re-read when anything changes).
    pub plan: Memo<Option<Arc<Plan>>>,
    /// The workspace directory.
    pub directory: Memo<Option<Directory>>,
    /// The actie open in the editor.
    pub open: RwSignal<Option<String>>,
}

impl PlanCtx {
    /// The name people see for a thema or organisation id.
    pub fn name(&self, id: &str) -> String {
        self.directory
            .with(|d| d.as_ref().map_or_else(|| id.to_owned(), |d| d.name_of(id)))
    }

    /// Partner organisations, for selects.
    pub fn organisations(&self) -> Options {
        self.directory.with(|d| {
            d.iter()
                .flat_map(|d| &d.organisations)
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect()
        })
    }

    /// Thema's, for selects.
    pub fn themes(&self) -> Options {
        self.directory.with(|d| {
            d.iter()
                .flat_map(|d| &d.themes)
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect()
        })
    }

    /// The plan's acties (id, title), for selects.
    pub fn actions(&self) -> Options {
        self.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.ambitions)
                .flat_map(|a| &a.actions)
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect()
        })
    }
}

/// The views of a plan, as tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Outline,
    Table,
    Board,
    Signals,
    Team,
    History,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::Outline,
        Tab::Table,
        Tab::Board,
        Tab::Signals,
        Tab::Team,
        Tab::History,
    ];

    /// A stable name for element ids (the Dutch word, whatever the language).
    fn slug(self) -> &'static str {
        match self {
            Tab::Outline => "overzicht",
            Tab::Table => "tabel",
            Tab::Board => "bord",
            Tab::Signals => "signalen",
            Tab::Team => "team",
            Tab::History => "geschiedenis",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Outline => "plan.tab_outline",
            Tab::Table => "plan.tab_table",
            Tab::Board => "plan.tab_board",
            Tab::Signals => "plan.tab_signals",
            Tab::Team => "plan.tab_team",
            Tab::History => "plan.tab_history",
        }
    }
}

#[component]
fn PlanView(id: DocumentId, plan: Memo<Option<Arc<Plan>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let directory = Memo::new(move |_| workspace.directory());
    let ctx = PlanCtx {
        id,
        plan,
        directory,
        open: RwSignal::new(None),
    };
    provide_context(ctx);
    // After the first render: how long opening a plan takes (see the benchmarks).
    Effect::new(move |_| crate::platform::mark("regie:plan-shown"));
    let tab = RwSignal::new(Tab::Outline);
    let writable = move || workspace.can_write();
    let wijk = move || plan.with(|p| p.as_ref().and_then(|p| wijken::by_slug(&p.wijk)));
    let name = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| wijken::by_slug(&p.wijk).map_or(p.wijk.clone(), |w| w.name.to_owned()))
        })
    };
    let overall = Memo::new(move |_| plan.with(|p| p.as_deref().and_then(progress::of_plan)));
    view! {
        <article class="plan">
            <h1>{t("plan.title")} " " {name}</h1>
            <p class="print-only print-date">{move || tr_with("export.printed_on", &[("date", &i18n::date(&crate::platform::today()))])}</p>
            <p class="muted">{move || wijk().map(|w| tr_with("plan.regisseur", &[("name", w.regisseur)]))}</p>
            <ProgressBar label="plan.progress" value=overall/>
            <p class="muted plan-budget">{move || plan.with(|p| p.as_deref().map(|p| {
                let (planned, spent, wijkbudget) = p.budget_totals();
                tr_with("plan.budget", &[
                    ("planned", &i18n::euro(planned)),
                    ("spent", &i18n::euro(spent)),
                    ("wijkbudget", &i18n::euro(wijkbudget)),
                ])
            }))}</p>
            <ExportMenu
                id
                name=Signal::derive(move || format!("wijkactieplan {}", name().unwrap_or_default()))
                plan=PlanExport { plan, directory }
            />
            <PresenceBar id/>
            <ConflictList id/>
            <Show when=move || workspace.me().is_none()>
                <details class="whoami-prompt">
                    <summary>{t("plan.who_prompt")}</summary>
                    <WhoAmI/>
                </details>
            </Show>
            <Show when=move || !writable()>
                <p class="banner readonly" role="note">
                    {t("plan.read_only")}
                </p>
            </Show>
            <nav class="tabs" role="tablist" aria-label=t("plan.views")>
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tab"
                                id=format!("tab-{}", t.slug())
                                aria-selected=move || (tab.get() == t).to_string()
                                on:click=move |_| tab.set(t)
                            >
                                {super::t(t.label())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <section class="tab-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get().slug())>
                {move || match tab.get() {
                    Tab::Outline => view! { <Outline/> }.into_any(),
                    Tab::Table => view! { <ActionTable/> }.into_any(),
                    Tab::Board => view! { <Board/> }.into_any(),
                    Tab::Signals => view! { <Signals/> }.into_any(),
                    Tab::Team => view! { <Team/> }.into_any(),
                    Tab::History => {
                        let restore: Restore = plan::restore_plan;
                        view! { <HistoryPanel id restore plan=true/> }.into_any()
                    }
                }}
            </section>
            {move || ctx.open.get().map(|action_id| view! { <ActionEditor action_id/> })}
            <SharePanel id/>
        </article>
    }
}

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
    submit: impl Fn(String, Status) -> Result<(), PlanError> + 'static,
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
            submit=move |title, _| workspace.edit_plan(id, |p| p.add_ambition(new_item_id(), &title))
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

/// Links to share the plan: the edit link this browser has, and a new
/// read-only link for the wider network.
#[component]
pub fn SharePanel(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let read_link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let make_read_link = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match workspace.create_read_link(id).await {
                Ok(link) => read_link.set(Some(link)),
                Err(message) => error.set(Some(Notice::Dutch(message))),
            }
            busy.set(false);
        });
    };
    move || {
        workspace.edit_link().map(|edit_link| {
            view! {
                <section class="card share">
                    <h2>{t("share.title")}</h2>
                    <label for="edit-link">{t("share.edit_link")}</label>
                    <input id="edit-link" type="text" readonly prop:value=edit_link/>
                    <button type="button" on:click=make_read_link disabled=move || busy.get()>
                        {move || tr(if busy.get() { "share.making" } else { "share.make" })}
                    </button>
                    {move || read_link.get().map(|link| view! {
                        <label for="read-link">{t("share.read_link")}</label>
                        <input id="read-link" type="text" readonly prop:value=link/>
                    })}
                    {form_error(error)}
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
                <section class="presence" aria-label=t("plan.present")>
                    <span class="muted">{t("plan.present")} ": "</span>
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

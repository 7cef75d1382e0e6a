//! The wijkactieplan page (`/plan/:id`): the plan's header, progress,
//! presence, its views as tabs, the actie editor and sharing. The page owns
//! [`context::PlanCtx`] and provides it to its views; the views import their
//! siblings ([`context`], [`widgets`]) and `common`, never this module.
//!
//! - [`context`]: [`context::PlanCtx`], shared through context.
//! - [`widgets`]: progress bar, title form, status picker, list feedback.
//! - [`outline`], [`table`], [`board`], [`signals`], [`team`], [`wijkbudget`], [`meetings`]: the tabs.
//! - [`editor`]: the actie dialog; [`details`] its form, [`lists`] its
//!   indicators, budget lines, opvolging and removal, [`why`] the chain it
//!   came from; [`placement`] moves ambities and acties; [`outcome`] says
//!   what was done with a signal.

pub mod board;
pub mod context;
pub mod details;
pub mod editor;
pub mod lists;
pub mod meetings;
pub mod outcome;
pub mod outline;
pub mod placement;
pub mod signals;
pub mod table;
pub mod team;
pub mod why;
pub mod widgets;
pub mod wijkbudget;

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::directory::Directory;
use regie_core::plan::{self, Plan, progress};
use regie_core::wijken;

use self::board::Board;
use self::context::PlanCtx;
use self::editor::ActionEditor;
use self::meetings::Meetings;
use self::outline::Outline;
use self::signals::Signals;
use self::table::ActionTable;
use self::team::Team;
use self::widgets::ProgressBar;
use self::wijkbudget::{AcuteActions, Wijkbudget};
use crate::i18n;
use crate::platform::Workspace;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::export::{ExportMenu, PlanExport};
use crate::ui::common::history::{HistoryPanel, Restore};
use crate::ui::common::print::PrintDate;
use crate::ui::common::share::SharePanel;
use crate::ui::common::text::{t, tr_with};
use crate::ui::gate::{Shown, not_ready, open_document};
use crate::ui::identity::WhoAmI;

/// The page for `/plan/:id`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let opened = open_document::<Plan>();
    let (id, plan) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <PlanView id plan/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_plan", "gate.unknown_plan"),
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
    Budget,
    Meetings,
    History,
}

impl Tab {
    const ALL: [Tab; 8] = [
        Tab::Outline,
        Tab::Table,
        Tab::Board,
        Tab::Signals,
        Tab::Team,
        Tab::Budget,
        Tab::Meetings,
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
            Tab::Budget => "budget",
            Tab::Meetings => "vergaderingen",
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
            Tab::Budget => "plan.tab_budget",
            Tab::Meetings => "plan.tab_meetings",
            Tab::History => "plan.tab_history",
        }
    }
}

#[component]
fn PlanView(id: DocumentId, plan: Memo<Option<Arc<Plan>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let directory = Memo::new(move |_| workspace.fixed::<Directory>());
    let ctx = PlanCtx {
        id,
        plan,
        directory,
        open: RwSignal::new(None),
    };
    provide_context(ctx);
    // After the first render: how long opening a plan takes (see the benchmarks).
    Effect::new(move |_| crate::platform::mark("regie:plan-shown"));
    // A link from elsewhere in the cycle may name a tab or an actie to open
    // (`?tab=signalen`, `?actie=<id>`).
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let tab = RwSignal::new(
        query
            .get("tab")
            .and_then(|slug| Tab::ALL.into_iter().find(|t| t.slug() == slug))
            .unwrap_or(Tab::Outline),
    );
    if let Some(action) = query.get("actie") {
        ctx.open.set(Some(action));
    }
    let writable = move || workspace.may_edit(id);
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
            <PrintDate/>
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
                name=Signal::derive(move || tr_with("export.file_plan", &[("name", &name().unwrap_or_default())]))
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
                                {crate::ui::common::text::t(t.label())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <section class="tab-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get().slug())>
                {move || match tab.get() {
                    Tab::Outline => view! { <AcuteActions/> <Outline/> }.into_any(),
                    Tab::Table => view! { <ActionTable/> }.into_any(),
                    Tab::Board => view! { <Board/> }.into_any(),
                    Tab::Signals => view! { <Signals/> }.into_any(),
                    Tab::Team => view! { <Team/> }.into_any(),
                    Tab::Budget => view! { <Wijkbudget/> }.into_any(),
                    Tab::Meetings => view! { <Meetings/> }.into_any(),
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
                            .map(|(p, direct)| {
                                let org = (!p.organisation.is_empty()).then(|| format!(" ({})", p.organisation));
                                let marker = direct.then(|| {
                                    view! {
                                        <span class="direct-mark" title=t("direct.reached")>
                                            " ⇄"
                                            <span class="visually-hidden">{t("direct.reached")}</span>
                                        </span>
                                    }
                                });
                                view! {
                                    <li data-direct=direct.to_string()>
                                        <span class="dot" style=format!("background:{}", p.colour)></span>
                                        {p.name}
                                        {org}
                                        {marker}
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

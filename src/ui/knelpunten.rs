//! The register page (`/knelpunten`): beleidsknelpunten with their policy
//! domains and linked signals, the signals no knelpunt covers yet ("vragen
//! aandacht", seed 003), and starting a ronde tafel from a knelpunt.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::kind::{self, DocError};
use regie_core::plan::Plan;
use regie_core::register::{self, KnelpuntForm, KnelpuntStatus, Register, SignalRef};
use regie_core::roundtable::{self, Table};
use regie_core::scope::Right;
use regie_core::wijken;

use crate::i18n;
use crate::platform::Workspace;
use crate::platform::new_item_id;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::export::ExportMenu;
use crate::ui::common::forms::{CheckList, Choice, Options, TextInput};
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// A signal of some plan on this device, as the register shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRow {
    /// Which signal.
    pub key: SignalRef,
    /// "Wijk: what (date)".
    pub label: String,
    /// It was withdrawn: it needs no attention, and says so where linked.
    pub withdrawn: bool,
    /// The slug of its plan's wijk (a table about it belongs to that wijk).
    pub wijk: String,
}

/// Every signal in the plans on this device (re-read when a plan changes
/// or appears).
pub fn signal_rows(workspace: Workspace) -> Vec<SignalRow> {
    workspace
        .all::<Plan>()
        .into_iter()
        // Only the plans this link covers (a device may hold others from
        // an earlier link).
        .filter(|(id, _)| workspace.right(*id) != Right::Nothing)
        .flat_map(|(id, plan)| {
            let wijk = wijken::by_slug(&plan.wijk).map_or(plan.wijk.clone(), |w| w.name.to_owned());
            plan.signals
                .iter()
                .map(|s| SignalRow {
                    key: SignalRef::new(&id, &s.id),
                    // The register says a linked signal was withdrawn.
                    label: if s.is_current() {
                        format!("{wijk}: {} ({})", s.what, i18n::date(&s.date))
                    } else {
                        format!("{wijk}: {}", tr("register.signal_withdrawn"))
                    },
                    withdrawn: !s.is_current(),
                    wijk: plan.wijk.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The label of a signal, or a note that its plan is not on this device.
pub fn signal_label(rows: &[SignalRow], key: &SignalRef) -> String {
    rows.iter()
        .find(|s| &s.key == key)
        .map_or_else(|| tr("register.signal_elsewhere"), |s| s.label.clone())
}

/// The register page.
#[component]
pub fn KnelpuntenPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let register = Memo::new(move |_| workspace.fixed::<Register>());
    let signals = Memo::new(move |_| signal_rows(workspace));
    let attention = Memo::new(move |_| {
        let linked: Vec<SignalRef> = register.with(|r| {
            r.iter()
                .flat_map(|r| &r.knelpunten)
                .flat_map(|k| k.signals.clone())
                .collect()
        });
        signals.with(|all| {
            all.iter()
                .filter(|s| !s.withdrawn && !linked.contains(&s.key))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let knelpunt_ids = Memo::new(move |_| {
        register.with(|r| {
            r.iter()
                .flat_map(|r| &r.knelpunten)
                .map(|k| k.id.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <article class="register">
            <h1>{t("register.title")}</h1>
            <ExportMenu id=register::register_id() name=Signal::derive(|| "knelpunten".to_owned())/>
            <ConflictList id=register::register_id()/>
            <section class="card attention">
                <h2>{t("register.attention")}</h2>
                <p class="muted">{t("register.attention_text")}</p>
                {move || {
                    let rows = attention.get();
                    if rows.is_empty() {
                        view! { <p class="muted">{t("register.none")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="attention-list">
                                {rows.into_iter().map(|s| view! { <li>{s.label.clone()} <StartFromSignal signal=s/></li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
            <For each=move || knelpunt_ids.get() key=String::clone let:knelpunt_id>
                <KnelpuntCard knelpunt_id register signals/>
            </For>
            <Show when=move || workspace.may_edit(regie_core::register::register_id())>
                <AddKnelpunt register/>
            </Show>
            <HistoryDetails id=register::register_id() restore={kind::restore::<Register>} summary="history.title"/>
        </article>
    }
}

#[component]
fn KnelpuntCard(
    knelpunt_id: String,
    register: Memo<Option<Arc<Register>>>,
    signals: Memo<Vec<SignalRow>>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let navigate = use_navigate();
    let key = knelpunt_id.clone();
    let knelpunt = Memo::new(move |_| {
        register.with(|r| r.as_ref()?.knelpunten.iter().find(|k| k.id == key).cloned())
    });
    let link = RwSignal::new(String::new());
    let status = RwSignal::new(
        knelpunt
            .get_untracked()
            .map_or("nieuw", |k| k.status.slug())
            .to_owned(),
    );
    let error = RwSignal::new(None::<Notice>);
    let statuses = Signal::derive(|| {
        KnelpuntStatus::ALL
            .into_iter()
            .map(|s| {
                (
                    s.slug().to_owned(),
                    tr(&format!("knelpunt_status.{}", s.slug())),
                )
            })
            .collect::<Options>()
    });
    let id = knelpunt_id.clone();
    Effect::new(move |previous: Option<String>| {
        let chosen = status.get();
        if previous.is_some_and(|p| p != chosen)
            && let Some(s) = KnelpuntStatus::from_slug(&chosen)
        {
            let _ = workspace.edit_fixed::<Register>(|r| r.set_status(&id, s));
        }
        chosen
    });
    let unlinked: Signal<Options> = Signal::derive(move || {
        let linked = knelpunt.with(|k| k.as_ref().map(|k| k.signals.clone()).unwrap_or_default());
        signals.with(|all| {
            all.iter()
                .filter(|s| !s.withdrawn && !linked.contains(&s.key))
                .map(|s| (s.key.key.clone(), s.label.clone()))
                .collect()
        })
    });
    let id = knelpunt_id.clone();
    let add_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = link.get_untracked();
        if chosen.is_empty() {
            error.set(Some(Notice::Key("register.choose_signal")));
            return;
        }
        let result = workspace.edit_fixed::<Register>(|r| {
            r.link_signal(
                &id,
                SignalRef {
                    key: chosen.clone(),
                },
                true,
            )
        });
        error.set(result.err().map(Notice::from));
        link.set(String::new());
    };
    let id = knelpunt_id.clone();
    let start_table = move |_| {
        let Some(k) = knelpunt.get_untracked() else {
            return;
        };
        match Table::new(&k.title, Some(k.id.clone()), k.signals.clone(), None) {
            Ok(mut table) => {
                table.insteek.0 = k.question.0.clone();
                let table_id = workspace
                    .create_document(|stamp| roundtable::new_table_document(&table, stamp));
                let _ = workspace
                    .edit_fixed::<Register>(|r| r.set_status(&id, KnelpuntStatus::RondeTafel));
                navigate(&format!("/tafel/{table_id}"), Default::default());
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let label_of = move |key: &SignalRef| signals.with(|all| signal_label(all, key));
    let (status_id, link_id) = (
        format!("status-{knelpunt_id}"),
        format!("link-signal-{knelpunt_id}"),
    );
    view! {
        <section class="card knelpunt" data-knelpunt=knelpunt_id>
            {move || knelpunt.get().map(|k| {
                let domains = register.with(|r| {
                    r.as_ref().map(|r| k.domains.iter().map(|d| {
                        r.domains.iter().find(|x| &x.id == d).map_or_else(
                            || d.clone(),
                            |x| tr_with("register.domain", &[("name", &x.name), ("regisseur", &x.regisseur), ("overleg", &x.overleg)]),
                        )
                    }).collect::<Vec<_>>().join(", ")).unwrap_or_default()
                });
                view! {
                    <h2>{k.title.clone()}</h2>
                    <p>{k.question.0.clone()}</p>
                    <p class="muted">{tr_with("register.knelpunt_meta", &[("domains", &domains), ("by", &k.raised_by), ("date", &i18n::date(&k.date))])}</p>
                    <p class="signal-count">{match k.signals.len() { 1 => tr("register.linked_one"), n => tr_with("register.linked_many", &[("n", &n.to_string())]) }}</p>
                    <ul class="linked-signals">
                        {k.signals.iter().map(|s| view! { <li>{label_of(s)}</li> }).collect_view()}
                    </ul>
                }
            })}
            <Show when=move || workspace.may_edit(regie_core::register::register_id())>
                <div class="field-row">
                    <Choice id=status_id.clone() label="register.status" options=statuses value=status/>
                </div>
                <form class="inline-form" on:submit=add_link.clone()>
                    <Choice id=link_id.clone() label="register.link_signal" options=unlinked value=link empty="register.choose_signal_option"/>
                    <button type="submit">{t("register.link")}</button>
                </form>
                <button type="button" class="primary" on:click=start_table.clone()>{t("register.start_table")}</button>
                {form_error(error)}
            </Show>
        </section>
    }
}

/// Starts a ronde tafel about one signal that no knelpunt covers yet.
#[component]
fn StartFromSignal(signal: SignalRow) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let navigate = use_navigate();
    let start = move |_| {
        let title = signal
            .label
            .split_once(": ")
            .map_or(signal.label.as_str(), |(_, what)| what);
        let wijk = Some(signal.wijk.clone());
        if let Ok(table) = Table::new(title, None, vec![signal.key.clone()], wijk) {
            let id =
                workspace.create_document(|stamp| roundtable::new_table_document(&table, stamp));
            navigate(&format!("/tafel/{id}"), Default::default());
        }
    };
    view! {
        <Show when=move || workspace.may_edit(regie_core::register::register_id())>
            <button type="button" class="small" on:click=start.clone()>{t("register.table_about")}</button>
        </Show>
    }
}

#[component]
fn AddKnelpunt(register: Memo<Option<Arc<Register>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let title = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let raised_by = RwSignal::new(workspace.me().map(|m| m.name).unwrap_or_default());
    let date = RwSignal::new(crate::platform::today());
    let domains = RwSignal::new(Vec::<String>::new());
    let problems = RwSignal::new(None);
    let error = RwSignal::new(None::<Notice>);
    let domain_options = Signal::derive(move || {
        register.with(|r| {
            r.iter()
                .flat_map(|r| &r.domains)
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect::<Options>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = KnelpuntForm {
            title: title.get_untracked(),
            question: question.get_untracked(),
            domains: domains.get_untracked(),
            raised_by: raised_by.get_untracked(),
            date: date.get_untracked(),
        };
        match workspace.edit_fixed::<Register>(|r| r.add_knelpunt(new_item_id(), &form)) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                title.set(String::new());
                question.set(String::new());
                domains.set(Vec::new());
            }
            Err(DocError::Invalid(p)) => problems.set(Some(p)),
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card add-knelpunt" on:submit=submit>
            <h2>{t("register.new")}</h2>
            <TextInput id="knelpunt-title".into() label="register.knelpunt" value=title problems field=regie_core::plan::Field::Title/>
            <div class="field">
                <label for="knelpunt-question">{t("register.question")}</label>
                <textarea id="knelpunt-question" rows="3" bind:value=question></textarea>
            </div>
            <CheckList id_prefix="domain" legend="register.domains" options=domain_options chosen=domains/>
            <div class="field-row">
                <TextInput id="knelpunt-by".into() label="register.raised_by" value=raised_by/>
                <TextInput id="knelpunt-date".into() label="register.date" kind="date" value=date problems field=regie_core::plan::Field::Date/>
            </div>
            <button type="submit">{t("register.add")}</button>
            {form_error(error)}
        </form>
    }
}

/// A table's knelpunt, for other pages: its title, if the register has it.
pub fn knelpunt_title(workspace: Workspace, id: &str) -> Option<String> {
    workspace
        .fixed::<Register>()?
        .knelpunten
        .iter()
        .find(|k| k.id == id)
        .map(|k| k.title.clone())
}

//! One knelpunt's card: its question, domains and where it is routed
//! (triage), the step it is at (a person's step, moved on by its tables and
//! campaigns), its signals, its ronde tafels and campagnes, "bereidheid
//! polsen", and starting a ronde tafel.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use regie_core::cycle::stage;
use regie_core::cycle::triage::{self, Route};
use regie_core::register::{KnelpuntStatus, Register, SignalRef};
use regie_core::roundtable::Table;

use super::readiness::Readiness;
use crate::i18n;
use crate::platform::Workspace;
use crate::ui::common::cycle::{Held, SignalRow, signal_label};
use crate::ui::common::forms::{Choice, Options};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The step's text.
pub fn stage_label(status: KnelpuntStatus) -> String {
    tr(&format!("knelpunt_status.{}", status.slug()))
}

#[component]
pub fn KnelpuntCard(
    knelpunt_id: String,
    register: Memo<Option<Arc<Register>>>,
    signals: Memo<Vec<SignalRow>>,
    held: Memo<Held>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let navigate = use_navigate();
    let key = knelpunt_id.clone();
    let knelpunt = Memo::new(move |_| {
        register.with(|r| r.as_ref()?.knelpunten.iter().find(|k| k.id == key).cloned())
    });
    let key = knelpunt_id.clone();
    // The step, derived from the tables and campaigns about it.
    let stage_now = Memo::new(move |_| {
        let k = knelpunt.get()?;
        Some(held.with(|h| {
            let (tables, campaigns) = h.of_knelpunt(&key);
            stage::stage(&k, &tables, &campaigns)
        }))
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
            .map(|s| (s.slug().to_owned(), stage_label(s)))
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
    let start_table = move |_| {
        let Some(k) = knelpunt.get_untracked() else {
            return;
        };
        match Table::new(&k.title, Some(k.id.clone()), k.signals.clone(), None)
            .map(|t| t.led_by(&crate::platform::identity::person_id()))
        {
            Ok(mut table) => {
                table.insteek.0 = k.question.0.clone();
                let table_id = workspace.create_table(&table);
                navigate(&format!("/tafel/{table_id}"), Default::default());
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let label_of = move |key: &SignalRef| signals.with(|all| signal_label(all, key));
    let route = move || {
        let k = knelpunt.get()?;
        register.with(|r| {
            let r = r.as_ref()?;
            Some(match triage::route(r, &k) {
                Route::Undecided => tr("triage.undecided"),
                Route::Overleg(d) => tr_with(
                    "triage.overleg",
                    &[
                        ("domain", &d.name),
                        ("overleg", &d.overleg),
                        ("regisseur", &d.regisseur),
                    ],
                ),
                Route::RondeTafel => tr("triage.ronde_tafel"),
            })
        })
    };
    let key = knelpunt_id.clone();
    let boards = move || held.with(|h| h.boards_of_knelpunt(&key));
    let (status_id, link_id) = (
        format!("status-{knelpunt_id}"),
        format!("link-signal-{knelpunt_id}"),
    );
    let may_edit = move || workspace.may_edit(regie_core::register::register_id());
    view! {
        <section class="card knelpunt" data-knelpunt=knelpunt_id.clone()>
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
            <p class="route" data-route="">{route}</p>
            <ol class="stages" aria-label=move || tr("register.stages")>
                {KnelpuntStatus::ALL.into_iter().map(|s| {
                    let current = move || stage_now.get() == Some(s);
                    let done = move || stage_now.get().is_some_and(|now| now > s);
                    view! {
                        <li class:current=current class:done=done data-stage=s.slug()
                            aria-current=move || current().then_some("step")>{move || stage_label(s)}</li>
                    }
                }).collect_view()}
            </ol>
            {move || {
                let rows = boards();
                (!rows.is_empty()).then(|| view! {
                    <ul class="knelpunt-boards">
                        {rows.into_iter().map(|(href, title, kind)| view! {
                            <li>{t(kind)} ": " <A href=href>{title}</A></li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <Readiness knelpunt_id=knelpunt_id.clone() knelpunt register/>
            <Show when=may_edit>
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

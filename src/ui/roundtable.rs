//! The ronde tafel page (`/tafel/:id`): the knelpunt in the middle, the
//! insteek, phases and a timer for the facilitator, participants, the board
//! (columns of cards, typed links, moving and merging), each participant's
//! scores with the haalbaarheid × effect grid, and composing a campaign.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::DocumentId;
use regie_core::campaign::{self, Campaign};
use regie_core::plan::PlanError;
use regie_core::roundtable::{self, Participant, Phase, Relation, Score, Section, Table};

use regie_core::typed;

use super::conflicts::ConflictList;
use super::export::ExportMenu;
use super::forms::{CheckList, Choice, LiveText, Options, TextInput};
use super::gate::{Shown, not_ready, open_document};
use super::history::HistoryDetails;
use super::plan::SharePanel;
use super::{Notice, form_error, t, tr, tr_with};
use crate::platform::workspace::new_item_id;
use crate::platform::{Workspace, identity};

/// What the table's views share.
#[derive(Clone, Copy)]
struct TableCtx {
    id: DocumentId,
    table: Memo<Option<Table>>,
    me: StoredValue<String>,
}

impl TableCtx {
    fn edit(
        &self,
        edit: impl FnOnce(&mut Table) -> Result<(), PlanError>,
    ) -> Result<(), PlanError> {
        let workspace = expect_context::<Workspace>();
        workspace.edit_document(self.id, |doc, stamp| {
            roundtable::edit_table(doc, stamp, edit)
        })
    }

    fn cards(&self) -> Options {
        self.table.with(|t| {
            t.iter()
                .flat_map(|t| t.cards.iter().filter(|c| c.merged_into.is_none()))
                .map(|c| {
                    (
                        c.id.clone(),
                        format!("{}: {}", tr(section_label(c.section)), short(&c.text.0)),
                    )
                })
                .collect()
        })
    }
}

fn short(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > 50 {
        format!("{}…", first.chars().take(50).collect::<String>())
    } else {
        first.to_owned()
    }
}

/// The page for `/tafel/:id`.
#[component]
pub fn TablePage() -> impl IntoView {
    let opened = open_document(|workspace, id| workspace.document(id, roundtable::read_table));
    let (id, table) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <TableView id table/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_table", "gate.unknown_table"),
    }
}

#[component]
fn TableView(id: DocumentId, table: Memo<Option<Table>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = TableCtx {
        id,
        table,
        me: StoredValue::new(identity::person_id()),
    };
    provide_context(ctx);
    let title = move || table.with(|t| t.as_ref().map(|t| t.title.clone()));
    let knelpunt = move || {
        table.with(|t| t.as_ref()?.knelpunt.clone()).and_then(|k| {
            super::knelpunten::knelpunt_title(workspace, &k)
                .map(|title| tr_with("roundtable.knelpunt", &[("title", &title)]))
        })
    };
    // The signals in the middle of the table, as their plans on this device say.
    let signals = move || {
        let rows = super::knelpunten::signal_rows(workspace);
        table.with(|t| {
            t.iter()
                .flat_map(|t| &t.signals)
                .map(|key| super::knelpunten::signal_label(&rows, key))
                .collect::<Vec<_>>()
        })
    };
    let insteek = Signal::derive(move || {
        table.with(|t| t.as_ref().map(|t| t.insteek.0.clone()).unwrap_or_default())
    });
    let write_insteek = Callback::new(move |text: String| {
        ctx.edit(|t| {
            t.insteek.0 = text;
            Ok(())
        })
    });
    view! {
        <article class="roundtable">
            <h1>{t("roundtable.title")} ": " {title}</h1>
            <p class="print-only print-date">{move || tr_with("export.printed_on", &[("date", &crate::i18n::date(&crate::platform::today()))])}</p>
            <ExportMenu id name=Signal::derive(move || format!("ronde tafel {}", title().unwrap_or_default()))/>
            <ConflictList id/>
            <p class="muted">{knelpunt}</p>
            {move || {
                let list = signals();
                (!list.is_empty()).then(|| view! {
                    <section class="card table-signals">
                        <h2>{t("roundtable.signals")}</h2>
                        <ul>{list.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    </section>
                })
            }}
            <Facilitation/>
            <LiveText id="insteek".into() label="roundtable.insteek"
                value=insteek on_input=write_insteek disabled=Signal::derive(move || !workspace.can_write())/>
            <Participants/>
            <div class="table-board">
                {Section::ALL.into_iter().map(|section| view! { <Column section/> }).collect_view()}
            </div>
            <Links/>
            <Assessment/>
            <Show when=move || workspace.can_write()>
                <ComposeCampaign/>
            </Show>
            <SharePanel id/>
            <HistoryDetails id restore={typed::restore::<Table>} summary="history.title"/>
        </article>
    }
}

/// Phases and the timer, set by the facilitator, seen by everyone.
#[component]
fn Facilitation() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let now = crate::platform::ticking_clock();
    let minutes = RwSignal::new("10".to_owned());
    let error = RwSignal::new(None::<Notice>);
    let phase = move || ctx.table.with(|t| t.as_ref().map(|t| t.phase));
    let remaining = move || {
        let ends = ctx.table.with(|t| t.as_ref()?.timer_ends)?;
        let left = ((ends as f64 - now.get()) / 1000.0).max(0.0) as i64;
        Some(if left == 0 {
            tr("roundtable.time_up")
        } else {
            let left = format!("{}:{:02}", left / 60, left % 60);
            tr_with("roundtable.time_left", &[("time", &left)])
        })
    };
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = match minutes.get_untracked().trim().parse::<u64>() {
            Ok(m) => ctx
                .edit(|t| t.start_timer(crate::platform::now_ms(), m))
                .map_err(Notice::from),
            Err(_) => Err(Notice::Key("roundtable.minutes_number")),
        };
        error.set(result.err());
    };
    view! {
        <section class="card facilitation">
            <div class="phases" role="group" aria-label=t("roundtable.phase")>
                {Phase::ALL.into_iter().map(|p| view! {
                    <button type="button" class="phase" aria-pressed=move || (phase() == Some(p)).to_string()
                        prop:disabled=move || !workspace.can_write()
                        on:click=move |_| { let _ = ctx.edit(|t| { t.set_phase(p); Ok(()) }); }>
                        {t(phase_label(p))}
                    </button>
                }).collect_view()}
            </div>
            <p class="timer" role="timer" aria-live="off">{move || remaining().unwrap_or_else(|| tr("roundtable.no_timer"))}</p>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=start>
                    <TextInput id="timer-minutes".into() label="roundtable.minutes" value=minutes/>
                    <button type="submit">{t("roundtable.start_timer")}</button>
                    <button type="button" on:click=move |_| { let _ = ctx.edit(|t| { t.stop_timer(); Ok(()) }); }>{t("roundtable.stop_timer")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Participants() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let me = workspace.me();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let organisation = RwSignal::new(me.map(|m| m.organisation).unwrap_or_default());
    let decides = RwSignal::new(true);
    let error = RwSignal::new(None::<Notice>);
    let joined = move || {
        ctx.table.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.participants.iter().any(|p| p.id == ctx.me.get_value()))
        })
    };
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let participant = Participant {
            id: ctx.me.get_value(),
            name: name.get_untracked().trim().to_owned(),
            organisation: organisation.get_untracked().trim().to_owned(),
            decides: decides.get_untracked(),
        };
        let result = ctx.edit(|t| t.join(participant));
        error.set(result.err().map(|_| Notice::Key("roundtable.name_missing")));
    };
    view! {
        <section class="card participants">
            <h2>{t("roundtable.at_table")}</h2>
            <ul>
                {move || ctx.table.with(|t| t.iter().flat_map(|t| t.participants.clone()).map(|p| view! {
                    <li>{p.name} <span class="muted">{format!(" · {}{}", p.organisation, if p.decides { format!(" · {}", tr("roundtable.decides_short")) } else { String::new() })}</span></li>
                }).collect_view())}
            </ul>
            <Show when=move || workspace.can_write() && !joined()>
                <form class="inline-form join" on:submit=join>
                    <TextInput id="join-name".into() label="roundtable.name" value=name/>
                    <TextInput id="join-organisation".into() label="roundtable.organisation" value=organisation/>
                    <div class="field checkbox">
                        <input id="join-decides" type="checkbox" prop:checked=move || decides.get()
                            on:change=move |ev| decides.set(event_target_checked(&ev))/>
                        <label for="join-decides">{t("roundtable.decides")}</label>
                    </div>
                    <button type="submit">{t("roundtable.join")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Column(section: Section) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    // Only the ids: each card reads its own text, so typing in one card
    // neither rebuilds it nor its neighbours.
    let cards = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| t.column(section).map(|c| c.id.clone()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
    });
    let text = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let present = RwSignal::new(true);
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let author = workspace.me().map(|m| m.name).unwrap_or_default();
        let (t, org) = (text.get_untracked(), organisation.get_untracked());
        let result = ctx.edit(|table| match section {
            Section::Actor => {
                table.add_actor(new_item_id(), &t, &org, present.get_untracked(), &author)
            }
            _ => table.add_card(new_item_id(), section, &t, &author),
        });
        match result {
            Ok(()) => {
                text.set(String::new());
                organisation.set(String::new());
                error.set(None);
            }
            Err(PlanError::EmptyTitle) => error.set(Some(Notice::Key("roundtable.card_empty"))),
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <section class="table-column" data-section=section.slug() aria-label=t(section_label(section))>
            <h2>{t(section_label(section))} " " <span class="count">{move || format!("({})", cards.with(Vec::len))}</span></h2>
            <ul>
                <For each=move || cards.get() key=String::clone let:card_id>
                    <CardView card_id/>
                </For>
            </ul>
            <Show when=move || workspace.can_write()>
                <form class="add-card" on:submit=add>
                    <TextInput id=format!("new-card-{}", section.slug()) label="roundtable.new_card" value=text/>
                    {(section == Section::Actor).then(|| view! {
                        <TextInput id="new-actor-organisation".into() label="roundtable.organisation" value=organisation/>
                        <div class="field checkbox">
                            <input id="new-actor-present" type="checkbox" prop:checked=move || present.get()
                                on:change=move |ev| present.set(event_target_checked(&ev))/>
                            <label for="new-actor-present">{t("roundtable.actor_present")}</label>
                        </div>
                    })}
                    <button type="submit">{t("roundtable.add_card")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn CardView(card_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let card = {
        let id = card_id.clone();
        Memo::new(move |_| {
            ctx.table
                .with(|t| t.as_ref()?.cards.iter().find(|c| c.id == id).cloned())
        })
    };
    let section = card.with_untracked(|c| c.as_ref().map_or(Section::Probleem, |c| c.section));
    let move_to = RwSignal::new(section.slug().to_owned());
    let merge_into = RwSignal::new(String::new());
    let link_to = RwSignal::new(String::new());
    let relation = RwSignal::new(Relation::ProbleemOplossing.slug().to_owned());
    let error = RwSignal::new(None::<Notice>);
    let sections = Signal::derive(|| {
        Section::ALL
            .into_iter()
            .map(|s| (s.slug().to_owned(), tr(section_label(s))))
            .collect::<Options>()
    });
    let relations = Signal::derive(|| {
        Relation::ALL
            .into_iter()
            .map(|r| (r.slug().to_owned(), relation_label(r)))
            .collect::<Options>()
    });
    let id = card_id.clone();
    let others = {
        let id = id.clone();
        Signal::derive(move || {
            ctx.cards()
                .into_iter()
                .filter(|(c, _)| *c != id)
                .collect::<Options>()
        })
    };
    {
        let id = id.clone();
        Effect::new(move |previous: Option<String>| {
            let chosen = move_to.get();
            if previous.is_some_and(|p| p != chosen)
                && let Some(section) = Section::from_slug(&chosen)
            {
                let _ = ctx.edit(|t| t.move_card(&id, section));
            }
            chosen
        });
    }
    let merge = {
        let id = id.clone();
        move |_| {
            let into = merge_into.get_untracked();
            if into.is_empty() {
                error.set(Some(Notice::Key("roundtable.choose_merge")));
                return;
            }
            error.set(
                ctx.edit(|t| t.merge_cards(&id, &into))
                    .err()
                    .map(Notice::from),
            );
        }
    };
    let link = {
        let id = id.clone();
        move |_| {
            let (to, rel) = (
                link_to.get_untracked(),
                Relation::from_slug(&relation.get_untracked()),
            );
            match (to.is_empty(), rel) {
                (false, Some(rel)) => {
                    error.set(
                        ctx.edit(|t| t.link(new_item_id(), &id, &to, rel))
                            .err()
                            .map(Notice::from),
                    );
                    link_to.set(String::new());
                }
                _ => error.set(Some(Notice::Key("roundtable.choose_link"))),
            }
        }
    };
    let text = Signal::derive(move || {
        card.with(|c| c.as_ref().map(|c| c.text.0.clone()).unwrap_or_default())
    });
    let actor = move || {
        card.with(|c| {
            let c = c.as_ref().filter(|c| c.section == Section::Actor)?;
            let where_ = tr(if c.present {
                "roundtable.actor_at_table"
            } else {
                "roundtable.actor_missing"
            });
            Some(format!("{} · {where_}", c.organisation))
        })
    };
    let author = move || {
        card.with(|c| {
            c.as_ref()
                .filter(|c| !c.author.is_empty())
                .map(|c| tr_with("roundtable.by", &[("name", &c.author)]))
        })
    };
    let write_text = {
        let id = id.clone();
        Callback::new(move |value: String| ctx.edit(|t| t.set_card_text(&id, &value)))
    };
    view! {
        <li class="table-card" data-card=card_id.clone()>
            <p class="card-text">{move || text.get()}</p>
            {move || actor().map(|a| view! { <p class="muted">{a}</p> })}
            <p class="muted small-text">{author}</p>
            <Show when=move || workspace.can_write()>
                <details class="card-tools">
                    <summary>{t("roundtable.card_tools")}</summary>
                    <LiveText id=format!("card-text-{}", id) label="roundtable.card_text" value=text on_input=write_text/>
                    <Choice id=format!("move-{}", id) label="roundtable.column" options=sections value=move_to/>
                    <Choice id=format!("merge-{}", id) label="roundtable.merge_with" options=others value=merge_into empty="roundtable.choose_card"/>
                    <button type="button" on:click=merge.clone()>{t("roundtable.merge")}</button>
                    <Choice id=format!("relation-{}", id) label="roundtable.relation" options=relations value=relation/>
                    <Choice id=format!("link-{}", id) label="roundtable.with_card" options=others value=link_to empty="roundtable.choose_card"/>
                    <button type="button" on:click=link.clone()>{t("roundtable.link")}</button>
                    {form_error(error)}
                </details>
            </Show>
        </li>
    }
}

#[component]
fn Links() -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let links = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.visible_links()
                        .into_iter()
                        .map(|(from, to, r)| (short(&from.text.0), r, short(&to.text.0)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card links">
            <h2>{t("roundtable.links")}</h2>
            {move || if links.with(Vec::is_empty) {
                view! { <p class="muted">{t("roundtable.no_links")}</p> }.into_any()
            } else {
                view! {
                    <ul class="link-list">
                        {links.get().into_iter().map(|(from, r, to)| view! {
                            <li><strong>{from}</strong> " — " <em>{move || relation_label(r)}</em> " → " <strong>{to}</strong></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// My scores and everyone's grid.
#[component]
fn Assessment() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let pistes = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.column(Section::Piste)
                        .map(|c| (c.id.clone(), short(&c.text.0), t.assessment(&c.id)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    let joined = move || {
        ctx.table.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.participants.iter().any(|p| p.id == ctx.me.get_value()))
        })
    };
    let to_score = Memo::new(move |_| {
        pistes.with(|ps| {
            ps.iter()
                .map(|(id, text, _)| (id.clone(), text.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card assessment">
            <h2>{t("roundtable.assessment")}</h2>
            <Show when=move || workspace.can_write() && joined() fallback=|| view! {
                <p class="muted">{t("roundtable.join_to_score")}</p>
            }>
                <ul class="my-scores">
                    <For each=move || to_score.get() key=|p: &(String, String)| p.clone() let:piste>
                        <ScoreForm piste_id=piste.0 text=piste.1/>
                    </For>
                </ul>
            </Show>
            <Grid pistes/>
        </section>
    }
}

#[component]
fn ScoreForm(piste_id: String, text: String) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let mine = ctx.table.with_untracked(|t| {
        t.as_ref()
            .and_then(|t| t.score_of(&piste_id, &ctx.me.get_value()))
    });
    let feasibility = RwSignal::new(mine.map_or("3".to_owned(), |s| s.haalbaarheid.to_string()));
    let effect = RwSignal::new(mine.map_or("3".to_owned(), |s| s.effect.to_string()));
    let saved = RwSignal::new(mine.is_some());
    let error = RwSignal::new(None::<Notice>);
    let one_to_five: Options = (1..=5).map(|n| (n.to_string(), n.to_string())).collect();
    let id = piste_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let score = Score {
            haalbaarheid: feasibility.get_untracked().parse().unwrap_or(0),
            effect: effect.get_untracked().parse().unwrap_or(0),
        };
        let result = ctx.edit(|t| t.score(&id, &ctx.me.get_value(), score));
        saved.set(result.is_ok());
        error.set(result.err().map(Notice::from));
    };
    view! {
        <li class="score-form" data-piste=piste_id.clone()>
            <form class="inline-form" on:submit=submit>
                <strong>{text}</strong>
                <Choice id=format!("feasibility-{}", piste_id) label="roundtable.feasibility" options=one_to_five.clone() value=feasibility/>
                <Choice id=format!("effect-{}", piste_id) label="roundtable.effect" options=one_to_five value=effect/>
                <button type="submit">{t("roundtable.save_score")}</button>
                {move || saved.get().then(|| view! { <span class="form-ok" role="status">{t("roundtable.saved")}</span> })}
                {form_error(error)}
            </form>
        </li>
    }
}

/// The haalbaarheid × effect grid: each piste at its mean, a halo for the spread.
#[component]
fn Grid(pistes: Memo<Vec<(String, String, Option<roundtable::Assessment>)>>) -> impl IntoView {
    // 1..5 on both axes in a 300 × 300 area with a 40 px margin.
    let x = |v: f64| 40.0 + (v - 1.0) * 65.0;
    let y = |v: f64| 300.0 - (v - 1.0) * 65.0;
    view! {
        <figure class="grid">
            <svg viewBox="0 0 360 340" role="img" aria-labelledby="grid-caption">
                <rect x="40" y="40" width="260" height="260" fill="#fff" stroke="#c9d1da"/>
                <line x1="170" y1="40" x2="170" y2="300" stroke="#e2e6ea"/>
                <line x1="40" y1="170" x2="300" y2="170" stroke="#e2e6ea"/>
                <text x="170" y="330" text-anchor="middle" font-size="14">{t("roundtable.feasibility")} " →"</text>
                <text x="14" y="170" text-anchor="middle" font-size="14" transform="rotate(-90 14 170)">{t("roundtable.effect")} " →"</text>
                {move || pistes.get().into_iter().enumerate().filter_map(|(i, (_, _, a))| a.map(|a| (i, a))).map(|(i, a)| {
                    let (cx, cy) = (x(a.haalbaarheid), y(a.effect));
                    view! {
                        <g class="piste-dot">
                            <ellipse cx=cx cy=cy rx=8.0 + a.haalbaarheid_spread * 65.0 ry=8.0 + a.effect_spread * 65.0 fill="#0b5394" fill-opacity="0.12"/>
                            <circle cx=cx cy=cy r="12" fill="#0b5394"/>
                            <text x=cx y=cy + 5.0 text-anchor="middle" font-size="13" fill="#fff">{(i + 1).to_string()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption id="grid-caption">
                <ol class="grid-legend">
                    {move || pistes.get().into_iter().map(|(id, text, a)| {
                        let detail = a.map_or_else(|| tr("roundtable.no_scores"), |a| {
                            let one = |v: f64| format!("{v:.1}");
                            tr_with(
                                if a.scores == 1 { "roundtable.assessment_one" } else { "roundtable.assessment_many" },
                                &[
                                    ("feasibility", &one(a.haalbaarheid)),
                                    ("feasibility_spread", &one(a.haalbaarheid_spread)),
                                    ("effect", &one(a.effect)),
                                    ("effect_spread", &one(a.effect_spread)),
                                    ("n", &a.scores.to_string()),
                                ],
                            )
                        });
                        view! { <li data-piste=id>{text} ": " <span class="assessment-detail">{detail}</span></li> }
                    }).collect_view()}
                </ol>
            </figcaption>
        </figure>
    }
}

#[component]
fn ComposeCampaign() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(table) = ctx.table.get_untracked() else {
            return;
        };
        match Campaign::compose(
            &title.get_untracked(),
            &ctx.id.to_string(),
            &table,
            &chosen.get_untracked(),
        ) {
            Ok(c) => {
                let id =
                    workspace.create_document(|stamp| campaign::new_campaign_document(&c, stamp));
                navigate(&format!("/campagne/{id}"), Default::default());
            }
            Err(PlanError::EmptyTitle) => {
                error.set(Some(Notice::Key("roundtable.campaign_title_missing")))
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card compose" on:submit=submit>
            <h2>{t("roundtable.compose")}</h2>
            <p class="muted">{t("roundtable.compose_text")}</p>
            <TextInput id="campaign-title".into() label="roundtable.campaign_title" value=title/>
            <CheckList id_prefix="pick" legend="roundtable.cards" options=Signal::derive(move || ctx.cards()) chosen/>
            <button type="submit">{t("roundtable.make_campaign")}</button>
            {form_error(error)}
        </form>
    }
}

/// The locale key of a phase's name.
fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Verkennen => "phase.verkennen",
        Phase::Analyseren => "phase.analyseren",
        Phase::Pistes => "phase.pistes",
        Phase::Beoordelen => "phase.beoordelen",
        Phase::Afspraken => "phase.afspraken",
    }
}

/// The locale key of a column's name.
pub fn section_label(section: Section) -> &'static str {
    match section {
        Section::Probleem => "section.probleem",
        Section::Actor => "section.actor",
        Section::Oorzaak => "section.oorzaak",
        Section::Effect => "section.effect",
        Section::Piste => "section.piste",
    }
}

/// A relation's name in the interface language (tracked).
fn relation_label(relation: Relation) -> String {
    tr(&format!("relation.{}", relation.slug()))
}

//! Scoring the pistes: my haalbaarheid and effect per piste, and
//! everyone's scores as a grid (mean and spread), where the piste the
//! partners disagree on most stands out as the next topic. The grid is
//! also what the shared screen shows.

use leptos::prelude::*;
use regie_core::roundtable::{self, Score, Section};

use super::context::{TableCtx, short};
use crate::platform::Workspace;
use crate::ui::common::forms::{Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// My scores and everyone's grid.
#[component]
pub fn Assessment() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let pistes = scored_pistes(ctx);
    let joined = move || ctx.joined();
    let to_score = Memo::new(move |_| {
        pistes.with(|ps| {
            ps.iter()
                .map(|(id, text, _)| (id.clone(), text.clone()))
                .collect::<Vec<_>>()
        })
    });
    // Several people can score at one tablet: each picks their own name.
    let scorer = RwSignal::new(ctx.me.get_value());
    let people = Signal::derive(move || {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| &t.participants)
                .map(|p| (p.id.clone(), format!("{} ({})", p.name, p.organisation)))
                .collect::<Options>()
        })
    });
    view! {
        <section class="card assessment">
            <h2>{t("roundtable.assessment")}</h2>
            <Show when=move || workspace.may_edit(ctx.id) && joined() fallback=|| view! {
                <p class="muted">{t("roundtable.join_to_score")}</p>
            }>
                <Choice id="scorer".into() label="roundtable.scorer" options=people value=scorer/>
                {move || {
                    let who = scorer.get();
                    view! {
                        <ul class="my-scores">
                            <For each=move || to_score.get() key=|p: &(String, String)| p.clone() let:piste>
                                <ScoreForm piste_id=piste.0 text=piste.1 who=who.clone()/>
                            </For>
                        </ul>
                    }
                }}
                <AddScorer scorer/>
            </Show>
            <Grid pistes/>
            <ScoresDetail pistes/>
        </section>
    }
}

/// Another person at this tablet joins the table to score.
#[component]
fn AddScorer(scorer: RwSignal<String>) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = format!("{}-{}", ctx.me.get_value(), crate::platform::new_item_id());
        let participant = roundtable::Participant {
            id: id.clone(),
            name: name.get_untracked().trim().to_owned(),
            organisation: organisation.get_untracked().trim().to_owned(),
            decides: false,
        };
        match ctx.edit(|t| t.join(participant)) {
            Ok(()) => {
                scorer.set(id);
                name.set(String::new());
                organisation.set(String::new());
                error.set(None);
            }
            Err(_) => error.set(Some(Notice::Key("roundtable.name_missing"))),
        }
    };
    view! {
        <form class="inline-form add-scorer" on:submit=add>
            <TextInput id="scorer-name".into() label="roundtable.other_name" value=name/>
            <TextInput id="scorer-organisation".into() label="roundtable.organisation" value=organisation/>
            <button type="submit">{t("roundtable.add_scorer")}</button>
            {form_error(error)}
        </form>
    }
}

/// Every score, per person and per organisation, piste by piste.
#[component]
fn ScoresDetail(
    pistes: Memo<Vec<(String, String, Option<roundtable::Assessment>)>>,
) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let rows = Memo::new(move |_| {
        let ids: Vec<(String, String)> = pistes.with(|ps| {
            ps.iter()
                .map(|(id, text, _)| (id.clone(), text.clone()))
                .collect()
        });
        ctx.table.with(|t| {
            let Some(t) = t.as_ref() else {
                return Vec::new();
            };
            ids.into_iter()
                .map(|(id, text)| {
                    let people: Vec<String> = t
                        .scores_for(&id)
                        .into_iter()
                        .map(|(who, s)| {
                            let name = t
                                .participants
                                .iter()
                                .find(|p| p.id == who)
                                .map_or_else(|| who.to_owned(), |p| p.name.clone());
                            format!("{name}: {} / {}", s.haalbaarheid, s.effect)
                        })
                        .collect();
                    let organisations: Vec<String> = t
                        .assessment_by_organisation(&id)
                        .into_iter()
                        .map(|(org, a)| {
                            format!(
                                "{org}: {:.1} / {:.1} ({})",
                                a.haalbaarheid, a.effect, a.scores
                            )
                        })
                        .collect();
                    (id, text, people.join(" · "), organisations.join(" · "))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <details class="scores-detail">
            <summary>{t("roundtable.scores_detail")}</summary>
            <table class="scores-table">
                <thead><tr>
                    <th scope="col">{t("roundtable.piste")}</th>
                    <th scope="col">{t("roundtable.per_person")}</th>
                    <th scope="col">{t("roundtable.per_organisation")}</th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|(id, text, people, organisations)| view! {
                        <tr data-piste=id><th scope="row">{text}</th><td>{people}</td><td>{organisations}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// Each piste of the table with its assessment, in column order.
pub fn scored_pistes(ctx: TableCtx) -> Memo<Vec<(String, String, Option<roundtable::Assessment>)>> {
    Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.column(Section::Piste)
                        .map(|c| (c.id.clone(), short(&c.text.0), t.assessment(&c.id)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    })
}

#[component]
fn ScoreForm(piste_id: String, text: String, who: String) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let mine = ctx
        .table
        .with_untracked(|t| t.as_ref().and_then(|t| t.score_of(&piste_id, &who)));
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
        let result = ctx.edit(|t| t.score(&id, &who, score));
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

/// The haalbaarheid × effect grid: each piste at its mean, a halo for the
/// spread; the piste the partners disagree on most is ringed and named.
#[component]
pub fn Grid(pistes: Memo<Vec<(String, String, Option<roundtable::Assessment>)>>) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let disputed = Memo::new(move |_| {
        ctx.table
            .with(|t| t.as_ref()?.most_disputed().map(|c| c.id.clone()))
    });
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
                {move || pistes.get().into_iter().enumerate().filter_map(|(i, (id, _, a))| a.map(|a| (i, id, a))).map(|(i, id, a)| {
                    let (cx, cy) = (x(a.haalbaarheid), y(a.effect));
                    let most = disputed.with(|d| d.as_ref() == Some(&id));
                    view! {
                        <g class="piste-dot" class:disputed=most>
                            {most.then(|| view! { <circle cx=cx cy=cy r="17" fill="none" stroke="#b3261e" stroke-width="3"/> })}
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
                        let most = disputed.with(|d| d.as_ref() == Some(&id));
                        view! {
                            <li data-piste=id class:disputed=most>{text} ": " <span class="assessment-detail">{detail}</span>
                                {most.then(|| view! { <strong class="disputed-tag">" — " {t("roundtable.most_disputed")}</strong> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </figcaption>
        </figure>
    }
}

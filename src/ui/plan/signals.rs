//! Signals of the wijk: a quick capture form that works offline (it only
//! writes to the local document), the list, counts per thema, and
//! recurrences (signals marked as the same problem).

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::{
    Field, Plan, Problems, Signal as FieldSignal, SignalForm, SignalKind, signals,
};

use super::context::PlanCtx;
use super::outcome::SignalOutcome;
use crate::i18n;
use crate::platform::Workspace;
use crate::platform::new_item_id;
use crate::ui::common::cycle::Held;
use crate::ui::common::forms::{Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The kinds of signal, for the capture form's select.
fn kinds() -> Options {
    SignalKind::ALL
        .into_iter()
        .map(|k| {
            (
                k.slug().to_owned(),
                tr(&format!("signal_kind.{}", k.slug())),
            )
        })
        .collect()
}

/// The signals view.
#[component]
pub fn Signals() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let list = Memo::new(move |_| {
        // A withdrawn signal leaves every view and count.
        ctx.plan.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.signals
                        .iter()
                        .filter(|s| s.is_current())
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The cycle's documents, for what was done with each signal.
    let held = Memo::new(move |_| Held::read(workspace));
    let counts = Memo::new(move |_| list.with(|s| signals::count_by_thema(s)));
    let recurring = Memo::new(move |_| list.with(|s| signals::recurrences(s)));
    let what_of = move |id: &str| {
        list.with(|s| {
            s.iter()
                .find(|x| x.id == id)
                .map_or_else(|| id.to_owned(), |x| x.what.clone())
        })
    };
    view! {
        <Show when=move || workspace.may_add_signals(ctx.id)>
            <CaptureForm list/>
        </Show>
        <section class="card">
            <h2>{t("signals.per_thema")}</h2>
            {move || {
                let counts = counts.get();
                if counts.is_empty() {
                    view! { <p class="muted">{t("signals.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="signal-counts">
                            {counts.into_iter().map(|(thema, n)| {
                                let name = move || if thema.is_empty() { tr("signals.no_thema") } else { ctx.name(&thema) };
                                view! { <li><span class="count">{n}</span> " " {name}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {move || {
                let groups = recurring.get();
                (!groups.is_empty()).then(|| view! {
                    <h3>{t("signals.recurring")}</h3>
                    <ul class="recurrences">
                        {groups.into_iter().map(|(root, n)| view! {
                            <li>{format!("{}× ", n)} {what_of(&root)}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
        <section class="card">
            <h2>{t("signals.all")}</h2>
            <ul class="signal-list">
                <For each=move || list.get() key=|s: &FieldSignal| (s.id.clone(), s.actions.clone(), s.what.clone(), s.place.clone(), s.kind, s.doelgroep.clone()) let:signal>
                    <SignalItem signal held/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn SignalItem(signal: FieldSignal, held: Memo<Held>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let linked: Vec<String> = signal
        .actions
        .iter()
        .map(|a| {
            ctx.actions()
                .into_iter()
                .find(|(id, _)| id == a)
                .map_or_else(|| a.clone(), |(_, t)| t)
        })
        .collect();
    let signal_id = signal.id.clone();
    let link_id = format!("link-{}", signal.id);
    let add_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = link.get_untracked();
        if action.is_empty() {
            error.set(Some(Notice::Key("signals.choose_action")));
            return;
        }
        match workspace.edit::<Plan>(ctx.id, |p| p.link_signal(&signal_id, &action, true)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let meta = {
        let signal = signal.clone();
        move || {
            [
                Some(i18n::date(&signal.date)),
                (!signal.place.is_empty()).then(|| signal.place.clone()),
                signal
                    .kind
                    .map(|k| tr(&format!("signal_kind.{}", k.slug()))),
                signal.doelgroep.clone(),
                (!signal.thema.is_empty()).then(|| ctx.name(&signal.thema)),
                (!signal.source.is_empty())
                    .then(|| tr_with("signals.via", &[("source", &ctx.name(&signal.source))])),
                signal
                    .same_as
                    .as_ref()
                    .map(|_| tr("signals.same_as_earlier")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
        }
    };
    // Its author's link (a signal link) or the wijk's team may withdraw it.
    let own = signal.by_link.is_some() && signal.by_link == workspace.signal_link(ctx.id);
    let may_withdraw = move || workspace.may_edit(ctx.id) || own;
    let withdraw_id = signal.id.clone();
    let correcting = signal.clone();
    let withdraw = move |_| {
        let id = withdraw_id.clone();
        let today = crate::platform::today();
        if let Err(e) = workspace.edit::<Plan>(ctx.id, |p| p.withdraw_signal(&id, &today)) {
            error.set(Some(e.into()));
        }
    };
    view! {
        <li class="signal" data-signal=signal.id.clone()>
            <strong class="signal-what">{signal.what.clone()}</strong>
            <span class="muted">{meta}</span>
            {(!linked.is_empty()).then(|| view! { <span class="signal-links">{t("signals.linked_to")} ": " {linked.join(", ")}</span> })}
            <SignalOutcome plan=ctx.id signal=signal.id.clone() held/>
            <Show when=may_withdraw>
                <button type="button" class="withdraw" on:click=withdraw.clone()>{t("signals.withdraw")}</button>
                <Correction signal=correcting.clone()/>
            </Show>
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="inline-form" on:submit=add_link.clone()>
                    <Choice id=link_id.clone() label="signals.link_action"
                        options=Signal::derive(move || ctx.actions()) value=link empty="signals.choose_action_option"/>
                    <button type="submit">{t("signals.link")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </li>
    }
}

#[component]
fn CaptureForm(list: Memo<Vec<FieldSignal>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let what = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let thema = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let date = RwSignal::new(crate::platform::today());
    let action = RwSignal::new(String::new());
    let same_as = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let doelgroep = RwSignal::new(String::new());
    let problems = RwSignal::new(None::<Problems>);
    let error = RwSignal::new(None::<Notice>);
    let saved = RwSignal::new(false);
    let earlier: Signal<Options> = Signal::derive(move || {
        list.with(|s| {
            s.iter()
                .map(|x| {
                    (
                        x.id.clone(),
                        format!("{} ({})", x.what, i18n::date(&x.date)),
                    )
                })
                .collect()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = SignalForm {
            what: what.get_untracked(),
            place: place.get_untracked(),
            thema: thema.get_untracked(),
            source: source.get_untracked(),
            date: date.get_untracked(),
            action: action.get_untracked(),
            same_as: same_as.get_untracked(),
            kind: kind.get_untracked(),
            doelgroep: doelgroep.get_untracked(),
        };
        saved.set(false);
        let signal_link = workspace.signal_link(ctx.id);
        match workspace.edit::<Plan>(ctx.id, |p| {
            p.add_signal(new_item_id(), &form, signal_link.as_deref())
        }) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                what.set(String::new());
                place.set(String::new());
                same_as.set(String::new());
                action.set(String::new());
                saved.set(true);
            }
            Err(DocError::Invalid(p)) => {
                problems.set(Some(p));
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card capture" on:submit=submit aria-labelledby="capture-title">
            <h2 id="capture-title">{t("signals.capture")}</h2>
            <p class="muted">{t("signals.offline_note")}</p>
            <TextInput id="signal-what".into() label="signals.what" value=what problems field=Field::Text/>
            <TextInput id="signal-place".into() label="signals.place" value=place/>
            <Choice id="signal-kind".into() label="signals.kind" options=Signal::derive(kinds) value=kind empty="signals.kind_unsaid"/>
            <TextInput id="signal-doelgroep".into() label="signals.doelgroep" value=doelgroep/>
            <Choice id="signal-thema".into() label="signals.thema" options=Signal::derive(move || ctx.themes()) value=thema empty="signals.choose_thema"/>
            <Choice id="signal-source".into() label="signals.source" options=Signal::derive(move || ctx.organisations()) value=source empty="signals.choose_organisation"/>
            <TextInput id="signal-date".into() label="signals.date" kind="date" value=date problems field=Field::Date/>
            <Choice id="signal-action".into() label="signals.action_optional" options=Signal::derive(move || ctx.actions()) value=action empty="signals.none_option"/>
            <Choice id="signal-same".into() label="signals.same_optional" options=earlier value=same_as empty="signals.new_problem"/>
            <button type="submit">{t("signals.save")}</button>
            {form_error(error)}
            {move || saved.get().then(|| view! { <p class="form-ok" role="status">{t("signals.saved")}</p> })}
        </form>
    }
}

/// "Corrigeren": what a signal says, and where, set right by its author's
/// link or the wijk's team (the rest of it stays as it was).
#[component]
fn Correction(signal: FieldSignal) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let open = RwSignal::new(false);
    let what = RwSignal::new(signal.what.clone());
    let place = RwSignal::new(signal.place.clone());
    let problems = RwSignal::new(None::<Problems>);
    let error = RwSignal::new(None::<Notice>);
    let id = signal.id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = SignalForm {
            what: what.get_untracked(),
            place: place.get_untracked(),
            thema: signal.thema.clone(),
            source: signal.source.clone(),
            date: signal.date.clone(),
            kind: signal.kind.map(|k| k.slug().to_owned()).unwrap_or_default(),
            doelgroep: signal.doelgroep.clone().unwrap_or_default(),
            ..SignalForm::default()
        };
        match workspace.edit::<Plan>(ctx.id, |p| p.correct_signal(&id, &form)) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                open.set(false);
            }
            Err(DocError::Invalid(p)) => problems.set(Some(p)),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let what_id = format!("correct-what-{}", signal.id);
    let place_id = format!("correct-place-{}", signal.id);
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="correct" on:click=move |_| open.set(true)>{t("signals.correct")}</button>
            }
        >
            <form class="signal-correction" on:submit=save.clone()>
                <TextInput id=what_id.clone() label="signals.what" value=what problems field=Field::Text/>
                <TextInput id=place_id.clone() label="signals.place" value=place/>
                <button type="submit">{t("signals.save_correction")}</button>
                <button type="button" on:click=move |_| open.set(false)>{t("signals.cancel")}</button>
                {form_error(error)}
            </form>
        </Show>
    }
}

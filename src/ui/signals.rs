//! Signals of the wijk: a quick capture form that works offline (it only
//! writes to the local document), the list, counts per thema, and
//! recurrences (signals marked as the same problem).

use leptos::prelude::*;
use regie_core::plan::{Field, PlanError, Problems, Signal as FieldSignal, SignalForm, signals};

use super::forms::{Choice, Options, TextInput};
use super::plan::PlanCtx;
use crate::platform::Workspace;
use crate::platform::workspace::new_item_id;

/// The signals view.
#[component]
pub fn Signals() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let list = Memo::new(move |_| {
        ctx.plan
            .with(|p| p.as_ref().map(|p| p.signals.clone()).unwrap_or_default())
    });
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
        <Show when=move || workspace.can_write()>
            <CaptureForm list/>
        </Show>
        <section class="card">
            <h2>"Signalen per thema"</h2>
            {move || {
                let counts = counts.get();
                if counts.is_empty() {
                    view! { <p class="muted">"Nog geen signalen."</p> }.into_any()
                } else {
                    view! {
                        <ul class="signal-counts">
                            {counts.into_iter().map(|(thema, n)| {
                                let name = if thema.is_empty() { "Zonder thema".to_owned() } else { ctx.name(&thema) };
                                view! { <li><span class="count">{n}</span> " " {name}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {move || {
                let groups = recurring.get();
                (!groups.is_empty()).then(|| view! {
                    <h3>"Terugkerende problemen"</h3>
                    <ul class="recurrences">
                        {groups.into_iter().map(|(root, n)| view! {
                            <li>{format!("{}× ", n)} {what_of(&root)}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
        <section class="card">
            <h2>"Alle signalen"</h2>
            <ul class="signal-list">
                <For each=move || list.get() key=|s: &FieldSignal| (s.id.clone(), s.actions.clone()) let:signal>
                    <SignalItem signal/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn SignalItem(signal: FieldSignal) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
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
            error.set(Some("Kies een actie.".to_owned()));
            return;
        }
        match workspace.edit_plan(ctx.id, |p| p.link_signal(&signal_id, &action, true)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let meta = [
        Some(signal.date.clone()),
        (!signal.place.is_empty()).then(|| signal.place.clone()),
        (!signal.thema.is_empty()).then(|| ctx.name(&signal.thema)),
        (!signal.source.is_empty()).then(|| format!("via {}", ctx.name(&signal.source))),
        signal
            .same_as
            .as_ref()
            .map(|_| "zelfde probleem als een eerder signaal".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="signal" data-signal=signal.id.clone()>
            <strong class="signal-what">{signal.what.clone()}</strong>
            <span class="muted">{meta}</span>
            {(!linked.is_empty()).then(|| view! { <span class="signal-links">"Gekoppeld aan: " {linked.join(", ")}</span> })}
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add_link.clone()>
                    <Choice id=link_id.clone() label="Koppel aan actie"
                        options=Signal::derive(move || ctx.actions()) value=link empty="Kies een actie"/>
                    <button type="submit">"Koppel"</button>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
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
    let problems = RwSignal::new(None::<Problems>);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let earlier: Signal<Options> = Signal::derive(move || {
        list.with(|s| {
            s.iter()
                .map(|x| (x.id.clone(), format!("{} ({})", x.what, x.date)))
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
        };
        saved.set(false);
        match workspace.edit_plan(ctx.id, |p| p.add_signal(new_item_id(), &form)) {
            Ok(()) => {
                problems.set(None);
                error.set(None);
                what.set(String::new());
                place.set(String::new());
                same_as.set(String::new());
                action.set(String::new());
                saved.set(true);
            }
            Err(PlanError::Invalid(p)) => {
                problems.set(Some(p));
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="card capture" on:submit=submit aria-labelledby="capture-title">
            <h2 id="capture-title">"Signaal noteren"</h2>
            <p class="muted">"Werkt ook zonder verbinding: het signaal wordt gedeeld zodra je weer online bent."</p>
            <TextInput id="signal-what".into() label="Wat zie je?" value=what problems field=Field::Text/>
            <TextInput id="signal-place".into() label="Waar (straat, plek)" value=place/>
            <Choice id="signal-thema".into() label="Thema" options=Signal::derive(move || ctx.themes()) value=thema empty="Kies een thema"/>
            <Choice id="signal-source".into() label="Bron (organisatie)" options=Signal::derive(move || ctx.organisations()) value=source empty="Kies een organisatie"/>
            <TextInput id="signal-date".into() label="Datum" kind="date" value=date problems field=Field::Date/>
            <Choice id="signal-action".into() label="Koppel aan actie (optioneel)" options=Signal::derive(move || ctx.actions()) value=action empty="Geen"/>
            <Choice id="signal-same".into() label="Zelfde probleem als (optioneel)" options=earlier value=same_as empty="Nieuw probleem"/>
            <button type="submit">"Signaal bewaren"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || saved.get().then(|| view! { <p class="form-ok" role="status">"Signaal bewaard."</p> })}
        </form>
    }
}

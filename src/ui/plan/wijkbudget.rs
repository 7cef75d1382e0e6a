//! Budget: the wijk's envelopes as seed 004 describes them (the wijkbudget
//! per round, and the fund to react quickly to acute needs), each with what
//! the acties' lines plan, commit and spend against it and what remains;
//! setting an envelope; and the acties flagged "acute nood", on top.

use leptos::prelude::*;
use regie_core::plan::budget::{self, Fund};

use super::context::PlanCtx;
use crate::i18n;
use crate::platform::Workspace;
use crate::ui::common::forms::{Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The locale key of a fund's name.
pub fn fund_label(fund: Fund) -> &'static str {
    match fund {
        Fund::Wijkbudget => "budget.fund_wijkbudget",
        Fund::AcuteNood => "budget.fund_acute",
    }
}

#[component]
pub fn Wijkbudget() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let rows = Memo::new(move |_| {
        ctx.plan
            .with(|p| p.as_deref().map(budget::summary).unwrap_or_default())
    });
    let fund = RwSignal::new(Fund::Wijkbudget.slug().to_owned());
    let round = RwSignal::new("1".to_owned());
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let funds = Signal::derive(|| {
        Fund::ALL
            .into_iter()
            .map(|f| (f.slug().to_owned(), tr(fund_label(f))))
            .collect::<Options>()
    });
    let rounds = Signal::derive(|| {
        (1..=budget::MAX_ROUND)
            .map(|r| (r.to_string(), r.to_string()))
            .collect::<Options>()
    });
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = Fund::from_slug(&fund.get_untracked()).unwrap_or(Fund::Wijkbudget);
        let round = round.get_untracked().parse().unwrap_or(0);
        let result = workspace.edit::<regie_core::plan::Plan>(ctx.id, |p| {
            p.set_envelope(chosen, round, &amount.get_untracked())
        });
        if result.is_ok() {
            amount.set(String::new());
        }
        error.set(result.err().map(Notice::from));
    };
    view! {
        <section class="wijkbudget">
            <h2>{t("budget.title")}</h2>
            <p class="muted">{t("budget.intro")}</p>
            {move || {
                let rows = rows.get();
                if rows.is_empty() {
                    return view! { <p class="muted">{t("budget.none")}</p> }.into_any();
                }
                view! {
                    <table class="budget-table">
                        <thead><tr>
                            <th scope="col">{t("budget.fund")}</th>
                            <th scope="col">{t("budget.envelope")}</th>
                            <th scope="col">{t("editor.planned")}</th>
                            <th scope="col">{t("budget.committed")}</th>
                            <th scope="col">{t("editor.spent")}</th>
                            <th scope="col">{t("budget.remaining")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(u, used)| {
                                let euro = |c: Option<i64>| c.map_or_else(|| tr("budget.no_envelope"), i18n::euro);
                                let remaining = u.remaining(used);
                                view! {
                                    <tr data-fund=u.fund.slug() data-round=u.round.to_string() class:over=remaining.is_some_and(|r| r < 0)>
                                        <th scope="row">{tr_with("budget.fund_round", &[("fund", &tr(fund_label(u.fund))), ("round", &u.round.to_string())])}</th>
                                        <td>{euro(u.envelope)}</td>
                                        <td>{i18n::euro(u.planned)}</td>
                                        <td>{i18n::euro(u.committed)}</td>
                                        <td>{i18n::euro(u.spent)}</td>
                                        <td class="remaining">{euro(remaining)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="card inline-form" on:submit=set>
                    <h3>{t("budget.set_envelope")}</h3>
                    <Choice id="envelope-fund".into() label="budget.fund" options=funds value=fund/>
                    <Choice id="envelope-round".into() label="budget.round" options=rounds value=round/>
                    <TextInput id="envelope-amount".into() label="budget.amount" value=amount/>
                    <button type="submit">{t("budget.save")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

/// The acties flagged "acute nood", on top of the outline.
#[component]
pub fn AcuteActions() -> impl IntoView {
    let ctx = expect_context::<PlanCtx>();
    let acute = Memo::new(move |_| {
        ctx.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.ambitions)
                .flat_map(|a| &a.actions)
                .filter(|a| a.acute)
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = acute.get();
        (!list.is_empty()).then(|| view! {
            <section class="card acute" aria-labelledby="acute-title">
                <h2 id="acute-title">{t("budget.acute_title")}</h2>
                <ul>
                    {list.into_iter().map(|(id, title)| view! {
                        <li><button type="button" class="link action-open" on:click=move |_| ctx.open.set(Some(id.clone()))>{title}</button></li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}

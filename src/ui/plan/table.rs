//! The table of all acties, with filters (status, thema, trekker, partner,
//! overdue) and sortable columns. Filtering and sorting are the core's
//! ([`regie_core::plan::query`]); this only shows them.

use leptos::prelude::*;
use regie_core::plan::query::{self, Filter, SortKey};
use regie_core::plan::{Status, progress};

use super::context::PlanCtx;
use crate::i18n;
use crate::ui::common::forms::{Choice, Options};
use crate::ui::common::text::{status_label, t, tr, tr_with};

/// A row as shown (owned, so the view can diff it).
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    id: String,
    title: String,
    ambition: String,
    status: Status,
    thema: String,
    trekker: String,
    end: String,
    overdue: bool,
    progress: u64,
}

/// The table view.
#[component]
pub fn ActionTable() -> impl IntoView {
    let ctx = expect_context::<PlanCtx>();
    let status = RwSignal::new(String::new());
    let thema = RwSignal::new(String::new());
    let trekker = RwSignal::new(String::new());
    let partner = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let sort = RwSignal::new(SortKey::Title);
    let descending = RwSignal::new(false);
    let today = crate::platform::today();
    let filter = Memo::new(move |_| {
        let some = |s: RwSignal<String>| Some(s.get()).filter(|v| !v.is_empty());
        Filter {
            status: Status::from_slug(&status.get()),
            thema: some(thema),
            trekker: some(trekker),
            partner: some(partner),
            overdue: overdue.get(),
        }
    });
    let rows = Memo::new(move |_| {
        let filter = filter.get();
        ctx.plan.with(|plan| {
            let Some(plan) = plan else {
                return Vec::new();
            };
            query::rows(plan, &filter, sort.get(), descending.get(), &today, |id| {
                ctx.name(id)
            })
            .into_iter()
            .map(|row| Shown {
                id: row.action.id.clone(),
                title: row.action.title.clone(),
                ambition: row.ambition.to_owned(),
                status: row.action.status,
                thema: ctx.name(&row.action.thema),
                trekker: ctx.name(&row.action.trekker),
                end: row.action.end.clone().unwrap_or_default(),
                overdue: query::is_overdue(row.action, &today),
                progress: progress::of_action(row.action),
            })
            .collect::<Vec<_>>()
        })
    });
    let statuses = Signal::derive(|| {
        Status::ALL
            .into_iter()
            .map(|s| (s.slug().to_owned(), status_label(s)))
            .collect::<Options>()
    });
    let header = move |key: SortKey| {
        let aria_sort = move || match (sort.get() == key, descending.get()) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button
                    type="button"
                    class="sort"
                    on:click=move |_| {
                        if sort.get_untracked() == key {
                            descending.update(|d| *d = !*d);
                        } else {
                            sort.set(key);
                            descending.set(false);
                        }
                    }
                >
                    {t(sort_label(key))}
                    // The header's aria-sort tells screen readers; the arrow is for eyes.
                    <span aria-hidden="true">{move || match aria_sort() {
                        "ascending" => " ▲",
                        "descending" => " ▼",
                        _ => "",
                    }}</span>
                </button>
            </th>
        }
    };
    view! {
        <div class="filters" role="group" aria-label=t("table.filters")>
            <Choice id="filter-status".into() label="table.status" options=statuses value=status empty="table.all_statuses"/>
            <Choice id="filter-thema".into() label="table.thema" options=Signal::derive(move || ctx.themes()) value=thema empty="table.all_themes"/>
            <Choice id="filter-trekker".into() label="table.trekker" options=Signal::derive(move || ctx.organisations()) value=trekker empty="table.all_trekkers"/>
            <Choice id="filter-partner".into() label="table.partner" options=Signal::derive(move || ctx.organisations()) value=partner empty="table.all_partners"/>
            <div class="field checkbox">
                <input id="filter-overdue" type="checkbox" prop:checked=move || overdue.get()
                    on:change=move |ev| overdue.set(event_target_checked(&ev))/>
                <label for="filter-overdue">{t("table.only_overdue")}</label>
            </div>
        </div>
        <p class="muted" role="status">{move || match rows.with(Vec::len) {
            1 => tr("table.count_one"),
            n => tr_with("table.count_many", &[("n", &n.to_string())]),
        }}</p>
        <div class="table-scroll">
            <table class="action-table">
                <thead>
                    <tr>{SortKey::ALL.into_iter().map(header).collect_view()}<th scope="col">{t("table.ambition")}</th></tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|r: &Shown| (r.id.clone(), r.title.clone(), r.status, r.end.clone(), r.progress, r.thema.clone(), r.trekker.clone()) let:row>
                        <tr data-status=row.status.slug() class:overdue=row.overdue>
                            <td>
                                <button type="button" class="link" on:click={
                                    let id = row.id.clone();
                                    move |_| ctx.open.set(Some(id.clone()))
                                }>{row.title.clone()}</button>
                            </td>
                            <td>{move || status_label(row.status)}</td>
                            <td>{row.thema.clone()}</td>
                            <td>{row.trekker.clone()}</td>
                            <td>{i18n::date(&row.end)}{row.overdue.then(|| view! { " (" {t("table.overdue")} ")" })}</td>
                            <td>{format!("{} %", row.progress)}</td>
                            <td class="muted">{row.ambition.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// The locale key of a column heading.
fn sort_label(key: SortKey) -> &'static str {
    match key {
        SortKey::Title => "table.col_action",
        SortKey::Status => "table.col_status",
        SortKey::Thema => "table.col_thema",
        SortKey::Trekker => "table.col_trekker",
        SortKey::End => "table.col_end",
        SortKey::Progress => "table.col_progress",
    }
}

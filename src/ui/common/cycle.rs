//! The documents of the regie cycle as views read them: every plan, ronde
//! tafel and campagne on this device that this link may see, and the
//! register (`regie_core::cycle`'s [`Documents`] over them); signals as
//! the register and the tables list them; links to each step.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::DocumentId;
use regie_core::campaign::{Campaign, CampaignStatus};
use regie_core::cycle::Documents;
use regie_core::kind::DocumentKind;
use regie_core::plan::Plan;
use regie_core::register::{BoardKind, Register, SignalRef};
use regie_core::roundtable::Table;
use regie_core::scope::Right;
use regie_core::wijken;

use crate::i18n;
use crate::platform::Workspace;
use crate::ui::common::text::{t, tr};

/// The cycle's documents this device holds and this link may see.
#[derive(Clone)]
pub struct Held {
    /// The register (the seed's while it has not arrived, or for a link
    /// that may not read it).
    pub register: Arc<Register>,
    /// The plans.
    pub plans: Vec<(DocumentId, Arc<Plan>)>,
    /// The ronde tafels.
    pub tables: Vec<(DocumentId, Arc<Table>)>,
    /// The campagnes.
    pub campaigns: Vec<(DocumentId, Arc<Campaign>)>,
}

/// The same documents as read before: the workspace hands out the same
/// `Arc` while a document's heads stay, so this is cheap and lets a memo
/// over [`Held`] stop when nothing changed.
impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        fn same<T>(a: &[(DocumentId, Arc<T>)], b: &[(DocumentId, Arc<T>)]) -> bool {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((i, x), (j, y))| i == j && Arc::ptr_eq(x, y))
        }
        Arc::ptr_eq(&self.register, &other.register)
            && same(&self.plans, &other.plans)
            && same(&self.tables, &other.tables)
            && same(&self.campaigns, &other.campaigns)
    }
}

/// Every document of kind `K` this link may see.
fn visible<K: DocumentKind>(workspace: Workspace) -> Vec<(DocumentId, Arc<K>)> {
    workspace
        .all::<K>()
        .into_iter()
        // A device may hold documents from an earlier, wider link.
        .filter(|(id, _)| workspace.right(*id) != Right::Nothing)
        .collect()
}

thread_local! {
    /// The register shown while none is here: one value, so that a memo
    /// over [`Held`] sees it unchanged.
    static NO_REGISTER: Arc<Register> = Arc::new(Register::seed());
}

impl Held {
    /// Reads them (re-run when one changes or appears).
    pub fn read(workspace: Workspace) -> Self {
        Held {
            register: workspace
                .fixed::<Register>()
                .unwrap_or_else(|| NO_REGISTER.with(Arc::clone)),
            plans: visible::<Plan>(workspace),
            tables: visible::<Table>(workspace),
            campaigns: visible::<Campaign>(workspace),
        }
    }

    /// Runs `f` over them as the core's [`Documents`].
    pub fn with<R>(&self, f: impl FnOnce(&Documents<'_>) -> R) -> R {
        let plans: Vec<(DocumentId, &Plan)> = self.plans.iter().map(|(i, p)| (*i, &**p)).collect();
        let tables: Vec<(DocumentId, &Table)> =
            self.tables.iter().map(|(i, t)| (*i, &**t)).collect();
        let campaigns: Vec<(DocumentId, &Campaign)> =
            self.campaigns.iter().map(|(i, c)| (*i, &**c)).collect();
        f(&Documents {
            register: &self.register,
            plans: &plans,
            tables: &tables,
            campaigns: &campaigns,
        })
    }

    /// The tables about knelpunt `id`, and its campaigns.
    pub fn of_knelpunt(&self, id: &str) -> (Vec<&Table>, Vec<&Campaign>) {
        let about = |k: &Option<String>| k.as_deref() == Some(id);
        (
            self.tables
                .iter()
                .filter(|(_, t)| about(&t.knelpunt))
                .map(|(_, t)| &**t)
                .collect(),
            self.campaigns
                .iter()
                .filter(|(_, c)| about(&c.knelpunt))
                .map(|(_, c)| &**c)
                .collect(),
        )
    }

    /// The pages of the tables and campaigns about knelpunt `id`: (page,
    /// title, the kind's locale key).
    pub fn boards_of_knelpunt(&self, id: &str) -> Vec<(String, String, &'static str)> {
        let about = |k: &Option<String>| k.as_deref() == Some(id);
        let tables = self.tables.iter().filter(|(_, t)| about(&t.knelpunt));
        let campaigns = self.campaigns.iter().filter(|(_, c)| about(&c.knelpunt));
        tables
            .map(|(i, t)| {
                (
                    format!("/tafel/{i}"),
                    t.title.clone(),
                    kind_label(BoardKind::Tafel),
                )
            })
            .chain(campaigns.map(|(i, c)| {
                (
                    format!("/campagne/{i}"),
                    c.title.clone(),
                    kind_label(BoardKind::Campagne),
                )
            }))
            .collect()
    }
}

/// A ronde tafel or campagne as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    /// Its page.
    pub href: String,
    /// Tafel or campagne.
    pub kind: BoardKind,
    /// Its title.
    pub title: String,
    /// Its wijk's name (none: the city's).
    pub wijk: Option<String>,
    /// Its knelpunt's title, if any.
    pub knelpunt: Option<String>,
    /// `YYYY-MM-DD` it was listed (empty when the register does not list it).
    pub date: String,
    /// Where it stands, in words.
    pub status: String,
    /// Still open: a table no running campaign came from yet, a campaign
    /// proposed or running.
    pub open: bool,
}

impl Held {
    /// Every ronde tafel and campagne here, newest first.
    pub fn boards(&self) -> Vec<BoardRow> {
        let listed = |id: &DocumentId| {
            let id = id.to_string();
            self.register
                .boards
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.date.clone())
                .unwrap_or_default()
        };
        let knelpunt = |id: &Option<String>| {
            let id = id.as_deref()?;
            let k = self.register.knelpunten.iter().find(|k| k.id == id)?;
            Some(k.title.clone())
        };
        let mut rows: Vec<BoardRow> = self
            .tables
            .iter()
            .map(|(id, t)| {
                let key = id.to_string();
                let composed = self
                    .campaigns
                    .iter()
                    .any(|(_, c)| c.table == key && c.status != CampaignStatus::Stopgezet);
                BoardRow {
                    href: format!("/tafel/{id}"),
                    kind: BoardKind::Tafel,
                    title: t.title.clone(),
                    wijk: t.wijk.as_deref().map(wijk_name),
                    knelpunt: knelpunt(&t.knelpunt),
                    date: listed(id),
                    status: tr(&format!("phase.{}", t.phase.label().to_lowercase())),
                    open: !composed,
                }
            })
            .collect();
        rows.extend(self.campaigns.iter().map(|(id, c)| BoardRow {
            href: format!("/campagne/{id}"),
            kind: BoardKind::Campagne,
            title: c.title.clone(),
            wijk: c.wijk.as_deref().map(wijk_name),
            knelpunt: knelpunt(&c.knelpunt),
            date: listed(id),
            status: tr(&format!("campaign_status.{}", c.status.slug())),
            open: matches!(
                c.status,
                CampaignStatus::Voorgesteld | CampaignStatus::Lopend
            ),
        }));
        rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        rows
    }
}

/// A wijk's name, or its slug if unknown.
pub fn wijk_name(slug: &str) -> String {
    wijken::by_slug(slug).map_or_else(|| slug.to_owned(), |w| w.name.to_owned())
}

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
    visible::<Plan>(workspace)
        .into_iter()
        .flat_map(|(id, plan)| {
            let wijk = wijk_name(&plan.wijk);
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

/// A table's knelpunt, for other pages: its title, if the register has it.
pub fn knelpunt_title(workspace: Workspace, id: &str) -> Option<String> {
    workspace
        .fixed::<Register>()?
        .knelpunten
        .iter()
        .find(|k| k.id == id)
        .map(|k| k.title.clone())
}

/// The page of a signal's plan (its Signalen tab).
pub fn signal_href(key: &SignalRef) -> Option<String> {
    let (plan, _) = key.key.split_once('/')?;
    Some(format!("/plan/{plan}?tab=signalen"))
}

/// The kind's word.
pub fn kind_label(kind: BoardKind) -> &'static str {
    match kind {
        BoardKind::Tafel => "register.board_table",
        BoardKind::Campagne => "register.board_campaign",
    }
}

/// One board as a list item (also on the home page).
#[component]
pub fn BoardItem(row: BoardRow) -> impl IntoView {
    let meta = [
        Some(row.status.clone()),
        Some(row.wijk.clone().unwrap_or_else(|| tr("register.city"))),
        (!row.date.is_empty()).then(|| i18n::date(&row.date)),
        row.knelpunt.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="board-item" data-open=row.open.to_string()>
            <span class="board-kind">{t(kind_label(row.kind))}</span>
            " "
            <A href=row.href.clone()>{row.title.clone()}</A>
            <span class="muted">{format!(" · {meta}")}</span>
        </li>
    }
}

/// A card listing boards, or saying there are none; `class` names the
/// card, `heading` and `empty` are locale keys.
#[component]
pub fn BoardSection(
    class: &'static str,
    heading: &'static str,
    empty: &'static str,
    rows: Memo<Vec<BoardRow>>,
) -> impl IntoView {
    view! {
        <section class=class>
            <h2>{t(heading)}</h2>
            {move || {
                let rows = rows.get();
                if rows.is_empty() {
                    view! { <p class="muted">{t(empty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="board-list">
                            {rows.into_iter().map(|row| view! { <BoardItem row/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

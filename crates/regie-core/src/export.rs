//! Documents out of Regie: CSV tables of a plan's acties and signals (for a
//! spreadsheet), any document as JSON, and Automerge's own binary format.
//!
//! CSV is written the way a spreadsheet in Belgium opens it without asking:
//! `;` between fields, a decimal comma, UTF-8 with a byte-order mark. Column
//! headings come from the caller, in the interface language.

use automerge::{AutoSerde, Automerge};

use crate::directory::Directory;
use crate::plan::{Plan, progress};

/// Column headings of [`actions_csv`], in order.
pub const ACTION_COLUMNS: [&str; 13] = [
    "ambition",
    "action",
    "status",
    "progress",
    "thema",
    "trekker",
    "partners",
    "start",
    "end",
    "budget_planned",
    "budget_spent",
    "wijkbudget",
    "id",
];

/// Column headings of [`signals_csv`], in order.
pub const SIGNAL_COLUMNS: [&str; 8] = [
    "date", "what", "place", "thema", "source", "actions", "same_as", "id",
];

/// A plan's acties, one row each, with names instead of ids. `headings` are
/// the column titles for [`ACTION_COLUMNS`]; `yes` is the word for a
/// wijkbudget line.
pub fn actions_csv(
    plan: &Plan,
    directory: &Directory,
    headings: &[String; 13],
    yes: &str,
) -> String {
    let mut rows = Vec::new();
    for ambition in &plan.ambitions {
        for action in &ambition.actions {
            let (planned, spent) = action.budget_totals();
            let wijkbudget = action.budget.iter().any(|line| line.wijkbudget);
            rows.push(vec![
                ambition.title.clone(),
                action.title.clone(),
                action.status.label().to_owned(),
                progress::of_action(action).to_string(),
                directory.name_of(&action.thema),
                directory.name_of(&action.trekker),
                action
                    .partners
                    .iter()
                    .map(|p| directory.name_of(p))
                    .collect::<Vec<_>>()
                    .join(", "),
                action.start.clone().unwrap_or_default(),
                action.end.clone().unwrap_or_default(),
                decimal(planned),
                decimal(spent),
                if wijkbudget {
                    yes.to_owned()
                } else {
                    String::new()
                },
                action.id.clone(),
            ]);
        }
    }
    csv(headings, rows)
}

/// A plan's signals, one row each. `headings` title [`SIGNAL_COLUMNS`].
pub fn signals_csv(plan: &Plan, directory: &Directory, headings: &[String; 8]) -> String {
    let rows = plan
        .signals
        .iter()
        .filter(|signal| signal.is_current())
        .map(|signal| {
            let actions = signal
                .actions
                .iter()
                .map(|id| {
                    plan.action(id)
                        .map_or_else(|| id.clone(), |a| a.title.clone())
                })
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                signal.date.clone(),
                signal.what.clone(),
                signal.place.clone(),
                directory.name_of(&signal.thema),
                signal.source.clone(),
                actions,
                signal.same_as.clone().unwrap_or_default(),
                signal.id.clone(),
            ]
        })
        .collect();
    csv(headings, rows)
}

/// Any document as readable JSON (texts as strings, lists as arrays).
pub fn document_json(doc: &Automerge) -> String {
    serde_json::to_string_pretty(&AutoSerde::from(doc)).expect("a document always serialises")
}

/// Cents as a decimal amount with a comma: `1250,50`.
fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02}", cents / 100, cents % 100)
}

/// Rows as CSV for a Belgian spreadsheet.
pub(crate) fn csv(headings: &[String], rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and every row has the heading's width.
    writer.write_record(headings).expect("in memory");
    for row in rows {
        writer.write_record(&row).expect("in memory");
    }
    let bytes = writer.into_inner().expect("in memory");
    format!(
        "\u{feff}{}",
        String::from_utf8(bytes).expect("written from strings")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::Stamp;
    use crate::plan::{BudgetForm, SignalForm, Status, edit_plan, new_plan_document, read_plan};

    fn headings<const N: usize>(keys: [&str; N]) -> [String; N] {
        keys.map(str::to_owned)
    }

    fn plan() -> (Plan, Automerge) {
        let mut doc = new_plan_document("ledeberg", &Stamp::default());
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")?;
            p.add_action(
                "a1",
                "x1".into(),
                "Buurtfeest; met \"muziek\"",
                Status::Lopend,
            )?;
            p.add_budget_line(
                "x1",
                "b1".into(),
                &BudgetForm {
                    label: "Huur".into(),
                    planned: "1.250,50".into(),
                    spent: "0".into(),
                    wijkbudget: true,
                    ..BudgetForm::default()
                },
            )?;
            p.add_signal(
                "s1".into(),
                &SignalForm {
                    what: "Geen speelplein".into(),
                    place: "Ledeberg".into(),
                    thema: String::new(),
                    source: "Buurtwerk".into(),
                    date: "2026-11-02".into(),
                    action: "x1".into(),
                    ..SignalForm::default()
                },
                None,
            )
        })
        .unwrap();
        (read_plan(&doc).unwrap(), doc)
    }

    #[test]
    fn actions_open_in_a_belgian_spreadsheet() {
        let (plan, _) = plan();
        let csv = actions_csv(&plan, &Directory::seed(), &headings(ACTION_COLUMNS), "ja");
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("ambition;action;status;progress;"));
        // A `;` or a quote inside a title is quoted, not a new column.
        assert_eq!(
            lines[1],
            "Ontmoeting;\"Buurtfeest; met \"\"muziek\"\"\";Lopend;50;;;;;;1250,50;0,00;ja;x1"
        );
    }

    #[test]
    fn signals_name_their_acties() {
        let (plan, _) = plan();
        let csv = signals_csv(&plan, &Directory::seed(), &headings(SIGNAL_COLUMNS));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[1],
            "2026-11-02;Geen speelplein;Ledeberg;;Buurtwerk;\"Buurtfeest; met \"\"muziek\"\"\";;s1"
        );
    }

    #[test]
    fn a_document_as_json() {
        let (_, doc) = plan();
        let json: serde_json::Value = serde_json::from_str(&document_json(&doc)).unwrap();
        assert_eq!(json["wijk"], "ledeberg");
        assert_eq!(
            json["ambitions"][0]["actions"][0]["title"],
            "Buurtfeest; met \"muziek\""
        );
    }
}

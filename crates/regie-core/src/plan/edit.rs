//! Edits to a plan. Each checks everything first and then changes the plan
//! in one go; a failed edit leaves the plan as it was.

use super::model::{
    Action, Ambition, BudgetLine, Circle, FollowUp, Indicator, LongText, Member, Plan, Signal,
    SignalKind,
};
use super::status::Status;
use super::validate::{self, Checker, Details, Field};
use super::{PLAN_KIND, SCHEMA_VERSION};
use crate::kind::DocError;

fn clean_title(title: &str) -> Result<String, DocError> {
    validate::title(title, Field::Title).map_err(|_| DocError::EmptyTitle)
}

/// A new indicator as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorForm {
    /// What is counted.
    pub text: String,
    /// Target as typed.
    pub target: String,
    /// Measured value as typed.
    pub measured: String,
}

/// A new budget line as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetForm {
    /// What the money is for.
    pub label: String,
    /// Planned amount as typed.
    pub planned: String,
    /// Spent amount as typed.
    pub spent: String,
    /// Paid from the wijkbudget.
    pub wijkbudget: bool,
    /// Committed amount as typed (empty: nothing yet).
    pub committed: String,
    /// The wijkbudget round as typed (empty: the first).
    pub round: String,
    /// Paid from the fund for acute needs.
    pub acute: bool,
}

/// A new follow-up note as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteForm {
    /// Date as typed.
    pub date: String,
    /// Who writes it.
    pub author: String,
    /// What happened.
    pub text: String,
}

/// A new signal as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignalForm {
    /// What was seen.
    pub what: String,
    /// Where in the wijk.
    pub place: String,
    /// Thema id.
    pub thema: String,
    /// Source organisation.
    pub source: String,
    /// Date as typed.
    pub date: String,
    /// Actie this signal is linked to, if any.
    pub action: String,
    /// Earlier signal this one repeats, if any.
    pub same_as: String,
    /// Its kind (`probleem`, `tekort`, `behoefte`; empty: not said).
    pub kind: String,
    /// Who it is about.
    pub doelgroep: String,
}

/// An optional text as a document holds it: trimmed, and none when empty.
fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl Plan {
    /// A new, empty plan for a wijk.
    pub fn new(wijk: &str) -> Self {
        Plan {
            schema: SCHEMA_VERSION,
            kind: PLAN_KIND.to_owned(),
            wijk: wijk.to_owned(),
            ambitions: Vec::new(),
            members: Vec::new(),
            signals: Vec::new(),
            envelopes: std::collections::HashMap::new(),
        }
    }

    /// Adds an ambitie at the end.
    pub fn add_ambition(&mut self, id: String, title: &str) -> Result<(), DocError> {
        let title = clean_title(title)?;
        self.ambitions.push(Ambition {
            id,
            title,
            actions: Vec::new(),
        });
        Ok(())
    }

    /// Renames an ambitie.
    pub fn rename_ambition(&mut self, id: &str, title: &str) -> Result<(), DocError> {
        let title = clean_title(title)?;
        self.ambition_mut(id)?.title = title;
        Ok(())
    }

    fn ambition_mut(&mut self, id: &str) -> Result<&mut Ambition, DocError> {
        self.ambitions
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or(DocError::NotFound)
    }

    /// Adds an actie at the end of an ambitie.
    pub fn add_action(
        &mut self,
        ambition_id: &str,
        id: String,
        title: &str,
        status: Status,
    ) -> Result<(), DocError> {
        let title = clean_title(title)?;
        self.ambition_mut(ambition_id)?
            .actions
            .push(Action::new(id, title, status));
        Ok(())
    }

    /// Removes an ambitie; only an empty one, so no actie is lost by a
    /// slip (move or remove its acties first).
    pub fn remove_ambition(&mut self, id: &str) -> Result<(), DocError> {
        let ambition = self.ambition_mut(id)?;
        if !ambition.actions.is_empty() {
            return Err(DocError::NotEmpty);
        }
        self.ambitions.retain(|a| a.id != id);
        Ok(())
    }

    /// Moves an ambitie one place up (`-1`) or down (`1`) in the order.
    pub fn move_ambition(&mut self, id: &str, by: isize) -> Result<(), DocError> {
        let from = self
            .ambitions
            .iter()
            .position(|a| a.id == id)
            .ok_or(DocError::NotFound)?;
        let to = from.saturating_add_signed(by).min(self.ambitions.len() - 1);
        let ambition = self.ambitions.remove(from);
        self.ambitions.insert(to, ambition);
        Ok(())
    }

    /// Moves an actie to the end of another ambitie, keeping everything it
    /// holds (its id too, so signals and origins still point to it).
    pub fn move_action(&mut self, action_id: &str, to_ambition: &str) -> Result<(), DocError> {
        self.ambition_mut(to_ambition)?;
        let from = self
            .ambitions
            .iter()
            .position(|a| a.actions.iter().any(|x| x.id == action_id))
            .ok_or(DocError::NotFound)?;
        if self.ambitions[from].id == to_ambition {
            return Ok(());
        }
        let actions = &mut self.ambitions[from].actions;
        let index = actions.iter().position(|x| x.id == action_id);
        let action = actions.remove(index.ok_or(DocError::NotFound)?);
        self.ambition_mut(to_ambition)?.actions.push(action);
        Ok(())
    }

    /// Finds an actie anywhere in the plan.
    pub fn action(&self, action_id: &str) -> Option<&Action> {
        self.ambitions
            .iter()
            .flat_map(|a| &a.actions)
            .find(|a| a.id == action_id)
    }

    /// Finds an actie anywhere in the plan, to change it.
    pub fn action_mut(&mut self, action_id: &str) -> Result<&mut Action, DocError> {
        self.ambitions
            .iter_mut()
            .flat_map(|a| a.actions.iter_mut())
            .find(|a| a.id == action_id)
            .ok_or(DocError::NotFound)
    }

    /// Puts an actie back as it was: in place if it still exists, else at
    /// the end of its ambitie, which itself comes back if it was removed.
    pub fn restore_action(&mut self, ambition: &Ambition, action: Action) {
        if let Ok(current) = self.action_mut(&action.id) {
            *current = action;
            return;
        }
        match self.ambitions.iter_mut().find(|a| a.id == ambition.id) {
            Some(home) => home.actions.push(action),
            None => self.ambitions.push(Ambition {
                actions: vec![action],
                ..ambition.clone()
            }),
        }
    }

    /// Removes an actie (and its links from signals).
    pub fn remove_action(&mut self, action_id: &str) -> Result<(), DocError> {
        let ambition = self
            .ambitions
            .iter_mut()
            .find(|a| a.actions.iter().any(|x| x.id == action_id))
            .ok_or(DocError::NotFound)?;
        ambition.actions.retain(|a| a.id != action_id);
        for signal in &mut self.signals {
            signal.actions.retain(|a| a != action_id);
        }
        Ok(())
    }

    /// Changes the status of an actie.
    pub fn set_status(&mut self, action_id: &str, status: Status) -> Result<(), DocError> {
        self.action_mut(action_id)?.status = status;
        Ok(())
    }

    /// Renames an actie.
    pub fn rename_action(&mut self, action_id: &str, title: &str) -> Result<(), DocError> {
        let title = clean_title(title)?;
        self.action_mut(action_id)?.title = title;
        Ok(())
    }

    /// Writes checked details into an actie, but only the fields the person
    /// changed since `before` (what the form showed when it opened). So a
    /// status someone else changed meanwhile is not put back by a form that
    /// only fixed a date.
    pub fn set_details(
        &mut self,
        action_id: &str,
        details: Details,
        before: &Details,
    ) -> Result<(), DocError> {
        let action = self.action_mut(action_id)?;
        macro_rules! changed {
            ($($field:ident),*) => {
                $(if details.$field != before.$field {
                    action.$field = details.$field;
                })*
            };
        }
        changed!(
            title, thema, trekker, partners, status, progress, weight, start, end
        );
        Ok(())
    }

    /// Adds an indicator to an actie.
    pub fn add_indicator(
        &mut self,
        action_id: &str,
        id: String,
        form: &IndicatorForm,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let text = checker.take(validate::title(&form.text, Field::Text));
        let target = checker.take(validate::optional_number(&form.target, Field::Target));
        let measured = checker.take(validate::optional_number(&form.measured, Field::Measured));
        checker.finish()?;
        self.action_mut(action_id)?.indicators.push(Indicator {
            id,
            text: text.unwrap_or_default(),
            target: target.flatten(),
            measured: measured.flatten(),
        });
        Ok(())
    }

    /// Records a new measured value for an indicator.
    pub fn set_measured(
        &mut self,
        action_id: &str,
        indicator_id: &str,
        measured: &str,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let value = checker.take(validate::optional_number(measured, Field::Measured));
        checker.finish()?;
        let indicator = self
            .action_mut(action_id)?
            .indicators
            .iter_mut()
            .find(|i| i.id == indicator_id)
            .ok_or(DocError::NotFound)?;
        indicator.measured = value.flatten();
        Ok(())
    }

    /// Adds a budget line to an actie.
    pub fn add_budget_line(
        &mut self,
        action_id: &str,
        id: String,
        form: &BudgetForm,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let label = checker.take(validate::title(&form.label, Field::Text));
        let planned = checker.take(validate::euro(&form.planned, Field::Planned));
        let spent = checker.take(validate::euro(&form.spent, Field::Spent));
        let committed = checker.take(validate::euro(&form.committed, Field::Committed));
        let round = checker.take(validate::round(&form.round));
        checker.finish()?;
        self.action_mut(action_id)?.budget.push(BudgetLine {
            id,
            label: label.unwrap_or_default(),
            planned_cents: planned.unwrap_or_default(),
            spent_cents: spent.unwrap_or_default(),
            wijkbudget: form.wijkbudget,
            committed_cents: committed.unwrap_or_default(),
            round: round.flatten(),
            acute: form.acute,
        });
        Ok(())
    }

    /// Marks an actie as an acute need (or not).
    pub fn set_acute(&mut self, action_id: &str, acute: bool) -> Result<(), DocError> {
        self.action_mut(action_id)?.acute = acute;
        Ok(())
    }

    /// Sets the envelope of a fund and round from an amount as typed
    /// (empty: no envelope).
    pub fn set_envelope(
        &mut self,
        fund: super::budget::Fund,
        round: u64,
        amount: &str,
    ) -> Result<(), DocError> {
        if !(1..=super::budget::MAX_ROUND).contains(&round) {
            return Err(validate::Problems::one(
                Field::Round,
                validate::Message::RoundRange,
            ));
        }
        let key = super::budget::envelope_key(fund, round);
        if amount.trim().is_empty() {
            self.envelopes.remove(&key);
            return Ok(());
        }
        let cents = validate::euro(amount, Field::Planned)
            .map_err(|invalid| DocError::Invalid(validate::Problems(vec![invalid])))?;
        self.envelopes.insert(key, cents);
        Ok(())
    }

    /// Removes an indicator, budget line or note from an actie.
    pub fn remove_item(&mut self, action_id: &str, item_id: &str) -> Result<(), DocError> {
        let action = self.action_mut(action_id)?;
        let before = action.indicators.len() + action.budget.len() + action.notes.len();
        action.indicators.retain(|i| i.id != item_id);
        action.budget.retain(|b| b.id != item_id);
        action.notes.retain(|n| n.id != item_id);
        let after = action.indicators.len() + action.budget.len() + action.notes.len();
        if before == after {
            return Err(DocError::NotFound);
        }
        Ok(())
    }

    /// Adds a dated follow-up note to an actie.
    pub fn add_note(
        &mut self,
        action_id: &str,
        id: String,
        form: &NoteForm,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let date = checker.take(validate::date(&form.date, Field::Date));
        let text = checker.take(validate::title(&form.text, Field::Text));
        checker.finish()?;
        let author = form.author.trim();
        self.action_mut(action_id)?.notes.push(FollowUp {
            id,
            date: date.unwrap_or_default(),
            author: if author.is_empty() {
                "Onbekend".to_owned()
            } else {
                author.to_owned()
            },
            text: LongText(text.unwrap_or_default()),
        });
        Ok(())
    }

    /// Puts an organisation in a circle, or takes it out (`None`).
    pub fn set_member(
        &mut self,
        organisation: &str,
        circle: Option<Circle>,
    ) -> Result<(), DocError> {
        if organisation.is_empty() {
            return Err(DocError::NotFound);
        }
        match (
            self.members
                .iter_mut()
                .find(|m| m.organisation == organisation),
            circle,
        ) {
            (Some(member), Some(circle)) => member.circle = circle,
            (None, Some(circle)) => self.members.push(Member {
                organisation: organisation.to_owned(),
                circle,
            }),
            (_, None) => self.members.retain(|m| m.organisation != organisation),
        }
        Ok(())
    }

    /// Captures a signal; `by_link` is the id of this device's link when it
    /// may only pass on signals (so the link may correct it later).
    pub fn add_signal(
        &mut self,
        id: String,
        form: &SignalForm,
        by_link: Option<&str>,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let what = checker.take(validate::title(&form.what, Field::Text));
        let date = checker.take(validate::date(&form.date, Field::Date));
        checker.finish()?;
        let action = form.action.trim();
        if !action.is_empty() && self.action(action).is_none() {
            return Err(DocError::NotFound);
        }
        let same_as = form.same_as.trim();
        if !same_as.is_empty() && !self.signals.iter().any(|s| s.id == same_as) {
            return Err(DocError::NotFound);
        }
        self.signals.push(Signal {
            id,
            what: what.unwrap_or_default(),
            place: form.place.trim().to_owned(),
            thema: form.thema.clone(),
            source: form.source.trim().to_owned(),
            date: date.unwrap_or_default(),
            actions: (!action.is_empty())
                .then(|| action.to_owned())
                .into_iter()
                .collect(),
            same_as: (!same_as.is_empty()).then(|| same_as.to_owned()),
            by_link: by_link.map(str::to_owned),
            withdrawn: None,
            kind: SignalKind::from_slug(form.kind.trim()),
            doelgroep: optional_text(&form.doelgroep),
        });
        Ok(())
    }

    /// Corrects what a signal says (what, where, thema, source, date).
    pub fn correct_signal(&mut self, id: &str, form: &SignalForm) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let what = checker.take(validate::title(&form.what, Field::Text));
        let date = checker.take(validate::date(&form.date, Field::Date));
        checker.finish()?;
        let signal = self.signal_mut(id)?;
        signal.what = what.unwrap_or_default();
        signal.place = form.place.trim().to_owned();
        signal.thema.clone_from(&form.thema);
        signal.source = form.source.trim().to_owned();
        signal.date = date.unwrap_or_default();
        signal.kind = SignalKind::from_slug(form.kind.trim());
        signal.doelgroep = optional_text(&form.doelgroep);
        Ok(())
    }

    /// Withdraws a signal on `date` (`YYYY-MM-DD`); it stays in the
    /// document for the record, and leaves every view, count and export.
    pub fn withdraw_signal(&mut self, id: &str, date: &str) -> Result<(), DocError> {
        let signal = self.signal_mut(id)?;
        if signal.withdrawn.is_none() {
            signal.withdrawn = Some(date.to_owned());
        }
        Ok(())
    }

    fn signal_mut(&mut self, id: &str) -> Result<&mut Signal, DocError> {
        self.signals
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(DocError::NotFound)
    }

    /// Links a signal to an actie, or unlinks it.
    pub fn link_signal(
        &mut self,
        signal_id: &str,
        action_id: &str,
        linked: bool,
    ) -> Result<(), DocError> {
        if self.action(action_id).is_none() {
            return Err(DocError::NotFound);
        }
        let signal = self
            .signals
            .iter_mut()
            .find(|s| s.id == signal_id)
            .ok_or(DocError::NotFound)?;
        signal.actions.retain(|a| a != action_id);
        if linked {
            signal.actions.push(action_id.to_owned());
        }
        Ok(())
    }

    /// Sets a long text in this (already read) plan to what [`super::edit_text`]
    /// wrote into the document, so a reader can skip reading the whole
    /// document again after each keystroke.
    pub fn set_text(&mut self, field: super::TextField<'_>, value: &str) -> Result<(), DocError> {
        use super::TextField;
        let text = match field {
            TextField::Description(action) => &mut self.action_mut(action)?.description,
            TextField::Evaluation(action) => &mut self.action_mut(action)?.evaluation,
            TextField::Note(action, note) => {
                &mut self
                    .action_mut(action)?
                    .notes
                    .iter_mut()
                    .find(|n| n.id == note)
                    .ok_or(DocError::NotFound)?
                    .text
            }
        };
        value.clone_into(&mut text.0);
        Ok(())
    }

    /// Planned, spent and planned-from-the-wijkbudget over every actie, in cents.
    pub fn budget_totals(&self) -> (i64, i64, i64) {
        self.ambitions
            .iter()
            .flat_map(|a| &a.actions)
            .flat_map(|a| &a.budget)
            .fold((0, 0, 0), |(p, s, w), line| {
                let from_wijkbudget = if line.wijkbudget {
                    line.planned_cents
                } else {
                    0
                };
                (
                    p + line.planned_cents,
                    s + line.spent_cents,
                    w + from_wijkbudget,
                )
            })
    }

    /// Number of acties in the plan.
    pub fn action_count(&self) -> usize {
        self.ambitions.iter().map(|a| a.actions.len()).sum()
    }
}

impl Action {
    /// A new actie with only a title and status.
    pub fn new(id: String, title: String, status: Status) -> Self {
        Action {
            id,
            title,
            status,
            description: LongText::default(),
            thema: String::new(),
            trekker: String::new(),
            partners: Vec::new(),
            progress: None,
            weight: 1,
            start: None,
            end: None,
            indicators: Vec::new(),
            budget: Vec::new(),
            notes: Vec::new(),
            evaluation: LongText::default(),
            origin: None,
            acute: false,
        }
    }

    /// The action's details as the details form shows them.
    pub fn details_form(&self) -> validate::DetailsForm {
        validate::DetailsForm {
            title: self.title.clone(),
            thema: self.thema.clone(),
            trekker: self.trekker.clone(),
            partners: self.partners.clone(),
            status: Some(self.status),
            progress: self.progress.map(|p| p.to_string()).unwrap_or_default(),
            weight: self.weight.to_string(),
            start: self.start.clone().unwrap_or_default(),
            end: self.end.clone().unwrap_or_default(),
        }
    }

    /// The action's details as they stand.
    pub fn details(&self) -> Details {
        Details {
            title: self.title.clone(),
            thema: self.thema.clone(),
            trekker: self.trekker.clone(),
            partners: self.partners.clone(),
            status: self.status,
            progress: self.progress,
            weight: self.weight,
            start: self.start.clone(),
            end: self.end.clone(),
        }
    }

    /// Total planned and spent, in cents.
    pub fn budget_totals(&self) -> (i64, i64) {
        self.budget.iter().fold((0, 0), |(p, s), line| {
            (p + line.planned_cents, s + line.spent_cents)
        })
    }
}

/// Cents as people read euro amounts in Flanders: "€ 1.250,50".
pub fn euro_label(cents: i64) -> String {
    let negative = cents < 0;
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    format!("€ {sign}{grouped},{:02}", cents % 100)
}

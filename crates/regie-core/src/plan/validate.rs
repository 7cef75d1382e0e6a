//! Turning what people type into plan values, with a Dutch message for
//! everything that cannot be taken. Forms are checked as a whole before
//! anything is written, so nothing is ever saved half-way.
//!
//! Every message is a [`Message`] with a stable key, so an interface in
//! another language can show its own text; the Dutch text stays in
//! [`Invalid::message`].

use std::fmt;

use super::status::Status;

/// Which form field a message is about (so the UI can put it next to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A title or name.
    Title,
    /// The progress percentage.
    Progress,
    /// The roll-up weight.
    Weight,
    /// The start date.
    Start,
    /// The end date.
    End,
    /// A date that is not a start or end date (signals, notes).
    Date,
    /// A planned amount.
    Planned,
    /// A spent amount.
    Spent,
    /// A committed amount.
    Committed,
    /// A wijkbudget round.
    Round,
    /// An indicator's target.
    Target,
    /// An indicator's measured value.
    Measured,
    /// A free text that may not be empty.
    Text,
}

/// One thing wrong with a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    /// The field it is about.
    pub field: Field,
    /// What to tell the person.
    pub message: Message,
}

impl Invalid {
    /// `message` about `field`.
    pub fn new(field: Field, message: Message) -> Self {
        Invalid { field, message }
    }

    /// The locale key of the message.
    pub fn key(&self) -> &'static str {
        self.message.key()
    }

    /// The message in Dutch.
    pub fn dutch(&self) -> &'static str {
        self.message.dutch()
    }
}

impl Problems {
    /// One problem, as an error.
    pub fn one(field: Field, message: Message) -> crate::kind::DocError {
        crate::kind::DocError::Invalid(Problems(vec![Invalid::new(field, message)]))
    }
}

/// The messages of this module: a stable key for translations and the
/// Dutch text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    /// A title is missing.
    TitleMissing,
    /// A required field is empty.
    FieldEmpty,
    /// A required date is empty.
    DateMissing,
    /// Not a date.
    DateInvalid,
    /// The end date is before the start date.
    DateOrder,
    /// A percentage outside 0..=100.
    ProgressRange,
    /// A percentage that is no number.
    ProgressNumber,
    /// A weight outside 1..=100 or not whole.
    WeightRange,
    /// A negative amount.
    EuroNegative,
    /// Not an amount.
    EuroInvalid,
    /// A negative value.
    NumberNegative,
    /// Not a number.
    NumberInvalid,
    /// A campaign without a piste.
    ChoosePiste,
    /// Signing before the commitment is written.
    CommitmentFirst,
    /// A timer outside 1..=180 minutes.
    TimerRange,
    /// A score outside 1..=5.
    ScoreRange,
    /// A name that is already taken.
    Duplicate,
    /// A wijkbudget round outside 1..=9.
    RoundRange,
}

impl Message {
    /// Every message.
    pub const ALL: [Message; 18] = [
        Message::TitleMissing,
        Message::FieldEmpty,
        Message::DateMissing,
        Message::DateInvalid,
        Message::DateOrder,
        Message::ProgressRange,
        Message::ProgressNumber,
        Message::WeightRange,
        Message::EuroNegative,
        Message::EuroInvalid,
        Message::NumberNegative,
        Message::NumberInvalid,
        Message::ChoosePiste,
        Message::CommitmentFirst,
        Message::TimerRange,
        Message::ScoreRange,
        Message::Duplicate,
        Message::RoundRange,
    ];

    /// The key of its text in the app's locale files.
    pub fn key(self) -> &'static str {
        match self {
            Message::TitleMissing => "validate.title_missing",
            Message::FieldEmpty => "validate.field_empty",
            Message::DateMissing => "validate.date_missing",
            Message::DateInvalid => "validate.date_invalid",
            Message::DateOrder => "validate.date_order",
            Message::ProgressRange => "validate.progress_range",
            Message::ProgressNumber => "validate.progress_number",
            Message::WeightRange => "validate.weight_range",
            Message::EuroNegative => "validate.euro_negative",
            Message::EuroInvalid => "validate.euro_invalid",
            Message::NumberNegative => "validate.number_negative",
            Message::NumberInvalid => "validate.number_invalid",
            Message::ChoosePiste => "core.choose_piste",
            Message::CommitmentFirst => "core.commitment_first",
            Message::TimerRange => "core.timer_range",
            Message::ScoreRange => "core.score_range",
            Message::Duplicate => "core.duplicate",
            Message::RoundRange => "validate.round_range",
        }
    }

    /// The Dutch text.
    pub fn dutch(self) -> &'static str {
        match self {
            Message::TitleMissing => "Geef een titel op.",
            Message::FieldEmpty => "Vul dit veld in.",
            Message::DateMissing => "Kies een datum.",
            Message::DateInvalid => "Dit is geen geldige datum; gebruik de vorm jjjj-mm-dd.",
            Message::DateOrder => "De einddatum ligt vóór de startdatum.",
            Message::ProgressRange => "Het percentage moet tussen 0 en 100 liggen.",
            Message::ProgressNumber => "Geef het percentage als getal, bijvoorbeeld 40.",
            Message::WeightRange => "Het gewicht moet een geheel getal van 1 tot 100 zijn.",
            Message::EuroNegative => "Een bedrag kan niet negatief zijn.",
            Message::EuroInvalid => "Geef het bedrag in euro, bijvoorbeeld 1.250,50.",
            Message::NumberNegative => "Een waarde kan niet negatief zijn.",
            Message::NumberInvalid => "Geef een getal, bijvoorbeeld 12 of 7,5.",
            Message::ChoosePiste => "Kies minstens één piste.",
            Message::CommitmentFirst => "Schrijf eerst de engagementsverklaring.",
            Message::TimerRange => "Kies een tijd van 1 tot 180 minuten.",
            Message::ScoreRange => "Geef een score van 1 tot 5.",
            Message::Duplicate => "Deze naam bestaat al.",
            Message::RoundRange => "Kies een ronde van 1 tot 9.",
        }
    }
}

/// Everything wrong with one form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Invalid>);

impl Problems {
    /// The message for a field, if it has one.
    pub fn about(&self, field: Field) -> Option<&'static str> {
        self.0.iter().find(|i| i.field == field).map(Invalid::dutch)
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(Invalid::dutch).collect();
        f.write_str(&messages.join(" "))
    }
}

/// Collects problems while a form is checked field by field.
#[derive(Default)]
pub(crate) struct Checker(Vec<Invalid>);

impl Checker {
    /// Keeps the value, or remembers the problem and returns `None`.
    pub(crate) fn take<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(problem);
                None
            }
        }
    }

    /// Remembers a problem.
    pub(crate) fn push(&mut self, problem: Invalid) {
        self.0.push(problem);
    }

    /// The problems, if any.
    pub(crate) fn finish(self) -> Result<(), Problems> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Problems(self.0))
        }
    }
}

/// A title, trimmed; empty is refused.
pub fn title(text: &str, field: Field) -> Result<String, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        let message = match field {
            Field::Title => Message::TitleMissing,
            _ => Message::FieldEmpty,
        };
        Err(Invalid::new(field, message))
    } else {
        Ok(text.to_owned())
    }
}

/// A wijkbudget round as typed: empty means none (the first).
pub fn round(text: &str) -> Result<Option<u64>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=super::budget::MAX_ROUND).contains(&n) => Ok(Some(n)),
        _ => Err(Invalid::new(Field::Round, Message::RoundRange)),
    }
}

/// A date as a date input gives it (`YYYY-MM-DD`); empty means none.
pub fn optional_date(text: &str, field: Field) -> Result<Option<String>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    date(text, field).map(Some)
}

/// A required date (`YYYY-MM-DD`).
pub fn date(text: &str, field: Field) -> Result<String, Invalid> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let valid = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in(y, m),
                _ => false,
            }
        }
        _ => false,
    };
    if valid {
        Ok(text.to_owned())
    } else if text.is_empty() {
        Err(Invalid::new(field, Message::DateMissing))
    } else {
        Err(Invalid::new(field, Message::DateInvalid))
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An end date may not come before the start date.
pub fn date_order(start: Option<&str>, end: Option<&str>) -> Result<(), Invalid> {
    match (start, end) {
        // ISO dates compare correctly as text.
        (Some(start), Some(end)) if end < start => {
            Err(Invalid::new(Field::End, Message::DateOrder))
        }
        _ => Ok(()),
    }
}

/// A percentage override: empty means "use the status's default".
pub fn progress(text: &str) -> Result<Option<u64>, Invalid> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(None);
    }
    match number(text) {
        Some(value) if (0.0..=100.0).contains(&value) => Ok(Some(value.round() as u64)),
        Some(_) => Err(Invalid::new(Field::Progress, Message::ProgressRange)),
        None => Err(Invalid::new(Field::Progress, Message::ProgressNumber)),
    }
}

/// The roll-up weight: a whole number from 1 to 100; empty means 1.
pub fn weight(text: &str) -> Result<u64, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(1);
    }
    match text.parse::<u64>() {
        Ok(w) if (1..=100).contains(&w) => Ok(w),
        _ => Err(Invalid::new(Field::Weight, Message::WeightRange)),
    }
}

/// An amount in euro as people write it in Flanders ("1.250,50",
/// "€ 300", "12.5"), in cents. Empty is zero; negative is refused.
pub fn euro(text: &str, field: Field) -> Result<i64, Invalid> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    if cleaned.is_empty() {
        return Ok(0);
    }
    let normal = if cleaned.contains(',') {
        cleaned.replace('.', "").replace(',', ".")
    } else if cleaned.matches('.').count() == 1
        && cleaned.rsplit('.').next().is_some_and(|d| d.len() <= 2)
    {
        cleaned
    } else {
        cleaned.replace('.', "")
    };
    match normal.parse::<f64>() {
        Ok(v) if v < 0.0 => Err(Invalid::new(field, Message::EuroNegative)),
        Ok(v) if v.is_finite() && v < 1e13 => Ok((v * 100.0).round() as i64),
        _ => Err(Invalid::new(field, Message::EuroInvalid)),
    }
}

/// An optional number (indicator values); a decimal comma is fine.
pub fn optional_number(text: &str, field: Field) -> Result<Option<f64>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match number(text) {
        Some(v) if v < 0.0 => Err(Invalid::new(field, Message::NumberNegative)),
        Some(v) => Ok(Some(v)),
        None => Err(Invalid::new(field, Message::NumberInvalid)),
    }
}

fn number(text: &str) -> Option<f64> {
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// What the action-details form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsForm {
    /// Title.
    pub title: String,
    /// Thema id, or empty.
    pub thema: String,
    /// Lead organisation id, or empty.
    pub trekker: String,
    /// Partner organisation ids.
    pub partners: Vec<String>,
    /// Status.
    pub status: Option<Status>,
    /// Progress override as typed (empty: default of the status).
    pub progress: String,
    /// Weight as typed (empty: 1).
    pub weight: String,
    /// Start date as typed.
    pub start: String,
    /// End date as typed.
    pub end: String,
}

/// The checked action details, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// Title.
    pub title: String,
    /// Thema id, or empty.
    pub thema: String,
    /// Lead organisation id, or empty.
    pub trekker: String,
    /// Partner organisation ids, without repeats.
    pub partners: Vec<String>,
    /// Status.
    pub status: Status,
    /// Progress override.
    pub progress: Option<u64>,
    /// Weight.
    pub weight: u64,
    /// Start date.
    pub start: Option<String>,
    /// End date.
    pub end: Option<String>,
}

impl DetailsForm {
    /// Checks the whole form; every problem is reported at once.
    pub fn check(&self) -> Result<Details, Problems> {
        let mut checker = Checker::default();
        let title = checker.take(title(&self.title, Field::Title));
        let progress = checker.take(progress(&self.progress));
        let weight = checker.take(weight(&self.weight));
        let start = checker.take(optional_date(&self.start, Field::Start));
        let end = checker.take(optional_date(&self.end, Field::End));
        if let (Some(start), Some(end)) = (&start, &end)
            && let Err(problem) = date_order(start.as_deref(), end.as_deref())
        {
            checker.push(problem);
        }
        checker.finish()?;
        let mut partners: Vec<String> = Vec::new();
        for p in &self.partners {
            if !p.is_empty() && !partners.contains(p) {
                partners.push(p.clone());
            }
        }
        Ok(Details {
            title: title.unwrap_or_default(),
            thema: self.thema.clone(),
            trekker: self.trekker.clone(),
            partners,
            status: self.status.unwrap_or(Status::Idee),
            progress: progress.flatten(),
            weight: weight.unwrap_or(1),
            start: start.flatten(),
            end: end.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DetailsForm {
        DetailsForm {
            title: "Buurtsoep".into(),
            status: Some(Status::Lopend),
            ..DetailsForm::default()
        }
    }

    #[test]
    fn a_good_form_passes_with_defaults() {
        let details = form().check().unwrap();
        assert_eq!(details.title, "Buurtsoep");
        assert_eq!(details.weight, 1);
        assert_eq!(details.progress, None);
        assert_eq!(details.start, None);
    }

    #[test]
    fn every_problem_is_reported_at_once_in_dutch() {
        let bad = DetailsForm {
            title: "  ".into(),
            progress: "140".into(),
            weight: "0".into(),
            start: "2026-05-01".into(),
            end: "2026-04-30".into(),
            ..form()
        };
        let problems = bad.check().unwrap_err();
        assert_eq!(problems.about(Field::Title), Some("Geef een titel op."));
        assert_eq!(
            problems.about(Field::Progress),
            Some("Het percentage moet tussen 0 en 100 liggen.")
        );
        assert!(problems.about(Field::Weight).is_some());
        assert_eq!(
            problems.about(Field::End),
            Some("De einddatum ligt vóór de startdatum.")
        );
        assert_eq!(problems.0.len(), 4);
    }

    #[test]
    fn percentages_are_bounded() {
        assert_eq!(progress("0"), Ok(Some(0)));
        assert_eq!(progress("100 %"), Ok(Some(100)));
        assert_eq!(progress("37,6"), Ok(Some(38)));
        assert_eq!(progress(""), Ok(None));
        assert!(progress("-1").is_err());
        assert!(progress("100.5").is_err());
        assert!(progress("veel").is_err());
    }

    #[test]
    fn dates_must_exist() {
        assert!(date("2024-02-29", Field::Date).is_ok());
        assert!(date("2023-02-29", Field::Date).is_err());
        assert!(date("2026-13-01", Field::Date).is_err());
        assert!(date("1/2/2026", Field::Date).is_err());
        assert_eq!(optional_date(" ", Field::Start), Ok(None));
        assert!(date_order(Some("2026-01-01"), Some("2026-01-01")).is_ok());
    }

    #[test]
    fn euro_amounts_as_written_in_flanders() {
        assert_eq!(euro("1.250,50", Field::Planned), Ok(125_050));
        assert_eq!(euro("€ 300", Field::Planned), Ok(30_000));
        assert_eq!(euro("12.5", Field::Planned), Ok(1_250));
        assert_eq!(euro("150.000", Field::Planned), Ok(15_000_000));
        assert_eq!(euro("", Field::Spent), Ok(0));
        assert_eq!(
            euro("-5", Field::Spent).unwrap_err().dutch(),
            "Een bedrag kan niet negatief zijn."
        );
        assert!(euro("vijf", Field::Spent).is_err());
    }

    #[test]
    fn messages_keep_their_dutch_text_and_a_stable_key() {
        let problem = weight("0").unwrap_err();
        assert_eq!(
            problem.dutch(),
            "Het gewicht moet een geheel getal van 1 tot 100 zijn."
        );
        assert_eq!(problem.key(), "validate.weight_range");
        let keys: std::collections::BTreeSet<_> = Message::ALL.map(Message::key).into();
        assert_eq!(keys.len(), Message::ALL.len());
    }
}

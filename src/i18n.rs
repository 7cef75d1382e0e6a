//! The interface languages and how values are written in them.
//!
//! Every text people see lives in one file per language, `locales/nl.yml`
//! and `locales/en.yml`, compiled in by `rust-i18n` (see `i18n!` in the
//! crate root). Dutch is the default and fills any gap in another language.
//! Texts are looked up by key with the language passed in, so nothing here
//! depends on a global setting; the UI holds the chosen language in a signal.
//!
//! Values are written as people in Flanders expect, whatever the language:
//! euro as `€ 1.234,56` and dates as `23/11/2026`.
//!
//! The core and the platform hand the interface keys, never sentences:
//! errors ([`error`]), form problems ([`invalid`]) and other messages
//! ([`said`], a [`Text`]) are looked up by key, so editing a Dutch sentence
//! in a locale file can never lose its translation.
//!
//! This module is plain Rust (no browser), so it is unit-tested natively.

use regie_core::kind::DocError;
use regie_core::plan::validate::Invalid;
use regie_core::text::Text;

/// A language the interface can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Nederlands (Flemish usage), the default.
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The name of its locale file (`locales/<code>.yml`), also what is stored.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The value for `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Nl => "nl-BE",
            Lang::En => "en",
        }
    }

    /// The language's own name, the same in every language, so people find
    /// theirs in the switch whatever is shown now.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Parses [`Lang::code`] (also `nl-BE` and the like).
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(base))
    }
}

/// The text for `key` in `lang`; the key itself when no language has it
/// (the key-set test keeps that from happening).
pub fn text(lang: Lang, key: &str) -> String {
    crate::_rust_i18n_try_translate(lang.code(), key)
        .map_or_else(|| key.to_owned(), |t| t.into_owned())
}

/// The text for `key` in `lang` with its `%{name}` placeholders filled in.
pub fn text_with(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let (names, values): (Vec<&str>, Vec<String>) = values
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .unzip();
    rust_i18n::replace_patterns(&text(lang, key), &names, &values)
}

/// A message of the core or the platform ([`Text`]) in `lang`.
pub fn said(lang: Lang, said: &Text) -> String {
    let values: Vec<(&str, &str)> = said.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text_with(lang, said.key, &values)
}

/// A form problem in `lang`, by its key.
pub fn invalid(lang: Lang, problem: &Invalid) -> String {
    text(lang, problem.key())
}

/// An error from the core in `lang`, by its key (a form's problems one
/// after another).
pub fn error(lang: Lang, error: &DocError) -> String {
    match (error, error.key()) {
        (_, Some(key)) => text(lang, key),
        (DocError::Invalid(problems), None) => problems
            .0
            .iter()
            .map(|problem| invalid(lang, problem))
            .collect::<Vec<_>>()
            .join(" "),
        (other, None) => other.to_string(),
    }
}

/// Cents as euro, the Flemish way in every language: `€ 1.234,56`.
pub fn euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("€ {sign}{grouped},{:02}", cents % 100)
}

/// A stored date (`YYYY-MM-DD`, optionally with a time) as people in
/// Flanders write it: `23/11/2026` (see `regie_core::text::date`, which the
/// minutes of a meeting use too).
pub fn date(stored: &str) -> String {
    regie_core::text::date(stored)
}

/// A clock time, `14:05`.
pub fn time(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

/// A number with a decimal comma (`7,5`), as typed in the forms.
pub fn number(value: f64) -> String {
    format!("{value}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use regie_core::plan::Status;
    use regie_core::plan::validate::{self, Field, Message};

    use regie_core::kind::Kind;

    use super::*;

    fn keys(lang: Lang) -> BTreeSet<String> {
        crate::_rust_i18n_backend()
            .messages_for_locale(lang.code())
            .unwrap_or_default()
            .into_iter()
            .map(|(key, _)| key.into_owned())
            .collect()
    }

    #[test]
    fn every_key_is_in_every_language() {
        let dutch = keys(Lang::Nl);
        assert!(dutch.len() > 100, "locales/nl.yml is loaded");
        for lang in Lang::ALL {
            let other = keys(lang);
            let missing: Vec<_> = dutch.difference(&other).collect();
            let extra: Vec<_> = other.difference(&dutch).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang:?} has keys Dutch lacks: {extra:?}");
        }
    }

    /// Every string literal in the components that looks like a key
    /// (`section.name`) must be one: a typo would show the key itself.
    #[test]
    fn every_key_the_components_use_exists() {
        let known = keys(Lang::Nl);
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path)
                } else {
                    files.push(path)
                }
            }
        }
        let mut checked = 0;
        for path in files {
            let source = std::fs::read_to_string(&path).unwrap();
            for literal in source.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('.')
                    && literal.starts_with(|c: char| c.is_ascii_lowercase())
                    && !literal.ends_with('.')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
                if looks_like_key && !literal.ends_with(".rs") {
                    assert!(
                        known.contains(literal),
                        "{}: no key {literal}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 200, "only {checked} keys found in the components");
    }

    #[test]
    fn placeholders_match_between_languages() {
        let placeholders = |t: &str| -> BTreeSet<String> {
            t.split("%{")
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                .collect()
        };
        for key in keys(Lang::Nl) {
            assert_eq!(
                placeholders(&text(Lang::Nl, &key)),
                placeholders(&text(Lang::En, &key)),
                "placeholders of {key}"
            );
        }
    }

    #[test]
    fn texts_are_looked_up_and_filled_in() {
        assert_eq!(text(Lang::Nl, "nav.plans"), "Plannen");
        assert_eq!(text(Lang::En, "nav.plans"), "Plans");
        assert_eq!(text(Lang::En, "no.such.key"), "no.such.key");
        assert_eq!(
            text_with(Lang::Nl, "app.pending_many", &[("n", "3")]),
            "3 wijzigingen nog niet op de server"
        );
    }

    #[test]
    fn languages_parse_from_their_codes() {
        assert_eq!(Lang::from_code("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn every_status_and_validation_message_has_a_text() {
        for status in Status::ALL {
            assert_eq!(text(Lang::Nl, status.key()), status.label());
            assert_ne!(text(Lang::En, status.key()), status.key());
        }
        // Keys the components build from a slug.
        let slugged = regie_core::register::KnelpuntStatus::ALL
            .map(|s| format!("knelpunt_status.{}", s.slug()))
            .into_iter()
            .chain(
                regie_core::campaign::CampaignStatus::ALL
                    .map(|s| format!("campaign_status.{}", s.slug())),
            )
            .chain(regie_core::roundtable::Relation::ALL.map(|r| format!("relation.{}", r.slug())))
            .chain(["connecting", "online", "offline", "no-access"].map(|s| format!("sync.{s}")));
        let known = keys(Lang::Nl);
        for key in slugged {
            assert!(known.contains(&key), "no key {key}");
        }
        for message in Message::ALL {
            assert_eq!(text(Lang::Nl, message.key()), message.dutch());
            assert_ne!(text(Lang::En, message.key()), message.dutch());
        }
    }

    #[test]
    fn core_messages_are_shown_by_their_keys() {
        let problem = validate::title(" ", Field::Title).unwrap_err();
        assert_eq!(invalid(Lang::Nl, &problem), "Geef een titel op.");
        assert_eq!(invalid(Lang::En, &problem), "Enter a title.");
        assert_eq!(
            error(Lang::En, &DocError::ReadOnly),
            "You can only read this document."
        );
        let unreadable = DocError::unreadable(Kind::Table, "no cards");
        assert_eq!(
            error(Lang::En, &unreadable),
            "This document is not a readable round table."
        );
        let backup = regie_core::backup::BackupError::NewerVersion(7).text();
        assert!(said(Lang::En, &backup).contains("format 7"), "{backup:?}");
    }

    /// Every key the core can hand out exists in every language, and its
    /// Dutch text is the core's own Dutch message.
    #[test]
    fn every_key_the_core_gives_has_a_text() {
        use regie_core::backup::{BackupError, Damage};
        let errors = [DocError::EmptyTitle, DocError::NotFound, DocError::ReadOnly]
            .into_iter()
            .chain(
                [
                    Kind::Plan,
                    Kind::Table,
                    Kind::Campaign,
                    Kind::Directory,
                    Kind::Register,
                    Kind::Any,
                ]
                .map(|kind| DocError::unreadable(kind, "x")),
            );
        for error in errors {
            let key = error.key().expect("a key");
            let dutch = text(Lang::Nl, key);
            assert!(
                error.to_string().starts_with(dutch.trim_end_matches('.')),
                "{key}: {dutch:?} is not what the core says: {error}"
            );
            assert_ne!(text(Lang::En, key), key, "{key} has no English");
        }
        let texts = [
            BackupError::NotABackup.text(),
            BackupError::NewerVersion(2).text(),
            Damage::Incomplete("doc").text(),
            Damage::BadId.text(),
            Damage::BadEncoding.text(),
            Damage::ChecksumMismatch.text(),
            Damage::NotADocument("x".into()).text(),
        ];
        let known = keys(Lang::En);
        for text in texts {
            assert!(known.contains(text.key), "no key {}", text.key);
        }
    }

    #[test]
    fn euro_the_flemish_way() {
        assert_eq!(euro(0), "€ 0,00");
        assert_eq!(euro(125_050), "€ 1.250,50");
        assert_eq!(euro(123_456_789), "€ 1.234.567,89");
        assert_eq!(euro(-5), "€ -0,05");
        assert_eq!(euro(100_000), regie_core::plan::euro_label(100_000));
    }

    #[test]
    fn dates_the_flemish_way() {
        assert_eq!(date("2026-11-23"), "23/11/2026");
        assert_eq!(date("2026-11-23 14:05"), "23/11/2026 14:05");
        assert_eq!(date("2026-11-23T14:05:09Z"), "23/11/2026 14:05");
        assert_eq!(date(""), "");
        assert_eq!(date("morgen"), "morgen");
        assert_eq!(time(9, 5), "09:05");
        assert_eq!(number(7.5), "7,5");
        assert_eq!(number(12.0), "12");
    }
}

//! A message for people as a locale key and the values to fill in: the core
//! and the platform say *what* happened, the interface says it in the
//! language chosen (`locales/*.yml`). Nothing is ever looked up by its Dutch
//! wording, so editing a Dutch sentence cannot lose its translation.
//! Dates are written the Flemish way in every language ([`date`]).

/// A locale key with its `%{name}` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The key in `locales/nl.yml` and `locales/en.yml`.
    pub key: &'static str,
    /// Values for the placeholders, by name.
    pub values: Vec<(&'static str, String)>,
}

impl Text {
    /// The text of `key`, without values.
    pub fn key(key: &'static str) -> Self {
        Text {
            key,
            values: Vec::new(),
        }
    }

    /// Fills in `%{name}` with `value`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.values.push((name, value.to_string()));
        self
    }
}

impl From<&'static str> for Text {
    fn from(key: &'static str) -> Self {
        Text::key(key)
    }
}

/// A stored date (`YYYY-MM-DD`, optionally followed by a time `HH:MM`) as
/// people in Flanders write it: `23/11/2026` (`23/11/2026 14:05`). Anything
/// else is shown as it is, so odd data from other clients stays readable.
pub fn date(stored: &str) -> String {
    let (day, time) = stored
        .trim()
        .split_once([' ', 'T'])
        .unwrap_or((stored.trim(), ""));
    let parts: Vec<&str> = day.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return stored.to_owned();
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return stored.to_owned();
    }
    let time = time.get(..5).unwrap_or(time);
    if time.is_empty() {
        format!("{d}/{m}/{y}")
    } else {
        format!("{d}/{m}/{y} {time}")
    }
}

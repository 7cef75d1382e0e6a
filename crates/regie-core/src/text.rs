//! A message for people as a locale key and the values to fill in: the core
//! and the platform say *what* happened, the interface says it in the
//! language chosen (`locales/*.yml`). Nothing is ever looked up by its Dutch
//! wording, so editing a Dutch sentence cannot lose its translation.

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

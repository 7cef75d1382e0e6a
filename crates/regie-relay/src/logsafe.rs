//! Text from peers in the relay's log. Peer ids, close reasons and error
//! texts are chosen by whoever is on the other end; written as they are,
//! a newline forges a log line and an escape sequence rewrites the
//! operator's terminal. [`LogSafe`] shows such text with every control
//! character escaped and cut to a length.

use std::fmt;

/// Characters of peer-chosen text shown in one log field.
const MAX_CHARS: usize = 200;

/// Displays peer-chosen text safely for a log line: control characters
/// (newlines, escapes, ...) as `\u{..}` escapes, at most [`MAX_CHARS`]
/// characters, then `…`.
pub struct LogSafe<'a>(pub &'a str);

impl fmt::Display for LogSafe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_CHARS {
                return f.write_str("…");
            }
            if c.is_control() {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        let forged = "peer\n2026-12-02T10:00:00Z  INFO fake line\x1b[2J";
        let shown = LogSafe(forged).to_string();
        assert!(!shown.contains('\n') && !shown.contains('\x1b'), "{shown}");
        assert!(shown.contains("\\u{a}") && shown.contains("\\u{1b}"));
        let long = "é".repeat(1000);
        assert_eq!(LogSafe(&long).to_string().chars().count(), MAX_CHARS + 1);
        assert_eq!(LogSafe("Anna €").to_string(), "Anna €");
    }
}

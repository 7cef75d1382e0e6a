//! The class names of the stylesheets (`style/*.css`), which the prose
//! heuristic of [`ui_texts`](super::ui_texts) needs to tell a class list
//! (`"card muted"`) from prose.
//!
//! It has no rule of its own.

use std::collections::BTreeSet;

use super::{files, read};

/// Class names in `style/*.css` (`.name` in selectors).
pub(super) fn css_classes() -> BTreeSet<String> {
    let mut classes = BTreeSet::new();
    for rel in files(&["style"], "css") {
        let text = read(&rel);
        let mut rest = text.as_str();
        // Drop comments.
        let mut clean = String::new();
        while let Some(start) = rest.find("/*") {
            clean.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        clean.push_str(rest);
        let chars: Vec<char> = clean.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            // `.a.b` chains classes; `1.5em` is a number.
            let in_number = i > 0 && chars[i - 1].is_ascii_digit();
            if *c != '.' || in_number || !chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) {
                continue;
            }
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '-' || **c == '_')
                .collect();
            classes.insert(name);
        }
    }
    classes
}

//! Reading the locale files: every key of `locales/*.yml` (nested keys
//! joined by dots), and whether a literal, perhaps with `{…}` placeholders,
//! names one.
//!
//! It has no rule of its own; [`ui_texts`](super::ui_texts) uses it.

use std::collections::BTreeSet;

use super::read;

/// Every key of a locale file, nested keys joined by dots. Parsed with the
/// YAML reader rust-i18n itself uses.
pub(super) fn locale_keys(rel: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_saphyr::from_str(&read(rel))
        .unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"));
    let mut keys = BTreeSet::new();
    flatten("", &value, &mut keys);
    keys
}

fn flatten(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, keys);
            }
        }
        _ => {
            keys.insert(prefix.to_owned());
        }
    }
}

/// Whether `keys` has `literal`, or (when it holds `{…}`) a key it matches.
pub(super) fn has_key(keys: &BTreeSet<String>, literal: &str) -> bool {
    if !literal.contains('{') {
        return keys.contains(literal);
    }
    let mut parts = Vec::new();
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    parts.push(rest);
    keys.iter().any(|key| matches_parts(key, &parts))
}

/// `key` is `parts` joined by non-empty texts.
fn matches_parts(key: &str, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return key.is_empty();
    };
    let Some(mut tail) = key.strip_prefix(first) else {
        return false;
    };
    if rest.is_empty() {
        return tail.is_empty();
    }
    // Each placeholder takes at least one character.
    while !tail.is_empty() {
        tail = &tail[tail.chars().next().map_or(1, char::len_utf8)..];
        if matches_parts(tail, rest) {
            return true;
        }
    }
    false
}

//! The rule `ui_texts_are_locale_keys`: the key arguments of `tr(`, `t(`,
//! `tr_with(` and `Notice::Key(` are keys of both locale files, key-shaped
//! literals of `src/ui` are keys, both files have the same keys, and no
//! literal of `src/ui` is prose shown to people (the heuristic is in the
//! docs of `mod.rs`, "Prose literals in `src/ui`").
//!
//! To satisfy it, add missing keys to both `locales/nl.yml` and
//! `locales/en.yml`, and show every text through a key; a literal that is
//! rightly no key goes into [`PROSE_ALLOWED`] with a reason.

use std::collections::BTreeSet;

use super::css::css_classes;
use super::lexer::{Kind, Source};
use super::locales::{has_key, locale_keys};
use super::{Report, rust_files};

/// Literals of `src/ui` that look like prose and are right as they are:
/// (file, literal, reason).
pub(super) const PROSE_ALLOWED: &[(&str, &str, &str)] = &[(
    "src/ui/app.rs",
    "Regie",
    "the product's name, the same in every language",
)];

pub(super) fn check() {
    let mut report = Report::new(
        "ui_texts_are_locale_keys",
        "show every text through a key that both locales/nl.yml and locales/en.yml \
         have (tr, t, tr_with); add missing keys to both files; a literal that is \
         rightly no key goes into PROSE_ALLOWED in xtask/src/tidy/ui_texts.rs with a reason",
    );
    let nl = locale_keys("locales/nl.yml");
    let en = locale_keys("locales/en.yml");
    for (file, keys, other_file, other) in [
        ("locales/nl.yml", &nl, "locales/en.yml", &en),
        ("locales/en.yml", &en, "locales/nl.yml", &nl),
    ] {
        for key in keys.difference(other) {
            report.push(other_file, 0, format!("no key `{key}`, which {file} has"));
        }
    }
    let sections: BTreeSet<&str> = nl
        .iter()
        .chain(&en)
        .filter_map(|k| k.split('.').next())
        .collect();
    let missing = |literal: &str| -> Vec<&str> {
        [("nl.yml", &nl), ("en.yml", &en)]
            .into_iter()
            .filter(|(_, keys)| !has_key(keys, literal))
            .map(|(file, _)| file)
            .collect()
    };
    let classes = css_classes();
    let mut checked = 0;
    for source in rust_files(&["src"]) {
        let shipped = source.shipped();
        for (line, call, literal) in key_arguments(&source, &shipped) {
            checked += 1;
            let lacking = missing(&literal);
            if !lacking.is_empty() {
                report.push(
                    &source.rel,
                    line,
                    format!(
                        "`{call}(\"{literal}\")`: no such key in {}",
                        lacking.join(" and ")
                    ),
                );
            }
        }
        if !source.rel.starts_with("src/ui/") {
            continue;
        }
        for (i, token) in source.tokens.iter().enumerate() {
            if !shipped[i] || token.kind != Kind::Str || !looks_like_key(&token.text) {
                continue;
            }
            let section = token.text.split('.').next().unwrap_or_default();
            let lacking = missing(&token.text);
            if sections.contains(section) && !lacking.is_empty() {
                report.push(
                    &source.rel,
                    token.line,
                    format!(
                        "\"{}\" looks like a key but {} lack it",
                        token.text,
                        lacking.join(" and ")
                    ),
                );
            }
        }
        let is_key = |s: &str| nl.contains(s) || en.contains(s);
        for (line, literal, why) in prose_literals(&source, &shipped, &classes) {
            let allowed = PROSE_ALLOWED
                .iter()
                .any(|(file, text, _)| *file == source.rel && *text == literal);
            if !allowed && !is_key(&literal) {
                report.push(
                    &source.rel,
                    line,
                    format!("{why} {literal:?} is not a locale key"),
                );
            }
        }
    }
    // A reader that lost track would find nothing and pass.
    assert!(
        checked > 200 && classes.len() > 50 && nl.len() > 300,
        "the tidy test read too little: {checked} key arguments, {} CSS classes, {} keys",
        classes.len(),
        nl.len()
    );
    report.finish();
}

/// `section.name` (lowercase, digits, `_`, `-`; at least one dot).
fn looks_like_key(s: &str) -> bool {
    let mut segments = s.split('.');
    let first = segments.next().unwrap_or_default();
    let segment = |x: &str| {
        !x.is_empty()
            && x.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    };
    s.contains('.') && segment(first) && segments.all(segment)
}

/// The literal key arguments of `tr(`, `t(`, `tr_with(` and `Notice::Key(`
/// in shipped code: (line, call, literal). Every literal in the first
/// argument counts (`tr(if a { "x.a" } else { "x.b" })`).
fn key_arguments(source: &Source, shipped: &[bool]) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (i, t) in source.tokens.iter().enumerate() {
        if !shipped[i] || t.kind != Kind::Ident || !source.is(i + 1, Kind::Open, "(") {
            continue;
        }
        let before = i.checked_sub(1).and_then(|b| source.tok(b));
        let defined_or_method =
            before.is_some_and(|b| b.is(Kind::Ident, "fn") || b.is(Kind::Punct, "."));
        let notice_key = t.text == "Key"
            && i >= 3
            && source.path_sep(i - 2)
            && source.is(i - 3, Kind::Ident, "Notice");
        if defined_or_method || !(matches!(t.text.as_str(), "tr" | "t" | "tr_with") || notice_key) {
            continue;
        }
        // The first argument: up to a `,` outside any group.
        let close = source.close[i + 1];
        let mut arg_end = i + 2;
        while arg_end < close && !source.is(arg_end, Kind::Punct, ",") {
            arg_end = source.close[arg_end] + 1;
        }
        for token in &source.tokens[i + 2..arg_end.min(close)] {
            if token.kind == Kind::Str {
                out.push((token.line, t.text.clone(), token.text.clone()));
            }
        }
    }
    out
}

/// Attributes whose values people read.
#[rustfmt::skip]
const PROSE_ATTRIBUTES: &[&str] = &[
    "title", "placeholder", "alt", "label", "legend", "aria-label",
    "aria-description", "aria-roledescription", "aria-valuetext",
    "aria-placeholder",
    // Props of this app's components that take a locale key.
    "summary", "button", "empty",
];

/// Attributes whose values people never read.
#[rustfmt::skip]
const MACHINE_ATTRIBUTES: &[&str] = &[
    "class", "id", "for", "href", "src", "style", "type", "role", "name",
    "value", "lang", "rel", "target", "accept", "autocomplete", "inputmode",
    "pattern", "viewBox", "transform", "d", "points", "fill", "stroke",
    "text-anchor", "font-size",
];

/// Macros whose strings are for developers, not people.
#[rustfmt::skip]
const DEVELOPER_MACROS: &[&str] = &[
    "print", "println", "eprint", "eprintln", "dbg", "log", "trace", "debug",
    "info", "warn", "error", "panic", "unreachable", "todo", "unimplemented",
    "assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq",
    "debug_assert_ne",
];

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Rust,
    View,
}

/// Literals of shipped code that look like prose: (line, literal, why).
fn prose_literals(
    source: &Source,
    shipped: &[bool],
    classes: &BTreeSet<String>,
) -> Vec<(usize, String, &'static str)> {
    let mut walk = ProseWalk {
        source,
        shipped,
        classes,
        out: Vec::new(),
    };
    walk.tokens(0, source.tokens.len(), Context::Rust);
    walk.out
}

/// A walk through one file's tokens, collecting the literals that look like
/// prose.
struct ProseWalk<'a> {
    source: &'a Source,
    shipped: &'a [bool],
    classes: &'a BTreeSet<String>,
    out: Vec<(usize, String, &'static str)>,
}

impl ProseWalk<'_> {
    /// The tokens `start..end`, which stand in `context`.
    fn tokens(&mut self, start: usize, end: usize, context: Context) {
        let (source, shipped, classes) = (self.source, self.shipped, self.classes);
        let two_words = |text: &str| is_prose(text) && !is_class_list(text, classes);
        let mut prev: Option<usize> = None;
        let mut i = start;
        while i < end {
            let t = &source.tokens[i];
            if !shipped[i] {
                i += 1;
                continue;
            }
            if let Some((_, after, _)) = source.attribute(i) {
                prev = Some(after - 1);
                i = after;
                continue;
            }
            let macro_call = t.kind == Kind::Ident
                && source.is(i + 1, Kind::Punct, "!")
                && source.tok(i + 2).is_some_and(|o| o.kind == Kind::Open);
            if macro_call {
                let close = source.close[i + 2];
                if !DEVELOPER_MACROS.contains(&t.text.as_str()) {
                    let inner = if t.text == "view" {
                        Context::View
                    } else {
                        Context::Rust
                    };
                    self.tokens(i + 3, close, inner);
                }
                prev = Some(close);
                i = close + 1;
                continue;
            }
            if t.is(Kind::Punct, ".")
                && source.is(i + 1, Kind::Ident, "expect")
                && source.is(i + 2, Kind::Open, "(")
            {
                let close = source.close[i + 2];
                prev = Some(close);
                i = close + 1;
                continue;
            }
            if t.kind == Kind::Open {
                let close = source.close[i];
                self.tokens(i + 1, close, Context::Rust);
                prev = Some(close);
                i = close + 1;
                continue;
            }
            if t.kind == Kind::Str {
                let text = t.text.as_str();
                let has_letter = text.chars().any(char::is_alphabetic);
                let found = match (context, view_position(source, prev)) {
                    (Context::View, Position::Text) if has_letter => Some("text"),
                    (Context::View, Position::Attribute(name)) => {
                        let name = name
                            .strip_prefix("attr:")
                            .or_else(|| name.strip_prefix("prop:"))
                            .unwrap_or(&name);
                        if PROSE_ATTRIBUTES.contains(&name) {
                            has_letter.then_some("attribute value")
                        } else if MACHINE_ATTRIBUTES.contains(&name)
                            || name.starts_with("data-")
                            || name.starts_with("aria-")
                            || name.starts_with("on:")
                        {
                            None
                        } else {
                            two_words(text).then_some("attribute value")
                        }
                    }
                    _ => two_words(text).then_some("literal"),
                };
                if let Some(why) = found {
                    self.out.push((t.line, t.text.clone(), why));
                }
            }
            prev = Some(i);
            i += 1;
        }
    }
}

enum Position {
    /// A child of an element.
    Text,
    /// The value of the named attribute.
    Attribute(String),
    /// Part of a Rust expression.
    Expression,
}

/// Where a literal in `view!` stands, from the token before it.
fn view_position(source: &Source, prev: Option<usize>) -> Position {
    let Some(p) = prev else {
        return Position::Text;
    };
    let t = &source.tokens[p];
    if t.is(Kind::Punct, ">") || t.kind == Kind::Str || t.is(Kind::Close, "}") {
        return Position::Text;
    }
    if !t.is(Kind::Punct, "=") || p == 0 || source.tokens[p - 1].kind != Kind::Ident {
        return Position::Expression;
    }
    // The name: `a`, `aria-label`, `on:click`, `attr:class`.
    let mut k = p - 1;
    let mut name = source.tokens[k].text.clone();
    while k >= 2
        && (source.is(k - 1, Kind::Punct, "-") || source.is(k - 1, Kind::Punct, ":"))
        && source.tokens[k - 2].kind == Kind::Ident
    {
        name = format!(
            "{}{}{name}",
            source.tokens[k - 2].text,
            source.tokens[k - 1].text
        );
        k -= 2;
    }
    Position::Attribute(name)
}

#[derive(Clone, Copy, PartialEq)]
enum Word {
    /// Two or more letters (with `-`, `'` or `’` inside).
    Letters,
    /// A format placeholder, `{…}`.
    Placeholder,
    Other,
}

fn words(text: &str) -> Vec<(&str, Word)> {
    text.split_whitespace()
        .map(|raw| {
            let w = raw.trim_matches(|c: char| ",.;:!?…\"“”‘'()[]«»–—".contains(c));
            let kind = if w.starts_with('{') && w.ends_with('}') {
                Word::Placeholder
            } else if w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars().all(|c| c.is_alphabetic() || "-'’".contains(c))
            {
                Word::Letters
            } else {
                Word::Other
            };
            (w, kind)
        })
        .collect()
}

/// Two words side by side (a placeholder next to a word counts).
pub(super) fn is_prose(text: &str) -> bool {
    words(text).windows(2).any(|pair| {
        matches!(
            (pair[0].1, pair[1].1),
            (Word::Letters, Word::Letters | Word::Placeholder) | (Word::Placeholder, Word::Letters)
        )
    })
}

/// Every word a CSS class (of the stylesheets, or hyphenated lowercase) or a
/// placeholder.
pub(super) fn is_class_list(text: &str, classes: &BTreeSet<String>) -> bool {
    let hyphenated = |w: &str| {
        w.contains('-')
            && !w.starts_with('-')
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    text.split_whitespace()
        .all(|w| (w.starts_with('{') && w.ends_with('}')) || classes.contains(w) || hyphenated(w))
}

//! The small Rust lexer the rules read code with: comments are dropped;
//! strings (also raw, byte and C strings, escapes decoded), chars, lifetimes,
//! identifiers, numbers and punctuation become tokens with their lines; and
//! [`Source::shipped`] tells code that ships from test code (`#[cfg(test)]`,
//! `#[test]`), which every Rust rule skips.
//!
//! It has no rule to satisfy; when it misreads valid Rust, the tests at the
//! end of `mod.rs` are the place to pin the case down.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    /// A string literal of any kind; `text` is its value (escapes decoded).
    Str,
    Char,
    Lifetime,
    Number,
    Punct,
    Open,
    Close,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) text: String,
    pub(super) line: usize,
}

impl Token {
    pub(super) fn is(&self, kind: Kind, text: &str) -> bool {
        self.kind == kind && self.text == text
    }
}

/// A lexed Rust file.
pub(super) struct Source {
    /// The path from the root, `/`-separated.
    pub(super) rel: String,
    text: String,
    pub(super) tokens: Vec<Token>,
    /// For an `Open` token the index of its `Close`; else the token itself.
    pub(super) close: Vec<usize>,
}

impl Source {
    pub(super) fn new(rel: String, text: String) -> Self {
        let tokens = lex(&text);
        let mut close: Vec<usize> = (0..tokens.len()).collect();
        let mut open = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Open => open.push(i),
                Kind::Close => {
                    if let Some(o) = open.pop() {
                        close[o] = i;
                    }
                }
                _ => {}
            }
        }
        // An unclosed group (not valid Rust) runs to the end.
        for o in open {
            close[o] = tokens.len().saturating_sub(1);
        }
        Source {
            rel,
            text,
            tokens,
            close,
        }
    }

    /// Line `n` (from 1), trimmed.
    pub(super) fn line_text(&self, n: usize) -> &str {
        self.text.lines().nth(n - 1).unwrap_or("").trim()
    }

    pub(super) fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    pub(super) fn is(&self, i: usize, kind: Kind, text: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is(kind, text))
    }

    /// `::` at `i`.
    pub(super) fn path_sep(&self, i: usize) -> bool {
        self.is(i, Kind::Punct, ":") && self.is(i + 1, Kind::Punct, ":")
    }

    /// Which tokens are shipped code: false inside items under `#[cfg(test)]`
    /// or `#[test]` (the attribute included), everywhere after `#![cfg(test)]`.
    pub(super) fn shipped(&self) -> Vec<bool> {
        let mut shipped = vec![true; self.tokens.len()];
        let mut i = 0;
        while i < self.tokens.len() {
            let Some((content, after, inner)) = self.attribute(i) else {
                i += 1;
                continue;
            };
            if !self.is_test_attribute(content) {
                i = after;
                continue;
            }
            let end = if inner {
                self.tokens.len()
            } else {
                self.item_end(after)
            };
            for s in &mut shipped[i..end] {
                *s = false;
            }
            i = end;
        }
        shipped
    }

    /// An attribute at `i`: (range of its content, index after it, inner).
    pub(super) fn attribute(&self, i: usize) -> Option<(std::ops::Range<usize>, usize, bool)> {
        if !self.is(i, Kind::Punct, "#") {
            return None;
        }
        let (open, inner) = if self.is(i + 1, Kind::Punct, "!") {
            (i + 2, true)
        } else {
            (i + 1, false)
        };
        if !self.is(open, Kind::Open, "[") {
            return None;
        }
        let close = self.close[open];
        Some((open + 1..close, close + 1, inner))
    }

    /// `test`, `cfg(test)`, `cfg(all(test, …))`: anything naming `test` in a
    /// `cfg` without `not`.
    fn is_test_attribute(&self, content: std::ops::Range<usize>) -> bool {
        let tokens = &self.tokens[content];
        let ident = |t: &Token, s: &str| t.is(Kind::Ident, s);
        match tokens {
            [only] => ident(only, "test"),
            [first, ..] if ident(first, "cfg") => {
                tokens.iter().any(|t| ident(t, "test")) && !tokens.iter().any(|t| ident(t, "not"))
            }
            _ => false,
        }
    }

    /// The index after the item that starts at `i` (its attributes first).
    fn item_end(&self, mut i: usize) -> usize {
        while let Some((_, after, _)) = self.attribute(i) {
            i = after;
        }
        while i < self.tokens.len() {
            let t = &self.tokens[i];
            if t.is(Kind::Punct, ";") {
                return i + 1;
            }
            if t.kind == Kind::Open {
                let close = self.close[i];
                if t.text == "{" {
                    let semi = self.is(close + 1, Kind::Punct, ";");
                    return close + 1 + usize::from(semi);
                }
                i = close + 1;
                continue;
            }
            i += 1;
        }
        i
    }
}

/// Tokens of Rust source; comments dropped.
fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        let mut push = |kind, text: String| {
            tokens.push(Token {
                kind,
                text,
                line: start_line,
            })
        };
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if let Some((prefix, raw)) = string_start(&chars, i) {
            let (value, next, newlines) = if raw {
                raw_string(&chars, i + prefix)
            } else {
                string(&chars, i + prefix + 1, '"')
            };
            line += newlines;
            push(Kind::Str, value);
            i = next;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let q = if c == 'b' { i + 1 } else { i };
            let is_char = at(q + 1) == '\\' || (at(q + 2) == '\'' && at(q + 1) != '\'');
            if is_char {
                let (value, next, newlines) = string(&chars, q + 1, '\'');
                line += newlines;
                push(Kind::Char, value);
                i = next;
            } else {
                let mut j = q + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                push(Kind::Lifetime, chars[q..j].iter().collect());
                i = j.max(q + 1);
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            if c == 'r' && at(i + 1) == '#' {
                j += 2;
            }
            let name_start = j;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            push(Kind::Ident, chars[name_start..j].iter().collect());
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric()
                    || chars[j] == '_'
                    || (chars[j] == '.' && at(j + 1).is_ascii_digit()))
            {
                j += 1;
            }
            push(Kind::Number, chars[i..j].iter().collect());
            i = j;
        } else if "([{".contains(c) {
            push(Kind::Open, c.to_string());
            i += 1;
        } else if ")]}".contains(c) {
            push(Kind::Close, c.to_string());
            i += 1;
        } else {
            push(Kind::Punct, c.to_string());
            i += 1;
        }
    }
    tokens
}

/// A string literal starting at `i`: (length of its prefix before the quote
/// or the `#`s, raw).
fn string_start(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let at = |k: usize| chars.get(i + k).copied().unwrap_or('\0');
    // A prefix is part of an identifier only at its start.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let raw_after = |k: usize| {
        let mut j = k;
        while at(j) == '#' {
            j += 1;
        }
        at(j) == '"'
    };
    match at(0) {
        '"' => Some((0, false)),
        'b' | 'c' if at(1) == '"' => Some((1, false)),
        'b' | 'c' if at(1) == 'r' && raw_after(2) => Some((2, true)),
        'r' if raw_after(1) => Some((1, true)),
        _ => None,
    }
}

/// A quoted literal whose body starts at `i`: (value, index after the
/// closing quote, newlines inside).
fn string(chars: &[char], mut i: usize, quote: char) -> (String, usize, usize) {
    let mut value = String::new();
    let mut newlines = 0;
    while i < chars.len() && chars[i] != quote {
        let c = chars[i];
        if c == '\n' {
            newlines += 1;
        }
        if c != '\\' {
            value.push(c);
            i += 1;
            continue;
        }
        let e = chars.get(i + 1).copied().unwrap_or('\0');
        i += 2;
        match e {
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'r' => value.push('\r'),
            '0' => value.push('\0'),
            '\n' => {
                newlines += 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    if chars[i] == '\n' {
                        newlines += 1;
                    }
                    i += 1;
                }
            }
            'x' => {
                let hex: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                value.extend(u8::from_str_radix(&hex, 16).ok().map(char::from));
                i += 2;
            }
            'u' => {
                let end = (i..chars.len()).find(|&k| chars[k] == '}').unwrap_or(i);
                let hex: String = chars[(i + 1).min(end)..end].iter().collect();
                value.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                i = end + 1;
            }
            other => value.push(other),
        }
    }
    (value, i + 1, newlines)
}

/// A raw literal whose `#`s (or quote) start at `i`.
fn raw_string(chars: &[char], mut i: usize) -> (String, usize, usize) {
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1;
    let start = i;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            break;
        }
        i += 1;
    }
    let value: String = chars[start..i.min(chars.len())].iter().collect();
    let newlines = value.matches('\n').count();
    (value, i + 1 + hashes, newlines)
}

//! The paths in Rust code: `use` trees expanded and paths in expressions
//! (`super::x::f()`), for the rules that look at what code names
//! ([`core_purity`](super::core_purity), [`import_cycles`](super::import_cycles)).
//!
//! It has no rule to satisfy of its own.

use super::lexer::{Kind, Source};

impl Source {
    /// Every path in shipped code: `use` trees expanded (`a::{b, c::d}` is
    /// `a::b` and `a::c::d`; `a::{self}` is `a`), and paths in code
    /// (`super::x::f`), without generic arguments.
    pub(super) fn paths(&self, shipped: &[bool]) -> Vec<PathRef> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            let t = &self.tokens[i];
            if !shipped[i] || t.kind != Kind::Ident {
                i += 1;
                continue;
            }
            if t.text == "use" {
                let mut end = i + 1;
                while end < self.tokens.len() && !self.is(end, Kind::Punct, ";") {
                    end = self.close[end] + 1;
                }
                self.use_tree(i + 1, end, &[], t.line, &mut out);
                i = end + 1;
                continue;
            }
            let starts_path = i == 0 || !(i >= 2 && self.path_sep(i - 2));
            if starts_path && self.path_sep(i + 1) {
                let mut segments = vec![t.text.clone()];
                let mut j = i + 1;
                while self.path_sep(j) && self.tok(j + 2).is_some_and(|t| t.kind == Kind::Ident) {
                    segments.push(self.tokens[j + 2].text.clone());
                    j += 3;
                }
                out.push(PathRef {
                    segments,
                    line: t.line,
                });
                i = j;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Expands the use tree in `i..end` under `prefix`; returns where it ends.
    fn use_tree(
        &self,
        mut i: usize,
        end: usize,
        prefix: &[String],
        line: usize,
        out: &mut Vec<PathRef>,
    ) -> usize {
        let mut segments = prefix.to_vec();
        if self.path_sep(i) {
            i += 2;
        }
        while i < end {
            let t = &self.tokens[i];
            match t.kind {
                Kind::Ident => {
                    segments.push(t.text.clone());
                    i += 1;
                }
                Kind::Punct if t.text == "*" => {
                    i += 1;
                    break;
                }
                Kind::Open if t.text == "{" => {
                    let close = self.close[i];
                    let mut j = i + 1;
                    while j < close {
                        let next = self.use_tree(j, close, &segments, line, out);
                        j = next.max(j + 1);
                        if self.is(j, Kind::Punct, ",") {
                            j += 1;
                        }
                    }
                    return close + 1;
                }
                _ => break,
            }
            if self.path_sep(i) {
                i += 2;
            } else {
                break;
            }
        }
        if self.is(i, Kind::Ident, "as") {
            i += 2;
        }
        if segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        if !segments.is_empty() {
            out.push(PathRef { segments, line });
        }
        i
    }
}

/// A path as written, with the line it starts on.
pub(super) struct PathRef {
    pub(super) segments: Vec<String>,
    pub(super) line: usize,
}

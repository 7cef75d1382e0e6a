//! The rule `ui_touches_no_browser_api`: nothing in the shipped code of
//! `src/ui/**` names `web_sys`, `js_sys`, `wasm_bindgen*` or `gloo*`.
//!
//! To satisfy it, move the browser call into `src/platform` and reach it
//! through `Workspace` or a platform function; a file that rightly needs the
//! browser goes into [`UI_BROWSER_API_ALLOWED`] with a reason.

use super::lexer::Kind;
use super::{Report, rust_files};

/// Files of `src/ui` that may touch browser APIs: (file, reason). Empty: the
/// UI reaches the browser only through `src/platform`.
pub(super) const UI_BROWSER_API_ALLOWED: &[(&str, &str)] = &[];

pub(super) fn check() {
    let mut report = Report::new(
        "ui_touches_no_browser_api",
        "components must not touch the browser: move the call into src/platform and \
         reach it through `Workspace` or a platform function (or, with a reason, add \
         the file to UI_BROWSER_API_ALLOWED in xtask/src/tidy/browser_api.rs)",
    );
    for source in rust_files(&["src/ui"]) {
        if UI_BROWSER_API_ALLOWED
            .iter()
            .any(|(file, _)| *file == source.rel)
        {
            continue;
        }
        let shipped = source.shipped();
        for (i, token) in source.tokens.iter().enumerate() {
            if !shipped[i] || token.kind != Kind::Ident {
                continue;
            }
            let name = token.text.as_str();
            let browser = matches!(name, "web_sys" | "js_sys")
                || name.starts_with("wasm_bindgen")
                || name.starts_with("gloo");
            if browser {
                report.push(
                    &source.rel,
                    token.line,
                    format!("`{name}` in `{}`", source.line_text(token.line)),
                );
            }
        }
    }
    report.finish();
}

//! A modal dialog over the page: a backdrop, a titled section that takes
//! focus when it opens, keeps Tab and Shift+Tab inside (WCAG 2.4.3), closes
//! on Escape, the close button or the backdrop, and gives focus back to
//! where it came from.

use leptos::prelude::*;

use super::text::t;
use crate::platform::dom;

/// A dialog titled `title` (its heading has the id `title_id`). `class`
/// names the section; the backdrop and header get `{class}-backdrop` and
/// `{class}-head`. `on_close` runs when the person closes it; focus then
/// goes back to the element that had it when the dialog opened.
#[component]
pub fn Dialog(
    class: &'static str,
    title_id: &'static str,
    #[prop(into)] title: Signal<String>,
    /// The locale key of the close button.
    close_label: &'static str,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let opener = StoredValue::new_local(dom::Focus::current());
    let close = move || {
        on_close.run(());
        opener.with_value(dom::Focus::restore);
    };
    let dialog = NodeRef::<leptos::html::Section>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <div class=format!("{class}-backdrop") on:click=move |_| close()></div>
        <section
            class=class
            role="dialog"
            aria-modal="true"
            aria-labelledby=title_id
            node_ref=dialog
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                } else if ev.key() == "Tab" && let Some(dialog) = dialog.get() {
                    dom::keep_focus_inside(&dialog, &ev);
                }
            }
        >
            <header class=format!("{class}-head")>
                <h2 id=title_id tabindex="-1" node_ref=heading>{move || title.get()}</h2>
                <button type="button" class="close" on:click=move |_| close()>{t(close_label)}</button>
            </header>
            {children()}
        </section>
    }
}

//! The page itself, for the UI: where focus is and giving it back, keeping
//! focus inside a dialog, finding what lies under a pointer, capturing a
//! pointer, and the crash screen written straight into the page.

use leptos::ev::{KeyboardEvent, PointerEvent};
use wasm_bindgen::JsCast as _;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Where focus was when this was made, to give it back later (for example
/// to the button that opened a dialog).
pub struct Focus(Option<web_sys::HtmlElement>);

impl Focus {
    /// The element that has focus now.
    pub fn current() -> Self {
        Focus(
            document()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
        )
    }

    /// Gives focus back, if that element is still in the page.
    pub fn restore(&self) {
        if let Some(el) = &self.0
            && el.is_connected()
        {
            let _ = el.focus();
        }
    }
}

/// Focuses the element with this id, if there is one.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Tab and Shift+Tab cycle through the container's controls instead of
/// leaving it for the page behind (a modal dialog, WCAG 2.4.3).
pub fn keep_focus_inside(container: &web_sys::Element, ev: &KeyboardEvent) {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
        select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
    let Ok(list) = container.query_selector_all(FOCUSABLE) else {
        return;
    };
    let visible: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (visible.first(), visible.last()) else {
        return;
    };
    let active = document().and_then(|d| d.active_element());
    let at = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
    };
    let inside = active.as_ref().is_some_and(|a| container.contains(Some(a)));
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The `attribute` of the nearest element matching `selector` under the
/// pointer (for dropping onto a column while the pointer is captured).
pub fn attribute_under_pointer(
    ev: &PointerEvent,
    selector: &str,
    attribute: &str,
) -> Option<String> {
    let element = document()?.element_from_point(ev.client_x() as f32, ev.client_y() as f32)?;
    element.closest(selector).ok()??.get_attribute(attribute)
}

/// Keeps the pointer's events on the element it went down on (dragging
/// with touch and mouse alike).
pub fn capture_pointer(ev: &PointerEvent) {
    if let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = target.set_pointer_capture(ev.pointer_id());
    }
}

/// Replaces the whole page with `html` (the crash screen, written without
/// the reactive system, which may be what failed).
pub fn replace_body(html: &str) {
    if let Some(body) = document().and_then(|d| d.body()) {
        body.set_inner_html(html);
    }
}

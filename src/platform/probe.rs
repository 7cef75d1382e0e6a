//! Functions on `window` that let the end-to-end tests and benchmarks look
//! inside the running app (how often a document was read). They only ever
//! report; nothing can be changed through them.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};

/// Puts `report` on `window` under `name`, returning a string.
pub fn expose(name: &str, report: impl Fn() -> String + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let function = Closure::<dyn Fn() -> String>::new(report);
    let _ = js_sys::Reflect::set(
        &window,
        &JsValue::from_str(name),
        function.as_ref().unchecked_ref(),
    );
    // It lives as long as the page.
    function.forget();
}

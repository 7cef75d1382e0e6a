//! Printing: the browser's own print dialog. There is nothing to build
//! here, as `style/print.css` turns the page on screen into clean A4 pages
//! (plan, campaign, ronde tafel).

/// Opens the browser's print dialog for the page (the print stylesheet
/// turns it into clean A4 pages).
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

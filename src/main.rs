//! Regie web app (see ARCHITECTURE.md).
fn main() {}

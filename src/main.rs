//! Entry point of the Regie web app (see `lib.rs` and ARCHITECTURE.md).

#[cfg(target_arch = "wasm32")]
fn main() {
    regie::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Regie app runs in the browser: use `cargo xtask run`.");
}

//! Strings this browser keeps in `localStorage`: who the person is
//! ([`crate::platform::identity`]), the interface language
//! ([`crate::platform::language`]) and the share-link token
//! ([`crate::platform::access`]).
//!
//! Values are stored as the plain strings they are (`regie.name` → `Jan`,
//! `regie.write` → `true`), the format browsers already hold. `gloo-storage`
//! is not used for this: it stores JSON (`"Jan"` with the quotes) and would
//! not read the values already there, and its `LocalStorage::raw()` throws
//! where the browser refuses storage. Here a refusing browser (private
//! windows of some browsers, blocked site data) is a browser that keeps
//! nothing: reads give `None`, writes report `false`, the app goes on.

/// This browser's `localStorage`, unless it refuses it.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The string kept under `key` (`None`: nothing kept, or no storage).
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`; returns whether it was kept (a full or
/// refused storage keeps nothing).
pub fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets what is kept under `key`.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

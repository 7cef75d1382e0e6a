//! Who is using this browser: name, organisation and marker colour, kept in
//! localStorage and shown to others through presence.

use regie_core::presence::PresenceInfo;

const NAME: &str = "regie.name";
const ORGANISATION: &str = "regie.organisation";
const COLOUR: &str = "regie.colour";

/// Colours with enough contrast on white for a name badge (WCAG AA).
pub const PALETTE: [&str; 6] = [
    "#0b5394", "#a4161a", "#1e6b34", "#6a1b9a", "#8a4b00", "#00695c",
];

/// The person at this browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Marker colour.
    pub colour: String,
}

impl Identity {
    /// As presence, editing `editing`.
    pub fn presence(&self, editing: Option<String>) -> PresenceInfo {
        PresenceInfo {
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            colour: self.colour.clone(),
            editing,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored identity, if the person has said who they are.
pub fn load() -> Option<Identity> {
    let storage = storage()?;
    let get = |key| {
        storage
            .get_item(key)
            .ok()
            .flatten()
            .filter(|v: &String| !v.is_empty())
    };
    Some(Identity {
        name: get(NAME)?,
        organisation: get(ORGANISATION).unwrap_or_default(),
        colour: get(COLOUR).unwrap_or_else(|| PALETTE[0].to_owned()),
    })
}

/// Stores an identity.
pub fn save(identity: &Identity) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(NAME, &identity.name);
        let _ = storage.set_item(ORGANISATION, &identity.organisation);
        let _ = storage.set_item(COLOUR, &identity.colour);
    }
}

const PERSON: &str = "regie.person";

/// A stable id for the person at this browser (made once, kept in
/// localStorage): a ronde tafel keys each participant's scores by it.
pub fn person_id() -> String {
    let stored = storage().and_then(|s| s.get_item(PERSON).ok().flatten());
    if let Some(id) = stored.filter(|id| !id.is_empty()) {
        return id;
    }
    let id = super::workspace::new_item_id();
    if let Some(s) = storage() {
        let _ = s.set_item(PERSON, &id);
    }
    id
}

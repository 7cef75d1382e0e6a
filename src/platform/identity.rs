//! Who is using this browser: name, organisation and marker colour, kept in
//! localStorage and shown to others through presence.
//!
//! Each field is its own key holding the plain string (see
//! [`local_storage`]), so browsers keep the identity they already have.

use regie_core::presence::PresenceInfo;

use super::device::local_storage;

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

/// The stored identity, if the person has said who they are (a name).
pub fn load() -> Option<Identity> {
    let get = |key| local_storage::get(key).filter(|v| !v.is_empty());
    Some(Identity {
        name: get(NAME)?,
        organisation: get(ORGANISATION).unwrap_or_default(),
        colour: get(COLOUR).unwrap_or_else(|| PALETTE[0].to_owned()),
    })
}

/// Stores an identity (a browser that refuses storage asks again next time).
pub fn save(identity: &Identity) {
    local_storage::set(NAME, &identity.name);
    local_storage::set(ORGANISATION, &identity.organisation);
    local_storage::set(COLOUR, &identity.colour);
}

const PERSON: &str = "regie.person";

/// A stable id for the person at this browser (made once, kept in
/// localStorage): a ronde tafel keys each participant's scores by it.
pub fn person_id() -> String {
    if let Some(id) = local_storage::get(PERSON).filter(|id| !id.is_empty()) {
        return id;
    }
    let id = super::workspace::new_item_id();
    local_storage::set(PERSON, &id);
    id
}

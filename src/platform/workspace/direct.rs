//! Direct links to other devices (WebRTC data channels): in-person pairing
//! by code, and what the header and presence bar show about them.
//! (Interface first; the links follow.)

use regie_core::PeerId;
use regie_core::direct::pairing::Grant;
use regie_core::text::Text;

use super::Workspace;

/// What taking a pairing code led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// It was another device's first code: show this answer code to it.
    Answer(String),
    /// It was the answer to this device's code: the link is being made.
    Linking,
}

impl Workspace {
    /// Whether this device may let a paired device edit (it can edit itself).
    pub fn may_grant_edit(&self) -> bool {
        self.can_write()
    }

    /// Starts an in-person pairing: the code (QR or text) the other device
    /// takes. The device waits for that device's answer code.
    pub async fn pairing_start(self, grant: Grant) -> Result<String, Text> {
        let _ = grant;
        Err(Text::key("direct.not_yet"))
    }

    /// Takes a code shown by another device (scanned or typed).
    pub async fn pairing_take(self, code: String, grant: Grant) -> Result<Taken, Text> {
        let _ = (code, grant);
        Err(Text::key("direct.not_yet"))
    }

    /// Gives up a pairing under way.
    pub fn pairing_cancel(self) {}

    /// Devices linked directly now (reactive).
    pub fn direct_peers(&self) -> usize {
        0
    }

    /// Whether a peer (of the presence bar) is reached directly (reactive).
    pub fn is_direct(&self, peer: &PeerId) -> bool {
        let _ = peer;
        false
    }
}

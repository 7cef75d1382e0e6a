//! In-person pairing: this device's code (a WebRTC offer reduced to what
//! varies, plus the grant) shown as a QR code or text, the other device's
//! answer code taken back, and the grant kept within this device's own
//! access. The code format is [`regie_core::direct::pairing`]; the link is
//! made like any direct link ([`super::direct`]).

use regie_core::Access;
use regie_core::direct::pairing::{Grant, Pairing, PairingError, Role};
use regie_core::text::Text;

use super::Workspace;
use crate::platform::access;

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

    /// What a paired device is given: the grant, within this device's own
    /// access (a reader grants only reading; a scope stays the scope).
    fn granted(&self, grant: Grant) -> (Grant, Access) {
        let mine = access::stored_access();
        let grant = if self.may_grant_edit() && mine.write {
            grant
        } else {
            Grant::Read
        };
        let access = Access {
            write: grant == Grant::Edit,
            only: mine.only,
            scope: mine.scope,
            link: None,
        };
        (grant, access)
    }

    /// Starts an in-person pairing: the code (QR or text) the other device
    /// takes. The device waits for that device's answer code.
    pub async fn pairing_start(self, grant: Grant) -> Result<String, Text> {
        self.pairing_cancel();
        let (grant, access) = self.granted(grant);
        let (conn, link) = self
            .new_direct(None, true, access)
            .ok_or(Text::key("direct.no_link"))?;
        self.engine().direct.borrow_mut().pairing = Some(conn);
        let sdp = link.offer().await.map_err(|e| {
            self.direct_failed(conn, &e);
            Text::key("direct.no_link")
        })?;
        let pairing = Pairing::from_sdp(Role::Offer, grant, &sdp).map_err(|e| {
            self.direct_failed(conn, &e.to_string());
            pairing_problem(&e)
        })?;
        Ok(pairing.to_code())
    }

    /// Takes a code shown by another device (scanned or typed).
    pub async fn pairing_take(self, code: String, grant: Grant) -> Result<Taken, Text> {
        let pairing = Pairing::from_code(&code).map_err(|e| pairing_problem(&e))?;
        let session = u64::from_le_bytes(super::super::random_bytes()[..8].try_into().unwrap());
        match pairing.role {
            Role::Offer => {
                let (_, access) = self.granted(grant);
                let (conn, link) = self
                    .new_direct(None, false, access)
                    .ok_or(Text::key("direct.no_link"))?;
                let sdp = link.answer(&pairing.to_sdp(session)).await.map_err(|e| {
                    self.direct_failed(conn, &e);
                    Text::key("direct.bad_code")
                })?;
                let answer = Pairing::from_sdp(Role::Answer, pairing.grant, &sdp).map_err(|e| {
                    self.direct_failed(conn, &e.to_string());
                    pairing_problem(&e)
                })?;
                Ok(Taken::Answer(answer.to_code()))
            }
            Role::Answer => {
                let waiting = self.engine().direct.borrow().pairing;
                let conn = waiting.ok_or(Text::key("direct.no_pairing"))?;
                let link = self
                    .engine()
                    .direct
                    .borrow()
                    .links
                    .get(&conn)
                    .map(|l| l.link.clone())
                    .ok_or(Text::key("direct.no_pairing"))?;
                link.accept(&pairing.to_sdp(session)).await.map_err(|e| {
                    leptos::logging::warn!("the answer code was refused: {e}");
                    Text::key("direct.bad_code")
                })?;
                Ok(Taken::Linking)
            }
        }
    }

    /// Gives up a pairing under way.
    pub fn pairing_cancel(self) {
        let waiting = self.engine().direct.borrow_mut().pairing.take();
        if let Some(conn) = waiting {
            let open = self
                .engine()
                .direct
                .borrow()
                .links
                .get(&conn)
                .is_some_and(|l| l.link.is_open());
            if !open {
                self.forget_direct(conn);
            }
        }
    }
}

fn pairing_problem(error: &PairingError) -> Text {
    match error {
        PairingError::NoCandidates => Text::key("direct.no_network"),
        PairingError::TooLong | PairingError::NotACode | PairingError::Damaged => {
            Text::key("direct.bad_code")
        }
        PairingError::Missing(_) => Text::key("direct.no_link"),
    }
}

//! Signalling for direct links: the few messages two devices exchange to
//! open a WebRTC data channel, carried as ephemeral messages of a document
//! both take part in — through the relay while both reach it, or through
//! devices already linked — and never stored.
//!
//! - `hello`: "I am here and can link directly" (to everyone, or answered
//!   to one peer); the smaller peer id of a pair offers.
//! - `offer` / `answer`: a complete (non-trickle) SDP, to one peer.
//!
//! Every signal carries the access of the peer that sent it, and every
//! engine it passes through lowers that to the access of the connection it
//! arrived on ([`vouched`]): the relay caps it to what the sender's share
//! link allows, a device to what it granted the device it heard it from.
//! A device gives a direct peer no more than the signal says, so a
//! direct link never widens anyone's access.
//!
//! Signals come from other peers: their size is bounded by the engine
//! before they get here, and every field is checked.

use serde::{Deserialize, Serialize};

use crate::protocol::PeerId;
use crate::scope::LinkScope;
use crate::{Access, DocumentId, LinkId};

/// The tag that tells a signal from other ephemeral payloads (presence).
const TAG: &str = "regie-signal";
/// Longest SDP accepted (Chromium's data-channel offer with a few
/// candidates is about 1 KiB).
pub const MAX_SDP_BYTES: usize = 8 * 1024;
/// How far a `hello` travels through linked devices: enough for a room
/// where each tablet paired with one other.
pub const MAX_HOPS: u8 = 4;
/// Longest peer id accepted (ours are about 30 characters).
const MAX_PEER_BYTES: usize = 128;

/// What a signal asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Announces a device that can link directly.
    Hello,
    /// A WebRTC offer (complete SDP).
    Offer(String),
    /// A WebRTC answer (complete SDP).
    Answer(String),
}

/// One signalling message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    /// The peer it is for; `None` for a `hello` to everyone.
    pub to: Option<PeerId>,
    /// What it asks.
    pub body: Body,
    /// What the sender may do, as vouched along the way.
    pub access: Access,
    /// How many more devices may pass it on.
    pub hops: u8,
}

/// The wire form: a JSON object (like presence).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    #[serde(rename = "regie-signal")]
    tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sdp: Option<String>,
    write: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    only: Option<String>,
    /// The sender's scope in the regie (`crate::scope::LinkScope::text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// The sender's link id, as its relay vouched for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    hops: u8,
}

impl Signal {
    /// A `hello` from a peer with `access`.
    pub fn hello(to: Option<PeerId>, access: Access) -> Signal {
        Signal {
            to,
            body: Body::Hello,
            access,
            hops: MAX_HOPS,
        }
    }

    /// The payload of the ephemeral message.
    pub fn encode(&self) -> Vec<u8> {
        let (kind, sdp) = match &self.body {
            Body::Hello => ("hello", None),
            Body::Offer(sdp) => ("offer", Some(sdp.clone())),
            Body::Answer(sdp) => ("answer", Some(sdp.clone())),
        };
        let wire = Wire {
            tag: "1".to_owned(),
            to: self.to.as_ref().map(|p| p.0.clone()),
            kind: kind.to_owned(),
            sdp,
            write: self.access.write,
            only: self.access.only.map(|d| d.to_string()),
            scope: self.access.scope.map(LinkScope::text),
            link: self.access.link.map(|l| l.to_string()),
            hops: self.hops,
        };
        serde_json::to_vec(&wire).expect("a signal always serialises")
    }

    /// A signal, if the payload is one and every field is sound; `None` for
    /// anything else (other payloads, and signals that do not check out).
    pub fn decode(bytes: &[u8]) -> Option<Signal> {
        // Cheap test first: presence and other payloads are not parsed twice.
        if !bytes.windows(TAG.len()).any(|w| w == TAG.as_bytes()) {
            return None;
        }
        let wire: Wire = serde_json::from_slice(bytes).ok()?;
        if wire.tag != "1" {
            return None;
        }
        let body = match (wire.kind.as_str(), wire.sdp) {
            ("hello", None) => Body::Hello,
            ("offer", Some(sdp)) if sound_sdp(&sdp) => Body::Offer(sdp),
            ("answer", Some(sdp)) if sound_sdp(&sdp) => Body::Answer(sdp),
            _ => return None,
        };
        let to = match wire.to {
            Some(to) if to.is_empty() || to.len() > MAX_PEER_BYTES => return None,
            Some(to) => Some(PeerId(to)),
            None => None,
        };
        // An offer or answer names its peer; only a hello goes to everyone.
        if to.is_none() && body != Body::Hello {
            return None;
        }
        let only = match wire.only {
            Some(only) => Some(only.parse::<DocumentId>().ok()?),
            None => None,
        };
        // A scope or link that does not parse drops the signal: reading it
        // as "no scope" would widen it.
        let scope = match wire.scope {
            Some(text) => Some(LinkScope::parse(&text)?),
            None => None,
        };
        let link = match wire.link {
            Some(text) => Some(LinkId::parse(&text)?),
            None => None,
        };
        Some(Signal {
            to,
            body,
            access: Access {
                write: wire.write,
                only,
                scope,
                link,
            },
            hops: wire.hops.min(MAX_HOPS),
        })
    }
}

/// An SDP we are willing to hand to the browser: bounded, text, and the
/// start every SDP has.
fn sound_sdp(sdp: &str) -> bool {
    sdp.len() <= MAX_SDP_BYTES && sdp.starts_with("v=0") && !sdp.contains('\0')
}

/// The payload as it may be used and passed on after arriving on a
/// connection whose peer has `via`: a signal's access lowered to what
/// `via` allows (`None` when nothing is left: the scopes do not meet, so
/// the signal is dropped); any other payload unchanged.
pub fn vouched(data: Vec<u8>, via: Access) -> Option<Vec<u8>> {
    match Signal::decode(&data) {
        Some(mut signal) => {
            signal.access = signal.access.meet(via)?;
            Some(signal.encode())
        }
        // Not a valid signal: a payload tagged as one is dropped rather
        // than passed on unchecked.
        None if data.windows(TAG.len()).any(|w| w == TAG.as_bytes()) => None,
        None => Some(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: u8) -> DocumentId {
        DocumentId::from_random_bytes([n; 16])
    }

    const SDP: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n";

    #[test]
    fn every_body_round_trips() {
        for body in [
            Body::Hello,
            Body::Offer(SDP.into()),
            Body::Answer(SDP.into()),
        ] {
            let signal = Signal {
                to: Some(PeerId("regie-b".into())),
                body,
                access: Access {
                    write: false,
                    only: Some(doc(1)),
                    ..Access::FULL
                },
                hops: 2,
            };
            assert_eq!(Signal::decode(&signal.encode()), Some(signal));
        }
        let hello = Signal::hello(None, Access::FULL);
        assert_eq!(Signal::decode(&hello.encode()), Some(hello));
    }

    #[test]
    fn unsound_signals_are_not_signals() {
        let bad: &[&str] = &[
            r#"{"regie-signal":"1","kind":"offer","sdp":"v=0","write":true,"hops":1}"#, // no `to`
            r#"{"regie-signal":"1","to":"b","kind":"offer","sdp":"x","write":true,"hops":1}"#,
            r#"{"regie-signal":"1","to":"b","kind":"hello","sdp":"v=0","write":true,"hops":1}"#,
            r#"{"regie-signal":"1","to":"","kind":"hello","write":true,"hops":1}"#,
            r#"{"regie-signal":"2","kind":"hello","write":true,"hops":1}"#,
            r#"{"regie-signal":"1","kind":"hello","write":true,"hops":1,"extra":1}"#,
            r#"{"regie-signal":"1","kind":"hello","write":true,"only":"nope","hops":1}"#,
            r#"{"regie-signal":"1","kind":"shout","write":true,"hops":1}"#,
        ];
        for text in bad {
            assert_eq!(Signal::decode(text.as_bytes()), None, "{text}");
            assert_eq!(
                vouched(text.as_bytes().to_vec(), Access::FULL),
                None,
                "{text}"
            );
        }
        let huge = Signal {
            to: Some(PeerId("b".into())),
            body: Body::Offer(format!("v=0{}", "a".repeat(MAX_SDP_BYTES))),
            access: Access::FULL,
            hops: 1,
        };
        assert_eq!(Signal::decode(&huge.encode()), None);
    }

    #[test]
    fn hops_are_capped() {
        let mut hello = Signal::hello(None, Access::FULL);
        hello.hops = 200;
        assert_eq!(Signal::decode(&hello.encode()).unwrap().hops, MAX_HOPS);
    }

    #[test]
    fn other_payloads_pass_unchanged() {
        let presence = br#"{"name":"Anna"}"#.to_vec();
        assert_eq!(vouched(presence.clone(), Access::FULL), Some(presence));
    }

    #[test]
    fn access_is_lowered_to_the_connection_it_came_on() {
        let claim = Signal::hello(None, Access::FULL).encode();
        let reader = Access {
            write: false,
            only: Some(doc(1)),
            ..Access::FULL
        };
        let seen = Signal::decode(&vouched(claim.clone(), reader).unwrap()).unwrap();
        assert_eq!(seen.access, reader);
        // A reader cannot claim more than its connection has…
        let modest = Signal::hello(None, reader).encode();
        let through_full = Signal::decode(&vouched(modest, Access::FULL).unwrap()).unwrap();
        assert_eq!(through_full.access, reader);
        // …and scopes that do not meet leave nothing.
        let other = Signal::hello(
            None,
            Access {
                write: true,
                only: Some(doc(2)),
                ..Access::FULL
            },
        )
        .encode();
        assert_eq!(vouched(other, reader), None);
    }
}

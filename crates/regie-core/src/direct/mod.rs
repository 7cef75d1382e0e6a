//! Direct links between devices (WebRTC data channels), the parts that need
//! no browser: protocol frames split to fit a data-channel message and
//! joined again ([`chunks`]), and the pairing code two tablets exchange in
//! person, by QR code or as text, when no server is in reach ([`pairing`]),
//! that code drawn as a QR code ([`qr`]),
//! the signals devices exchange through the relay or each other to open a
//! link ([`signal`]), whom to link with and when ([`mesh`]), and the
//! STUN/TURN servers a deployment offers ([`ice`]).
//!
//! A direct link carries the same automerge-repo v1 frames as the relay's
//! WebSocket; the engine sees one more connection, with the access the
//! pairing (or the relay's word) gave that peer.

pub mod chunks;
pub mod ice;
pub mod mesh;
pub mod pairing;
pub mod qr;
pub mod signal;

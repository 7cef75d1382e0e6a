//! Direct links to other devices (WebRTC data channels): the mesh's steps
//! carried out, the links' life, and what the header and presence bar show
//! about them (pairing in person is [`super::pairing`], what the header
//! and presence bar show [`super::nearby`]).
//!
//! The decisions are the core's: whom to offer, answer, drop or retry
//! ([`regie_core::direct::mesh`]), which signals to pass on and with what
//! access ([`regie_core::Repo::signal`]), what a direct peer may do (the
//! engine's connection access). This module makes the links
//! ([`crate::platform::links::direct`]) and reports back what happened.
//!
//! Signals travel on one document every device holds: the register, or the
//! one document a scoped share link allows; hellos also on the document on
//! screen, where a device with a scoped link is met.

use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::direct::mesh::{Mesh, Step};
use regie_core::direct::signal::{Body, MAX_HOPS, Signal};
use regie_core::{Access, ConnId, DocumentId, PeerId, register};

use super::Workspace;
use crate::platform::access;
use crate::platform::device::local_storage;
use crate::platform::links::LinkKind;
use crate::platform::links::direct::{DirectEvents, RtcLink};

/// How often the mesh is told the time.
const TICK_MS: u32 = 1_000;
/// `off`: this browser makes no direct links found through signals (a
/// deployment that wants the server path only; the benchmarks' baseline).
/// Pairing in person still works: it is asked for by hand.
const MESH_KEY: &str = "regie.mesh";

/// The direct links of this tab.
#[derive(Default)]
pub(super) struct Direct {
    mesh: Option<Mesh>,
    pub(super) links: BTreeMap<ConnId, DirectLink>,
    /// The link of this device's own pairing code, waiting for its answer.
    pub(super) pairing: Option<ConnId>,
}

pub(super) struct DirectLink {
    pub(super) link: Rc<RtcLink>,
    /// Known from the start when the mesh made it; from the handshake when
    /// it was paired in person.
    peer: Option<PeerId>,
    /// What the peer may do here.
    access: Access,
    initiator: bool,
}

/// The link table's handle on a direct link the workspace also keeps.
struct Shared(Rc<RtcLink>);

impl crate::platform::links::Link for Shared {
    fn send(&self, frame: &[u8]) -> bool {
        self.0.send(frame)
    }

    fn close(&self) {
        crate::platform::links::Link::close(&*self.0);
    }
}

impl Workspace {
    /// Starts looking for devices to link with directly.
    pub(super) fn start_direct(self) {
        if local_storage::get(MESH_KEY).as_deref() == Some("off") {
            return;
        }
        let me = self.engine().repo.borrow().peer_id().clone();
        self.engine().direct.borrow_mut().mesh = Some(Mesh::new(me));
        gloo_timers::callback::Interval::new(TICK_MS, move || self.direct_tick()).forget();
    }

    fn direct_tick(self) {
        let steps = self.with_mesh(|mesh, now| mesh.tick(now));
        self.run_steps(steps);
        let held = self.count_held_nearby();
        if self.held_nearby.get_untracked() != held {
            self.held_nearby.set(held);
        }
    }

    fn with_mesh<R: Default>(self, f: impl FnOnce(&mut Mesh, u64) -> R) -> R {
        let now = now();
        let engine = self.engine();
        let mut direct = engine.direct.borrow_mut();
        direct.mesh.as_mut().map(|m| f(m, now)).unwrap_or_default()
    }

    /// A peer's signal arrived (already vouched by the engine); false when
    /// the payload is not a signal.
    pub(super) fn heard_signal(self, doc: DocumentId, from: &PeerId, data: &[u8]) -> bool {
        let Some(signal) = Signal::decode(data) else {
            return false;
        };
        let steps = self.with_mesh(|mesh, now| mesh.heard(doc, from.clone(), signal, now));
        self.run_steps(steps);
        true
    }

    fn run_steps(self, steps: Vec<Step>) {
        for step in steps {
            match step {
                Step::HelloAll => {
                    let home = signalling_doc();
                    self.send_signal(home, None, Body::Hello);
                    // A device with a link to one document signals there
                    // only: meet it in the document open on screen too.
                    let open = self.viewing.get_untracked().map(|(doc, _)| doc);
                    if let Some(doc) = open.filter(|doc| *doc != home) {
                        self.send_signal(doc, None, Body::Hello);
                    }
                }
                Step::Hello { to, doc } => self.send_signal(doc, Some(to), Body::Hello),
                Step::Offer { to, doc } => self.offer_to(to, doc),
                Step::Answer { to, doc, sdp } => self.answer_to(to, doc, sdp),
                Step::Accept { to, sdp } => {
                    if let Some((conn, link)) = self.direct_to(&to) {
                        spawn_local(async move {
                            if let Err(e) = link.accept(&sdp).await {
                                self.direct_failed(conn, &e);
                            }
                        });
                    }
                }
                Step::Drop { to } => {
                    if let Some((conn, _)) = self.direct_to(&to) {
                        self.forget_direct(conn);
                    }
                }
            }
        }
    }

    /// Says hello to everyone now (a new link: who is there need not wait
    /// for the next round of hellos).
    pub(super) fn hello_all(self) {
        if self.engine().direct.borrow().mesh.is_some() {
            self.run_steps(vec![Step::HelloAll]);
        }
    }

    fn send_signal(self, doc: DocumentId, to: Option<PeerId>, body: Body) {
        let signal = Signal {
            to,
            body,
            access: access::stored_access(),
            hops: MAX_HOPS,
        };
        let effects = self.engine().repo.borrow_mut().signal(doc, &signal);
        self.apply(effects);
    }

    fn offer_to(self, to: PeerId, doc: DocumentId) {
        let access = self.peer_access(&to);
        let Some((conn, link)) = self.new_direct(Some(to.clone()), true, access) else {
            return;
        };
        spawn_local(async move {
            match link.offer().await {
                Ok(sdp) => self.send_signal(doc, Some(to), Body::Offer(sdp)),
                Err(e) => self.direct_failed(conn, &e),
            }
        });
    }

    fn answer_to(self, to: PeerId, doc: DocumentId, offer: String) {
        let access = self.peer_access(&to);
        let Some((conn, link)) = self.new_direct(Some(to.clone()), false, access) else {
            return;
        };
        spawn_local(async move {
            match link.answer(&offer).await {
                Ok(sdp) => self.send_signal(doc, Some(to), Body::Answer(sdp)),
                Err(e) => self.direct_failed(conn, &e),
            }
        });
    }

    /// What the mesh's signals vouched `peer` may do, within this device's
    /// own scope (never more than the device itself was given).
    fn peer_access(self, peer: &PeerId) -> Access {
        let vouched = self.with_mesh(|mesh, _| mesh.access(peer));
        let read_only = Access {
            write: false,
            only: None,
            ..Access::FULL
        };
        // A peer of another wijk shares no document with this device: it
        // gets nothing, never "read everything".
        vouched
            .unwrap_or(read_only)
            .meet(access::stored_access())
            .unwrap_or(Access::NOTHING)
    }

    /// Makes a link (not yet connected) and puts it in the tables.
    pub(super) fn new_direct(
        self,
        peer: Option<PeerId>,
        initiator: bool,
        access: Access,
    ) -> Option<(ConnId, Rc<RtcLink>)> {
        let engine = self.engine();
        let conn = engine.links.borrow_mut().add(LinkKind::Direct, None);
        let events = DirectEvents {
            on_open: Box::new(move || self.direct_open(conn)),
            on_frame: Box::new(move |frame| {
                let now = now();
                let effects = self
                    .engine()
                    .repo
                    .borrow_mut()
                    .receive_at(conn, &frame, now);
                self.apply(effects);
            }),
            on_close: Box::new(move |reason| self.direct_failed(conn, &reason)),
        };
        let link = match RtcLink::new(&access::stored_ice(), events) {
            Ok(link) => Rc::new(link),
            Err(e) => {
                leptos::logging::warn!("cannot make a direct link: {e}");
                engine.links.borrow_mut().remove(conn);
                if let Some(peer) = &peer {
                    self.with_mesh(|mesh, now| mesh.lost(peer, now));
                }
                return None;
            }
        };
        engine
            .links
            .borrow_mut()
            .attach(conn, Box::new(Shared(link.clone())));
        engine.direct.borrow_mut().links.insert(
            conn,
            DirectLink {
                link: link.clone(),
                peer,
                access,
                initiator,
            },
        );
        Some((conn, link))
    }

    fn direct_to(self, peer: &PeerId) -> Option<(ConnId, Rc<RtcLink>)> {
        let engine = self.engine();
        let direct = engine.direct.borrow();
        direct
            .links
            .iter()
            .find(|(_, l)| l.peer.as_ref() == Some(peer))
            .map(|(conn, l)| (*conn, l.link.clone()))
    }

    /// The data channel opened: the engine starts its handshake.
    fn direct_open(self, conn: ConnId) {
        let engine = self.engine();
        let opened = {
            let mut direct = engine.direct.borrow_mut();
            if direct.pairing == Some(conn) {
                direct.pairing = None;
            }
            direct.links.get(&conn).map(|l| (l.initiator, l.access))
        };
        let Some((initiator, access)) = opened else {
            return;
        };
        let effects = engine
            .repo
            .borrow_mut()
            .connect_with(conn, initiator, access);
        self.apply(effects);
    }

    /// The engine's handshake on a link is done and names its peer.
    pub(super) fn direct_connected(self, conn: ConnId, peer: PeerId) {
        let engine = self.engine();
        let (access, duplicate) = {
            let mut direct = engine.direct.borrow_mut();
            let duplicate = direct
                .links
                .iter()
                .any(|(c, l)| *c != conn && l.peer.as_ref() == Some(&peer));
            let Some(link) = direct.links.get_mut(&conn) else {
                return;
            };
            link.peer = Some(peer.clone());
            (link.access, duplicate)
        };
        if duplicate {
            // Two links to one device (paired in person while the mesh made
            // one too): the older stays.
            return self.forget_direct(conn);
        }
        self.with_mesh(|mesh, now| mesh.opened(peer.clone(), Some(access), now));
        self.direct.update(|d| {
            d.insert(peer);
        });
    }

    /// Another tab of this browser is `peer`: it is never linked directly.
    pub(super) fn reached_elsewhere(self, peer: PeerId) {
        self.with_mesh(|mesh, now| mesh.elsewhere(peer.clone(), now));
        if let Some((conn, _)) = self.direct_to(&peer) {
            self.forget_direct(conn);
        }
    }

    /// A direct link failed or broke a bound: it costs only that link; the
    /// mesh tries the peer again after its backoff.
    pub(super) fn direct_failed(self, conn: ConnId, reason: &str) {
        if self.engine().direct.borrow().links.contains_key(&conn) {
            leptos::logging::warn!("direct link closed: {reason}");
            self.forget_direct(conn);
        }
    }

    pub(super) fn forget_direct(self, conn: ConnId) {
        let engine = self.engine();
        let gone = {
            let mut direct = engine.direct.borrow_mut();
            if direct.pairing == Some(conn) {
                direct.pairing = None;
            }
            direct.links.remove(&conn)
        };
        self.forget_link(conn);
        if let Some(peer) = gone.and_then(|l| l.peer) {
            self.with_mesh(|mesh, now| mesh.lost(&peer, now));
            if self.direct_to(&peer).is_none() {
                self.direct.update(|d| {
                    d.remove(&peer);
                });
            }
        }
    }
}

/// The document signals travel on: the one a link for one document allows;
/// for a link that may not see the register (netwerk SW&G), the first
/// document the relay listed for it; else the register, which every device
/// holds.
fn signalling_doc() -> DocumentId {
    let access = access::stored_access();
    if let Some(only) = access.only {
        return only;
    }
    let register = register::register_id();
    let sees_register = access.scope.is_none_or(|s| {
        s.right(regie_core::scope::DocScope::Register) != regie_core::scope::Right::Nothing
    });
    if sees_register {
        return register;
    }
    access::stored_docs().first().copied().unwrap_or(register)
}

/// Milliseconds since the epoch, for the mesh and the engine's rate bound.
fn now() -> u64 {
    super::super::now_ms().max(0) as u64
}

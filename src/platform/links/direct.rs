//! A direct link to another device: one WebRTC peer connection with one
//! data channel. The channel is negotiated (id 0 on both sides), so the SDP
//! is all two devices exchange; ICE gathering completes before the SDP is
//! handed over (no trickle), so one offer and one answer suffice, whether
//! they travel as signals or as pairing codes.
//!
//! Frames are split into data-channel messages and joined again
//! ([`regie_core::direct::chunks`]); what a peer sends is bounded here (a
//! frame's size, messages per second) before the engine sees it, and a
//! peer over a bound costs only its own link, with the reason reported.

use std::cell::{Cell, RefCell};

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use regie_core::direct::chunks::{self, Joiner};
use regie_core::direct::ice::IceServer;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MessageEvent, RtcConfiguration, RtcDataChannel, RtcDataChannelInit, RtcDataChannelState,
    RtcDataChannelType, RtcIceGatheringState, RtcIceServer, RtcPeerConnection,
    RtcPeerConnectionState, RtcSdpType, RtcSessionDescriptionInit,
};

/// Largest frame accepted from a direct peer (the relay accepts 16 MiB).
pub const MAX_FRAME: usize = 16 * 1024 * 1024;
/// Data-channel messages a peer may send per second before its link is
/// closed as a flood (a first sync of a big plan is a few hundred).
pub const MAX_MESSAGES_PER_SECOND: u32 = 2_000;
/// Longest wait for ICE gathering; what was gathered by then is used.
const GATHER_MS: u32 = 3_000;
/// How often gathering is looked at.
const GATHER_POLL_MS: u32 = 50;
/// Bytes queued in the channel beyond which a send fails (the peer does
/// not read; the link is closed rather than buffering without end).
const MAX_BUFFERED: u32 = 64 * 1024 * 1024;

/// What a direct link reports.
pub struct DirectEvents {
    /// The data channel is open.
    pub on_open: Box<dyn Fn()>,
    /// A whole frame arrived.
    pub on_frame: Box<dyn Fn(Vec<u8>)>,
    /// The link closed, failed, or the peer broke a bound (why).
    pub on_close: Box<dyn Fn(String)>,
}

/// A peer connection, its data channel and their handlers.
pub struct RtcLink {
    pc: RtcPeerConnection,
    channel: RtcDataChannel,
    closed: Cell<bool>,
    _handlers: Handlers,
}

struct Handlers {
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut()>,
    _state: Closure<dyn FnMut()>,
}

impl RtcLink {
    /// A new peer connection with its channel; `ice_servers` are the
    /// STUN/TURN servers the relay named (none: host candidates only,
    /// enough on one network).
    pub fn new(ice_servers: &[IceServer], events: DirectEvents) -> Result<RtcLink, String> {
        let config = RtcConfiguration::new();
        let servers = js_sys::Array::new();
        for ice in ice_servers {
            let server = RtcIceServer::new();
            server.set_urls_str(&ice.urls);
            if let Some(username) = &ice.username {
                server.set_username(username);
            }
            if let Some(credential) = &ice.credential {
                server.set_credential(credential);
            }
            servers.push(&server);
        }
        config.set_ice_servers(&servers);
        let pc = RtcPeerConnection::new_with_configuration(&config).map_err(describe)?;
        let init = RtcDataChannelInit::new();
        init.set_negotiated(true);
        init.set_id(0);
        init.set_ordered(true);
        let channel = pc.create_data_channel_with_data_channel_dict("regie", &init);
        channel.set_binary_type(RtcDataChannelType::Arraybuffer);

        let DirectEvents {
            on_open,
            on_frame,
            on_close,
        } = events;
        let on_close = std::rc::Rc::new(on_close);
        let reported = std::rc::Rc::new(Cell::new(false));
        let close_once = {
            let on_close = on_close.clone();
            let reported = reported.clone();
            move |reason: String| {
                if !reported.replace(true) {
                    on_close(reason);
                }
            }
        };
        let close_once = std::rc::Rc::new(close_once);

        let open = Closure::<dyn FnMut()>::new(on_open);
        let joiner = RefCell::new(Joiner::new(MAX_FRAME));
        let window = Cell::new((0u64, 0u32));
        let message = {
            let close_once = close_once.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Ok(buffer) = event.data().dyn_into::<ArrayBuffer>() else {
                    return close_once("a text message on the data channel".into());
                };
                let second = (js_sys::Date::now() / 1000.0) as u64;
                let (at, count) = window.get();
                let count = if at == second { count + 1 } else { 1 };
                window.set((second, count));
                if count > MAX_MESSAGES_PER_SECOND {
                    return close_once(format!(
                        "over {MAX_MESSAGES_PER_SECOND} messages per second"
                    ));
                }
                let joined = joiner.borrow_mut().push(&Uint8Array::new(&buffer).to_vec());
                match joined {
                    Ok(Some(frame)) => on_frame(frame),
                    Ok(None) => {}
                    Err(error) => close_once(error.to_string()),
                }
            })
        };
        let close = {
            let close_once = close_once.clone();
            Closure::<dyn FnMut()>::new(move || close_once("the data channel closed".into()))
        };
        let state = {
            let pc = pc.clone();
            Closure::<dyn FnMut()>::new(move || match pc.connection_state() {
                RtcPeerConnectionState::Failed => close_once("the connection failed".into()),
                RtcPeerConnectionState::Closed => close_once("the connection closed".into()),
                _ => {}
            })
        };
        channel.set_onopen(Some(open.as_ref().unchecked_ref()));
        channel.set_onmessage(Some(message.as_ref().unchecked_ref()));
        channel.set_onclose(Some(close.as_ref().unchecked_ref()));
        pc.set_onconnectionstatechange(Some(state.as_ref().unchecked_ref()));
        Ok(RtcLink {
            pc,
            channel,
            closed: Cell::new(false),
            _handlers: Handlers {
                _open: open,
                _message: message,
                _close: close,
                _state: state,
            },
        })
    }

    /// Makes the offer: a complete SDP with the gathered candidates.
    pub async fn offer(&self) -> Result<String, String> {
        let offer = JsFuture::from(self.pc.create_offer())
            .await
            .map_err(describe)?;
        self.set_local(RtcSdpType::Offer, &sdp_of(&offer)?).await?;
        self.gathered().await
    }

    /// Answers a peer's offer: a complete SDP with the gathered candidates.
    pub async fn answer(&self, offer: &str) -> Result<String, String> {
        self.set_remote(RtcSdpType::Offer, offer).await?;
        let answer = JsFuture::from(self.pc.create_answer())
            .await
            .map_err(describe)?;
        self.set_local(RtcSdpType::Answer, &sdp_of(&answer)?)
            .await?;
        self.gathered().await
    }

    /// Takes the peer's answer to this link's offer; the channel opens
    /// when the connection is made.
    pub async fn accept(&self, answer: &str) -> Result<(), String> {
        self.set_remote(RtcSdpType::Answer, answer).await
    }

    async fn set_local(&self, kind: RtcSdpType, sdp: &str) -> Result<(), String> {
        settled(self.pc.set_local_description(&description(kind, sdp))).await
    }

    async fn set_remote(&self, kind: RtcSdpType, sdp: &str) -> Result<(), String> {
        settled(self.pc.set_remote_description(&description(kind, sdp))).await
    }

    /// The local SDP once gathering is complete (or after [`GATHER_MS`]).
    async fn gathered(&self) -> Result<String, String> {
        let mut waited = 0;
        while self.pc.ice_gathering_state() != RtcIceGatheringState::Complete && waited < GATHER_MS
        {
            gloo_timers::future::TimeoutFuture::new(GATHER_POLL_MS).await;
            waited += GATHER_POLL_MS;
        }
        if self.closed.get() {
            return Err("the link was closed".into());
        }
        self.pc
            .local_description()
            .map(|d| d.sdp())
            .ok_or_else(|| "no local description".into())
    }

    /// Whether the data channel is open.
    pub fn is_open(&self) -> bool {
        self.channel.ready_state() == RtcDataChannelState::Open
    }
}

impl super::Link for RtcLink {
    /// False when the channel is not open or the peer stopped reading.
    fn send(&self, frame: &[u8]) -> bool {
        if !self.is_open() || self.channel.buffered_amount() > MAX_BUFFERED {
            return false;
        }
        chunks::split(frame, chunks::MAX_MESSAGE)
            .iter()
            .all(|message| self.channel.send_with_u8_array(message).is_ok())
    }

    fn close(&self) {
        self.closed.set(true);
        self.channel.set_onclose(None);
        self.channel.set_onmessage(None);
        self.pc.set_onconnectionstatechange(None);
        self.channel.close();
        self.pc.close();
    }
}

impl Drop for RtcLink {
    fn drop(&mut self) {
        // Handlers are freed with the link: the browser must not call them.
        super::Link::close(self);
    }
}

fn description(kind: RtcSdpType, sdp: &str) -> RtcSessionDescriptionInit {
    let description = RtcSessionDescriptionInit::new(kind);
    description.set_sdp(sdp);
    description
}

/// Waits for a promise that resolves to nothing of interest.
async fn settled(promise: js_sys::Promise) -> Result<(), String> {
    JsFuture::from(promise).await.map(|_| ()).map_err(describe)
}

/// The `sdp` of a description the browser made.
fn sdp_of(description: &JsValue) -> Result<String, String> {
    Reflect::get(description, &JsValue::from_str("sdp"))
        .ok()
        .and_then(|sdp| sdp.as_string())
        .ok_or_else(|| "the browser made no SDP".into())
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{error:?}"))
}

//! Tab links: tabs of one browser sync with each other directly, without the relay,
//! over a BroadcastChannel. Every pair of tabs gets its own connection in the
//! sync engine (the tab with the smaller id sends `join`), so tabs use the
//! same protocol as devices do.
//!
//! Messages are plain objects: `{kind: "hello"|"frame"|"bye", from, to, frame}`.
//! A broadcast `hello` (no `to`) is answered with a directed one, so both
//! tabs learn of each other whichever started first.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "regie-tabs";

/// What the tab link reports.
pub enum TabEvent {
    /// Another tab appeared; `initiator` says whether this tab sends `join`.
    Opened {
        /// That tab's id.
        tab: String,
        /// Whether this tab opens the protocol.
        initiator: bool,
    },
    /// A frame from another tab.
    Frame {
        /// That tab's id.
        tab: String,
        /// The protocol frame.
        frame: Vec<u8>,
    },
    /// Another tab closed.
    Closed {
        /// That tab's id.
        tab: String,
    },
}

/// This tab's end of the channel.
pub struct TabLink {
    me: String,
    channel: BroadcastChannel,
    known: Rc<RefCell<BTreeMap<String, ()>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_hide: Closure<dyn FnMut()>,
}

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn message(kind: &str, from: &str, to: Option<&str>, frame: Option<&[u8]>) -> JsValue {
    let object = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&object, &JsValue::from_str(k), &v);
    };
    set("kind", JsValue::from_str(kind));
    set("from", JsValue::from_str(from));
    if let Some(to) = to {
        set("to", JsValue::from_str(to));
    }
    if let Some(frame) = frame {
        set("frame", Uint8Array::from(frame).into());
    }
    object.into()
}

impl TabLink {
    /// Joins the channel as tab `me` and greets the other tabs. Returns
    /// `None` where BroadcastChannel is not available.
    pub fn open(me: String, on_event: impl Fn(TabEvent) + 'static) -> Option<TabLink> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let known: Rc<RefCell<BTreeMap<String, ()>>> = Rc::default();
        let on_message = {
            let me = me.clone();
            let channel = channel.clone();
            let known = known.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let (Some(kind), Some(from)) = (
                    get(&data, "kind").and_then(|v| v.as_string()),
                    get(&data, "from").and_then(|v| v.as_string()),
                ) else {
                    return;
                };
                let to = get(&data, "to").and_then(|v| v.as_string());
                if from == me || to.as_ref().is_some_and(|t| *t != me) {
                    return;
                }
                match kind.as_str() {
                    "hello" => {
                        if to.is_none() {
                            let _ = channel.post_message(&message("hello", &me, Some(&from), None));
                        }
                        if known.borrow_mut().insert(from.clone(), ()).is_none() {
                            on_event(TabEvent::Opened {
                                initiator: me < from,
                                tab: from,
                            });
                        }
                    }
                    "frame" => {
                        if let Some(frame) =
                            get(&data, "frame").and_then(|f| f.dyn_into::<Uint8Array>().ok())
                        {
                            on_event(TabEvent::Frame {
                                tab: from,
                                frame: frame.to_vec(),
                            });
                        }
                    }
                    "bye" if known.borrow_mut().remove(&from).is_some() => {
                        on_event(TabEvent::Closed { tab: from });
                    }
                    _ => {}
                }
            })
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_hide = {
            let me = me.clone();
            let channel = channel.clone();
            Closure::<dyn FnMut()>::new(move || {
                let _ = channel.post_message(&message("bye", &me, None, None));
            })
        };
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        }
        let _ = channel.post_message(&message("hello", &me, None, None));
        Some(TabLink {
            me,
            channel,
            known,
            _on_message: on_message,
            _on_hide: on_hide,
        })
    }

    /// Sends a frame to one tab; false if that tab is gone.
    pub fn send(&self, tab: &str, frame: &[u8]) -> bool {
        self.known.borrow().contains_key(tab)
            && self
                .channel
                .post_message(&message("frame", &self.me, Some(tab), Some(frame)))
                .is_ok()
    }
}

/// The link to one other tab, over this tab's channel.
pub struct TabPeer {
    /// This tab's end of the channel, shared by every tab link.
    pub channel: Rc<TabLink>,
    /// The other tab's id.
    pub tab: String,
}

impl super::Link for TabPeer {
    fn send(&self, frame: &[u8]) -> bool {
        self.channel.send(&self.tab, frame)
    }

    /// The channel stays open for the other tabs.
    fn close(&self) {}
}

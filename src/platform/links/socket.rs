//! The relay link: one WebSocket. It only moves binary frames; what they
//! mean is the core's business. Handlers are kept alive as long as the socket.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast as _;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// What the socket reports.
pub struct SocketEvents {
    /// The connection is open.
    pub on_open: Box<dyn Fn()>,
    /// A binary frame arrived.
    pub on_frame: Box<dyn Fn(Vec<u8>)>,
    /// The connection closed or could not be made.
    pub on_close: Box<dyn Fn()>,
}

/// An open (or opening) WebSocket and its handlers.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Socket {
    /// Starts connecting to `url`.
    pub fn open(url: &str, protocols: &[String], events: SocketEvents) -> Result<Socket, String> {
        let ws = if protocols.is_empty() {
            WebSocket::new(url)
        } else {
            let list = js_sys::Array::new();
            for protocol in protocols {
                list.push(&wasm_bindgen::JsValue::from_str(protocol));
            }
            WebSocket::new_with_str_sequence(url, &list)
        }
        .map_err(|e| format!("{e:?}"))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let SocketEvents {
            on_open,
            on_frame,
            on_close,
        } = events;
        let on_open = Closure::<dyn FnMut()>::new(on_open);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Ok(buffer) = event.data().dyn_into::<ArrayBuffer>() {
                on_frame(Uint8Array::new(&buffer).to_vec());
            }
        });
        let on_close = Closure::<dyn FnMut()>::new(on_close);
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // An error is always followed by a close event; handle it there only.
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }
}

impl super::Link for Socket {
    /// False when the socket is not open.
    fn send(&self, frame: &[u8]) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_u8_array(frame).is_ok()
    }

    fn close(&self) {
        self.ws.set_onclose(None);
        self.ws.set_onmessage(None);
        let _ = self.ws.close();
    }
}

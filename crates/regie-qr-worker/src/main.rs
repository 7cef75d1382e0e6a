//! The QR decoder for browsers without a `BarcodeDetector` (Safari, Firefox,
//! Chromium on Linux): a web worker, built by Trunk beside the app
//! (`data-type="worker"` in `index.html`) but named by no page, so the first
//! download is the same without it. The app starts it only when a scan
//! starts (`src/platform/device/camera.rs`).
//!
//! A message in is one camera frame, `{width, height, pixels}` with the
//! pixels as RGBA (a `Uint8ClampedArray`, as a canvas gives them); the
//! answer is the text of the first QR code found in it, or `null`. An
//! empty message (`undefined`) first says the worker has loaded.

/// The text of the first QR code in an RGBA picture `width` × `height`
/// (row by row); `None` when there is none, or the pixels do not match the
/// size.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || width.checked_mul(height)?.checked_mul(4)? != rgba.len() {
        return None;
    }
    let mut picture = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let at = (y * width + x) * 4;
        let [r, g, b] = [rgba[at], rgba[at + 1], rgba[at + 2]].map(u32::from);
        // Rec. 601 luma, in integers.
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    });
    picture
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use js_sys::{Reflect, Uint8ClampedArray};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_frame = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let frame = event.data();
        let number = |name: &str| {
            Reflect::get(&frame, &name.into())
                .ok()
                .and_then(|v| v.as_f64())
                .map_or(0, |v| v as usize)
        };
        let pixels = Reflect::get(&frame, &"pixels".into())
            .ok()
            .and_then(|p| p.dyn_into::<Uint8ClampedArray>().ok())
            .map(|p| p.to_vec())
            .unwrap_or_default();
        let found = decode_rgba(number("width"), number("height"), &pixels);
        let _ = reply.post_message(&found.map_or(JsValue::NULL, JsValue::from));
    });
    scope.set_onmessage(Some(on_frame.as_ref().unchecked_ref()));
    on_frame.forget();
    // Ready: the page sends frames from now on.
    let _ = scope.post_message(&JsValue::UNDEFINED);
}

/// Nothing to do outside a browser (the workspace builds every member natively).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A QR code of `text` as RGBA: `scale` pixels a module, a quiet zone of
    /// four, dark modules tinted as a camera would see them.
    fn picture(text: &str, scale: usize) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::new(text).unwrap();
        let modules = code.width();
        let side = (modules + 8) * scale;
        let colors = code.to_colors();
        let mut rgba = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
                let dark = mx < modules
                    && my < modules
                    && colors[my * modules + mx] == qrcode::Color::Dark;
                rgba.extend(if dark {
                    [30, 40, 60, 255]
                } else {
                    [235, 240, 230, 255]
                });
            }
        }
        (side, rgba)
    }

    #[test]
    fn a_frame_with_a_pairing_code_reads_back() {
        let code = "NCFOXN*TDFA2LK.6$I6 8JC9D-1O+E0AB1-9CFE6";
        let (side, rgba) = picture(code, 5);
        assert_eq!(decode_rgba(side, side, &rgba).as_deref(), Some(code));
    }

    #[test]
    fn frames_without_a_code_or_of_the_wrong_size_are_none() {
        assert_eq!(decode_rgba(8, 8, &[255; 8 * 8 * 4]), None);
        assert_eq!(decode_rgba(8, 8, &[255; 10]), None);
        assert_eq!(decode_rgba(0, 0, &[]), None);
    }
}

//! A pairing code as a QR code: the module matrix (error correction M,
//! the smallest version that holds the code) and one SVG path of its dark
//! modules with the quiet zone around them, for the app to draw inline.
//!
//! A pairing code is base45, whose alphabet is QR's alphanumeric mode, so
//! the encoder packs it at 5.5 bits a character: a typical offer with two
//! candidates (about 155 characters) is version 7, 45×45 modules. Level M
//! (15 % of the code words may be lost) rather than L, because a tablet
//! screen held up to a camera reflects the room's light; the code stays
//! small enough to read at arm's length.
//!
//! A code longer than any pairing code is an error with a locale key, never
//! a panic, and never a QR code too dense to read.

use qrcode::{Color, EcLevel, QrCode, Version};

use super::pairing::MAX_CODE_CHARS;
use crate::text::Text;

/// Modules of light margin on every side (what ISO/IEC 18004 asks for).
pub const QUIET_ZONE: usize = 4;

/// A QR code ready to draw: which modules are dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    version: i16,
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// The QR code of `code` (a pairing code, or any short text).
    ///
    /// Errors with `nearby.code_too_long` when the code is longer than a
    /// pairing code can be, or does not fit any QR version.
    pub fn of_code(code: &str) -> Result<Qr, Text> {
        let too_long = || Text::key("nearby.code_too_long");
        if code.len() > MAX_CODE_CHARS {
            return Err(too_long());
        }
        let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
            .map_err(|_| too_long())?;
        let version = match qr.version() {
            Version::Normal(v) => v,
            // `with_error_correction_level` only makes normal codes.
            Version::Micro(_) => return Err(too_long()),
        };
        Ok(Qr {
            version,
            width: qr.width(),
            dark: qr
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// The QR version (1 to 40).
    pub fn version(&self) -> i16 {
        self.version
    }

    /// Modules on one side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules on one side with the quiet zone: the SVG's view box is
    /// `0 0 side side`.
    pub fn side(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Whether the module at column `x`, row `y` (without the quiet zone)
    /// is dark; outside the code it is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The `d` attribute of one SVG path drawing every dark module as a unit
    /// square (runs of a row joined), offset by the quiet zone.
    pub fn svg_path(&self) -> String {
        use std::fmt::Write;
        let mut d = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(
                    d,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::super::pairing::{Candidate, Grant, Host, MAX_CANDIDATES, Pairing, Role, Setup};
    use super::*;
    use proptest::prelude::*;

    /// Reads the QR code back from a greyscale picture of it, drawn as the
    /// SVG path says (each module `scale` pixels), as a camera would see a
    /// screen: through `rqrr`'s detector, not from the matrix.
    fn read_back(qr: &Qr, scale: usize) -> String {
        let lit = svg_pixels(&qr.svg_path(), qr.side());
        let side = qr.side() * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            if lit[(y / scale) * qr.side() + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the picture");
        let (meta, content) = grids[0].decode().expect("decodes");
        assert_eq!(meta.version.0 as i16, qr.version());
        content
    }

    /// The modules an SVG path of `M x yhNv1h-Nz` squares fills.
    fn svg_pixels(d: &str, side: usize) -> Vec<bool> {
        let mut lit = vec![false; side * side];
        for square in d.split('z').filter(|s| !s.is_empty()) {
            let (at, run) = square
                .strip_prefix('M')
                .and_then(|s| s.split_once('h'))
                .expect("M x yhN…");
            let (x, y) = at.split_once(' ').expect("x y");
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let (n, rest) = run.split_once('v').expect("hNv1");
            let n: usize = n.parse().unwrap();
            assert_eq!(rest, format!("1h-{n}"));
            for i in 0..n {
                lit[y * side + x + i] = true;
            }
        }
        lit
    }

    /// An offer as Chromium makes it: a 4-character user fragment, a
    /// 24-character password, two mDNS host candidates.
    fn typical_offer() -> Pairing {
        let mdns = |seed: u8| Candidate {
            host: Host::Mdns([seed; 16]),
            port: 50_000 + u16::from(seed),
        };
        Pairing {
            role: Role::Offer,
            grant: Grant::Edit,
            ufrag: "Xq3z".into(),
            pwd: "0123456789abcdefGHIJKLMN".into(),
            fingerprint: [0xAB; 32],
            setup: Setup::ActPass,
            candidates: vec![mdns(1), mdns(2)],
        }
    }

    #[test]
    fn a_typical_offer_is_version_7_and_reads_back() {
        let code = typical_offer().to_code();
        let qr = Qr::of_code(&code).unwrap();
        // 155 characters: version 7 at level M holds 178 (version 6: 154).
        assert_eq!(code.len(), 155);
        assert_eq!((qr.version(), qr.width(), qr.side()), (7, 45, 53));
        assert_eq!(read_back(&qr, 4), code);
        // The quiet zone stays light, and the finder pattern's corner is dark.
        let lit = svg_pixels(&qr.svg_path(), qr.side());
        assert!(!lit[..QUIET_ZONE * qr.side()].contains(&true));
        assert!(lit[QUIET_ZONE * qr.side() + QUIET_ZONE]);
        assert!(qr.is_dark(0, 0) && !qr.is_dark(qr.width(), 0));
    }

    #[test]
    fn the_largest_pairing_code_still_fits_and_longer_text_is_an_error() {
        let mut largest = typical_offer();
        largest.ufrag = "u".repeat(64);
        largest.pwd = "p".repeat(64);
        largest.candidates = vec![
            Candidate {
                host: Host::V6([0xFE; 16]),
                port: 65_535,
            };
            MAX_CANDIDATES
        ];
        let code = largest.to_code();
        let qr = Qr::of_code(&code).unwrap();
        // 476 characters: version 13 (69×69 modules), dense but readable.
        assert_eq!((code.len(), qr.version(), qr.width()), (476, 13, 69));
        assert_eq!(read_back(&qr, 3), code);
        let error = Text::key("nearby.code_too_long");
        assert_eq!(Qr::of_code(&"A".repeat(MAX_CODE_CHARS + 1)), Err(error));
        // Empty text is a (useless but valid) QR code, not a panic.
        assert_eq!(Qr::of_code("").unwrap().version(), 1);
    }

    /// Pairings as browsers make them: short ICE credentials, a few candidates.
    fn pairing() -> impl Strategy<Value = Pairing> {
        super::super::pairing::strategy::pairings(4..=16, 22..=32, 1..=4)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_pairing_code_reads_back_from_its_picture(p in pairing(), scale in 2usize..5) {
            let code = p.to_code();
            let qr = Qr::of_code(&code).unwrap();
            // Up to four candidates stays a code a tablet reads across a table.
            prop_assert!(qr.version() <= 13, "version {}", qr.version());
            let read = read_back(&qr, scale);
            prop_assert_eq!(&read, &code);
            prop_assert_eq!(Pairing::from_code(&read).unwrap(), p);
        }
    }
}

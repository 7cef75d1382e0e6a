//! The pairing code two devices exchange in person when no server is in
//! reach: a WebRTC offer (or answer) reduced to what varies — ICE user
//! fragment and password, the DTLS fingerprint, the DTLS role, the host
//! candidates — plus what the offering device grants ("bewerken" or
//! "alleen lezen"). Everything else in the SDP is the same for every Regie
//! data channel and is written back from a template.
//!
//! The bytes are written as base45 (RFC 9285), whose alphabet is QR's
//! alphanumeric mode: with two candidates a code is about 155 characters,
//! one QR code of version 7 (45×45 modules, error correction M) that a
//! tablet camera reads at arm's length, or a text to copy.
//!
//! A code comes from another device, so it is hostile until checked: its
//! length is bounded before decoding, every field is checked (ICE
//! characters and lengths, candidate count), and a code that says more
//! than a pairing needs is refused.

/// The format of the bytes (the first byte).
const VERSION: u8 = 1;
/// Longest code accepted, in characters (a QR code holds fewer anyway).
pub const MAX_CODE_CHARS: usize = 1_200;
/// Candidates carried at most (a tablet has a few interfaces).
pub const MAX_CANDIDATES: usize = 8;

/// Which half of the exchange a code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// From the device that shows the first code.
    Offer,
    /// From the device that scanned it.
    Answer,
}

/// What the offering device lets the other do, like a share link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// "Bewerken": changes are accepted.
    Edit,
    /// "Alleen lezen": changes are refused and the link closed.
    Read,
}

/// The DTLS role (`a=setup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// Either (what an offer says).
    ActPass,
    /// The DTLS client.
    Active,
    /// The DTLS server.
    Passive,
}

/// Where a host candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// An mDNS name, `<uuid>.local` (what Chromium shares by default).
    Mdns([u8; 16]),
    /// An IPv4 address.
    V4([u8; 4]),
    /// An IPv6 address.
    V6([u8; 16]),
}

/// A UDP host candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Its address.
    pub host: Host,
    /// Its port.
    pub port: u16,
}

/// One half of a pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// Offer or answer.
    pub role: Role,
    /// What the offering device grants (an answer repeats it).
    pub grant: Grant,
    /// `a=ice-ufrag`.
    pub ufrag: String,
    /// `a=ice-pwd`.
    pub pwd: String,
    /// `a=fingerprint:sha-256`, the 32 bytes.
    pub fingerprint: [u8; 32],
    /// `a=setup`.
    pub setup: Setup,
    /// The UDP host candidates (others are left out: in one room they are
    /// what connects).
    pub candidates: Vec<Candidate>,
}

/// Why a code or an SDP cannot be a pairing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairingError {
    /// Longer than any pairing code.
    #[error("code over {MAX_CODE_CHARS} characters")]
    TooLong,
    /// Not base45.
    #[error("not a pairing code")]
    NotACode,
    /// The bytes end early, carry more than they should, or have another version.
    #[error("damaged pairing code")]
    Damaged,
    /// A field the SDP must have is missing or malformed.
    #[error("the connection description lacks {0}")]
    Missing(&'static str),
    /// No candidate this format can carry.
    #[error("no local network address to connect to")]
    NoCandidates,
}

impl Pairing {
    /// The pairing half of a complete (non-trickle) SDP made by the browser.
    pub fn from_sdp(role: Role, grant: Grant, sdp: &str) -> Result<Pairing, PairingError> {
        let attribute = |name: &str| {
            sdp.lines()
                .find_map(|line| line.trim_end().strip_prefix(name))
                .map(str::to_owned)
        };
        let ufrag = attribute("a=ice-ufrag:").ok_or(PairingError::Missing("ice-ufrag"))?;
        let pwd = attribute("a=ice-pwd:").ok_or(PairingError::Missing("ice-pwd"))?;
        let fingerprint = attribute("a=fingerprint:sha-256 ")
            .and_then(|hex| parse_fingerprint(&hex))
            .ok_or(PairingError::Missing("fingerprint"))?;
        let setup = match attribute("a=setup:").as_deref() {
            Some("actpass") => Setup::ActPass,
            Some("active") => Setup::Active,
            Some("passive") => Setup::Passive,
            _ => return Err(PairingError::Missing("setup")),
        };
        let candidates: Vec<Candidate> = sdp
            .lines()
            .filter_map(|line| line.trim_end().strip_prefix("a=candidate:"))
            .filter_map(parse_candidate)
            .take(MAX_CANDIDATES)
            .collect();
        if candidates.is_empty() {
            return Err(PairingError::NoCandidates);
        }
        Pairing {
            role,
            grant,
            ufrag,
            pwd,
            fingerprint,
            setup,
            candidates,
        }
        .checked()
    }

    /// The SDP the browser takes as the remote description; `session` is
    /// any number (the `o=` line's session id).
    pub fn to_sdp(&self, session: u64) -> String {
        let setup = match self.setup {
            Setup::ActPass => "actpass",
            Setup::Active => "active",
            Setup::Passive => "passive",
        };
        let fingerprint: Vec<String> = self
            .fingerprint
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let mut sdp = format!(
            "v=0\r\no=- {session} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
             a=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n\
             c=IN IP4 0.0.0.0\r\n"
        );
        for (i, candidate) in self.candidates.iter().enumerate() {
            // Foundation and priority only need to be valid and distinct.
            sdp.push_str(&format!(
                "a=candidate:{} 1 udp {} {} {} typ host generation 0\r\n",
                i + 1,
                2_122_260_223 - i as u32,
                host_text(&candidate.host),
                candidate.port
            ));
        }
        sdp.push_str(&format!(
            "a=ice-ufrag:{}\r\na=ice-pwd:{}\r\na=fingerprint:sha-256 {}\r\na=setup:{setup}\r\n\
             a=mid:0\r\na=sctp-port:5000\r\na=max-message-size:{}\r\n",
            self.ufrag,
            self.pwd,
            fingerprint.join(":"),
            super::chunks::MAX_MESSAGE
        ));
        sdp
    }

    /// The code to show (as a QR code or text).
    pub fn to_code(&self) -> String {
        base45::encode(self.to_bytes())
    }

    /// Reads a code shown by another device.
    pub fn from_code(code: &str) -> Result<Pairing, PairingError> {
        // Not `trim`: a space is one of base45's characters.
        let code = code.trim_matches(['\n', '\r', '\t']);
        if code.len() > MAX_CODE_CHARS {
            return Err(PairingError::TooLong);
        }
        let bytes = base45::decode(code).map_err(|_| PairingError::NotACode)?;
        Pairing::from_bytes(&bytes)
    }

    fn to_bytes(&self) -> Vec<u8> {
        let flags = match self.role {
            Role::Offer => 0,
            Role::Answer => 1,
        } | match self.grant {
            Grant::Edit => 0,
            Grant::Read => 2,
        } | match self.setup {
            Setup::ActPass => 0,
            Setup::Active => 4,
            Setup::Passive => 8,
        };
        let mut bytes = vec![VERSION, flags];
        for text in [&self.ufrag, &self.pwd] {
            bytes.push(text.len() as u8);
            bytes.extend_from_slice(text.as_bytes());
        }
        bytes.extend_from_slice(&self.fingerprint);
        bytes.push(self.candidates.len() as u8);
        for candidate in &self.candidates {
            let (tag, address): (u8, &[u8]) = match &candidate.host {
                Host::Mdns(uuid) => (0, uuid),
                Host::V4(ip) => (1, ip),
                Host::V6(ip) => (2, ip),
            };
            bytes.push(tag);
            bytes.extend_from_slice(address);
            bytes.extend_from_slice(&candidate.port.to_be_bytes());
        }
        bytes
    }

    fn from_bytes(bytes: &[u8]) -> Result<Pairing, PairingError> {
        let mut reader = Reader(bytes);
        if reader.byte()? != VERSION {
            return Err(PairingError::Damaged);
        }
        let flags = reader.byte()?;
        if flags & !0b1111 != 0 || flags & 0b1100 == 0b1100 {
            return Err(PairingError::Damaged);
        }
        let role = if flags & 1 == 0 {
            Role::Offer
        } else {
            Role::Answer
        };
        let grant = if flags & 2 == 0 {
            Grant::Edit
        } else {
            Grant::Read
        };
        let setup = match flags & 0b1100 {
            0 => Setup::ActPass,
            4 => Setup::Active,
            _ => Setup::Passive,
        };
        let ufrag = reader.text()?;
        let pwd = reader.text()?;
        let fingerprint = reader.array::<32>()?;
        let count = usize::from(reader.byte()?);
        if count > MAX_CANDIDATES {
            return Err(PairingError::Damaged);
        }
        let mut candidates = Vec::with_capacity(count);
        for _ in 0..count {
            let host = match reader.byte()? {
                0 => Host::Mdns(reader.array()?),
                1 => Host::V4(reader.array()?),
                2 => Host::V6(reader.array()?),
                _ => return Err(PairingError::Damaged),
            };
            let port = u16::from_be_bytes(reader.array()?);
            candidates.push(Candidate { host, port });
        }
        if !reader.0.is_empty() {
            return Err(PairingError::Damaged);
        }
        Pairing {
            role,
            grant,
            ufrag,
            pwd,
            fingerprint,
            setup,
            candidates,
        }
        .checked()
    }

    /// The pairing, if it has what RFC 8839 allows for ICE credentials
    /// (ice-char, lengths) and a candidate to connect to.
    fn checked(self) -> Result<Pairing, PairingError> {
        let ice = |text: &str, min: usize| {
            (min..=64).contains(&text.len())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        };
        if !ice(&self.ufrag, 4) {
            return Err(PairingError::Missing("ice-ufrag"));
        }
        if !ice(&self.pwd, 22) {
            return Err(PairingError::Missing("ice-pwd"));
        }
        if self.candidates.is_empty() || self.candidates.iter().any(|c| c.port == 0) {
            return Err(PairingError::NoCandidates);
        }
        Ok(self)
    }
}

/// Reads a pairing's bytes front to back.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], PairingError> {
        if self.0.len() < n {
            return Err(PairingError::Damaged);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, PairingError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PairingError> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }

    fn text(&mut self) -> Result<String, PairingError> {
        let len = usize::from(self.byte()?);
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| PairingError::Damaged)
    }
}

/// `AB:CD:…` (32 bytes) as bytes.
fn parse_fingerprint(hex: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = hex
        .split(':')
        .map(|pair| {
            u8::from_str_radix(pair, 16)
                .ok()
                .filter(|_| pair.len() == 2)
        })
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// A UDP host candidate line (after `a=candidate:`); others are `None`.
fn parse_candidate(line: &str) -> Option<Candidate> {
    let fields: Vec<&str> = line.split_ascii_whitespace().collect();
    // foundation component transport priority address port "typ" type …
    let [_, component, transport, _, address, port, typ, kind, ..] = fields.as_slice() else {
        return None;
    };
    if *component != "1"
        || !transport.eq_ignore_ascii_case("udp")
        || *typ != "typ"
        || *kind != "host"
    {
        return None;
    }
    let host = if let Some(name) = address.strip_suffix(".local") {
        Host::Mdns(*uuid::Uuid::parse_str(name).ok()?.as_bytes())
    } else {
        match address.parse::<core::net::IpAddr>().ok()? {
            core::net::IpAddr::V4(ip) => Host::V4(ip.octets()),
            core::net::IpAddr::V6(ip) => Host::V6(ip.octets()),
        }
    };
    let port = port.parse().ok().filter(|p| *p != 0)?;
    Some(Candidate { host, port })
}

fn host_text(host: &Host) -> String {
    match host {
        Host::Mdns(uuid) => format!("{}.local", uuid::Uuid::from_bytes(*uuid)),
        Host::V4(ip) => core::net::Ipv4Addr::from(*ip).to_string(),
        Host::V6(ip) => core::net::Ipv6Addr::from(*ip).to_string(),
    }
}

/// Pairings to test with (proptest), shared by this module's and the QR
/// code's tests.
#[cfg(test)]
pub(crate) mod strategy {
    use std::ops::RangeInclusive;

    use proptest::prelude::*;

    use super::*;

    fn ice_text(len: RangeInclusive<usize>) -> impl Strategy<Value = String> {
        let (min, max) = (len.start(), len.end());
        proptest::string::string_regex(&format!("[A-Za-z0-9+/]{{{min},{max}}}")).unwrap()
    }

    fn candidate() -> impl Strategy<Value = Candidate> {
        let host = prop_oneof![
            any::<[u8; 16]>().prop_map(Host::Mdns),
            any::<[u8; 4]>().prop_map(Host::V4),
            any::<[u8; 16]>().prop_map(Host::V6),
        ];
        (host, 1u16..).prop_map(|(host, port)| Candidate { host, port })
    }

    /// Pairings with credentials and candidate counts in these ranges.
    pub(crate) fn pairings(
        ufrag: RangeInclusive<usize>,
        pwd: RangeInclusive<usize>,
        candidates: RangeInclusive<usize>,
    ) -> impl Strategy<Value = Pairing> {
        (
            prop_oneof![Just(Role::Offer), Just(Role::Answer)],
            prop_oneof![Just(Grant::Edit), Just(Grant::Read)],
            ice_text(ufrag),
            ice_text(pwd),
            any::<[u8; 32]>(),
            prop_oneof![
                Just(Setup::ActPass),
                Just(Setup::Active),
                Just(Setup::Passive)
            ],
            proptest::collection::vec(candidate(), candidates),
        )
            .prop_map(
                |(role, grant, ufrag, pwd, fingerprint, setup, candidates)| Pairing {
                    role,
                    grant,
                    ufrag,
                    pwd,
                    fingerprint,
                    setup,
                    candidates,
                },
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An offer as Chromium 14x makes it for one data channel, once ICE
    /// gathering is complete (values changed).
    const CHROMIUM_OFFER: &str = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
        a=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n\
        m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\
        a=candidate:1467250027 1 udp 2122260223 6f1d8c2e-3b4a-4c5d-9e6f-7a8b9c0d1e2f.local 54321 typ host generation 0 network-cost 999\r\n\
        a=candidate:1467250028 1 udp 2122262783 3a2b1c0d-4e5f-4061-8273-948596a7b8c9.local 40712 typ host generation 0 network-cost 999\r\n\
        a=candidate:3 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0\r\n\
        a=candidate:4 1 udp 1686052607 81.82.83.84 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0\r\n\
        a=ice-ufrag:Xq3z\r\na=ice-pwd:0123456789abcdefGHIJKLMN\r\na=ice-options:trickle\r\n\
        a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:DD:8C:66:A5:8E:50:55:EA:20:C0:E8:C0:D5:14:29:43\r\n\
        a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    #[test]
    fn a_chromium_offer_keeps_what_varies_and_fits_one_qr_code() {
        let offer = Pairing::from_sdp(Role::Offer, Grant::Edit, CHROMIUM_OFFER).unwrap();
        assert_eq!(offer.ufrag, "Xq3z");
        assert_eq!(offer.setup, Setup::ActPass);
        assert_eq!(offer.fingerprint[0], 0x6B);
        // Only the UDP host candidates: TCP and server-reflexive ones are left out.
        assert_eq!(offer.candidates.len(), 2);
        assert_eq!(offer.candidates[0].port, 54321);
        let code = offer.to_code();
        // QR version 7 (45×45 modules) holds 178 alphanumeric characters at level M.
        assert!(code.len() <= 178, "{} characters: {code}", code.len());
        assert!(
            code.bytes()
                .all(|b| b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(&b))
        );
        assert_eq!(Pairing::from_code(&code).unwrap(), offer);
    }

    #[test]
    fn the_sdp_written_back_reads_as_the_same_pairing() {
        let offer = Pairing::from_sdp(Role::Offer, Grant::Read, CHROMIUM_OFFER).unwrap();
        let sdp = offer.to_sdp(7);
        assert!(sdp.contains("a=candidate:1 1 udp 2122260223 6f1d8c2e-3b4a-4c5d-9e6f-7a8b9c0d1e2f.local 54321 typ host"));
        assert!(sdp.contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
        assert_eq!(
            Pairing::from_sdp(Role::Offer, Grant::Read, &sdp).unwrap(),
            offer
        );
    }

    #[test]
    fn hostile_codes_are_refused_before_and_after_decoding() {
        assert_eq!(
            Pairing::from_code(&"0".repeat(MAX_CODE_CHARS + 1)),
            Err(PairingError::TooLong)
        );
        assert_eq!(Pairing::from_code("abc~"), Err(PairingError::NotACode));
        let offer = Pairing::from_sdp(Role::Offer, Grant::Edit, CHROMIUM_OFFER).unwrap();
        let bytes = offer.to_bytes();
        // Cut short, with bytes after the end, another version, unknown flags.
        let mut longer = bytes.clone();
        longer.push(0);
        let mut other_version = bytes.clone();
        other_version[0] = 9;
        let mut bad_flags = bytes.clone();
        bad_flags[1] = 0x80;
        for damaged in [
            &bytes[..bytes.len() - 1],
            &longer,
            &other_version,
            &bad_flags,
        ] {
            assert_eq!(Pairing::from_bytes(damaged), Err(PairingError::Damaged));
        }
        // A password with characters ICE does not allow.
        let mut bad = offer.clone();
        bad.pwd = "0123456789abcdef ghijklmn".into();
        assert!(Pairing::from_code(&bad.to_code()).is_err());
        // More candidates than a pairing carries.
        let mut many = offer;
        many.candidates = vec![many.candidates[0]; MAX_CANDIDATES + 1];
        assert_eq!(
            Pairing::from_bytes(&many.to_bytes()),
            Err(PairingError::Damaged)
        );
    }

    fn pairing() -> impl Strategy<Value = Pairing> {
        strategy::pairings(4..=64, 22..=64, 1..=MAX_CANDIDATES)
    }

    proptest! {
        #[test]
        fn every_pairing_round_trips_through_its_code_and_its_sdp(p in pairing()) {
            prop_assert_eq!(Pairing::from_code(&p.to_code()).unwrap(), p.clone());
            let from_sdp = Pairing::from_sdp(p.role, p.grant, &p.to_sdp(1)).unwrap();
            prop_assert_eq!(from_sdp, p);
        }

        #[test]
        fn no_code_panics(code in "[0-9A-Z $%*+./:-]{0,300}") {
            let _ = Pairing::from_code(&code);
        }
    }
}

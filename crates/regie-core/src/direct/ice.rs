//! The ICE servers (STUN/TURN) a deployment offers for direct links: named
//! by the relay's operator, told to the app with its access, kept by the
//! browser. None by default: on one network, host candidates connect.
//!
//! The list comes from the relay and is kept in the browser's storage, so
//! it is read with bounds and every URL checked; a list that does not
//! check out is no list (host candidates still work).

use serde::{Deserialize, Serialize};

/// Servers in a list at most.
pub const MAX_ICE_SERVERS: usize = 8;
/// Longest URL, username or credential.
pub const MAX_FIELD: usize = 256;
/// Longest kept list, in bytes.
const MAX_LIST_BYTES: usize = 8 * 1024;

/// One STUN or TURN server, as `RTCIceServer` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceServer {
    /// `stun:`, `stuns:`, `turn:` or `turns:` URL.
    pub urls: String,
    /// For TURN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// For TURN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// Why a URL cannot name an ICE server.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    if url.len() > MAX_FIELD {
        return Err("longer than 256 bytes");
    }
    if !["stun:", "stuns:", "turn:", "turns:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
    {
        return Err("not a stun:, stuns:, turn: or turns: URL");
    }
    if url.len() <= url.find(':').map_or(0, |i| i + 1) || !url.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err("no host, or spaces or control characters");
    }
    Ok(())
}

impl IceServer {
    /// A server for `url`; TURN servers get the credentials, STUN needs none.
    pub fn new(url: &str, username: Option<&str>, credential: Option<&str>) -> IceServer {
        let turn = url.starts_with("turn");
        IceServer {
            urls: url.to_owned(),
            username: username.filter(|_| turn).map(str::to_owned),
            credential: credential.filter(|_| turn).map(str::to_owned),
        }
    }

    fn is_sound(&self) -> bool {
        let short = |f: &Option<String>| f.as_ref().is_none_or(|s| s.len() <= MAX_FIELD);
        check_url(&self.urls).is_ok() && short(&self.username) && short(&self.credential)
    }
}

/// The list as kept in the browser.
pub fn encode(list: &[IceServer]) -> String {
    serde_json::to_string(list).expect("ICE servers always serialise")
}

/// A kept list; empty when it is too long, damaged, or any server unsound.
pub fn decode(text: &str) -> Vec<IceServer> {
    if text.len() > MAX_LIST_BYTES {
        return Vec::new();
    }
    match serde_json::from_str::<Vec<IceServer>>(text) {
        Ok(list) if list.len() <= MAX_ICE_SERVERS && list.iter().all(IceServer::is_sound) => list,
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_and_stun_carries_no_credentials() {
        let list = vec![
            IceServer::new("stun:stun.gent.be:3478", Some("u"), Some("p")),
            IceServer::new("turns:turn.gent.be:443?transport=tcp", Some("u"), Some("p")),
        ];
        assert_eq!(list[0].username, None);
        assert_eq!(list[1].credential.as_deref(), Some("p"));
        assert_eq!(decode(&encode(&list)), list);
    }

    #[test]
    fn urls_other_than_stun_and_turn_are_refused() {
        for bad in [
            "http://x",
            "stun:",
            "stun:a b",
            "javascript:alert(1)",
            &format!("stun:{}", "a".repeat(300)),
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert!(check_url("turn:10.0.0.1:3478").is_ok());
    }

    #[test]
    fn a_kept_list_that_does_not_check_out_is_no_list() {
        let sound = encode(&[IceServer::new("stun:a", None, None)]);
        assert_eq!(decode(&sound).len(), 1);
        assert!(decode(r#"[{"urls":"http://evil"}]"#).is_empty());
        assert!(decode(r#"[{"urls":"stun:a","extra":1}]"#).is_empty());
        assert!(decode("not json").is_empty());
        let many = encode(&vec![
            IceServer::new("stun:a", None, None);
            MAX_ICE_SERVERS + 1
        ]);
        assert!(decode(&many).is_empty());
    }
}

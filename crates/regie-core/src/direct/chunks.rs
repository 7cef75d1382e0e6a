//! Protocol frames over data channels: a data-channel message is at most
//! 256 KiB in Chromium, a frame (a document's first sync) can be far
//! larger. A frame is sent as messages of at most [`MAX_MESSAGE`] bytes,
//! each starting with one byte that says whether more of the same frame
//! follows. Data channels are reliable and ordered, so nothing else is
//! needed to join them.
//!
//! The joining side is the one a hostile peer aims at: it holds at most
//! `limit` bytes of an unfinished frame and refuses the link beyond that.

/// The largest data-channel message Chromium accepts.
pub const MAX_MESSAGE: usize = 256 * 1024;

/// The first byte of a message: this is the frame's last part.
const LAST: u8 = 0;
/// The first byte of a message: more of this frame follows.
const MORE: u8 = 1;

/// The messages that carry `frame`, each at most `max` bytes (at least 2).
pub fn split(frame: &[u8], max: usize) -> Vec<Vec<u8>> {
    let room = max.max(2) - 1;
    let parts: Vec<&[u8]> = if frame.is_empty() {
        vec![frame]
    } else {
        frame.chunks(room).collect()
    };
    let last = parts.len() - 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let mut message = Vec::with_capacity(part.len() + 1);
            message.push(if i == last { LAST } else { MORE });
            message.extend_from_slice(part);
            message
        })
        .collect()
}

/// Why a peer's messages cannot be joined; the link is closed with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// A message without even its first byte.
    #[error("empty data-channel message")]
    Empty,
    /// The first byte is neither "last" nor "more".
    #[error("data-channel message with unknown flag {0}")]
    BadFlag(u8),
    /// The frame grows past what this side accepts.
    #[error("frame over {0} bytes")]
    TooBig(usize),
}

/// Joins the messages of one link back into frames.
#[derive(Debug)]
pub struct Joiner {
    pending: Vec<u8>,
    limit: usize,
}

impl Joiner {
    /// A joiner that accepts frames of at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Joiner {
            pending: Vec::new(),
            limit,
        }
    }

    /// Takes one message; returns the frame it completes, if it does.
    pub fn push(&mut self, message: &[u8]) -> Result<Option<Vec<u8>>, JoinError> {
        let (&flag, part) = message.split_first().ok_or(JoinError::Empty)?;
        if flag != LAST && flag != MORE {
            return Err(JoinError::BadFlag(flag));
        }
        // Checked before copying: the peer decides how much it sends.
        if self.pending.len() + part.len() > self.limit {
            self.pending = Vec::new();
            return Err(JoinError::TooBig(self.limit));
        }
        self.pending.extend_from_slice(part);
        Ok((flag == LAST).then(|| std::mem::take(&mut self.pending)))
    }

    /// Bytes of an unfinished frame held now.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn join_all(messages: &[Vec<u8>], limit: usize) -> Result<Vec<Vec<u8>>, JoinError> {
        let mut joiner = Joiner::new(limit);
        let mut frames = Vec::new();
        for message in messages {
            frames.extend(joiner.push(message)?);
        }
        assert_eq!(joiner.pending(), 0, "nothing left over");
        Ok(frames)
    }

    #[test]
    fn a_frame_larger_than_a_message_is_split_and_joined() {
        let frame: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        let messages = split(&frame, MAX_MESSAGE);
        assert_eq!(messages.len(), 3);
        assert!(messages.iter().all(|m| m.len() <= MAX_MESSAGE));
        assert_eq!(join_all(&messages, 1 << 20).unwrap(), vec![frame]);
    }

    #[test]
    fn small_and_empty_frames_are_one_message() {
        assert_eq!(split(b"abc", MAX_MESSAGE), vec![b"\0abc".to_vec()]);
        assert_eq!(split(b"", MAX_MESSAGE), vec![vec![LAST]]);
        assert_eq!(join_all(&split(b"", 8), 8).unwrap(), vec![Vec::<u8>::new()]);
    }

    #[test]
    fn a_peer_cannot_make_this_side_hold_more_than_the_limit() {
        let mut joiner = Joiner::new(10);
        assert_eq!(joiner.push(&[MORE; 8]), Ok(None));
        assert_eq!(joiner.push(&[MORE; 8]), Err(JoinError::TooBig(10)));
        assert_eq!(joiner.pending(), 0, "what was held is dropped");
        assert_eq!(joiner.push(&[]), Err(JoinError::Empty));
        assert_eq!(joiner.push(&[7, 1]), Err(JoinError::BadFlag(7)));
    }

    proptest! {
        #[test]
        fn frames_survive_any_message_size(
            frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..600), 1..6),
            max in 2usize..64,
        ) {
            let messages: Vec<Vec<u8>> = frames.iter().flat_map(|f| split(f, max)).collect();
            prop_assert!(messages.iter().all(|m| m.len() <= max));
            prop_assert_eq!(join_all(&messages, 600).unwrap(), frames);
        }
    }
}

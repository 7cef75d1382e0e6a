//! Reconnect delays: exponential backoff with full jitter, so that many
//! tablets coming back on the same Wi-Fi do not all knock at once.

/// First retry after about this long.
pub const BASE_MS: u32 = 500;
/// Never wait longer than this between attempts.
pub const MAX_MS: u32 = 30_000;

/// The delay before reconnect attempt `attempt` (0 = first retry).
/// `jitter` is a random number in `[0, 1)`, passed in to keep this pure:
/// the delay is uniformly spread over the upper half of the backoff window.
pub fn delay_ms(attempt: u32, jitter: f64) -> u32 {
    let window = BASE_MS.saturating_mul(1u32 << attempt.min(16)).min(MAX_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    window / 2 + (f64::from(window / 2) * jitter) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_and_is_capped() {
        assert_eq!(delay_ms(0, 0.0), 250);
        assert_eq!(delay_ms(1, 0.0), 500);
        assert_eq!(delay_ms(3, 0.0), 2_000);
        assert_eq!(delay_ms(40, 0.0), MAX_MS / 2);
        assert_eq!(delay_ms(40, 0.999_999), MAX_MS - 1);
    }

    #[test]
    fn jitter_spreads_within_the_window() {
        let low = delay_ms(4, 0.0);
        let high = delay_ms(4, 0.99);
        assert!(low < high && high < 8_000, "{low}..{high}");
    }
}

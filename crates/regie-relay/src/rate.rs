//! Per-connection rate limiting: a token bucket, so that one flooding peer
//! is cut off while everyone else is served. The clock is passed in.

use std::time::{Duration, Instant};

/// A token bucket: `rate` messages per second on average, bursts up to
/// `burst`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    rate: f64,
    burst: f64,
    available: f64,
    last: Instant,
}

impl RateLimit {
    /// A full bucket at `now`.
    pub fn new(rate_per_second: u32, now: Instant) -> Self {
        let rate = f64::from(rate_per_second.max(1));
        let burst = rate * 10.0;
        Self {
            rate,
            burst,
            available: burst,
            last: now,
        }
    }

    /// Takes one message's worth; false when the peer is over its limit.
    pub fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last);
        self.last = now;
        self.available = (self.available + elapsed.as_secs_f64() * self.rate).min(self.burst);
        if self.available >= 1.0 {
            self.available -= 1.0;
            true
        } else {
            false
        }
    }

    /// How long until one more message would be allowed.
    pub fn wait(&self) -> Duration {
        Duration::from_secs_f64(((1.0 - self.available) / self.rate).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_bursts_then_the_sustained_rate() {
        let start = Instant::now();
        let mut limit = RateLimit::new(10, start);
        let burst = (0..200).take_while(|_| limit.allow(start)).count();
        assert_eq!(burst, 100, "a burst of ten seconds' worth");
        assert!(!limit.allow(start));
        assert!(limit.wait() > Duration::ZERO);
        let later = start + Duration::from_millis(500);
        let refilled = (0..200).take_while(|_| limit.allow(later)).count();
        assert_eq!(refilled, 5, "half a second refills five");
    }
}

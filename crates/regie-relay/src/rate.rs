//! Per-connection rate limiting: a token bucket, so that one flooding peer
//! is cut off while everyone else is served, and a budget of engine time
//! that a costly peer pays off by waiting. The clock is passed in.

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
        Self::with_burst(rate, rate * 10.0, now)
    }

    /// A full bucket of `rate` units a second, holding at most `burst`.
    pub fn with_burst(rate: f64, burst: f64, now: Instant) -> Self {
        let rate = rate.max(f64::MIN_POSITIVE);
        Self {
            rate,
            burst,
            available: burst,
            last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last);
        self.last = now;
        self.available = (self.available + elapsed.as_secs_f64() * self.rate).min(self.burst);
    }

    /// Takes `cost` units whether or not they are there: work already done
    /// (engine time a frame took) is paid for afterwards, in debt if need be.
    pub fn charge(&mut self, cost: f64, now: Instant) {
        self.refill(now);
        self.available -= cost;
    }

    /// How long until the bucket is out of debt (zero when it is not).
    pub fn debt(&self) -> Duration {
        Duration::from_secs_f64((-self.available / self.rate).max(0.0))
    }

    /// Takes one message's worth; false when the peer is over its limit.
    pub fn allow(&mut self, now: Instant) -> bool {
        self.refill(now);
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

    #[test]
    fn work_done_is_charged_and_debt_waited_off() {
        let start = Instant::now();
        // 250 ms of engine time a second, at most 2 s saved up.
        let mut budget = RateLimit::with_burst(250.0, 2000.0, start);
        budget.charge(1500.0, start);
        assert_eq!(budget.debt(), Duration::ZERO, "within the saved-up time");
        budget.charge(1000.0, start);
        assert_eq!(
            budget.debt(),
            Duration::from_secs(2),
            "500 ms over at 250 ms/s"
        );
        budget.charge(0.0, start + Duration::from_secs(2));
        assert_eq!(budget.debt(), Duration::ZERO);
    }
}

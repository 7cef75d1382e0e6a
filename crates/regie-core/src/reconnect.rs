//! When to try a link to another peer again: a pure decision from what
//! happened to the link, so the browser shell only carries it out (opens a
//! socket, sets a timer) and the policy is tested natively.
//!
//! A lost link is retried after a growing, jittered delay ([`delay_ms`]);
//! the browser saying it is online again retries at once and starts the
//! delays afresh; a link the other side refused (no access) is not retried
//! until the network comes back, when the token may be checked again. Each
//! retry timer carries a ticket, and only the newest ticket counts, so a
//! timer set before a reconnect can never start a second attempt.

/// First retry after about this long.
pub const BASE_MS: u32 = 500;
/// Never wait longer than this between attempts.
pub const MAX_MS: u32 = 30_000;

/// The delay before reconnect attempt `attempt` (0 = first retry).
/// `jitter` is a random number in `[0, 1)`, passed in to keep this pure:
/// the delay is uniformly spread over the upper half of the backoff window,
/// so many tablets coming back on the same Wi-Fi do not all knock at once.
pub fn delay_ms(attempt: u32, jitter: f64) -> u32 {
    let window = BASE_MS.saturating_mul(1u32 << attempt.min(16)).min(MAX_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    window / 2 + (f64::from(window / 2) * jitter) as u32
}

/// Where a link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkState {
    /// Not connected; a retry may be pending.
    #[default]
    Down,
    /// An attempt is under way.
    Connecting,
    /// Connected and introduced (the protocol handshake is done).
    Up,
    /// The other side refused us (no access); not retried on a timer.
    Refused,
}

/// Something that happened to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEvent {
    /// The shell wants the link (the app started).
    Wanted,
    /// The handshake completed.
    Up,
    /// The attempt failed or the connection dropped.
    Lost,
    /// The other side refused this peer's credentials.
    Refused,
    /// The browser reports a network again.
    NetworkUp,
    /// The browser reports no network.
    NetworkDown,
    /// The retry timer with this ticket fired.
    RetryDue(u32),
}

/// What the shell must do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing.
    Stay,
    /// Start an attempt now (closing any attempt still open).
    ConnectNow,
    /// Close the link and set a timer; report [`LinkEvent::RetryDue`] with
    /// this ticket when it fires.
    RetryIn {
        /// How long to wait.
        ms: u32,
        /// The ticket to report.
        ticket: u32,
    },
    /// Close the link and wait for the network (or the person) to come back.
    GiveUp,
}

/// The reconnect policy of one link.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reconnect {
    state: LinkState,
    /// Attempts that failed since the link was last up.
    failures: u32,
    /// The newest retry ticket handed out.
    ticket: u32,
}

impl Reconnect {
    /// Where the link stands.
    pub fn state(&self) -> LinkState {
        self.state
    }

    /// Decides what follows from `event`. `jitter` is a random number in
    /// `[0, 1)` for the retry delay.
    pub fn on(&mut self, event: LinkEvent, jitter: f64) -> Decision {
        use LinkState::*;
        match (event, self.state) {
            (LinkEvent::Wanted, Down) => self.connect(),
            (LinkEvent::Wanted, _) => Decision::Stay,
            (LinkEvent::Up, _) => {
                self.state = Up;
                self.failures = 0;
                Decision::Stay
            }
            // A loss reported for a link already down is old news.
            (LinkEvent::Lost | LinkEvent::NetworkDown, Down | Refused) => Decision::Stay,
            (LinkEvent::Lost | LinkEvent::NetworkDown, Connecting | Up) => self.retry_later(jitter),
            (LinkEvent::Refused, _) => {
                self.state = Refused;
                Decision::GiveUp
            }
            // The network is back: whatever the delays had grown to, try now.
            (LinkEvent::NetworkUp, Up) => Decision::Stay,
            (LinkEvent::NetworkUp, _) => {
                self.failures = 0;
                self.connect()
            }
            (LinkEvent::RetryDue(ticket), Down) if ticket == self.ticket => self.connect(),
            (LinkEvent::RetryDue(_), _) => Decision::Stay,
        }
    }

    fn connect(&mut self) -> Decision {
        self.state = LinkState::Connecting;
        // A timer set before this attempt must not start another one.
        self.ticket = self.ticket.wrapping_add(1);
        Decision::ConnectNow
    }

    fn retry_later(&mut self, jitter: f64) -> Decision {
        self.state = LinkState::Down;
        let ms = delay_ms(self.failures, jitter);
        self.failures = self.failures.saturating_add(1);
        self.ticket = self.ticket.wrapping_add(1);
        Decision::RetryIn {
            ms,
            ticket: self.ticket,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_and_are_capped() {
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

    /// Reports a failed attempt and returns the retry it asks for.
    fn fail(policy: &mut Reconnect) -> (u32, u32) {
        match policy.on(LinkEvent::Lost, 0.0) {
            Decision::RetryIn { ms, ticket } => (ms, ticket),
            other => panic!("a lost link is retried, got {other:?}"),
        }
    }

    #[test]
    fn a_lost_link_is_retried_later_and_later_until_it_is_up() {
        let mut policy = Reconnect::default();
        assert_eq!(policy.on(LinkEvent::Wanted, 0.0), Decision::ConnectNow);
        let mut delays = Vec::new();
        for _ in 0..4 {
            let (ms, ticket) = fail(&mut policy);
            delays.push(ms);
            assert_eq!(policy.state(), LinkState::Down);
            assert_eq!(
                policy.on(LinkEvent::RetryDue(ticket), 0.0),
                Decision::ConnectNow
            );
        }
        assert_eq!(delays, [250, 500, 1_000, 2_000]);
        // Up again: the next loss starts from the shortest delay.
        assert_eq!(policy.on(LinkEvent::Up, 0.0), Decision::Stay);
        assert_eq!(fail(&mut policy).0, 250);
    }

    #[test]
    fn an_old_timer_never_starts_a_second_attempt() {
        let mut policy = Reconnect::default();
        policy.on(LinkEvent::Wanted, 0.0);
        let (_, old) = fail(&mut policy);
        // The network comes back before the timer fires: connect at once.
        assert_eq!(policy.on(LinkEvent::NetworkUp, 0.0), Decision::ConnectNow);
        assert_eq!(policy.on(LinkEvent::RetryDue(old), 0.0), Decision::Stay);
        // That attempt fails too: only the new timer counts.
        let (_, new) = fail(&mut policy);
        assert_eq!(policy.on(LinkEvent::RetryDue(old), 0.0), Decision::Stay);
        assert_eq!(
            policy.on(LinkEvent::RetryDue(new), 0.0),
            Decision::ConnectNow
        );
    }

    #[test]
    fn the_network_coming_back_retries_at_once_and_resets_the_delays() {
        let mut policy = Reconnect::default();
        policy.on(LinkEvent::Wanted, 0.0);
        for _ in 0..6 {
            let (_, ticket) = fail(&mut policy);
            policy.on(LinkEvent::RetryDue(ticket), 0.0);
        }
        assert!(matches!(
            policy.on(LinkEvent::NetworkDown, 0.0),
            Decision::RetryIn { ms, .. } if ms == MAX_MS / 2
        ));
        assert_eq!(policy.on(LinkEvent::NetworkUp, 0.0), Decision::ConnectNow);
        assert_eq!(fail(&mut policy).0, 250);
        // Up: the network event changes nothing.
        policy.on(LinkEvent::NetworkUp, 0.0);
        policy.on(LinkEvent::Up, 0.0);
        assert_eq!(policy.on(LinkEvent::NetworkUp, 0.0), Decision::Stay);
    }

    #[test]
    fn a_refused_link_waits_for_the_network_and_ignores_timers_and_losses() {
        let mut policy = Reconnect::default();
        policy.on(LinkEvent::Wanted, 0.0);
        let (_, ticket) = fail(&mut policy);
        policy.on(LinkEvent::RetryDue(ticket), 0.0);
        assert_eq!(policy.on(LinkEvent::Refused, 0.0), Decision::GiveUp);
        assert_eq!(policy.on(LinkEvent::Lost, 0.0), Decision::Stay);
        assert_eq!(policy.on(LinkEvent::RetryDue(ticket), 0.0), Decision::Stay);
        assert_eq!(policy.on(LinkEvent::Wanted, 0.0), Decision::Stay);
        assert_eq!(policy.on(LinkEvent::NetworkUp, 0.0), Decision::ConnectNow);
    }

    #[test]
    fn losses_of_a_link_already_down_are_old_news() {
        let mut policy = Reconnect::default();
        policy.on(LinkEvent::Wanted, 0.0);
        let (_, ticket) = fail(&mut policy);
        assert_eq!(policy.on(LinkEvent::Lost, 0.0), Decision::Stay);
        assert_eq!(policy.on(LinkEvent::NetworkDown, 0.0), Decision::Stay);
        assert_eq!(
            policy.on(LinkEvent::RetryDue(ticket), 0.0),
            Decision::ConnectNow,
            "the pending timer still counts"
        );
    }
}

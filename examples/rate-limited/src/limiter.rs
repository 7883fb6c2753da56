//! The limit per client address: at most [`LIMIT`] requests in any [`WINDOW_MS`] milliseconds,
//! from the times of each client's last [`LIMIT`] accepted requests (a sliding log).

use alloc::collections::BTreeMap;
use core::net::Ipv4Addr;

/// Requests a client may make in any one window.
pub const LIMIT: usize = 5;
/// The window, in milliseconds.
pub const WINDOW_MS: u64 = 1000;
/// The most clients remembered.
pub const MAX_CLIENTS: usize = 1024;

/// One client's last accepted requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Recent {
    /// Milliseconds since boot of the last `count` accepted requests, a ring: `next` is where
    /// the next one goes and, once `count == LIMIT`, the oldest.
    times: [u64; LIMIT],
    next: usize,
    count: usize,
}

impl Recent {
    /// When a request may be accepted again, if not now.
    fn refused_until(&self, now_ms: u64) -> Option<u64> {
        if self.count < LIMIT {
            return None;
        }
        let oldest = self.times.get(self.next).copied().unwrap_or_default();
        let until = oldest.saturating_add(WINDOW_MS);
        (now_ms < until).then_some(until)
    }

    fn accept(&mut self, now_ms: u64) {
        if let Some(slot) = self.times.get_mut(self.next) {
            *slot = now_ms;
        }
        self.next = (self.next + 1) % LIMIT;
        self.count = (self.count + 1).min(LIMIT);
    }

    /// The newest accepted request.
    fn last_ms(&self) -> u64 {
        self.times
            .get((self.next + LIMIT - 1) % LIMIT)
            .copied()
            .unwrap_or_default()
    }

    /// Whether every request remembered has left the window (the same as no entry).
    fn is_idle(&self, now_ms: u64) -> bool {
        self.count == 0 || self.last_ms().saturating_add(WINDOW_MS) <= now_ms
    }
}

/// The clients' recent requests.
#[derive(Debug, Default)]
pub struct Limiter {
    clients: BTreeMap<Ipv4Addr, Recent>,
}

impl Limiter {
    /// Counts a request of `client` at `now_ms`: `Ok(())`, or `Err(seconds)` to wait before
    /// the next one is accepted (at least 1). A refused request is not counted.
    pub fn take(&mut self, client: Ipv4Addr, now_ms: u64) -> Result<(), u32> {
        if !self.clients.contains_key(&client) && self.clients.len() >= MAX_CLIENTS {
            self.make_room(now_ms);
        }
        let recent = self.clients.entry(client).or_default();
        if let Some(until) = recent.refused_until(now_ms) {
            let seconds = (until - now_ms).div_ceil(1000);
            return Err(u32::try_from(seconds).unwrap_or(u32::MAX).max(1));
        }
        recent.accept(now_ms);
        Ok(())
    }

    /// How many clients are remembered.
    pub fn clients(&self) -> usize {
        self.clients.len()
    }

    /// Forgets every idle client; if none was idle, the one whose last request is oldest.
    fn make_room(&mut self, now_ms: u64) {
        self.clients.retain(|_, recent| !recent.is_idle(now_ms));
        if self.clients.len() >= MAX_CLIENTS {
            let oldest = self
                .clients
                .iter()
                .min_by_key(|(_, recent)| recent.last_ms())
                .map(|(address, _)| *address);
            if let Some(address) = oldest {
                self.clients.remove(&address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    const ADA: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
    const BOB: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

    #[test]
    fn five_in_a_window_then_refused_until_the_oldest_leaves() {
        let mut limiter = Limiter::default();
        for at in [1_000, 1_100, 1_200, 1_300, 1_400] {
            assert_eq!(limiter.take(ADA, at), Ok(()));
        }
        assert_eq!(limiter.take(ADA, 1_500), Err(1));
        assert_eq!(limiter.take(ADA, 1_999), Err(1));
        assert_eq!(limiter.take(ADA, 2_000), Ok(()));
        assert_eq!(limiter.take(ADA, 2_000), Err(1));
        assert_eq!(limiter.take(ADA, 2_100), Ok(()));
    }

    #[test]
    fn no_window_ever_holds_more_than_five() {
        let mut limiter = Limiter::default();
        let mut accepted = Vec::new();
        // A request every 37 ms for a minute.
        for at in (0..60_000).step_by(37) {
            if limiter.take(ADA, at).is_ok() {
                accepted.push(at);
            }
        }
        for (index, start) in accepted.iter().enumerate() {
            let in_window = accepted[index..]
                .iter()
                .take_while(|at| **at < start + WINDOW_MS)
                .count();
            assert!(in_window <= LIMIT, "{in_window} from {start}");
        }
        // And the limit is used: about five a second.
        assert!(accepted.len() >= 5 * 55, "{}", accepted.len());
    }

    #[test]
    fn clients_are_counted_apart() {
        let mut limiter = Limiter::default();
        for _ in 0..LIMIT {
            assert_eq!(limiter.take(ADA, 0), Ok(()));
        }
        assert_eq!(limiter.take(ADA, 0), Err(1));
        assert_eq!(limiter.take(BOB, 0), Ok(()));
    }

    #[test]
    fn refused_requests_are_not_counted_and_a_clock_going_back_frees_nothing() {
        let mut limiter = Limiter::default();
        for _ in 0..LIMIT {
            assert_eq!(limiter.take(ADA, 5_000), Ok(()));
        }
        for _ in 0..100 {
            assert_eq!(limiter.take(ADA, 5_500), Err(1));
        }
        assert_eq!(limiter.take(ADA, 4_000), Err(2));
        assert_eq!(limiter.take(ADA, 6_000), Ok(()));
    }

    #[test]
    fn the_clients_remembered_are_capped() {
        let mut limiter = Limiter::default();
        let address = |index: usize| Ipv4Addr::from(0x0a00_0000 + index as u32);
        for index in 0..MAX_CLIENTS {
            assert_eq!(limiter.take(address(index), index as u64), Ok(()));
        }
        assert_eq!(limiter.clients(), MAX_CLIENTS);
        // Nobody is idle yet: the client whose last request is oldest is forgotten.
        assert_eq!(limiter.take(address(MAX_CLIENTS), 1_000), Ok(()));
        assert_eq!(limiter.clients(), MAX_CLIENTS);
        assert!(!limiter.clients.contains_key(&address(0)));
        // Later everyone is idle, and all but the new client are forgotten.
        assert_eq!(limiter.take(address(MAX_CLIENTS + 1), 10_000), Ok(()));
        assert_eq!(limiter.clients(), 1);
    }
}

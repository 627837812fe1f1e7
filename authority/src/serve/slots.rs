//! Connection caps: at most so many open connections overall and from one address. A slot is
//! held for the connection's life and given back when it drops, whatever ends the connection.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The open connections, overall and per address.
#[derive(Debug)]
pub struct Slots {
    max: usize,
    per_address: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
    refused: u64,
    reported: Option<Instant>,
}

/// One open connection's place; dropping it frees the place.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    ip: IpAddr,
}

impl Slots {
    pub fn new(max: usize, per_address: usize) -> Slots {
        Slots { max, per_address, inner: Mutex::new(Inner::default()) }
    }

    /// A place for a connection from `ip`, or none when a cap is reached.
    pub fn take(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mine = inner.by_address.get(&ip).copied().unwrap_or(0);
        // The processes of this machine (the touch UI, the printer link) are never shut out by
        // a flood from the LAN: only their own share holds them.
        let local = this_machine(ip);
        if (!local && inner.total >= self.max) || mine >= self.per_address {
            inner.refused += 1;
            // One line per minute at most: a flood must not also fill the log.
            if inner.reported.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                tracing::warn!(
                    "connection from {ip} refused: {} open ({mine} from it; caps {} and {} per address); {} refused so far",
                    inner.total,
                    self.max,
                    self.per_address,
                    inner.refused
                );
                inner.reported = Some(Instant::now());
            }
            return None;
        }
        if !local {
            inner.total += 1;
        }
        *inner.by_address.entry(ip).or_insert(0) += 1;
        Some(Slot { slots: self.clone(), ip })
    }

    /// Open connections now, overall.
    pub fn open(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

/// The kiosk's own processes reach the authority beside them on 127.0.0.1 (or ::1); other
/// loopback addresses (127.0.0.2...) count as other machines, as tests use them.
fn this_machine(ip: IpAddr) -> bool {
    ip == IpAddr::from([127, 0, 0, 1]) || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut inner = self.slots.inner.lock().unwrap_or_else(|e| e.into_inner());
        if !this_machine(self.ip) {
            inner.total -= 1;
        }
        if let Some(n) = inner.by_address.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                inner.by_address.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    /// One address cannot take more than its share, nor all addresses more than the whole, but
    /// the whole being taken does not shut out this machine's own processes; places come back
    /// when connections end (a leak would lock everyone out over time).
    #[test]
    fn caps_hold_and_places_come_back() {
        let slots = Arc::new(Slots::new(3, 2));
        let a1 = slots.take(ip(1)).unwrap();
        let a2 = slots.take(ip(1)).unwrap();
        assert!(slots.take(ip(1)).is_none(), "a third from one address");
        let b1 = slots.take(ip(2)).unwrap();
        assert!(slots.take(ip(3)).is_none(), "a fourth overall");
        drop(a1);
        assert!(slots.take(ip(3)).is_some(), "a freed place is reused (and dropped again at once)");
        let here = IpAddr::from([127, 0, 0, 1]);
        let (l1, l2) = (slots.take(here).unwrap(), slots.take(here).unwrap());
        assert!(slots.take(here).is_none(), "this machine's processes keep to their share too");
        drop((a2, b1, l1, l2));
        assert_eq!(slots.open(), 0);
        assert!(slots.inner.lock().unwrap().by_address.is_empty(), "no entry kept for addresses gone");
    }
}

//! The phone views of a centre's tickets, sent by its uplink so that the hub's ticket pages
//! (`/t/{centre}/{key}`) follow the centre: `PUT /api/v1/centres/{centre}/tickets`.
//!
//! The centre sends views, not the queue's rules: the hub has no copy of the centre's services,
//! counters and estimates, and a view computed once at the centre is the one both pages show.
//! A push carries only what changed since the last push the hub took (a call moves the
//! tickets behind it; the rest of the day's tickets stay as they were), or every view when
//! `whole`, after which the hub forgets any key the push does not name.
use crate::wire::PublicTicket;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The most views in one push: a busy centre's whole day is a few thousand.
pub const MAX_BOARD_TICKETS: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketBoard {
    /// The centre's clock when it read the board: the hub's pages show it as "updated at",
    /// which is how a phone sees that the province's copy lags the centre.
    pub as_of: DateTime<Utc>,
    /// Every view the centre has: keys the push does not name find nothing afterwards.
    #[serde(default)]
    pub whole: bool,
    /// Views by public key; `null`: the key no longer finds a ticket.
    pub tickets: BTreeMap<String, Option<PublicTicket>>,
}

impl TicketBoard {
    /// The push that brings a hub holding `sent` to `now` (views compared without their
    /// `as_of`, which moves with every commit): None when nothing changed. With nothing sent
    /// yet, every view, `whole`.
    pub fn delta(
        sent: Option<&HashMap<String, PublicTicket>>,
        now: &HashMap<String, PublicTicket>,
        as_of: DateTime<Utc>,
    ) -> Option<TicketBoard> {
        let Some(sent) = sent else {
            let tickets = now.iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
            return Some(TicketBoard { as_of, whole: true, tickets });
        };
        let mut tickets: BTreeMap<String, Option<PublicTicket>> = now
            .iter()
            .filter(|(k, v)| sent.get(*k).is_none_or(|old| !same_view(old, v)))
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect();
        tickets.extend(sent.keys().filter(|k| !now.contains_key(*k)).map(|k| (k.clone(), None)));
        (!tickets.is_empty()).then_some(TicketBoard { as_of, whole: false, tickets })
    }

    /// What the hub holds once it took this push over `sent`.
    pub fn applied_to(&self, sent: Option<HashMap<String, PublicTicket>>) -> HashMap<String, PublicTicket> {
        let mut held = if self.whole { HashMap::new() } else { sent.unwrap_or_default() };
        for (k, v) in &self.tickets {
            match v {
                Some(v) => held.insert(k.clone(), v.clone()),
                None => held.remove(k),
            };
        }
        held
    }
}

/// Whether two views say the same to the phone (the time aside).
pub fn same_view(a: &PublicTicket, b: &PublicTicket) -> bool {
    PublicTicket { as_of: a.as_of, ..b.clone() } == *a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::PublicStatus;
    use chrono::{Duration, NaiveDate, TimeZone};

    fn view(number: &str, ahead: u32, at: DateTime<Utc>) -> PublicTicket {
        PublicTicket {
            number: number.into(),
            service: "civil".into(),
            service_name: "Hộ tịch".into(),
            service_name_en: None,
            status: PublicStatus::Waiting,
            waiting_ahead: Some(ahead),
            estimated_wait_s: Some(ahead * 300),
            counter: None,
            counter_number: None,
            called_at: None,
            back_by: None,
            day: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            as_of: at,
        }
    }

    /// Proves a push carries what changed and only that: a view whose time alone moved is not
    /// sent again, a changed one is, a key gone is sent as null; and the hub's copy rebuilt
    /// from the pushes equals the centre's board.
    #[test]
    fn a_push_carries_the_changes() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 0).unwrap();
        let t1 = t0 + Duration::seconds(5);
        let first: HashMap<String, PublicTicket> =
            [("k1".to_string(), view("A001", 0, t0)), ("k2".to_string(), view("A002", 1, t0))].into();
        let push = TicketBoard::delta(None, &first, t0).unwrap();
        assert!(push.whole);
        assert_eq!(push.tickets.len(), 2);
        let held = push.applied_to(None);
        assert_eq!(held, first);
        // Only the commit time moved: nothing to send.
        let later: HashMap<String, PublicTicket> =
            first.iter().map(|(k, v)| (k.clone(), PublicTicket { as_of: t1, ..v.clone() })).collect();
        assert_eq!(TicketBoard::delta(Some(&held), &later, t1), None);
        // A001 called and gone from the board (say, the day turned for it); A002 moves up.
        let now: HashMap<String, PublicTicket> = [("k2".to_string(), view("A002", 0, t1)), ("k3".to_string(), view("A003", 1, t1))].into();
        let push = TicketBoard::delta(Some(&held), &now, t1).unwrap();
        assert!(!push.whole);
        assert_eq!(push.tickets.get("k1"), Some(&None));
        assert_eq!(push.tickets.get("k2"), Some(&Some(view("A002", 0, t1))));
        assert!(push.tickets.contains_key("k3"));
        assert_eq!(push.applied_to(Some(held)), now);
    }
}

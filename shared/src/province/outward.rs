//! What leaves a centre: its events without the people in them. Staff logins and names stay
//! on the centre's own store; the province counts tickets, times and ratings, never who served.
use crate::event::{Event, EventBody};

/// The event as the hub may see it.
pub fn outward(e: &Event) -> Event {
    let mut e = e.clone();
    match &mut e.body {
        EventBody::TicketCalled { staff, .. }
        | EventBody::TicketNoShow { staff, .. }
        | EventBody::TicketFinished { staff, .. }
        | EventBody::TicketRated { staff, .. } => *staff = None,
        EventBody::CounterStaffed { staff, staff_name, .. } => {
            *staff = None;
            *staff_name = None;
        }
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn ev(body: EventBody) -> Event {
        Event { id: 7, at: Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap(), day: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), body }
    }

    /// Proves no staff login or name reaches the hub, whatever event carries one.
    #[test]
    fn staff_never_leaves_the_centre() {
        let staffed =
            ev(EventBody::CounterStaffed {
                counter: "c1".into(), staff: Some("lan".into()), staff_name: Some("Nguyễn Thị Lan".into())
            });
        let finished = ev(EventBody::TicketFinished {
            ticket: 3,
            number: "A003".into(),
            service: "ho-tich".into(),
            counter: "c1".into(),
            service_s: 300,
            staff: Some("lan".into()),
        });
        for e in [staffed, finished] {
            let json = serde_json::to_string(&outward(&e)).unwrap();
            assert!(!json.contains("lan") && !json.contains("Lan"), "{json}");
        }
        // Everything else is kept as it was.
        let issued = ev(EventBody::TicketIssued { ticket: 7, number: "A001".into(), service: "s".into(), priority: None, seq: 1 });
        assert_eq!(outward(&issued), issued);
    }
}

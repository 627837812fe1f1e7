//! What leaves a centre: its events without the people in them. Staff logins and names stay
//! on the centre's own store; the province counts tickets, times and ratings, never who served.
use crate::event::{Event, EventBody};

/// Every field that leaves a centre, by event type (the README lists them): the envelope
/// (`id`, `at`, `day`, `type`) and each type's own. A field added to an event that is not here
/// fails this module's test until someone decides whether the province may see it.
pub const FIELDS_LEAVING: &[(&str, &[&str])] = &[
    ("day_started", &[]),
    // `booked`: the booking's code (the hub made it) and where the ticket ranks.
    ("ticket_issued", &["ticket", "number", "service", "priority", "seq", "key", "booked"]),
    ("ticket_called", &["ticket", "number", "service", "counter", "counter_number"]),
    ("ticket_recalled", &["ticket", "number", "counter", "counter_number"]),
    ("ticket_no_show", &["ticket", "number", "counter"]),
    ("ticket_restored", &["ticket", "number", "service"]),
    ("ticket_finished", &["ticket", "number", "service", "counter", "service_s"]),
    ("ticket_transferred", &["ticket", "number", "from_service", "service", "from_counter", "to_counter"]),
    ("counter_paused", &["counter"]),
    ("counter_resumed", &["counter"]),
    ("counter_staffed", &["counter"]),
    ("device_reported", &["device", "problem", "message"]),
    ("help_asked", &["device", "screen"]),
    ("help_answered", &["device"]),
    ("help_withdrawn", &["device"]),
    ("ticket_reprint_requested", &["ticket", "number", "service", "priority", "issued_at", "device", "key"]),
    ("ticket_rated", &["ticket", "number", "service", "counter", "rating", "dossier"]),
    // The dossier's receipt code: the province counts ratings per dossier (DOMAIN.md).
    ("dossier_linked", &["ticket", "number", "dossier", "counter"]),
    // The nine criteria's points: the province's service index counts them per dossier.
    ("dossier_evaluated", &["dossier", "scores", "device"]),
    ("settings_changed", &["version"]),
    ("catalogue_replaced", &["procedures"]),
    // `carried` holds whole tickets: their ticket, number, service, priority, issued_at, key and
    // booked.
    ("clock_stepped", &["from", "to", "carried", "series"]),
];

/// The event as the hub may see it.
pub fn outward(e: &Event) -> Event {
    let mut e = e.clone();
    match &mut e.body {
        EventBody::TicketCalled { staff, .. }
        | EventBody::TicketNoShow { staff, .. }
        | EventBody::TicketFinished { staff, .. }
        | EventBody::TicketRated { staff, .. }
        | EventBody::DossierLinked { staff, .. } => *staff = None,
        EventBody::CounterStaffed { staff, staff_name, .. } | EventBody::HelpAnswered { staff, staff_name, .. } => {
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
        let answered =
            ev(EventBody::HelpAnswered {
                device: "kiosk-1".into(), staff: Some("lan".into()), staff_name: Some("Nguyễn Thị Lan".into())
            });
        for e in [staffed, finished, answered] {
            let json = serde_json::to_string(&outward(&e)).unwrap();
            assert!(!json.contains("lan") && !json.contains("Lan"), "{json}");
        }
        // Everything else is kept as it was.
        let issued = ev(EventBody::TicketIssued {
            ticket: 7,
            number: "A001".into(),
            service: "s".into(),
            priority: None,
            seq: 1,
            key: None,
            booked: None,
        });
        assert_eq!(outward(&issued), issued);
    }

    /// One event of every type with every optional field filled, staff included.
    fn every_kind() -> Vec<Event> {
        let s = || Some("lan".to_owned());
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap();
        let (t, n, sv, c) = (1, || "A001".to_owned(), || "civil".to_owned(), || "c1".to_owned());
        [
            EventBody::DayStarted,
            EventBody::TicketIssued {
                ticket: t,
                number: n(),
                service: sv(),
                priority: Some("elderly".into()),
                seq: 1,
                key: Some("Zq3xT0b9LmWk2RcA".into()),
                booked: Some(crate::event::Booked { code: "K7QXM2PA".into(), ranks_at: at }),
            },
            EventBody::TicketCalled { ticket: t, number: n(), service: sv(), counter: c(), counter_number: 1, staff: s() },
            EventBody::TicketRecalled { ticket: t, number: n(), counter: c(), counter_number: 1 },
            EventBody::TicketNoShow { ticket: t, number: n(), counter: c(), staff: s() },
            EventBody::TicketRestored { ticket: t, number: n(), service: sv() },
            EventBody::TicketFinished { ticket: t, number: n(), service: sv(), counter: c(), service_s: 60, staff: s() },
            EventBody::TicketTransferred {
                ticket: t,
                number: n(),
                from_service: sv(),
                service: "land".into(),
                from_counter: c(),
                to_counter: Some("c2".into()),
            },
            EventBody::CounterPaused { counter: c() },
            EventBody::CounterResumed { counter: c() },
            EventBody::CounterStaffed { counter: c(), staff: s(), staff_name: Some("Nguyễn Thị Lan".into()) },
            EventBody::DeviceReported { device: "kiosk-1".into(), problem: Some("paper_end".into()), message: Some("out of paper".into()) },
            EventBody::HelpAsked { device: "kiosk-1".into(), screen: crate::wire::HelpScreen::Ticket },
            EventBody::HelpAnswered { device: "kiosk-1".into(), staff: s(), staff_name: Some("Nguyễn Thị Lan".into()) },
            EventBody::HelpWithdrawn { device: "kiosk-1".into() },
            EventBody::TicketReprintRequested {
                ticket: t,
                number: n(),
                service: sv(),
                priority: Some("elderly".into()),
                issued_at: at,
                device: Some("kiosk-1".into()),
                key: Some("Zq3xT0b9LmWk2RcA".into()),
            },
            EventBody::TicketRated {
                ticket: t,
                number: n(),
                service: sv(),
                counter: c(),
                staff: s(),
                rating: crate::event::Rating::Satisfied,
                dossier: Some("000.00.06.H56-231027-0361".into()),
            },
            EventBody::DossierLinked { ticket: t, number: n(), dossier: "000.00.06.H56-231027-0361".into(), counter: c(), staff: s() },
            EventBody::DossierEvaluated {
                dossier: "000.00.06.H56-231027-0361".into(),
                scores: crate::dossier::evaluation::Scores::new(&[2; 9]).unwrap(),
                device: Some("kiosk-1".into()),
            },
            EventBody::SettingsChanged { version: 2 },
            EventBody::ClockStepped {
                from: at,
                to: at + chrono::Duration::hours(15),
                carried: vec![crate::event::CarriedTicket {
                    ticket: t,
                    number: n(),
                    service: sv(),
                    priority: Some("elderly".into()),
                    issued_at: at,
                    key: Some("Zq3xT0b9LmWk2RcA".into()),
                    booked: Some(crate::event::Booked { code: "K7QXM2PA".into(), ranks_at: at }),
                }],
                series: [("civil".to_owned(), 7)].into(),
            },
            EventBody::CatalogueReplaced { procedures: 2929 },
        ]
        .into_iter()
        .map(ev)
        .collect()
    }

    /// Proves the list of what leaves a centre is the truth: every field every event type sends
    /// is on it, and nothing on it is missing from the events (a type or field renamed).
    #[test]
    fn every_field_that_leaves_is_listed() {
        let events = every_kind();
        assert_eq!(events.len(), FIELDS_LEAVING.len(), "an event type without its line in FIELDS_LEAVING");
        for e in events {
            let json = serde_json::to_value(outward(&e)).unwrap();
            let map = json.as_object().unwrap();
            let kind = map["type"].as_str().unwrap();
            let listed = FIELDS_LEAVING.iter().find(|(k, _)| *k == kind).unwrap_or_else(|| panic!("{kind} not listed")).1;
            let mut sent: Vec<&str> = map.keys().map(String::as_str).filter(|k| !["id", "at", "day", "type"].contains(k)).collect();
            sent.sort_unstable();
            let mut want = listed.to_vec();
            want.sort_unstable();
            assert_eq!(sent, want, "{kind}");
        }
    }
}

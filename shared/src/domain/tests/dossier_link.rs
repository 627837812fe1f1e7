//! Linking a visit to the dossier it became: each test names what it proves.
use super::*;
use crate::event::Rating;

fn link(n: &str, code: &str) -> Command {
    Command::LinkDossier { ticket: TicketRef::Number(n.into()), dossier: code.into(), only_at: vec![] }
}

const CODE: &str = "000.00.06.H56-231027-0361";

/// Requirement: the officer links the visit they serve to its receipt code (typed any case, with
/// spaces); the rating made after carries the dossier; the engine's state keeps the link.
#[test]
fn a_linked_visit_rates_for_its_dossier() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    staff(&mut e, "1", Some("lan"), at(8, 0));
    call_next(&mut e, "1", at(8, 1));
    let out = e.execute(&link("A001", " 000.00.06.h56-231027-0361\n"), at(8, 3)).unwrap();
    assert_eq!(
        out.events[0].body,
        EventBody::DossierLinked { ticket: 2, number: "A001".into(), dossier: CODE.into(), counter: "1".into(), staff: Some("lan".into()) }
    );
    assert_eq!(out.ticket.map(|t| t.number).as_deref(), Some("A001"));
    let again = e.execute(&link("A001", CODE), at(8, 4)).unwrap();
    assert!(again.events.is_empty(), "the same code again is nothing new");
    assert_eq!(again.ticket.map(|t| t.number).as_deref(), Some("A001"), "and still answers with its ticket");
    e.execute(&Command::Finish { counter: "1".into() }, at(8, 6)).unwrap();
    let rated = e
        .execute(&Command::Rate { ticket: TicketRef::Number("A001".into()), rating: Rating::Satisfied, only_at: vec![] }, at(8, 7))
        .unwrap();
    assert!(matches!(&rated.events[0].body, EventBody::TicketRated { dossier: Some(d), .. } if d == CODE), "{:?}", rated.events);
    // Kept by `apply`, the one a replay of the log runs too.
    assert_eq!(e.find(&TicketRef::Number("A001".into())).unwrap().dossier.as_deref(), Some(CODE));
}

/// Failure proved: a code out of shape, a visit not yet called, a visit ended past the window,
/// a caller of another counter, and a dossier already linked to another visit are refused, each
/// with its reason, and nothing is written.
#[test]
fn a_link_is_refused_when_it_cannot_be_the_visits() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 0));
    assert!(matches!(e.execute(&link("A001", "000.00.06.H56-2310"), at(8, 1)), Err(DomainError::BadReceiptCode { .. })));
    assert!(matches!(e.execute(&link("A001", CODE), at(8, 1)), Err(DomainError::NotServed(_))), "not called yet");
    call_next(&mut e, "1", at(8, 2));
    let other_counter = Command::LinkDossier { ticket: TicketRef::Number("A001".into()), dossier: CODE.into(), only_at: vec!["2".into()] };
    assert!(matches!(e.execute(&other_counter, at(8, 3)), Err(DomainError::NotServedHere { .. })));
    e.execute(&link("A001", CODE), at(8, 3)).unwrap();
    call_next(&mut e, "1", at(8, 5)); // finishes A001, calls A002
    let taken = e.execute(&link("A002", CODE), at(8, 6));
    assert!(matches!(&taken, Err(DomainError::DossierTaken { number, .. }) if number == "A001"), "one dossier, one visit: {taken:?}");
    // A correction of A001 frees its first code.
    e.execute(&link("A001", "000.00.06.H56-231027-0362"), at(8, 7)).unwrap();
    e.execute(&link("A002", CODE), at(8, 8)).unwrap();
    e.execute(&Command::Finish { counter: "1".into() }, at(8, 9)).unwrap();
    let late = e.execute(&link("A002", "000.00.06.H56-231027-0363"), at(8, 20));
    assert!(matches!(late, Err(DomainError::LinkClosed { window_min: 10, .. })), "{late:?}");
}

//! The citizen's evaluation of a finished dossier: each test names what it proves.
use super::*;
use crate::dossier::evaluation::Scores;

const CODE: &str = "000.00.06.H56-231027-0361";

fn evaluate(code: &str, stored_at: Option<DateTime<Utc>>) -> Command {
    let scores = Scores::new(&[2, 2, 1, 2, 2, 2, 2, 2, 1]).unwrap();
    Command::EvaluateDossier { dossier: code.into(), scores, device: Some("kiosk-1".into()), stored_at }
}

/// Requirement: an evaluation of a real code (typed any case, with a scanner's line end) is
/// recorded with its nine scores and the device; no ticket is needed (the dossier was received
/// on another day, perhaps at another centre).
#[test]
fn an_evaluation_is_recorded_without_a_ticket() {
    let mut e = engine();
    let out = e.execute(&evaluate(" 000.00.06.h56-231027-0361\r\n", None), at(9, 0)).unwrap();
    let body = &out.events.last().unwrap().body;
    match body {
        EventBody::DossierEvaluated { dossier, scores, device } => {
            assert_eq!((dossier.as_str(), scores.points(), device.as_deref()), (CODE, 16, Some("kiosk-1")));
        }
        other => panic!("{other:?}"),
    }
    assert!(out.ticket.is_none());
}

/// Failure proved: a second evaluation of the same dossier is refused, whether the first is in
/// the engine (this batch, or a day before: the set outlives the day) or only in the store
/// (`stored_at`), with the day it was given; a bad code is refused with its reason. Nothing is
/// written for a refusal.
#[test]
fn a_dossier_is_evaluated_once_and_a_bad_code_is_refused() {
    let mut e = engine();
    e.execute(&evaluate(CODE, None), at(9, 0)).unwrap();
    let again = e.execute(&evaluate(CODE, None), at(9, 5)).unwrap_err();
    assert_eq!(again.code(), "already_evaluated");
    assert_eq!(again.to_string(), format!("dossier {CODE} was evaluated on 23/11/2026: a dossier is evaluated once"));
    // The next day: the queue's tickets are gone, the evaluation is remembered.
    let next_day = at(9, 0) + Duration::days(1);
    assert_eq!(e.execute(&evaluate(CODE, None), next_day).unwrap_err().code(), "already_evaluated");
    // Evaluated before the engine's replay began: only the store knows, and says when.
    let other = "000.00.06.H56-231027-0362";
    let long_ago = at(9, 0) - Duration::days(40);
    let stored = e.execute(&evaluate(other, Some(long_ago)), next_day).unwrap_err();
    assert_eq!(stored.to_string(), format!("dossier {other} was evaluated on 14/10/2026: a dossier is evaluated once"));
    let bad = e.execute(&evaluate("H56-2310-0361", None), next_day).unwrap_err();
    assert_eq!(bad.code(), "bad_receipt_code");
    assert!(bad.to_string().contains("H56-2310-0361"), "{bad}");
    // The day turned with the refused commands; that is all that was written.
    let turned = e.execute(&Command::Tick, next_day).unwrap();
    assert!(turned.events.iter().all(|ev| ev.body == EventBody::DayStarted), "{:?}", turned.events);
}

/// Requirement: a replay of the log rebuilds what the engine knows: the same `apply`.
#[test]
fn a_replayed_evaluation_is_remembered() {
    let mut first = engine();
    let out = first.execute(&evaluate(CODE, None), at(9, 0)).unwrap();
    let mut second = engine();
    second.replay(out.events.iter());
    assert_eq!(second.execute(&evaluate(CODE, None), at(10, 0)).unwrap_err().code(), "already_evaluated");
}

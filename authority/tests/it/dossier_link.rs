//! Linking a visit to its dossier over real sockets, with the typed client: the officer links the
//! ticket they serve by its receipt code, the rating then carries the dossier, and the refusals
//! (a code out of shape, a dossier already linked, another counter's visit) say why.
use shared::client::{CounterAction, StreamItem};
use shared::event::{Event, EventBody};
use shared::wire::ErrorCode;
use testkit::*;

const CODE: &str = "000.00.06.H56-231027-0361";

#[tokio::test]
async fn a_visit_is_linked_to_its_dossier_and_its_rating_counts_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let (kiosk, staff, keypad1) = (s.client(KIOSK), s.client(COUNTER), s.client(COUNTER1));
    let first = kiosk.issue("civil", None).await.unwrap();
    let second = kiosk.issue("civil", None).await.unwrap();
    staff.call_next("1").await.unwrap();

    let linked = staff.link_dossier(&first.number, "000.00.06.h56-231027-0361 ").await.unwrap();
    assert_eq!((linked.number.as_str(), linked.dossier.as_str()), (first.number.as_str(), CODE), "stored as it reads");
    assert_eq!(staff.link_dossier(&first.id.to_string(), CODE).await.unwrap(), linked, "by id, the same link again");

    let bad = staff.link_dossier(&first.number, "H56-2310").await.unwrap_err();
    assert_eq!((bad.status(), bad.code()), (Some(422), Some(&ErrorCode::BadReceiptCode)), "{bad}");
    let not_called = staff.link_dossier(&second.number, "000.00.06.H56-231027-0362").await.unwrap_err();
    assert_eq!((not_called.status(), not_called.code()), (Some(409), Some(&ErrorCode::NotServed)), "{not_called}");

    // The visit ends; the rating tablet rates it: the rating carries the dossier.
    staff.counter_action("1", CounterAction::CallNext).await.unwrap();
    let res = s
        .http()
        .post(s.api(&format!("/tickets/{}/rating", first.id)))
        .bearer_auth(COUNTER1)
        .json(&serde_json::json!({"rating": "satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mut stream = staff.events(Some(0)).await.unwrap();
    let rated = loop {
        let item = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        if let StreamItem::Event(Event { body: EventBody::TicketRated { dossier, .. }, .. }) = item {
            break dossier;
        }
    };
    assert_eq!(rated.as_deref(), Some(CODE));

    // One dossier, one visit: the second visit cannot take the first's code.
    let taken = keypad1.link_dossier(&second.number, CODE).await.unwrap_err();
    assert_eq!((taken.status(), taken.code()), (Some(409), Some(&ErrorCode::DossierTaken)), "{taken}");
    s.stop().await;
}

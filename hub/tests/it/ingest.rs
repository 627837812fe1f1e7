//! Ingest: the hub's figures equal the centre's own report exactly, whatever the batching
//! (resent, overlapping, a ticket's events split across pushes); refusals store nothing.
use crate::support::*;
use crate::tickets::*;
use serde_json::Value;

/// Proves two centres' figures, pushed in batches that split tickets' events apart, equal each
/// centre's own report figure by figure, and the province total folds all tickets at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_equal_the_centres_own_report() {
    let (_pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(3, 40, 1, chrono::Duration::zero());
    let b = days_of_tickets(2, 25, 2, chrono::Duration::zero());
    for chunk in a.chunks(37) {
        hub.push_ok(CENTRE_A, TOKEN_A, chunk).await;
    }
    let acked = hub.push_ok(CENTRE_B, TOKEN_B, &b).await;
    assert_eq!(acked, b.last().unwrap().id);
    let (from, to) = (date(23), date(25));
    let r = hub.report(from, to).await;
    assert_same(&of(&r, CENTRE_A).figures, &centre_total(&a, from, to));
    assert_same(&of(&r, CENTRE_B).figures, &centre_total(&b, from, to));
    assert_same(&r.total, &province_total(&[&a, &b], from, to));
    assert_eq!(of(&r, CENTRE_A).acked, a.last().unwrap().id);
    assert_eq!(r.total.busiest_hours.iter().sum::<u32>(), r.total.tickets_issued);
    assert_eq!(r.days.len(), 3);
    assert_eq!(r.days.iter().map(|d| d.tickets_issued).sum::<u32>(), r.total.tickets_issued);
    // A range of one day counts that day only.
    let one = hub.report(date(24), date(24)).await;
    assert_same(&of(&one, CENTRE_A).figures, &centre_total(&a, date(24), date(24)));
    // Shutdown is graceful (as on SIGTERM): the serve task ends cleanly.
    hub.stop().await;
}

/// Proves a batch sent again (the centre did not hear the answer) answers the same acked and
/// counts nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_batch_sent_again_changes_nothing() {
    let (pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(1, 30, 3, chrono::Duration::zero());
    let (first, rest) = a.split_at(a.len() / 2);
    hub.push_ok(CENTRE_A, TOKEN_A, first).await;
    let acked = hub.push_ok(CENTRE_A, TOKEN_A, rest).await;
    let before = hub.report(date(23), date(23)).await;
    assert_eq!(hub.push_ok(CENTRE_A, TOKEN_A, first).await, acked, "an old batch answers the current acked");
    assert_eq!(hub.push_ok(CENTRE_A, TOKEN_A, rest).await, acked);
    let after = hub.report(date(23), date(23)).await;
    assert_eq!(of(&before, CENTRE_A).figures, of(&after, CENTRE_A).figures);
    assert_same(&of(&after, CENTRE_A).figures, &centre_total(&a, date(23), date(23)));
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, a.len() as i64);
    let cursor: Value = hub
        .http
        .get(hub.url(&format!("/api/v1/centres/{CENTRE_A}/cursor")))
        .bearer_auth(TOKEN_A)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cursor["acked"], acked);
}

/// Proves batches that overlap (a retry after a partial answer) count every event once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_batches_count_once() {
    let (_pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(2, 30, 4, chrono::Duration::zero());
    let n = a.len();
    for (s, e) in [(0, n / 3), (n / 4, 2 * n / 3), (n / 2, n), (0, n)] {
        hub.push_ok(CENTRE_A, TOKEN_A, &a[s..e]).await;
    }
    let r = hub.report(date(23), date(24)).await;
    assert_same(&of(&r, CENTRE_A).figures, &centre_total(&a, date(23), date(24)));
}

/// Proves one centre's token cannot push for another (403 wrong_centre) and an unknown token
/// is 401; neither stores anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_and_unknown_tokens_store_nothing() {
    let (pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(1, 5, 5, chrono::Duration::zero());
    let (status, body) = hub.push(CENTRE_B, TOKEN_A, &a).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("wrong_centre")), "{body}");
    let (status, body) = hub.push(CENTRE_A, "no-such-token-000000000", &a).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")), "{body}");
    let r = hub.http.get(hub.url(&format!("/api/v1/centres/{CENTRE_B}/cursor"))).bearer_auth(TOKEN_A).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, 0);
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM visits").await, 0);
}

/// Proves a batch with one bad event is refused whole (400 with the reason) and one too large
/// (more than 5,000 events, or more than 16 MiB) is 413; nothing of either is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_batches_store_nothing() {
    let (pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(1, 5, 6, chrono::Duration::zero());
    let mut events: Vec<Value> = a.iter().map(|e| serde_json::to_value(e).unwrap()).collect();
    events.last_mut().unwrap()["type"] = "ticket_teleported".into();
    let post = |body: Value| hub.http.post(hub.url(&format!("/api/v1/centres/{CENTRE_A}/events"))).bearer_auth(TOKEN_A).json(&body).send();
    let r = post(serde_json::json!({ "events": events })).await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("ticket_teleported"), "{body}");
    let r = post(serde_json::json!({ "events": a, "extra": 1 })).await.unwrap();
    assert_eq!(r.status(), 400);

    let one = serde_json::to_value(&a[1]).unwrap();
    let many: Vec<Value> = (1..=5_001)
        .map(|i| {
            let mut e = one.clone();
            e["id"] = i.into();
            e
        })
        .collect();
    let r = post(serde_json::json!({ "events": many })).await.unwrap();
    assert_eq!(r.status(), 413);
    let mut big = one.clone();
    big["number"] = "x".repeat(17 * 1024 * 1024).into();
    let r = post(serde_json::json!({ "events": [big] })).await.unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_large");
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, 0);
    assert_eq!(count(&pg.url(), "SELECT acked FROM centres WHERE id = 'centre-a'").await, 0);
}

/// Proves a staff login or name sent by a centre that did not strip them is not stored at the
/// province, while the figures are still counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sent_by_a_centre_is_not_stored() {
    let (pg, hub) = Hub::fresh().await;
    let mut a = days_of_tickets(1, 8, 14, chrono::Duration::zero());
    for e in &mut a {
        match &mut e.body {
            shared::event::EventBody::TicketFinished { staff, .. } | shared::event::EventBody::TicketCalled { staff, .. } => {
                *staff = Some("lan".into())
            }
            shared::event::EventBody::CounterStaffed { staff, staff_name, .. } => {
                *staff = Some("lan".into());
                *staff_name = Some("Nguyễn Thị Lan".into());
            }
            _ => {}
        }
    }
    hub.push_ok(CENTRE_A, TOKEN_A, &a).await;
    let leaked = "SELECT count(*) FROM events WHERE body ? 'staff' OR body ? 'staff_name' OR body::text LIKE '%Nguyễn%'";
    assert_eq!(count(&pg.url(), leaked).await, 0);
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM visits WHERE first_staff IS NOT NULL OR finished_staff IS NOT NULL").await, 0);
    let r = hub.report(date(23), date(23)).await;
    assert_same(&of(&r, CENTRE_A).figures, &centre_total(&a, date(23), date(23)));
}

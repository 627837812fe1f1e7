//! Checking in a number booked on the province hub, over the API: the booking as the uplink
//! left it in the store, the ticket it gives and where it ranks, and each refusal by its code.
use chrono::Duration;
use shared::client::ClientError;
use shared::province::booking::qr_text;
use shared::store::Store;
use testkit::{TestServer, COUNTER, KIOSK};

/// A centre (its uplink names it `dai-tu`; no hub answers) holding two bookings, at 08:45.
async fn centre(dir: &std::path::Path) -> TestServer {
    let db = dir.join("q.db");
    Store::open(&db)
        .unwrap()
        .put_bookings(&[testkit::booking::monday("K7QXM2PA", "09:00-10:00"), testkit::booking::monday("W4Y9MP84", "13:00-14:00")])
        .unwrap();
    let uplink = "[uplink]\nurl = \"http://127.0.0.1:9\"\ncentre = \"dai-tu\"\ntoken = \"uplink-token-of-dai-tu\"\ncatalogue = false\n";
    let at = testkit::monday_9am() - Duration::minutes(15);
    TestServer::start_at(testkit::config::in_process(&db).raw(uplink).config(), at).await
}

fn refused(r: Result<shared::wire::TicketView, ClientError>) -> String {
    match r {
        Err(e) => e.code().map(|c| c.as_str().to_owned()).unwrap_or_else(|| format!("{e}")),
        Ok(t) => panic!("checked in as {}", t.number),
    }
}

/// Proves a booking checked in before its window gets a ticket that enters the queue at the
/// window's opening: behind the walk-in of 08:40, ahead of the one of 09:05, typed or scanned.
#[tokio::test]
async fn a_booking_checked_in_ranks_by_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let s = centre(dir.path()).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    let booked = kiosk.check_in("k7qx-m2pa").await.unwrap();
    assert_eq!((booked.number.as_str(), booked.waiting_ahead), ("A002", Some(1)));
    s.clock.advance(Duration::minutes(20));
    let late = kiosk.issue("civil", None).await.unwrap();
    assert_eq!(late.waiting_ahead, Some(2), "the 09:05 walk-in waits behind the booking");
    let counter = s.client(COUNTER);
    let mut called = Vec::new();
    for _ in 0..3 {
        called.push(counter.call_next("1").await.unwrap().unwrap().number);
    }
    assert_eq!(called, ["A001", "A002", "A003"]);
    s.stop().await;
}

/// Proves each refusal by its machine code, with nothing issued: a code this centre does not
/// hold, a QR code made for another centre, too early, used already, too late; and that the
/// scanned QR code of this centre checks in.
#[tokio::test]
async fn refusals_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let s = centre(dir.path()).await;
    let kiosk = s.client(KIOSK);
    assert_eq!(refused(kiosk.check_in("ZZZZ-ZZZZ").await), "booking_not_found");
    assert_eq!(refused(kiosk.check_in("hello").await), "booking_not_found");
    assert_eq!(refused(kiosk.check_in(&qr_text("pho-yen", "K7QXM2PA")).await), "booking_other_centre");
    assert_eq!(refused(kiosk.check_in("W4Y9MP84").await), "booking_too_early", "13:00 opens at 12:30");
    let t = kiosk.check_in(&qr_text("dai-tu", "K7QXM2PA")).await.unwrap();
    assert_eq!(t.number, "A001");
    assert_eq!(refused(kiosk.check_in("K7QXM2PA").await), "booking_used");
    s.clock.advance(Duration::hours(5) + Duration::minutes(31));
    assert_eq!(refused(kiosk.check_in("W4Y9MP84").await), "booking_too_late", "14:16");
    s.stop().await;
}

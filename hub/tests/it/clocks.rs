//! Clocks that disagree: a centre's figures come from its own clock (durations between its own
//! events); whether it is quiet comes from the hub's clock (when the hub last received).
use crate::support::*;
use crate::tickets::*;
use chrono::Duration;

/// Proves a centre whose clock runs 3 h ahead (its events dated in the hub's future) still gets
/// exactly its own figures, and is judged quiet by the hub's received time: not quiet just after
/// a push, quiet after an hour of silence in opening time although its last event is "later".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centre_three_hours_ahead_is_counted_by_its_own_clock() {
    let (_pg, hub) = Hub::fresh().await;
    // Monday's tickets, dated two days and three hours later: Wednesday from 10:30, after the
    // hub's "now" of Wednesday 10:00.
    let ahead = days_of_tickets(1, 30, 8, Duration::days(2) + Duration::hours(3));
    let right = days_of_tickets(1, 30, 8, Duration::zero());
    let b = days_of_tickets(1, 10, 9, Duration::zero());
    hub.push_ok(CENTRE_A, TOKEN_A, &ahead).await;
    hub.push_ok(CENTRE_B, TOKEN_B, &b).await;
    let r = hub.report(date(23), date(23)).await;
    let a = of(&r, CENTRE_A);
    assert_same(&a.figures, &centre_total(&ahead, date(23), date(23)));
    // Durations are the centre's own: the same as with a right clock.
    assert_same(&a.figures, &centre_total(&right, date(23), date(23)));
    assert!(a.last_event_at.unwrap() > wednesday_10am(), "the centre's clock is ahead");
    assert_eq!(a.last_received_at, Some(wednesday_10am()), "received by the hub's clock");
    assert!(!a.quiet && !of(&r, CENTRE_B).quiet);

    // An hour later, only B has pushed since: A is quiet though its last event is "later".
    hub.clock.advance(Duration::minutes(61));
    hub.push_ok(CENTRE_B, TOKEN_B, &b[..1]).await;
    let r = hub.report(date(23), date(23)).await;
    assert!(of(&r, CENTRE_A).last_event_at.unwrap() > wednesday_10am() + Duration::minutes(61));
    assert!(of(&r, CENTRE_A).quiet, "an hour without receiving anything while open");
    assert!(!of(&r, CENTRE_B).quiet);
}

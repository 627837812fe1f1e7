//! What a counter credential may do to tickets that are not its own: reprints (paper at the
//! kiosk) and restoring no-shows, with a credential of counter 1 (the keypad token of a display
//! Pi) as the attacker. In the in-process centre counter 1 serves civil (A), counter 2 civil,
//! land (B) and tax.

use authority::clock::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::config::in_process;
use testkit::{monday_9am, Centre, TestServer, ADMIN, COUNTER, COUNTER1, KIOSK};

async fn start_in(dir: &std::path::Path, more: impl FnOnce(Centre) -> Centre, at: chrono::DateTime<chrono::Utc>) -> TestServer {
    TestServer::start_at(more(in_process(&dir.join("q.db"))).config(), at).await
}

async fn issue(s: &TestServer, service: &str) -> String {
    let r = s.http().post(s.api("/tickets")).bearer_auth(KIOSK).json(&json!({"service": service})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned()
}

/// POSTs with no body; the status, `Retry-After` and body.
async fn post(s: &TestServer, token: &str, path: &str) -> (StatusCode, Option<u32>, Value) {
    let r = s.http().post(s.api(path)).bearer_auth(token).send().await.unwrap();
    let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (r.status(), retry, r.json().await.unwrap_or(Value::Null))
}

/// Calls ticket `number` at `counter`.
async fn call(s: &TestServer, token: &str, counter: &str, number: &str) -> StatusCode {
    let r = s.http().post(s.api(&format!("/counters/{counter}/call"))).bearer_auth(token).json(&json!({"number": number})).send().await;
    r.unwrap().status()
}

fn code(a: &(StatusCode, Option<u32>, Value)) -> (u16, &str) {
    (a.0.as_u16(), a.2["error"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn a_counter_credential_reprints_only_live_tickets_of_its_counters_and_only_a_few_times() {
    // Proves the paper drain is closed: counter 1's token cannot reprint a land ticket (403), no
    // one reprints a finished ticket (409 ticket_not_live), one ticket is reprinted at most 3
    // times a day and 30 s apart (429 with Retry-After), and those counts survive a restart
    // (the engine counts the log's ticket_reprint_requested events). Before, 100 reprints of
    // any ticket of the day in 0.2 s were all printed.
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), |c| c, monday_9am()).await;
    let a = issue(&s, "civil").await;
    let b = issue(&s, "land").await;
    assert_eq!(code(&post(&s, COUNTER1, &format!("/tickets/{b}/reprint")).await), (403, "forbidden"), "land is not counter 1's");
    assert_eq!(post(&s, COUNTER1, &format!("/tickets/{a}/reprint")).await.0, StatusCode::ACCEPTED);
    let again = post(&s, COUNTER1, &format!("/tickets/{a}/reprint")).await;
    assert_eq!((code(&again), again.1), ((429, "reprint_too_soon"), Some(30)), "{:?}", again.2);
    s.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(post(&s, COUNTER1, &format!("/tickets/{a}/reprint")).await.0, StatusCode::ACCEPTED);
    s.clock.advance(chrono::Duration::seconds(30));
    let now = s.clock.now();
    s.stop().await;

    // A restart forgets nothing: the third is the last.
    let s = start_in(dir.path(), |c| c, now).await;
    assert_eq!(post(&s, COUNTER, &format!("/tickets/{a}/reprint")).await.0, StatusCode::ACCEPTED);
    s.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(code(&post(&s, COUNTER1, &format!("/tickets/{a}/reprint")).await), (429, "reprint_limit_reached"));
    assert_eq!(code(&post(&s, ADMIN, &format!("/tickets/{a}/reprint")).await), (429, "reprint_limit_reached"), "admin too");

    // The administrator reprints any live ticket; nobody reprints one that is served.
    assert_eq!(post(&s, ADMIN, &format!("/tickets/{b}/reprint")).await.0, StatusCode::ACCEPTED);
    assert_eq!(call(&s, COUNTER, "2", &b).await, StatusCode::OK);
    assert_eq!(post(&s, COUNTER, "/counters/2/finish").await.0, StatusCode::OK);
    s.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(code(&post(&s, ADMIN, &format!("/tickets/{b}/reprint")).await), (409, "ticket_not_live"));
    s.stop().await;
}

#[tokio::test]
async fn reprints_stop_at_the_centres_daily_limit() {
    // Proves the limit of the whole day: with reprints_per_day = 2, a third ticket's first
    // reprint is refused (429 reprint_limit_reached), whoever asks.
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), |c| c.console("reprints_per_day", "2"), monday_9am()).await;
    let tickets = [issue(&s, "civil").await, issue(&s, "civil").await, issue(&s, "civil").await];
    assert_eq!(post(&s, COUNTER1, &format!("/tickets/{}/reprint", tickets[0])).await.0, StatusCode::ACCEPTED);
    assert_eq!(post(&s, COUNTER1, &format!("/tickets/{}/reprint", tickets[1])).await.0, StatusCode::ACCEPTED);
    let third = post(&s, ADMIN, &format!("/tickets/{}/reprint", tickets[2])).await;
    assert_eq!(code(&third), (429, "reprint_limit_reached"), "{:?}", third.2);
    s.stop().await;
}

#[tokio::test]
async fn a_counter_credential_restores_only_no_shows_of_its_counters() {
    // Proves restore is scoped as call and finish are: a land no-show of counter 2 cannot be
    // brought back by counter 1's token (403 forbidden); counter 2's staff can, and counter 1
    // brings back its own civil no-show. Before, any counter credential restored any no-show.
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), |c| c, monday_9am()).await;
    let b = issue(&s, "land").await;
    assert_eq!(call(&s, COUNTER, "2", &b).await, StatusCode::OK);
    assert_eq!(post(&s, COUNTER, "/counters/2/no-show").await.0, StatusCode::OK);
    assert_eq!(code(&post(&s, COUNTER1, &format!("/tickets/{b}/restore")).await), (403, "forbidden"));
    let back = post(&s, COUNTER, &format!("/tickets/{b}/restore")).await;
    assert_eq!((back.0, back.2["state"].as_str()), (StatusCode::OK, Some("waiting")), "{:?}", back.2);

    let a = issue(&s, "civil").await;
    assert_eq!(call(&s, COUNTER1, "1", &a).await, StatusCode::OK);
    assert_eq!(post(&s, COUNTER1, "/counters/1/no-show").await.0, StatusCode::OK);
    assert_eq!(post(&s, COUNTER1, &format!("/tickets/{a}/restore")).await.0, StatusCode::OK);
    s.stop().await;
}

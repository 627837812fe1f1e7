//! Reports checked against a day of tickets whose figures this test works out on its own, from
//! what it did and when (not from the server's events): a seeded random day over real HTTP.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use testkit::browser::{create_account, Browser, PASSWORD};
use testkit::{TestServer, ADMIN, KIOSK};

/// What the test knows of a ticket from its own actions.
#[derive(Default, Clone)]
struct Known {
    service: String,
    issued: i64,
    first_call: Option<(i64, String)>,
    finished: Option<(i64, String)>,
    no_show: bool,
    rating: Option<&'static str>,
}

/// A small deterministic generator (the day must be the same on every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn stats(v: &mut [i64]) -> Option<(f64, f64, f64)> {
    if v.is_empty() {
        return None;
    }
    v.sort();
    let n = v.len();
    let mean = v.iter().sum::<i64>() as f64 / n as f64;
    let median = if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 };
    let rank = ((n as f64 * 0.9).ceil() as usize).max(1);
    Some(((mean * 10.0).round() / 10.0, median, v[rank - 1] as f64))
}

fn check(row: &Value, waits: &mut Vec<i64>, services: &mut Vec<i64>, what: &str) {
    for (key, v) in [("wait_s", waits), ("service_s", services)] {
        match stats(v) {
            None => assert!(row[key].is_null(), "{what} {key}: {row}"),
            Some((mean, median, p90)) => {
                assert_eq!(row[key]["count"], v.len(), "{what} {key}");
                assert_eq!(row[key]["mean"].as_f64().unwrap(), mean, "{what} {key} mean");
                assert_eq!(row[key]["median"].as_f64().unwrap(), median, "{what} {key} median");
                assert_eq!(row[key]["p90"].as_f64().unwrap(), p90, "{what} {key} p90");
            }
        }
    }
}

#[tokio::test]
async fn a_days_report_by_service_and_by_staff_matches_the_figures_worked_out_here() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    create_account(&s, "lan", "staff", &["1"]).await;
    create_account(&s, "minh", "staff", &["2"]).await;
    let mut desks = Vec::new();
    for (login, counter) in [("lan", "1"), ("minh", "2")] {
        let mut b = Browser::new(&s);
        b.sign_in(login, PASSWORD).await;
        assert_eq!(b.post(&format!("/counters/{counter}/staff"), json!({})).await.0, StatusCode::OK);
        desks.push((login, counter, b));
    }
    let start = s.clock.now_secs();
    let mut known: BTreeMap<u64, Known> = BTreeMap::new();
    let mut current: BTreeMap<&str, u64> = BTreeMap::new();
    let mut rng = Lcg(2026);
    for _ in 0..160 {
        s.clock.advance(chrono::Duration::seconds(20 + rng.next(100) as i64));
        let now = s.clock.now_secs() - start;
        match rng.next(10) {
            0..=3 => {
                let service = if rng.next(3) == 0 { "land" } else { "civil" };
                let r = s.http().post(s.api("/tickets")).bearer_auth(KIOSK).json(&json!({"service": service})).send().await.unwrap();
                if r.status() == StatusCode::CREATED {
                    let t: Value = r.json().await.unwrap();
                    known.insert(t["id"].as_u64().unwrap(), Known { service: service.into(), issued: now, ..Known::default() });
                }
            }
            4..=6 => {
                // Call next: the visit in progress at that desk ends, the next is called.
                let (login, counter, b) = &desks[rng.next(2) as usize];
                let (st, t) = b.post(&format!("/counters/{counter}/call-next"), json!({})).await;
                if let Some(prev) = current.remove(counter) {
                    known.get_mut(&prev).unwrap().finished = Some((now, login.to_string()));
                }
                if st == StatusCode::OK {
                    let id = t["id"].as_u64().unwrap();
                    let k = known.get_mut(&id).unwrap();
                    k.first_call.get_or_insert((now, login.to_string()));
                    current.insert(counter, id);
                }
            }
            7 => {
                let (_, counter, b) = &desks[rng.next(2) as usize];
                if let Some(id) = current.remove(counter) {
                    assert_eq!(b.post(&format!("/counters/{counter}/no-show"), json!({})).await.0, StatusCode::OK);
                    known.get_mut(&id).unwrap().no_show = true;
                }
            }
            _ => {
                // Rate the last finished, unrated visit (the device rates within minutes).
                let last = known.iter().filter(|(_, k)| k.finished.is_some() && k.rating.is_none()).map(|(id, _)| *id).max();
                if let Some(id) = last {
                    let done = known[&id].finished.as_ref().unwrap().0;
                    let rating = ["very_satisfied", "satisfied", "unsatisfied"][rng.next(3) as usize];
                    let r = s
                        .http()
                        .post(s.api(&format!("/tickets/{id}/rating")))
                        .bearer_auth(ADMIN)
                        .json(&json!({"rating": rating}))
                        .send()
                        .await
                        .unwrap();
                    if now - done <= 600 {
                        assert_eq!(r.status(), StatusCode::CREATED);
                        known.get_mut(&id).unwrap().rating = Some(rating);
                    } else {
                        assert_eq!(r.json::<Value>().await.unwrap()["error"], "rating_closed");
                    }
                }
            }
        }
    }
    assert!(known.len() > 40 && known.values().filter(|k| k.finished.is_some()).count() > 20, "a real day's worth");
    assert!(known.values().any(|k| k.no_show) && known.values().filter(|k| k.rating.is_some()).count() > 5, "no-shows and ratings happen");

    let mut boss_browser = Browser::new(&s);
    create_account(&s, "boss", "admin", &[]).await;
    boss_browser.sign_in("boss", PASSWORD).await;
    let day = "2026-11-23";
    for service in ["civil", "land"] {
        let (st, report) = boss_browser.get(&format!("/reports?from={day}&to={day}&by=service")).await;
        assert_eq!(st, StatusCode::OK, "{report}");
        let row = report["rows"].as_array().unwrap().iter().find(|r| r["key"] == service).unwrap().clone();
        let mine: Vec<&Known> = known.values().filter(|k| k.service == service).collect();
        assert_eq!(row["issued"], mine.len(), "{service} issued");
        assert_eq!(row["served"], mine.iter().filter(|k| k.finished.is_some()).count(), "{service} served");
        assert_eq!(row["no_show"], mine.iter().filter(|k| k.no_show).count(), "{service} no-shows");
        let mut waits: Vec<i64> = mine.iter().filter_map(|k| k.first_call.as_ref().map(|c| c.0 - k.issued)).collect();
        let mut services: Vec<i64> = mine.iter().filter_map(|k| Some(k.finished.as_ref()?.0 - k.first_call.as_ref()?.0)).collect();
        check(&row, &mut waits, &mut services, service);
        for (r, key) in [("very_satisfied", "very_satisfied"), ("satisfied", "satisfied"), ("unsatisfied", "unsatisfied")] {
            assert_eq!(row["ratings"][key], mine.iter().filter(|k| k.rating == Some(r)).count(), "{service} {r}");
        }
    }
    let (_, report) = boss_browser.get(&format!("/reports?from={day}&to={day}&by=staff")).await;
    for login in ["lan", "minh"] {
        let row = report["rows"].as_array().unwrap().iter().find(|r| r["key"] == login).unwrap().clone();
        assert_eq!(row["name"], format!("Cán bộ {login}"));
        let served: Vec<&Known> = known.values().filter(|k| k.finished.as_ref().is_some_and(|f| f.1 == login)).collect();
        assert_eq!(row["served"], served.len(), "{login} served");
        let mut waits: Vec<i64> = known
            .values()
            .filter(|k| k.first_call.as_ref().is_some_and(|c| c.1 == login))
            .map(|k| k.first_call.as_ref().unwrap().0 - k.issued)
            .collect();
        let mut services: Vec<i64> = served.iter().map(|k| k.finished.as_ref().unwrap().0 - k.first_call.as_ref().unwrap().0).collect();
        check(&row, &mut waits, &mut services, login);
    }
    // The CSV carries the same totals, and only an administrator may read it.
    let csv = s.http().get(s.api(&format!("/reports.csv?from={day}&to={day}&by=service"))).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(csv.headers()["content-disposition"], "attachment; filename=\"bao-cao-2026-11-23_2026-11-23-service.csv\"");
    let text = csv.text().await.unwrap();
    let total = text.lines().find(|l| l.starts_with("total,")).unwrap();
    let cells: Vec<&str> = total.split(',').collect();
    assert_eq!(cells[2], known.len().to_string());
    assert_eq!(cells[3], known.values().filter(|k| k.finished.is_some()).count().to_string());
    let r = s.http().get(s.api(&format!("/reports?from={day}&to={day}"))).bearer_auth(KIOSK).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bad ranges are refused plainly.
    for q in [
        "from=2026-11-23&to=2026-11-22",
        "from=2025-01-01&to=2026-11-23",
        "from=yesterday&to=today",
        "from=2026-11-23&to=2026-11-23&by=colour",
    ] {
        let (st, err) = boss_browser.get(&format!("/reports?{q}")).await;
        assert_eq!((st, err["error"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")), "{q}");
    }
}

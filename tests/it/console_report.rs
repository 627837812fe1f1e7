//! The report page against a day of tickets whose figures this test works out itself.
//!
//! The authority runs in this process on a manual clock (the real server code, `authority::run`,
//! on 127.0.0.1; Chromium is the other process), so the day can last hours: waits and visits of
//! several minutes, as at a real counter, which make the minutes in the table mean something.
//! The test keeps its own record of what it did and when (issues, calls, no-shows, transfers,
//! finishes, ratings, with the staff member at each counter), computes each group's figures
//! from that record by the report's documented rules (mean, median, nearest-rank P90, %
//! satisfied), and compares them with the cells of the page's table, for every grouping; the
//! charts must carry the same numbers.

use crate::browser::*;
use authority::clock::ManualClock;
use chrono::{TimeZone, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What happened to one ticket, as this test did it.
#[derive(Clone, Default)]
struct Visit {
    issued_service: String,
    service: String,
    issued: i64,
    /// (seconds, counter, staff) of the first call and of the finish.
    first_call: Option<(i64, String, Option<String>)>,
    finish: Option<(i64, String, Option<String>)>,
    no_show: bool,
    transfers: u32,
    rating: Option<&'static str>,
}

/// The day as this test drives it: a clock it moves, the tickets it took and what it did to
/// them, and who sits at which counter.
struct Day {
    api: Api,
    clock: Arc<ManualClock>,
    now: i64,
    visits: BTreeMap<String, Visit>,
    current: HashMap<String, String>,
    staff: HashMap<String, String>,
}

impl Day {
    fn at(&mut self, seconds: i64) {
        assert!(seconds >= self.now);
        self.clock.advance(chrono::Duration::seconds(seconds - self.now));
        self.now = seconds;
    }
    fn who(&self, counter: &str) -> Option<String> {
        self.staff.get(counter).cloned()
    }
    async fn issue(&mut self, service: &str, priority: Option<&str>) -> String {
        let t = self.api.issue(service, priority).await;
        let n = t["number"].as_str().unwrap().to_owned();
        self.visits
            .insert(n.clone(), Visit { issued_service: service.into(), service: service.into(), issued: self.now, ..Visit::default() });
        n
    }
    fn end_current(&mut self, counter: &str) {
        if let Some(n) = self.current.remove(counter) {
            let who = self.who(counter);
            self.visits.get_mut(&n).unwrap().finish = Some((self.now, counter.into(), who));
        }
    }
    async fn post(&self, path: &str, body: Value) -> Value {
        let (s, v) = self.api.admin(Method::POST, path, Some(body)).await;
        assert!(s.is_success(), "{path}: {s} {v}");
        v
    }
    async fn call_next(&mut self, counter: &str) -> String {
        let v = self.post(&format!("/counters/{counter}/call-next"), json!({})).await;
        self.end_current(counter);
        let n = v["number"].as_str().expect("somebody waits").to_owned();
        let (now, who) = (self.now, self.who(counter));
        let visit = self.visits.get_mut(&n).unwrap();
        visit.first_call.get_or_insert((now, counter.into(), who));
        visit.no_show = false;
        self.current.insert(counter.into(), n.clone());
        n
    }
    async fn finish(&mut self, counter: &str) {
        self.post(&format!("/counters/{counter}/finish"), json!({})).await;
        self.end_current(counter);
    }
    async fn no_show(&mut self, counter: &str) {
        self.post(&format!("/counters/{counter}/no-show"), json!({})).await;
        let n = self.current.remove(counter).unwrap();
        self.visits.get_mut(&n).unwrap().no_show = true;
    }
    async fn transfer(&mut self, counter: &str, service: &str) {
        self.post(&format!("/counters/{counter}/transfer"), json!({"service": service})).await;
        let n = self.current.remove(counter).unwrap();
        let v = self.visits.get_mut(&n).unwrap();
        v.service = service.into();
        v.transfers += 1;
    }
    async fn rate(&mut self, number: &str, rating: &'static str) {
        self.post(&format!("/tickets/{number}/rating"), json!({"rating": rating})).await;
        self.visits.get_mut(number).unwrap().rating = Some(rating);
    }
}

/// One group's figures, from the record.
#[derive(Default)]
struct Acc {
    issued: u32,
    served: u32,
    no_show: u32,
    transferred: u32,
    waits: Vec<i64>,
    services: Vec<i64>,
    ratings: [u32; 3],
}

impl Acc {
    fn end(&mut self, v: &Visit) {
        if let Some((t, _, _)) = &v.finish {
            self.served += 1;
            self.services.push(t - v.first_call.as_ref().unwrap().0);
        }
        if v.no_show {
            self.no_show += 1;
        }
        match v.rating {
            Some("very_satisfied") => self.ratings[0] += 1,
            Some("satisfied") => self.ratings[1] += 1,
            Some("unsatisfied") => self.ratings[2] += 1,
            _ => {}
        }
    }
}

/// The groups of a report by `by`, and the total. A ticket's issue, wait and transfers count
/// where it was issued (its first service, or the counter and staff member who first called
/// it); its outcome (served, no-show, service time, rating) where it ended.
fn groups(visits: &BTreeMap<String, Visit>, by: &str, day: &str) -> (BTreeMap<String, Acc>, Acc) {
    let mut g: BTreeMap<String, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    let staff = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    for v in visits.values() {
        let wait = v.first_call.as_ref().map(|c| c.0 - v.issued);
        total.issued += 1;
        total.transferred += v.transfers;
        total.waits.extend(wait);
        total.end(v);
        let (start, end): (Option<String>, Option<String>) = match by {
            "service" => (Some(v.issued_service.clone()), Some(v.service.clone())),
            "day" => (Some(day.into()), Some(day.into())),
            "counter" => (
                v.first_call.as_ref().map(|c| c.1.clone()),
                v.finish.as_ref().map(|f| f.1.clone()).or_else(|| v.first_call.as_ref().map(|c| c.1.clone())),
            ),
            "staff" => (
                v.first_call.as_ref().map(|c| staff(&c.2)),
                v.finish.as_ref().map(|f| staff(&f.2)).or_else(|| v.first_call.as_ref().map(|c| staff(&c.2))),
            ),
            _ => unreachable!(),
        };
        if matches!(by, "service" | "day") {
            g.entry(start.clone().unwrap()).or_default().issued += 1;
        }
        if let Some(k) = start {
            if let Some(w) = wait {
                g.entry(k.clone()).or_default().waits.push(w);
            }
            if v.transfers > 0 {
                g.entry(k).or_default().transferred += v.transfers;
            }
        }
        if let Some(k) = end {
            g.entry(k).or_default().end(v);
        }
    }
    (g, total)
}

fn mean(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| ((v.iter().sum::<i64>() as f64 / v.len() as f64) * 10.0).round() / 10.0)
}
fn median(v: &[i64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort();
    let n = s.len();
    (n > 0).then(|| if n % 2 == 1 { s[n / 2] as f64 } else { (s[n / 2 - 1] + s[n / 2]) as f64 / 2.0 })
}
fn p90(v: &[i64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort();
    let n = s.len();
    (n > 0).then(|| s[((0.9 * n as f64).ceil() as usize).clamp(1, n) - 1] as f64)
}
/// Seconds as the page shows minutes: one decimal, rounded half up, a decimal comma.
fn minutes(s: Option<f64>) -> String {
    match s {
        None => "—".into(),
        Some(s) => format!("{:.1}", ((s / 60.0) * 10.0).round() / 10.0).replace('.', ","),
    }
}

/// The cells the page must show for a group, in the table's column order.
fn expected(a: &Acc, issued: bool) -> Vec<(&'static str, String)> {
    let r = a.ratings;
    let total = r[0] + r[1] + r[2];
    vec![
        ("issued", if issued { a.issued.to_string() } else { "—".into() }),
        ("served", a.served.to_string()),
        ("no_show", a.no_show.to_string()),
        ("transferred", a.transferred.to_string()),
        ("wait_mean", minutes(mean(&a.waits))),
        ("wait_median", minutes(median(&a.waits))),
        ("wait_p90", minutes(p90(&a.waits))),
        ("service_mean", minutes(mean(&a.services))),
        ("service_median", minutes(median(&a.services))),
        ("service_p90", minutes(p90(&a.services))),
        ("very_satisfied", r[0].to_string()),
        ("satisfied", r[1].to_string()),
        ("unsatisfied", r[2].to_string()),
        ("pct", if total == 0 { "—".into() } else { format!("{} %", ((100.0 * (r[0] + r[1]) as f64) / total as f64).round()) }),
    ]
}

/// The page's table: key → (column → text).
async fn table(web: &Chrome) -> BTreeMap<String, BTreeMap<String, String>> {
    let v = web
        .js("return [...document.querySelectorAll('#report-table tr[data-key]')].map(r => [r.dataset.key, r.querySelector('th').textContent, [...r.querySelectorAll('td')].map(td => [td.dataset.col, td.textContent])])")
        .await;
    let mut out = BTreeMap::new();
    for row in v.as_array().unwrap() {
        let mut cells: BTreeMap<String, String> =
            row[2].as_array().unwrap().iter().map(|c| (c[0].as_str().unwrap().to_owned(), c[1].as_str().unwrap().to_owned())).collect();
        cells.insert("name".into(), row[1].as_str().unwrap().to_owned());
        out.insert(row[0].as_str().unwrap().to_owned(), cells);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn the_report_page_shows_the_figures_of_the_day_as_worked_out_independently() {
    let dir = tempfile::tempdir().unwrap();
    let config = testkit::config::console(dir.path(), &dir.path().join("queue.db")).config();
    // 08:00 in Hà Nội on a Monday.
    let start = chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap().with_timezone(&Utc);
    let served = testkit::TestServer::start_at(config, start).await;
    let (url, clock) = (served.url.clone(), served.clock.clone());
    let api = Api::new(&url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &[]).await;
    api.account("minh", "Trần Văn Minh", "staff", &[]).await;
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    api.take_counter("lan", "1").await;
    api.take_counter("minh", "3").await;

    let mut d = Day { api, clock, now: 0, visits: BTreeMap::new(), current: HashMap::new(), staff: HashMap::new() };
    d.staff.insert("1".into(), "lan".into());
    d.staff.insert("3".into(), "minh".into());
    // The day, second by second after 08:00. Counter 2 has nobody signed in.
    d.issue("civil", None).await;
    d.issue("land", None).await;
    d.issue("tax", None).await;
    d.at(60);
    d.issue("civil", Some("elderly")).await;
    d.at(300);
    assert_eq!(d.call_next("1").await, "A002", "the priority ticket first");
    d.at(720);
    assert_eq!(d.call_next("1").await, "A001");
    d.at(780);
    d.rate("A002", "very_satisfied").await;
    d.at(800);
    assert_eq!(d.call_next("3").await, "B001");
    d.at(1000);
    d.no_show("3").await;
    d.at(1100);
    assert_eq!(d.call_next("3").await, "C001");
    d.at(1500);
    d.finish("1").await;
    d.at(1530);
    d.rate("A001", "satisfied").await;
    d.at(1600);
    d.transfer("3", "land").await;
    d.at(1700);
    d.issue("civil", None).await;
    d.at(1800);
    assert_eq!(d.call_next("2").await, "A003");
    d.at(2400);
    d.finish("2").await;
    d.at(2410);
    d.rate("A003", "unsatisfied").await;
    d.at(2500);
    assert_eq!(d.call_next("1").await, "C001", "the transferred ticket, called at a counter serving land");
    d.at(3137);
    d.finish("1").await;
    d.at(3157);
    d.rate("C001", "very_satisfied").await;
    d.at(3200);
    d.issue("land", None).await;
    d.at(3300);
    d.issue("civil", Some("disability")).await;
    d.at(3345);
    assert_eq!(d.call_next("2").await, "A004");
    d.at(3700);
    d.finish("2").await;
    d.at(4000);

    let web = Chrome::start(&url, "report").await;
    web.sign_in("quantri", PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.click("#go-reports").await;
    web.wait("!document.querySelector('#report').hidden && document.querySelectorAll('#report-table tbody tr').length > 0", "the report")
        .await;
    assert_eq!(
        web.js("return [document.querySelector('#rep-from').value, document.querySelector('#rep-to').value]").await,
        json!(["2026-11-23", "2026-11-23"]),
        "today's service day by default"
    );

    let names: HashMap<&str, &str> = [
        ("civil", "Hộ tịch – Chứng thực"),
        ("land", "Đất đai"),
        ("tax", "Thuế"),
        ("1", "Quầy 1"),
        ("2", "Quầy 2"),
        ("3", "Quầy 3"),
        ("lan", "Nguyễn Thị Lan"),
        ("minh", "Trần Văn Minh"),
        ("-", "(chưa đăng nhập / not signed in)"),
        ("2026-11-23", "23/11/2026"),
    ]
    .into();
    for by in ["service", "counter", "staff", "day"] {
        web.c.find(fantoccini::Locator::Css("#rep-by")).await.unwrap().select_by_value(by).await.unwrap();
        web.wait(&format!("document.querySelector('#rep-caption').textContent.includes('theo ' + {:?}) && !document.querySelector('#rep-show').disabled", by_word(by)), &format!("the report by {by}")).await;
        let shown = table(&web).await;
        let (groups, total) = groups(&d.visits, by, "2026-11-23");
        let issued = matches!(by, "service" | "day");
        assert_eq!(shown.len(), groups.len() + 1, "by {by}: rows {:?}", shown.keys().collect::<Vec<_>>());
        for (key, acc) in groups.iter().map(|(k, a)| (k.as_str(), a)).chain([("total", &total)]) {
            let row = shown.get(key).unwrap_or_else(|| panic!("by {by}: no row {key} in {shown:?}"));
            let name = if key == "total" { "Tổng cộng" } else { names[key] };
            assert_eq!(row["name"], name, "by {by}, {key}");
            for (col, want) in expected(acc, issued || key == "total") {
                assert_eq!(row[col], want, "by {by}, row {key}, column {col}");
            }
        }
        // The charts carry the same figures: served per group, and the median wait.
        for (key, acc) in &groups {
            let bar = web.js_with("const b = document.querySelector(`#chart-served rect[data-key=\"${arguments[0]}\"].bar-served`); return b && Number(b.dataset.value)", vec![json!(key)]).await;
            assert_eq!(bar, json!(acc.served), "by {by}: the served bar of {key}");
            if let Some(m) = median(&acc.waits) {
                let bar = web.js_with("const b = document.querySelector(`#chart-wait rect[data-key=\"${arguments[0]}\"].bar-median`); return b && Number(b.dataset.value)", vec![json!(key)]).await;
                assert!((bar.as_f64().unwrap() - m / 60.0).abs() < 1e-9, "by {by}: the median bar of {key}: {bar}");
            }
        }
        if by == "service" {
            web.js("document.querySelector('#report').scrollIntoView(); return true").await;
            web.shot("report").await;
        }
    }

    // The CSV link gives the same rows for a spreadsheet.
    let href = web.js("return document.querySelector('#rep-csv').getAttribute('href')").await;
    assert_eq!(href, "/api/v1/reports.csv?from=2026-11-23&to=2026-11-23&by=day");
    let got = web
        .js("return fetch(document.querySelector('#rep-csv').href).then(async r => [r.status, r.headers.get('content-disposition'), Array.from(new Uint8Array(await r.arrayBuffer()))])")
        .await;
    assert_eq!(got[0], 200);
    assert_eq!(got[1], "attachment; filename=\"bao-cao-2026-11-23_2026-11-23-day.csv\"");
    let bytes: Vec<u8> = got[2].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    assert!(bytes.starts_with(&[0xef, 0xbb, 0xbf]), "a BOM so that Excel reads UTF-8");
    let csv = String::from_utf8(bytes).unwrap();
    assert_eq!(csv.lines().count(), 3, "a header, the day, the total: {csv}");

    // A range with nothing in it says so; a backwards range is refused before asking.
    // (A date field is typed in the browser's own order of day and month: set it directly.)
    web.js("document.querySelector('#rep-from').value = '2026-11-22'; document.querySelector('#rep-to').value = '2026-11-22'; return true")
        .await;
    web.click("#rep-show").await;
    web.wait("!document.querySelector('#rep-empty').hidden", "the empty report").await;
    web.js("document.querySelector('#rep-to').value = '2026-11-21'; return true").await;
    web.click("#rep-show").await;
    web.wait("document.querySelector('#msg').textContent.includes('Ngày kết thúc')", "the range refusal").await;
    web.close().await;
    served.stop().await;
}

fn by_word(by: &str) -> &'static str {
    match by {
        "service" => "dịch vụ",
        "counter" => "quầy",
        "staff" => "cán bộ",
        _ => "ngày",
    }
}

//! The province end to end: centres' queue authorities (in this process, on real sockets, each
//! on its own manual clock) push their logs through `[uplink]` to the `hub` binary over a
//! private PostgreSQL, and the province's figures are compared with each centre's own report.
//! The dashboard is then read in headless Chromium as the province's staff read it.
//!
//! The README's pictures of the dashboard come from the ignored test here:
//! `cargo build -p hub && cargo test -p e2e --test it province_screenshots -- --ignored` (the dashboard in
//! Vietnamese and English, and its dossier section per centre).
use crate::browser::Chrome;
use chrono::{Duration, NaiveDate};
use shared::client::{Client, CounterAction, HubClient};
use shared::province::{CentreFigures, EventBatch, ProvinceReport};
use shared::report::dossiers::DossierReport;
use shared::report::Report;
use std::path::{Path, PathBuf};
use testkit::postgres::Postgres;
use testkit::{launch, Served, TestServer, ADMIN, COUNTER, KIOSK};

const PROVINCE: &str = "province-office-token-0001";
const LOGIN: &str = "so-noi-vu";
const PASSWORD: &str = "mat-khau-cua-tinh";

pub(crate) fn token_of(centre: &str) -> String {
    format!("uplink-token-of-{centre}")
}

/// A province: its database, its `hub.toml`, and the address its hub always listens on (the
/// centres' `[uplink] url` outlives a hub that is killed and started again).
pub(crate) struct Province {
    _pg: Postgres,
    dir: tempfile::TempDir,
    config: PathBuf,
    addr: String,
}

impl Province {
    /// A migrated database and a hub configuration for `centres` (id, name).
    pub(crate) async fn new(centres: &[(&str, &str)]) -> Province {
        Province::with(centres, "").await
    }

    /// `new`, with more of the hub's configuration (`[notify]`) after the rest.
    pub(crate) async fn with(centres: &[(&str, &str)], more: &str) -> Province {
        let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let hash = authority::console::password::hash(PASSWORD, authority::console::password::Cost { memory_kib: 64, passes: 1 }).unwrap();
        let mut text = format!(
            "[database]\nurl = \"{}\"\n\n[server]\nlisten = \"127.0.0.1:{port}\"\n\n[province]\nname = \"Tỉnh Thái Nguyên\"\n\n\
             [[auth.tokens]]\nname = \"office\"\nrole = \"province\"\ntoken = \"{PROVINCE}\"\n\n\
             [[accounts]]\nlogin = \"{LOGIN}\"\nname = \"Sở Nội vụ\"\npassword_hash = \"{hash}\"\n",
            pg.url()
        );
        for (id, name) in centres {
            text += &format!("\n[[centres]]\nid = \"{id}\"\nname = \"{name}\"\ntoken = \"{}\"\n", token_of(id));
        }
        text += more;
        let config = dir.path().join("hub.toml");
        std::fs::write(&config, text).unwrap();
        let out = std::process::Command::new(testkit::bin("hub")).args(["migrate", "--config"]).arg(&config).output().unwrap();
        assert!(out.status.success(), "hub migrate: {}", String::from_utf8_lossy(&out.stderr));
        Province { _pg: pg, dir, config, addr: format!("127.0.0.1:{port}") }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `hub serve`, as a child process.
    pub(crate) fn serve(&self) -> Served {
        launch("hub").args(&["serve", "--config", self.config.to_str().unwrap()]).listening()
    }

    /// A report of the hub's read with the province's token (`path` from `/api/v1/province/`).
    async fn read<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let r = reqwest::Client::new().get(format!("{}/api/v1/province/{path}", self.url())).bearer_auth(PROVINCE).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }

    async fn report(&self, from: NaiveDate, to: NaiveDate) -> ProvinceReport {
        self.read(&format!("report?from={from}&to={to}")).await
    }

    /// A centre's authority with an uplink to this province, at `at` on its own clock.
    pub(crate) async fn centre(&self, id: &str, at: chrono::DateTime<chrono::Utc>) -> TestServer {
        let db = self.dir.path().join(format!("{id}.db"));
        let uplink = format!("[uplink]\nurl = \"{}\"\ncentre = \"{id}\"\ntoken = \"{}\"\ncatalogue = false\n", self.url(), token_of(id));
        TestServer::start_at(testkit::config::in_process(&db).raw(&uplink).config(), at).await
    }
}

/// A morning's work at a centre: `n` tickets, called and served a few minutes apart at the two
/// counters, every fifth a no-show, every third served one rated.
async fn work(centre: &TestServer, n: u32) {
    let kiosk = centre.client(KIOSK);
    let staff = centre.client(COUNTER);
    for i in 0..n {
        kiosk.issue("civil", None).await.unwrap();
        centre.clock.advance(Duration::seconds(40 + 7 * i as i64));
    }
    for i in 0..n {
        let counter = if i % 2 == 0 { "1" } else { "2" };
        let t = staff.call_next(counter).await.unwrap().expect("a ticket waits");
        centre.clock.advance(Duration::seconds(60 + 11 * i as i64));
        if i % 5 == 4 {
            staff.counter_action(counter, CounterAction::NoShow).await.unwrap();
            continue;
        }
        staff.counter_action(counter, CounterAction::Finish).await.unwrap();
        if i % 3 == 0 {
            let rating = ["very_satisfied", "satisfied", "unsatisfied"][(i as usize / 3) % 3];
            let r = centre
                .http()
                .post(centre.api(&format!("/tickets/{}/rating", t.id)))
                .bearer_auth(COUNTER)
                .json(&serde_json::json!({ "rating": rating }))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "rating: {}", r.status());
        }
    }
}

/// The centre's own report of `from..=to`.
async fn own_report(centre: &TestServer, from: NaiveDate, to: NaiveDate) -> Report {
    let r = centre.http().get(centre.api(&format!("/reports?from={from}&to={to}&by=day"))).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Until the hub has acknowledged every event of the centre's log.
pub(crate) async fn until_sent(centre: &TestServer) {
    let client: Client = centre.client(ADMIN);
    testkit::wait_until(90, "the uplink to have sent everything", || {
        let client = client.clone();
        async move { client.state().await.ok().and_then(|s| s.uplink).is_some_and(|u| u.backlog == 0 && u.acked > 0) }
    })
    .await;
}

/// The hub's figures of a centre are the centre's own, figure by figure.
fn assert_same(hub: &CentreFigures, own: &Report) {
    let t = &own.total;
    let f = &hub.figures;
    let id = &hub.id;
    assert_eq!(f.tickets_issued, t.issued.unwrap_or(0), "{id}: issued");
    assert_eq!(f.tickets_served, t.served, "{id}: served");
    assert_eq!(f.no_shows, t.no_show, "{id}: no-shows");
    assert_eq!(f.wait_p50_s, t.wait_s.as_ref().map(|s| s.median), "{id}: median wait");
    assert_eq!(f.wait_p90_s, t.wait_s.as_ref().map(|s| s.p90), "{id}: p90 wait");
    assert_eq!(f.service_p50_s, t.service_s.as_ref().map(|s| s.median), "{id}: median service");
    assert_eq!(f.ratings, t.ratings, "{id}: ratings");
}

fn centre_of<'a>(r: &'a ProvinceReport, id: &str) -> &'a CentreFigures {
    r.centres.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{id} not in the report"))
}

/// Proves the province counts exactly what each centre counts at home, for a centre whose
/// clock is three hours ahead of the other's, and after a centre worked a whole day with the
/// hub down (killed): the backlog arrives once, in full, when the hub is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn the_province_counts_what_each_centre_counts_through_a_day_offline() {
    let province = Province::new(&[("thai-nguyen", "Một cửa TP Thái Nguyên"), ("dai-tu", "Một cửa huyện Đại Từ")]).await;
    let hub = province.serve();
    let monday = testkit::monday_9am();
    let a = province.centre("thai-nguyen", monday).await;
    let b = province.centre("dai-tu", monday + Duration::hours(3)).await;
    work(&a, 14).await;
    work(&b, 9).await;
    until_sent(&a).await;
    until_sent(&b).await;
    let day1 = monday.date_naive();
    let report = province.report(day1, day1).await;
    assert_same(centre_of(&report, "thai-nguyen"), &own_report(&a, day1, day1).await);
    assert_same(centre_of(&report, "dai-tu"), &own_report(&b, day1, day1).await);
    assert_eq!(report.total.tickets_issued, 14 + 9);

    // The hub goes down; the centres work the next day all the same.
    hub.kill();
    for c in [&a, &b] {
        c.clock.advance(Duration::days(1));
        work(c, 11).await;
    }
    let state = a.client(ADMIN).state().await.unwrap().uplink.expect("the uplink's status");
    assert!(state.backlog > 0, "nothing waiting while the hub is down: {state:?}");
    let _hub = province.serve();
    until_sent(&a).await;
    until_sent(&b).await;
    let day2 = day1 + Duration::days(1);
    let report = province.report(day1, day2).await;
    assert_same(centre_of(&report, "thai-nguyen"), &own_report(&a, day1, day2).await);
    assert_same(centre_of(&report, "dai-tu"), &own_report(&b, day1, day2).await);
    assert_eq!(report.total.tickets_issued, 14 + 9 + 2 * 11);
    assert_eq!(report.days.iter().map(|d| d.tickets_issued).collect::<Vec<_>>(), vec![23, 22]);
}

/// A province with `centres` centres that each pushed `days` busy days (the real engine's
/// logs, through `outward` as the uplink sends them), starting on Monday 23 November 2026.
async fn busy_province(centres: &[(&str, &str)], days: u32, tickets: u32) -> (Province, Served) {
    let province = Province::new(centres).await;
    let hub = province.serve();
    for (i, (id, _)) in centres.iter().enumerate() {
        // Busier and quieter centres: a tenth more or less per place in the list.
        let n = tickets * (12 - (i as u32 % 6)) / 10;
        let log = testkit::day::busy_days(days, n, i as u64 + 1, testkit::monday_9am() - Duration::hours(1));
        let client = HubClient::new(HubClient::builder(&province.url(), &token_of(id)), id).unwrap();
        for chunk in log.chunks(500) {
            let events = chunk.iter().map(shared::province::outward).collect();
            client.push(&EventBatch { events }).await.unwrap();
        }
    }
    (province, hub)
}

/// Centres by the names the province's staff know them by (the places).
const CENTRES: &[(&str, &str)] = &[
    ("phan-dinh-phung", "P. Phan Đình Phùng"),
    ("song-cong", "P. Sông Công"),
    ("pho-yen", "P. Phổ Yên"),
    ("dai-tu", "X. Đại Từ"),
    ("dinh-hoa", "X. Định Hóa"),
    ("phu-luong", "X. Phú Lương"),
    ("dong-hy", "X. Đồng Hỷ"),
    ("vo-nhai", "X. Võ Nhai"),
    ("phu-binh", "X. Phú Bình"),
];

/// Signs in on the dashboard and shows `from..=to`.
async fn open_dashboard(web: &Chrome, from: &str, to: &str) {
    web.c.goto(&format!("{}/province/", web.base)).await.unwrap();
    web.wait("!document.querySelector('#sign-in').hidden", "the sign-in form").await;
    web.fill("#login", LOGIN).await;
    web.fill("#password", PASSWORD).await;
    web.click("#sign-in-form button[type=submit]").await;
    web.wait("!document.querySelector('#dashboard').hidden", "the dashboard").await;
    web.js_with(
        "document.querySelector('#from').value = arguments[0]; document.querySelector('#to').value = arguments[1]; \
         document.querySelector('#range').requestSubmit(); return true",
        vec![from.into(), to.into()],
    )
    .await;
    // The page first shows its default range: wait for this one's figures.
    let caption = format!("(t => t.includes('{from}') && t.includes('{to}'))(document.querySelector('#caption').textContent)");
    web.wait(&caption, "the range's figures").await;
}

/// Proves the dashboard refuses a wrong password, then shows the province's figures as the
/// API gives them (total, one row per centre, the charts), in Vietnamese and in English, and
/// that signing out closes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn the_dashboard_shows_the_province_to_its_staff_only() {
    let centres = &CENTRES[..3];
    let (province, _hub) = busy_province(centres, 2, 120).await;
    let web = Chrome::start(&province.url(), "province_dashboard").await;
    web.c.goto(&format!("{}/province/", province.url())).await.unwrap();
    web.wait("!document.querySelector('#sign-in').hidden", "the sign-in form").await;
    web.fill("#login", LOGIN).await;
    web.fill("#password", "not-the-password").await;
    web.click("#sign-in-form button[type=submit]").await;
    web.wait("document.querySelector('#msg').textContent.includes('Sai tên đăng nhập')", "the refusal").await;
    assert!(web.js("return document.querySelector('#dashboard').hidden").await.as_bool().unwrap());

    open_dashboard(&web, "2026-11-23", "2026-11-24").await;
    let api = province.report(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).await;
    let rows = web.js("return [...document.querySelectorAll('#centres tbody tr')].map(r => r.dataset.centre)").await;
    let ids: Vec<&str> = centres.iter().map(|c| c.0).collect();
    let mut shown: Vec<String> = serde_json::from_value(rows).unwrap();
    shown.sort();
    let mut want: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(shown, want);
    let issued = api.total.tickets_issued.to_string();
    let tile = web.text("#tiles li .value").await.replace(['.', ','], "");
    assert_eq!(tile, issued, "the first tile is the province's tickets issued");
    let bars = web.js("return document.querySelectorAll('#chart-days rect').length").await.as_u64().unwrap();
    assert_eq!(bars, 4, "two days, issued and served");
    let csv = web.js("return document.querySelector('#csv').getAttribute('href')").await;
    assert_eq!(csv.as_str().unwrap(), "/api/v1/province/report.csv?from=2026-11-23&to=2026-11-24");

    // Satisfaction per dossier, per centre as the API counts it; then per receiving unit.
    let dossiers: DossierReport = province.read("dossiers?from=2026-11-23&to=2026-11-24&by=centre").await;
    assert!(dossiers.total.dossiers > 100 && dossiers.total.evaluated > 10, "{:?}", dossiers.total);
    web.wait("document.querySelectorAll('#dos-table tbody tr[data-key]').length === 3", "the dossiers per centre").await;
    let shown = web.text("#dos-table tfoot td").await.replace(['.', ','], "");
    assert_eq!(shown, dossiers.total.dossiers.to_string(), "the province's dossiers");
    web.js("const s = document.querySelector('#dos-by'); s.value = 'unit'; s.dispatchEvent(new Event('change')); return true").await;
    web.wait("document.querySelector('#dos-key').textContent === 'Đơn vị tiếp nhận' && document.querySelectorAll('#dos-table tbody tr[data-key]').length === 9", "three centres' three units").await;
    let csv = web.js("return document.querySelector('#dos-csv').getAttribute('href')").await;
    assert_eq!(csv.as_str().unwrap(), "/api/v1/province/dossiers.csv?from=2026-11-23&to=2026-11-24&by=unit");

    web.click("#lang").await;
    web.wait("document.querySelector('h2').textContent.includes('per day')", "the English words").await;
    assert_eq!(web.js("return document.documentElement.lang").await.as_str().unwrap(), "en");
    web.wait("document.querySelector('#dos-title').textContent === 'Satisfaction per dossier'", "the dossier section in English").await;

    web.click("#sign-out").await;
    web.wait("!document.querySelector('#sign-in').hidden", "the sign-in form again").await;
    let who = reqwest::Client::new().get(format!("{}/api/v1/session", province.url())).send().await.unwrap();
    assert_eq!(who.status(), 401);
    web.close().await;
}

fn images() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../images")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
#[ignore = "writes the README's pictures of the dashboard: run with --ignored"]
async fn province_screenshots() {
    let (province, _hub) = busy_province(CENTRES, 5, 1300).await;
    let web = Chrome::start(&province.url(), "province_screenshots").await;
    web.c.set_window_size(1366, 1500).await.unwrap();
    open_dashboard(&web, "2026-11-23", "2026-11-27").await;
    std::fs::write(images().join("province-dashboard.png"), web.c.screenshot().await.unwrap()).unwrap();
    web.click("#lang").await;
    web.wait("document.querySelector('h2').textContent.includes('per day')", "the English words").await;
    std::fs::write(images().join("province-dashboard-en.png"), web.c.screenshot().await.unwrap()).unwrap();
    web.click("#lang").await;
    web.wait("document.querySelector('#dos-title').textContent === 'Hài lòng theo hồ sơ' && document.querySelectorAll('#dos-table tbody tr[data-key]').length === 9", "the dossiers per centre").await;
    web.js("document.querySelector('#dossiers').scrollIntoView(); return true").await;
    std::fs::write(images().join("province-dossiers.png"), web.c.screenshot().await.unwrap()).unwrap();
    web.close().await;
}

/// The first `n` procedures of the demo catalogue, as a catalogue file.
fn procedures(n: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(testkit::config::demo_catalogue()).unwrap();
    (text.lines().take(n).collect::<Vec<_>>().join("\n") + "\n").into_bytes()
}

/// `hub catalogue publish`: the ETag it announces.
fn publish(province: &Province, bytes: &[u8]) -> String {
    let file = province.dir.path().join("published.jsonl");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new(testkit::bin("hub"))
        .args(["catalogue", "publish", "--config", province.config.to_str().unwrap(), file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "publish: {}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).unwrap();
    said.rsplit_once("ETag ").expect("the ETag announced").1.trim().to_owned()
}

/// Proves a catalogue the province publishes with the `hub` command is the one a centre's
/// kiosks search: the centre takes it at start, serves a procedure only it has, and takes
/// the next version when one is published.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_catalogue_published_by_the_province_is_the_one_the_centre_serves() {
    let province = Province::new(&[("dai-tu", "X. Đại Từ")]).await;
    let _hub = province.serve();
    let v1 = publish(&province, &procedures(12));
    let db = province.dir.path().join("dai-tu.db");
    let local = province.dir.path().join("procedures.jsonl");
    std::fs::write(&local, procedures(3)).unwrap();
    let uplink = format!("[uplink]\nurl = \"{}\"\ncentre = \"dai-tu\"\ntoken = \"{}\"\n", province.url(), token_of("dai-tu"));
    let config = testkit::config::in_process(&db).catalogue(&local).raw(&uplink).config();
    let code = |n: usize| shared::catalogue::Catalogue::load_bytes(&procedures(n)).unwrap().procedures()[n - 1].code.to_string();
    let serves = |s: &TestServer, code: String| {
        let (http, url) = (s.http(), s.api(&format!("/procedures/{code}")));
        async move { http.get(url).send().await.is_ok_and(|r| r.status() == 200) }
    };

    let centre = TestServer::start_at(config.clone(), testkit::monday_9am()).await;
    let admin = centre.client(ADMIN);
    testkit::wait_until(30, "the province's version in service", || {
        let admin = admin.clone();
        let v1 = v1.clone();
        async move { admin.state().await.ok().and_then(|s| s.uplink).and_then(|u| u.catalogue_etag) == Some(v1) }
    })
    .await;
    assert!(serves(&centre, code(12)).await, "the 12th procedure, only in the province's file, is served");
    assert_eq!(std::fs::read(&local).unwrap(), procedures(12));
    centre.stop().await;

    let v2 = publish(&province, &procedures(30));
    assert_ne!(v1, v2);
    let centre = TestServer::start_at(config, testkit::monday_9am()).await;
    let admin = centre.client(ADMIN);
    testkit::wait_until(30, "the next version in service", || {
        let admin = admin.clone();
        let v2 = v2.clone();
        async move { admin.state().await.ok().and_then(|s| s.uplink).and_then(|u| u.catalogue_etag) == Some(v2) }
    })
    .await;
    assert!(serves(&centre, code(30)).await);
}

/// Proves the centre's administrator sees the link to the province on the console's admin
/// page as it is: events waiting and the last error while the hub is down, nothing waiting
/// once it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn the_console_shows_the_link_to_the_province() {
    let province = Province::new(&[("dai-tu", "X. Đại Từ")]).await;
    let centre = province.centre("dai-tu", testkit::monday_9am()).await;
    let account =
        serde_json::json!({"login": "quan-tri", "name": "Quản trị", "role": "admin", "counters": [], "password": crate::browser::PASSWORD});
    let r = centre.http().post(centre.api("/admin/accounts")).bearer_auth(ADMIN).json(&account).send().await.unwrap();
    assert_eq!(r.status(), 201);
    work(&centre, 3).await;

    let web = Chrome::start(&centre.url, "console_uplink").await;
    web.sign_in("quan-tri", crate::browser::PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.goto("admin.html").await;
    web.wait("!document.querySelector('#uplink').hidden", "the province link's panel").await;
    web.wait("document.querySelector('#up-last-error').textContent.includes(':')", "the hub's error").await;
    let backlog: u64 = web.text("#up-backlog").await.parse().expect("a number");
    assert!(backlog > 0, "events wait while the hub is down");
    assert_eq!(web.text("#up-hub").await, province.url());

    let _hub = province.serve();
    until_sent(&centre).await;
    web.goto("admin.html").await;
    web.wait("document.querySelector('#up-backlog').textContent === '0'", "nothing waiting").await;
    web.close().await;
}

//! The README's pictures of the console, made by the project's own command:
//!
//! ```sh
//! cargo build -p kiosk --bin kiosk && cargo test -p e2e --test it console_screens -- --ignored
//! ```
//!
//! writes `images/console-*.png` (1366×768, the report page taller). The centre is the demo's
//! (`assets/demo.toml`), its authority in this process on a manual clock, so that a morning of
//! tickets (about 130, served at five counters by four officers, with no-shows, transfers and
//! ratings, from a fixed pseudo-random sequence) passes in seconds and the pictures are the
//! same at every run.

use crate::browser::*;
use chrono::{TimeZone, Utc};
use fantoccini::key::Key;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const ADMIN: &str = "demo-admin-token-change-me";
const KIOSK: &str = "demo-kiosk-token-change-me";
const TABLET1: &str = "demo-counter1-token-change-me";

/// A fixed pseudo-random sequence (a 64-bit LCG): the same morning at every run.
struct Dice(u64);
impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn post(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.send(Method::POST, path, ADMIN, Some(body)).await
}

fn images() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../images")
}

async fn save(web: &Chrome, name: &str) {
    let png = web.c.screenshot().await.unwrap();
    let path = images().join(format!("console-{name}.png"));
    std::fs::write(&path, png).unwrap();
    println!("wrote {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
#[ignore = "writes the README's screenshots: run with --ignored"]
async fn console_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = shared::config::Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo.toml")).unwrap();
    config.store.path = dir.path().join("queue.db");
    // A copy of the demo's catalogue: the import below replaces it, not the repository's.
    let catalogue = dir.path().join("procedures.jsonl");
    std::fs::copy(config.catalogue.procedures.as_ref().unwrap(), &catalogue).unwrap();
    config.catalogue.procedures = Some(catalogue);
    config.catalogue.synonyms = Some(dir.path().join("synonyms.tsv"));
    // The tests' administrator token, which `Api` creates the accounts with, beside the demo's.
    config.auth.tokens.push(shared::config::Token {
        name: "e2e-admin".into(),
        role: shared::config::Role::Admin,
        token: testkit::ADMIN_TOKEN.into(),
        counters: vec![],
    });
    let served = testkit::TestServer::start_at(
        config,
        chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 7, 30, 0).unwrap().with_timezone(&Utc),
    )
    .await;
    let (url, clock) = (served.url.clone(), served.clock.clone());
    let api = Api::new(&url);
    for (login, name, role, counters) in [
        ("admin", "Quản trị viên", "admin", vec![]),
        ("lan", "Nguyễn Thị Lan", "staff", vec!["1", "2"]),
        ("minh", "Trần Văn Minh", "staff", vec!["2", "3"]),
        ("hoa", "Đỗ Thị Hoa", "staff", vec!["4"]),
        ("tuan", "Lê Anh Tuấn", "staff", vec!["5"]),
        ("binh", "Phạm Văn Bình", "staff", vec!["4", "5"]),
    ] {
        api.account(login, name, role, &counters).await;
    }
    for (login, counter) in [("lan", "1"), ("minh", "2"), ("hoa", "4"), ("tuan", "5")] {
        api.take_counter(login, counter).await;
    }

    // The morning, a minute at a time, from 07:30 to 11:00.
    let services = [("civil", 6), ("residence", 5), ("land", 9), ("business", 8), ("social", 7)];
    let prio = ["elderly", "disability", "pregnant", "merit"];
    let mut dice = Dice(20261123);
    let mut busy: HashMap<&str, (i64, bool)> = HashMap::new();
    // Every visit served becomes a dossier of the day; one in four is evaluated at the kiosk.
    // Counted apart from the dice, so the morning is the same with or without them.
    let mut dossiers = 0u32;
    for minute in 0..210i64 {
        if minute > 0 {
            clock.advance(chrono::Duration::minutes(1));
        }
        // About 1.2 citizens a minute, two in five for civil status: more than the five
        // counters serve, so a queue builds up as on a busy morning.
        for _ in 0..[0, 1, 1, 2, 2][dice.below(5) as usize] {
            let (service, _) = services[[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4][dice.below(20) as usize]];
            let mut body = json!({"service": service});
            if service != "business" && dice.below(8) == 0 {
                body["priority"] = json!(prio[dice.below(if service == "land" { 2 } else { 4 }) as usize]);
            }
            let (s, v) = api.send(Method::POST, "/tickets", KIOSK, Some(body)).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
        }
        for counter in ["1", "2", "3", "4", "5"] {
            let (until, absent) = busy.get(counter).copied().unwrap_or((0, false));
            if minute < until {
                continue;
            }
            let current = api.counter(counter).await["current"].clone();
            let mut served = !current.is_null() && !absent;
            if absent && !current.is_null() {
                post(&api, &format!("/counters/{counter}/no-show"), json!({})).await;
            } else if !current.is_null() && dice.below(30) == 0 {
                let other = services[dice.below(5) as usize].0;
                if other != current["service"] {
                    post(&api, &format!("/counters/{counter}/transfer"), json!({"service": other})).await;
                    served = false;
                }
            }
            let (s, v) = post(&api, &format!("/counters/{counter}/call-next"), json!({})).await;
            if served {
                dossiers += 1;
                let code = format!("000.00.06.H56-261123-{dossiers:04}");
                let (s, v) = post(&api, &format!("/tickets/{}/dossier", current["id"]), json!({"dossier": code})).await;
                assert!(s.is_success(), "{v}");
                if dossiers.is_multiple_of(4) {
                    let scores =
                        [[2, 2, 2, 2, 2, 2, 2, 2, 2], [2, 2, 1, 2, 2, 1, 2, 2, 1], [1, 2, 0, 1, 2, 2, 1, 2, 1]][dossiers as usize % 3];
                    let (s, v) =
                        api.send(Method::POST, &format!("/dossiers/{code}/evaluation"), KIOSK, Some(json!({"scores": scores}))).await;
                    assert!(s.is_success(), "{v}");
                }
                let r = dice.below(10);
                if r < 7 {
                    let rating =
                        ["very_satisfied", "very_satisfied", "very_satisfied", "satisfied", "satisfied", "very_satisfied", "unsatisfied"]
                            [r as usize];
                    post(&api, &format!("/tickets/{}/rating", current["id"]), json!({"rating": rating})).await;
                }
            }
            if s == StatusCode::OK {
                let base = services.iter().find(|x| x.0 == v["service"]).map(|x| x.1).unwrap_or(6);
                let no_show = dice.below(16) == 0;
                busy.insert(counter, (minute + if no_show { 2 } else { base - 2 + dice.below(5) as i64 }, no_show));
            }
        }
    }
    // Counter 1 at 11:00: a no-show a moment ago, and a citizen served for 3 min 27 s.
    api.send(Method::POST, "/tickets", KIOSK, Some(json!({"service": "civil", "priority": "elderly"}))).await;
    post(&api, "/counters/1/call-next", json!({})).await;
    post(&api, "/counters/1/no-show", json!({})).await;
    post(&api, "/counters/1/call-next", json!({})).await;
    clock.advance(chrono::Duration::seconds(207));

    std::fs::create_dir_all(images()).unwrap();
    let desk = Chrome::start(&url, "screens").await;
    desk.goto("index.html").await;
    desk.wait("document.activeElement && document.activeElement.id === 'login'", "the sign-in form").await;
    desk.fill("#login", "lan").await;
    desk.js("document.activeElement.blur(); return true").await;
    save(&desk, "sign-in").await;
    desk.fill("#password", PASSWORD).await;
    desk.click("#submit").await;
    desk.wait("!document.querySelector('#serve').hidden && /\\d\\d:\\d\\d/.test(document.querySelector('#now-elapsed').textContent) && document.querySelector('#waiting-empty').hidden", "counter 1").await;
    desk.js("document.activeElement.blur(); return true").await;
    save(&desk, "counter").await;
    desk.key(Key::F6).await;
    desk.wait("document.querySelector('#transfer-dialog').open", "the transfer dialog").await;
    desk.click("#transfer-services input[value='residence']").await;
    save(&desk, "transfer").await;
    desk.key(Key::Escape).await;
    // A citizen at the hall's kiosk calls for a staff member from the procedures screen.
    let (s, v) = api.send(Method::POST, "/help", KIOSK, Some(json!({"screen": "procedures"}))).await;
    assert!(s.is_success(), "{v}");
    desk.wait("document.querySelector('#helps .help-call.open')", "the call for help").await;
    save(&desk, "help-call").await;
    let (s, v) = api.send(Method::POST, "/help/withdraw", KIOSK, None).await;
    assert!(s.is_success(), "{v}");
    desk.wait("document.querySelector('#helps').hidden", "the call withdrawn").await;

    let tablet = Chrome::start(&url, "screens-tablet").await;
    tablet.goto(&format!("rate.html#counter=1&token={TABLET1}")).await;
    tablet.wait("document.body.dataset.link === 'online'", "the tablet online").await;
    desk.key(Key::F4).await;
    tablet.wait("document.body.dataset.screen === 'ask'", "the rating question").await;
    save(&tablet, "rate").await;
    tablet.close().await;

    desk.click("#sign-out").await;
    desk.wait("location.pathname.endsWith('/index.html')", "signed out").await;
    desk.sign_in("admin", PASSWORD).await;
    desk.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    desk.goto("admin.html#settings").await;
    desk.wait("document.querySelector('#settings-body [data-at=\"services[0].name\"]')", "the settings").await;
    desk.js("window.scrollTo(0, 0); return true").await;
    save(&desk, "settings").await;
    desk.goto("admin.html#accounts").await;
    desk.wait("document.querySelectorAll('#accounts tbody tr').length === 6", "the accounts").await;
    desk.js("document.querySelector('#accounts').scrollIntoView(); window.scrollBy(0, -150); return true").await;
    save(&desk, "accounts").await;
    // The centre's own search words, typed into the page and tried at once (before the import
    // below leaves two procedures to search).
    desk.goto("admin.html#catalogue").await;
    desk.wait("!document.getElementById('syn-empty').hidden", "the centre's search words").await;
    let rows =
        [("nghỉ bệnh", "chế độ ốm đau"), ("làm sổ đỏ", "cấp giấy chứng nhận quyền sử dụng đất"), ("giấy đi đường", "giấy thông hành")];
    for (i, (everyday, official)) in rows.into_iter().enumerate() {
        desk.click("#syn-add").await;
        desk.fill(&format!("#syn-table tbody tr:nth-child({}) [data-side=everyday]", i + 1), everyday).await;
        desk.fill(&format!("#syn-table tbody tr:nth-child({}) [data-side=official]", i + 1), official).await;
    }
    desk.click("#syn-save").await;
    desk.wait("document.querySelector('#msg').textContent.includes('Đã lưu 3')", "the saved table").await;
    desk.fill("#syn-try", "nghỉ bệnh").await;
    desk.click("#syn-try-form button").await;
    desk.wait("document.querySelectorAll('#syn-found li').length > 1", "the tried search").await;
    desk.js("document.getElementById('synonyms').scrollIntoView(); window.scrollBy(0, -90); return true").await;
    save(&desk, "synonyms").await;
    // The portal's records and a file with a bad one, chosen together on the catalogue page.
    let portal = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal").canonicalize().unwrap();
    let bad = dir.path().join("thu-tuc-tai-ve.json");
    std::fs::write(
        &bad,
        r#"[{"code":"1.000009","name":"Sai kiểu","executionCases":"không phải danh sách"},{"code":"1.4194","name":"Mã sai"}]"#,
    )
    .unwrap();
    let chosen = [portal.join("1.004222.json"), portal.join("1.004194.json"), bad].map(|p| p.to_str().unwrap().to_owned()).join("\n");
    desk.goto("admin.html#catalogue").await;
    desk.c.find(fantoccini::Locator::Css("#catalogue-file")).await.unwrap().send_keys(&chosen).await.unwrap();
    desk.click("#catalogue-submit").await;
    desk.wait("!document.getElementById('catalogue-skipped').hidden", "the import's answer").await;
    desk.js("window.scrollTo(0, 0); return true").await;
    save(&desk, "catalogue").await;
    // The report page whole: table and charts.
    desk.c.set_window_size(1366, 1180).await.unwrap();
    desk.goto("reports.html#by=counter").await;
    desk.wait("document.querySelector('#report').dataset.by === 'counter' && document.querySelectorAll('#report-table tbody tr').length === 5 && document.querySelectorAll('#chart-wait rect').length > 0", "the report").await;
    desk.js("window.scrollTo(0, 0); return true").await;
    save(&desk, "report").await;
    // The dossiers of the morning, rolled up by officer.
    desk.goto("dossiers.html#from=2026-11-23&to=2026-11-23&by=officer").await;
    desk.wait(
        "document.querySelector('#dossiers').dataset.by === 'officer' && document.querySelectorAll('#dos-table tbody tr').length > 1",
        "the dossiers by officer",
    )
    .await;
    desk.js("window.scrollTo(0, 0); return true").await;
    save(&desk, "dossiers").await;
    desk.close().await;
    served.stop().await;
}

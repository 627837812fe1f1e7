//! What the console's browser tests share: headless Chromium driven through WebDriver
//! (Debian's `chromedriver`, the `fantoccini` client), the server's API as the tests check it,
//! and waits that poll a condition instead of sleeping.
//!
//! Chromium runs with a fresh profile, 1366×768, in the centre's time zone, with every
//! background connection turned off (this machine has no network: without the flags it hangs
//! on connection attempts). If it cannot start, the test fails with the reason: a browser test
//! that silently skips would prove nothing.
#![allow(dead_code)]
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a page may take to show what a test waits for (a debug server on a loaded
/// 2-core machine).
pub const PATIENCE: Duration = Duration::from_secs(20);

pub const PASSWORD: &str = "mật-khẩu-thử-nghiệm-1";

fn first_existing(env: &str, paths: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    paths.iter().map(PathBuf::from).find(|p| p.exists())
}

/// Headless Chromium and its driver, killed (the whole process group) when dropped.
pub struct Chrome {
    pub c: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    /// The browser user's home when it was given a CA to trust (its NSS database is there).
    _home: Option<tempfile::TempDir>,
    /// Where the test's screenshots go (a folder under target/).
    pub shots: PathBuf,
    pub base: String,
}

impl Chrome {
    /// Starts chromedriver on a free port and a Chromium session for the server at `base`.
    pub async fn start(base: &str, test: &str) -> Chrome {
        Chrome::start_with(base, test, None, None).await
    }

    /// `start` as a phone: Chromium's emulation of a 390×844 touch screen with a phone's
    /// browser name, as a citizen who scanned a ticket's QR code sees a page.
    pub async fn phone(base: &str, test: &str) -> Chrome {
        let phone = json!({
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": true, "mobile": true},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) \
                Chrome/131.0 Mobile Safari/537.36",
        });
        Chrome::start_with(base, test, None, Some(phone)).await
    }

    /// `start`, for a user who trusts the centre's `ca` (PEM) as the README tells a counter PC's
    /// Chromium to: imported into the user's NSS database with `certutil`.
    pub async fn trusting(base: &str, test: &str, ca: &Path) -> Chrome {
        let home = tempfile::tempdir().expect("a home folder");
        let db = home.path().join(".pki/nssdb");
        std::fs::create_dir_all(&db).expect("the NSS folder");
        let db = format!("sql:{}", db.display());
        let certutil = |args: &[&str]| {
            let out =
                Command::new("certutil").args(args).output().expect("certutil is not installed: run scripts/setup.sh (libnss3-tools)");
            assert!(out.status.success(), "certutil {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        certutil(&["-d", &db, "-N", "--empty-password"]);
        certutil(&["-d", &db, "-A", "-t", "C,,", "-n", "Mot cua centre CA", "-i", ca.to_str().expect("a UTF-8 path")]);
        Chrome::start_with(base, test, Some(home), None).await
    }

    async fn start_with(base: &str, test: &str, home: Option<tempfile::TempDir>, phone: Option<Value>) -> Chrome {
        let driver_bin = first_existing("CHROMEDRIVER", &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
            .expect("chromedriver is not installed: run scripts/setup.sh (Debian packages chromium and chromium-driver)");
        let browser_bin = first_existing("CHROMIUM", &["/usr/lib/chromium/chromium", "/usr/bin/chromium"])
            .expect("Chromium is not installed: run scripts/setup.sh (Debian packages chromium and chromium-driver)");
        // chromedriver asked for port 0 sometimes picks a port it then cannot bind ("IPv4 port
        // not available. Exiting...") when several start at once: started again, that passes.
        let mut failures = Vec::new();
        let (driver, port) = loop {
            match spawn_driver(&driver_bin, home.as_ref()) {
                Ok(started) => break started,
                Err(seen) if failures.len() < 2 && seen.iter().any(|l| l.contains("port not available")) => failures.push(seen),
                Err(seen) => panic!("chromedriver did not start: {seen:?} (earlier tries: {failures:?})"),
            }
        };
        let profile = tempfile::tempdir().expect("a profile folder");
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-features=Translate,MediaRouter,OptimizationHints".into(),
            "--force-device-scale-factor=1".into(),
            "--lang=vi".into(),
            "--window-size=1366,768".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            // A dialog the page opens (the injection tests look for one) stays open for the test
            // to find, rather than being dismissed behind its back.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {"binary": browser_bin, "args": args},
        });
        let mut caps = caps;
        let is_phone = phone.is_some();
        if let Some(p) = phone {
            caps["goog:chromeOptions"]["mobileEmulation"] = p;
            // A phone set to Vietnamese asks for Vietnamese pages (headless Chromium asks for
            // English whatever its --lang).
            caps["goog:chromeOptions"]["prefs"] = json!({"intl.accept_languages": "vi-VN,vi"});
        }
        let caps = match caps {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let session = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(connector).capabilities(caps).connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .expect("Chromium did not start within 60 s")
        .unwrap_or_else(|e| panic!("Chromium did not start: {e}"));
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/console-shots").join(test);
        std::fs::create_dir_all(&shots).expect("a screenshot folder");
        let chrome = Chrome { c: session, driver, _profile: profile, _home: home, shots, base: base.trim_end_matches('/').to_owned() };
        if is_phone {
            return chrome;
        }
        // The page, not the window, gets the 1366×768 of a counter PC's screen.
        let frame = chrome.js("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]").await;
        let (fw, fh) = (frame[0].as_u64().unwrap_or(0) as u32, frame[1].as_u64().unwrap_or(0) as u32);
        chrome.c.set_window_size(1366 + fw, 768 + fh).await.expect("window size");
        chrome
    }

    /// Opens `path` of the server (the console's pages: `goto`).
    pub async fn open(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    pub async fn goto(&self, page: &str) {
        self.c.goto(&format!("{}/console/{page}", self.base)).await.unwrap_or_else(|e| panic!("open {page}: {e}"));
    }

    /// Runs `script` (a function body: `return ...`) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.c.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.c.execute(script, args).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `condition` (a JS expression) is true in the page; on time-out saves a
    /// screenshot and fails with `what`.
    pub async fn wait(&self, condition: &str, what: &str) {
        let deadline = Instant::now() + PATIENCE;
        let script = format!("try {{ return !!({condition}); }} catch (e) {{ return false; }}");
        loop {
            if let Ok(Value::Bool(true)) = self.c.execute(&script, vec![]).await {
                return;
            }
            if Instant::now() > deadline {
                let shot = self.shot("timeout").await;
                let text = self.js("return document.body ? document.body.innerText : ''").await;
                let url = self.c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
                panic!(
                    "waited {PATIENCE:?} for {what} ({condition}) at {url}; screenshot {}\npage text:\n{}",
                    shot.display(),
                    text.as_str().unwrap_or("")
                );
            }
            tokio::time::sleep(Duration::from_millis(40)).await; // polling interval
        }
    }

    /// Waits for an element and answers its text.
    pub async fn text(&self, css: &str) -> String {
        self.wait(&format!("document.querySelector({css:?})"), &format!("element {css}")).await;
        self.c.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
    }

    /// Clicks an element once it exists and is enabled.
    pub async fn click(&self, css: &str) {
        self.wait(
            &format!("(e => e && !e.disabled && e.offsetParent !== null)(document.querySelector({css:?}))"),
            &format!("{css} to be clickable"),
        )
        .await;
        // Into the middle of the screen first, as a person scrolls to what they click (WebDriver
        // would bring it only to the edge, under the page's sticky save bar).
        self.js_with("document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true", vec![json!(css)]).await;
        self.c.find(Locator::Css(css)).await.unwrap().click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types into a field, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) {
        self.wait(&format!("document.querySelector({css:?})"), &format!("field {css}")).await;
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap_or_else(|err| panic!("type into {css}: {err}"));
    }

    /// Presses one key (a character or a `fantoccini::key::Key`) on whatever has the focus,
    /// as a person at the keyboard would.
    pub async fn key(&self, key: impl Into<char>) {
        let k: char = key.into();
        let seq = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: k }).then(KeyAction::Up { value: k });
        self.c.perform_actions(seq).await.unwrap_or_else(|e| panic!("key press: {e}"));
        self.c.release_actions().await.ok();
    }

    /// Saves a PNG of the viewport under the test's screenshot folder.
    pub async fn shot(&self, name: &str) -> PathBuf {
        let png = self.c.screenshot().await.expect("a screenshot");
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    /// The text of a dialog the page opened (alert, confirm), if one is open.
    pub async fn open_dialog(&self) -> Option<String> {
        self.c.get_alert_text().await.ok()
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, login: &str, password: &str) {
        self.goto("index.html").await;
        self.wait("document.querySelector('#signin') && !document.querySelector('#signin').hidden", "the sign-in form").await;
        self.fill("#login", login).await;
        self.fill("#password", password).await;
        self.click("#submit").await;
    }

    /// Ends the browser session and the driver.
    pub async fn close(self) {
        let _ = self.c.clone().close().await;
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        // SAFETY: signalling the process group of a child this struct started.
        unsafe { libc::killpg(self.driver.id() as i32, libc::SIGKILL) };
        let _ = self.driver.wait();
    }
}

/// The server's API, as the tests check it (bearer tokens).
pub struct Api {
    pub url: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(url: &str) -> Api {
        Api { url: url.trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    /// The API of a server that speaks HTTPS with the centre's `ca` (PEM).
    pub fn trusting(url: &str, ca: &[u8]) -> Api {
        let ca = reqwest::Certificate::from_pem(ca).expect("the centre's CA");
        let http = reqwest::Client::builder().tls_built_in_root_certs(false).add_root_certificate(ca).build().expect("a client");
        Api { url: url.trim_end_matches('/').to_owned(), http }
    }

    pub async fn send(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}/api/v1{path}", self.url)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// `GET /api/v1/state` as the administrator.
    pub async fn state(&self) -> Value {
        let (s, v) = self.send(Method::GET, "/state", testkit::ADMIN_TOKEN, None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    /// A ticket from the kiosk.
    pub async fn issue(&self, service: &str, priority: Option<&str>) -> Value {
        let mut body = json!({"service": service});
        if let Some(p) = priority {
            body["priority"] = p.into();
        }
        let (s, v) = self.send(Method::POST, "/tickets", testkit::KIOSK_TOKEN, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }

    /// Creates a console account with the administrator's token.
    pub async fn account(&self, login: &str, name: &str, role: &str, counters: &[&str]) {
        let body = json!({"login": login, "name": name, "role": role, "counters": counters, "password": PASSWORD});
        let (s, v) = self.send(Method::POST, "/admin/accounts", testkit::ADMIN_TOKEN, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.send(method, path, testkit::ADMIN_TOKEN, body).await
    }

    /// Signs in as `login` (with the tests' password) and takes `counter`, as a member of staff
    /// does at the start of a shift.
    pub async fn take_counter(&self, login: &str, counter: &str) {
        let mut staff = testkit::browser::Browser::at(&self.url);
        let (status, me) = staff.sign_in(login, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "signing in as {login}: {me}");
        let (status, v) = staff.post(&format!("/counters/{counter}/staff"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{login} takes counter {counter}: {v}");
    }

    /// A counter of the state by id.
    pub async fn counter(&self, id: &str) -> Value {
        let st = self.state().await;
        st["counters"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap_or_else(|| panic!("no counter {id} in {st}"))
    }
}

/// Polls `check` until it answers `Some`, failing with `what` after `PATIENCE`.
pub async fn until<T, F, Fut>(what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    testkit::wait::until_some(PATIENCE.as_secs(), what, check).await
}

/// chromedriver on a free port: the process and its port, or what it said before it gave up.
fn spawn_driver(driver_bin: &Path, home: Option<&tempfile::TempDir>) -> Result<(std::process::Child, u16), Vec<String>> {
    let mut driver = Command::new(driver_bin);
    if let Some(h) = home {
        // Chromium, started by the driver, reads the user's NSS database under $HOME.
        driver.env("HOME", h.path());
    }
    let mut driver = driver
        .arg("--port=0")
        // The pages show times in the browser's zone: the centre's.
        .env("TZ", "Asia/Ho_Chi_Minh")
        // and in its language (date fields day/month/year, as on a counter PC).
        .env("LANGUAGE", "vi")
        .env("LANG", "vi_VN.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Its own process group, so that dropping it also ends the Chromium it started.
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", driver_bin.display()));
    let out = driver.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(PATIENCE) {
            Ok(line) => {
                if let Some(p) = line.split("started successfully on port ").nth(1) {
                    return Ok((driver, p.trim().trim_end_matches('.').parse::<u16>().expect("a port number")));
                }
                seen.push(line);
            }
            Err(_) => {
                seen.push(format!("(exit: {:?})", driver.try_wait()));
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(seen);
            }
        }
    }
}

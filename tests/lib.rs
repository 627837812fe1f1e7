//! Helpers for cross-process tests: find the workspace's binaries, start them on free ports,
//! wait for them without sleeping blindly, and write configurations.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const KIOSK_TOKEN: &str = "e2e-kiosk-token-000001";
pub const COUNTER_TOKEN: &str = "e2e-counter-token-00001";

/// A binary of the workspace, built beside this test (`cargo test --workspace` builds them).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows where it is");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let path = dir.join(name);
    assert!(path.exists(), "{} is missing: run `cargo build --workspace --bins` first", path.display());
    // `cargo test -p e2e` alone does not rebuild other packages' binaries: refuse a stale one
    // rather than test old code. Cargo's dep-info file lists exactly the sources it was built from.
    let built = std::fs::metadata(&path).and_then(|m| m.modified()).expect("binary mtime");
    let deps = std::fs::read_to_string(dir.join(format!("{name}.d"))).unwrap_or_default();
    let sources = deps.split_once(": ").map(|(_, s)| s).unwrap_or("");
    for src in sources.split_whitespace().map(PathBuf::from) {
        if std::fs::metadata(&src).and_then(|m| m.modified()).is_ok_and(|m| m > built) {
            panic!("{} is older than {}: run `cargo build --workspace --bins` first", path.display(), src.display());
        }
    }
    path
}

/// A small configuration: two services open all day, two counters, a kiosk and a counter token.
pub fn write_config(dir: &Path, db: &Path) -> PathBuf {
    let text = format!(
        r#"
[store]
path = "{db}"
[server]
listen = "127.0.0.1:0"
[[services]]
id = "civil"
name = "Hộ tịch"
letter = "A"
[[services]]
id = "land"
name = "Đất đai"
letter = "B"
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil", "land"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK_TOKEN}"
[[auth.tokens]]
name = "staff"
role = "counter"
token = "{COUNTER_TOKEN}"
"#,
        db = db.display()
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}

/// A running `kiosk serve`, killed when dropped.
pub struct Served {
    pub child: Child,
    pub url: String,
    pub stderr: mpsc::Receiver<String>,
}

impl Served {
    /// Starts `kiosk serve --config F` on a free port and waits for its "listening" line.
    pub fn start(config: &Path) -> Served {
        Served::start_with(&["serve", "--config", config.to_str().expect("a UTF-8 path")])
    }

    /// Starts `kiosk ARGS` with no display server in its environment and waits for its
    /// "listening" line (`kiosk --config F` then runs headless: authority and printer).
    pub fn start_with(args: &[&str]) -> Served {
        let mut child = Command::new(bin("kiosk"))
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kiosk serve");
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains("listening on http://") => {
                    let url = line.split("listening on ").nth(1).expect("an address").trim().to_owned();
                    return Served { child, url, stderr: rx };
                }
                Ok(_) => continue,
                Err(_) => {
                    let status = child.try_wait().ok().flatten();
                    panic!("kiosk serve did not start listening (exit: {status:?})");
                }
            }
        }
    }

    /// SIGKILL: no shutdown code runs, as in a power cut of the process.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        // SAFETY: sending a signal to our own child process by its pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        wait_exit(&mut self.child, Duration::from_secs(10))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it holds, failing after `secs` with `what`: no fixed sleeps in tests.
pub fn wait_until(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for a child to exit, failing the test after `limit`.
pub fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(s) = child.try_wait().expect("wait for the child") {
            return s;
        }
        assert!(Instant::now() < deadline, "the process did not exit within {limit:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `kiosk ARGS...` to completion: (exit code, stdout, stderr).
pub fn kiosk(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin("kiosk")).args(args).env_remove("KIOSK_CONFIG").env_remove("KIOSK_TOKEN").env_remove("KIOSK_URL").output().expect("run kiosk");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub const ADMIN_TOKEN: &str = "e2e-admin-token-0000001";
/// Counter 3's rating tablet: a counter token limited to counter 3.
pub const RATE3_TOKEN: &str = "e2e-rating-counter3-0001";

/// The centre of the console tests: three services open all day and every day (one takes
/// priority classes), three counters, a procedure catalogue file the administrator may replace
/// (the first 40 procedures of the demo's), and tokens for the kiosk, the administrator and
/// counter 3's rating tablet. Sessions last long enough for a test that moves a clock by hours.
pub fn write_console_config(dir: &Path, db: &Path) -> PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/procedures.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(demo).expect("the demo catalogue").lines().take(40).map(str::to_owned).collect();
    let catalogue = dir.join("procedures.jsonl");
    std::fs::write(&catalogue, lines.join("\n") + "\n").expect("write the catalogue");
    let text = format!(
        r#"
[centre]
name = "Trung tâm Phục vụ hành chính công phường Thử nghiệm"
utc_offset = "+07:00"
[store]
path = "{db}"
[server]
listen = "127.0.0.1:0"
[queue]
priority_ratio = 2
max_wait_min = 45
no_show_grace_min = 15
[console]
idle_min = 1440
session_hours = 48
[catalogue]
procedures = "{catalogue}"
[[priority]]
id = "elderly"
name = "Người cao tuổi"
name_en = "Elderly"
[[priority]]
id = "disability"
name = "Người khuyết tật"
name_en = "Person with disability"
[[services]]
id = "civil"
name = "Hộ tịch – Chứng thực"
name_en = "Civil status"
letter = "A"
priorities = ["elderly", "disability"]
[[services]]
id = "land"
name = "Đất đai"
name_en = "Land"
letter = "B"
[[services]]
id = "tax"
name = "Thuế"
name_en = "Tax"
letter = "C"
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil", "land"]
[[counters]]
id = "2"
name = "Quầy 2"
number = 2
services = ["civil"]
[[counters]]
id = "3"
name = "Quầy 3"
number = 3
services = ["land", "tax"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK_TOKEN}"
[[auth.tokens]]
name = "administrator"
role = "admin"
token = "{ADMIN_TOKEN}"
[[auth.tokens]]
name = "rating-3"
role = "counter"
token = "{RATE3_TOKEN}"
counters = ["3"]
"#,
        db = db.display(),
        catalogue = catalogue.display(),
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}

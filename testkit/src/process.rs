//! The workspace's binaries as child processes: find them (refusing a stale one), start them
//! on free ports, wait for their "listening" line, kill or stop them.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};


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


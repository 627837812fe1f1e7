//! The workspace's binaries as child processes: find them (refusing a stale one), start them
//! (on free ports, or on an X display), wait for their "listening" line, kill or stop them.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A binary of the workspace, built beside this test (`cargo test --workspace` builds them), or
/// the one `$<NAME>_BIN` names (a bench run against another profile's build).
pub fn bin(name: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(format!("{}_BIN", name.to_uppercase())) {
        return p.into();
    }
    let exe = std::env::current_exe().expect("the test knows where it is");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let path = dir.join(name);
    assert!(path.exists(), "{} is missing: run `cargo test --workspace --no-run` first", path.display());
    // `cargo test -p e2e` alone does not rebuild other packages' binaries: refuse a stale one
    // rather than test old code. Cargo's dep-info file lists exactly the sources it was built from.
    let built = std::fs::metadata(&path).and_then(|m| m.modified()).expect("binary mtime");
    let deps = std::fs::read_to_string(dir.join(format!("{name}.d"))).unwrap_or_default();
    let sources = deps.split_once(": ").map(|(_, s)| s).unwrap_or("");
    for src in sources.split_whitespace().map(PathBuf::from) {
        if std::fs::metadata(&src).and_then(|m| m.modified()).is_ok_and(|m| m > built) {
            panic!("{} is older than {}: run `cargo test --workspace --no-run` first", path.display(), src.display());
        }
    }
    path
}

/// A running child process of the workspace, killed when dropped.
pub struct Served {
    pub child: Child,
    /// The address of its "listening on" line; empty for a process started with `spawn`.
    pub url: String,
    /// Its standard error, a line at a time (a process started with `spawn` writes to its log).
    pub stderr: mpsc::Receiver<String>,
}

/// How to start one of the workspace's binaries: `launch("kiosk").args(..)`, then `listening()`
/// to wait for its "listening on" line, or `spawn()` with its standard error in a log file.
pub struct Launch {
    cmd: Command,
    name: String,
    log: Option<PathBuf>,
}

/// The workspace binary `name`, with no display server in its environment unless `x11` gives it one.
pub fn launch(name: &str) -> Launch {
    with_env(Command::new(bin(name)), name)
}

/// An executable from elsewhere (a package's, extracted), started as `launch` starts the
/// workspace's.
pub fn launch_exe(exe: &Path) -> Launch {
    with_env(Command::new(exe), &exe.display().to_string())
}

/// `launch` inside the network namespace `ns` (a host of `netns::Lan`).
pub fn launch_in(ns: &str, name: &str) -> Launch {
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", ns]).arg(bin(name));
    with_env(cmd, name)
}

fn with_env(mut cmd: Command, name: &str) -> Launch {
    cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").env("RUST_LOG", "info").stdin(Stdio::null()).stdout(Stdio::null());
    Launch { cmd, name: name.to_owned(), log: None }
}

impl Launch {
    pub fn args(mut self, args: &[&str]) -> Launch {
        self.cmd.args(args);
        self
    }
    pub fn env(mut self, key: &str, value: &str) -> Launch {
        self.cmd.env(key, value);
        self
    }
    /// On X display `display` at one logical pixel per pixel, whatever DPI the server reports.
    pub fn x11(self, display: &str) -> Launch {
        self.env("DISPLAY", display).env("WINIT_X11_SCALE_FACTOR", "1").env("SLINT_SCALE_FACTOR", "1")
    }
    /// Standard error to the file `log` (for `spawn`).
    pub fn log(mut self, log: &Path) -> Launch {
        self.log = Some(log.to_owned());
        self
    }

    /// Starts the process without waiting for anything.
    pub fn spawn(mut self) -> Served {
        if let Some(log) = &self.log {
            self.cmd.stderr(std::fs::File::create(log).expect("create the log"));
        } else {
            self.cmd.stderr(Stdio::null());
        }
        let child = self.cmd.spawn().unwrap_or_else(|e| panic!("start {}: {e}", self.name));
        Served { child, url: String::new(), stderr: mpsc::channel().1 }
    }

    /// Starts the process and waits for its "listening on http(s)://" line: `url` is that address.
    pub fn listening(self) -> Served {
        let (mut served, line) = self.logged("listening on http");
        served.url = line.split("listening on ").nth(1).expect("an address").trim().to_owned();
        served
    }

    /// Starts the process and waits for a line of its standard error that contains `needle`;
    /// the process and that line.
    pub fn logged(mut self, needle: &str) -> (Served, String) {
        let mut child = self.cmd.stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("start {}: {e}", self.name));
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
                Ok(line) if line.contains(needle) => return (Served { child, url: String::new(), stderr: rx }, line),
                Ok(_) => continue,
                Err(_) => {
                    let status = child.try_wait().ok().flatten();
                    panic!("{} never logged {needle:?} (exit: {status:?})", self.name);
                }
            }
        }
    }
}

impl Served {
    /// Starts `kiosk serve --config F` on a free port and waits for its "listening" line.
    pub fn start(config: &Path) -> Served {
        Served::start_with(&["serve", "--config", config.to_str().expect("a UTF-8 path")])
    }

    /// Starts `kiosk ARGS` with no display server in its environment and waits for its
    /// "listening" line (`kiosk --config F` then runs headless: authority and printer).
    pub fn start_with(args: &[&str]) -> Served {
        launch("kiosk").args(args).listening()
    }

    /// Waits until the process exits by itself, failing the test after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        wait_exit(&mut self.child, limit)
    }

    /// SIGTERM, as the system sends at shutdown; the process is still ours to wait for.
    pub fn sigterm(&self) {
        // SAFETY: sending a signal to our own child process by its pid.
        let sent = unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM to {}", self.child.id());
    }

    /// SIGKILL: no shutdown code runs, as in a power cut of the process.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status (within 20 s: a window closes slower than a socket).
    pub fn terminate(mut self) -> std::process::ExitStatus {
        self.sigterm();
        wait_exit(&mut self.child, Duration::from_secs(20))
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
    run_kiosk(Command::new(bin("kiosk")), args)
}

/// Runs `cmd` (the kiosk binary, or a wrapper that starts it) with `args` to completion, without
/// the environment's kiosk settings: (exit code, stdout, stderr).
pub(crate) fn run_kiosk(mut cmd: Command, args: &[&str]) -> (i32, String, String) {
    let out = cmd
        .args(args)
        .env_remove("KIOSK_CONFIG")
        .env_remove("KIOSK_TOKEN")
        .env_remove("KIOSK_URL")
        .env_remove("KIOSK_CA")
        .output()
        .expect("run kiosk");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

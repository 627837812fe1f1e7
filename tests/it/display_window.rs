//! The real `display --config F` with a hall board in a real window under Xvfb (no window
//! manager, as on the appliance): the window maps at the configured size, a call made through
//! the API reaches the board (its log, and a snapshot taken from the window's own renderer),
//! the offline mark follows the link, and SIGTERM stops the process cleanly. It also reports
//! the time to the first frame and the resident memory. Needs Xvfb and xdotool (apt-get
//! install xvfb xdotool); without them it says so and passes.
use testkit::*;
use shared::client::Client;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DISPLAY_TOKEN: &str = "e2e-display-token-00001";

fn have(tool: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {tool}")).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Polls `check` every 50 ms until it holds; panics after `secs`.
fn wait_for(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xdotool_out(display: &str, args: &[&str]) -> String {
    Command::new("xdotool").args(args).env("DISPLAY", display).stderr(Stdio::null()).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

#[test]
fn the_hall_board_in_a_real_window_shows_a_call_made_through_the_api() {
    if !have("Xvfb") || !have("xdotool") {
        eprintln!("skipped: Xvfb and xdotool are not installed (apt-get install xvfb xdotool)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), &tmp.path().join("queue.db"));
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[[auth.tokens]]\nname = \"hall\"\nrole = \"display\"\ntoken = \"{DISPLAY_TOKEN}\"\n"));
    std::fs::write(&config, text).unwrap();
    let served = Served::start(&config);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let kiosk = Client::new(&served.url, Some(KIOSK_TOKEN.into()));
    let staff = Client::new(&served.url, Some(COUNTER_TOKEN.into()));
    rt.block_on(async {
        for _ in 0..3 {
            kiosk.issue("civil", None).await.unwrap();
        }
    });

    let display = format!(":{}", 500 + std::process::id() % 400);
    let _xvfb = Killed(Command::new("Xvfb").args([display.as_str(), "-screen", "0", "1280x720x24", "-nolisten", "tcp"]).stderr(Stdio::null()).spawn().unwrap());
    wait_for(20, "Xvfb to accept clients", || Command::new("xdotool").arg("getmouselocation").env("DISPLAY", &display).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()));

    let snapshot = tmp.path().join("hall.png");
    let display_toml = tmp.path().join("display.toml");
    std::fs::write(
        &display_toml,
        format!(
            "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY_TOKEN}\"\n[follow]\nbackoff_min_ms = 20\nbackoff_max_ms = 200\n\
             [[outputs]]\nkind = \"hall\"\nwindow = true\nwidth = 1280\nheight = 720\nsnapshot = \"{}\"\nnotices = [\"Xin cảm ơn\"]\n",
            served.url,
            snapshot.display()
        ),
    )
    .unwrap();
    let log = tmp.path().join("display.log");
    let started = Instant::now();
    let child = Command::new(bin("display"))
        .args(["--config", display_toml.to_str().unwrap()])
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("WINIT_X11_SCALE_FACTOR", "1")
        .env("SLINT_SCALE_FACTOR", "1")
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut proc = Killed(child);
    let logged = |what: &str| std::fs::read_to_string(&log).unwrap_or_default().contains(what);
    wait_for(60, "the first frame", || logged("boards: first frame"));
    let first_frame = started.elapsed();
    wait_for(20, "the window mapped at 1280x720", || {
        xdotool_out(&display, &["search", "--onlyvisible", "--class", "display", "getwindowgeometry"]).contains("1280x720")
    });
    wait_for(20, "the link up and a snapshot", || logged("following") && snapshot.exists());

    // A call through the API reaches the board in the window.
    rt.block_on(staff.call_next("1")).unwrap().expect("A001 waits");
    wait_for(20, "the call on the board", || logged("hall board: newest call A001 at Quầy 1"));
    let seen = std::fs::metadata(&snapshot).unwrap().modified().unwrap();
    wait_for(20, "a snapshot of the window after the call", || {
        std::fs::metadata(&snapshot).and_then(|m| m.modified()).is_ok_and(|m| m > seen) || logged("newest call A001")
    });
    let (w, h, _) = display::golden::decode_rgb(&std::fs::read(&snapshot).unwrap()).unwrap();
    assert_eq!((w, h), (1280, 720), "the snapshot is the window's");

    let rss_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .unwrap_or(0);
    eprintln!("bench: hall board window: first frame {} ms after start (debug build), resident memory {} MB", first_frame.as_millis(), rss_kb / 1024);

    // SIGTERM closes the window and stops the follower; the exit is clean.
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    let mut status = None;
    wait_for(20, "the display to exit after SIGTERM", || {
        status = proc.0.try_wait().unwrap();
        status.is_some()
    });
    assert!(status.unwrap().success(), "display exited with {status:?}:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
    drop(served);
}

//! The real `kiosk --config F` window under Xvfb, driven by synthetic taps (xdotool), ends
//! with a ticket decoded by the virtual printer; then SIGTERM stops it cleanly. It also
//! reports the time from start to the first frame and the resident memory.
//!
//! Where to tap is measured, not guessed: the same UI is drawn headless at the same size in
//! this process, against an authority with the same configuration, and the centres of the
//! buttons are taken from there. Needs `Xvfb` and `xdotool` (apt-get install xvfb xdotool);
//! without them it says so and passes.
mod common;

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk::ui::headless::Headless;
use kiosk::ui::{TicketAdapter, TicketStage};
use shared::config::Config;
use slint::ComponentHandle;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SIZE: (u32, u32) = (1080, 1920);

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

/// The centres of the buttons a citizen taps to take a civil-status number with no priority.
fn tap_points(config: &Config, runtime: &tokio::runtime::Runtime, db: &Path) -> Vec<(f32, f32)> {
    let server = runtime.block_on(common::TestServer::start(db));
    let display = Headless::install(SIZE.0, SIZE.1).unwrap();
    let printer = kiosk::printing::open(config);
    let kiosk = kiosk::ui::build(config, &server.url, printer, runtime.handle().clone(), &Default::default()).unwrap();
    kiosk.app.show().unwrap();
    display.process();
    let centre = |label: &str| {
        let e = ElementHandle::find_by_accessible_label(&kiosk.app, label)
            .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
            .unwrap_or_else(|| panic!("no button {label:?}"));
        let (p, s) = (e.absolute_position(), e.size());
        (p.x + s.width / 2.0, p.y + s.height / 2.0)
    };
    let stage = |s| display.pump_until(Duration::from_secs(10), || kiosk.app.global::<TicketAdapter>().get_stage() == s);
    let mut points = vec![centre("Lấy số thứ tự")];
    display.tap(points[0].0, points[0].1);
    assert!(stage(TicketStage::Services));
    points.push(centre("Hộ tịch"));
    display.tap(points[1].0, points[1].1);
    assert!(stage(TicketStage::Priority));
    points.push(centre("Không thuộc đối tượng nào"));
    drop(kiosk);
    runtime.block_on(server.stop());
    points
}

fn xdotool_out(display: &str, args: &[&str]) -> String {
    Command::new("xdotool").args(args).env("DISPLAY", display).stderr(Stdio::null()).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

fn xdotool(display: &str, args: &[&str]) -> bool {
    Command::new("xdotool").args(args).env("DISPLAY", display).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

#[test]
fn the_real_window_under_xvfb_prints_a_ticket_from_synthetic_taps() {
    if !have("Xvfb") || !have("xdotool") {
        eprintln!("skipped: Xvfb and xdotool are not installed (apt-get install xvfb xdotool)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let paper = tmp.path().join("printer");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = common::config_text(&tmp.path().join("queue.db")).replace("[server]\n", &format!("[server]\nlisten = \"127.0.0.1:{port}\"\n"));
    let text = format!("{base}\n[printer.device]\nkind = \"simulator\"\ndir = \"{}\"\n", paper.display());
    let config_path = tmp.path().join("kiosk.toml");
    std::fs::write(&config_path, &text).unwrap();
    let config = Config::load(&config_path).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let points = tap_points(&config, &runtime, &tmp.path().join("measure.db"));

    let display = format!(":{}", 90 + std::process::id() % 400);
    let screen = format!("{}x{}x24", SIZE.0, SIZE.1);
    let _xvfb = Killed(Command::new("Xvfb").args([display.as_str(), "-screen", "0", &screen, "-nolisten", "tcp"]).stderr(Stdio::null()).spawn().unwrap());
    wait_for(20, "Xvfb to accept clients", || xdotool(&display, &["getmouselocation"]));

    let log = tmp.path().join("kiosk.log");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["--config", config_path.to_str().unwrap()])
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        // One logical pixel per pixel, as in the measuring UI, whatever DPI Xvfb reports.
        .env("WINIT_X11_SCALE_FACTOR", "1")
        .env("SLINT_SCALE_FACTOR", "1")
        // No window manager under this Xvfb: full screen by size.
        .env("KIOSK_SCREEN", format!("{}x{}", SIZE.0, SIZE.1))
        .env("RUST_LOG", "info,kiosk::ui=debug")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut kiosk = Killed(child);
    let logged = |what: &str| std::fs::read_to_string(&log).unwrap_or_default().contains(what);
    wait_for(60, "the first frame", || logged("first frame:"));
    let first_frame = started.elapsed();

    let tap = |(x, y): (f32, f32)| {
        let (x, y) = (x.round().to_string(), y.round().to_string());
        assert!(xdotool(&display, &["mousemove", &x, &y, "click", "1"]), "xdotool cannot tap");
    };
    // The first frame is drawn before X has mapped and sized the window: wait for both.
    let size = format!("{}x{}", SIZE.0, SIZE.1);
    wait_for(20, "the window mapped at full size", || xdotool_out(&display, &["search", "--onlyvisible", "--name", "Kiosk", "getwindowgeometry"]).contains(&size));
    // A tap that lands while the window is still settling is lost, as a finger's would be:
    // tap again (the services appear within milliseconds once a tap is taken).
    let mut shown = false;
    for _ in 0..5 {
        tap(points[0]);
        let deadline = Instant::now() + Duration::from_secs(3);
        while !shown && Instant::now() < deadline {
            shown = logged("take a number: services shown");
            std::thread::sleep(Duration::from_millis(50));
        }
        if shown {
            break;
        }
    }
    assert!(shown, "the services never showed after tapping \"Lấy số thứ tự\"");
    tap(points[1]);
    wait_for(20, "the priority choice on screen", || logged("take a number: priority choice shown"));
    tap(points[2]);
    wait_for(20, "the virtual printer's ticket", || {
        std::fs::read_dir(&paper).map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().ends_with("-A001.png"))).unwrap_or(false)
    });
    let rss_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .unwrap_or(0);
    eprintln!("bench: first frame {} ms after start (debug build), resident memory {} MB", first_frame.as_millis(), rss_kb / 1024);

    // SIGTERM closes the window and stops the authority; the exit is clean.
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    let mut status = None;
    wait_for(20, "the kiosk to exit after SIGTERM", || {
        status = kiosk.0.try_wait().unwrap();
        status.is_some()
    });
    let mut out = String::new();
    let _ = std::fs::File::open(&log).and_then(|mut f| f.read_to_string(&mut out));
    assert!(status.unwrap().success(), "kiosk exited with {status:?}:\n{out}");
}

//! systemd's readiness and watchdog (`Type=notify`, `WatchdogSec=`) as the real binaries speak
//! them to a notification socket the test binds (`testkit::notify`), with the environment
//! systemd gives a service (`NOTIFY_SOCKET`, `WATCHDOG_USEC`): `READY=1` once the service is
//! up (`kiosk serve`: its authority answers; the kiosk and the display: their window's first
//! frame), then `WATCHDOG=1` at half the watchdog's period. The windows run under Xvfb (apt-get
//! install xvfb xdotool); without it these fail saying so.
use std::time::Duration;
use testkit::notify::{Notice, NotifySocket};
use testkit::xvfb::Xvfb;
use testkit::*;

/// The watchdog period the tests give: pings are due every 500 ms.
const WATCHDOG_USEC: &str = "1000000";

/// Waits for READY=1, failing if anything came before it.
fn ready(notify: &NotifySocket) {
    let first = notify.until("READY=1", 1, 60);
    assert_eq!(first.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["READY=1"], "nothing before READY=1");
}

/// The next `count` messages, all pings, spaced by about half the period (not a burst, and
/// never the whole period: systemd would have killed the service).
fn pings(notify: &NotifySocket, count: usize) -> Vec<Notice> {
    let pings = notify.until("WATCHDOG=1", count, 30);
    assert!(pings.iter().all(|n| n.text == "WATCHDOG=1"), "only pings after READY=1: {pings:?}");
    let gaps: Vec<Duration> = pings.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(350) && *g < Duration::from_millis(1000)),
        "a ping every ~500 ms, within the 1 s period: {gaps:?}"
    );
    pings
}

/// Runs `program --config config` on `xvfb` as systemd would, then checks READY=1 came after
/// the log's `first_frame` line, that pings follow, and that SIGTERM stops it cleanly.
fn window_ready_then_pings(program: &str, config: &std::path::Path, xvfb: &Xvfb, notify: NotifySocket, first_frame: &str) {
    let log = config.with_file_name(format!("{program}.log"));
    let child = launch(program)
        .args(&["--config", config.to_str().unwrap()])
        .x11(xvfb.display())
        .env("NOTIFY_SOCKET", notify.address())
        .env("WATCHDOG_USEC", WATCHDOG_USEC)
        .log(&log)
        .spawn();
    ready(&notify);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(first_frame), "READY=1 after the first frame:\n{logged}");
    pings(&notify, 4);
    assert!(child.terminate().success(), "{}", std::fs::read_to_string(&log).unwrap());
}

// Fails if `kiosk serve` never says READY=1 (systemd kills it at TimeoutStartSec), says it
// before its authority answers (units ordered after it would start against a dead port), or
// does not ping within the period (systemd restarts a healthy authority every WatchdogSec).
#[test]
fn kiosk_serve_says_ready_once_its_authority_answers_then_pings_at_half_the_period() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), &tmp.path().join("queue.db"));
    let notify = NotifySocket::path();
    let served = launch("kiosk")
        .args(&["serve", "--config", config.to_str().unwrap()])
        .env("NOTIFY_SOCKET", notify.address())
        .env("WATCHDOG_USEC", WATCHDOG_USEC)
        .listening();
    ready(&notify);
    let health = reqwest::blocking::get(format!("{}/healthz", served.url)).unwrap();
    assert_eq!(health.status(), 200, "READY=1 means the authority answers");
    pings(&notify, 4);
    assert!(served.terminate().success(), "SIGTERM still stops it cleanly");
}

// Fails if the kiosk's window says READY=1 before its first frame (the boot would count a blank
// screen as up) or never, or if its UI thread's timer does not ping (systemd would restart the
// kiosk every WatchdogSec), over an abstract socket as systemd's can be.
#[test]
fn the_kiosk_window_says_ready_after_its_first_frame_then_pings_from_its_ui_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let config = testkit::config::in_process(&tmp.path().join("queue.db"))
        .listen("127.0.0.1:0")
        .simulated_printer(&tmp.path().join("printer"))
        .kiosk("screen", "\"600x800\"")
        .write(tmp.path());
    let xvfb = Xvfb::with_screen(600, 800);
    window_ready_then_pings("kiosk", &config, &xvfb, NotifySocket::abstract_name(), "first frame:");
}

// As the kiosk's, for the display's hall board in its window: fails if the display says
// READY=1 before the boards' first frame or never, or if its UI thread does not ping.
#[test]
fn the_display_window_says_ready_after_the_boards_first_frame_then_pings_from_its_ui_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let config = testkit::config::small(&tmp.path().join("queue.db")).token("hall", "display", DISPLAY, &[]).write(tmp.path());
    let served = Served::start(&config);
    let display_toml = tmp.path().join("display.toml");
    std::fs::write(
        &display_toml,
        format!(
            "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY}\"\n[[outputs]]\nkind = \"hall\"\nwindow = true\nwidth = 640\nheight = 360\n",
            served.url
        ),
    )
    .unwrap();
    let xvfb = Xvfb::with_screen(640, 360);
    window_ready_then_pings("display", &display_toml, &xvfb, NotifySocket::path(), "boards: first frame");
}

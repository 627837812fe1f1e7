//! The real `display --config F` with a hall board in a real window under Xvfb (no window
//! manager, as on the appliance): the window maps at the configured size, a call made through
//! the API reaches the board (its log, and a snapshot taken from the window's own renderer),
//! the offline mark follows the link, and SIGTERM stops the process cleanly. It also reports
//! the time to the first frame and the resident memory. Another test checks the board's size on
//! a bare X server: the screen's, unless `width`/`height` say otherwise. Needs Xvfb and xdotool
//! (apt-get install xvfb xdotool); without them it fails saying so.
use shared::client::Client;
use std::time::Instant;
use testkit::xvfb::Xvfb;
use testkit::*;

const DISPLAY_TOKEN: &str = "e2e-display-token-00001";

#[test]
fn the_hall_board_in_a_real_window_shows_a_call_made_through_the_api() {
    let tmp = tempfile::tempdir().unwrap();
    let config = testkit::config::small(&tmp.path().join("queue.db")).token("hall", "display", DISPLAY_TOKEN, &[]).write(tmp.path());
    let served = Served::start(&config);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let kiosk = Client::new(&served.url, Some(KIOSK_TOKEN.into()));
    let staff = Client::new(&served.url, Some(COUNTER_TOKEN.into()));
    rt.block_on(async {
        for _ in 0..3 {
            kiosk.issue("civil", None).await.unwrap();
        }
    });

    let xvfb = Xvfb::with_screen(1280, 720);

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
    let proc = launch("display").args(&["--config", display_toml.to_str().unwrap()]).x11(xvfb.display()).log(&log).spawn();
    let pid = proc.child.id();
    let logged = |what: &str| std::fs::read_to_string(&log).unwrap_or_default().contains(what);
    wait_until_blocking(60, "the first frame", || logged("boards: first frame"));
    let first_frame = started.elapsed();
    wait_until_blocking(20, "the window mapped at 1280x720", || {
        xvfb.xdotool_out(&["search", "--onlyvisible", "--class", "display", "getwindowgeometry"]).contains("1280x720")
    });
    wait_until_blocking(20, "the link up and a snapshot", || logged("following") && snapshot.exists());

    // A call through the API reaches the board in the window.
    rt.block_on(staff.call_next("1")).unwrap().expect("A001 waits");
    wait_until_blocking(20, "the call on the board", || logged("hall board: newest call A001 at Quầy 1"));
    let seen = std::fs::metadata(&snapshot).unwrap().modified().unwrap();
    wait_until_blocking(20, "a snapshot of the window after the call", || {
        std::fs::metadata(&snapshot).and_then(|m| m.modified()).is_ok_and(|m| m > seen) || logged("newest call A001")
    });
    let (w, h, _) = display::golden::decode_rgb(&std::fs::read(&snapshot).unwrap()).unwrap();
    assert_eq!((w, h), (1280, 720), "the snapshot is the window's");

    let rss_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .unwrap_or(0);
    eprintln!(
        "bench: hall board window: first frame {} ms after start (debug build), resident memory {} MB",
        first_frame.as_millis(),
        rss_kb / 1024
    );

    // SIGTERM closes the window and stops the follower; the exit is clean.
    let status = proc.terminate();
    assert!(status.success(), "display exited with {status:?}:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
    drop(served);
}

/// Without a window manager nothing honours a board's request for full screen: a board opened at
/// its configured size, 1920x1080 when none was given, whatever the panel. Proves that a hall
/// board with no `width`/`height` fills a portrait 1080x1920 X screen (no window manager) at 0,0,
/// its size taken from the X screen and logged so, and that `width`/`height` still win.
#[test]
fn on_a_bare_x_server_the_hall_board_fills_the_screen_unless_its_size_is_configured() {
    let tmp = tempfile::tempdir().unwrap();
    let config = testkit::config::small(&tmp.path().join("queue.db")).token("hall", "display", DISPLAY_TOKEN, &[]).write(tmp.path());
    let served = Served::start(&config);
    let xvfb = Xvfb::with_screen(1080, 1920);
    for (keys, size, from) in
        [("", (1080, 1920), "from the X screen"), ("width = 720\nheight = 1280\n", (720, 1280), "from the configuration")]
    {
        let display_toml = tmp.path().join("display.toml");
        let board = format!(
            "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY_TOKEN}\"\n[[outputs]]\nkind = \"hall\"\nwindow = true\n{keys}",
            served.url
        );
        std::fs::write(&display_toml, board).unwrap();
        let log = tmp.path().join(format!("display-{}.log", size.0));
        let proc = launch("display").args(&["--config", display_toml.to_str().unwrap()]).x11(xvfb.display()).log(&log).spawn();
        xvfb.wait_geometry(&["--class", "display"], (0, 0), size, 60);
        let said = format!("hall board: {}x{} at 0,0, {from}", size.0, size.1);
        assert!(std::fs::read_to_string(&log).unwrap().contains(&said), "the log does not say {said:?}");
        // SIGTERM the moment the window has its size: a clean stop, since the handler is
        // installed before the boards show.
        let status = proc.terminate();
        assert!(status.success(), "{status:?}: {}", std::fs::read_to_string(&log).unwrap());
    }
    drop(served);
}

//! The display controller against the real authority: `kiosk serve` as a process, the
//! display (`display::run_with`) in this test, and between them a TCP proxy the test cuts.
//! A call made through the API must reach the counter screen PNG, the hall board (the Slint
//! board on the headless platform, its snapshot written) and the announcement queue, and calls
//! made while the link is down must arrive after it is back: none lost, none twice.
use display::boards::{BoardFrame, Spec};
use display::counter::devices::encode_png;
use display::counter::{render, CounterView, Frame};
use display::model::Call;
use shared::client::Client;
use shared::client::CounterAction;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use testkit::*;
use tokio::sync::mpsc::UnboundedReceiver;

const DISPLAY_TOKEN: &str = "e2e-display-token-00001";

/// A TCP proxy on loopback that can cut every connection and refuse new ones, then recover.
struct Proxy {
    url: String,
    state: Arc<Mutex<(bool, Vec<TcpStream>)>>,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state: Arc<Mutex<(bool, Vec<TcpStream>)>> = Arc::new(Mutex::new((true, Vec::new())));
        let st = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let mut s = st.lock().unwrap();
                // While cut, a connection is accepted and dropped at once: the display sees
                // the authority go away, as when a switch loses power.
                if !s.0 {
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else { continue };
                s.1.push(client.try_clone().unwrap());
                s.1.push(server.try_clone().unwrap());
                drop(s);
                for (mut from, mut to) in [(client.try_clone().unwrap(), server.try_clone().unwrap()), (server, client)] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 8192];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 || to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                        let _ = from.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Proxy { url, state }
    }

    fn cut(&self) {
        let mut s = self.state.lock().unwrap();
        s.0 = false;
        for c in s.1.drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.state.lock().unwrap().0 = true;
    }
}

/// The next frame that satisfies `pred`, failing the test after 20 s.
async fn frame_until(rx: &mut UnboundedReceiver<(String, CounterView, Instant)>, pred: impl Fn(&CounterView) -> bool) -> CounterView {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (_, view, _) = tokio::time::timeout_at(deadline, rx.recv()).await.expect("the expected frame in time").expect("frames");
        if pred(&view) {
            return view;
        }
    }
}

/// The next `n` calls queued for announcement.
async fn calls(rx: &mut UnboundedReceiver<Call>, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let c = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.expect("a call in time").expect("calls");
        out.push(c.number);
    }
    out
}

/// Waits until `dir` holds `n` finished WAV files; their names in order.
async fn recorded(dir: &Path, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".wav"))
            .collect();
        names.sort();
        if names.len() >= n {
            return names;
        }
        assert!(Instant::now() < deadline, "only {names:?} recorded");
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await; // polling interval, not a wait for an event
    }
}

/// The next hall board frame (rendered and snapshotted) whose view satisfies `pred`.
fn hall_until(
    rx: &std::sync::mpsc::Receiver<BoardFrame>,
    pred: impl Fn(&display::boards::hall::HallView) -> bool,
) -> display::boards::hall::HallView {
    // A blocking wait: the runtime is told, so its other work goes on meanwhile.
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let f = rx.recv_timeout(left).expect("the expected hall board frame in time");
            if let Some(v) = f.hall.filter(|v| pred(v)) {
                return v;
            }
        }
    })
}

fn hall_settings(snapshot: &Path) -> display::boards::hall::HallSettings {
    display::boards::hall::HallSettings {
        size: Some((1280, 720)),
        snapshot: Some(snapshot.to_owned()),
        notices: vec!["Xin cảm ơn".into()],
        earlier: 4,
        flash: Duration::from_secs(2),
        offset: chrono::FixedOffset::east_opt(7 * 3600).unwrap(),
    }
}

fn png_of(number: &str) -> Vec<u8> {
    let mut f = Frame::new(200, 150);
    let Ok(()) = render(&mut f, &CounterView { title: "Quầy 1".into(), number: Some(number.into()), online: true, notice: None });
    encode_png(&f)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn calls_survive_a_cut_link_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let config = testkit::config::small(&dir.path().join("queue.db")).token("hall", "display", DISPLAY_TOKEN, &[]).write(dir.path());
    let served = Served::start(&config);
    let proxy = Proxy::start(&served.url);
    let kiosk = Client::new(&served.url, Some(KIOSK_TOKEN.into()));
    let staff = Client::new(&served.url, Some(COUNTER_TOKEN.into()));
    for _ in 0..5 {
        kiosk.issue("civil", None).await.unwrap();
    }

    let png: PathBuf = dir.path().join("counter-1.png");
    let voice = dir.path().join("voice");
    std::fs::create_dir(&voice).unwrap();
    let clips = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice/vi");
    let display_toml = format!(
        "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY_TOKEN}\"\n[follow]\nbackoff_min_ms = 20\nbackoff_max_ms = 200\n\
         [[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\nwidth = 200\nheight = 150\n\
         [[outputs]]\nkind = \"voice\"\nclips = \"{}\"\nrecord_dir = \"{}\"\n",
        proxy.url,
        png.display(),
        clips.display(),
        voice.display()
    );
    let cfg = display::config::Config::parse(&display_toml).unwrap();
    let (frames_tx, mut frames) = tokio::sync::mpsc::unbounded_channel();
    let (calls_tx, mut queued) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let probes = display::Probes { frames: Some(frames_tx), calls: Some(calls_tx), ..Default::default() };
    // The hall board on the same model, on a thread of its own as the binary's main thread.
    let wiring = std::sync::Arc::new(display::Wiring::new());
    let hall_png = dir.path().join("hall.png");
    let spec = Spec { halls: vec![hall_settings(&hall_png)], results: vec![], windowed: false };
    let (hall_tx, hall_frames) = std::sync::mpsc::channel::<BoardFrame>();
    let (model, health, rt) = (wiring.model.subscribe(), wiring.health.clone(), tokio::runtime::Handle::current());
    let boards = std::thread::spawn(move || display::boards::run(spec, model, rt, health, Some(hall_tx)));
    let w = wiring.clone();
    let run = tokio::spawn(async move { display::run_on(cfg, stop_rx, probes, &w).await });

    // Online first, then a call through the API reaches the screen and the queue.
    frame_until(&mut frames, |v| v.online).await;
    staff.call_next("1").await.unwrap().expect("a ticket waits");
    frame_until(&mut frames, |v| v.number.as_deref() == Some("A001")).await;
    assert_eq!(std::fs::read(&png).unwrap(), png_of("A001"), "the PNG shows A001 at Quầy 1");
    assert_eq!(calls(&mut queued, 1).await, ["A001"]);
    let hall = hall_until(&hall_frames, |v| v.newest.as_ref().is_some_and(|c| c.number == "A001"));
    assert_eq!(hall.newest.unwrap().counter, "Quầy 1");
    assert_eq!(hall.services.iter().find(|s| s.0 == "Hộ tịch").map(|s| s.2), Some(4), "4 people still waiting");
    let snap = display::golden::decode_rgb(&std::fs::read(&hall_png).unwrap()).unwrap();
    assert_eq!((snap.0, snap.1), (1280, 720), "the hall snapshot is written");

    // Link cut: the screen marks itself offline; calls go on at the counter meanwhile.
    proxy.cut();
    frame_until(&mut frames, |v| !v.online).await;
    hall_until(&hall_frames, |v| !v.online);
    staff.call_next("1").await.unwrap().expect("A002 waits");
    staff.call_next("1").await.unwrap().expect("A003 waits");
    proxy.restore();
    frame_until(&mut frames, |v| v.online && v.number.as_deref() == Some("A003")).await;
    assert_eq!(std::fs::read(&png).unwrap(), png_of("A003"));
    assert_eq!(calls(&mut queued, 2).await, ["A002", "A003"]);
    let hall = hall_until(&hall_frames, |v| v.online && v.newest.as_ref().is_some_and(|c| c.number == "A003"));
    let earlier: Vec<&str> = hall.earlier.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(earlier, ["A002", "A001"], "the hall lists the calls missed while cut, once each");

    // Cut again mid-stream with a recall in between; then one more call after recovery.
    proxy.cut();
    frame_until(&mut frames, |v| !v.online).await;
    staff.counter_action("1", CounterAction::Recall).await.unwrap();
    proxy.restore();
    frame_until(&mut frames, |v| v.online).await;
    staff.call_next("1").await.unwrap().expect("A004 waits");
    frame_until(&mut frames, |v| v.number.as_deref() == Some("A004")).await;
    assert_eq!(calls(&mut queued, 2).await, ["A003", "A004"]);

    // Nothing more was queued: no call was delivered twice across the reconnections.
    assert!(queued.try_recv().is_err(), "a call was queued twice");
    let spoken = recorded(&voice, 5).await;
    let labels: Vec<&str> = spoken.iter().map(|n| &n[6..n.len() - 4]).collect();
    assert_eq!(labels, ["A001-1", "A002-1", "A003-1", "A003-1", "A004-1"]);

    let hall = hall_until(&hall_frames, |v| v.newest.as_ref().is_some_and(|c| c.number == "A004"));
    let earlier: Vec<&str> = hall.earlier.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(earlier, ["A003", "A002", "A001"], "the recalled A003 is listed once");

    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), run).await.expect("the display stops").unwrap().unwrap();
    display::boards::quit();
    boards.join().unwrap().unwrap();
    assert_eq!(std::fs::read_dir(&voice).unwrap().count(), 5, "nothing spoken twice");
    drop(served);
}

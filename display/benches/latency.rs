//! Display controller bench, release profile: latency from a call's `POST .../call-next` to
//! the next rendered frame showing it, on the hall board (Slint, software renderer, headless
//! platform, full HD) and on a counter screen (PNG 320×240), p50/p99 over loopback with the
//! real `kiosk serve` process; frame render times of the hall board and counter screens; and
//! the resident memory (VmRSS) of the real `display` binary (hall board headless with its
//! snapshot, a counter PNG screen) at start and along a long run of calls.
//!
//! `cargo build --release -p kiosk && cargo bench -p display --bench latency` (the kiosk
//! binary is taken from the same profile's folder, or from `$KIOSK_BIN`; `BENCH_CALLS` and
//! `BENCH_LONG_CALLS` change the counts). Prints figures; asserts nothing about time.
use display::boards::hall::{Hall, HallSettings};
use display::boards::headless::{render as render_board, Headless};
use display::boards::screens::{fixed_now, sample_model, sample_notices, vietnam};
use display::boards::{BoardFrame, Spec};
use display::counter::devices::encode_png;
use display::counter::{render, CounterView, Frame};
use display::model::Call;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::Served;

const KIOSK: &str = "bench-kiosk-token-000001";
const COUNTER: &str = "bench-counter-token-0001";
const DISPLAY: &str = "bench-display-token-0001";

fn count(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Starts `kiosk serve` on a free port with a one-service centre and a token per role.
fn serve(dir: &Path) -> Served {
    let centre = testkit::config::one_service().store(&dir.join("q.db")).listen("127.0.0.1:0");
    let centre = centre.token("k", "kiosk", KIOSK, &[]).token("c", "counter", COUNTER, &[]).token("d", "display", DISPLAY, &[]);
    Served::start(&centre.write(dir))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    format!("p50 {:.1?} p99 {:.1?} max {:.1?} (n={})", percentile(&v, 0.5), percentile(&v, 0.99), v[v.len() - 1], v.len())
}

fn vm_rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = s.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Issues `n` tickets.
async fn issue(http: &reqwest::Client, url: &str, n: usize) {
    for _ in 0..n {
        let r = http
            .post(format!("{url}/api/v1/tickets"))
            .bearer_auth(KIOSK)
            .json(&serde_json::json!({"service": "civil"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
}

/// Calls the next ticket; its number.
async fn call_next(http: &reqwest::Client, url: &str) -> String {
    let r = http.post(format!("{url}/api/v1/counters/1/call-next")).bearer_auth(COUNTER).send().await.unwrap();
    let ticket: serde_json::Value = r.json().await.unwrap();
    ticket["number"].as_str().unwrap().to_owned()
}

fn main() {
    let calls = count("BENCH_CALLS", 300);
    let long_calls = count("BENCH_LONG_CALLS", 3000);

    // Counter screen render time, no I/O: 320x240, and 800x480 (the Pi's 7" panel).
    for (w, h) in [(320, 240), (800, 480)] {
        let mut f = Frame::new(w, h);
        let view = CounterView { title: "Quầy 3".into(), number: Some("A1023".into()), online: true, notice: None };
        let times: Vec<Duration> = (0..200)
            .map(|_| {
                let t = Instant::now();
                let Ok(()) = render(&mut f, &view);
                t.elapsed()
            })
            .collect();
        let t = Instant::now();
        let png = encode_png(&f);
        println!("counter screen render {w}x{h}: {}; PNG encode {:.1?} ({} bytes)", summary(times), t.elapsed(), png.len());
    }

    // The headless platform for the hall board: its frame render time first.
    let hl = Headless::install(1920, 1080).unwrap();
    for (w, h) in [(1920, 1080), (1280, 720)] {
        let settings = HallSettings {
            size: Some((w, h)),
            snapshot: None,
            notices: sample_notices(),
            earlier: 4,
            flash: Duration::ZERO,
            offset: vietnam(),
        };
        let (hall, window) = hl.create(w, h, || Hall::new(settings, false)).unwrap();
        hall.tick(fixed_now());
        let mut model = sample_model();
        let times: Vec<Duration> = (0..60u64)
            .map(|i| {
                // A new call each frame, so every frame has something new to lay out.
                model.calls.push_front(Call {
                    ticket: 1000 + i,
                    number: format!("A{:03}", i),
                    counter: "2".into(),
                    counter_number: 2,
                    key: format!("event:{}", 1000 + i),
                });
                model.calls.truncate(12);
                hall.update(&model);
                let t = Instant::now();
                let _ = render_board(&window);
                t.elapsed()
            })
            .collect();
        println!("hall board full frame render {w}x{h} (software renderer): {}", summary(times));
    }

    // Latency over loopback: the real authority, the display's controller on tokio, the hall
    // board on this (main) thread as in the binary.
    let dir = tempfile::tempdir().unwrap();
    let kiosk = serve(dir.path());
    let url = kiosk.url.clone();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let toml = format!(
        "[authority]\nurl = \"{url}\"\ntoken = \"{DISPLAY}\"\n[[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\n",
        dir.path().join("c1.png").display()
    );
    let cfg = display::config::Config::parse(&toml).unwrap();
    let wiring = std::sync::Arc::new(display::Wiring::new());
    let (ftx, mut frames) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let probes = display::Probes { frames: Some(ftx), ..Default::default() };
    let w = wiring.clone();
    let run = rt.spawn(async move { display::run_on(cfg, stop_rx, probes, &w).await });
    let (hall_tx, hall_frames) = std::sync::mpsc::channel::<BoardFrame>();
    // The driver: posts calls, matches frames; the board runs here until it is done.
    let driver_url = url.clone();
    let driver = rt.spawn(async move {
        let http = reqwest::Client::new();
        issue(&http, &driver_url, calls).await;
        while !frames.recv().await.unwrap().1.online {}
        let mut counter_lat = Vec::with_capacity(calls);
        let mut hall_lat = Vec::with_capacity(calls);
        for _ in 0..calls {
            let t0 = Instant::now();
            let number = call_next(&http, &driver_url).await;
            let shown = loop {
                let (_, v, at) = frames.recv().await.unwrap();
                if v.number.as_deref() == Some(&number) {
                    break at;
                }
            };
            counter_lat.push(shown - t0);
            let hall_at = tokio::task::block_in_place(|| loop {
                let f = hall_frames.recv_timeout(Duration::from_secs(10)).expect("a hall frame");
                if f.hall.is_some_and(|v| v.newest.is_some_and(|c| c.number == number)) {
                    break f.at;
                }
            });
            hall_lat.push(hall_at - t0);
        }
        display::boards::quit();
        (counter_lat, hall_lat)
    });
    // The board loop of the binary, on the headless platform installed above.
    let spec = Spec {
        halls: vec![HallSettings {
            size: Some((1920, 1080)),
            snapshot: None,
            notices: sample_notices(),
            earlier: 4,
            flash: Duration::from_secs(6),
            offset: vietnam(),
        }],
        results: vec![],
        windowed: false,
    };
    display::boards::run_headless(&hl, spec, wiring.model.subscribe(), rt.handle().clone(), wiring.health.clone(), Some(hall_tx)).unwrap();
    let (counter_lat, hall_lat) = rt.block_on(driver).unwrap();
    println!("call POST → counter screen frame (PNG 320x240, loopback): {}", summary(counter_lat));
    println!("call POST → hall board frame rendered (1920x1080, loopback): {}", summary(hall_lat));
    stop.send(true).unwrap();
    rt.block_on(run).unwrap().unwrap();

    // Memory of the real binary along a long run of calls: the hall board headless with its
    // snapshot (a PNG written per change), a counter PNG screen.
    let cfg = dir.path().join("display.toml");
    let png = dir.path().join("d1.png");
    let hall_png = dir.path().join("hall.png");
    std::fs::write(
        &cfg,
        format!(
            "[authority]\nurl = \"{url}\"\ntoken = \"{DISPLAY}\"\n[[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\n\
             [[outputs]]\nkind = \"hall\"\nwindow = false\nsnapshot = \"{}\"\nnotices = [\"Xin cảm ơn\"]\n",
            png.display(),
            hall_png.display()
        ),
    )
    .unwrap();
    // The "following" log line comes once the state is loaded and the stream is open.
    let (child, _) = testkit::launch("display").args(&["--config", cfg.to_str().unwrap()]).logged("following");
    testkit::wait_until_blocking(20, "display draws", || png.exists() && hall_png.exists());
    let pid = child.child.id();
    let mut rss = vec![(0usize, vm_rss_kib(pid))];
    rt.block_on(async {
        let http = reqwest::Client::new();
        let step = (long_calls / 6).max(1);
        let mut done = 0;
        while done < long_calls {
            issue(&http, &url, step).await;
            for _ in 0..step {
                call_next(&http, &url).await;
            }
            done += step;
            // Let the display catch up before reading its memory.
            tokio::time::sleep(Duration::from_millis(500)).await;
            rss.push((done, vm_rss_kib(pid)));
        }
    });
    let line: Vec<String> = rss.iter().map(|(n, kib)| format!("{n} calls: {:.1} MiB", *kib as f64 / 1024.0)).collect();
    println!("display binary VmRSS (hall board headless + snapshot, counter PNG): {}", line.join(", "));
    child.kill();
    kiosk.kill();
}

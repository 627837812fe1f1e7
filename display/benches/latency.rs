//! Display controller bench: latency from a call's `POST .../call-next` to the counter
//! screen's next rendered frame showing it (p50/p99 over loopback, with the real `kiosk serve`
//! process), the render time of one counter screen, and the resident memory (VmRSS) of the
//! real `display` binary following the authority with a PNG screen.
//!
//! `cargo build -p kiosk && cargo bench -p display --bench latency --profile dev` (the kiosk
//! binary is taken from the same profile's folder, or from `$KIOSK_BIN`). Prints figures;
//! asserts nothing about time.
use display::counter::devices::encode_png;
use display::counter::{render, CounterView, Frame};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KIOSK: &str = "bench-kiosk-token-000001";
const COUNTER: &str = "bench-counter-token-0001";
const DISPLAY: &str = "bench-display-token-0001";
const CALLS: usize = 200;

fn kiosk_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("KIOSK_BIN") {
        return p.into();
    }
    let exe = std::env::current_exe().unwrap();
    let p = exe.parent().and_then(Path::parent).unwrap().join("kiosk");
    assert!(p.exists(), "{} missing: cargo build -p kiosk (same profile) or set KIOSK_BIN", p.display());
    p
}

/// Starts `kiosk serve` on a free port; (child, base URL).
fn serve(dir: &Path) -> (Child, String) {
    let config = dir.join("kiosk.toml");
    let text = format!(
        "[store]\npath = \"{}\"\n[server]\nlisten = \"127.0.0.1:0\"\n\
         [[services]]\nid = \"civil\"\nname = \"Hộ tịch\"\nletter = \"A\"\n\
         [[counters]]\nid = \"1\"\nname = \"Quầy 1\"\nnumber = 1\nservices = [\"civil\"]\n\
         [[auth.tokens]]\nname = \"k\"\nrole = \"kiosk\"\ntoken = \"{KIOSK}\"\n\
         [[auth.tokens]]\nname = \"c\"\nrole = \"counter\"\ntoken = \"{COUNTER}\"\n\
         [[auth.tokens]]\nname = \"d\"\nrole = \"display\"\ntoken = \"{DISPLAY}\"\n",
        dir.join("q.db").display()
    );
    std::fs::write(&config, text).unwrap();
    let mut child = Command::new(kiosk_bin())
        .args(["serve", "--config"])
        .arg(&config)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("kiosk serve printed its address").unwrap();
        if let Some(u) = line.split("listening on ").nth(1) {
            break u.trim().to_owned();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn vm_rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = s.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn main() {
    // Render time, no I/O: one 320x240 counter screen, and a 800x480 one (the Pi's 7" panel).
    for (w, h) in [(320, 240), (800, 480)] {
        let mut f = Frame::new(w, h);
        let view = CounterView { title: "Quầy 3".into(), number: Some("A1023".into()), online: true, notice: None };
        let mut times: Vec<Duration> = (0..100)
            .map(|_| {
                let t = Instant::now();
                let Ok(()) = render(&mut f, &view);
                t.elapsed()
            })
            .collect();
        times.sort();
        let t = Instant::now();
        let png = encode_png(&f);
        let png_time = t.elapsed();
        println!("render {w}x{h}: p50 {:?} p99 {:?}; PNG encode {:?} ({} bytes)", percentile(&times, 0.5), percentile(&times, 0.99), png_time, png.len());
    }

    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, url) = serve(dir.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        for _ in 0..CALLS {
            let r = http.post(format!("{url}/api/v1/tickets")).bearer_auth(KIOSK).json(&serde_json::json!({"service": "civil"})).send().await.unwrap();
            assert!(r.status().is_success());
        }
        let toml = format!(
            "[authority]\nurl = \"{url}\"\ntoken = \"{DISPLAY}\"\n[[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\n",
            dir.path().join("c1.png").display()
        );
        let cfg = display::config::Config::parse(&toml).unwrap();
        let (ftx, mut frames) = tokio::sync::mpsc::unbounded_channel();
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let probes = display::Probes { frames: Some(ftx), calls: None };
        let run = tokio::spawn(display::run_with(cfg, stop_rx, probes));
        while !frames.recv().await.unwrap().1.online {}
        let mut lat = Vec::with_capacity(CALLS);
        for _ in 0..CALLS {
            let t0 = Instant::now();
            let r = http.post(format!("{url}/api/v1/counters/1/call-next")).bearer_auth(COUNTER).send().await.unwrap();
            let ticket: serde_json::Value = r.json().await.unwrap();
            let number = ticket["number"].as_str().unwrap().to_owned();
            let shown = loop {
                let (_, v, at) = frames.recv().await.unwrap();
                if v.number.as_deref() == Some(&number) {
                    break at;
                }
            };
            lat.push(shown - t0);
        }
        lat.sort();
        println!(
            "call → frame shown (PNG 320x240, loopback, {CALLS} calls): p50 {:?} p99 {:?} max {:?}",
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            lat[lat.len() - 1]
        );
        stop.send(true).unwrap();
        run.await.unwrap().unwrap();
    });

    // Memory of the real binary: started, connected, a frame drawn, then read.
    let cfg = dir.path().join("display.toml");
    let png = dir.path().join("d1.png");
    std::fs::write(&cfg, format!("[authority]\nurl = \"{url}\"\ntoken = \"{DISPLAY}\"\n[[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\n", png.display())).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_display")).arg("--config").arg(&cfg).stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The "following" log line comes once the state is loaded and the stream is open.
    while !lines.next().expect("display logs").unwrap().contains("following") {}
    let deadline = Instant::now() + Duration::from_secs(10);
    while !png.exists() {
        assert!(Instant::now() < deadline, "display drew nothing");
        std::thread::yield_now();
    }
    println!("display binary VmRSS (PNG screen, following): {} KiB", vm_rss_kib(child.id()));
    let _ = child.kill();
    let _ = child.wait();
    let _ = kiosk.kill();
    let _ = kiosk.wait();
}

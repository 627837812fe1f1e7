//! The kiosk's touch UI, measured: `cargo bench -p kiosk --bench window`.
//!
//! 1. Start-up: the real `kiosk --config F` (demo configuration: 5 services, the 2,929
//!    procedures) under Xvfb, started RUNS times: the time from spawning the process to its
//!    first frame and to the authority's first answer (`GET /healthz`, 200), and its resident
//!    memory then and once the catalogue is indexed (and the peak).
//! 2. A keystroke on the procedure search, in-process on the headless platform at 1080×1920:
//!    the controller's work (compose Telex, search, fill the list) and that plus drawing the whole
//!    frame with the software renderer, over realistic queries typed key by key.
//!
//! Prints medians and percentiles; asserts nothing about time. Needs `Xvfb` and `xdotool` for
//! part 1 (it stops saying so without them). `CATALOGUE=FILE` starts the kiosk on another
//! catalogue file (the 6,700 records `cargo bench -p shared --bench import` writes, for one).
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{HomeAdapter, ProceduresAdapter};
use shared::config::Config;
use slint::ComponentHandle;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn demo_config(dir: &Path) -> std::path::PathBuf {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets");
    let text = std::fs::read_to_string(assets.join("demo.toml")).expect("assets/demo.toml");
    let text = text
        .replace("path = \"../run/queue.db\"", &format!("path = \"{}\"", dir.join("queue.db").display()))
        .replace("listen = \"127.0.0.1:8080\"", "listen = \"127.0.0.1:0\"")
        .replace("dir = \"../run/printer\"", &format!("dir = \"{}\"", dir.join("printer").display()))
        .replace("\"catalogue/", &format!("\"{}/catalogue/", assets.display()));
    let text = match std::env::var("CATALOGUE").ok().filter(|f| !f.is_empty()) {
        Some(file) => {
            text.replace(&format!("procedures = \"{}/catalogue/procedures.jsonl\"", assets.display()), &format!("procedures = \"{file}\""))
        }
        None => text,
    };
    let text = text.replace("# screen = \"1080x1920\"", "screen = \"1080x1920\"");
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).expect("write the bench configuration");
    path
}

fn status_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Proportional memory (`Pss` of smaps_rollup): what the process costs, its share of the shared
/// libraries counted once across the processes that map them.
fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Pss:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn wait_for_log(log: &Path, what: &str, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains(what)) {
            return Some(line.to_owned());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

/// Milliseconds from `started` to the first 200 of `GET /healthz` at the address the authority
/// logged (polled every 2 ms from its own thread, beside the wait for the first frame).
fn first_answer(log: &Path, started: Instant) -> Option<f64> {
    use std::io::{Read, Write};
    let line = wait_for_log(log, "queue authority listening on http://", Duration::from_secs(60))?;
    let addr = line.split("listening on http://").nth(1)?.split_whitespace().next()?.to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut conn) = std::net::TcpStream::connect(&addr) {
            let _ = conn.write_all(b"GET /healthz HTTP/1.0\r\nHost: bench\r\n\r\n");
            let mut head = [0u8; 12];
            if conn.read_exact(&mut head).is_ok() && head.ends_with(b"200") {
                return Some(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn startup(dir: &Path) {
    let config = demo_config(dir);
    let xvfb = testkit::xvfb::Xvfb::with_screen(1080, 1920);
    let (mut wall, mut inner, mut rss_first, mut rss_loaded, mut peak) = (vec![], vec![], vec![], vec![], vec![]);
    let mut pss_loaded = vec![];
    let mut answer = vec![];
    for run in 0..RUNS {
        let log = dir.join(format!("run-{run}.log"));
        let launch = testkit::launch("kiosk").args(&["--config", config.to_str().unwrap()]).env("DISPLAY", xvfb.display()).log(&log);
        let started = Instant::now();
        let child = launch.spawn();
        let pid = child.child.id();
        let answering = {
            let log = log.clone();
            std::thread::spawn(move || first_answer(&log, started))
        };
        let Some(line) = wait_for_log(&log, "first frame:", Duration::from_secs(60)) else {
            println!("start-up: no first frame within 60 s (see {})", log.display());
            child.kill();
            break;
        };
        wall.push(started.elapsed().as_secs_f64() * 1000.0);
        rss_first.push(status_kb(pid, "VmRSS:") as f64 / 1024.0);
        if let Some(ms) = answering.join().expect("the poller") {
            answer.push(ms);
        }
        if let Some(ms) = line.split("first frame: ").nth(1).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse::<f64>().ok()) {
            inner.push(ms);
        }
        if wait_for_log(&log, "procedure catalogue: ", Duration::from_secs(60)).is_some() {
            std::thread::sleep(Duration::from_millis(200));
            rss_loaded.push(status_kb(pid, "VmRSS:") as f64 / 1024.0);
            pss_loaded.push(pss_kb(pid) as f64 / 1024.0);
            peak.push(status_kb(pid, "VmHWM:") as f64 / 1024.0);
        }
        let _ = child.terminate();
        // The next run starts on a fresh database file, as a kiosk's first boot of the day would not.
        // (and its marker, or the authority would refuse a store gone from where it was seen).
        for f in ["queue.db", "queue.db.seen"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
    }
    drop(xvfb);
    let show = |name: &str, v: &mut Vec<f64>, unit: &str| {
        if v.is_empty() {
            return;
        }
        v.sort_by(f64::total_cmp);
        println!(
            "{name:<44} median {:>7.1} {unit}  min {:>7.1}  max {:>7.1}  ({} runs)",
            percentile(v, 0.5),
            v[0],
            v[v.len() - 1],
            v.len()
        );
    };
    println!("start-up of `kiosk --config demo.toml` under Xvfb 1080x1920, release build:");
    show("  spawn → first frame (wall clock)", &mut wall, "ms");
    show("  touch UI start → first frame (in process)", &mut inner, "ms");
    show("  spawn → the authority's first answer (/healthz)", &mut answer, "ms");
    show("  resident memory at the first frame", &mut rss_first, "MiB");
    show("  resident memory, catalogue indexed", &mut rss_loaded, "MiB");
    show("  proportional memory (PSS), catalogue indexed", &mut pss_loaded, "MiB");
    show("  peak resident memory (VmHWM)", &mut peak, "MiB");
}

/// Telex keys of queries a citizen types, one key at a time.
const QUERIES: [&str; 10] = [
    "ddawng kys khai sinh",
    "tams truss",
    "caaps ddooir the can cuowcs",
    "ho chieu",
    "chuwngs thuwcj bar sao",
    "ddawng kys keets hoon",
    "giaays chuwngs nhaanj quyeenf suwr dungj ddaats",
    "trowj caaps thaats nghieepj",
    "ddawng kys kinh doanh hooj",
    "1.004194",
];

fn keystrokes(dir: &Path) {
    let config = Config::load(&demo_config(dir)).expect("the bench configuration loads");
    let display = Headless::install(1080, 1920).expect("the headless platform");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let printer = kiosk::printing::open(&config);
    let kiosk =
        kiosk::ui::build(&config, "http://127.0.0.1:9", printer, runtime.handle().clone(), &UiSettings::from_config(&config)).unwrap();
    kiosk.app.show().unwrap();
    assert!(display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().unwrap().is_some()), "the catalogue loads");
    kiosk.app.global::<HomeAdapter>().invoke_procedures();
    let procedures = kiosk.app.global::<ProceduresAdapter>();
    display.render();
    let procedures_count = kiosk.catalogue.lock().unwrap().as_ref().map_or(0, |c| c.len());
    let (mut work, mut frame) = (vec![], vec![]);
    for _round in 0..5 {
        for q in QUERIES {
            procedures.invoke_key("".into());
            for k in q.chars() {
                let t = Instant::now();
                procedures.invoke_key(k.to_string().into());
                let _ = slint::Model::row_count(&procedures.get_hits());
                work.push(t.elapsed().as_secs_f64() * 1000.0);
                display.render();
                frame.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    for v in [&mut work, &mut frame] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "a keystroke on the procedure search ({} keys of {} queries, {procedures_count} procedures, headless 1080x1920):",
        work.len(),
        QUERIES.len()
    );
    println!(
        "  compose + search + result list              p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        percentile(&work, 0.5),
        percentile(&work, 0.99),
        work[work.len() - 1]
    );
    println!(
        "  … and the whole frame drawn (software)       p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        percentile(&frame, 0.5),
        percentile(&frame, 0.99),
        frame[frame.len() - 1]
    );
    drop(kiosk);
}

fn main() {
    // `cargo bench` passes --bench (and maybe a filter); nothing to parse.
    let dir = tempfile::tempdir().expect("a temporary folder");
    startup(dir.path());
    keystrokes(dir.path());
}

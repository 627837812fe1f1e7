//! Counter keypads against the real authority (`kiosk serve` on 127.0.0.1 port 0): a USB
//! keypad's raw input events (written into a named pipe standing in for /dev/input/eventN)
//! go through the real reader, the presser and a TCP proxy that makes the link slow or loses
//! an answer. A press is done once however slow the link and however often it is pressed
//! while in flight; the counter screen shows the answer. And the display's health reaches the
//! authority's state.
use display::counter::CounterView;
use display::keypad::evdev::{encode, InputEvent, EV_KEY};
use display::keypad::{Button, Outcome};
use shared::client::Client;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::*;
use tokio::sync::mpsc::UnboundedReceiver;

const DISPLAY_TOKEN: &str = "e2e-display-token-00001";

/// A proxy on loopback that delays every answer by `delay`, and can swallow the next answers
/// whole (the request reaches the authority, the answer never comes back).
struct SlowProxy {
    url: String,
    delay_ms: Arc<AtomicU32>,
    swallow: Arc<AtomicU32>,
}

impl SlowProxy {
    fn start(upstream: &str) -> SlowProxy {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (delay_ms, swallow) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let (d, sw) = (delay_ms.clone(), swallow.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let Ok(server) = TcpStream::connect(&upstream) else { continue };
                let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                // Only a counter command's answer is ever lost (not the event stream's).
                let command = Arc::new(AtomicBool::new(false));
                let seen = command.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 8192];
                    while let Ok(n) = c_in.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        if buf[..n].windows(17).any(|w| w == b"/api/v1/counters/") {
                            seen.store(true, Ordering::SeqCst);
                        }
                        if s_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = s_out.shutdown(Shutdown::Write);
                });
                let (d, sw) = (d.clone(), sw.clone());
                let (mut s_in, mut c_out) = (server, client);
                std::thread::spawn(move || {
                    let mut buf = [0u8; 8192];
                    while let Ok(n) = s_in.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        // The slow link: the answer takes its time.
                        std::thread::sleep(Duration::from_millis(d.load(Ordering::SeqCst) as u64));
                        let lost = command.load(Ordering::SeqCst)
                            && sw.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                        if lost {
                            // The answer is lost on the way: the client sees the link drop.
                            break;
                        }
                        if c_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = c_out.shutdown(Shutdown::Both);
                });
            }
        });
        SlowProxy { url, delay_ms, swallow }
    }
}

fn key_press(code: u16) -> Vec<u8> {
    let mut b = encode(InputEvent { kind: EV_KEY, code, value: 1 }).to_vec();
    b.extend(encode(InputEvent { kind: EV_KEY, code, value: 0 }));
    b
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

async fn answer(rx: &mut UnboundedReceiver<(String, Button, Outcome)>) -> (Button, Outcome) {
    let (_, b, o) = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("an answer in time").expect("answers");
    (b, o)
}

async fn frame_until(rx: &mut UnboundedReceiver<(String, CounterView, Instant)>, pred: impl Fn(&CounterView) -> bool) -> CounterView {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (_, view, _) = tokio::time::timeout_at(deadline, rx.recv()).await.expect("the expected frame in time").expect("frames");
        if pred(&view) {
            return view;
        }
    }
}

fn config_with_display(dir: &Path) -> std::path::PathBuf {
    testkit::config::small(&dir.join("queue.db")).token("hall", "display", DISPLAY_TOKEN, &[]).write(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_press_is_done_once_over_a_slow_link_and_the_counter_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&config_with_display(dir.path()));
    let proxy = SlowProxy::start(&served.url);
    let kiosk = Client::new(&served.url, Some(KIOSK_TOKEN.into()));
    let staff = Client::new(&served.url, Some(COUNTER_TOKEN.into()));
    for _ in 0..3 {
        kiosk.issue("civil", None).await.unwrap();
    }
    let fifo = dir.path().join("event7");
    mkfifo(&fifo);
    let toml = format!(
        "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY_TOKEN}\"\n[follow]\nbackoff_min_ms = 20\nbackoff_max_ms = 200\n\
         [[outputs]]\nkind = \"png\"\ncounter = \"1\"\npath = \"{}\"\n\
         [[keypads]]\nkind = \"evdev\"\ncounter = \"1\"\ntoken = \"{COUNTER_TOKEN}\"\ndevice = \"{}\"\ngrab = false\nnotice_s = 30\n\
         keys = {{ next = \"KP_ENTER\", recall = \"KP_PLUS\", no_show = \"KP_MINUS\", finish = \"KP_ASTERISK\" }}\n",
        proxy.url,
        dir.path().join("c1.png").display(),
        fifo.display()
    );
    let cfg = display::config::Config::parse(&toml).unwrap_or_else(|e| panic!("{e:?}"));
    let (ftx, mut frames) = tokio::sync::mpsc::unbounded_channel();
    let (ptx, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let probes = display::Probes { frames: Some(ftx), presses: Some(ptx), ..Default::default() };
    let run = tokio::spawn(display::run_with(cfg, stop_rx, probes));
    frame_until(&mut frames, |v| v.online).await;
    // Opening the write end waits for the reader: the keypad thread has opened the "device".
    let mut keypad = tokio::task::spawn_blocking(move || std::fs::OpenOptions::new().write(true).open(&fifo).unwrap()).await.unwrap();

    // A slow link: every answer takes 1.5 s. "Next" pressed three times in a row while the
    // first is in flight calls one citizen, not three.
    proxy.delay_ms.store(1500, Ordering::SeqCst);
    let mut bytes = key_press(96);
    bytes.extend(key_press(96));
    bytes.extend(key_press(96));
    keypad.write_all(&bytes).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Next, Outcome::Ticket("A001".into())));
    let v = frame_until(&mut frames, |v| v.number.as_deref() == Some("A001") && v.notice.as_deref() == Some("Mời số A001")).await;
    assert!(v.online);
    let state = staff.state().await.unwrap();
    assert_eq!(state.waiting.len(), 2, "A002 and A003 still wait: one call for three presses");

    // The answer is lost on the way back (twice): the keypad retries with the same
    // Idempotency-Key and the authority answers the first call again, not a second one.
    proxy.delay_ms.store(0, Ordering::SeqCst);
    proxy.swallow.store(2, Ordering::SeqCst);
    keypad.write_all(&key_press(96)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Next, Outcome::Ticket("A002".into())));
    let state = staff.state().await.unwrap();
    assert_eq!(state.waiting.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["A003"], "A002 called once, A003 waits");
    frame_until(&mut frames, |v| v.number.as_deref() == Some("A002") && v.notice.as_deref() == Some("Mời số A002")).await;

    // Recall, finish, and "next" with nobody left.
    keypad.write_all(&key_press(78)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Recall, Outcome::Ticket("A002".into())));
    keypad.write_all(&key_press(55)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Finish, Outcome::Ticket("A002".into())));
    keypad.write_all(&key_press(96)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Next, Outcome::Ticket("A003".into())));
    keypad.write_all(&key_press(96)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::Next, Outcome::Nothing));
    frame_until(&mut frames, |v| v.notice.as_deref() == Some("Không còn ai chờ")).await;
    // No-show with nobody at the counter is refused, and said plainly.
    keypad.write_all(&key_press(74)).unwrap();
    assert_eq!(answer(&mut presses).await, (Button::NoShow, Outcome::Refused("no_current_ticket".into())));
    frame_until(&mut frames, |v| v.notice.as_deref() == Some("Chưa có số đang phục vụ")).await;

    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), run).await.expect("the display stops").unwrap().unwrap();
    drop(served);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_displays_health_reaches_the_authority() {
    // Proves a missing speaker (an ALSA PCM that does not exist) is reported under the
    // display's token name and appears in the authority's state for staff.
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&config_with_display(dir.path()));
    let clips = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice/vi");
    let toml = format!(
        "[authority]\nurl = \"{}\"\ntoken = \"{DISPLAY_TOKEN}\"\n[[outputs]]\nkind = \"voice\"\nclips = \"{}\"\npcm = \"no_such_pcm_e2e\"\n",
        served.url,
        clips.display()
    );
    let cfg = display::config::Config::parse(&toml).unwrap();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let run = tokio::spawn(display::run_with(cfg, stop_rx, Default::default()));
    let staff = Client::new(&served.url, Some(COUNTER_TOKEN.into()));
    let deadline = Instant::now() + Duration::from_secs(20);
    let device = loop {
        let state = staff.state().await.unwrap();
        if let Some(d) = state.devices.into_iter().find(|d| d.device == "hall") {
            break d;
        }
        assert!(Instant::now() < deadline, "no health report from the display");
        tokio::time::sleep(Duration::from_millis(50)).await; // polling interval
    };
    assert!(!device.ok);
    assert_eq!(device.problem.as_deref(), Some("audio_unavailable"));
    assert!(device.message.unwrap_or_default().contains("no_such_pcm_e2e"));
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), run).await.expect("the display stops").unwrap().unwrap();
}

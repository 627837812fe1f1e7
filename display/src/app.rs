//! Wiring: opens every output of a configuration, then runs one follower that feeds them all
//! until shutdown. Devices are opened before following starts, so a wrong device path is an
//! error at start and not a dark screen found hours later. The Slint boards are not here: they
//! run on the main thread (`boards::run`) and read the same model through a [`Wiring`].
use crate::config::{Config, Output};
use crate::counter::devices::{CounterDevice, DeviceError, FramebufferDevice, PngDevice};
use crate::counter::rs485::Rs485Device;
use crate::counter::CounterView;
use crate::follow::Follower;
use crate::health::{self, Health};
use crate::keypad::{self, Button, Outcome, Presser};
use crate::model::{Call, Model};
use crate::voice::clips::{all_clip_names, ClipBank};
use crate::voice::player::{AlsaPlayer, Player, RecordPlayer};
use crate::voice::{Announcer, VoiceError};
use shared::text::Dialect;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{mpsc, watch};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("counter screen: {0}")]
    Device(#[from] DeviceError),
    #[error("voice: {0}")]
    Voice(#[from] VoiceError),
}

/// Observers for tests and the bench: every frame shown, every call queued, every keypad answer.
#[derive(Default, Clone)]
pub struct Probes {
    /// `(counter id, view, when the device finished showing it)`.
    pub frames: Option<mpsc::UnboundedSender<(String, CounterView, Instant)>>,
    pub calls: Option<mpsc::UnboundedSender<Call>>,
    /// `(counter id, button, answer)` for every keypad press sent.
    pub presses: Option<mpsc::UnboundedSender<(String, Button, Outcome)>>,
}

/// What the controller shares with the boards on the main thread: the live model and where
/// parts report their health.
pub struct Wiring {
    pub model: Arc<watch::Sender<Model>>,
    pub health: Health,
    health_rx: Mutex<Option<health::Reports>>,
}

impl Wiring {
    pub fn new() -> Wiring {
        let (health, rx) = Health::new();
        Wiring { model: Arc::new(watch::channel(Model::default()).0), health, health_rx: Mutex::new(Some(rx)) }
    }
}

impl Default for Wiring {
    fn default() -> Self {
        Wiring::new()
    }
}

/// Runs the controller until `shutdown` turns true.
pub async fn run(config: Config, shutdown: watch::Receiver<bool>) -> Result<(), RunError> {
    run_with(config, shutdown, Probes::default()).await
}

pub async fn run_with(config: Config, shutdown: watch::Receiver<bool>, probes: Probes) -> Result<(), RunError> {
    run_on(config, shutdown, probes, &Wiring::new()).await
}

/// [`run_with`] on a model and health handle shared with the boards.
pub async fn run_on(config: Config, shutdown: watch::Receiver<bool>, probes: Probes, wiring: &Wiring) -> Result<(), RunError> {
    let mut screens: Vec<(String, Box<dyn CounterDevice>)> = Vec::new();
    let mut announcers = Vec::new();
    for o in config.outputs {
        match o {
            Output::Png { counter, path, width, height } => screens.push((counter, Box::new(PngDevice::new(path, width, height)))),
            Output::Framebuffer { counter, device, width, height, format } => {
                screens.push((counter, Box::new(FramebufferDevice::open(&device, width, height, format)?)))
            }
            Output::Rs485 { counter, port, baud, address } => screens.push((counter, Box::new(Rs485Device::open(&port, baud, address)?))),
            Output::Voice { clips, pcm, repeats, south, record_dir } => {
                let bank = ClipBank::load(&clips)?;
                let missing = bank.missing(&all_clip_names());
                if !missing.is_empty() {
                    let reason = format!("missing clips: {} (assets/voice/generate.sh records them)", missing.join(", "));
                    return Err(VoiceError::Clip { path: clips, reason }.into());
                }
                let player: Box<dyn Player> = match record_dir {
                    Some(dir) => Box::new(RecordPlayer { dir, seq: 0 }),
                    None => Box::new(AlsaPlayer { pcm }),
                };
                let dialect = if south { Dialect::South } else { Dialect::North };
                announcers.push(Announcer { bank, player, repeats, dialect, health: wiring.health.clone() });
            }
            // Run by `boards::run` on the main thread.
            Output::Hall { .. } | Output::Results { .. } => {}
        }
    }

    let mut tasks = tokio::task::JoinSet::new();
    if let Some(rx) = wiring.health_rx.lock().unwrap_or_else(|p| p.into_inner()).take() {
        // One attempt per report (no retries of the client's own): the reporter retries with
        // what changed meanwhile.
        let client = config.authority.client().timeout(std::time::Duration::from_secs(5)).retries(0).build();
        match client {
            Ok(client) => {
                tasks.spawn(health::reporter(client, rx, shutdown.clone()));
            }
            Err(e) => tracing::error!("health reports are off: {e}"),
        }
    }

    let stop = Arc::new(AtomicBool::new(false));
    let mut call_txs = Vec::new();
    let mut voices = Vec::new();
    for a in announcers {
        let (tx, rx) = mpsc::unbounded_channel();
        call_txs.push(tx);
        let stop = stop.clone();
        // Playback blocks for seconds: a thread of its own keeps it off the async workers.
        voices.push(std::thread::spawn(move || a.run_blocking(rx, stop)));
    }
    call_txs.extend(probes.calls);

    for (counter, dev) in screens {
        tasks.spawn(screen(counter, dev, wiring.model.subscribe(), probes.frames.clone(), wiring.health.clone()));
    }
    let mut press_txs = Vec::new();
    for k in &config.keypads {
        let (tx, rx) = mpsc::unbounded_channel();
        keypad::start_input(k, tx.clone(), stop.clone(), wiring.health.clone());
        press_txs.push(tx);
        let presser = Presser::new(&config.authority.url, k, wiring.model.clone());
        let answers = probes.presses.clone().map(|p| {
            let (atx, mut arx) = mpsc::unbounded_channel::<(Button, Outcome)>();
            let counter = k.counter().to_owned();
            tokio::spawn(async move {
                while let Some((b, o)) = arx.recv().await {
                    let _ = p.send((counter.clone(), b, o));
                }
            });
            atx
        });
        tasks.spawn(presser.run(rx, stop.clone(), answers));
    }
    Follower::new(&config.authority, config.follow, wiring.model.clone(), call_txs).run(shutdown).await;
    // The follower is gone with the call queues' senders: the announcers finish the call they
    // are speaking and end; the screens and keypads are told to stop.
    stop.store(true, Ordering::Relaxed);
    drop(press_txs);
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
    for v in voices {
        let _ = tokio::task::spawn_blocking(move || v.join()).await;
    }
    tracing::info!("display stopped");
    Ok(())
}

/// One counter screen: redraws when its view changes, on a blocking thread (a full-HD frame
/// is milliseconds of pixel work, and a serial write can stall).
async fn screen(
    counter: String,
    mut dev: Box<dyn CounterDevice>,
    mut rx: watch::Receiver<Model>,
    probe: Option<mpsc::UnboundedSender<(String, CounterView, Instant)>>,
    health: Health,
) {
    let part = format!("counter {counter} screen");
    let mut shown: Option<CounterView> = None;
    loop {
        let view = CounterView::of(&rx.borrow_and_update(), &counter);
        if shown.as_ref() != Some(&view) {
            let v = view.clone();
            let (d, r) = match tokio::task::spawn_blocking(move || {
                let r = dev.show(&v);
                (dev, r)
            })
            .await
            {
                Ok(x) => x,
                Err(e) => {
                    tracing::error!("counter {counter} screen task failed: {e}");
                    return;
                }
            };
            dev = d;
            match r {
                Ok(()) => {
                    if let Some(p) = &probe {
                        let _ = p.send((counter.clone(), view.clone(), Instant::now()));
                    }
                    shown = Some(view);
                    health.clear(&part);
                }
                // Left as not shown, so the next change tries again.
                Err(e) => {
                    tracing::warn!("counter {counter}: {e}");
                    health.problem(&part, dev.problem_code(), format!("counter {counter} screen: {e}"));
                }
            }
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}

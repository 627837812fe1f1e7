//! Counter keypads: buttons staff press to call the next citizen, recall, mark a no-show or
//! finish. Inputs ([`gpio`] push buttons through the pure [`debounce`]r, [`evdev`] USB keypads)
//! turn into [`Button`] presses; a [`Presser`] per counter sends each press to the authority
//! once: one `Idempotency-Key` per press, retried with the same key until answered (a slow or
//! cut link never makes two calls), and a press of a button whose request is still in flight
//! is dropped. The answer is shown on the counter's screens (the model's notice).
pub mod debounce;
pub mod evdev;
pub mod gpio;

use crate::config::Keypad;
use crate::health::Health;
use crate::model::Model;
use shared::client::{Backoff, Client, ClientError, IdempotencyKey};
use shared::wire::ErrorCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

pub use crate::button::Button;

/// One press, stamped when the reader confirmed it.
#[derive(Debug, Clone, Copy)]
pub struct Press {
    pub button: Button,
    pub at: Instant,
}

/// What the authority answered to a press, as the counter screen says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 200 with a ticket.
    Ticket(String),
    /// 204: nobody waits (call-next) or nothing to do.
    Nothing,
    /// A refusal: the API's machine code (`Unknown("refused")` for an answer without one).
    Refused(ErrorCode),
}

/// The counter screen's line for an answer (Vietnamese: the officer reads it at a glance).
pub fn notice(button: Button, outcome: &Outcome) -> String {
    match (button, outcome) {
        (Button::Next, Outcome::Ticket(n)) => format!("Mời số {n}"),
        (Button::Recall, Outcome::Ticket(n)) => format!("Gọi lại số {n}"),
        (Button::NoShow, Outcome::Ticket(n)) => format!("Số {n} vắng mặt"),
        (Button::Finish, Outcome::Ticket(n)) => format!("Xong số {n}"),
        (Button::Next, Outcome::Nothing) => "Không còn ai chờ".into(),
        (_, Outcome::Nothing) => "Đã xong".into(),
        (_, Outcome::Refused(code)) => match code {
            ErrorCode::NoCurrentTicket => "Chưa có số đang phục vụ".into(),
            ErrorCode::CounterPaused => "Quầy đang tạm dừng".into(),
            ErrorCode::Unauthorized | ErrorCode::Forbidden => "Bàn phím chưa được cấp quyền".into(),
            ErrorCode::UnknownCounter => "Quầy không có trong cấu hình".into(),
            other => format!("Không thực hiện được ({other})"),
        },
    }
}

/// Sends one counter's presses, in order, each until it is answered.
pub struct Presser {
    client: Client,
    counter: String,
    model: Arc<watch::Sender<Model>>,
    notice_for: Duration,
    /// Notices shown; a clearing timer only clears its own.
    shown: Arc<AtomicU64>,
    seq: u64,
}

/// Why an attempt is to be retried with the same key.
enum Attempt {
    Answered(Outcome),
    Retry(String),
}

impl Presser {
    pub fn new(base: &str, keypad: &Keypad, model: Arc<watch::Sender<Model>>) -> Presser {
        let client = Client::builder(base)
            .token(keypad.token())
            // A slow link is retried with the same key; the authority answers the first.
            .timeout(Duration::from_secs(5))
            // One attempt per call: `send` retries, with the press's key, until answered.
            .retries(0)
            .build()
            .expect("an HTTP client with the bundled TLS roots always builds");
        Presser { client, counter: keypad.counter().to_owned(), model, notice_for: keypad.notice(), shown: Arc::default(), seq: 0 }
    }

    /// A key unique to this press across restarts: counter, process, time, sequence. At most
    /// 64 visible ASCII characters, as the API requires.
    fn key(&mut self) -> IdempotencyKey {
        self.seq += 1;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let counter: String = self.counter.chars().filter(|c| c.is_ascii_alphanumeric()).take(12).collect();
        let key = format!("kp-{counter}-{}-{nanos:x}-{}", std::process::id(), self.seq);
        IdempotencyKey::from_string(key).unwrap_or_else(IdempotencyKey::new)
    }

    async fn attempt(&self, button: Button, key: &IdempotencyKey) -> Attempt {
        match self.client.counter_action_keyed(&self.counter, button.action(), key).await {
            Ok(Some(t)) => Attempt::Answered(Outcome::Ticket(t.number)),
            Ok(None) => Attempt::Answered(Outcome::Nothing),
            // No answer, a cut answer, or the authority busy or in storage trouble: whether it
            // was done is unknown or nothing was done; the same key settles it.
            Err(e) if e.is_transient() => Attempt::Retry(e.to_string()),
            Err(ClientError::Api { code, .. }) => Attempt::Answered(Outcome::Refused(code)),
            Err(e) => {
                tracing::warn!("counter {} {}: {e}", self.counter, button.path());
                Attempt::Answered(Outcome::Refused(ErrorCode::Unknown("refused".into())))
            }
        }
    }

    /// Sends `button` until answered (or `stop`); the answer, or `None` when stopped.
    pub async fn send(&mut self, button: Button, stop: &AtomicBool) -> Option<Outcome> {
        let key = self.key();
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let mut tries = 0u32;
        loop {
            match self.attempt(button, &key).await {
                Attempt::Answered(o) => return Some(o),
                Attempt::Retry(why) => {
                    tries += 1;
                    tracing::warn!("counter {} {}: {why}; retrying with the same key (try {tries})", self.counter, button.path());
                    if tries == 1 {
                        self.show("Đang gửi lại…".into(), false);
                    }
                }
            }
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            tokio::time::sleep(backoff.fail()).await;
        }
    }

    /// Puts `text` on the counter's screens; with `clear_later`, it goes after `notice_for`.
    fn show(&self, text: String, clear_later: bool) {
        let id = self.shown.fetch_add(1, Ordering::SeqCst) + 1;
        let counter = self.counter.clone();
        self.model.send_modify(|m| {
            m.notices.insert(counter.clone(), text);
        });
        if clear_later {
            let (model, shown, after) = (self.model.clone(), self.shown.clone(), self.notice_for);
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                // Cleared only if no newer notice took its place meanwhile.
                if shown.load(Ordering::SeqCst) == id {
                    model.send_if_modified(|m| m.notices.remove(&counter).is_some());
                }
            });
        }
    }

    /// Takes presses in order until the channel closes. A press made while the same button's
    /// request was in flight is the same intention pressed again: dropped.
    pub async fn run(
        mut self,
        mut presses: mpsc::UnboundedReceiver<Press>,
        stop: Arc<AtomicBool>,
        answers: Option<mpsc::UnboundedSender<(Button, Outcome)>>,
    ) {
        let mut done_at: std::collections::HashMap<Button, Instant> = Default::default();
        while let Some(p) = presses.recv().await {
            if done_at.get(&p.button).is_some_and(|&t| p.at < t) {
                tracing::info!("counter {}: {} pressed again while it was being sent: ignored", self.counter, p.button.path());
                continue;
            }
            let Some(outcome) = self.send(p.button, &stop).await else { return };
            done_at.insert(p.button, Instant::now());
            tracing::info!("counter {}: {} answered {outcome:?}", self.counter, p.button.path());
            self.show(notice(p.button, &outcome), true);
            if let Some(a) = &answers {
                let _ = a.send((p.button, outcome));
            }
        }
    }
}

/// Starts the inputs of `keypad`, feeding a press channel; problems go to `health`. Off a Pi a
/// GPIO keypad is simulated (said in the log); a USB keypad that is missing is looked for again
/// every few seconds.
pub fn start_input(keypad: &Keypad, presses: mpsc::UnboundedSender<Press>, stop: Arc<AtomicBool>, health: Health) {
    let part = format!("keypad {}", keypad.counter());
    let send = move |b: Button| {
        let _ = presses.send(Press { button: b, at: Instant::now() });
    };
    match keypad {
        Keypad::Gpio { pins, active_low, debounce_ms, simulate, counter, .. } => {
            let settle = Duration::from_millis(*debounce_ms);
            let send2 = send.clone();
            match gpio::spawn_pins(pins.entries(), *active_low, settle, stop.clone(), send) {
                Ok(_) => tracing::info!("keypad of counter {counter}: GPIO pins {:?}", pins.entries()),
                Err(e) => {
                    let fifo = simulate.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("display-keypad-{counter}")));
                    tracing::warn!(
                        "keypad of counter {counter}: no GPIO here ({e}): SIMULATED; press with `echo next > {}` (next, recall, no_show, finish)",
                        fifo.display()
                    );
                    if let Err(e) = gpio::spawn_simulator(fifo.clone(), settle, stop, send2) {
                        tracing::error!("keypad simulator {}: {e}", fifo.display());
                        health.problem(&part, "keypad_missing", format!("keypad of counter {counter}: no GPIO, no simulator: {e}"));
                    }
                }
            }
        }
        Keypad::Evdev { device, keys, grab, counter, .. } => {
            let map: Vec<(u16, Button)> = keys.entries().into_iter().filter_map(|(b, k)| evdev::key_code(&k).map(|c| (c, b))).collect();
            let (device, grab, counter) = (device.clone(), *grab, counter.clone());
            let spawned = std::thread::Builder::new().name("usb-keypad".into()).spawn(move || {
                let mut reported = false;
                while !stop.load(Ordering::Relaxed) {
                    let opened = std::fs::File::open(&device);
                    match opened {
                        Ok(file) => {
                            if grab {
                                if let Err(e) = evdev::grab(&file) {
                                    tracing::warn!("keypad {}: cannot take it for this counter alone: {e}", device.display());
                                }
                            }
                            tracing::info!("keypad of counter {counter}: {}", device.display());
                            health.clear(&part);
                            reported = false;
                            let r = evdev::read_presses(file, |code| {
                                if let Some((_, b)) = map.iter().find(|(c, _)| *c == code) {
                                    send(*b);
                                }
                            });
                            if let Err(e) = r {
                                tracing::warn!("keypad {}: {e}", device.display());
                            }
                        }
                        Err(e) if !reported => {
                            tracing::error!("keypad {}: {e}; looking for it every 3 s", device.display());
                            health.problem(&part, "keypad_missing", format!("keypad of counter {counter} ({}): {e}", device.display()));
                            reported = true;
                        }
                        Err(_) => {}
                    }
                    std::thread::sleep(Duration::from_secs(3));
                }
            });
            if let Err(e) = spawned {
                tracing::error!("cannot start the keypad reader: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_plainly_on_the_counter_screen() {
        assert_eq!(notice(Button::Next, &Outcome::Ticket("A012".into())), "Mời số A012");
        assert_eq!(notice(Button::Next, &Outcome::Nothing), "Không còn ai chờ");
        assert_eq!(notice(Button::Recall, &Outcome::Refused(ErrorCode::NoCurrentTicket)), "Chưa có số đang phục vụ");
        assert_eq!(Button::parse("no_show").map(Button::path), Some("no-show"));
    }
}

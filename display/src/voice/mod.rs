//! Voice calls: [`clips`] (the recorded words and the assembly of a call), [`player`]
//! (ALSA, or the WAV-writing simulator) and the [`Announcer`], a queue that speaks each call
//! once (times the configured repeats), one after the other, never overlapping.
pub mod clips;
pub mod player;

use crate::model::Call;
use clips::ClipBank;
use player::Player;
use shared::text::Dialect;
use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("voice clip {path}: {reason}")]
    Clip { path: PathBuf, reason: String },
    #[error("ALSA PCM {pcm:?}: {reason}")]
    Alsa { pcm: String, reason: String },
    #[error("{0}")]
    Text(String),
}

/// Keys of calls already spoken, bounded: enough to catch any replay, small for a long day.
const REMEMBERED: usize = 512;

pub struct Announcer {
    pub bank: ClipBank,
    pub player: Box<dyn Player>,
    pub repeats: u32,
    pub dialect: Dialect,
    /// Where a speaker that fails is reported (and its recovery).
    pub health: crate::health::Health,
}

impl Announcer {
    /// Speaks the calls of `rx` in arrival order on the current (blocking) thread, until the
    /// senders are gone or `stop` is set; a call being spoken is finished first.
    pub fn run_blocking(mut self, mut rx: mpsc::UnboundedReceiver<Call>, stop: Arc<AtomicBool>) {
        let mut seen: HashSet<String> = HashSet::new();
        let mut order: VecDeque<String> = VecDeque::new();
        match self.player.check() {
            Ok(()) => self.health.clear("voice"),
            Err(e) => {
                tracing::error!("voice output: {e}");
                self.health.problem("voice", "audio_unavailable", format!("voice: {e}"));
            }
        }
        while let Some(call) = rx.blocking_recv() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            // The follower already sends each call once; this guards the speaker against any
            // path that would not (two followers feeding one announcer, a future bug).
            if !seen.insert(call.key.clone()) {
                tracing::warn!("call {} at counter {} already spoken: skipped", call.number, call.counter);
                continue;
            }
            order.push_back(call.key.clone());
            if order.len() > REMEMBERED {
                order.pop_front().map(|k| seen.remove(&k));
            }
            match self.speak(&call) {
                Ok(()) => self.health.clear("voice"),
                // A broken speaker must not stop the screens: log, report and go on.
                Err(e) => {
                    tracing::error!("cannot speak {} at counter {}: {e}", call.number, call.counter);
                    let code = if matches!(e, VoiceError::Alsa { .. }) { "audio_unavailable" } else { "voice_clip_missing" };
                    self.health.problem("voice", code, format!("voice: {e}"));
                }
            }
        }
    }

    fn speak(&mut self, call: &Call) -> Result<(), VoiceError> {
        let samples = self.bank.call(&call.number, call.counter_number, self.dialect)?;
        let label = format!("{}-{}", call.number, call.counter_number);
        for _ in 0..self.repeats.max(1) {
            self.player.play(&samples, &label)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::clips::tests::fake_bank;
    use std::sync::Mutex;

    /// Records what was played, and checks that no two plays overlap in time.
    struct Recorder(Arc<Mutex<Vec<(String, usize)>>>, Arc<AtomicBool>);
    impl Player for Recorder {
        fn play(&mut self, samples: &[i16], label: &str) -> Result<(), VoiceError> {
            assert!(!self.1.swap(true, Ordering::SeqCst), "two plays overlap");
            self.0.lock().unwrap().push((label.to_owned(), samples.len()));
            self.1.store(false, Ordering::SeqCst);
            Ok(())
        }
    }

    fn call(key: &str, number: &str, counter: u32) -> Call {
        Call { ticket: 1, number: number.into(), counter: counter.to_string(), counter_number: counter, key: key.into() }
    }

    #[test]
    fn calls_are_spoken_in_order_once_each_with_repeats() {
        // Proves the queue: arrival order, a replayed call (same key) skipped, `repeats`
        // honoured, a call that cannot be assembled skipped without stopping the queue.
        let dir = tempfile::tempdir().unwrap();
        fake_bank(dir.path(), &["chime", "xin_moi", "a", "bê", "mười", "hai", "một", "den_quay_so", "ba"]);
        let played = Arc::new(Mutex::new(Vec::new()));
        let a = Announcer {
            bank: ClipBank::load(dir.path()).unwrap(),
            player: Box::new(Recorder(played.clone(), Arc::new(AtomicBool::new(false)))),
            repeats: 2,
            dialect: Dialect::North,
            health: crate::health::Health::none(),
        };
        let (tx, rx) = mpsc::unbounded_channel();
        tx.send(call("event:5", "A012", 3)).unwrap();
        tx.send(call("event:5", "A012", 3)).unwrap();
        tx.send(call("event:6", "A9", 3)).unwrap(); // "chín" has no clip
        tx.send(call("event:7", "B011", 3)).unwrap();
        drop(tx);
        a.run_blocking(rx, Arc::new(AtomicBool::new(false)));
        let labels: Vec<String> = played.lock().unwrap().iter().map(|(l, _)| l.clone()).collect();
        assert_eq!(labels, ["A012-3", "A012-3", "B011-3", "B011-3"]);
    }
}

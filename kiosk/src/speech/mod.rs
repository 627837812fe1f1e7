//! Spoken guidance: sentences read aloud, offline, in Vietnamese or English.
//!
//! Each sentence is synthesised by espeak-ng (`--stdout`: a child process, its WAV read into
//! memory, `wav.rs`); the sentences of one reading, with a pause between them, go as one stream
//! to `aplay` on the configured ALSA PCM, each as soon as it is made, the output the display's calls use. One reading at a
//! time: a new one, or `stop`, ends the one in progress (its synthesis stops between sentences,
//! its `aplay` is killed), so a citizen can interrupt and replay at will.
//!
//! espeak-ng and aplay are programs, not libraries: a kiosk without them cannot speak and says
//! so once (`check`), and everything else works.
mod wav;

pub use wav::{parse, Wav};

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The pause between two sentences.
const PAUSE_MS: u32 = 350;
/// The rate espeak-ng's voices speak at.
const RATE: u32 = 22_050;

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("cannot run {program}: {reason} (apt-get install espeak-ng alsa-utils)")]
    Missing { program: &'static str, reason: String },
    #[error("espeak-ng could not say {text:?}: {reason}")]
    Synth { text: String, reason: String },
    #[error("cannot play on the ALSA PCM {pcm:?}: {reason}")]
    Play { pcm: String, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// `[kiosk.voice]` as the speaker uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceSettings {
    /// The ALSA PCM ("default", "plughw:1,0").
    pub pcm: String,
    /// espeak-ng's amplitude, 0–200 (100 is its normal loudness).
    pub volume: u32,
    /// Words per minute: slower than espeak-ng's 175, for elderly listeners.
    pub speed: u32,
}

/// One sentence as espeak-ng says it with `settings`.
pub fn synthesize(text: &str, lang: Lang, settings: &VoiceSettings) -> Result<Wav, SpeechError> {
    let voice = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    let out = Command::new("espeak-ng")
        .args(["-v", voice, "-s", &settings.speed.to_string(), "-a", &settings.volume.to_string(), "--stdout", "--"])
        .arg(text)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| SpeechError::Missing { program: "espeak-ng", reason: e.to_string() })?;
    if !out.status.success() {
        let reason = format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
        return Err(SpeechError::Synth { text: text.to_owned(), reason });
    }
    parse(&out.stdout).map_err(|reason| SpeechError::Synth { text: text.to_owned(), reason })
}

/// The samples of the `i`th sentence of a reading as it is played: the pause before it (none
/// before the first), then the sentence as espeak-ng says it.
fn spoken(i: usize, text: &str, lang: Lang, settings: &VoiceSettings) -> Result<Vec<i16>, SpeechError> {
    let w = synthesize(text, lang, settings)?;
    if w.rate != RATE {
        return Err(SpeechError::Synth { text: text.to_owned(), reason: format!("{} Hz, not {RATE}", w.rate) });
    }
    let pause = if i > 0 { (RATE * PAUSE_MS / 1000) as usize } else { 0 };
    let mut samples = Vec::with_capacity(pause + w.samples.len());
    samples.resize(pause, 0);
    samples.extend(w.samples);
    Ok(samples)
}

/// The samples of a whole reading: each sentence, and a pause between two.
pub fn reading(sentences: &[(String, Lang)], settings: &VoiceSettings) -> Result<Wav, SpeechError> {
    let mut all = Wav { rate: RATE, samples: Vec::new() };
    for (i, (text, lang)) in sentences.iter().enumerate() {
        all.samples.extend(spoken(i, text, *lang, settings)?);
    }
    Ok(all)
}

/// Reads sentences aloud, one reading at a time.
pub struct Speaker {
    settings: VoiceSettings,
    generation: AtomicU64,
    playing: Mutex<Option<Child>>,
}

impl Speaker {
    pub fn new(settings: VoiceSettings) -> Arc<Speaker> {
        Arc::new(Speaker { settings, generation: AtomicU64::new(0), playing: Mutex::new(None) })
    }

    /// Whether espeak-ng and aplay are there.
    pub fn check(&self) -> Result<(), SpeechError> {
        for program in ["espeak-ng", "aplay"] {
            Command::new(program)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map_err(|e| SpeechError::Missing { program, reason: e.to_string() })?;
        }
        Ok(())
    }

    /// Reads `sentences` on a thread of its own, ending any reading in progress; `done` is
    /// called with whether it was heard to the end (false: stopped, or it failed).
    pub fn say(self: &Arc<Self>, sentences: Vec<(String, Lang)>, done: impl FnOnce(bool) + Send + 'static) {
        self.stop();
        let generation = self.generation.load(Ordering::SeqCst);
        let me = self.clone();
        let spawned = std::thread::Builder::new().name("speech".into()).spawn(move || {
            let heard = match me.read_aloud(&sentences, generation) {
                Ok(heard) => heard,
                Err(e) => {
                    tracing::warn!("spoken guidance: {e}");
                    false
                }
            };
            done(heard);
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the speech thread: {e}");
        }
    }

    /// Ends the reading in progress, if any.
    pub fn stop(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Some(mut child) = self.playing.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn read_aloud(&self, sentences: &[(String, Lang)], generation: u64) -> Result<bool, SpeechError> {
        let current = || self.generation.load(Ordering::SeqCst) == generation;
        let pcm = &self.settings.pcm;
        let play_err = |reason: String| SpeechError::Play { pcm: pcm.clone(), reason };
        let mut input = {
            let mut slot = self.playing.lock().unwrap_or_else(|p| p.into_inner());
            // Stopped before it began.
            if !current() {
                return Ok(false);
            }
            let child = Command::new("aplay")
                .args(["-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", &RATE.to_string(), "-D", pcm])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| SpeechError::Missing { program: "aplay", reason: e.to_string() })?;
            *slot = Some(child);
            slot.as_mut().and_then(|c| c.stdin.take())
        }
        .ok_or_else(|| play_err("no input to aplay".into()))?;
        // Sentence by sentence: the first is heard while the next are still being made. A kill
        // (stop) breaks the pipe: that is a stop, not a failure.
        let mut written = Ok(());
        for (i, (text, lang)) in sentences.iter().enumerate() {
            if !current() {
                break;
            }
            let bytes: Vec<u8> = spoken(i, text, *lang, &self.settings)?.iter().flat_map(|s| s.to_le_bytes()).collect();
            written = input.write_all(&bytes);
            if written.is_err() {
                break;
            }
        }
        drop(input);
        // Waited for without holding it, so that `stop` can still kill it while it drains.
        let (status, mut aplay) = loop {
            {
                let mut slot = self.playing.lock().unwrap_or_else(|p| p.into_inner());
                let Some(c) = slot.as_mut() else { return Ok(false) };
                if let Some(status) = c.try_wait().map_err(|e| play_err(e.to_string()))? {
                    break (status, slot.take().expect("the child just polled"));
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(30));
        };
        if !current() {
            return Ok(false);
        }
        if let Err(e) = written {
            return Err(play_err(e.to_string()));
        }
        if !status.success() {
            let mut why = String::new();
            if let Some(mut err) = aplay.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut err, &mut why);
            }
            return Err(play_err(format!("aplay {status}: {}", why.trim())));
        }
        Ok(true)
    }
}

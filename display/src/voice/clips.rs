//! The pre-recorded clips (`assets/voice/vi/<clip>.wav`, 16 kHz mono 16-bit) and the
//! assembly of one call into one sample buffer, so a call plays as one gapless stream.
use super::VoiceError;
use shared::text::{call_clips, letter_name, number_clips, Dialect};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The one sample rate of every clip: speech needs no more, and it keeps the repository small.
pub const RATE: u32 = 16_000;
/// Silence between words: clips are trimmed, and words run together without it.
pub const GAP_MS: u32 = 60;

/// Every clip name a call can use: numbers 0–9999 in both readings (counters 1–99 are among
/// them), every ticket prefix letter, and the fixed phrases. `generate.sh` records these.
pub fn all_clip_names() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["chime", "xin_moi", "den_quay_so"].iter().map(|s| s.to_string()).collect();
    for d in [Dialect::North, Dialect::South] {
        for n in 0..=9999 {
            names.extend(number_clips(n, d).into_iter().map(str::to_owned));
        }
    }
    for c in ('A'..='Z').chain("ĂÂĐÊÔƠƯ".chars()) {
        names.extend(letter_name(c).map(str::to_owned));
    }
    names
}

/// The clips of a folder, loaded once at start: a missing clip is found before the first
/// call, not in front of a waiting hall.
pub struct ClipBank {
    dir: PathBuf,
    clips: HashMap<String, Vec<i16>>,
}

impl ClipBank {
    /// Loads every `*.wav` of `dir`, refusing any that is not 16 kHz mono 16-bit.
    pub fn load(dir: &Path) -> Result<ClipBank, VoiceError> {
        let mut clips = HashMap::new();
        let entries = std::fs::read_dir(dir).map_err(|e| VoiceError::Clip { path: dir.to_owned(), reason: e.to_string() })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "wav") {
                continue;
            }
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            clips.insert(name, read_wav(&path)?);
        }
        Ok(ClipBank { dir: dir.to_owned(), clips })
    }

    /// The clip names that a call needs and this folder lacks.
    pub fn missing<'a>(&self, names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        names.into_iter().filter(|n| !self.clips.contains_key(*n)).cloned().collect()
    }

    pub fn get(&self, name: &str) -> Option<&[i16]> {
        self.clips.get(name).map(Vec::as_slice)
    }

    /// The samples of the clips in order, [`GAP_MS`] of silence between them.
    pub fn assemble(&self, names: &[String]) -> Result<Vec<i16>, VoiceError> {
        let gap = (RATE * GAP_MS / 1000) as usize;
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let clip = self.get(n).ok_or_else(|| VoiceError::Clip { path: self.dir.join(format!("{n}.wav")), reason: "missing".into() })?;
            if i > 0 {
                out.resize(out.len() + gap, 0);
            }
            out.extend_from_slice(clip);
        }
        Ok(out)
    }

    /// The whole call for ticket `number` at counter `counter`.
    pub fn call(&self, number: &str, counter: u32, d: Dialect) -> Result<Vec<i16>, VoiceError> {
        let names = call_clips(number, counter, d).map_err(|e| VoiceError::Text(e.to_string()))?;
        self.assemble(&names)
    }
}

pub fn read_wav(path: &Path) -> Result<Vec<i16>, VoiceError> {
    let err = |reason: String| VoiceError::Clip { path: path.to_owned(), reason };
    let r = hound::WavReader::open(path).map_err(|e| err(e.to_string()))?;
    let s = r.spec();
    if s.sample_rate != RATE || s.channels != 1 || s.bits_per_sample != 16 || s.sample_format != hound::SampleFormat::Int {
        return Err(err(format!(
            "must be {RATE} Hz mono 16-bit, is {} Hz, {} channels, {} bits",
            s.sample_rate, s.channels, s.bits_per_sample
        )));
    }
    r.into_samples::<i16>().collect::<Result<_, _>>().map_err(|e| err(e.to_string()))
}

pub fn write_wav(path: &Path, samples: &[i16]) -> Result<(), VoiceError> {
    let err = |e: hound::Error| VoiceError::Clip { path: path.to_owned(), reason: e.to_string() };
    let spec = hound::WavSpec { channels: 1, sample_rate: RATE, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(path, spec).map_err(err)?;
    samples.iter().try_for_each(|&s| w.write_sample(s)).map_err(err)?;
    w.finalize().map_err(err)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A clip folder where every clip is a distinct constant tone level, so that the order of
    /// clips in any output can be read back from the sample values.
    pub fn fake_bank(dir: &Path, names: &[&str]) -> Vec<(String, i16)> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let level = 1000 + 100 * i as i16;
                write_wav(&dir.join(format!("{n}.wav")), &vec![level; 160 + 16 * i]).unwrap();
                (n.to_string(), level)
            })
            .collect()
    }

    #[test]
    fn the_committed_clips_cover_every_call() {
        // Proves assets/voice/vi holds a clip for every name a call can produce, in the format.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice/vi");
        let bank = ClipBank::load(&dir).unwrap();
        let names = all_clip_names();
        assert!(names.len() > 30 && names.contains("nghìn") && names.contains("ngàn"));
        assert_eq!(bank.missing(&names), Vec::<String>::new());
        let call = bank.call("A012", 3, Dialect::North).unwrap();
        assert!(call.len() > RATE as usize, "a call lasts more than a second");
    }

    #[test]
    fn a_call_is_its_clips_in_order_with_gaps() {
        // Proves the assembly: clip samples in call_clips order, separated by GAP_MS of silence,
        // and a missing clip is an error naming it.
        let dir = tempfile::tempdir().unwrap();
        let names = call_clips("A012", 3, Dialect::North).unwrap();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let levels = fake_bank(dir.path(), &refs);
        let bank = ClipBank::load(dir.path()).unwrap();
        let out = bank.call("A012", 3, Dialect::North).unwrap();
        let gap = (RATE * GAP_MS / 1000) as usize;
        let mut at = 0;
        for (i, (name, level)) in levels.iter().enumerate() {
            let len = bank.get(name).unwrap().len();
            assert!(out[at..at + len].iter().all(|s| s == level), "clip {name}");
            at += len;
            if i + 1 < levels.len() {
                assert!(out[at..at + gap].iter().all(|&s| s == 0));
                at += gap;
            }
        }
        assert_eq!(at, out.len());
        assert!(bank.call("A9", 3, Dialect::North).unwrap_err().to_string().contains("chín"));
    }
}

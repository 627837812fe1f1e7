//! Where a call's samples go: ALSA (the `alsa` crate, linked against libasound) or the
//! simulator, which writes one numbered WAV per spoken call.
use super::clips::{write_wav, RATE};
use super::VoiceError;
use std::path::PathBuf;

/// Plays one buffer to the end before returning: the announcer relies on it so that calls
/// never overlap.
pub trait Player: Send {
    fn play(&mut self, samples: &[i16], label: &str) -> Result<(), VoiceError>;
    /// Whether the output is there, asked at start so a missing speaker is reported before
    /// the first call is lost on it.
    fn check(&mut self) -> Result<(), VoiceError> {
        Ok(())
    }
}

/// An ALSA PCM by name (`default`, `plughw:1,0`, or a PCM defined in asound.conf).
pub struct AlsaPlayer {
    pub pcm: String,
}

impl Player for AlsaPlayer {
    fn check(&mut self) -> Result<(), VoiceError> {
        use alsa::{Direction, PCM};
        PCM::new(&self.pcm, Direction::Playback, false)
            .map(drop)
            .map_err(|e| VoiceError::Alsa { pcm: self.pcm.clone(), reason: e.to_string() })
    }

    fn play(&mut self, samples: &[i16], _label: &str) -> Result<(), VoiceError> {
        use alsa::pcm::{Access, Format, HwParams, PCM};
        use alsa::{Direction, ValueOr};
        let err = |e: alsa::Error| VoiceError::Alsa { pcm: self.pcm.clone(), reason: e.to_string() };
        // Opened per call, not held: the sound card stays free for other programs between
        // calls, and a device that vanished (USB speaker replugged) is found again next call.
        let pcm = PCM::new(&self.pcm, Direction::Playback, false).map_err(err)?;
        {
            let hw = HwParams::any(&pcm).map_err(err)?;
            hw.set_channels(1).map_err(err)?;
            hw.set_rate(RATE, ValueOr::Nearest).map_err(err)?;
            hw.set_format(Format::s16()).map_err(err)?;
            hw.set_access(Access::RWInterleaved).map_err(err)?;
            pcm.hw_params(&hw).map_err(err)?;
            let rate = hw.get_rate().map_err(err)?;
            if rate != RATE {
                return Err(VoiceError::Alsa { pcm: self.pcm.clone(), reason: format!("plays at {rate} Hz, not {RATE}: use a plug PCM") });
            }
        }
        let io = pcm.io_i16().map_err(err)?;
        let mut at = 0;
        while at < samples.len() {
            match io.writei(&samples[at..]) {
                Ok(n) => at += n,
                // An underrun (the system was busy) is recovered, not a lost call.
                Err(e) => pcm.try_recover(e, true).map_err(err)?,
            }
        }
        pcm.drain().map_err(err)
    }
}

/// The simulator: `<dir>/<seq>-<label>.wav`, numbered from 1 in playing order.
pub struct RecordPlayer {
    pub dir: PathBuf,
    pub seq: u32,
}

impl Player for RecordPlayer {
    fn check(&mut self) -> Result<(), VoiceError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| VoiceError::Clip { path: self.dir.clone(), reason: e.to_string() })
    }

    fn play(&mut self, samples: &[i16], label: &str) -> Result<(), VoiceError> {
        self.seq += 1;
        let path = self.dir.join(format!("{:05}-{label}.wav", self.seq));
        // Written beside and renamed, so a watcher never sees half a call.
        let tmp = path.with_extension("part");
        write_wav(&tmp, samples)?;
        std::fs::rename(&tmp, &path).map_err(|e| VoiceError::Clip { path, reason: e.to_string() })
    }
}

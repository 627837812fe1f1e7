//! Playback through real ALSA (libasound) into a WAV file (`testkit::alsa::file_sink`), in a
//! process of its own, because libasound reads its configuration once per process.
use display::voice::clips::{write_wav, ClipBank, RATE};
use display::voice::player::{AlsaPlayer, Player};
use shared::text::{call_clips, Dialect};
use std::path::Path;

/// Samples as (value, run length), silence runs dropped: the shape of a sequence of clips.
fn runs(samples: &[i16]) -> Vec<(i16, usize)> {
    let mut out: Vec<(i16, usize)> = Vec::new();
    for &s in samples {
        match out.last_mut() {
            Some((v, n)) if *v == s => *n += 1,
            _ => out.push((s, 1)),
        }
    }
    out.retain(|(v, _)| *v != 0);
    out
}

/// The samples the file plugin wrote (its header may still say "unknown length" if the
/// plugin was not told the end, so the data chunk is taken to the end of the file).
fn played(path: &Path) -> Vec<i16> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..4], b"RIFF", "the file plugin wrote a WAV");
    let data = bytes.windows(4).position(|w| w == b"data").expect("a data chunk") + 8;
    let fmt = bytes.windows(4).position(|w| w == b"fmt ").unwrap() + 8;
    let channels = u16::from_le_bytes([bytes[fmt + 2], bytes[fmt + 3]]);
    let rate = u32::from_le_bytes(bytes[fmt + 4..fmt + 8].try_into().unwrap());
    assert_eq!((channels, rate), (1, RATE), "played as 16 kHz mono");
    bytes[data..].chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect()
}

// Its own process: libasound reads its configuration once per process.
rusty_fork_test! {
    #[test]
    fn a_call_reaches_alsa_whole_and_in_clip_order() {
        // Proves the ALSA path end to end: what libasound receives is the assembled call, sample
        // for sample, with its clips in call_clips order (each clip a distinct level here).
        let dir = tempfile::tempdir().unwrap();
        let out = testkit::alsa::file_sink(dir.path());

        let clips = dir.path().join("clips");
        std::fs::create_dir(&clips).unwrap();
        let names = call_clips("B101", 11, Dialect::South).unwrap();
        let mut expected = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let level = 2000 + 250 * i as i16;
            let len = 800 + 37 * i;
            if !clips.join(format!("{n}.wav")).exists() {
                write_wav(&clips.join(format!("{n}.wav")), &vec![level; len]).unwrap();
                expected.push((level, len));
            } else {
                // A word used twice ("một" three times in B101 at 11) is the same clip each time.
                let first = names.iter().position(|m| m == n).unwrap();
                expected.push(expected[first]);
            }
        }
        let bank = ClipBank::load(&clips).unwrap();
        let call = bank.call("B101", 11, Dialect::South).unwrap();
        AlsaPlayer { pcm: "default".into() }.play(&call, "B101-11").unwrap();

        let got = played(&out);
        assert!(got.len() >= call.len(), "all {} samples played, got {}", call.len(), got.len());
        assert_eq!(&got[..call.len()], &call[..]);
        assert!(got[call.len()..].iter().all(|&s| s == 0), "only silence after the call");
        assert_eq!(runs(&got), expected);
    }
}

//! ALSA without a sound card: a private configuration, pointed to by `ALSA_CONFIG_PATH`, routes
//! the `default` PCM to the `file` plugin, which writes what it is played to a WAV file (and
//! discards it into a `null` PCM). libasound reads its configuration once per process, so a
//! test that uses this runs alone in its process (its own test binary, or `rusty_fork`).
use std::path::{Path, PathBuf};

/// Routes this process's (and its children's) `default` PCM into `dir/played.wav`, which it
/// answers. Call it before anything in the process touches libasound.
pub fn file_sink(dir: &Path) -> PathBuf {
    let out = dir.join("played.wav");
    let conf = dir.join("asound.conf");
    let text = format!(
        "pcm.!default {{\n type file\n slave.pcm \"sink\"\n file \"{}\"\n format \"wav\"\n}}\npcm.sink {{\n type null\n}}\n",
        out.display()
    );
    std::fs::write(&conf, text).expect("write the ALSA configuration");
    // SAFETY (edition 2021: a safe fn): called, as said above, before libasound or any thread
    // that reads the environment.
    std::env::set_var("ALSA_CONFIG_PATH", &conf);
    out
}

//! The rules of a display configuration that serde cannot express. Each refusal names the path of
//! the value it is about, so that `parse` can point at the value's own line (not at the first
//! place the key happens to be written, which for `[[outputs]]` is often another output).
use super::boards::parse_offset;
use super::{Config, Keypad, Output, WindowMode};
use crate::button::key_code;
use shared::config::problem::{Problem, Seg};

type Checked = Result<(), Problem>;

fn refuse(at: Vec<Seg>, message: impl Into<String>) -> Checked {
    Err(Problem::new(at, message))
}

fn is_http(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

pub(super) fn check(config: &Config) -> Checked {
    use Seg::{Index, Key};
    if let Some(why) = shared::config::authority_url_problem(&config.authority.url) {
        return refuse(vec![Key("authority"), Key("url")], why);
    }
    let follow = &config.follow;
    if follow.backoff_min_ms == 0 || follow.backoff_min_ms > follow.backoff_max_ms {
        return refuse(vec![Key("follow"), Key("backoff_min_ms")], "must be > 0 and <= backoff_max_ms");
    }
    for (i, o) in config.outputs.iter().enumerate() {
        output(o).map_err(|mut p| {
            p.at.splice(0..0, [Key("outputs"), Index(i)]);
            p
        })?;
    }
    // One Slint platform per process: every board windowed, or every board headless.
    let boards = config.outputs.iter().enumerate().filter_map(|(i, o)| match o {
        Output::Hall { window, .. } | Output::Results { window, .. } => Some((i, *window)),
        _ => None,
    });
    let mut first: Option<WindowMode> = None;
    for (i, mode) in boards {
        if first.is_some_and(|f| f != mode) {
            return refuse(
                vec![Key("outputs"), Index(i), Key("window")],
                "every board of one display process must have the same `window` setting",
            );
        }
        first = first.or(Some(mode));
    }
    if parse_offset(&config.boards.utc_offset).is_none() {
        return refuse(vec![Key("boards"), Key("utc_offset")], "is like \"+07:00\"");
    }
    for (i, k) in config.keypads.iter().enumerate() {
        keypad(k).map_err(|mut p| {
            p.at.splice(0..0, [Key("keypads"), Index(i)]);
            p
        })?;
    }
    Ok(())
}

/// One output's rules; the path is relative to the output.
fn output(o: &Output) -> Checked {
    use Seg::Key;
    match o {
        Output::Rs485 { address, .. } if !(1..=99).contains(address) => refuse(vec![Key("address")], "must be 1-99"),
        Output::Png { width, height, .. } | Output::Framebuffer { width, height, .. }
            if *width < 64 || *height < 48 || *width > 4096 || *height > 4096 =>
        {
            refuse(vec![Key("width")], "width/height must be 64x48 to 4096x4096")
        }
        Output::Hall { width, height, .. } | Output::Results { width, height, .. } if width.is_some() != height.is_some() => refuse(
            vec![Key(if width.is_some() { "width" } else { "height" })],
            "a board's width and height go together (or neither: the screen's)",
        ),
        Output::Hall { width: Some(width), height: Some(height), .. }
        | Output::Results { width: Some(width), height: Some(height), .. }
            if *width < 320 || *height < 240 || *width > 7680 || *height > 4320 =>
        {
            refuse(vec![Key("width")], "a board's width/height must be 320x240 to 7680x4320")
        }
        Output::Hall { notices, earlier, flash_s, .. } => {
            if let Some(n) = notices.iter().position(|n| n.trim().is_empty() || n.chars().count() > 500) {
                return refuse(vec![Key("notices"), Seg::Index(n)], "each notice is 1 to 500 characters");
            }
            if *earlier > 10 {
                return refuse(vec![Key("earlier")], "is 0-10 calls");
            }
            if *flash_s > 60 {
                return refuse(vec![Key("flash_s")], "is at most 60 seconds");
            }
            Ok(())
        }
        Output::Results { source, rows, page_s, refresh_s, hold_s, source_timeout_s, .. } => {
            if !is_http(source) {
                return refuse(vec![Key("source")], "must start with http:// or https://");
            }
            if !(1..=20).contains(rows) {
                return refuse(vec![Key("rows")], "is 1-20");
            }
            for (key, value) in [("page_s", page_s), ("refresh_s", refresh_s), ("hold_s", hold_s)] {
                if *value == 0 {
                    return refuse(vec![Key(key)], "must be more than 0 seconds");
                }
            }
            if !(1..=60).contains(source_timeout_s) {
                return refuse(vec![Key("source_timeout_s")], "is 1-60 seconds");
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// One keypad's rules; the path is relative to the keypad.
fn keypad(k: &Keypad) -> Checked {
    use Seg::Key;
    let empty = match k {
        Keypad::Gpio { pins, debounce_ms, .. } => {
            if *debounce_ms == 0 || *debounce_ms > 500 {
                return refuse(vec![Key("debounce_ms")], "is 1-500");
            }
            if let Some((b, p)) = pins.entries().into_iter().find(|(_, p)| *p > 53) {
                return refuse(vec![Key("pins"), Key(b.name())], format!("GPIO {p} does not exist (BCM 0-53)"));
            }
            pins.entries().is_empty()
        }
        Keypad::Evdev { keys, .. } => {
            if let Some((b, k)) = keys.entries().into_iter().find(|(_, k)| key_code(k).is_none()) {
                return refuse(vec![Key("keys"), Key(b.name())], format!("unknown key name {k:?} (e.g. KP_ENTER, KP_PLUS, F1, A, 1)"));
            }
            keys.entries().is_empty()
        }
    };
    if empty {
        return refuse(vec![], format!("the keypad of counter {} maps no button", k.counter()));
    }
    Ok(())
}

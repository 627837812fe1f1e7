//! USB keypads and keyboards through the Linux input subsystem: `struct input_event` records
//! read from `/dev/input/eventN` (or any `Read`, so tests feed bytes), key names mapped to
//! codes (`linux/input-event-codes.h`). A keyboard's own controller debounces its keys;
//! auto-repeat events (value 2) of a held key are ignored, so holding is one press.
use std::io::Read;

/// `EV_KEY`: a key or button changed.
pub const EV_KEY: u16 = 1;

/// The size of `struct input_event` on this machine: a `struct timeval` (two C longs: 16 bytes
/// on aarch64 and x86-64, 8 on 32-bit ARM), then type u16, code u16, value i32.
pub const EVENT_SIZE: usize = 2 * std::mem::size_of::<std::ffi::c_long>() + 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEvent {
    pub kind: u16,
    pub code: u16,
    /// 1 pressed, 0 released, 2 auto-repeat.
    pub value: i32,
}

/// Decodes one record (native byte order, as the kernel writes it).
pub fn decode(record: &[u8; EVENT_SIZE]) -> InputEvent {
    let at = EVENT_SIZE - 8;
    let u16_at = |i: usize| u16::from_ne_bytes([record[i], record[i + 1]]);
    InputEvent {
        kind: u16_at(at),
        code: u16_at(at + 2),
        value: i32::from_ne_bytes([record[at + 4], record[at + 5], record[at + 6], record[at + 7]]),
    }
}

/// Encodes a record, for tests and the simulator (time left at zero).
pub fn encode(e: InputEvent) -> [u8; EVENT_SIZE] {
    let mut r = [0u8; EVENT_SIZE];
    let at = EVENT_SIZE - 8;
    r[at..at + 2].copy_from_slice(&e.kind.to_ne_bytes());
    r[at + 2..at + 4].copy_from_slice(&e.code.to_ne_bytes());
    r[at + 4..].copy_from_slice(&e.value.to_ne_bytes());
    r
}

/// Reads records until the stream ends or fails, calling `on_key` with the code of every key
/// press (not releases or repeats). A stream that ends inside a record is an error: a device
/// that went away mid-record, or a file that is not an event stream.
pub fn read_presses(mut input: impl Read, mut on_key: impl FnMut(u16)) -> std::io::Result<()> {
    let mut record = [0u8; EVENT_SIZE];
    loop {
        let mut filled = 0;
        while filled < EVENT_SIZE {
            match input.read(&mut record[filled..]) {
                Ok(0) if filled == 0 => return Ok(()),
                Ok(0) => return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "input ended inside an event record")),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let e = decode(&record);
        if e.kind == EV_KEY && e.value == 1 {
            on_key(e.code);
        }
    }
}

/// Key names a configuration may use, and their codes.
const NAMED: &[(&str, u16)] = &[
    ("ESC", 1), ("BACKSPACE", 14), ("TAB", 15), ("ENTER", 28), ("SPACE", 57), ("NUMLOCK", 69),
    ("KP_ASTERISK", 55), ("KP_MINUS", 74), ("KP_PLUS", 78), ("KP_DOT", 83), ("KP_ENTER", 96), ("KP_SLASH", 98),
    ("KP7", 71), ("KP8", 72), ("KP9", 73), ("KP4", 75), ("KP5", 76), ("KP6", 77), ("KP1", 79), ("KP2", 80),
    ("KP3", 81), ("KP0", 82), ("F1", 59), ("F2", 60), ("F3", 61), ("F4", 62), ("F5", 63), ("F6", 64), ("F7", 65),
    ("F8", 66), ("F9", 67), ("F10", 68), ("F11", 87), ("F12", 88), ("UP", 103), ("LEFT", 105), ("RIGHT", 106),
    ("DOWN", 108), ("HOME", 102), ("END", 107), ("PAGEUP", 104), ("PAGEDOWN", 109), ("INSERT", 110), ("DELETE", 111),
];
const LETTERS: &[u16; 26] = &[30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44];
const DIGITS: &[u16; 10] = &[11, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/// The code of a key name: a name above (with or without `KEY_`), a letter, a digit, or
/// `code:N` for any other key (`evtest` shows the numbers).
pub fn key_code(name: &str) -> Option<u16> {
    let n = name.trim().to_ascii_uppercase();
    let n = n.strip_prefix("KEY_").unwrap_or(&n);
    if let Some(code) = n.strip_prefix("CODE:") {
        return code.parse().ok().filter(|c| *c > 0 && *c < 0x300);
    }
    if let Some((_, c)) = NAMED.iter().find(|(k, _)| *k == n || k.replace('_', "") == n) {
        return Some(*c);
    }
    let mut chars = n.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ 'A'..='Z'), None) => Some(LETTERS[(c as u8 - b'A') as usize]),
        (Some(c @ '0'..='9'), None) => Some(DIGITS[(c as u8 - b'0') as usize]),
        _ => None,
    }
}

/// Takes the device for this process alone (`EVIOCGRAB`), so its keys do not also type into
/// whatever window has the focus.
pub fn grab(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // _IOW('E', 0x90, int)
    const EVIOCGRAB: u64 = (1 << 30) | (4 << 16) | ((b'E' as u64) << 8) | 0x90;
    // SAFETY: an ioctl on a file descriptor we own, with an int argument as the kernel expects.
    let r = unsafe { libc::ioctl(file.as_raw_fd(), EVIOCGRAB as _, 1 as libc::c_int) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: u16, value: i32) -> Vec<u8> {
        encode(InputEvent { kind: EV_KEY, code, value }).to_vec()
    }

    #[test]
    fn presses_are_read_from_raw_records_and_repeats_and_releases_ignored() {
        // Proves the record layout: a press, its auto-repeats and release give one code; a
        // sync event (type 0) and a scan-code event (type 4) in between are skipped.
        let mut bytes = key(96, 1);
        bytes.extend(encode(InputEvent { kind: 4, code: 4, value: 0x70058 }));
        bytes.extend(encode(InputEvent { kind: 0, code: 0, value: 0 }));
        bytes.extend(key(96, 2));
        bytes.extend(key(96, 2));
        bytes.extend(key(96, 0));
        bytes.extend(key(78, 1));
        let mut got = Vec::new();
        // Delivered a few bytes at a time, as a pipe may.
        struct Trickle(std::io::Cursor<Vec<u8>>);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(5);
                self.0.read(&mut buf[..n])
            }
        }
        read_presses(Trickle(std::io::Cursor::new(bytes)), |c| got.push(c)).unwrap();
        assert_eq!(got, [96, 78]);
    }

    #[test]
    fn a_stream_cut_inside_a_record_is_an_error() {
        // Proves a device unplugged mid-record is reported, not taken as a clean end.
        let mut bytes = key(96, 1);
        bytes.extend(&key(78, 1)[..EVENT_SIZE - 3]);
        let mut got = Vec::new();
        let err = read_presses(&bytes[..], |c| got.push(c)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
        assert_eq!(got, [96]);
    }

    #[test]
    fn key_names_map_to_kernel_codes() {
        assert_eq!(key_code("KP_ENTER"), Some(96));
        assert_eq!(key_code("key_kpenter"), Some(96));
        assert_eq!(key_code("a"), Some(30));
        assert_eq!(key_code("0"), Some(11));
        assert_eq!(key_code("F12"), Some(88));
        assert_eq!(key_code("code:164"), Some(164));
        assert_eq!(key_code("HYPERSPACE"), None);
        assert_eq!(key_code("code:0"), None);
    }

    #[test]
    fn the_record_size_matches_the_platform() {
        // 24 bytes on 64-bit Linux (the Pi's aarch64 too), 16 on 32-bit ARM.
        #[cfg(target_pointer_width = "64")]
        assert_eq!(EVENT_SIZE, 24);
        #[cfg(target_pointer_width = "32")]
        assert_eq!(EVENT_SIZE, 16);
    }
}

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

// Key names and their codes live in the leaf `crate::button` (the configuration checks them).
pub use crate::button::key_code;

/// Takes the device for this process alone (`EVIOCGRAB`), so its keys do not also type into
/// whatever window has the focus.
pub fn grab(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // _IOW('E', 0x90, int)
    const EVIOCGRAB: u64 = (1 << 30) | (4 << 16) | ((b'E' as u64) << 8) | 0x90;
    // SAFETY: an ioctl on a file descriptor we own, with an int argument as the kernel expects.
    let r = unsafe { libc::ioctl(file.as_raw_fd(), EVIOCGRAB as _, 1 as libc::c_int) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
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

//! RS-485 LED number panels: one bus, many panels, each with an address.
//!
//! Byte protocol (defined here; panel firmware implements the receiving side):
//!
//! ```text
//! STX  ADDR  CMD  PAYLOAD   CHK   ETX
//! 0x02 "03"  'N'  "A012"    "4F"  0x03
//! ```
//! - `ADDR`: the panel's address as two ASCII decimal digits, `01`–`99` (ASCII, so that no
//!   address byte can be mistaken for STX or ETX by a panel resynchronising mid-stream);
//! - `CMD`: `N` show the payload steadily, `F` show it flashing (the authority is offline:
//!   a segment panel has no room for a mark, so the number blinks), `C` clear (no payload);
//! - `PAYLOAD`: the ticket number, 0–8 characters of `0-9`, `A-Z`, `-`;
//! - `CHK`: XOR of every byte of ADDR, CMD and PAYLOAD, as two upper-case ASCII hex digits;
//! - no reply: RS-485 half duplex with many panels, so the controller repeats the frame on
//!   every change instead of waiting for acknowledgements.
use super::devices::{CounterDevice, DeviceError};
use super::CounterView;
use std::io::Write;
use std::time::Duration;

pub const STX: u8 = 0x02;
pub const ETX: u8 = 0x03;
pub const MAX_PAYLOAD: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Show(String),
    Flash(String),
    Clear,
}

/// The frame for `cmd` to the panel at `address` (1–99). Payload characters outside the
/// panel's set are dropped and it is cut to [`MAX_PAYLOAD`], so any ticket number encodes.
pub fn encode(address: u8, cmd: &Command) -> Vec<u8> {
    let (code, payload) = match cmd {
        Command::Show(p) => (b'N', p.as_str()),
        Command::Flash(p) => (b'F', p.as_str()),
        Command::Clear => (b'C', ""),
    };
    let payload: Vec<u8> = payload
        .bytes()
        .map(|b| b.to_ascii_uppercase())
        .filter(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || *b == b'-')
        .take(MAX_PAYLOAD)
        .collect();
    let mut body = format!("{:02}", address.min(99)).into_bytes();
    body.push(code);
    body.extend(payload);
    let chk = body.iter().fold(0u8, |a, b| a ^ b);
    let mut out = vec![STX];
    out.extend(&body);
    out.extend(format!("{chk:02X}").into_bytes());
    out.push(ETX);
    out
}

/// Decodes one frame (what a panel does): `(address, command)`, or why it is refused.
pub fn decode(frame: &[u8]) -> Result<(u8, Command), &'static str> {
    let inner = frame.strip_prefix(&[STX]).and_then(|f| f.strip_suffix(&[ETX])).ok_or("no STX/ETX")?;
    if inner.len() < 5 {
        return Err("too short");
    }
    let (body, chk) = inner.split_at(inner.len() - 2);
    let chk = std::str::from_utf8(chk).ok().and_then(|c| u8::from_str_radix(c, 16).ok()).ok_or("bad checksum digits")?;
    if body.iter().fold(0u8, |a, b| a ^ b) != chk {
        return Err("checksum mismatch");
    }
    let addr = std::str::from_utf8(&body[..2]).ok().and_then(|a| a.parse().ok()).ok_or("bad address")?;
    let payload = String::from_utf8(body[3..].to_vec()).map_err(|_| "bad payload")?;
    let cmd = match body[2] {
        b'N' => Command::Show(payload),
        b'F' => Command::Flash(payload),
        b'C' => Command::Clear,
        _ => return Err("unknown command"),
    };
    Ok((addr, cmd))
}

/// What the panel is told for a view.
pub fn command_for(view: &CounterView) -> Command {
    match (&view.number, view.online) {
        (Some(n), true) => Command::Show(n.clone()),
        (Some(n), false) => Command::Flash(n.clone()),
        (None, true) => Command::Clear,
        (None, false) => Command::Flash("----".into()),
    }
}

/// A panel on a serial port (a USB–RS-485 adapter that switches direction by itself).
pub struct Rs485Device {
    port: Box<dyn serialport::SerialPort>,
    name: String,
    address: u8,
}

impl Rs485Device {
    pub fn open(port: &str, baud: u32, address: u8) -> Result<Rs485Device, DeviceError> {
        let p = serialport::new(port, baud)
            .timeout(Duration::from_secs(1))
            .open()
            .map_err(|e| DeviceError::Setup { path: port.to_owned(), reason: e.to_string() })?;
        Ok(Rs485Device { port: p, name: port.to_owned(), address })
    }
}

impl CounterDevice for Rs485Device {
    fn show(&mut self, view: &CounterView) -> Result<(), DeviceError> {
        let frame = encode(self.address, &command_for(view));
        self.port.write_all(&frame).and_then(|()| self.port.flush()).map_err(DeviceError::io(&self.name))
    }
    fn problem_code(&self) -> &'static str {
        "panel_unreachable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::io::Read;
    use std::os::fd::FromRawFd;

    #[test]
    fn frames_round_trip_and_corruption_is_caught() {
        // Proves the documented layout byte for byte, and that a flipped bit is refused.
        let f = encode(3, &Command::Show("a012".into()));
        let chk = b"03NA012".iter().fold(0u8, |a, b| a ^ b);
        let mut want = b"\x0203NA012".to_vec();
        want.extend(format!("{chk:02X}\x03").bytes());
        assert_eq!(f, want);
        assert_eq!(decode(&f), Ok((3, Command::Show("A012".into()))));
        assert_eq!(decode(&encode(99, &Command::Clear)), Ok((99, Command::Clear)));
        let mut bad = f.clone();
        bad[4] ^= 0x01;
        assert_eq!(decode(&bad), Err("checksum mismatch"));
        // No byte inside a frame is STX or ETX, whatever the number.
        let long = encode(2, &Command::Flash("\u{2}\u{3}B12345678999".into()));
        assert!(long[1..long.len() - 1].iter().all(|&b| b != STX && b != ETX));
        assert_eq!(decode(&long), Ok((2, Command::Flash("B1234567".into()))));
    }

    #[test]
    fn a_panel_on_a_pseudo_terminal_receives_the_frame() {
        // Proves the serial path end to end: serialport opens a real tty (the slave of a pty
        // pair), and the bytes arriving at the other end are exactly the frame.
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two fds into the provided integers; the name, termios and
        // winsize pointers may be null.
        let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: ttyname on an fd we own returns a pointer to a static NUL-terminated buffer.
        let name = unsafe { CStr::from_ptr(libc::ttyname(slave)) }.to_str().unwrap().to_owned();
        let mut dev = Rs485Device::open(&name, 9600, 7).unwrap();
        let view = CounterView { title: "Quầy 7".into(), number: Some("B105".into()), online: false, notice: None };
        dev.show(&view).unwrap();
        // SAFETY: `master` is an open fd returned by openpty, owned from here on by the File.
        let mut m = unsafe { std::fs::File::from_raw_fd(master) };
        let want = encode(7, &Command::Flash("B105".into()));
        let mut got = vec![0u8; want.len()];
        m.read_exact(&mut got).unwrap();
        assert_eq!(got, want);
        assert_eq!(decode(&got), Ok((7, Command::Flash("B105".into()))));
        // SAFETY: closing the slave fd we opened and no longer use (serialport opened its own).
        unsafe { libc::close(slave) };
    }
}

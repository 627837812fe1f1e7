//! Test helpers: pseudo-terminal pairs and a fake printer that runs the virtual printer on the
//! far end of a pty or TCP connection, answering `DLE EOT` like a real one.
#![allow(dead_code)] // each test file uses a different subset

use std::ffi::CStr;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use printer::{Bitmap, PrintError, PrinterStatus, Transport, VirtualPrinter};

/// A pseudo-terminal pair; `path` names the slave, which the transports open like a device.
pub struct Pty {
    pub master: OwnedFd,
    /// Held until the transport has opened the slave: a master with no slave open reads EIO.
    pub slave: Option<OwnedFd>,
    pub path: String,
}

/// Opens a pty pair with the slave in raw mode (no echo, no line editing, no CR/LF changes),
/// as a printer port would be.
pub fn open_pty() -> Pty {
    let (mut m, mut s) = (0, 0);
    // SAFETY: out-pointers to two live c_ints; null name/termios/winsize are allowed.
    let r = unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(r, 0, "openpty: {}", io::Error::last_os_error());
    // SAFETY: openpty returned two fresh descriptors that nothing else owns.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
    let mut buf = [0 as libc::c_char; 128];
    // SAFETY: buffer and its length are valid; ptsname_r NUL-terminates on success.
    assert_eq!(unsafe { libc::ptsname_r(m, buf.as_mut_ptr(), buf.len()) }, 0);
    let path = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned();
    // SAFETY: termios is plain data filled by tcgetattr before use.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(s, &mut t), 0);
        libc::cfmakeraw(&mut t);
        assert_eq!(libc::tcsetattr(s, libc::TCSANOW, &t), 0);
    }
    Pty { master, slave: Some(slave), path }
}

/// The printer end of a connection.
pub trait Line: Send {
    /// Reads with a timeout; Ok(0) = nothing arrived; Err = the other end is gone.
    fn read_for(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
}

impl Line for OwnedFd {
    fn read_for(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        let mut p = libc::pollfd { fd: self.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut p, 1, timeout.as_millis() as i32) };
        if r == 0 {
            return Ok(0);
        }
        read_fd(self.as_raw_fd(), buf)
    }
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        // SAFETY: pointer and length from a live slice.
        let n = unsafe { libc::write(self.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
        if n as usize == bytes.len() {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

fn read_fd(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: pointer and length from a live mutable slice.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    match n {
        0 => Err(io::ErrorKind::UnexpectedEof.into()),
        n if n > 0 => Ok(n as usize),
        _ => Err(io::Error::last_os_error()),
    }
}

impl Line for TcpStream {
    fn read_for(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        match self.read(buf) {
            Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => Ok(n),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => Ok(0),
            Err(e) => Err(e),
        }
    }
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)
    }
}

/// How the fake printer behaves.
#[derive(Clone, Debug)]
pub struct Script {
    pub width: u32,
    /// Answer to the first three status queries (the check before printing).
    pub before: PrinterStatus,
    /// Answer to every later query.
    pub after: PrinterStatus,
    /// Hang up (close the line) once this many bytes have arrived.
    pub hang_up_after: Option<usize>,
    /// Send XOFF when this many bytes have arrived, hold `pause`, then XON.
    pub xoff_at: Vec<usize>,
    pub pause: Duration,
    /// Sent as soon as the fake starts, before anything is asked: a stray byte on the line.
    pub stray: Vec<u8>,
    /// Replies to the first query are held back this long: a reply that comes late.
    pub late_first_reply: Option<Duration>,
    /// Give up after this long in all.
    pub limit: Duration,
}

impl Script {
    pub fn ok(width: u32) -> Self {
        let ok = PrinterStatus { online: true, ..Default::default() };
        Script {
            width,
            before: ok,
            after: ok,
            hang_up_after: None,
            xoff_at: vec![],
            pause: Duration::ZERO,
            stray: vec![],
            late_first_reply: None,
            limit: Duration::from_secs(20),
        }
    }
}

/// What the fake printer saw.
#[derive(Debug)]
pub struct Report {
    pub received: Vec<u8>,
    /// The printed paper, unless the stream did not decode (then the error text).
    pub paper: Result<Bitmap, String>,
    pub queries: usize,
    /// Bytes that arrived during XOFF windows, after in-flight bytes were drained: must be 0.
    pub bytes_while_paused: usize,
    pub pauses_done: usize,
}

/// Runs the fake printer on `line` until the other end closes (or it hangs up itself).
pub fn run_fake<L: Line>(mut line: L, script: Script) -> Report {
    let start = Instant::now();
    let mut vp = VirtualPrinter::new(script.width);
    let mut received = Vec::new();
    let mut decode_err = None;
    let mut queries = 0;
    let (mut bytes_while_paused, mut pauses_done) = (0, 0);
    let mut xoff_at = script.xoff_at.clone();
    let mut buf = [0u8; 512];
    if !script.stray.is_empty() {
        line.send(&script.stray).unwrap();
    }
    let mut take = |bytes: &[u8], received: &mut Vec<u8>, vp: &mut VirtualPrinter| -> Vec<u8> {
        received.extend_from_slice(bytes);
        if decode_err.is_none() {
            if let Err(e) = vp.write(bytes) {
                decode_err = Some(e.to_string());
            }
        }
        let mut replies = Vec::new();
        for n in vp.take_status_queries() {
            let status = if queries < 3 { script.before } else { script.after };
            let idx = match n {
                1 => 0,
                2 => 1,
                _ => 2,
            };
            replies.push(status.to_replies()[idx]);
            queries += 1;
        }
        replies
    };
    while start.elapsed() < script.limit {
        if let Some(limit) = script.hang_up_after {
            if received.len() >= limit {
                break; // dropping `line` closes it: the hang-up
            }
        }
        if let Some(&at) = xoff_at.first() {
            if received.len() >= at {
                xoff_at.remove(0);
                line.send(&[0x13]).unwrap();
                // Bytes written before the sender saw XOFF are still in flight: drain them. The
                // margin is wide so a busy CI machine descheduling the sender stays in bounds.
                let settle = Instant::now();
                while settle.elapsed() < Duration::from_millis(250) {
                    match line.read_for(&mut buf, Duration::from_millis(10)) {
                        Ok(n) => {
                            let r = take(&buf[..n], &mut received, &mut vp);
                            line.send(&r).unwrap();
                        }
                        Err(_) => break,
                    }
                }
                // From now on nothing may arrive until XON.
                let window = Instant::now();
                while window.elapsed() < script.pause {
                    match line.read_for(&mut buf, Duration::from_millis(10)) {
                        Ok(n) => {
                            bytes_while_paused += n;
                            let r = take(&buf[..n], &mut received, &mut vp);
                            line.send(&r).unwrap();
                        }
                        Err(_) => break,
                    }
                }
                pauses_done += 1;
                if line.send(&[0x11]).is_err() {
                    break;
                }
                continue;
            }
        }
        let want = script.hang_up_after.map_or(buf.len(), |l| (l - received.len()).clamp(1, buf.len()));
        match line.read_for(&mut buf[..want], Duration::from_millis(20)) {
            Ok(n) => {
                let first = received.is_empty();
                let replies = take(&buf[..n], &mut received, &mut vp);
                if let (true, false, Some(d)) = (first, replies.is_empty(), script.late_first_reply) {
                    std::thread::sleep(d); // the printer is slow to answer
                }
                if !replies.is_empty() && line.send(&replies).is_err() {
                    break;
                }
            }
            Err(_) => break, // the transport closed its end
        }
    }
    let paper = match decode_err {
        Some(e) => Err(e),
        None => vp.finish().map_err(|e| e.to_string()),
    };
    Report { received, paper, queries, bytes_while_paused, pauses_done }
}

/// Waits until `fd` has input to read, without reading it; false if none came in `timeout`.
pub fn wait_readable(fd: RawFd, timeout: Duration) -> bool {
    let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, timeout.as_millis() as i32) };
    r == 1 && p.revents & libc::POLLIN != 0
}

/// A transport as it was before stale input was dropped: every call forwarded except
/// `discard_input`, left at the trait's default (drops nothing). Shows what the drain prevents.
pub struct NoDrain<T>(pub T);

impl<T: Transport> Transport for NoDrain<T> {
    fn target(&self) -> &str {
        self.0.target()
    }
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        self.0.write_all(bytes, timeout)
    }
    fn can_read(&self) -> bool {
        self.0.can_read()
    }
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        self.0.read(buf, timeout)
    }
}

//! Deadline-bounded reads and writes on a non-blocking file descriptor, shared by the USB device
//! file and the serial port (the write loop itself is `progress::write_all_within`). `poll` gives the timeouts; errno values tell a printer that was
//! unplugged or hung up (EIO, ENODEV, ENXIO, EPIPE, POLLHUP) from other I/O failures.

use std::io;
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use super::progress::{write_all_within, WriteProgress};
use crate::status::{PrintError, Stage};

/// One descriptor plus the target name used in errors.
pub(crate) struct FdIo<'a> {
    pub fd: RawFd,
    pub target: &'a str,
}

fn is_disconnect(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EIO | libc::ENODEV | libc::ENXIO | libc::EPIPE | libc::ECONNRESET))
}

/// Sets O_NONBLOCK so a write never blocks past its deadline (a blocking tty write would wait
/// until every byte is queued, whatever the timeout).
pub(crate) fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor owned by the caller, no pointers involved.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

enum Ready {
    Yes,
    TimedOut,
    HungUp,
}

impl FdIo<'_> {
    fn err(&self, stage: Stage, e: io::Error) -> PrintError {
        if is_disconnect(&e) {
            PrintError::Disconnected { target: self.target.to_string(), stage }
        } else {
            PrintError::Io { target: self.target.to_string(), stage, source: e }
        }
    }

    fn poll(&self, events: libc::c_short, deadline: Instant, stage: Stage) -> Result<Ready, PrintError> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let ms = left.as_millis().min(i32::MAX as u128) as libc::c_int;
            let mut p = libc::pollfd { fd: self.fd, events, revents: 0 };
            // SAFETY: one valid pollfd for the duration of the call.
            let r = unsafe { libc::poll(&mut p, 1, ms) };
            if r < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(self.err(stage, e));
            }
            if r == 0 {
                return Ok(Ready::TimedOut);
            }
            // Data still buffered before a hang-up is delivered first; a bare hang-up is final.
            if p.revents & events != 0 {
                return Ok(Ready::Yes);
            }
            if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Ok(Ready::HungUp);
            }
        }
    }

    /// Writes some of `bytes` before the write's deadline; errors carry its progress.
    pub fn write_some(&self, bytes: &[u8], p: &WriteProgress<'_>) -> Result<usize, PrintError> {
        loop {
            match self.poll(libc::POLLOUT, p.deadline(), p.stage())? {
                Ready::TimedOut => return Err(p.timed_out()),
                Ready::HungUp => return Err(p.disconnected()),
                Ready::Yes => {}
            }
            // SAFETY: the pointer and length come from a live slice.
            let n = unsafe { libc::write(self.fd, bytes.as_ptr().cast(), bytes.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if !matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) {
                return Err(self.err(p.stage(), e));
            }
        }
    }

    /// Writes all of `bytes` within `timeout`.
    pub fn write_all(&self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        write_all_within(self.target, bytes, timeout, |rest, p| self.write_some(rest, p))
    }

    /// Reads and drops every byte already waiting, without waiting for more; returns how many.
    pub fn discard(&self) -> Result<usize, PrintError> {
        let mut buf = [0u8; 256];
        let mut total = 0;
        loop {
            match self.read_until(&mut buf, Instant::now())? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    /// Reads what is available, waiting until `deadline` for the first byte; 0 = nothing came.
    pub fn read_until(&self, buf: &mut [u8], deadline: Instant) -> Result<usize, PrintError> {
        loop {
            match self.poll(libc::POLLIN, deadline, Stage::Reading)? {
                Ready::TimedOut => return Ok(0),
                Ready::HungUp => return Err(PrintError::Disconnected { target: self.target.to_string(), stage: Stage::Reading }),
                Ready::Yes => {}
            }
            // SAFETY: the pointer and length come from a live mutable slice.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                return Ok(n as usize);
            }
            if n == 0 {
                // End of file on a tty or device: the other end is gone.
                return Err(PrintError::Disconnected { target: self.target.to_string(), stage: Stage::Reading });
            }
            let e = io::Error::last_os_error();
            if !matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) {
                return Err(self.err(Stage::Reading, e));
            }
        }
    }
}

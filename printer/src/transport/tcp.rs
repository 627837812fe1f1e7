//! A network printer on TCP port 9100 ("raw" / JetDirect): bytes in, status bytes out.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::time::Duration;

use super::progress::write_all_within;
use super::Transport;
use crate::status::{PrintError, Stage};

/// Kernel send buffer we ask for. Loopback and LAN defaults run to megabytes, which would let
/// `write_all` report success while a stalled printer has taken nothing; a small buffer keeps
/// the write timeout meaningful (Linux doubles the value).
const SEND_BUFFER: libc::c_int = 16 * 1024;

/// A connected network printer.
pub struct TcpTransport {
    stream: TcpStream,
    target: String,
}

fn is_disconnect(kind: io::ErrorKind) -> bool {
    use io::ErrorKind::*;
    matches!(kind, BrokenPipe | ConnectionReset | ConnectionAborted | NotConnected | UnexpectedEof)
}

fn is_timeout(kind: io::ErrorKind) -> bool {
    matches!(kind, io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

impl TcpTransport {
    /// Connects within `connect_timeout`.
    pub fn connect(addr: SocketAddr, connect_timeout: Duration) -> Result<Self, PrintError> {
        let target = format!("tcp {addr}");
        let stream = TcpStream::connect_timeout(&addr, connect_timeout).map_err(|source| {
            if is_timeout(source.kind()) {
                PrintError::Timeout { target: target.clone(), stage: Stage::Connecting, after: connect_timeout }
            } else {
                PrintError::Io { target: target.clone(), stage: Stage::Connecting, source }
            }
        })?;
        let io_err = |source| PrintError::Io { target: target.clone(), stage: Stage::Connecting, source };
        // Tickets are one burst; Nagle would only delay the status queries.
        stream.set_nodelay(true).map_err(io_err)?;
        // SAFETY: setsockopt on our own socket with a pointer to a live c_int and its size.
        let r = unsafe {
            libc::setsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDBUF,
                (&SEND_BUFFER as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(io_err(io::Error::last_os_error()));
        }
        Ok(TcpTransport { stream, target })
    }

    fn err(&self, stage: Stage, after: Duration, e: io::Error) -> PrintError {
        let target = self.target.clone();
        if is_timeout(e.kind()) {
            PrintError::Timeout { target, stage, after }
        } else if is_disconnect(e.kind()) {
            PrintError::Disconnected { target, stage }
        } else {
            PrintError::Io { target, stage, source: e }
        }
    }
}

impl Transport for TcpTransport {
    fn target(&self) -> &str {
        &self.target
    }

    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        let target = self.target.clone();
        write_all_within(&target, bytes, timeout, |rest, p| loop {
            self.stream.set_write_timeout(Some(p.left().max(Duration::from_millis(1)))).map_err(|e| self.err(p.stage(), timeout, e))?;
            return match self.stream.write(rest) {
                Ok(0) => Err(p.disconnected()),
                Ok(n) => Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Err(self.err(p.stage(), timeout, e)),
            };
        })
    }

    fn can_read(&self) -> bool {
        true
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        // A zero read timeout means "block forever" to the socket API; use the shortest instead.
        let t = timeout.max(Duration::from_millis(1));
        self.stream.set_read_timeout(Some(t)).map_err(|e| self.err(Stage::Reading, timeout, e))?;
        loop {
            return match self.stream.read(buf) {
                Ok(0) => Err(PrintError::Disconnected { target: self.target.clone(), stage: Stage::Reading }),
                Ok(n) => Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(e.kind()) => Ok(0),
                Err(e) => Err(self.err(Stage::Reading, timeout, e)),
            };
        }
    }

    /// Reads without blocking until the socket has nothing waiting; the bytes are dropped.
    fn discard_input(&mut self) -> Result<usize, PrintError> {
        let err = |t: &Self, e| t.err(Stage::Reading, Duration::ZERO, e);
        self.stream.set_nonblocking(true).map_err(|e| err(self, e))?;
        let mut buf = [0u8; 256];
        let mut dropped = 0;
        let result = loop {
            match self.stream.read(&mut buf) {
                Ok(0) => break Err(PrintError::Disconnected { target: self.target.clone(), stage: Stage::Reading }),
                Ok(n) => dropped += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(dropped),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(err(self, e)),
            }
        };
        self.stream.set_nonblocking(false).map_err(|e| err(self, e))?;
        result
    }
}

impl AsRawFd for TcpTransport {
    /// The socket's descriptor, e.g. to wait for input with `poll` alongside other sources.
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.stream.as_raw_fd()
    }
}

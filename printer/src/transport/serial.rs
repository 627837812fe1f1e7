//! RS-232 and USB-serial printers.
//!
//! The `serialport` crate opens and configures the line (raw mode, baud, RTS/CTS); the bytes then
//! go through our own deadline-bounded I/O on its descriptor, for exact errno values. XON/XOFF
//! is paced here rather than by the driver's IXON: not every USB-serial driver honours it, and a
//! printer whose buffer overflows prints garbage. We send small chunks and read the line between
//! them: after XOFF (0x13) nothing more is written until XON (0x11) or the deadline.

use std::collections::VecDeque;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use serialport::TTYPort;

use super::fdio::{set_nonblocking, FdIo};
use super::progress::write_all_within;
use super::Transport;
use crate::status::{PrintError, Stage};

pub const XON: u8 = 0x11;
pub const XOFF: u8 = 0x13;

/// How the printer tells us to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowControl {
    None,
    /// Hardware handshake, done by the UART.
    RtsCts,
    /// Software handshake, done by this transport.
    XonXoff,
}

/// Where and how to open the port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerialConfig {
    pub path: String,
    pub baud: u32,
    pub flow: FlowControl,
    /// Bytes written between two checks for XOFF. Printers raise XOFF with a few hundred bytes of
    /// buffer left, so 64 cannot overrun it; at 115,200 baud a chunk lasts about 5.6 ms.
    pub chunk: usize,
}

impl SerialConfig {
    pub fn new(path: impl Into<String>, baud: u32) -> Self {
        SerialConfig { path: path.into(), baud, flow: FlowControl::None, chunk: 64 }
    }
}

/// An open serial printer.
pub struct SerialTransport {
    port: TTYPort,
    target: String,
    flow: FlowControl,
    chunk: usize,
    paused: bool,
    /// Bytes read while watching for XON/XOFF that belong to the caller (status replies).
    inbox: VecDeque<u8>,
}

impl SerialTransport {
    pub fn open(config: &SerialConfig) -> Result<Self, PrintError> {
        let target = format!("serial {}", config.path);
        let flow = match config.flow {
            FlowControl::RtsCts => serialport::FlowControl::Hardware,
            // XON/XOFF stays off in the driver: see the module comment.
            FlowControl::None | FlowControl::XonXoff => serialport::FlowControl::None,
        };
        let port = serialport::new(&config.path, config.baud)
            .flow_control(flow)
            .timeout(Duration::from_secs(1))
            .open_native()
            .map_err(|source| PrintError::SerialOpen { target: target.clone(), source })?;
        set_nonblocking(port.as_raw_fd()).map_err(|source| PrintError::Io { target: target.clone(), stage: Stage::Opening, source })?;
        Ok(SerialTransport { port, target, flow: config.flow, chunk: config.chunk.max(1), paused: false, inbox: VecDeque::new() })
    }

    /// Whether the printer has sent XOFF and not yet XON.
    pub fn paused(&self) -> bool {
        self.paused
    }

    fn io(&self) -> FdIo<'_> {
        FdIo { fd: self.port.as_raw_fd(), target: &self.target }
    }

    /// Reads whatever arrives before `deadline` (nothing waited for if it has passed), updating
    /// the pause state and keeping other bytes. Returns how many bytes came in.
    fn pump(&mut self, deadline: Instant, stage: Stage) -> Result<usize, PrintError> {
        let mut buf = [0u8; 256];
        let n = self.io().read_until(&mut buf, deadline).map_err(|e| match e {
            // Report the failure as part of the write the caller is doing.
            PrintError::Disconnected { target, .. } => PrintError::Disconnected { target, stage },
            PrintError::Io { target, source, .. } => PrintError::Io { target, stage, source },
            other => other,
        })?;
        for &b in &buf[..n] {
            match b {
                XOFF if self.flow == FlowControl::XonXoff => self.paused = true,
                XON if self.flow == FlowControl::XonXoff => self.paused = false,
                _ => self.inbox.push_back(b),
            }
        }
        Ok(n)
    }
}

impl Transport for SerialTransport {
    fn target(&self) -> &str {
        &self.target
    }

    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        let target = self.target.clone();
        write_all_within(&target, bytes, timeout, |rest, p| {
            let end = if self.flow == FlowControl::XonXoff {
                // Take in XON/XOFF without waiting until nothing is pending, then wait out a
                // pause.
                while self.pump(Instant::now(), p.stage())? > 0 {}
                while self.paused {
                    if Instant::now() >= p.deadline() {
                        return Err(p.timed_out());
                    }
                    self.pump(p.deadline(), p.stage())?;
                }
                self.chunk.min(rest.len())
            } else {
                rest.len()
            };
            self.io().write_some(&rest[..end], p)
        })
    }

    /// Drops what is waiting (read ahead into the inbox or still in the driver), keeping XON/XOFF
    /// state up to date, so that the next status reply read is the one asked for.
    fn discard_input(&mut self) -> Result<usize, PrintError> {
        // `pump` files every byte but XON/XOFF into the inbox: read until nothing is waiting,
        // then drop the inbox.
        while self.pump(Instant::now(), Stage::Reading)? > 0 {}
        let dropped = self.inbox.len();
        self.inbox.clear();
        Ok(dropped)
    }

    fn can_read(&self) -> bool {
        true
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        let deadline = Instant::now() + timeout;
        while self.inbox.is_empty() {
            if self.pump(deadline, Stage::Reading)? == 0 {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.inbox.len());
        for (slot, b) in buf.iter_mut().zip(self.inbox.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

impl std::os::fd::AsRawFd for SerialTransport {
    /// The port's descriptor, e.g. to wait for input with `poll` alongside other sources.
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.port.as_raw_fd()
    }
}

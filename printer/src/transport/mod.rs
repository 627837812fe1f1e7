//! Ways to reach a printer, behind one small trait.
//!
//! - [`MemoryTransport`]: bytes into a `Vec` (tests, `print-sample`), optional scripted replies.
//! - [`FileTransport`]: a regular file, created if missing (simulator, spool).
//! - [`DeviceTransport`]: a USB printer-class device file such as `/dev/usb/lp0`, read-write.
//! - [`TcpTransport`]: a network printer on port 9100.
//! - [`SerialTransport`]: RS-232 / USB-serial, with RTS/CTS or our own XON/XOFF pacing.
//!
//! Every write has one deadline and reports its progress on failure (`progress`); every
//! transport that can read drops stray input before a status query (`discard_input`).

mod device;
mod fdio;
mod file;
mod progress;
mod serial;
mod tcp;

use std::collections::VecDeque;
use std::time::Duration;

pub use device::DeviceTransport;
pub use file::FileTransport;
pub use serial::{FlowControl, SerialConfig, SerialTransport};
pub use tcp::TcpTransport;

use crate::escpos;
use crate::status::{PrintError, PrinterStatus, Stage};

/// A byte pipe to one printer.
pub trait Transport: Send {
    /// Names the device in errors, e.g. "serial /dev/ttyUSB0".
    fn target(&self) -> &str;

    /// Sends every byte, or fails with [`PrintError::Timeout`] (with how many were sent) when the
    /// printer has not taken them all within `timeout`.
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError>;

    /// Whether replies (status bytes) can be read back.
    fn can_read(&self) -> bool {
        false
    }

    /// Reads what has arrived, waiting up to `timeout` for the first byte; `Ok(0)` if none came.
    fn read(&mut self, _buf: &mut [u8], _timeout: Duration) -> Result<usize, PrintError> {
        Err(PrintError::CannotRead { target: self.target().to_string() })
    }

    /// Drops every byte already received and not read, without waiting, and returns how many:
    /// a printer's automatic status back, or the late reply to an earlier query that timed out,
    /// must not be taken for the answer to the next query. Write-only transports have nothing.
    fn discard_input(&mut self) -> Result<usize, PrintError> {
        Ok(0)
    }

    /// Sends `DLE EOT 1, 2, 4` and reads the three replies, `None` when this transport cannot
    /// read replies.
    /// Whatever is already waiting before each query is dropped first: one stale byte (automatic
    /// status back, a reply that came after an earlier query gave up, or the answer of a printer
    /// that took `10 04 n` inside raster data for a real-time query, which Epson printers do unless
    /// told otherwise) would otherwise be read as the answer, and every reply after it would answer
    /// the wrong question.
    fn read_status(&mut self, timeout: Duration) -> Result<Option<PrinterStatus>, PrintError> {
        if !self.can_read() {
            return Ok(None);
        }
        let mut replies = [0u8; 3];
        for (i, n) in [1u8, 2, 4].into_iter().enumerate() {
            self.discard_input()?;
            self.write_all(&escpos::status_query(n), timeout)?;
            let mut b = [0u8; 1];
            if self.read(&mut b, timeout)? == 0 {
                return Err(PrintError::Timeout {
                    target: self.target().to_string(),
                    stage: Stage::StatusReply { query: n },
                    after: timeout,
                });
            }
            replies[i] = b[0];
        }
        PrinterStatus::from_replies(replies[0], replies[1], replies[2])
            .map_err(|(query, byte)| PrintError::BadStatus { target: self.target().to_string(), query, byte })
            .map(Some)
    }
}

/// Collects the bytes in memory; with scripted replies it also answers status queries, like a
/// printer: one reply byte is released each time a `DLE EOT n` is written (status tests).
#[derive(Debug, Default)]
pub struct MemoryTransport {
    sent: Vec<u8>,
    /// `None`: write-only.
    replies: Option<VecDeque<u8>>,
    /// Bytes that have "arrived" and not been read yet.
    inbox: VecDeque<u8>,
}

impl MemoryTransport {
    /// Write-only: `can_read` is false, so printing skips status.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers the status queries written with these bytes, one per query, then stays silent.
    pub fn with_replies(replies: impl Into<VecDeque<u8>>) -> Self {
        MemoryTransport { replies: Some(replies.into()), ..Self::default() }
    }

    /// Bytes that arrive unasked (a stale reply, automatic status back), waiting to be read.
    pub fn arrive(&mut self, bytes: &[u8]) {
        self.inbox.extend(bytes);
    }

    pub fn sent(&self) -> &[u8] {
        &self.sent
    }

    pub fn into_sent(self) -> Vec<u8> {
        self.sent
    }
}

impl Transport for MemoryTransport {
    fn target(&self) -> &str {
        "memory"
    }

    fn write_all(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), PrintError> {
        self.sent.extend_from_slice(bytes);
        if let (Some(replies), [crate::escpos::DLE, crate::escpos::EOT, _]) = (self.replies.as_mut(), bytes) {
            self.inbox.extend(replies.pop_front());
        }
        Ok(())
    }

    fn can_read(&self) -> bool {
        self.replies.is_some()
    }

    fn read(&mut self, buf: &mut [u8], _timeout: Duration) -> Result<usize, PrintError> {
        if self.replies.is_none() {
            return Err(PrintError::CannotRead { target: "memory".into() });
        }
        let n = buf.len().min(self.inbox.len());
        for (slot, b) in buf.iter_mut().zip(self.inbox.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }

    fn discard_input(&mut self) -> Result<usize, PrintError> {
        let n = self.inbox.len();
        self.inbox.clear();
        Ok(n)
    }
}

//! Ways to reach a printer, behind one small trait.
//!
//! - [`MemoryTransport`]: bytes into a `Vec` (tests, `print-sample`), optional scripted replies.
//! - [`FileTransport`]: a regular file, created if missing (simulator, spool).
//! - [`DeviceTransport`]: a USB printer-class device file such as `/dev/usb/lp0`, read-write.
//! - [`TcpTransport`]: a network printer on port 9100.
//! - [`SerialTransport`]: RS-232 / USB-serial, with RTS/CTS or our own XON/XOFF pacing.

mod device;
mod fdio;
mod file;
mod serial;
mod tcp;

use std::collections::VecDeque;
use std::time::Duration;

pub use device::DeviceTransport;
pub use file::FileTransport;
pub use serial::{FlowControl, SerialConfig, SerialTransport};
pub use tcp::TcpTransport;

use crate::status::{self, PrintError, PrinterStatus};

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
        Err(PrintError::CannotRead {
            target: self.target().to_string(),
        })
    }

    /// Queries `DLE EOT` 1, 2, 4; `None` when this transport cannot read replies.
    fn read_status(&mut self, timeout: Duration) -> Result<Option<PrinterStatus>, PrintError> {
        if self.can_read() {
            status::query(self, timeout).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Collects the bytes in memory; with scripted replies it also answers reads (status tests).
#[derive(Debug, Default)]
pub struct MemoryTransport {
    sent: Vec<u8>,
    replies: Option<VecDeque<u8>>,
}

impl MemoryTransport {
    /// Write-only: `can_read` is false, so printing skips status.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads return these bytes one by one, then nothing (a silent printer).
    pub fn with_replies(replies: impl Into<VecDeque<u8>>) -> Self {
        MemoryTransport {
            sent: Vec::new(),
            replies: Some(replies.into()),
        }
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
        Ok(())
    }

    fn can_read(&self) -> bool {
        self.replies.is_some()
    }

    fn read(&mut self, buf: &mut [u8], _timeout: Duration) -> Result<usize, PrintError> {
        let Some(replies) = self.replies.as_mut() else {
            return Err(PrintError::CannotRead {
                target: "memory".into(),
            });
        };
        let n = buf.len().min(replies.len());
        for b in buf.iter_mut().take(n) {
            *b = replies
                .pop_front()
                .expect("n is bounded by the queue length");
        }
        Ok(n)
    }
}

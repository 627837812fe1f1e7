//! What a printer reports through `DLE EOT`, and the printing error enum: plain types that the
//! transports and [`crate::job`] share.

use std::fmt;
use std::time::Duration;

use thiserror::Error;

/// What the printer reported through `DLE EOT` 1, 2 and 4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    pub online: bool,
    pub cover_open: bool,
    pub paper_end: bool,
    pub paper_near_end: bool,
}

/// Every status byte has bit 1 and bit 4 set and bits 0 and 7 clear; anything else is line
/// noise or a stray byte (such as XON 0x11 or XOFF 0x13), not a status.
pub fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

impl PrinterStatus {
    /// Decodes the replies to `DLE EOT 1` (printer), `2` (offline cause) and `4` (paper sensor).
    /// Returns the first byte that is not a status byte, with its query number, on failure.
    pub fn from_replies(printer: u8, offline: u8, paper: u8) -> Result<Self, (u8, u8)> {
        for (q, b) in [(1, printer), (2, offline), (4, paper)] {
            if !is_status_byte(b) {
                return Err((q, b));
            }
        }
        Ok(PrinterStatus {
            online: printer & 0x08 == 0,
            cover_open: offline & 0x04 != 0,
            // Offline cause bit 5 "stopped by paper end" or the roll sensor's end bits 5-6.
            paper_end: offline & 0x20 != 0 || paper & 0x60 != 0,
            paper_near_end: paper & 0x0C != 0,
        })
    }

    /// The reply bytes a printer in this state sends to `DLE EOT` 1, 2, 4 (for fake printers).
    pub fn to_replies(self) -> [u8; 3] {
        let base = 0x12;
        [
            base | if self.online { 0 } else { 0x08 },
            base | if self.cover_open { 0x04 } else { 0 } | if self.paper_end { 0x20 } else { 0 },
            base | if self.paper_near_end { 0x0C } else { 0 } | if self.paper_end { 0x60 } else { 0 },
        ]
    }
}

/// Before or after sending the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Before,
    After,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Before => "before printing",
            Phase::After => "after printing; the ticket may be incomplete",
        })
    }
}

/// What a transport was doing when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Opening,
    Connecting,
    Writing { written: usize, total: usize },
    Reading,
    StatusReply { query: u8 },
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Opening => f.write_str("while opening"),
            Stage::Connecting => f.write_str("while connecting"),
            Stage::Writing { written, total } => {
                write!(f, "while writing ({written} of {total} bytes sent)")
            }
            Stage::Reading => f.write_str("while reading"),
            Stage::StatusReply { query } => write!(f, "waiting for the reply to DLE EOT {query}"),
        }
    }
}

/// Why a ticket did not print. `target` names the device ("serial /dev/ttyUSB0", "tcp 10.0.0.5:9100").
#[derive(Debug, Error)]
pub enum PrintError {
    #[error("printer {target} is offline {phase}")]
    Offline { target: String, phase: Phase, status: PrinterStatus },
    #[error("printer {target}: cover open {phase}")]
    CoverOpen { target: String, phase: Phase },
    #[error("printer {target}: out of paper {phase}")]
    PaperEnd { target: String, phase: Phase },
    #[error("printer {target}: timed out after {after:?} {stage}")]
    Timeout { target: String, stage: Stage, after: Duration },
    #[error("printer {target} disconnected {stage}")]
    Disconnected { target: String, stage: Stage },
    #[error("printer {target}: I/O error {stage}: {source}")]
    Io {
        target: String,
        stage: Stage,
        #[source]
        source: std::io::Error,
    },
    #[error("printer {target}: cannot open the serial port: {source}")]
    SerialOpen {
        target: String,
        #[source]
        source: serialport::Error,
    },
    #[error("printer {target}: reply 0x{byte:02X} to DLE EOT {query} is not a status byte")]
    BadStatus { target: String, query: u8, byte: u8 },
    #[error("printer {target}: this transport cannot read replies")]
    CannotRead { target: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the bit meanings against Epson's tables, both ways.
    #[test]
    fn status_bits() {
        let ok = PrinterStatus { online: true, ..Default::default() };
        assert_eq!(ok.to_replies(), [0x12, 0x12, 0x12]);
        assert_eq!(PrinterStatus::from_replies(0x12, 0x12, 0x12), Ok(ok));
        let s = PrinterStatus::from_replies(0x1A, 0x16, 0x1E).unwrap();
        assert_eq!(s, PrinterStatus { online: false, cover_open: true, paper_end: false, paper_near_end: true });
        let end = PrinterStatus::from_replies(0x1A, 0x32, 0x72).unwrap();
        assert!(end.paper_end && !end.online);
        assert_eq!(PrinterStatus::from_replies(0x12, 0x13, 0x12), Err((2, 0x13)));
        assert!(!is_status_byte(0x11) && !is_status_byte(0x13));
    }
}

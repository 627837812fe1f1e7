//! Printer status (`DLE EOT`), the printing error enum, and [`print`]: status, bytes, status.

use std::fmt;
use std::time::Duration;

use thiserror::Error;

use crate::escpos;
use crate::transport::Transport;

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
            base | if self.paper_near_end { 0x0C } else { 0 }
                | if self.paper_end { 0x60 } else { 0 },
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
    Offline {
        target: String,
        phase: Phase,
        status: PrinterStatus,
    },
    #[error("printer {target}: cover open {phase}")]
    CoverOpen { target: String, phase: Phase },
    #[error("printer {target}: out of paper {phase}")]
    PaperEnd { target: String, phase: Phase },
    #[error("printer {target}: timed out after {after:?} {stage}")]
    Timeout {
        target: String,
        stage: Stage,
        after: Duration,
    },
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

/// Sends `DLE EOT 1, 2, 4` and reads the three replies; used by [`Transport::read_status`].
/// Whatever is already waiting before each query is dropped first: one stale byte (automatic
/// status back, a reply that came after an earlier query gave up, or the answer of a printer
/// that took `10 04 n` inside raster data for a real-time query, which Epson printers do unless
/// told otherwise) would otherwise be read as the answer, and every reply after it would answer
/// the wrong question.
pub fn query<T: Transport + ?Sized>(
    t: &mut T,
    timeout: Duration,
) -> Result<PrinterStatus, PrintError> {
    let mut replies = [0u8; 3];
    for (i, n) in [1u8, 2, 4].into_iter().enumerate() {
        t.discard_input()?;
        t.write_all(&escpos::status_query(n), timeout)?;
        let mut b = [0u8; 1];
        if t.read(&mut b, timeout)? == 0 {
            return Err(PrintError::Timeout {
                target: t.target().to_string(),
                stage: Stage::StatusReply { query: n },
                after: timeout,
            });
        }
        replies[i] = b[0];
    }
    PrinterStatus::from_replies(replies[0], replies[1], replies[2]).map_err(|(query, byte)| {
        PrintError::BadStatus {
            target: t.target().to_string(),
            query,
            byte,
        }
    })
}

/// Time limits for [`print`].
#[derive(Clone, Copy, Debug)]
pub struct PrintOptions {
    /// For the whole ticket; at 115,200 baud a compact ticket needs about one second.
    pub write_timeout: Duration,
    /// For each status reply.
    pub status_timeout: Duration,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            write_timeout: Duration::from_secs(10),
            status_timeout: Duration::from_millis(500),
        }
    }
}

/// Status before and after, when the transport can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintOutcome {
    pub before: Option<PrinterStatus>,
    pub after: Option<PrinterStatus>,
}

impl PrintOutcome {
    /// The kiosk should ask staff to change the roll soon.
    pub fn paper_near_end(&self) -> bool {
        self.after.or(self.before).is_some_and(|s| s.paper_near_end)
    }
}

fn check(status: PrinterStatus, target: &str, phase: Phase) -> Result<(), PrintError> {
    let target = target.to_string();
    if status.cover_open {
        Err(PrintError::CoverOpen { target, phase })
    } else if status.paper_end {
        Err(PrintError::PaperEnd { target, phase })
    } else if !status.online {
        Err(PrintError::Offline {
            target,
            phase,
            status,
        })
    } else {
        Ok(())
    }
}

/// Prints `bytes`: refuses to start when the printer reports a problem (so no number is handed
/// out on a ticket that never comes out), sends, then checks again, since a roll that ran out
/// mid-ticket means the citizen holds half a ticket and the kiosk must offer a reprint.
pub fn print<T: Transport + ?Sized>(
    t: &mut T,
    bytes: &[u8],
    opts: PrintOptions,
) -> Result<PrintOutcome, PrintError> {
    let before = t.read_status(opts.status_timeout)?;
    if let Some(s) = before {
        check(s, t.target(), Phase::Before)?;
    }
    t.write_all(bytes, opts.write_timeout)?;
    let after = t.read_status(opts.status_timeout)?;
    if let Some(s) = after {
        check(s, t.target(), Phase::After)?;
    }
    Ok(PrintOutcome { before, after })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::MemoryTransport;

    // Proves the bit meanings against Epson's tables, both ways.
    #[test]
    fn status_bits() {
        let ok = PrinterStatus {
            online: true,
            ..Default::default()
        };
        assert_eq!(ok.to_replies(), [0x12, 0x12, 0x12]);
        assert_eq!(PrinterStatus::from_replies(0x12, 0x12, 0x12), Ok(ok));
        let s = PrinterStatus::from_replies(0x1A, 0x16, 0x1E).unwrap();
        assert_eq!(
            s,
            PrinterStatus {
                online: false,
                cover_open: true,
                paper_end: false,
                paper_near_end: true
            }
        );
        let end = PrinterStatus::from_replies(0x1A, 0x32, 0x72).unwrap();
        assert!(end.paper_end && !end.online);
        assert_eq!(
            PrinterStatus::from_replies(0x12, 0x13, 0x12),
            Err((2, 0x13))
        );
        assert!(!is_status_byte(0x11) && !is_status_byte(0x13));
    }

    // Proves print() refuses to send a ticket when the cover is open, sending only the queries.
    #[test]
    fn cover_open_refused_before_sending() {
        let s = PrinterStatus {
            online: false,
            cover_open: true,
            ..Default::default()
        };
        let mut t = MemoryTransport::with_replies(s.to_replies().to_vec());
        let e = print(&mut t, b"TICKET", PrintOptions::default()).unwrap_err();
        assert!(
            matches!(
                e,
                PrintError::CoverOpen {
                    phase: Phase::Before,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(t.sent(), [0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
    }

    // Proves paper running out during the ticket is reported after sending, and near-end is kept.
    #[test]
    fn paper_end_after_and_near_end() {
        let ok = PrinterStatus {
            online: true,
            paper_near_end: true,
            ..Default::default()
        };
        let end = PrinterStatus {
            online: false,
            paper_end: true,
            ..Default::default()
        };
        let mut replies = ok.to_replies().to_vec();
        replies.extend(end.to_replies());
        let mut t = MemoryTransport::with_replies(replies);
        let e = print(&mut t, b"TICKET", PrintOptions::default()).unwrap_err();
        assert!(
            matches!(
                e,
                PrintError::PaperEnd {
                    phase: Phase::After,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(&t.sent()[9..15], b"TICKET");

        let mut t = MemoryTransport::with_replies([ok.to_replies(), ok.to_replies()].concat());
        let outcome = print(&mut t, b"T", PrintOptions::default()).unwrap();
        assert!(outcome.paper_near_end());
    }

    // Proves a silent printer is a Timeout naming the query, and a garbage reply is BadStatus.
    #[test]
    fn missing_and_bad_replies() {
        let mut t = MemoryTransport::with_replies(vec![0x12]);
        let e = query(&mut t, Duration::from_millis(1)).unwrap_err();
        assert!(
            matches!(
                e,
                PrintError::Timeout {
                    stage: Stage::StatusReply { query: 2 },
                    ..
                }
            ),
            "{e}"
        );
        let mut t = MemoryTransport::with_replies(vec![0x12, 0xFF, 0x12]);
        let e = query(&mut t, Duration::from_millis(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "printer memory: reply 0xFF to DLE EOT 2 is not a status byte"
        );
    }

    // Proves stale input (here a byte that reads as "offline", waiting before the first query)
    // is dropped, not taken as the printer's answer: the ticket prints.
    #[test]
    fn stale_input_is_not_taken_for_a_reply() {
        let ok = PrinterStatus {
            online: true,
            ..Default::default()
        };
        let mut t = MemoryTransport::with_replies([ok.to_replies(), ok.to_replies()].concat());
        t.arrive(&[0x1A]);
        let outcome = print(&mut t, b"T", PrintOptions::default()).unwrap();
        assert_eq!(outcome.before, Some(ok));
        assert_eq!(outcome.after, Some(ok));
    }

    // Proves a write-only transport prints without status (None both times).
    #[test]
    fn write_only_transport_skips_status() {
        let mut t = MemoryTransport::new();
        let outcome = print(&mut t, b"T", PrintOptions::default()).unwrap();
        assert_eq!(
            outcome,
            PrintOutcome {
                before: None,
                after: None
            }
        );
        assert_eq!(t.sent(), b"T");
    }
}

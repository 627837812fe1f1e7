//! Printing one job over a [`Transport`]: status before, the bytes, status after.

use crate::status::{Phase, PrintError, PrinterStatus};
use crate::transport::Transport;
use std::time::Duration;

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
        PrintOptions { write_timeout: Duration::from_secs(10), status_timeout: Duration::from_millis(500) }
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
        Err(PrintError::Offline { target, phase, status })
    } else {
        Ok(())
    }
}

/// Prints `bytes`: refuses to start when the printer reports a problem (so no number is handed
/// out on a ticket that never comes out), sends, then checks again, since a roll that ran out
/// mid-ticket means the citizen holds half a ticket and the kiosk must offer a reprint.
pub fn print<T: Transport + ?Sized>(t: &mut T, bytes: &[u8], opts: PrintOptions) -> Result<PrintOutcome, PrintError> {
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
    use crate::status::Stage;
    use crate::transport::MemoryTransport;

    // Proves print() refuses to send a ticket when the cover is open, sending only the queries.
    #[test]
    fn cover_open_refused_before_sending() {
        let s = PrinterStatus { online: false, cover_open: true, ..Default::default() };
        let mut t = MemoryTransport::with_replies(s.to_replies().to_vec());
        let e = print(&mut t, b"TICKET", PrintOptions::default()).unwrap_err();
        assert!(matches!(e, PrintError::CoverOpen { phase: Phase::Before, .. }), "{e}");
        assert_eq!(t.sent(), [0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
    }

    // Proves paper running out during the ticket is reported after sending, and near-end is kept.
    #[test]
    fn paper_end_after_and_near_end() {
        let ok = PrinterStatus { online: true, paper_near_end: true, ..Default::default() };
        let end = PrinterStatus { online: false, paper_end: true, ..Default::default() };
        let mut replies = ok.to_replies().to_vec();
        replies.extend(end.to_replies());
        let mut t = MemoryTransport::with_replies(replies);
        let e = print(&mut t, b"TICKET", PrintOptions::default()).unwrap_err();
        assert!(matches!(e, PrintError::PaperEnd { phase: Phase::After, .. }), "{e}");
        assert_eq!(&t.sent()[9..15], b"TICKET");

        let mut t = MemoryTransport::with_replies([ok.to_replies(), ok.to_replies()].concat());
        let outcome = print(&mut t, b"T", PrintOptions::default()).unwrap();
        assert!(outcome.paper_near_end());
    }

    // Proves a silent printer is a Timeout naming the query, and a garbage reply is BadStatus.
    #[test]
    fn missing_and_bad_replies() {
        let mut t = MemoryTransport::with_replies(vec![0x12]);
        let e = t.read_status(Duration::from_millis(1)).unwrap_err();
        assert!(matches!(e, PrintError::Timeout { stage: Stage::StatusReply { query: 2 }, .. }), "{e}");
        let mut t = MemoryTransport::with_replies(vec![0x12, 0xFF, 0x12]);
        let e = t.read_status(Duration::from_millis(1)).unwrap_err();
        assert_eq!(e.to_string(), "printer memory: reply 0xFF to DLE EOT 2 is not a status byte");
    }

    // Proves stale input (here a byte that reads as "offline", waiting before the first query)
    // is dropped, not taken as the printer's answer: the ticket prints.
    #[test]
    fn stale_input_is_not_taken_for_a_reply() {
        let ok = PrinterStatus { online: true, ..Default::default() };
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
        assert_eq!(outcome, PrintOutcome { before: None, after: None });
        assert_eq!(t.sent(), b"T");
    }
}

//! The TCP 9100 transport against local listeners on 127.0.0.1 that behave like a printer, a
//! stalled printer, a printer that drops the connection, and no printer at all.

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use std::os::fd::AsRawFd;

use crate::support::{run_fake, wait_readable, NoDrain, Script};
use printer::job::PrintOptions;
use printer::status::Stage;
use printer::transport::TcpTransport;
use printer::{encode, print, Paper, PrintError, Profile, TicketLayout, Transport};

fn listener() -> (TcpListener, SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    (l, addr)
}

// Proves a print over TCP: status before and after answered by the fake printer, and the bytes
// received print the ticket exactly.
#[test]
fn tcp_prints_ticket_with_status() {
    let doc = TicketLayout::sample(Paper::Mm80).document().unwrap();
    let bytes = encode(&doc, &Profile::epson(576)).unwrap();
    let (l, addr) = listener();
    let fake = thread::spawn(move || run_fake(l.accept().unwrap().0, Script::ok(576)));
    let mut t = TcpTransport::connect(addr, Duration::from_secs(2)).unwrap();
    let outcome = print(&mut t, &bytes, PrintOptions::default()).unwrap();
    assert!(outcome.before.is_some() && outcome.after.is_some());
    drop(t);
    let report = fake.join().unwrap();
    assert!(report.paper.unwrap() == doc.render());
}

// Proves a printer that accepts but never reads makes write_all fail with Timeout (and how many
// bytes went out) within about the timeout, rather than blocking the kiosk forever.
#[test]
fn tcp_stalled_printer_times_out() {
    let (l, addr) = listener();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let server = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        // Hold the connection open, reading nothing, until the client is finished.
        let _ = done_rx.recv_timeout(Duration::from_secs(10));
        drop(s);
    });
    let mut t = TcpTransport::connect(addr, Duration::from_secs(2)).unwrap();
    let big = vec![0u8; 64 << 20];
    let started = Instant::now();
    let e = t.write_all(&big, Duration::from_millis(400)).unwrap_err();
    let took = started.elapsed();
    match e {
        PrintError::Timeout { stage: Stage::Writing { written, total }, after, .. } => {
            assert!(written < total && after == Duration::from_millis(400));
        }
        other => panic!("expected a write timeout, got {other}"),
    }
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // A silent printer also times out on status (no reply within the limit), reported as such.
    let e = t.read_status(Duration::from_millis(100)).unwrap_err();
    assert!(matches!(e, PrintError::Timeout { stage: Stage::StatusReply { query: 1 }, .. }), "{e}");
    drop(t);
    done_tx.send(()).unwrap();
    server.join().unwrap();
}

// Proves a printer that closes the connection mid-ticket gives Disconnected while writing.
#[test]
fn tcp_closed_early_is_disconnected() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut buf = [0u8; 100];
        s.read_exact(&mut buf).unwrap();
        // Closing with unread data makes the kernel reset the connection.
    });
    let mut t = TcpTransport::connect(addr, Duration::from_secs(2)).unwrap();
    let big = vec![0u8; 64 << 20];
    let e = t.write_all(&big, Duration::from_secs(10)).unwrap_err();
    assert!(matches!(e, PrintError::Disconnected { stage: Stage::Writing { .. }, .. }), "{e}");
    assert!(e.to_string().contains(&format!("tcp {addr} disconnected while writing")), "{e}");
    server.join().unwrap();
}

// Proves nobody listening is an I/O error at connect time naming the address.
#[test]
fn tcp_refused_connection() {
    let (l, addr) = listener();
    drop(l);
    let e = TcpTransport::connect(addr, Duration::from_secs(2)).err().unwrap();
    assert!(matches!(e, PrintError::Io { stage: Stage::Connecting, .. }), "{e}");
    assert!(e.to_string().starts_with(&format!("printer tcp {addr}: I/O error while connecting")), "{e}");
}

// Proves a reply that arrives after its query gave up (the printer answered late) is dropped
// before the next query instead of answering it. The printer is fine when first asked and out of
// paper by the time the ticket is printed: with the drain the kiosk sees the paper end and sends
// nothing; without it (NoDrain) each reply answers the query before, the stale "online" hides the
// paper end, and the ticket is sent to a printer with no paper.
#[test]
fn tcp_late_reply_is_not_taken_for_the_next_answer() {
    let doc = TicketLayout::sample(Paper::Mm80).document().unwrap();
    let bytes = encode(&doc, &Profile::epson(576)).unwrap();
    for drain in [true, false] {
        let (l, addr) = listener();
        let mut script = Script::ok(576);
        // Replies to the first three queries say "online"; later ones "paper end".
        script.after = printer::PrinterStatus { online: false, paper_end: true, ..Default::default() };
        script.late_first_reply = Some(Duration::from_millis(300));
        let fake = thread::spawn(move || run_fake(l.accept().unwrap().0, script));
        let mut t = TcpTransport::connect(addr, Duration::from_secs(2)).unwrap();
        let e = t.read_status(Duration::from_millis(50)).unwrap_err();
        assert!(matches!(e, PrintError::Timeout { stage: Stage::StatusReply { query: 1 }, .. }), "{e}");
        // The late reply arrives (still unread).
        assert!(wait_readable(t.as_raw_fd(), Duration::from_secs(5)));
        let result = if drain {
            let r = print(&mut t, &bytes, PrintOptions::default());
            drop(t);
            r
        } else {
            print(&mut NoDrain(t), &bytes, PrintOptions::default())
        };
        let report = fake.join().unwrap();
        if drain {
            let e = result.unwrap_err();
            assert!(matches!(e, PrintError::PaperEnd { phase: printer::status::Phase::Before, .. }), "{e}");
            assert_eq!(report.received.len(), 4 * 3, "four queries, no ticket byte");
        } else {
            assert!(report.received.len() > bytes.len(), "without the drain the ticket goes to a printer out of paper");
        }
    }
}

// Proves a stray byte sent by a network printer before anything was asked is dropped before
// the status query; without the drain (NoDrain) it is read as the status and printing is
// refused.
#[test]
fn tcp_stray_byte_before_query_is_dropped() {
    let doc = TicketLayout::sample(Paper::Mm80).document().unwrap();
    let bytes = encode(&doc, &Profile::epson(576)).unwrap();
    for drain in [true, false] {
        let (l, addr) = listener();
        let mut script = Script::ok(576);
        script.stray = vec![0x1A];
        let fake = thread::spawn(move || run_fake(l.accept().unwrap().0, script));
        let t = TcpTransport::connect(addr, Duration::from_secs(2)).unwrap();
        assert!(wait_readable(t.as_raw_fd(), Duration::from_secs(5)));
        let result = if drain {
            let mut t = t;
            print(&mut t, &bytes, PrintOptions::default())
        } else {
            print(&mut NoDrain(t), &bytes, PrintOptions::default())
        };
        let report = fake.join().unwrap();
        if drain {
            let outcome = result.unwrap();
            assert!(outcome.before.unwrap().online && outcome.after.unwrap().online);
            assert!(report.paper.unwrap() == doc.render());
        } else {
            let e = result.unwrap_err();
            assert!(matches!(e, PrintError::Offline { .. }), "{e}");
        }
    }
}

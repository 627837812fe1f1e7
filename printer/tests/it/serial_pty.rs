//! The serial and USB-device transports against a real pseudo-terminal, with a fake printer on
//! the master side running the virtual printer and answering DLE EOT.

use std::os::fd::OwnedFd;
use std::thread;
use std::time::{Duration, Instant};

use std::os::fd::AsRawFd;

use crate::support::{open_pty, run_fake, wait_readable, NoDrain, Pty, Report, Script};
use printer::job::PrintOptions;
use printer::status::{Phase, Stage};
use printer::transport::{DeviceTransport, FlowControl, SerialConfig, SerialTransport};
use printer::{encode, print, Paper, PrintError, PrinterStatus, Profile, TicketLayout, Transport};

fn ticket_bytes() -> (Vec<u8>, printer::Bitmap) {
    let doc = TicketLayout::sample(Paper::Mm58).document().unwrap();
    (encode(&doc, &Profile::epson(384)).unwrap(), doc.render())
}

fn start(script: Script) -> (Pty, thread::JoinHandle<Report>, OwnedFd) {
    let mut pty = open_pty();
    let master = pty.master.try_clone().unwrap();
    let handle = thread::spawn(move || run_fake(master, script));
    let slave = pty.slave.take().unwrap();
    (pty, handle, slave)
}

fn open_serial(pty: &Pty, flow: FlowControl) -> SerialTransport {
    SerialTransport::open(&SerialConfig { flow, ..SerialConfig::new(&pty.path, 115_200) }).unwrap()
}

fn opts() -> PrintOptions {
    PrintOptions { write_timeout: Duration::from_secs(10), status_timeout: Duration::from_secs(2) }
}

// Proves a normal serial print: status checked before and after, and the bytes that crossed the
// line print the ticket exactly.
#[test]
fn serial_prints_ticket_with_status() {
    let (bytes, expected) = ticket_bytes();
    let (pty, fake, slave) = start(Script::ok(384));
    let mut t = open_serial(&pty, FlowControl::RtsCts);
    drop((slave, pty.master));
    let outcome = print(&mut t, &bytes, opts()).unwrap();
    assert!(outcome.before.unwrap().online && outcome.after.unwrap().online);
    drop(t);
    let report = fake.join().unwrap();
    assert_eq!(report.queries, 6);
    assert!(report.paper.unwrap() == expected);
}

// Proves an empty roll is reported before any ticket byte is sent (only the 9 query bytes).
#[test]
fn serial_paper_out_refuses_to_print() {
    let (bytes, _) = ticket_bytes();
    let mut script = Script::ok(384);
    script.before = PrinterStatus { online: false, paper_end: true, ..Default::default() };
    let (pty, fake, slave) = start(script);
    let mut t = open_serial(&pty, FlowControl::None);
    drop((slave, pty.master));
    let e = print(&mut t, &bytes, opts()).unwrap_err();
    assert!(matches!(e, PrintError::PaperEnd { phase: Phase::Before, .. }), "{e}");
    assert!(e.to_string().contains("out of paper before printing"), "{e}");
    drop(t);
    assert_eq!(fake.join().unwrap().received.len(), 9);
}

// Proves an open cover is reported as CoverOpen (not a generic offline).
#[test]
fn serial_cover_open() {
    let mut script = Script::ok(384);
    script.before = PrinterStatus { online: false, cover_open: true, ..Default::default() };
    let (pty, fake, slave) = start(script);
    let mut t = open_serial(&pty, FlowControl::None);
    drop((slave, pty.master));
    let e = print(&mut t, b"\x1b@", opts()).unwrap_err();
    assert!(matches!(e, PrintError::CoverOpen { phase: Phase::Before, .. }), "{e}");
    drop(t);
    fake.join().unwrap();
}

// Proves a printer that hangs up mid-ticket (the master closes) gives Disconnected while writing,
// with how far it got, instead of a hang or a success.
#[test]
fn serial_hang_up_mid_ticket() {
    let (one, _) = ticket_bytes();
    // Several tickets: more than the pty buffers (about 20 KB), so the hang-up lands mid-write.
    let bytes: Vec<u8> = one.iter().copied().cycle().take(one.len() * 12).collect();
    let mut script = Script::ok(384);
    script.hang_up_after = Some(3000);
    let (pty, fake, slave) = start(script);
    let mut t = open_serial(&pty, FlowControl::None);
    drop((slave, pty.master));
    let e = print(&mut t, &bytes, opts()).unwrap_err();
    match e {
        PrintError::Disconnected { stage: Stage::Writing { written, total }, .. } => {
            assert!(written < total, "{written} of {total}");
        }
        other => panic!("expected Disconnected while writing, got {other}"),
    }
    assert_eq!(fake.join().unwrap().received.len(), 3000);
}

// Proves XON/XOFF is honoured by the transport itself: after XOFF (and the bytes already in
// flight), nothing arrives until XON, both right after the status check and mid-stream; then the
// whole stream arrives intact.
#[test]
fn serial_xoff_pauses_sending() {
    let (one, expected_one) = ticket_bytes();
    let bytes: Vec<u8> = one.iter().copied().cycle().take(one.len() * 6).collect();
    let mut script = Script::ok(384);
    script.xoff_at = vec![9, 25_000];
    script.pause = Duration::from_millis(300);
    let (pty, fake, slave) = start(script);
    let mut t = open_serial(&pty, FlowControl::XonXoff);
    drop((slave, pty.master));
    let started = Instant::now();
    print(&mut t, &bytes, opts()).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(600), "did not wait for XON");
    drop(t);
    let report = fake.join().unwrap();
    assert_eq!(report.pauses_done, 2);
    assert_eq!(report.bytes_while_paused, 0, "bytes were sent during XOFF");
    assert_eq!(&report.received[9..9 + bytes.len()], &bytes[..]);
    let paper = report.paper.unwrap();
    assert!(paper.rows(0, expected_one.height()) == expected_one);
}

// Proves a printer that never sends XON makes the write time out with progress, not hang.
#[test]
fn serial_xoff_forever_times_out() {
    let mut script = Script::ok(384);
    script.xoff_at = vec![0];
    script.pause = Duration::from_secs(3);
    let (pty, fake, slave) = start(script);
    let mut t = open_serial(&pty, FlowControl::XonXoff);
    drop((slave, pty.master));
    // Wait until the transport has seen XOFF (reads filter it out, so they return nothing).
    let seen = Instant::now();
    while !t.paused() {
        assert!(seen.elapsed() < Duration::from_secs(5), "XOFF never arrived");
        assert_eq!(t.read(&mut [0u8; 1], Duration::from_millis(10)).unwrap(), 0);
    }
    let e = t.write_all(&[0u8; 1000], Duration::from_millis(300)).unwrap_err();
    assert!(matches!(e, PrintError::Timeout { stage: Stage::Writing { written: 0, total: 1000 }, .. }), "{e}");
    assert!(t.paused());
    drop(t);
    fake.join().unwrap();
}

// Proves the USB device-file transport (opened like /dev/usb/lp0) prints and reads status back,
// and reports a hang-up as Disconnected.
#[test]
fn device_file_prints_and_detects_hang_up() {
    let (bytes, expected) = ticket_bytes();
    let (pty, fake, slave) = start(Script::ok(384));
    let mut t = DeviceTransport::open(std::path::Path::new(&pty.path)).unwrap();
    drop((slave, pty.master));
    let outcome = print(&mut t, &bytes, opts()).unwrap();
    assert!(outcome.after.is_some());
    drop(t);
    assert!(fake.join().unwrap().paper.unwrap() == expected);

    let mut script = Script::ok(384);
    script.hang_up_after = Some(100);
    let (pty, fake, slave) = start(script);
    let mut t = DeviceTransport::open(std::path::Path::new(&pty.path)).unwrap();
    drop((slave, pty.master));
    let big: Vec<u8> = bytes.iter().copied().cycle().take(bytes.len() * 12).collect();
    let e = t.write_all(&big, Duration::from_secs(5)).unwrap_err();
    assert!(matches!(e, PrintError::Disconnected { .. }), "{e}");
    fake.join().unwrap();
    let missing = DeviceTransport::open(std::path::Path::new("/dev/usb/definitely-not-lp9")).err().unwrap();
    assert!(matches!(missing, PrintError::Io { stage: Stage::Opening, .. }), "{missing}");
}

// Proves a stray byte already waiting on the line before the status query (here 0x1A, which
// reads as "offline") is dropped, not taken as the printer's answer: the ticket prints and both
// statuses are right. Without the drain (NoDrain) the same line makes the kiosk refuse to print.
#[test]
fn serial_stray_byte_before_query_is_dropped() {
    let (bytes, expected) = ticket_bytes();
    for drain in [true, false] {
        let mut script = Script::ok(384);
        script.stray = vec![0x1A];
        let (pty, fake, slave) = start(script);
        let t = open_serial(&pty, FlowControl::None);
        drop(pty.master);
        // The stray byte is waiting at our end before anything is asked (poll does not read it).
        assert!(wait_readable(t.as_raw_fd(), Duration::from_secs(5)));
        drop(slave);
        let result = if drain {
            let mut t = t;
            print(&mut t, &bytes, opts())
        } else {
            print(&mut NoDrain(t), &bytes, opts())
        };
        let report = fake.join().unwrap();
        if drain {
            let outcome = result.unwrap();
            assert!(outcome.before.unwrap().online && outcome.after.unwrap().online);
            assert!(report.paper.unwrap() == expected);
        } else {
            let e = result.unwrap_err();
            assert!(matches!(e, PrintError::Offline { phase: Phase::Before, .. }), "{e}");
        }
    }
}

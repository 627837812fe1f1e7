//! Taps through "take a number" on the real UI (headless software renderer, real fonts)
//! against a real queue authority in-process and the simulated printer: a ticket printed once,
//! the refusals (paper out, service closed, rate limit), and a ticket whose printing failed
//! printed again on the ticket screen with the same number once the paper is back.
//!
//! One test function: Slint allows one platform per process, and the window lives on the
//! thread that made it.

use crate::touch;
use i_slint_backend_testing::AccessibleRole;
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{Kiosk, Nav, PrintNote, Screen, TicketAdapter, TicketProblem, TicketStage};
use slint::ComponentHandle;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Taps the button labelled `label`, which must be big enough for a finger.
fn tap(display: &Headless, kiosk: &Kiosk, label: &str) {
    let size = touch::find(kiosk, label, AccessibleRole::Button).size();
    assert!(size.height >= 100.0, "the {label:?} button is {} px high: too small for a finger", size.height);
    touch::tap(display, kiosk, label);
}

fn reach(display: &Headless, kiosk: &Kiosk, stage: TicketStage) {
    let reached = display.pump_until(WAIT, || kiosk.app.global::<TicketAdapter>().get_stage() == stage);
    assert!(reached, "the take-a-number screen did not reach {stage:?}, it shows {:?}", kiosk.app.global::<TicketAdapter>().get_stage());
}

/// The simulator's file stem of a ticket of the test's day.
fn stem(number: &str) -> String {
    format!("ticket-{}-{number}", testkit::monday_9am().format("%Y%m%d"))
}

fn pngs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "png")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_citizen_taps_through_take_a_number_and_the_ticket_is_printed_once() {
        let tmp = tempfile::tempdir().unwrap();
        let paper = tmp.path().join("printer");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&paper).config();
        let printer = crate::support::RunOut::new(&config, paper.clone());

        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { max_tickets: 2, ..UiSettings::default() };
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer.clone(), runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let adapter = kiosk.app.global::<TicketAdapter>();

        // Home → services (from the authority) → civil status has a priority choice → none.
        tap(&display, &kiosk, "Lấy số thứ tự");
        assert_eq!(kiosk.app.global::<Nav>().get_screen(), Screen::Ticket);
        reach(&display, &kiosk, TicketStage::Services);
        tap(&display, &kiosk, "Hộ tịch");
        assert_eq!(adapter.get_stage(), TicketStage::Priority);
        tap(&display, &kiosk, "Không thuộc đối tượng nào");
        reach(&display, &kiosk, TicketStage::Ticket);
        assert_eq!(adapter.get_number(), "A001");
        assert!(!adapter.get_reprint());
        let printed = pngs(&paper);
        assert_eq!(printed.len(), 1, "one ticket picture from the virtual printer: {printed:?}");
        assert!(printed[0].to_string_lossy().ends_with("-A001.png"));

        // Paper out: the kiosk says so and takes no number.
        tap(&display, &kiosk, "Trang chủ");
        std::fs::write(paper.join("PAPER_END"), b"").unwrap();
        tap(&display, &kiosk, "Lấy số thứ tự");
        reach(&display, &kiosk, TicketStage::Services);
        tap(&display, &kiosk, "Đất đai");
        reach(&display, &kiosk, TicketStage::Problem);
        assert_eq!(adapter.get_problem(), TicketProblem::PaperOut);
        std::fs::remove_file(paper.join("PAPER_END")).unwrap();

        // A closed service (tax opens at 13:30; it is 09:00) answers with the reason.
        tap(&display, &kiosk, "Trang chủ");
        tap(&display, &kiosk, "Lấy số thứ tự");
        reach(&display, &kiosk, TicketStage::Services);
        tap(&display, &kiosk, "Thuế");
        assert_eq!(adapter.get_stage(), TicketStage::Problem);
        assert_eq!(adapter.get_problem(), TicketProblem::ServiceClosed);

        // The roll runs out while the ticket prints, after the number was taken: the number is
        // shown, and it is not taken again.
        printer.arm();
        tap(&display, &kiosk, "Trang chủ");
        tap(&display, &kiosk, "Lấy số thứ tự");
        reach(&display, &kiosk, TicketStage::Services);
        tap(&display, &kiosk, "Đất đai");
        reach(&display, &kiosk, TicketStage::Ticket);
        assert_eq!(adapter.get_number(), "B001");
        assert!(adapter.get_reprint());
        assert_eq!(kiosk.unprinted.list().len(), 1, "the failed job is kept");
        assert!(!paper.join(format!("{}.escpos", stem("B001"))).exists());

        // "Print again" while the roll is still out: refused with the reason, nothing printed.
        tap(&display, &kiosk, "In lại phiếu");
        assert!(display.pump_until(WAIT, || adapter.get_reprint_note() == PrintNote::Failed), "note {:?}", adapter.get_reprint_note());
        assert!(!adapter.get_printer_ready());

        // Paper back: the screen notices by itself (it asks every 2 s), then the same job prints.
        std::fs::remove_file(paper.join("PAPER_END")).unwrap();
        assert!(display.pump_until(WAIT, || adapter.get_printer_ready()), "the ticket screen never saw the printer ready");
        tap(&display, &kiosk, "In lại phiếu");
        assert!(display.pump_until(WAIT, || adapter.get_reprint_note() == PrintNote::Printed), "note {:?}", adapter.get_reprint_note());
        let jobs = printer.jobs.lock().unwrap().clone();
        let (first, again) = (&jobs[jobs.len() - 2], &jobs[jobs.len() - 1]);
        assert_eq!(first, again, "the reprint is the very job that failed: same number, same issue time");
        assert_eq!(again.number, "B001");
        let bytes = std::fs::read(paper.join(format!("{}.escpos", stem("B001")))).unwrap();
        let decoded = printer::decode(&bytes, 576).expect("the virtual printer reads the bytes");
        assert!(decoded == kiosk::printing::ticket_layout(&config, again).render().unwrap(), "the paper is ticket B001");
        assert!(kiosk.unprinted.list().is_empty(), "printed: no longer waiting for a reprint");

        // Two tickets were taken: the rate limit (2 here) refuses the third, gently.
        tap(&display, &kiosk, "Trang chủ");
        tap(&display, &kiosk, "Lấy số thứ tự");
        reach(&display, &kiosk, TicketStage::Services);
        tap(&display, &kiosk, "Đất đai");
        assert_eq!(adapter.get_stage(), TicketStage::Problem);
        assert_eq!(adapter.get_problem(), TicketProblem::RateLimited);

        // The authority holds exactly the two numbers taken (the reprint took none), and the
        // printer was given three jobs: A001, B001, B001 again.
        let state = runtime.block_on(server.client(testkit::KIOSK).state()).unwrap();
        let numbers: Vec<&str> = state.waiting.iter().map(|t| t.number.as_str()).collect();
        assert_eq!(numbers, ["A001", "B001"]);
        let printed: Vec<String> = printer.jobs.lock().unwrap().iter().map(|j| j.number.clone()).collect();
        assert_eq!(printed, ["A001", "B001", "B001"]);
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

//! The staff settings on the real UI (headless, real fonts), against a real authority and the
//! simulated printer: the hidden way in (a long press on the centre's name), the PIN pad (wrong
//! PIN, right PIN, lockout), the printer's state and a test print, a ticket whose printing failed
//! printed again from the list with the same number, the session's defaults, close requests
//! refused, and leaving kiosk mode. One UI test per file: Slint allows one platform per process.

use crate::touch::{centre, tap_scrolled as tap};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{
    AdminAdapter, AdminStage, Kiosk, Nav, PinNote, PrintNote, PrinterState, Screen, Strings, Theme, TicketAdapter, TicketStage,
};
use slint::{ComponentHandle, Model};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const PIN: &str = "246810";

/// Holds a finger on the centre's name until the PIN pad opens (it takes 3 s).
fn long_press_centre(display: &Headless, kiosk: &Kiosk, centre_name: &str) {
    let (x, y) = centre(kiosk, centre_name, AccessibleRole::Text);
    display.press(x, y);
    let opened = display.pump_until(Duration::from_secs(6), || kiosk.app.global::<Nav>().get_screen() == Screen::Admin);
    display.release(x, y);
    assert!(opened, "holding the centre's name did not open the staff settings");
}

fn enter_pin(display: &Headless, kiosk: &Kiosk, pin: &str, ok: &str) {
    for d in pin.chars() {
        tap(display, kiosk, &d.to_string());
    }
    let admin = kiosk.app.global::<AdminAdapter>();
    assert_eq!(admin.get_pin_length(), pin.len() as i32, "one dot per digit");
    tap(display, kiosk, ok);
    assert!(display.pump_until(WAIT, || admin.get_pin_note() != PinNote::Checking), "the PIN was never checked");
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn staff_open_the_settings_with_the_pin_reprint_a_ticket_and_leave_kiosk_mode() {
        let tmp = tempfile::tempdir().unwrap();
        let paper = tmp.path().join("printer");
        std::fs::create_dir_all(&paper).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&paper).config();
        let printer = crate::support::RunOut::new(&config, paper.clone());
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { pin_hash: Some(kiosk::pin::hash_at(PIN, 8, 1).unwrap()), ..UiSettings::from_config(&config) };
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer.clone(), runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let admin = kiosk.app.global::<AdminAdapter>();
        let nav = kiosk.app.global::<Nav>();

        // A ticket whose printing fails: the roll runs out while it prints.
        printer.arm();
        tap(&display, &kiosk, "Lấy số thứ tự");
        let ticket = kiosk.app.global::<TicketAdapter>();
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Services));
        tap(&display, &kiosk, "Đất đai");
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Ticket));
        assert!(ticket.get_reprint());
        assert_eq!(ticket.get_number(), "B001");
        tap(&display, &kiosk, "Xong");

        // A short tap on the centre's name does nothing; a long press opens the PIN pad.
        tap_text(&display, &kiosk, &config.centre.name);
        assert_eq!(nav.get_screen(), Screen::Home);
        long_press_centre(&display, &kiosk, &config.centre.name);
        assert_eq!(admin.get_stage(), AdminStage::Pin);

        // A wrong PIN: said plainly, with the tries left; the digits never show.
        enter_pin(&display, &kiosk, "135790", "Đồng ý");
        assert_eq!(admin.get_pin_note(), PinNote::Wrong);
        assert_eq!(admin.get_tries_left(), 4);
        assert_eq!(admin.get_stage(), AdminStage::Pin);
        enter_pin(&display, &kiosk, PIN, "Đồng ý");
        assert_eq!(admin.get_stage(), AdminStage::Settings);

        // The printer is out of paper (the roll ran out above), and B001 waits to be printed.
        assert!(display.pump_until(WAIT, || admin.get_printer_state() != PrinterState::Checking));
        assert_eq!(admin.get_printer_state(), PrinterState::PaperOut);
        let failed: Vec<_> = admin.get_failed().iter().map(|t| t.number.to_string()).collect();
        assert_eq!(failed, ["B001"]);
        tap(&display, &kiosk, "In lại B001");
        assert!(display.pump_until(WAIT, || admin.get_reprint_note() == PrintNote::Failed), "no paper: the reprint fails and B001 stays listed");
        assert_eq!(admin.get_failed().row_count(), 1);

        // Paper back: ask again, print B001 again: the same job, no new number.
        std::fs::remove_file(paper.join("PAPER_END")).unwrap();
        tap(&display, &kiosk, "Kiểm tra lại");
        assert!(display.pump_until(WAIT, || admin.get_printer_state() == PrinterState::Ready));
        tap(&display, &kiosk, "In lại B001");
        assert!(display.pump_until(WAIT, || admin.get_reprint_note() == PrintNote::Printed));
        assert_eq!(admin.get_failed().row_count(), 0);
        let jobs = printer.jobs.lock().unwrap().clone();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0], jobs[1], "the reprint is the job that failed");
        let stem = format!("ticket-{}-B001", testkit::monday_9am().format("%Y%m%d"));
        let decoded = printer::decode(&std::fs::read(paper.join(format!("{stem}.escpos"))).unwrap(), 576).unwrap();
        assert!(decoded == kiosk::printing::ticket_layout(&config, &jobs[1]).render().unwrap());
        let state = runtime.block_on(server.client(testkit::KIOSK).state()).unwrap();
        assert_eq!(state.waiting.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["B001"], "no number was taken by the reprint");

        // A test print: a slip that says what it is, decoded by the virtual printer.
        tap(&display, &kiosk, "In thử");
        assert!(display.pump_until(WAIT, || admin.get_test_note() == PrintNote::Printed));
        let test = std::fs::read_dir(&paper).unwrap().flatten().find(|e| e.file_name().to_string_lossy().ends_with("-test.escpos")).expect("the test slip's bytes");
        printer::decode(&std::fs::read(test.path()).unwrap(), 576).expect("the test slip decodes");

        // Defaults for the session: English, large text, high contrast; closing the settings
        // applies them. (The
        // band at the top has its own "English" button: this one is lower, in the settings.)
        let english = ElementHandle::find_by_accessible_label(&kiosk.app, "English").max_by(|a, b| a.absolute_position().y.total_cmp(&b.absolute_position().y)).unwrap();
        let (p, sz) = (english.absolute_position(), english.size());
        display.tap(p.x + sz.width / 2.0, p.y + sz.height / 2.0);
        assert!(nav.get_default_english());
        tap(&display, &kiosk, "Chữ to");
        tap(&display, &kiosk, "Tương phản cao");
        assert!(nav.get_default_contrast());
        tap(&display, &kiosk, "Đóng cài đặt");
        assert_eq!(nav.get_screen(), Screen::Home);
        assert!(kiosk.app.global::<Strings>().get_english());
        assert!(kiosk.app.global::<Theme>().get_large_text());
        assert!(kiosk.app.global::<Theme>().get_high_contrast());

        // The window manager's close button (or Alt+F4) does nothing.
        display.request_close();
        assert!(display.visible(), "the kiosk window must stay");
        assert!(!display.quit_requested());

        // Leaving kiosk mode: the PIN again (the settings locked when closed), then confirmed.
        long_press_centre(&display, &kiosk, &config.centre.name);
        assert_eq!(admin.get_stage(), AdminStage::Pin, "the settings lock again once closed");
        enter_pin(&display, &kiosk, PIN, "OK");
        tap(&display, &kiosk, "Leave kiosk mode");
        assert_eq!(admin.get_stage(), AdminStage::ConfirmQuit);
        tap(&display, &kiosk, "Cancel");
        assert!(!display.quit_requested());
        tap(&display, &kiosk, "Leave kiosk mode");
        tap(&display, &kiosk, "Yes, leave kiosk mode");
        assert!(display.quit_requested(), "leaving kiosk mode ends the UI");

        // Five wrong PINs lock the pad; then even the right one is not checked.
        tap(&display, &kiosk, "Cancel");
        tap(&display, &kiosk, "Close settings");
        long_press_centre(&display, &kiosk, &config.centre.name);
        for left in (1..5).rev() {
            enter_pin(&display, &kiosk, "975310", "OK");
            assert_eq!((admin.get_pin_note(), admin.get_tries_left()), (PinNote::Wrong, left));
        }
        enter_pin(&display, &kiosk, "975310", "OK");
        assert_eq!(admin.get_pin_note(), PinNote::Locked);
        assert_eq!(admin.get_locked_min(), 5);
        enter_pin(&display, &kiosk, PIN, "OK");
        assert_eq!(admin.get_pin_note(), PinNote::Locked);
        assert_eq!(admin.get_stage(), AdminStage::Pin);
        // Reopening the pad while locked says so at once.
        tap(&display, &kiosk, "Home");
        long_press_centre(&display, &kiosk, &config.centre.name);
        assert_eq!(admin.get_pin_note(), PinNote::Locked);
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

/// A quick tap on a text (not a button), as a finger would.
fn tap_text(display: &Headless, kiosk: &Kiosk, label: &str) {
    let (x, y) = centre(kiosk, label, AccessibleRole::Text);
    display.tap(x, y);
    display.process();
}

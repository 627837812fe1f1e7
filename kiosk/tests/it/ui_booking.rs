//! A number booked on the province hub, checked in on the real UI (headless, real fonts)
//! against a real authority holding the bookings its uplink pulled: the booking's QR code shown
//! to the scanner on the home screen prints its ticket; the same code again, another centre's
//! code, a code typed on the on-screen keyboard too early, and an unknown one each get a screen
//! saying why. One UI test per file: Slint allows one platform per process.
use crate::touch;
use chrono::Duration as Minutes;
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{BookingAdapter, BookingProblem, BookingStrings, Nav, Screen, TicketAdapter, TicketStage};
use shared::province::booking::qr_text;
use slint::ComponentHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

rusty_fork_test! {
    #[test]
    fn a_booking_is_checked_in_by_scanner_or_keyboard_and_each_refusal_says_why() {
        let tmp = tempfile::tempdir().unwrap();
        let paper = tmp.path().join("printer");
        let db = tmp.path().join("queue.db");
        shared::store::Store::open(&db).unwrap().put_bookings(&[testkit::booking::monday("K7QXM2PA", "09:00-10:00"), testkit::booking::monday("W4Y9MP84", "13:00-14:00")]).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let uplink = "[uplink]\nurl = \"http://127.0.0.1:9\"\ncentre = \"dai-tu\"\ntoken = \"uplink-token-of-dai-tu\"\ncatalogue = false\n";
        let centre = testkit::config::in_process(&db).raw(uplink).config();
        let server = runtime.block_on(testkit::TestServer::start_at(centre, testkit::monday_9am() - Minutes::minutes(15)));
        let config = testkit::config::kiosk_ui(&paper).config();
        let printer = kiosk::printing::open(&config);
        let display = Headless::install(1080, 1920).unwrap();
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &UiSettings::default(), server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let (nav, ticket, booked) = (kiosk.app.global::<Nav>(), kiosk.app.global::<TicketAdapter>(), kiosk.app.global::<BookingAdapter>());
        let words = kiosk.app.global::<BookingStrings>();

        // The phone's QR code under the scanner, on the home screen: the ticket, printed.
        assert_eq!(nav.get_screen(), Screen::Home);
        display.type_text(&format!("{}\n", qr_text("dai-tu", "K7QXM2PA")));
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Ticket), "{:?}", ticket.get_stage());
        assert_eq!((nav.get_screen(), ticket.get_number().as_str(), ticket.get_service_name().as_str()), (Screen::Ticket, "A001", "Hộ tịch"));
        let printed = std::fs::read_dir(&paper).unwrap().flatten().any(|e| e.file_name().to_string_lossy().contains("A001"));
        assert!(printed, "the ticket was printed");

        // The same code again: used, with the number it gave.
        display.type_text(&format!("{}\n", qr_text("dai-tu", "K7QXM2PA")));
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::BookingProblem), "{:?}", ticket.get_stage());
        assert_eq!((booked.get_problem(), booked.get_detail().as_str()), (BookingProblem::Used, "A001"));
        display.render();
        let said = words.invoke_problem(BookingProblem::Used, "A001".into());
        assert!(i_slint_backend_testing::ElementHandle::find_by_accessible_label(&kiosk.app, &said).next().is_some(), "{said} on screen");

        // Another centre's booking.
        display.type_text(&format!("{}\n", qr_text("pho-yen", "K7QXM2PA")));
        assert!(display.pump_until(WAIT, || booked.get_problem() == BookingProblem::OtherCentre), "{:?}", booked.get_problem());

        // Typed on the on-screen keyboard, from the take-a-number screen: too early, with the
        // time check-in opens; then a code nobody booked.
        kiosk::ui::home::reset(&kiosk.app);
        kiosk.app.global::<kiosk::ui::HomeAdapter>().invoke_take_number();
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Services));
        display.render();
        touch::tap(&display, &kiosk, &words.get_booked());
        assert_eq!(ticket.get_stage(), TicketStage::Booking);
        display.render();
        for k in ["w", "4", "y", "9", "m", "p", "8", "4"] {
            touch::tap(&display, &kiosk, k);
        }
        assert_eq!(booked.get_code(), "W4Y9MP84");
        touch::tap(&display, &kiosk, &words.get_check_in());
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::BookingProblem), "{:?}", ticket.get_stage());
        assert_eq!((booked.get_problem(), booked.get_detail().as_str()), (BookingProblem::TooEarly, "12:30"));
        display.render();
        touch::tap(&display, &kiosk, &words.get_back());
        assert_eq!((ticket.get_stage(), booked.get_code().as_str()), (TicketStage::Booking, ""), "back to an empty entry");
        display.render();
        for k in ["z", "z", "z", "z", "z", "z", "z", "z"] {
            touch::tap(&display, &kiosk, k);
        }
        touch::tap(&display, &kiosk, &words.get_check_in());
        assert!(display.pump_until(WAIT, || booked.get_problem() == BookingProblem::Unknown), "{:?}", booked.get_problem());

        // The next citizen finds nothing of this one's code.
        kiosk::ui::home::reset(&kiosk.app);
        assert_eq!((booked.get_code().as_str(), booked.get_problem()), ("", BookingProblem::None));
        runtime.block_on(server.stop());
    }
}

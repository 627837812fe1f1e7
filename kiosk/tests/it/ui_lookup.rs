//! A lookup screen: a kiosk without `[printer]` shows procedures and dossiers and offers no
//! number to take (a citizen would tap it and get nothing), on the real UI, headless.
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk::printing::NoPrinter;
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::Kiosk;
use slint::ComponentHandle;
use std::sync::Arc;

fn buttons(kiosk: &Kiosk, label: &str) -> usize {
    ElementHandle::find_by_accessible_label(&kiosk.app, label).filter(|e| e.accessible_role() == Some(AccessibleRole::Button)).count()
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_lookup_screen_offers_no_number() {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let lookup = testkit::config::in_process(std::path::Path::new(":memory:")).config();
        assert!(!lookup.has_printer, "the test centre has no [printer] table");
        let with_printer = testkit::config::kiosk_ui(&tmp.path().join("paper")).config();
        assert!(with_printer.has_printer);

        let display = Headless::install(1080, 1920).unwrap();
        let kiosk = kiosk::ui::build_with_clock(&lookup, &server.url, Arc::new(NoPrinter), runtime.handle().clone(), &UiSettings::default(), server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        assert_eq!(buttons(&kiosk, "Lấy số thứ tự"), 0, "no take-a-number on a lookup screen");
        assert_eq!(buttons(&kiosk, "Tra cứu thủ tục"), 1);
        assert_eq!(buttons(&kiosk, "Tra cứu hồ sơ"), 1);
        drop(kiosk);

        // The same UI with a printer offers it.
        let kiosk = kiosk::ui::build_with_clock(&with_printer, &server.url, Arc::new(NoPrinter), runtime.handle().clone(), &UiSettings::default(), server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        assert_eq!(buttons(&kiosk, "Lấy số thứ tự"), 1);
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

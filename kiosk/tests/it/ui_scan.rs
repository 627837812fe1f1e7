//! One scanner path on the real UI (headless, real fonts) against a real authority: codes typed
//! as a keyboard-wedge scanner types them (key events, then Enter) on whatever screen shows.
//! An ID card greets its holder and offers the priority their age gives (from 75; not the day
//! before the 75th birthday), and nothing of the card reaches the store, the events, the logs
//! or the paper; a receipt code opens its dossier; a ticket's QR shows where the ticket stands;
//! a code without Enter is read after a pause; anything else gets a short notice; the staff
//! settings ignore scans. One UI test per file: Slint allows one platform per process.

use i_slint_backend_testing::ElementHandle;
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{DossierAdapter, Nav, ScanAdapter, ScanNote, Screen, TicketAdapter, TicketStage};
use slint::{ComponentHandle, Model};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Made-up cards in the shape of real ones (the test's day is 2026-11-23): 76 years old, 74
/// (75 tomorrow), and 40.
const ELDER: &str = "001050098765|012345678|Phùng Thị Xuyến|15031950|Nữ|Số 7 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";
const NEARLY: &str = "001051076543||Lò Văn Khửu|24111951|Nam|Bản Sáng, Mường Tè, Lai Châu|02082022";
const YOUNG: &str = "079086054321||Đặng Quốc Thịnh|01011986|Nam|Quận 3, TP Hồ Chí Minh|03092023";

/// Every part of the cards a leak would show: ID numbers, names, birth dates, addresses.
const SECRETS: &[&str] = &[
    "001050098765",
    "012345678",
    "Phùng Thị Xuyến",
    "Xuyến",
    "15031950",
    "Tràng Tiền",
    "001051076543",
    "Khửu",
    "24111951",
    "Mường Tè",
    "079086054321",
    "Thịnh",
    "01011986",
    "Quận 3",
];

/// The log lines of the whole process, kept to be searched.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every file under `dir` (the store, its WAL, the printed paper), read whole.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

rusty_fork_test! {
    #[test]
    fn a_scanner_is_read_on_every_screen_and_an_id_card_leaves_nothing_behind() {
        let logs = Logs::default();
        let writer = logs.clone();
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).with_ansi(false).init();
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer")).config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings::from_config(&config);
        assert_eq!((settings.card_age, settings.card_class.as_deref()), (75, Some("elderly")), "the defaults");
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let (nav, ticket, scan) = (kiosk.app.global::<Nav>(), kiosk.app.global::<TicketAdapter>(), kiosk.app.global::<ScanAdapter>());
        let offered = || (0..ticket.get_priorities().row_count()).filter_map(|i| ticket.get_priorities().row_data(i)).filter(|p| p.offered).map(|p| p.id.to_string()).collect::<Vec<_>>();

        // From the home screen, the elder's card: greeted by given name, the priority offered
        // and marked; the ticket is taken with it.
        display.type_text(&format!("{ELDER}\n"));
        assert_eq!(nav.get_screen(), Screen::Ticket);
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Services));
        assert_eq!((ticket.get_greeting_name().as_str(), ticket.get_offered()), ("Xuyến", true));
        display.render();
        assert!(ElementHandle::find_by_accessible_label(&kiosk.app, "Xin chào ông/bà Xuyến.").next().is_some(), "the greeting on screen");
        ticket.invoke_choose_service("civil".into());
        assert_eq!(ticket.get_stage(), TicketStage::Priority);
        assert_eq!(offered(), ["elderly"], "the class the card's age gives is marked");
        display.render();
        crate::touch::tap(&display, &kiosk, "Người cao tuổi");
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Ticket), "{:?}", ticket.get_stage());
        let state = runtime.block_on(server.client(testkit::COUNTER).state()).unwrap();
        assert_eq!(state.waiting[0].priority.as_deref(), Some("elderly"), "the ticket carries the class, and only the class");

        // The day before a 75th birthday, and a 40-year-old: greeted, nothing offered; the
        // second card replaces the first's greeting (from the ticket screen itself).
        for (card, name) in [(NEARLY, "Khửu"), (YOUNG, "Thịnh")] {
            display.type_text(&format!("{card}\n"));
            assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Services));
            assert_eq!((ticket.get_greeting_name().as_str(), ticket.get_offered()), (name, false));
            ticket.invoke_choose_service("civil".into());
            assert!(offered().is_empty(), "{name}: no class offered");
        }

        // A ticket's QR, from the priority screen: where the ticket stands, then called.
        let taken = runtime.block_on(server.client(testkit::KIOSK).issue("land", None)).unwrap();
        let key = taken.key.clone().expect("tickets have keys");
        display.type_text(&format!("https://motcua.example.vn/t/{key}\n"));
        assert!(display.pump_until(WAIT, || scan.get_note() == ScanNote::TicketWaiting), "{:?}", scan.get_note());
        assert_eq!(scan.get_number(), taken.number.as_str());
        display.render();
        ElementHandle::find_by_accessible_label(&kiosk.app, "Đóng").next().expect("the notice can be closed");
        runtime.block_on(server.client(testkit::COUNTER).call("2", &taken.number)).unwrap();
        display.type_text(&format!("https://motcua.example.vn/t/{key}\n"));
        assert!(display.pump_until(WAIT, || scan.get_note() == ScanNote::TicketCalled), "{:?}", scan.get_note());
        assert_eq!(scan.get_counter_number(), 2);
        display.type_text("https://motcua.example.vn/t/AAAAAAAAAAAAAAAA\n");
        assert!(display.pump_until(WAIT, || scan.get_note() == ScanNote::TicketUnknown), "{:?}", scan.get_note());
        crate::touch::tap(&display, &kiosk, "Đóng");
        assert_eq!(scan.get_note(), ScanNote::None, "closed by a tap");

        // A product's barcode: a short notice, no screen changed.
        let before = nav.get_screen();
        display.type_text("8934567890123\n");
        assert_eq!((scan.get_note(), nav.get_screen()), (ScanNote::Unknown, before));

        // A stray key or two (Escape, a finger on a keyboard) is no code: no notice.
        scan.set_note(ScanNote::None);
        display.type_text("q\u{1b}\n");
        assert_eq!(scan.get_note(), ScanNote::None, "a stray key made a notice");

        // A receipt code, from a scanner set to send no Enter: read after the pause, and its
        // dossier opened.
        display.type_text("000.00.06.h56-231027-0361");
        assert!(display.pump_until(WAIT, || nav.get_screen() == Screen::Dossier), "the pause did not end the code");
        assert_eq!(kiosk.app.global::<DossierAdapter>().get_code(), "000.00.06.H56-231027-0361");

        // The staff settings ignore scans.
        nav.set_screen(Screen::Admin);
        scan.set_note(ScanNote::None);
        display.type_text(&format!("{ELDER}\n8934567890123\n"));
        assert_eq!((nav.get_screen(), scan.get_note()), (Screen::Admin, ScanNote::None));

        // Nothing of any card anywhere: the store and its WAL (events, audit), the paper the
        // simulator printed, the events as the API gives them, the log lines of the process.
        kiosk::ui::home::reset(&kiosk.app);
        assert_eq!(ticket.get_greeting_name(), "", "the greeting goes with the visit");
        let events = runtime.block_on(async {
            let mut s = server.client(testkit::COUNTER).events(Some(0)).await.unwrap();
            let mut all = String::new();
            while let Ok(Some(Ok(e))) = tokio::time::timeout(Duration::from_millis(500), s.next()).await {
                all.push_str(&format!("{e:?}\n"));
            }
            all
        });
        assert!(events.contains("elderly"), "the events were read: {events}");
        let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        assert!(logs.contains("scan: an ID card, priority offered: elderly"), "the logs were captured");
        let files = files_under(tmp.path());
        assert!(files.iter().any(|(p, _)| p.ends_with("queue.db")), "the store was read");
        for secret in SECRETS {
            assert!(!events.contains(secret), "{secret:?} is in the events");
            assert!(!logs.contains(secret), "{secret:?} is in the logs");
            for (path, bytes) in &files {
                assert!(!contains(bytes, secret), "{secret:?} is in {}", path.display());
            }
        }
    }
}

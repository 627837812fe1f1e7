//! Look up a procedure on the real UI (headless, real fonts) over the 2,929 real procedures:
//! typed on the on-screen keyboard by Telex and by VNI, opened, its checklist printed by the
//! simulated printer and decoded by the virtual printer, then a number taken for the service
//! that handles it. One UI test per file: Slint allows one platform per process.

use crate::touch::tap;
use authority::clock::Clock;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{Kiosk, Nav, ProceduresAdapter, ProceduresStage, Screen, SlipNote, TicketAdapter, TicketStage};
use printer::ChecklistLayout;
use slint::{ComponentHandle, Model};
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Types on the on-screen keyboard, key by key, as a finger would.
fn type_keys(display: &Headless, kiosk: &Kiosk, keys: &str) {
    for k in keys.chars() {
        let key = k.to_string();
        tap(display, kiosk, if k == ' ' { "Dấu cách" } else { &key });
    }
}

fn files(dir: &Path, prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|x| x == ext) && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_citizen_finds_a_procedure_prints_its_checklist_and_takes_a_number_for_it() {
        let tmp = tempfile::tempdir().unwrap();
        let paper = tmp.path().join("printer");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&paper)
            .catalogue(&testkit::config::demo_catalogue())
            .raw("[[kiosk.handles]]\nservice = \"civil\"\nfields = [\"203\"]\nprocedures = [\"1.001193\", \"2.000635\", \"2.000986\", \"2.002621\"]")
            .config();
        let display = Headless::install(1080, 1920).unwrap();
        // Two slips in the window: a checklist and a ticket; the third slip of any kind is refused.
        let settings = UiSettings { max_tickets: 2, ..UiSettings::from_config(&config) };
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        assert!(display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().unwrap().is_some()), "the catalogue loads");
        let adapter = kiosk.app.global::<ProceduresAdapter>();

        // Telex: "khai sinh" needs no marks; "ddawng kys" composes "đăng ký".
        tap(&display, &kiosk, "Tra cứu thủ tục");
        assert_eq!(kiosk.app.global::<Nav>().get_screen(), Screen::Procedures);
        type_keys(&display, &kiosk, "ddawng kys khai sinh");
        assert_eq!(adapter.get_query(), "đăng ký khai sinh");
        let telex_hits: Vec<_> = adapter.get_hits().iter().map(|h| h.code).collect();
        assert!(!telex_hits.is_empty());

        // The same words by VNI give the same results.
        tap(&display, &kiosk, "Xoá hết");
        tap(&display, &kiosk, "VNI");
        type_keys(&display, &kiosk, "d9a8ng ky1 khai sinh");
        assert_eq!(adapter.get_query(), "đăng ký khai sinh");
        let vni_hits: Vec<_> = adapter.get_hits().iter().map(|h| h.code).collect();
        assert_eq!(vni_hits, telex_hits);

        // Open the first result and print its checklist.
        let first = adapter.get_hits().row_data(0).unwrap();
        assert!(shared::text::fold(&first.name).contains("khai sinh"), "{}", first.name);
        tap(&display, &kiosk, &first.name);
        assert_eq!(adapter.get_stage(), ProceduresStage::Detail);
        assert_eq!(adapter.get_detail().code, first.code);
        tap(&display, &kiosk, "In danh sách giấy tờ");
        assert!(display.pump_until(WAIT, || adapter.get_slip_note() == SlipNote::Printed), "slip {:?}", adapter.get_slip_note());

        // The paper the virtual printer decodes from the bytes sent is that procedure's checklist:
        // it starts with the procedure's name and code as the printer crate lays them out.
        let slips = files(&paper, "checklist-", "escpos");
        assert_eq!(slips.len(), 1, "{slips:?}");
        let decoded = printer::decode(&std::fs::read(&slips[0]).unwrap(), 576).expect("the virtual printer reads the bytes");
        let procedure = kiosk.catalogue.lock().unwrap().as_ref().unwrap().get(&first.code).unwrap().into_owned();
        let subtitle = format!("Mã thủ tục {} · Thành phần hồ sơ", first.code);
        let header = ChecklistLayout { title: procedure.name.clone(), subtitle: subtitle.clone(), items: vec![], footer: vec![], paper: printer::Paper::Mm80 }.render();
        let inked = (0..header.height()).rev().find(|&y| !header.row_is_blank(y)).unwrap() + 1;
        assert!(decoded.height() > inked);
        for y in 0..inked {
            assert_eq!(decoded.row(y), header.row(y), "row {y} of the paper differs from the name and code of {}", first.code);
        }
        let job = kiosk::printing::procedure_checklist(&procedure, None, server.clock.now());
        assert!(decoded == kiosk::printing::checklist_layout(&config, &job).render(), "the whole paper is the checklist laid out");

        // "Take a number" from the page goes straight to the service that handles it.
        let ticket = kiosk.app.global::<TicketAdapter>();
        assert_eq!(adapter.get_service_id(), "civil");
        tap(&display, &kiosk, "Lấy số thứ tự: Hộ tịch");
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Priority), "stage {:?}", ticket.get_stage());
        assert_eq!(ticket.get_service_name(), "Hộ tịch");
        tap(&display, &kiosk, "Không thuộc đối tượng nào");
        assert!(display.pump_until(WAIT, || ticket.get_stage() == TicketStage::Ticket));
        assert_eq!(ticket.get_number(), "A001");

        // Checklists count against the kiosk's paper limit: the third slip is refused, politely.
        tap(&display, &kiosk, "Trang chủ");
        tap(&display, &kiosk, "Tra cứu thủ tục");
        type_keys(&display, &kiosk, "khai sinh");
        let name = adapter.get_hits().row_data(0).unwrap().name;
        tap(&display, &kiosk, &name);
        tap(&display, &kiosk, "In danh sách giấy tờ");
        assert_eq!(adapter.get_slip_note(), SlipNote::RateLimited);
        assert_eq!(files(&paper, "checklist-", "escpos").len(), 1, "nothing more printed");

        // A procedure no configured service takes offers no number, only its checklist.
        tap(&display, &kiosk, "Quay lại danh sách");
        tap(&display, &kiosk, "Xoá hết");
        type_keys(&display, &kiosk, "ho65 chie61u");
        let name = adapter.get_hits().row_data(0).unwrap().name;
        tap(&display, &kiosk, &name);
        assert_eq!(adapter.get_service_id(), "");
        let buttons = ElementQuery::from_root(&kiosk.app).match_descendants().match_accessible_role(AccessibleRole::Button).find_all();
        assert!(!buttons.iter().any(|b| b.accessible_label().is_some_and(|l| l.starts_with("Lấy số thứ tự:"))));
        assert!(buttons.iter().any(|b| b.accessible_label().is_some_and(|l| l == "In danh sách giấy tờ")));
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

//! The portal's records on the real UI (headless, real fonts): browse by the field the records
//! carry, open a procedure with several cases, choose one, read its documents, and print its
//! checklist, decoded from the printer's bytes. One UI test per file: Slint allows one platform
//! per process.

use crate::touch::tap;
use authority::clock::Clock;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{ProceduresAdapter, ProceduresStage, SlipNote};
use slint::{ComponentHandle, Model};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn buttons(kiosk: &kiosk::ui::Kiosk) -> Vec<ElementHandle> {
    ElementQuery::from_root(&kiosk.app).match_descendants().match_accessible_role(AccessibleRole::Button).find_all()
}

/// The button labelled `label` that is on the panel now (the query also yields the copies a
/// layout keeps out of sight, at no size).
fn button(kiosk: &kiosk::ui::Kiosk, label: &str) -> ElementHandle {
    let found: Vec<_> = buttons(kiosk).into_iter().filter(|b| b.accessible_label().is_some_and(|l| l == label)).collect();
    found.into_iter().find(|b| b.size().width > 0.0 && b.size().height > 0.0).unwrap_or_else(|| panic!("no button {label:?} on the panel"))
}

/// How many of `labels` are buttons on screen now.
fn shown(kiosk: &kiosk::ui::Kiosk, labels: &[String]) -> usize {
    let on: Vec<String> = buttons(kiosk).iter().filter_map(|b| b.accessible_label().map(|l| l.to_string())).collect();
    labels.iter().filter(|l| on.contains(l)).count()
}

rusty_fork_test! {
    #[test]
    fn a_citizen_browses_a_field_chooses_their_case_and_prints_its_documents() {
        let tmp = tempfile::tempdir().unwrap();
        let paper = tmp.path().join("printer");
        // The catalogue as `kiosk catalogue import` writes it from the portal's records.
        let mut im = shared::catalogue::Import::new();
        im.add_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal"));
        let file = tmp.path().join("procedures.jsonl");
        std::fs::write(&file, im.to_jsonl()).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&paper).catalogue(&file).config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings::from_config(&config);
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        assert!(display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().unwrap().is_some()), "the catalogue loads");
        let adapter = kiosk.app.global::<ProceduresAdapter>();

        // The field the records carry is offered, with how many procedures it holds.
        tap(&display, &kiosk, "Tra cứu thủ tục");
        let fields: Vec<_> = adapter.get_fields().iter().map(|f| (f.name.to_string(), f.count)).collect();
        assert_eq!(fields, [("Đăng ký, quản lý cư trú".to_owned(), 2)]);
        tap(&display, &kiosk, "Đăng ký, quản lý cư trú");
        let hits: Vec<_> = adapter.get_hits().iter().map(|h| h.name.to_string()).collect();
        assert_eq!(hits.len(), 2, "{hits:?}");

        // Several cases: the page asks which one before it lists documents.
        tap(&display, &kiosk, "Đăng ký thường trú");
        assert_eq!(adapter.get_stage(), ProceduresStage::Detail);
        assert_eq!(adapter.get_case(), -1);
        let cases: Vec<String> = adapter.get_detail().cases.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(cases.len(), 3);
        assert_eq!(shown(&kiosk, &cases), 3, "every case is a button");
        // The listen button reads the question and each case.
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert!(said[0] == "Đăng ký thường trú." && said[1].starts_with("Hồ sơ của ông/bà thuộc trường hợp nào?"), "{said:?}");
        assert!(cases.iter().all(|c| said.contains(&format!("{c}."))), "{said:?}");
        tap(&display, &kiosk, &cases[2]);
        assert_eq!(adapter.get_case(), 2);
        assert_eq!(shown(&kiosk, &cases), 0, "the chosen case's documents replace the choice");
        // Found by a query: `find_by_accessible_label` did not find this one.
        let other = button(&kiosk, "Chọn trường hợp khác");
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert!(said.iter().any(|t| t.starts_with("Hợp đồng hoặc văn bản về việc cho thuê")), "then the chosen case's documents: {said:?}");
        let docs = adapter.get_detail().cases.row_data(2).unwrap().documents;
        assert_eq!(docs.row_count(), 3);
        assert_eq!(docs.row_data(0).unwrap().form, "Mẫu CT01.docx");

        // Its checklist is that case's documents: the paper decoded from the bytes is the layout.
        tap(&display, &kiosk, "In danh sách giấy tờ");
        assert!(display.pump_until(WAIT, || adapter.get_slip_note() == SlipNote::Printed), "slip {:?}", adapter.get_slip_note());
        let slips: Vec<_> = std::fs::read_dir(&paper).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "escpos")).collect();
        assert_eq!(slips.len(), 1, "{slips:?}");
        let decoded = printer::decode(&std::fs::read(&slips[0]).unwrap(), 576).expect("the virtual printer reads the bytes");
        let p = kiosk.catalogue.lock().unwrap().as_ref().unwrap().get("1.004222").unwrap().into_owned();
        let job = kiosk::printing::procedure_checklist(&p, Some(2), server.clock.now());
        assert!(job.items[1].starts_with("Hợp đồng hoặc văn bản về việc cho thuê"), "{:?}", job.items);
        assert!(decoded == kiosk::printing::checklist_layout(&config, &job).render(), "the paper is the chosen case's checklist");
        let all = kiosk::printing::checklist_layout(&config, &kiosk::printing::procedure_checklist(&p, None, server.clock.now())).render();
        assert!(decoded != all, "and not every case's");

        // Another case: back to the choice; the printed note of the first case is gone.
        // The printed notice took room below the page: scroll the button up into view first.
        display.scroll(540.0, 800.0, -400.0);
        let (p, size) = (other.absolute_position(), other.size());
        display.tap(p.x + size.width / 2.0, p.y + size.height / 2.0);
        assert_eq!((adapter.get_case(), adapter.get_slip_note()), (-1, SlipNote::None));
        tap(&display, &kiosk, &cases[1]);
        let optional: Vec<bool> = adapter.get_detail().cases.row_data(1).unwrap().documents.iter().map(|d| d.optional).collect();
        assert_eq!(optional, [false, false, true], "the record's \"required: false\" reads as \"nếu có\"");

        // One case: its documents at once.
        tap(&display, &kiosk, "Quay lại danh sách");
        tap(&display, &kiosk, "Đăng ký tạm trú");
        assert_eq!(adapter.get_case(), 0);
        assert_eq!(adapter.get_detail().online, 2, "fully online");
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

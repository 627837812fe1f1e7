//! Printing from the kiosk: the simulator, a file device, refusals. Each says what it proves.
use super::*;
use shared::config::Config;

fn config(device: &str) -> Config {
    config_with("", device)
}

/// A configuration with extra `[printer]` keys.
fn config_with(printer: &str, device: &str) -> Config {
    testkit::centre()
        .service(testkit::service("civil", "Hộ tịch – Chứng thực", "A"))
        .counter(1, &["civil"])
        .raw(&format!("[printer]\nqr_url = \"https://example.gov.vn/t/{{id}}\"\n{printer}\n[printer.device]\n{device}"))
        .config()
}

#[test]
fn the_simulator_writes_the_bytes_and_the_paper_decoded_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(&format!("kind = \"simulator\"\ndir = \"{}\"", dir.path().display()));
    let p = open(&c);
    assert_eq!(p.readiness(), Readiness::Ready);
    let job = sample_job(&c);
    assert_eq!(p.print(&job).unwrap(), Readiness::Ready);
    let stem = format!("ticket-{}-A123", job.issued_at.format("%Y%m%d"));
    let bytes = std::fs::read(dir.path().join(format!("{stem}.escpos"))).unwrap();
    assert_eq!(bytes, encode_job(&c, &job).unwrap(), "the file holds exactly what a printer would get");
    let png = std::fs::read(dir.path().join(format!("{stem}.png"))).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn a_simulated_paper_end_refuses_before_and_during_printing() {
    // Proves the kiosk can be shown to refuse a number when the roll is out, without hardware.
    let dir = tempfile::tempdir().unwrap();
    let c = config(&format!("kind = \"simulator\"\ndir = \"{}\"", dir.path().display()));
    let p = open(&c);
    std::fs::write(dir.path().join("PAPER_END"), "").unwrap();
    assert_eq!(p.readiness(), Readiness::Unable(Problem::PaperEnd));
    let err = p.print(&sample_job(&c)).unwrap_err();
    assert_eq!(err.problem(), Problem::PaperEnd);
    assert!(std::fs::read_dir(dir.path()).unwrap().count() == 1, "nothing was printed");
}

#[test]
fn a_file_device_gets_the_ticket_bytes_and_cannot_report_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spool.bin");
    let c = config(&format!("kind = \"file\"\npath = \"{}\"", path.display()));
    let p = open(&c);
    assert_eq!(p.readiness(), Readiness::Unknown);
    let job = sample_job(&c);
    p.print(&job).unwrap();
    p.print(&job).unwrap();
    let one = encode_job(&c, &job).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), [one.clone(), one].concat(), "two tickets appended");
}

#[test]
fn an_unreachable_network_printer_is_unable_not_stuck() {
    // A port nobody listens on: the kiosk must learn quickly that it cannot print.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    let c = config(&format!("kind = \"tcp\"\naddress = \"{addr}\""));
    let p = open(&c);
    assert_eq!(p.readiness(), Readiness::Unable(Problem::Unreachable));
    assert_eq!(p.print(&sample_job(&c)).unwrap_err().problem(), Problem::Unreachable);
}

#[test]
fn each_text_mode_reaches_the_printer_as_configured() {
    // Proves `[printer] text` decides the bytes: raster sends no character as text; "tcvn3" and
    // "cp1258" send the ticket's lines as code-page text that the virtual printer reads back as
    // the configured Vietnamese, except the service name in TCVN-3 (it holds "–", which TCVN-3
    // lacks), which goes as raster; and in every mode the paper is the ticket's own image.
    for (mode, paper) in [("raster", 80), ("tcvn3", 80), ("cp1258", 58)] {
        let c = config_with(&format!("profile = \"epson\"\ntext = \"{mode}\"\npaper = {paper}"), "kind = \"file\"\npath = \"/dev/null\"");
        let job = sample_job(&c);
        let bytes = encode_job(&c, &job).unwrap();
        let mut vp = printer::VirtualPrinter::new(layout::paper(&c).width_dots());
        vp.write(&bytes).unwrap();
        let lines: Vec<String> = vp.printed_lines().iter().map(|l| l.text.clone()).collect();
        let all = lines.join(" ");
        let has = |t: &str| all.contains(t);
        match mode {
            "raster" => assert!(lines.is_empty(), "{lines:?}"),
            _ => {
                assert!(has("Bộ phận Một cửa") && has("SỐ THỨ TỰ") && has("Số người đang chờ: 7"), "{mode}: {lines:?}");
                assert_eq!(has("Hộ tịch – Chứng thực"), mode == "cp1258", "{mode}: {lines:?}");
            }
        }
        let expected = ticket_layout(&c, &job).document_for(&layout::profile(&c)).unwrap().render();
        assert!(vp.finish().unwrap() == expected, "{mode}");
    }
}
fn sample_full() -> shared::catalogue::Procedure {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/sample-full.json");
    let c = shared::catalogue::Catalogue::load_path(path).unwrap();
    c.get("1.001193").unwrap().into_owned()
}

#[test]
fn a_procedure_checklist_lists_every_document_with_its_counts() {
    let p = sample_full();
    let job = procedure_checklist(&p, None, chrono::Utc::now());
    assert_eq!(job.title, "Thủ tục đăng ký khai sinh");
    assert!(job.subtitle.contains("1.001193"), "{}", job.subtitle);
    assert_eq!(job.items.len(), 2, "{:?}", job.items);
    assert_eq!(job.items[0], "Tờ khai đăng ký khai sinh (Bản chính: 1 - Bản sao: 0)");
    // Every character of the slip has a glyph in the bundled font (no blank boxes on paper).
    let c = config("kind = \"file\"\npath = \"/dev/null\"");
    let layout = checklist_layout(&c, &job);
    for text in [&layout.title, &layout.subtitle].into_iter().chain(&layout.items).chain(&layout.footer) {
        assert!(printer::text::missing_glyphs(text, printer::text::Weight::Regular).is_empty(), "{text}");
    }
    let test = checklist_layout(&c, &test_slip("USB printer /dev/usb/lp0", chrono::Utc::now()));
    for text in [&test.title, &test.subtitle].into_iter().chain(&test.items) {
        assert!(printer::text::missing_glyphs(text, printer::text::Weight::Bold).is_empty(), "{text}");
    }
}

/// A record in the portal's current format, imported as `kiosk catalogue import` does.
fn portal(code: &str) -> shared::catalogue::Procedure {
    let mut im = shared::catalogue::Import::new();
    im.add_path(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/portal")));
    im.catalogue().unwrap().get(code).unwrap().into_owned()
}

#[test]
fn the_checklist_of_a_chosen_case_lists_that_case_only_and_names_it() {
    // Requirement: with several cases, the slip is the chosen case's documents with their counts,
    // headed by the case; a document the record marks not required says "(nếu có)" once.
    let p = portal("1.004222");
    let rented = procedure_checklist(&p, Some(2), chrono::Utc::now());
    assert!(rented.subtitle.ends_with("Trường hợp: Đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ"), "{}", rented.subtitle);
    assert_eq!(rented.items.len(), 3, "{:?}", rented.items);
    assert_eq!(rented.items[1], "Hợp đồng hoặc văn bản về việc cho thuê, cho mượn, cho ở nhờ chỗ ở hợp pháp (Bản chính: 1 - Bản sao: 0)");
    let family = procedure_checklist(&p, Some(1), chrono::Utc::now());
    assert_eq!(family.items[2], "Giấy tờ, tài liệu chứng minh các điều kiện khác theo quy định (nếu có) (Bản chính: 0 - Bản sao: 1)");
    // No case chosen: every case's documents, each once, saying which cases need it.
    let all = procedure_checklist(&p, None, chrono::Utc::now());
    assert!(all.subtitle.ends_with("Thành phần hồ sơ"), "{}", all.subtitle);
    assert!(all.items.iter().any(|i| i.contains("— trường hợp: Đăng ký thường trú tại chỗ ở hợp pháp do thuê")), "{:?}", all.items);
    // A case beyond the list (a stale index) prints every case rather than nothing.
    assert_eq!(procedure_checklist(&p, Some(9), chrono::Utc::now()).items, all.items);
    let layout = checklist_layout(&config("kind = \"file\"\npath = \"/dev/null\""), &rented);
    for text in [&layout.title, &layout.subtitle].into_iter().chain(&layout.items) {
        assert!(printer::text::missing_glyphs(text, printer::text::Weight::Regular).is_empty(), "{text}");
    }
}

#[test]
fn a_procedure_with_no_documents_on_record_still_prints_its_name_and_says_to_ask() {
    let list = shared::catalogue::Catalogue::load_jsonl(
        &b"{\"code\": \"1.004194\", \"name\": \"\xC4\x90\xC4\x83ng k\xC3\xBD t\xE1\xBA\xA1m tr\xC3\xBA\"}\n"[..],
    )
    .unwrap();
    let job = procedure_checklist(&list.get("1.004194").unwrap(), None, chrono::Utc::now());
    assert!(job.items.is_empty());
    assert!(job.notes[0].contains("hỏi tại quầy"), "{:?}", job.notes);
}

#[test]
fn the_simulator_prints_a_checklist_whose_decoded_paper_is_the_layout() {
    // Proves the checklist path end to end: job → layout → ESC/POS bytes → virtual printer.
    let dir = tempfile::tempdir().unwrap();
    let c = config(&format!("kind = \"simulator\"\ndir = \"{}\"", dir.path().display()));
    let p = open(&c);
    let job = procedure_checklist(&sample_full(), None, chrono::Utc::now());
    p.print_checklist(&job).unwrap();
    p.print_checklist(&job).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let slips: Vec<_> = files.iter().filter(|f| f.extension().is_some_and(|x| x == "escpos")).collect();
    assert_eq!(slips.len(), 2, "two slips, neither overwritten: {files:?}");
    assert!(slips[0].to_string_lossy().contains("-1.001193"), "{slips:?}");
    let bytes = std::fs::read(slips[0]).unwrap();
    assert_eq!(bytes, encode_checklist(&c, &job).unwrap());
    let paper = printer::decode(&bytes, 576).unwrap();
    assert!(paper == checklist_layout(&c, &job).document().render(), "the paper is exactly the slip laid out");

    std::fs::write(dir.path().join("COVER_OPEN"), "").unwrap();
    assert_eq!(p.print_checklist(&job).unwrap_err().problem(), Problem::CoverOpen);
}

//! Tests of the portal's current records (`portal`) and of importing files of them (`import`).

use super::*;
use std::path::{Path, PathBuf};

fn portal_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(portal_dir().join(name)).unwrap()
}

/// Imports `files` (name, content) and answers the catalogue written and what was skipped.
fn import(files: &[(&str, &[u8])]) -> (Catalogue, Vec<Skipped>) {
    let mut im = Import::new();
    for (name, bytes) in files {
        im.add_bytes(name, bytes);
    }
    let skipped = im.skipped().to_vec();
    (im.catalogue().expect("what the import writes loads"), skipped)
}

/// Requirement: a multi-case record in the portal's envelope arrives with every part: fields,
/// audiences, agencies, each channel's time and fees (a null fee keeping its description), every
/// case's documents with counts, required and form, steps split at "Bước", legal basis, results,
/// the online level, and text tidied but not reworded.
#[test]
fn a_record_in_its_envelope_arrives_whole() {
    let (cat, skipped) = import(&[("1.004222.json", &read("1.004222.json"))]);
    assert!(skipped.is_empty(), "{skipped:?}");
    let p = cat.get("1.004222").unwrap();
    assert_eq!(p.name, "Đăng ký thường trú", "the trailing space is gone");
    assert_eq!(p.decision.as_deref(), Some("5548/QĐ-BCA"));
    assert_eq!(p.fields[0].id.as_deref(), Some("G01-CA05"));
    assert_eq!(p.fields[0].name.as_deref(), Some("Đăng ký, quản lý cư trú"));
    assert_eq!(p.audiences, [Audience::Citizen]);
    let agencies: Vec<_> = p.agencies.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(agencies, ["Công an xã, phường, đặc khu", "Công an cấp Xã"]);
    assert_eq!(p.online_level, Some(OnlineLevel::Partial), "not fully online, but an online channel");

    let channels: Vec<_> = p.ways.iter().map(|w| w.channel.clone()).collect();
    assert_eq!(channels, [Some(Channel::InPerson), Some(Channel::Online), Some(Channel::Postal)]);
    let direct = &p.ways[0].times[0];
    assert_eq!((direct.value.as_deref(), direct.unit.as_deref()), (Some("7"), Some("Ngày làm việc")));
    assert_eq!(direct.fees[0].kind, Some(FeeKind::Charge), "FEE is lệ phí");
    assert_eq!(direct.fees[0].amount, Some(Amount::Vnd(20_000)));
    assert_eq!(p.ways[1].times[0].fees[0].amount, Some(Amount::Vnd(10_000)));
    let postal = &p.ways[2].times[0].fees[0];
    assert_eq!((postal.kind.clone(), postal.amount.clone()), (Some(FeeKind::Fee), None), "SERVICE_FEE is phí; null stays unknown");
    assert_eq!(postal.description.as_deref(), Some("Cước dịch vụ bưu chính theo giá của doanh nghiệp bưu chính."));

    let cases: Vec<_> = p.documents.iter().map(|c| (c.case.as_deref().unwrap(), c.documents.len())).collect();
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0], ("Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của mình", 2));
    assert_eq!(cases[1].1, 3);
    let ct01 = &p.documents[0].documents[0];
    assert_eq!((ct01.originals, ct01.copies, ct01.required), (Some(1), Some(0), Some(true)));
    assert_eq!(ct01.form.as_deref(), Some("Mẫu CT01.docx"));
    assert_eq!(p.documents[1].documents[2].required, Some(false));

    let steps: Vec<_> = p.steps[0].steps.iter().filter_map(|s| s.name.as_deref()).collect();
    assert_eq!(steps.len(), 4, "{steps:#?}");
    assert!(steps[1].starts_with("Bước 2: Nộp hồ sơ") && steps[1].contains("\n- Trường hợp hồ sơ đầy đủ"), "details stay with their step");
    assert_eq!(steps[3], "Bước 4: Nhận thông báo kết quả giải quyết thủ tục đăng ký cư trú.", "double space tidied");
    assert_eq!(p.requirements.as_deref().unwrap().lines().count(), 2, "the blank line between them is dropped");

    let laws: Vec<_> = p.legal_basis.iter().map(|l| (l.number.as_deref().unwrap(), l.title.as_deref().unwrap())).collect();
    assert_eq!(laws[0], ("68/2020/QH14", "Luật Cư trú"));
    assert_eq!(p.results[0].code.as_deref(), Some("KQ01"));
}

/// Requirement: with the unit OTHER the time comes from each case (`cases[].processingDay`), named
/// by its case; numbers written as text read; "Bước N" entries are one step each, without the
/// label twice; `isFullProcess` is "toàn trình"; a form's link is kept.
#[test]
fn other_units_take_their_time_from_the_cases() {
    let (cat, skipped) = import(&[("1.004194.json", &read("1.004194.json"))]);
    assert!(skipped.is_empty(), "{skipped:?}");
    let p = cat.get("1.004194").unwrap();
    assert_eq!(p.online_level, Some(OnlineLevel::Full));
    let direct: Vec<_> =
        p.ways[0].times.iter().map(|t| (t.value.as_deref(), t.unit.as_deref(), t.description.as_deref(), t.fees.len())).collect();
    assert_eq!(
        direct,
        [
            (None, None, Some("Theo từng trường hợp."), 1),
            (Some("3"), Some("Ngày làm việc"), Some("Đăng ký tạm trú cho cá nhân"), 0),
            (Some("3"), Some("Ngày làm việc"), Some("Gia hạn tạm trú"), 0),
        ],
        "the method's description first, with its fees once"
    );
    assert_eq!(p.ways[1].times.len(), 2, "no description: the cases only");
    assert_eq!(p.ways[1].times[0].fees[0].amount, Some(Amount::Vnd(7_000)));
    assert_eq!(p.fees().count(), 2, "each fee once, not once per case");
    let steps: Vec<_> = p.steps[0].steps.iter().filter_map(|s| s.name.as_deref()).collect();
    assert_eq!(
        steps,
        [
            "Bước 1: Cá nhân chuẩn bị hồ sơ theo quy định.",
            "Bước 2: Nộp hồ sơ tại cơ quan đăng ký cư trú.",
            "Bước 3: Nhận thông báo kết quả."
        ]
    );
    let doc = &p.documents[0].documents[0];
    assert_eq!((doc.originals, doc.copies, doc.required), (Some(1), Some(0), Some(true)), "\"1\", \"0\", \"true\" as text");
    assert!(doc.url.as_deref().unwrap().starts_with("https://dichvucong.gov.vn/"));
    assert!(p.description.as_deref().unwrap().contains("thường trú để lao động"), "a no-break space is a space");
    assert_eq!(p.audiences, [Audience::Citizen, Audience::Business]);
}

/// Requirement: the same records arrive the same whichever way they are packed: a folder, one JSON
/// array of envelopes and bare records, JSON lines.
#[test]
fn every_packing_of_the_records_gives_the_same_catalogue() {
    let mut folder = Import::new();
    folder.add_path(&portal_dir());
    assert!(folder.skipped().is_empty(), "{:?}", folder.skipped());
    assert_eq!((folder.len(), folder.files()), (2, 2), "README.md is not read");
    let envelope: serde_json::Value = serde_json::from_slice(&read("1.004222.json")).unwrap();
    let bare: serde_json::Value = serde_json::from_slice(&read("1.004194.json")).unwrap();
    let array = serde_json::to_vec_pretty(&serde_json::json!([envelope, bare])).unwrap();
    let lines = format!("{envelope}\n\n{bare}\n");
    let in_data = serde_json::to_vec(&serde_json::json!({"code": "200", "data": [envelope["data"], bare]})).unwrap();
    for (what, bytes) in [("array", array), ("lines", lines.into_bytes()), ("a list in the envelope", in_data)] {
        let mut im = Import::new();
        im.add_bytes(what, &bytes);
        assert!(im.skipped().is_empty(), "{what}: {:?}", im.skipped());
        let sorted = |im: &Import| {
            let mut l: Vec<String> = String::from_utf8(im.to_jsonl()).unwrap().lines().map(str::to_owned).collect();
            l.sort();
            l
        };
        assert_eq!(sorted(&im), sorted(&folder), "{what}");
    }
}

/// Failure proved: what the import writes (and the API serves) reads back as the same record:
/// channels, fee kinds, amounts and the online level are written in the exchange format's own
/// spellings, not as Rust names that the loader would misread.
#[test]
fn written_records_read_back_unchanged() {
    let mut im = Import::new();
    im.add_path(&portal_dir());
    im.add_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/sample-full.json"));
    assert!(im.skipped().is_empty(), "{:?}", im.skipped());
    let cat = im.catalogue().unwrap();
    assert_eq!(cat.len(), 3);
    let written = String::from_utf8(im.to_jsonl()).unwrap();
    for (line, p) in written.lines().zip(cat.procedures()) {
        let again: Procedure = serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap();
        assert_eq!(&again, p);
        assert!(!line.contains("in_person") && !line.contains("\"vnd\""), "{line}");
    }
    let sample = Catalogue::load_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/sample-full.json")).unwrap();
    assert_eq!(cat.get("1.001193"), sample.get("1.001193"), "the exchange format passes through unchanged");
}

/// Failure proved: a bad record is named with its file, line and reason and skipped, and the good
/// records around it still arrive whole: wrong types (with the key's path), a missing or malformed
/// code, an empty name, a huge name or text, a duplicate code, a portal answer without a record,
/// a number where a record belongs.
#[test]
fn bad_records_are_named_and_skipped_and_good_ones_arrive_whole() {
    let good = String::from_utf8(read("1.004194.json")).unwrap();
    let huge_name = format!(r#"{{"code":"1.000003","name":"{}"}}"#, "Đăng ký ".repeat(400));
    let huge_text = format!(r#"{{"code":"1.000004","name":"X","requirementsAndConditions":"{}"}}"#, "a".repeat(70_000));
    let lines = [
        r#"{"code":"1.000001","name":"Có sai kiểu","executionMethods":"trực tiếp"}"#,
        r#"{"code":"1.000002","name":"Phí sai kiểu","executionMethods":[{"submissionMethod":"DIRECT","fees":[{"type":"FEE","value":{"amount":1}}]}]}"#,
        good.trim(),
        &huge_name,
        &huge_text,
        r#"{"name":"Không có mã","categoriesDetails":[]}"#,
        r#"{"code":"1.4194","name":"Mã sai","isFullProcess":true}"#,
        r#"{"code":"1.000005","name":"  ","isFullProcess":true}"#,
        r#"{"code":"1.004194","name":"Đăng ký tạm trú (bản sau)","isFullProcess":true}"#,
        r#"{"code":"404","message":"Không tìm thấy thủ tục","data":null}"#,
        r#"{"code":"1.000006","name":"Cắt ngang"#,
        "42",
    ]
    .join("\n");
    let (cat, skipped) = import(&[("mixed.jsonl", lines.as_bytes())]);
    assert_eq!(cat.len(), 1, "only the good record: {skipped:#?}");
    let alone = import(&[("alone", good.as_bytes())]).0;
    assert_eq!(cat.get("1.004194"), alone.get("1.004194"), "the good record is whole, not touched by its neighbours");
    let said: Vec<String> = skipped.iter().map(ToString::to_string).collect();
    let expect = [
        ("mixed.jsonl:1: 1.000001: \"executionMethods\" does not fit", 1),
        ("mixed.jsonl:2: 1.000002: \"executionMethods[0].fees[0].value\" does not fit", 2),
        ("mixed.jsonl:4: 1.000003: the name is", 4),
        ("mixed.jsonl:5: 1.000004: \"requirementsAndConditions\" holds 70000 bytes", 5),
        ("mixed.jsonl:6: the record has no \"code\"", 6),
        ("mixed.jsonl:7: 1.4194: bad procedure code", 7),
        ("mixed.jsonl:8: 1.000005: the record has no \"name\"", 8),
        ("mixed.jsonl:9: 1.004194: the code appears again; the record kept is at mixed.jsonl:3", 9),
        ("mixed.jsonl:10: the portal's answer holds no record (code \"404\": Không tìm thấy thủ tục)", 10),
        ("mixed.jsonl:11: not JSON at column", 11),
        ("mixed.jsonl:12: expected a record (a JSON object), found a number", 12),
    ];
    assert_eq!(skipped.len(), expect.len(), "{said:#?}");
    for ((text, line), s) in expect.iter().zip(&said) {
        assert!(s.starts_with(text), "line {line}: {s:?} should start {text:?}");
    }
}

/// Failure proved: a file that is not records at all is named once, as a whole, and the other
/// files are still read: empty, not UTF-8, malformed JSON, JSON lines cut off inside their last
/// record (none of its records taken: the file is incomplete), an empty list, a missing path, a
/// folder that links back to itself.
#[test]
fn unreadable_files_are_named_and_the_rest_still_arrive() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-empty.json"), "  \n").unwrap();
    std::fs::write(dir.path().join("b-latin1.json"), b"{\"name\": \"\xd0\xe3ng k\xfd\"}").unwrap();
    std::fs::write(dir.path().join("c-broken.json"), "{\n  \"code\": \"1.000001\",\n  \"name\": }\n").unwrap();
    std::fs::write(dir.path().join("d-list.json"), "[]").unwrap();
    let lines = format!("{}\n{}", r#"{"code":"1.000001","name":"Một"}"#, r#"{"code":"1.000002","name":"Ha"#);
    std::fs::write(dir.path().join("d-lines-cut.jsonl"), lines).unwrap();
    std::fs::write(dir.path().join("e-good.json"), read("1.004222.json")).unwrap();
    std::fs::write(dir.path().join("notes.pdf"), "not read: not a records file").unwrap();
    // A link back to the folder itself: named, not followed.
    std::os::unix::fs::symlink(dir.path(), dir.path().join("z-loop")).unwrap();
    let mut im = Import::new();
    im.add_path(dir.path());
    im.add_path(&dir.path().join("missing.json"));
    assert_eq!(im.len(), 1);
    let said: Vec<String> = im.skipped().iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 7, "{said:#?}");
    assert!(said[5].ends_with("z-loop: a link to a folder is not followed"), "{said:?}");
    assert!(said[0].ends_with("a-empty.json: the file is empty"), "{said:?}");
    assert!(said[1].contains("b-latin1.json: not UTF-8 text"), "{said:?}");
    assert!(said[2].contains("c-broken.json: not JSON") && said[2].contains("line 3"), "{said:?}");
    assert!(said[3].contains("d-lines-cut.jsonl: the file ends inside a record"), "a cut-off file gives none of its records: {said:?}");
    assert!(said[4].contains("d-list.json:1: an empty list"), "{said:?}");
    assert!(said[6].contains("missing.json: cannot read"), "{said:?}");
}

/// Requirement: the portal carries no popularity, so an import keeps the weights the centre's
/// current catalogue has for the same codes, and search keeps ranking by use.
#[test]
fn weights_of_the_current_catalogue_are_kept() {
    let current = Catalogue::load_jsonl(r#"{"code":"1.004222","name":"Đăng ký thường trú","weight":8781419}"#.as_bytes()).unwrap();
    let mut im = Import::new().keeping_weights_of(&current);
    im.add_path(&portal_dir());
    let cat = im.catalogue().unwrap();
    assert_eq!(cat.get("1.004222").unwrap().weight, 8_781_419);
    assert_eq!(cat.get("1.004194").unwrap().weight, 0);
}

/// Requirement: a catalogue loaded from a file keeps only each record's summary in memory and
/// reads the whole record again when asked. Failure proved: an upload that renames a new file over
/// the old name changes nothing of what the loaded catalogue reads (it keeps the file it loaded);
/// a file rewritten in place under it gives the summary and an error log, never another record.
#[test]
fn records_are_read_again_from_the_file_they_were_loaded_from() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("procedures.jsonl");
    let mut im = Import::new();
    im.add_path(&portal_dir());
    std::fs::write(&path, im.to_jsonl()).unwrap();
    let cat = Catalogue::load_path(&path).unwrap();
    let summary = cat.procedures().iter().find(|p| p.code.as_str() == "1.004222").unwrap();
    assert!(summary.documents.is_empty() && summary.ways.is_empty(), "only the summary is kept in memory");
    assert_eq!(summary.fields[0].name.as_deref(), Some("Đăng ký, quản lý cư trú"), "what browsing needs stays");
    let whole = cat.get("1.004222").unwrap().into_owned();
    assert_eq!(whole.documents.len(), 3);
    assert_eq!(Some(&whole), im.catalogue().unwrap().get("1.004222").as_deref(), "the same record as read at import");

    // An upload: another file renamed over the name. The loaded catalogue still reads its own.
    let other = dir.path().join("new.jsonl");
    std::fs::write(&other, "{\"MATTHC\":\"1.004222\",\"TENTTHC\":\"Khác\"}\n").unwrap();
    std::fs::rename(&other, &path).unwrap();
    assert_eq!(cat.get("1.004222").unwrap().documents.len(), 3);

    // The same inode rewritten in place (not how anything here writes): the summary, not garbage.
    let cat = Catalogue::load_path(&path).unwrap();
    std::fs::write(&path, "{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"Khác hẳn\"}\n").unwrap();
    let got = cat.get("1.004222").unwrap();
    assert_eq!((got.code.as_str(), got.name.as_str()), ("1.004222", "Khác"));
}

/// Requirement: a record with only its code and name (the portal publishes some like that), or
/// with every list null or empty, imports as what it says and no more: no made-up case, way or
/// fee, no online level.
#[test]
fn a_record_with_missing_parts_imports_as_what_it_says() {
    let bare = r#"{"code":"2.000001","name":"Thủ tục chỉ có tên"}"#;
    let nulls = r#"{"code":"2.000002","name":"Thủ tục rỗng","isFullProcess":null,"executionMethods":null,"executionCases":[],"cases":null,"executionSteps":[{"name":null,"description":"  "}],"categoriesDetails":[{"id":null,"name":null}],"legalBasisesDetails":null,"requirementsAndConditions":"   "}"#;
    let (cat, skipped) = import(&[("bare.jsonl", format!("{bare}\n{nulls}\n").as_bytes())]);
    assert!(skipped.is_empty(), "{skipped:?}");
    for code in ["2.000001", "2.000002"] {
        let p = cat.get(code).unwrap();
        assert!(p.ways.is_empty() && p.documents.is_empty() && p.steps.is_empty() && p.fields.is_empty(), "{p:#?}");
        assert_eq!((p.online_level, p.requirements.as_deref()), (None, None));
    }
}

//! Tests of the full national format: the sample record, real-data quirks,
//! and the catalogue built from full records (fields, filters, audiences).

use super::*;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/sample-full.json");

/// Requirement: the illustrative full record parses with every part in place
/// (steps per case, channels, fees, documents with counts, legal basis).
#[test]
fn catalogue_full_sample_parses_every_part() {
    let cat = Catalogue::load_path(SAMPLE).unwrap();
    assert_eq!(cat.len(), 1);
    let p = cat.get("1.001193").unwrap();
    assert_eq!(p.name, "Thủ tục đăng ký khai sinh");
    assert_eq!(p.kind.as_deref(), Some("1"));
    assert_eq!(p.fields[0].id.as_deref(), Some("203"));
    assert_eq!(p.levels[0].name.as_deref(), Some("Cấp Xã"));
    assert_eq!(p.steps[0].case.as_deref(), Some("Đăng ký khai sinh đúng hạn"));
    assert_eq!(p.steps[0].steps.len(), 4);
    let channels: Vec<_> = p.ways.iter().map(|w| w.channel.clone()).collect();
    assert_eq!(channels, [Some(Channel::InPerson), Some(Channel::Online)]);
    let fee = p.fees().next().unwrap();
    assert_eq!(fee.kind, Some(FeeKind::Charge));
    assert!(fee.amount.as_ref().unwrap().is_free(), "\"không\" means no charge");
    let docs = &p.documents[0].documents;
    assert_eq!(docs[0].name.as_deref(), Some("Tờ khai đăng ký khai sinh"));
    assert_eq!((docs[0].originals, docs[0].copies), (Some(1), Some(0)), "counts as text");
    assert_eq!((docs[1].originals, docs[1].copies), (Some(1), Some(0)), "counts as numbers");
    let laws: Vec<_> = p.legal_basis.iter().filter_map(|l| l.number.as_deref()).collect();
    assert_eq!(laws, ["60/2014/QH13", "123/2015/NĐ-CP"]);
    assert_eq!(p.results[0].name.as_deref(), Some("Giấy khai sinh (bản chính)"));
    assert_eq!(p.agencies[0].name.as_deref(), Some("Ủy ban nhân dân cấp xã"));
    assert_eq!(p.audiences, [Audience::Citizen], "derived from DOITUONGTHUCHIEN");
    assert_eq!((p.weight, p.online_level), (0, None));
    // Keywords are indexed: "trẻ em" is only in TUKHOA.
    assert_eq!(cat.search("tre em", SearchOptions::default())[0].code.as_str(), "1.001193");
}

/// Failure proved: the stray apostrophe "1'", an amount "không", numbers
/// written as text and `null` lists do not make a real record unreadable.
#[test]
fn catalogue_full_record_with_real_quirks() {
    let line = r#"{"MATTHC":"2.000815","TENTTHC":"Chứng thực bản sao từ bản chính","LOAITTHC":2,
        "MUCDO":"Toàn trình","ISNGANHDOC":"0","TRINHTUTHUCHIEN":null,"THANHPHANHOSO":[{"GIAYTO":null}],
        "CACHTHUCTHUCHIEN":[{"KENH":"3","THOIGIAN":[{"THOIGIANGIAIQUYET":"0,5","DONVITINH":"Ngày làm việc",
          "PHILEPHI":[{"MAPHILEPHI":"1'","SOTIEN":"không"},{"MAPHILEPHI":2,"SOTIEN":"2.000","DONVI":"Đồng/trang"}]}]}],
        "DOITUONGTHUCHIEN":[{"MADOITUONG":1,"TENDOITUONG":"Tổ chức"}]}"#
        .replace('\n', " ");
    let cat = Catalogue::load_jsonl(line.as_bytes()).unwrap();
    let p = cat.get("2.000815").unwrap();
    assert_eq!(p.kind.as_deref(), Some("2"));
    assert_eq!(p.online_level, Some(OnlineLevel::Full));
    assert!(!p.sector_managed);
    assert!(p.steps.is_empty() && p.documents[0].documents.is_empty());
    let way = &p.ways[0];
    assert_eq!(way.channel, Some(Channel::Postal));
    assert_eq!(way.times[0].amount(), Some(0.5));
    let fees: Vec<_> = p.fees().map(|f| (f.kind.clone(), f.amount.clone())).collect();
    assert_eq!(fees, [(Some(FeeKind::Fee), Some(Amount::Free)), (Some(FeeKind::Charge), Some(Amount::Vnd(2000)))]);
    assert_eq!(p.subjects[0].code.as_deref(), Some("1"));
    assert_eq!(p.audiences, [Audience::Business]);
}

/// Failure proved: a value that cannot be read (an unknown online level, a
/// list where text belongs) is an error naming the line and the procedure.
#[test]
fn catalogue_full_record_bad_value_names_line_and_code() {
    let text = "{\"code\":\"1.000001\",\"name\":\"A\"}\n{\"MATTHC\":\"1.000002\",\"TENTTHC\":\"B\",\"MUCDO\":\"nhanh\"}\n";
    let e = Catalogue::load_jsonl(text.as_bytes()).unwrap_err();
    assert!(matches!(&e, LoadError::Record { line: 2, code, .. } if code == "1.000002"), "{e:?}");
    assert!(e.chain().contains("nhanh"), "{}", e.chain());
    let text = r#"{"MATTHC":"1.000003","TENTTHC":["not","text"]}"#;
    let e = Catalogue::load_jsonl(text.as_bytes()).unwrap_err();
    assert!(matches!(e, LoadError::Record { line: 1, .. }), "{e:?}");
}

/// Requirement: field filter, audience filter, and field counts for browsing,
/// including a field the list lacks; local code variants load and are found.
#[test]
fn catalogue_fields_and_filters() {
    let text = r#"[
{"MATTHC":"1.000001","TENTTHC":"Đăng ký khai sinh","LINHVUCTHUCHIEN":[{"MALINHVUC":"203","TENLINHVUC":"Hộ tịch"}],"audiences":["citizen"]},
{"MATTHC":"1.000002","TENTTHC":"Đăng ký doanh nghiệp","LINHVUCTHUCHIEN":[{"MALINHVUC":"64","TENLINHVUC":"Thành lập doanh nghiệp"}],"audiences":["business"]},
{"MATTHC":"1.000003","TENTTHC":"Đăng ký khai tử","LINHVUCTHUCHIEN":[{"MALINHVUC":"999","TENLINHVUC":"Lạ(Bộ X)"}]},
{"MATTHC":"1.001612.000.00.00.H48","TENTTHC":"Đăng ký thành lập hộ kinh doanh"}
]"#;
    let fields = vec![
        Field { id: 203.into(), name: "Hộ tịch".into(), ministry: Some("Bộ Tư pháp".into()) },
        Field { id: 64.into(), name: "Thành lập doanh nghiệp".into(), ministry: None },
    ];
    let cat = Catalogue::load_json_array(text.as_bytes()).unwrap().with_fields(fields);
    let codes = |q: &str, o: SearchOptions| -> Vec<String> { cat.search(q, o).into_iter().map(|h| h.code.to_string()).collect() };
    let only = |f: u64| SearchOptions { field: Some(f.into()), ..Default::default() };
    assert_eq!(codes("dang ky", only(203)), ["1.000001"]);
    assert_eq!(codes("dang ky", only(999)), ["1.000003"]);
    let citizens = SearchOptions { audience: Some(Audience::Citizen), ..Default::default() };
    let found = codes("dang ky", citizens);
    assert!(!found.contains(&"1.000002".to_string()), "business only: {found:?}");
    assert!(found.contains(&"1.000003".to_string()), "unknown audience passes: {found:?}");
    assert_eq!(codes("1.001612", Default::default())[0], "1.001612.000.00.00.H48");
    assert!(cat.get("1.001612.000.00.00.H48").is_some());
    let browse: Vec<_> = cat.fields().into_iter().map(|f| (f.field.name.clone(), f.field.ministry.clone(), f.count)).collect();
    assert_eq!(
        browse,
        [
            ("Hộ tịch".to_string(), Some("Bộ Tư pháp".to_string()), 1),
            ("Lạ".to_string(), Some("Bộ X".to_string()), 1),
            ("Thành lập doanh nghiệp".to_string(), None, 1),
        ]
    );
    // The empty query browses a field by popularity.
    assert_eq!(codes("", only(64)), ["1.000002"]);
}

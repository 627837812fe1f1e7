//! Search quality over the 2,929 real procedures, with queries as citizens
//! type them. Each expectation was checked against the data with grep: the
//! expected code is the procedure a citizen typing that query means (the most
//! popular of the matching names where several fit).

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::*;

const PROCEDURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/procedures.jsonl");

fn real() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::load_path(PROCEDURES).expect("the real catalogue loads"))
}

fn top(q: &str, n: usize) -> Vec<String> {
    let opts = SearchOptions { limit: n, ..Default::default() };
    real().search(q, opts).into_iter().map(|h| h.code.to_string()).collect()
}

/// 1-based rank of `code` in the top 3 of `q`, or `None`.
fn rank(q: &str, code: &str) -> Option<usize> {
    top(q, 3).iter().position(|c| c == code).map(|i| i + 1)
}

/// Requirement: the real catalogue loads whole, and the index stays small.
#[test]
fn catalogue_real_procedures_load() {
    let cat = real();
    assert_eq!(cat.len(), 2929);
    assert_eq!(cat.get("1.004194").unwrap().name, "Đăng ký tạm trú");
    assert!(cat.get(" 2.001195 ").is_some(), "spaces around a typed code are ignored");
    assert!(cat.get("9.999999").is_none());
    assert!(cat.index_bytes() < 2 << 20, "index {} bytes", cat.index_bytes());
}

/// Requirement: each query, typed as citizens type (no accents, partial last
/// word, Telex or VNI leftovers, wrong order, capitals, NFD, codes), finds
/// the procedure it means in the top 3; most at rank 1.
#[test]
fn catalogue_search_quality_real_queries() {
    let nfd: String = "Đăng ký thường trú".nfd().collect();
    let cases: &[(&str, &str, usize)] = &[
        // (query, expected code, worst acceptable rank)
        ("dang ky tam tru", "1.004194", 1),
        ("ho chieu", "1.001456", 1),
        ("thuong tru", "1.004222", 1),
        ("tro cap that nghiep", "1.001978", 1),
        ("can cuoc", "2.001195", 1),
        ("giay phep xay dung", "1.009122", 3),
        ("dang ky kh", "1.001193", 3),
        ("dang ky khai sinh", "1.001193", 3),
        ("ho chieu pho", "1.001456", 1),
        ("dangw kys tamj truws", "1.004194", 1),
        ("ddawng kys thuowngf truws", "1.004222", 1),
        ("caaps hooj chieeus", "1.001456", 1),
        ("d9a8ng ky1 ta5m tru1", "1.004194", 1),
        ("tru tam dang ky", "1.004194", 1),
        ("chieu ho", "1.001456", 1),
        ("ĐĂNG KÝ KẾT HÔN", "1.000894", 1),
        ("DANG KY KET HON", "1.000894", 1),
        (&nfd, "1.004222", 1),
        ("1.004194", "1.004194", 1),
        ("004194", "1.004194", 1),
        ("1.00419", "1.004194", 3),
        ("chung thuc ban sao", "2.000815", 1),
        ("ho kinh doanh", "1.001612", 1),
        ("doi giay phep lai xe", "3.000347", 1),
        ("cap lai the can cuoc", "2.001194", 1),
        ("xac nhan tinh trang hon nhan", "1.004873", 1),
        ("ly lich tu phap", "3.000333", 1),
        ("khai tu", "1.000656", 3),
        ("thanh lap doanh nghiep", "2.001610", 3),
    ];
    let mut failures = Vec::new();
    for &(q, code, worst) in cases {
        match rank(q, code) {
            Some(r) if r <= worst => {}
            r => failures.push(format!("{q:?}: {code} at {r:?} (want ≤ {worst}); top: {:?}", top(q, 5))),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Requirement: "khai sinh" alone finds a birth registration in the top 3.
/// The most popular match is a copy of the birth certificate (2.000635), not
/// a registration, so the test accepts any of the registration procedures.
#[test]
fn catalogue_search_khai_sinh_finds_a_registration() {
    let registrations = ["1.001193", "2.000986", "2.002621", "2.001023"];
    let found = top("khai sinh", 3);
    assert!(found.iter().any(|c| registrations.contains(&c.as_str())), "{found:?}");
}

/// Requirement: per keystroke, every prefix of a query returns without
/// panicking, and the intended procedure surfaces before the typing ends.
#[test]
fn catalogue_search_per_keystroke() {
    let q = "dang ky thuong tru";
    let mut first_seen = None;
    for (i, _) in q.char_indices().skip(1).chain([(q.len(), ' ')]) {
        if first_seen.is_none() && rank(&q[..i], "1.004222").is_some() {
            first_seen = Some(i);
        }
    }
    let at = first_seen.expect("found by the end");
    assert!(at <= "dang ky th".len(), "needed {:?} typed", &q[..at]);
}

/// Requirement: among equally relevant names the popular one wins ("Cấp đổi
/// thẻ căn cước (…tỉnh)" over "Cấp lại thẻ căn cước (…tỉnh)", same shape).
/// An empty query browses by popularity.
#[test]
fn catalogue_search_popularity_breaks_ties() {
    assert_eq!(top("the can cuoc tinh", 2), ["2.001195", "2.001194"]);
    assert_eq!(top("", 2), ["1.004194", "1.001456"]);
    assert!(top("zzzz qqqq", 3).is_empty(), "nothing matches nonsense");
}

/// Requirement: a name match beats a keyword match even against a much more
/// popular procedure; a shorter name beats a longer one at equal popularity.
#[test]
fn catalogue_search_name_beats_keyword_and_short_beats_long() {
    let text = r#"{"code":"1.000001","name":"Cấp giấy phép karaoke","weight":5}
{"code":"1.000002","name":"Cấp giấy phép kinh doanh","TUKHOA":"karaoke","weight":9000000}
{"code":"1.000003","name":"Đăng ký tạm trú cho người nước ngoài tại địa phương","weight":100}
{"code":"1.000004","name":"Đăng ký tạm trú","weight":100}
"#;
    let cat = Catalogue::load_jsonl(text.as_bytes()).unwrap();
    let codes = |q: &str| -> Vec<String> { cat.search(q, SearchOptions::default()).into_iter().map(|h| h.code.to_string()).collect() };
    assert_eq!(codes("karaoke"), ["1.000001", "1.000002"]);
    assert_eq!(codes("dang ky tam tru"), ["1.000004", "1.000003"]);
}

/// Failure proved: skipping documents that cannot reach the top (the
/// pruning in `search.rs`) never changes the results: the top 5 with
/// pruning equal the first 5 of an unpruned search (limit above the
/// catalogue size).
#[test]
fn catalogue_search_pruning_is_exact() {
    let all = SearchOptions { limit: 10_000, ..Default::default() };
    for q in ["dang ky t", "ho chieu", "giay phep xay dung nha o", "cap lai the", "d", "tro cap k", "1.0041"] {
        let unpruned: Vec<_> = real().search(q, all.clone()).into_iter().take(5).collect();
        let pruned = real().search(q, SearchOptions { limit: 5, ..Default::default() });
        assert_eq!(pruned, unpruned, "{q:?}");
    }
}

//! Malformed and hostile catalogue files: each must be refused with a clear
//! error that names the line, never a panic and never a partial catalogue.

use std::io::Write;

use super::*;

const GOOD: &str = "{\"code\": \"1.004194\", \"name\": \"Đăng ký tạm trú\", \"weight\": 5, \"audiences\": [\"citizen\"], \"sector_managed\": true}\n\
                    {\"code\": \"1.004222\", \"name\": \"Đăng ký thường trú\", \"weight\": 3, \"audiences\": [], \"sector_managed\": true}\n";

fn jsonl(bytes: &[u8]) -> Result<Catalogue, LoadError> {
    Catalogue::load_jsonl(bytes)
}

/// The error, with its message checked to carry the line.
fn refused(bytes: &[u8], line: usize) -> LoadError {
    let e = jsonl(bytes).expect_err("must be refused");
    assert_eq!(e.line(), Some(line), "{e:?}");
    assert!(e.chain().contains(&format!("line {line}")), "{}", e.chain());
    e
}

/// A refusal at `line` of a value of the wrong JSON type, naming the type it found.
fn refused_finding(bytes: &[u8], line: usize, found: &str) -> LoadError {
    let e = refused(bytes, line);
    let named = match &e {
        LoadError::NotAnObject { found, .. } | LoadError::CodeNotText { found, .. } => *found,
        other => panic!("not a wrong-type refusal: {other:?}"),
    };
    assert_eq!(named, found, "{e:?}");
    e
}

/// Requirement: the good short format loads, blank lines and CRLF and a BOM
/// are tolerated (Windows editors), and line numbers count blank lines.
#[test]
fn catalogue_short_format_loads_with_windows_quirks() {
    let cat = jsonl(GOOD.as_bytes()).unwrap();
    assert_eq!(cat.len(), 2);
    let p = cat.get("1.004194").unwrap();
    assert_eq!((p.weight, p.sector_managed), (5, true));
    assert_eq!(p.audiences, [Audience::Citizen]);
    let windows = format!("\u{feff}{}\r\n\r\n", GOOD.replace('\n', "\r\n").trim_end());
    assert_eq!(jsonl(windows.as_bytes()).unwrap().len(), 2);
    let e = refused(format!("\n\n{GOOD}{{oops\n").as_bytes(), 5);
    assert!(matches!(e, LoadError::Json { .. }), "{e:?}");
}

/// Failure proved: a file whose last line was cut (copy interrupted) is
/// reported as truncated at that line, not as a catalogue of fewer records.
#[test]
fn catalogue_truncated_last_line() {
    let cut = &GOOD[..GOOD.len() - 30];
    let e = refused(cut.as_bytes(), 2);
    assert!(matches!(e, LoadError::Truncated { .. }), "{e:?}");
    assert!(e.to_string().contains("cut off"), "{e}");
    // The parser's own position is counted in the file too, not in the line.
    assert!(e.chain().contains("at line 2 column"), "{}", e.chain());
}

/// Failure proved: a line over 1 MiB is refused before it is buffered whole.
#[test]
fn catalogue_huge_line() {
    let mut big = GOOD.as_bytes().to_vec();
    big.extend(std::iter::repeat_n(b' ', MAX_LINE_BYTES + 10));
    big.push(b'\n');
    let e = refused(&big, 3);
    assert!(matches!(e, LoadError::LineTooLong { limit: MAX_LINE_BYTES, .. }), "{e:?}");
    // Exactly at the limit is still fine (it is a blank line here).
    let mut edge = GOOD.as_bytes().to_vec();
    edge.extend(std::iter::repeat_n(b' ', MAX_LINE_BYTES));
    edge.push(b'\n');
    assert_eq!(jsonl(&edge).unwrap().len(), 2);
}

/// Failure proved: deep nesting hits serde_json's recursion limit as an
/// error, not a stack overflow, in both file formats.
#[test]
fn catalogue_deep_nesting() {
    let deep = format!("{GOOD}{{\"code\":\"1.000001\",\"x\":{}1{}}}\n", "[".repeat(100_000), "]".repeat(100_000));
    let e = refused(deep.as_bytes(), 3);
    assert!(e.chain().contains("recursion limit"), "{}", e.chain());
    // In an array: unclosed nesting is a cut-off file; closed but too deep
    // nesting inside a record is the recursion limit, on the record's line.
    let unclosed = format!("[\n{{\"code\":\"1.000001\",\"name\":\"a\"}},\n{}\n]", "[".repeat(100_000));
    let e = Catalogue::load_json_array(unclosed.as_bytes()).unwrap_err();
    assert!(matches!(e, LoadError::Truncated { line: 4, .. }), "{e:?}");
    let closed =
        format!("[\n{{\"code\":\"1.000001\",\"name\":\"a\"}},\n{{\"code\":\"1.000002\",\"x\":{}1{}}}]", "[".repeat(300), "]".repeat(300));
    let e = Catalogue::load_json_array(closed.as_bytes()).unwrap_err();
    assert_eq!(e.line(), Some(3), "{e:?}");
    assert!(e.chain().contains("recursion limit"), "{}", e.chain());
}

/// Failure proved: bytes that are not UTF-8 are refused with line and column.
#[test]
fn catalogue_invalid_utf8() {
    let mut bad = GOOD.as_bytes().to_vec();
    bad.extend(b"{\"code\": \"1.000001\", \"name\": \"x\xff\"}\n");
    let e = refused(&bad, 3);
    assert!(matches!(e, LoadError::InvalidUtf8 { column: 32, .. }), "{e:?}");
}

/// Failure proved: a code that appears twice is refused with both lines,
/// rather than one record silently shadowing the other.
#[test]
fn catalogue_duplicate_codes() {
    let dup = format!("{GOOD}{}", GOOD.lines().next().unwrap());
    let e = refused(dup.as_bytes(), 3);
    assert!(matches!(&e, LoadError::DuplicateCode { code, first_line: 1, .. } if code == "1.004194"), "{e:?}");
    let arr = "[{\"code\":\"1.000001\",\"name\":\"a\"},\n\n{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"b\"}]";
    let e = Catalogue::load_json_array(arr.as_bytes()).err().unwrap();
    assert!(matches!(e, LoadError::DuplicateCode { line: 3, first_line: 1, .. }), "{e:?}");
}

/// Failure proved: a 0-byte file and a file of blank lines are errors (an
/// empty catalogue would wipe the kiosk's search), distinct from each other.
#[test]
fn catalogue_empty_files() {
    assert!(matches!(jsonl(b""), Err(LoadError::Empty)));
    assert!(matches!(jsonl(b"\n \r\n\t\n"), Err(LoadError::NoRecords)));
    assert!(matches!(Catalogue::load_json_array(&b""[..]), Err(LoadError::Empty)));
    assert!(matches!(Catalogue::load_json_array(&b" [ ] "[..]), Err(LoadError::NoRecords)));
}

/// Failure proved: binary garbage (random bytes, NULs, a gzip header) is an
/// error, never a panic; checked over many pseudo-random inputs.
#[test]
fn catalogue_binary_garbage() {
    let gz = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03];
    assert_eq!(jsonl(&gz).err().unwrap().line(), Some(1));
    assert!(matches!(jsonl(b"\0\0\0\0"), Err(LoadError::Json { line: 1, .. })));
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..300 {
        let len = 1 + round * 7 % 400;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Bias towards JSON punctuation so the parser gets further in.
                b"{}[]\":,1.0\n aMATTHCcode\xc3\xa1"[(x % 24) as usize] ^ if x.trailing_zeros() >= 3 { 0x80 } else { 0 }
            })
            .collect();
        let _ = jsonl(&bytes);
        let _ = Catalogue::load_json_array(&bytes[..]);
    }
}

/// Failure proved: records that are not objects, lack a code, or carry a
/// malformed code (even as a JSON number) are refused with the line.
#[test]
fn catalogue_bad_records() {
    let e = refused_finding(format!("{GOOD}[1,2]\n").as_bytes(), 3, "an array");
    assert!(matches!(e, LoadError::NotAnObject { .. }), "{e:?}");
    let e = refused(b"{\"name\": \"x\"}\n", 1);
    assert!(matches!(e, LoadError::MissingCode { .. }), "{e:?}");
    let e = refused(b"\n{\"code\": \"1.04194\", \"name\": \"x\"}\n", 2);
    assert!(e.chain().contains("\"1.04194\""), "{}", e.chain());
    let e = refused_finding(b"{\"code\": 1.004194, \"name\": \"x\"}\n", 1, "a number");
    assert!(matches!(e, LoadError::CodeNotText { .. }), "{e:?}");
    let e = refused(b"{\"code\": \"1.004194 \", \"name\": \"x\"}\n", 1);
    assert!(matches!(e, LoadError::Code { source: CodeError::Malformed { .. }, .. }), "{e:?}");
    let e = refused(b"{\"code\": \"1.004194\"}\n", 1);
    assert!(e.chain().contains("missing field"), "{}", e.chain());
    let e = refused(b"{\"code\": \"1.004194\", \"name\": \"x\", \"audiences\": [\"alien\"]}\n", 1);
    assert!(matches!(e, LoadError::Record { .. }), "{e:?}");
}

/// Requirement: `load_path` picks the format by content and names the file
/// in its errors; a missing file is an `Open` error.
#[test]
fn catalogue_load_path_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, GOOD).unwrap();
    assert_eq!(Catalogue::load_path(&good).unwrap().len(), 2);
    let bad = dir.path().join("bad.jsonl");
    let mut f = std::fs::File::create(&bad).unwrap();
    f.write_all(GOOD.as_bytes()).unwrap();
    f.write_all(b"{\"code\": \"9.000000\", \"name\": \"x\"}\n").unwrap();
    drop(f);
    let e = Catalogue::load_path(&bad).err().unwrap();
    assert_eq!(e.line(), Some(3));
    assert!(e.chain().starts_with(&bad.display().to_string()), "{}", e.chain());
    let missing = Catalogue::load_path(dir.path().join("none.jsonl")).err().unwrap();
    assert!(matches!(missing, LoadError::Open { .. }), "{missing:?}");
}

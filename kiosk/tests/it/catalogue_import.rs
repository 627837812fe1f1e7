//! `kiosk catalogue import` run as a process: the portal's records become a catalogue file the
//! kiosk loads; bad ones are named and skipped with exit status 1; nothing imported writes nothing.
use shared::catalogue::Catalogue;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn portal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal")
}

fn import(out: &Path, args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk")).args(["catalogue", "import", "--out"]).arg(out).args(args).output().unwrap()
}

#[test]
fn a_folder_of_portal_records_becomes_the_catalogue_the_kiosk_loads() {
    // Requirement: the command reads a folder of the portal's records and writes a catalogue that
    // `[catalogue] procedures` loads, with every case of the multi-case record.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("procedures.jsonl");
    let run = import(&out, &[&portal()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("2 procedures from 2 files written to"), "{stderr}");
    let cat = Catalogue::load_path(&out).unwrap();
    assert_eq!(cat.get("1.004222").unwrap().documents.len(), 3);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn a_bad_record_is_named_skipped_and_the_status_says_so() {
    // Failure proved: a record with a wrong type is named with its file, line and reason, the
    // others are written, and the exit status is 1 so that a script notices.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"code\":\"1.000001\",\"name\":\"Sai\",\"executionCases\":{\"name\":\"x\"}}\n").unwrap();
    let out = dir.path().join("procedures.jsonl");
    let run = import(&out, &[&portal(), &bad]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad.jsonl:1: 1.000001: \"executionCases\" does not fit"), "{stderr}");
    assert!(stderr.contains("1 record skipped"), "{stderr}");
    assert_eq!(Catalogue::load_path(&out).unwrap().len(), 2);
}

#[test]
fn nothing_imported_leaves_the_old_catalogue_in_place() {
    // Failure proved: when no record imports (a wrong folder, a file of errors), the catalogue in
    // service is not replaced by an empty one.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("procedures.jsonl");
    let old = "{\"code\":\"1.004222\",\"name\":\"Đăng ký thường trú\",\"weight\":8781419}\n";
    std::fs::write(&out, old).unwrap();
    let bad = dir.path().join("answer.json");
    std::fs::write(&bad, "{\"code\":\"500\",\"message\":\"Lỗi hệ thống\",\"data\":null}").unwrap();
    let run = import(&out, &[&bad, &dir.path().join("missing")]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Lỗi hệ thống") && stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("no record could be imported"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);
    // And a later good import keeps that catalogue's popularity weight for the same code.
    assert!(import(&out, &[&portal()]).status.success());
    assert_eq!(Catalogue::load_path(&out).unwrap().get("1.004222").unwrap().weight, 8_781_419);
}

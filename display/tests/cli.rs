//! Runs the real `display` binary, as an operator or a script would.

use std::process::{Command, Output};

fn display(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_display"))
        .args(args)
        .output()
        .expect("run display")
}

#[test]
fn announce_text_prints_the_sentence() {
    let out = display(&["announce-text", "A012", "3"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Xin mời công dân có số thứ tự a mười hai đến quầy số ba\n"
    );
}

#[test]
fn announce_text_reads_the_southern_way_on_request() {
    let out = display(&["announce-text", "B105", "1", "--dialect", "south"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Xin mời công dân có số thứ tự bê một trăm lẻ năm đến quầy số một\n"
    );
}

#[test]
fn an_empty_number_is_bad_usage() {
    let out = display(&["announce-text", "", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ticket number is empty"), "stderr: {err}");
}

#[test]
fn an_invalid_number_or_counter_is_bad_usage() {
    for args in [
        ["announce-text", "A-1", "3"],
        ["announce-text", "A1", "three"],
    ] {
        let out = display(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn without_a_subcommand_it_says_it_is_not_built_yet() {
    let out = display(&["--config", "/nonexistent.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "display: the display controller is not built yet; see issue 5\n"
    );
}

//! Runs the real `display` binary, as an operator or a script would.

use std::process::{Command, Output};

fn display(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_display")).args(args).output().expect("run display")
}

#[test]
fn announce_text_prints_the_sentence() {
    let out = display(&["announce-text", "A012", "3"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Xin mời công dân có số thứ tự a mười hai đến quầy số ba\n");
}

#[test]
fn announce_text_reads_the_southern_way_on_request() {
    let out = display(&["announce-text", "B105", "1", "--dialect", "south"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Xin mời công dân có số thứ tự bê một trăm lẻ năm đến quầy số một\n");
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
    for args in [["announce-text", "A-1", "3"], ["announce-text", "A1", "three"]] {
        let out = display(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn a_missing_or_bad_config_is_bad_usage_with_file_and_line() {
    // Proves the controller refuses to start on a bad configuration with status 2, naming the
    // file and (for a bad key) the line.
    let out = display(&["--config", "/nonexistent.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("display: /nonexistent.toml: cannot read"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("display.toml");
    std::fs::write(&path, "[authority]\nurl = \"http://127.0.0.1:9\"\ntoken = \"t\"\nspeed = 3\n").unwrap();
    let out = display(&["--config", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("{}:4:", path.display())) && err.contains("speed"), "{err}");
}

#[test]
fn clip_names_lists_every_word_once() {
    // Proves the list generate.sh records from: the fixed clips and both readings of 1000.
    let out = display(&["clip-names"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text.lines().collect();
    for want in ["chime", "xin_moi", "den_quay_so", "nghìn", "ngàn", "lẻ", "linh", "bê"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let mut sorted = names.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
}

#[test]
fn a_device_that_cannot_open_stops_the_process_even_with_a_board_running() {
    // Proves a failing start is an exit 1 with the device named, not a board left running
    // forever: the controller fails while the (headless) board loop is starting.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("d.toml");
    std::fs::write(
        &cfg,
        format!(
            "[authority]\nurl = \"http://127.0.0.1:9\"\ntoken = \"t\"\n\
             [[outputs]]\nkind = \"hall\"\nwindow = false\nwidth = 640\nheight = 360\nsnapshot = \"{}\"\n\
             [[outputs]]\nkind = \"framebuffer\"\ncounter = \"1\"\ndevice = \"{}\"\nwidth = 64\nheight = 48\n",
            dir.path().join("hall.png").display(),
            dir.path().join("no-such-fb0").display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_display"))
        .args(["--config", cfg.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the display kept running with a device it cannot open");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("no-such-fb0"), "{err}");
}

//! The `kiosk` binary's command line: exit codes, errors on stderr, the client commands.
use testkit::*;

#[test]
fn a_malformed_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = centre().listen("127.0.0.1:0").service(service("civil", "Hộ tịch", "AB")).counter(1, &["civil"]);
    let path = bad.write_as(&dir.path().join("bad.toml"));
    let (code, _, err) = kiosk(&["serve", "--config", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let line = line_of(&bad.text(), "letter = \"AB\"");
    assert!(err.contains(&format!("{}:{line}:", path.display())) && err.contains("one capital letter"), "{err}");
    let (code, _, err) = kiosk(&["serve", "--config", "/nonexistent/kiosk.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/kiosk.toml") && err.contains("cannot read"), "{err}");
    let (code, _, err) = kiosk(&["serve", "--no-such-flag"]);
    assert_eq!(code, 2, "bad usage: {err}");
}

#[test]
fn a_database_held_by_another_server_or_corrupt_exits_1_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    let config = write_config(dir.path(), &db);
    let first = Served::start(&config);
    let (code, _, err) = kiosk(&["serve", "--config", config.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("locked by another process"), "{err}");
    assert_eq!(first.terminate().code(), Some(0), "SIGTERM stops the server cleanly");
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x5a; 8192]).unwrap();
    let (code, _, err) = kiosk(&["serve", "--config", config.to_str().unwrap(), "--db", junk.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not a queue database"), "{err}");
    assert_eq!(std::fs::read(&junk).unwrap(), vec![0x5a; 8192], "the file was left as it was");
}

#[test]
fn staff_drive_the_queue_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let url = &served.url.clone();
    let (code, out, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "issue", "civil"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("A001  civil  waiting  (0 ahead"), "{out}");
    let (code, out, _) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "--json", "issue", "land"]);
    assert_eq!(code, 0);
    let t: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["number"], "B001");
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "call-next", "1"]);
    assert_eq!((code, out.trim()), (0, "A001  civil  called  at counter 1"));
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "recall", "1"]);
    assert_eq!((code, out.trim()), (0, "A001  civil  called  at counter 1"));
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "no-show", "1"]);
    assert_eq!((code, out.trim()), (0, "A001  civil  no_show  at counter 1"), "a no-show names the counter it missed");
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "call-next", "1"]);
    assert_eq!((code, out.trim()), (0, "B001  land  called  at counter 1"));
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "finish", "1"]);
    assert_eq!((code, out.trim()), (0, "B001  land  done  at counter 1"));
    let (code, out, _) = kiosk(&["--url", url, "--token", COUNTER_TOKEN, "call-next", "1"]);
    assert_eq!((code, out.trim()), (0, "nobody waits at counter 1"));
    let (code, out, _) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "state"]);
    assert_eq!(code, 0);
    assert!(out.contains("civil        A") && out.contains("1            -"), "{out}");
    // Refusals: the server's message on stderr, exit 1.
    let (code, _, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "call-next", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("forbidden"), "{err}");
    let (code, _, err) = kiosk(&["--url", url, "--token", "wrong-token-wrong-token", "state"]);
    assert_eq!(code, 1);
    assert!(err.contains("unauthorized"), "{err}");
    let (code, _, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "issue", "passport"]);
    assert_eq!(code, 1);
    assert!(err.contains("there is no service \"passport\" (unknown_service, HTTP 404)"), "{err}");
    assert_eq!(served.terminate().code(), Some(0));
    let (code, _, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "state"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot reach the queue authority"), "{err}");
}

/// Runs `kiosk` with `input` on its standard input.
fn kiosk_with_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(bin("kiosk"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_first_accounts_are_made_from_the_command_line_and_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &dir.path().join("queue.db"));
    let c = config.to_str().unwrap();
    let add = |login: &str, role: &str, extra: &[&str], password: &str| {
        let mut args =
            vec!["account", "add", "--config", c, "--login", login, "--name", "Nguyễn Thị Lan", "--role", role, "--password-stdin"];
        args.extend_from_slice(extra);
        kiosk_with_stdin(&args, &format!("{password}\n"))
    };
    let (code, _, err) = add("admin", "admin", &[], "một mật khẩu dài");
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = add("lan", "staff", &["--counters", "1"], "mật khẩu của Lan");
    assert_eq!(code, 0, "{err}");
    // Refusals: a short password and an unknown counter are bad usage (2); an existing login is
    // a failure (1) unless --if-missing.
    let (code, _, err) = add("minh", "staff", &[], "short");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("10 to 256 characters"), "{err}");
    let (code, _, err) = add("minh", "staff", &["--counters", "99"], "đủ dài rồi đấy");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no counter \"99\""), "{err}");
    let (code, _, err) = add("lan", "staff", &[], "mật khẩu của Lan");
    assert_eq!(code, 1, "{err}");
    let (code, _, _) = add("lan", "staff", &["--if-missing"], "mật khẩu của Lan");
    assert_eq!(code, 0);
    let (code, out, _) = kiosk(&["account", "list", "--config", c]);
    assert_eq!(code, 0);
    assert!(out.contains("admin") && out.lines().any(|l| l.starts_with("lan") && l.contains("staff") && l.contains(" 1 ")), "{out}");

    // While the server holds the store, the command says to use the console instead.
    let served = Served::start(&config);
    let (code, _, err) = add("hoa", "staff", &[], "mật khẩu của Hoa");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("use the console or the admin API"), "{err}");
    let signed_in = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/session", served.url))
        .json(&serde_json::json!({"login": "lan", "password": "mật khẩu của Lan"}))
        .send()
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    assert_eq!(served.terminate().code(), Some(0));
}

#[test]
fn a_kiosk_without_a_display_still_prints_the_reprints_staff_ask_for() {
    // Proves `kiosk --config F` on a machine with no display keeps its printer working: a
    // reprint asked through the API comes out of its (simulated) printer, with no touch UI.
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("printer");
    std::fs::create_dir_all(&paper).unwrap();
    let config = testkit::config::small(&dir.path().join("queue.db")).simulated_printer(&paper).write(dir.path());
    let served = Served::start_with(&["--config", config.to_str().unwrap()]);
    let http = reqwest::blocking::Client::new();
    let t = http
        .post(format!("{}/api/v1/tickets", served.url))
        .bearer_auth(KIOSK_TOKEN)
        .json(&serde_json::json!({"service": "civil"}))
        .send()
        .unwrap();
    assert_eq!(t.status(), 201);
    // The printer's link reports the printer's health when it connects: then it hears reprints.
    let state = || -> serde_json::Value {
        http.get(format!("{}/api/v1/state", served.url)).bearer_auth(COUNTER_TOKEN).send().unwrap().json().unwrap()
    };
    wait_until_blocking(20, "the kiosk's printer reports to the authority", || {
        state()["devices"].as_array().is_some_and(|d| d.iter().any(|x| x["device"] == "kiosk"))
    });
    let r = http.post(format!("{}/api/v1/tickets/A001/reprint", served.url)).bearer_auth(COUNTER_TOKEN).send().unwrap();
    assert_eq!(r.status(), 202);
    wait_until_blocking(20, "the reprint comes out of the printer", || {
        std::fs::read_dir(&paper).unwrap().flatten().any(|f| f.file_name().to_string_lossy().ends_with("-A001.png"))
    });
    assert_eq!(served.terminate().code(), Some(0));
}

/// Proves the backup commands as an operator runs them: `kiosk backup --out` while the server
/// serves, `kiosk restore --from` refused while it holds the store, then done once it stopped,
/// and the restarted server going on from the copy's numbers. Also that the no-show `restore`
/// still takes its ticket, and a restore with neither is bad usage.
#[test]
fn a_backup_taken_from_the_command_line_is_restored_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    let config = config::small(&db).token("administrator", "admin", ADMIN_TOKEN, &[]).write(dir.path());
    let cfg = config.to_str().unwrap();
    let served = Served::start(&config);
    let url = &served.url.clone();
    for _ in 0..3 {
        let (code, _, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "issue", "civil"]);
        assert_eq!(code, 0, "{err}");
    }
    let copy = dir.path().join("copy.db");
    let (code, out, err) = kiosk(&["--url", url, "--token", ADMIN_TOKEN, "backup", "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bytes, up to event"), "{out}");
    let (code, _, err) = kiosk(&["--url", url, "--token", KIOSK_TOKEN, "backup", "--out", dir.path().join("k.db").to_str().unwrap()]);
    assert_eq!(code, 1, "a kiosk's token may not take the store: {err}");
    let (code, _, err) = kiosk(&["restore", "--config", cfg, "--from", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "refused while the server holds the store: {err}");
    assert!(err.contains("cannot restore"), "{err}");
    assert_eq!(served.terminate().code(), Some(0));
    let (code, _, err) = kiosk(&["restore", "--config", cfg, "--from", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("restored into") && err.contains("numbering goes on after"), "{err}");
    let again = Served::start(&config);
    let (code, out, err) = kiosk(&["--url", &again.url, "--token", KIOSK_TOKEN, "issue", "civil"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("A004"), "numbering goes on from the copy: {out}");
    let (code, _, err) = kiosk(&["--url", &again.url, "--token", COUNTER_TOKEN, "restore"]);
    assert_eq!(code, 2, "neither a ticket nor --from: {err}");
    assert_eq!(again.terminate().code(), Some(0));
}

//! `kiosk print-sample` run as a process, in each text mode: the file it writes is what a
//! printer receives, and the virtual printer must read the ticket's text back out of it.
use std::process::Command;

/// A centre with one service and `[printer]` set as `printer` says (key, TOML value).
fn centre(printer: &[(&str, &str)]) -> testkit::Centre {
    let c = testkit::centre()
        .name("Trung tâm Phục vụ hành chính công xã Đông Anh")
        .service(testkit::service("land", "Đất đai", "B"))
        .counter(1, &["land"])
        .printer("qr_url", "\"https://dichvucong.example.gov.vn/hang-doi/{id}\"")
        .printer_device("simulator", "dir", "printer");
    printer.iter().fold(c, |c, (key, value)| c.printer(key, value))
}

fn config(dir: &std::path::Path, printer: &[(&str, &str)]) -> std::path::PathBuf {
    centre(printer).write_as(&dir.join(format!("kiosk-{}.toml", printer.len())))
}

fn print_sample(config: &std::path::Path, out: &std::path::Path, paper: &str) -> std::process::Output {
    print_sample_with(config, out, &["--paper", paper])
}

fn print_sample_with(config: &std::path::Path, out: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["print-sample", "--config"])
        .arg(config)
        .arg("--out")
        .arg(out)
        .args(args)
        .env_remove("KIOSK_CONFIG")
        .output()
        .unwrap()
}

#[test]
fn print_sample_in_native_modes_decodes_to_the_ticket_text() {
    // Proves print-sample honours [printer] text: in "tcvn3" and "cp1258" the bytes carry the
    // ticket's lines as code-page text, which decodes to the configured centre name and service
    // (upper-case tones included), on paper the virtual printer prints with ink where each line
    // is; in "raster" the same ticket has no text command at all.
    let dir = tempfile::tempdir().unwrap();
    for (mode, paper, width) in [("tcvn3", "80", 576), ("cp1258", "58", 384), ("raster", "80", 576)] {
        let cfg = config(dir.path(), &[("profile", "\"epson\""), ("text", &format!("\"{mode}\""))]);
        let out = dir.path().join(format!("sample-{mode}.escpos"));
        let run = print_sample(&cfg, &out, paper);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{mode}: {stderr}");
        assert!(stderr.contains(&format!("for a {paper} mm ticket")), "{stderr}");
        let bytes = std::fs::read(&out).unwrap();
        let mut vp = printer::VirtualPrinter::new(width);
        vp.write(&bytes).unwrap_or_else(|e| panic!("{mode}: {e}"));
        let lines = vp.printed_lines().to_vec();
        let paper_img = vp.finish().unwrap();
        if mode == "raster" {
            assert!(lines.is_empty(), "{lines:?}");
            assert!(!bytes.windows(2).any(|w| w == b"\x1bt"));
            continue;
        }
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        let joined = texts.join(" ");
        for want in ["Trung tâm Phục vụ hành chính công", "Đông Anh", "SỐ THỨ TỰ", "Đất đai", "Số người đang chờ: 7"]
        {
            assert!(joined.contains(want), "{mode}: {want:?} not in {texts:?}");
        }
        for line in &lines {
            // At least a little ink per character, in the rows where the printer put the line.
            let ink = paper_img.rows(line.top, line.top + line.height).count_black();
            let letters = line.text.chars().filter(|c| !c.is_whitespace()).count() as u64;
            assert!(ink > 10 * letters, "{mode}: {ink} dots of ink for {:?}", line.text);
        }
    }
}

#[test]
fn print_sample_refuses_a_native_mode_on_a_generic_printer() {
    // Proves a native text mode with profile = "generic" is a configuration error (exit 2) naming
    // the file, the line and the fix, and nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let printer = [("profile", "\"generic\""), ("text", "\"cp1258\"")];
    let cfg = config(dir.path(), &printer);
    let line = testkit::line_of(&centre(&printer).text(), "text = \"cp1258\"");
    let out = dir.path().join("never.escpos");
    let run = print_sample(&cfg, &out, "80");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:{line}", cfg.display())) && stderr.contains("profile = \"epson\""), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn print_sample_prints_the_logo_and_refuses_a_broken_one() {
    // Proves `[printer] logo` (a path relative to the configuration) is printed centred at the
    // top of the ticket, and that a file that is not a PNG is a configuration error (exit 2)
    // naming the file and the reason, before anything is written.
    let dir = tempfile::tempdir().unwrap();
    let mut logo = printer::Bitmap::new(100, 40);
    logo.fill_rect(0, 0, 100, 40);
    logo.save_png(&dir.path().join("logo.png")).unwrap();
    let cfg = config(dir.path(), &[("logo", "\"logo.png\"")]);
    let out = dir.path().join("with-logo.escpos");
    let run = print_sample(&cfg, &out, "80");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let paper = printer::decode(&std::fs::read(&out).unwrap(), 576).unwrap();
    let x0 = (576 - 100) / 2;
    assert!(paper.get(x0, 8) && paper.get(x0 + 99, 47), "the logo is at the top, centred");
    assert!(!paper.get(x0 - 1, 20) && !paper.get(x0 + 100, 20) && !paper.get(x0, 7));

    std::fs::write(dir.path().join("broken.png"), "not an image").unwrap();
    let cfg = config(dir.path(), &[("logo", "\"broken.png\"")]);
    let out = dir.path().join("never.escpos");
    let run = print_sample(&cfg, &out, "80");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.png") && stderr.contains("not a readable PNG"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_paper_width_other_than_80_or_58_is_bad_usage_and_writes_nothing() {
    // Proves `--paper` is parsed at the command line: 60 mm is refused with exit status 2 and a
    // message naming the two widths, and no half-made ticket file is left behind.
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[]);
    let out = dir.path().join("sample.escpos");
    let run = print_sample(&cfg, &out, "60");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("80 or 58"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_fixed_issue_time_makes_the_sample_reproducible_and_a_bad_one_is_bad_usage() {
    // Proves `--at` sets the time printed: two runs a moment apart (or on two machines, as
    // scripts/arm64.sh compares the arm64 build's with amd64's) give the same bytes, and the
    // ticket shows that local time; a time that is not RFC 3339 exits 2, writing nothing.
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[("profile", "\"epson\""), ("text", "\"tcvn3\"")]);
    let at = ["--at", "2026-12-04T09:41:00+07:00"];
    let (one, two) = (dir.path().join("one.escpos"), dir.path().join("two.escpos"));
    for out in [&one, &two] {
        let run = print_sample_with(&cfg, out, &at);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let bytes = std::fs::read(&one).unwrap();
    assert_eq!(bytes, std::fs::read(&two).unwrap(), "the same --at gave different bytes");
    let mut vp = printer::VirtualPrinter::new(576);
    vp.write(&bytes).unwrap();
    let text: Vec<String> = vp.printed_lines().iter().map(|l| l.text.clone()).collect();
    assert!(text.iter().any(|l| l.contains("09:41")), "the issue time is not on the ticket: {text:?}");

    let bad = dir.path().join("bad.escpos");
    let run = print_sample_with(&cfg, &bad, &["--at", "yesterday"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("RFC 3339"), "{stderr}");
    assert!(!bad.exists());
}

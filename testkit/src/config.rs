//! The centres the tests run on, written once with the `centre` builder.
use crate::centre::{centre, service, Centre};
use crate::tokens::*;
use std::path::{Path, PathBuf};

/// The smallest centre: civil status ("A") at counter 1.
pub fn one_service() -> Centre {
    centre().service(service("civil", "Hộ tịch", "A")).counter(1, &["civil"])
}

/// The in-process centre: three services (one with a daily cap, one open afternoons only), two
/// counters, a token per role (and a counter token limited to counter 1).
pub fn in_process(db: &Path) -> Centre {
    centre()
        .store(db)
        .max_body_bytes(4096)
        .queue("priority_ratio", "2")
        .queue("max_wait_min", "30")
        .queue("no_show_grace_min", "10")
        .priority("elderly", "Người cao tuổi", None)
        .service(service("civil", "Hộ tịch", "A").priorities(&["elderly"]))
        .service(service("land", "Đất đai", "B").daily_cap(5))
        .service(service("tax", "Thuế", "C").hours(&["13:30-17:00"]))
        .counter(1, &["civil"])
        .counter(2, &["civil", "land", "tax"])
        .token("kiosk", "kiosk", KIOSK, &[])
        .token("display", "display", DISPLAY, &[])
        .token("staff", "counter", COUNTER, &[])
        .token("keypad-1", "counter", COUNTER1, &["1"])
        .token("admin", "admin", ADMIN, &[])
        .cheap_passwords()
}

/// The in-process centre's TOML.
pub fn config_text(db: &Path) -> String {
    in_process(db).text()
}

/// The kiosk's side of the in-process centre (its UI tests): no store of its own, tickets
/// printed by the simulator into `paper`.
pub fn kiosk_ui(paper: &Path) -> Centre {
    in_process(Path::new(":memory:")).simulated_printer(paper)
}

/// The demo's procedure catalogue (a few thousand procedures of the national catalogue).
pub fn demo_catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/procedures.jsonl")
}

/// A small centre for a child process on a free port: two services open all day, one counter,
/// a kiosk and a counter token.
pub fn small(db: &Path) -> Centre {
    centre()
        .store(db)
        .listen("127.0.0.1:0")
        .service(service("civil", "Hộ tịch", "A"))
        .service(service("land", "Đất đai", "B"))
        .counter(1, &["civil", "land"])
        .token("kiosk", "kiosk", KIOSK_TOKEN, &[])
        .token("staff", "counter", COUNTER_TOKEN, &[])
        .cheap_passwords()
}

/// `small` written to `dir/kiosk.toml`.
pub fn write_config(dir: &Path, db: &Path) -> PathBuf {
    small(db).write(dir)
}

/// The centre of the console tests: three services open all day and every day (one takes
/// priority classes), three counters, a procedure catalogue file the administrator may replace
/// (the first 40 procedures of the demo's), and tokens for the kiosk, the administrator and
/// counter 3's rating tablet. Sessions last long enough for a test that moves a clock by hours.
pub fn console(dir: &Path, db: &Path) -> Centre {
    let text = std::fs::read_to_string(demo_catalogue()).expect("the demo catalogue");
    let lines: Vec<&str> = text.lines().take(40).collect();
    let catalogue = dir.join("procedures.jsonl");
    std::fs::write(&catalogue, lines.join("\n") + "\n").expect("write the catalogue");
    centre()
        .name("Trung tâm Phục vụ hành chính công phường Thử nghiệm")
        .utc_offset("+07:00")
        .store(db)
        .listen("127.0.0.1:0")
        .queue("priority_ratio", "2")
        .queue("max_wait_min", "45")
        .queue("no_show_grace_min", "15")
        .console("idle_min", "1440")
        .console("session_hours", "48")
        .cheap_passwords()
        .catalogue(&catalogue)
        .priority("elderly", "Người cao tuổi", Some("Elderly"))
        .priority("disability", "Người khuyết tật", Some("Person with disability"))
        .service(service("civil", "Hộ tịch – Chứng thực", "A").name_en("Civil status").priorities(&["elderly", "disability"]))
        .service(service("land", "Đất đai", "B").name_en("Land"))
        .service(service("tax", "Thuế", "C").name_en("Tax"))
        .counter(1, &["civil", "land"])
        .counter(2, &["civil"])
        .counter(3, &["land", "tax"])
        .token("kiosk", "kiosk", KIOSK_TOKEN, &[])
        .token("administrator", "admin", ADMIN_TOKEN, &[])
        .token("rating-3", "counter", RATE3_TOKEN, &["3"])
}

/// `console` written to `dir/kiosk.toml`.
pub fn write_console_config(dir: &Path, db: &Path) -> PathBuf {
    console(dir, db).write(dir)
}

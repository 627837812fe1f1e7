//! The configurations the tests run on, written once.
use crate::tokens::*;
use std::path::{Path, PathBuf};

/// The in-process centre: three services (one with a daily cap, one open afternoons only), two
/// counters, a token per role (and a counter token limited to counter 1).
pub fn config_text(db: &Path) -> String {
    format!(
        r#"
[store]
path = "{db}"
[server]
max_body_bytes = 4096
[queue]
priority_ratio = 2
max_wait_min = 30
no_show_grace_min = 10
[[priority]]
id = "elderly"
name = "Người cao tuổi"
[[services]]
id = "civil"
name = "Hộ tịch"
letter = "A"
priorities = ["elderly"]
[[services]]
id = "land"
name = "Đất đai"
letter = "B"
daily_cap = 5
[[services]]
id = "tax"
name = "Thuế"
letter = "C"
hours = ["13:30-17:00"]
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil"]
[[counters]]
id = "2"
name = "Quầy 2"
number = 2
services = ["civil", "land", "tax"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK}"
[[auth.tokens]]
name = "display"
role = "display"
token = "{DISPLAY}"
[[auth.tokens]]
name = "staff"
role = "counter"
token = "{COUNTER}"
[[auth.tokens]]
name = "keypad-1"
role = "counter"
token = "{COUNTER1}"
counters = ["1"]
[[auth.tokens]]
name = "admin"
role = "admin"
token = "{ADMIN}"
"#,
        db = db.display()
    )
}


/// A small configuration: two services open all day, two counters, a kiosk and a counter token.
pub fn write_config(dir: &Path, db: &Path) -> PathBuf {
    let text = format!(
        r#"
[store]
path = "{db}"
[server]
listen = "127.0.0.1:0"
[[services]]
id = "civil"
name = "Hộ tịch"
letter = "A"
[[services]]
id = "land"
name = "Đất đai"
letter = "B"
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil", "land"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK_TOKEN}"
[[auth.tokens]]
name = "staff"
role = "counter"
token = "{COUNTER_TOKEN}"
"#,
        db = db.display()
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}


/// The centre of the console tests: three services open all day and every day (one takes
/// priority classes), three counters, a procedure catalogue file the administrator may replace
/// (the first 40 procedures of the demo's), and tokens for the kiosk, the administrator and
/// counter 3's rating tablet. Sessions last long enough for a test that moves a clock by hours.
pub fn write_console_config(dir: &Path, db: &Path) -> PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/procedures.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(demo).expect("the demo catalogue").lines().take(40).map(str::to_owned).collect();
    let catalogue = dir.join("procedures.jsonl");
    std::fs::write(&catalogue, lines.join("\n") + "\n").expect("write the catalogue");
    let text = format!(
        r#"
[centre]
name = "Trung tâm Phục vụ hành chính công phường Thử nghiệm"
utc_offset = "+07:00"
[store]
path = "{db}"
[server]
listen = "127.0.0.1:0"
[queue]
priority_ratio = 2
max_wait_min = 45
no_show_grace_min = 15
[console]
idle_min = 1440
session_hours = 48
[catalogue]
procedures = "{catalogue}"
[[priority]]
id = "elderly"
name = "Người cao tuổi"
name_en = "Elderly"
[[priority]]
id = "disability"
name = "Người khuyết tật"
name_en = "Person with disability"
[[services]]
id = "civil"
name = "Hộ tịch – Chứng thực"
name_en = "Civil status"
letter = "A"
priorities = ["elderly", "disability"]
[[services]]
id = "land"
name = "Đất đai"
name_en = "Land"
letter = "B"
[[services]]
id = "tax"
name = "Thuế"
name_en = "Tax"
letter = "C"
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil", "land"]
[[counters]]
id = "2"
name = "Quầy 2"
number = 2
services = ["civil"]
[[counters]]
id = "3"
name = "Quầy 3"
number = 3
services = ["land", "tax"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK_TOKEN}"
[[auth.tokens]]
name = "administrator"
role = "admin"
token = "{ADMIN_TOKEN}"
[[auth.tokens]]
name = "rating-3"
role = "counter"
token = "{RATE3_TOKEN}"
counters = ["3"]
"#,
        db = db.display(),
        catalogue = catalogue.display(),
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}

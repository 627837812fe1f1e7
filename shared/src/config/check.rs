//! The rules of a configuration that serde cannot express: identifiers, references between
//! tables, unique letters, numbers and tokens, sane ranges.
use super::problem::{Problem, Seg};
use super::Config;
use std::collections::HashSet;

fn problem(at: Vec<Seg>, message: impl Into<String>) -> Problem {
    Problem { at, message: message.into() }
}

/// Identifiers appear in URLs and events: keep them to a plain, case-sensitive alphabet.
fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Every rule broken, in file order (the caller reports the first).
pub(crate) fn check(c: &Config) -> Vec<Problem> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    let q = &c.queue;
    if q.priority_ratio == 0 {
        out.push(problem(vec![Key("queue"), Key("priority_ratio")], "must be at least 1"));
    }
    if !(1..=6).contains(&q.number_digits) {
        out.push(problem(vec![Key("queue"), Key("number_digits")], "must be from 1 to 6"));
    }
    if q.max_wait_min == 0 {
        out.push(problem(vec![Key("queue"), Key("max_wait_min")], "must be at least 1"));
    }
    if q.rating_window_min == 0 {
        out.push(problem(vec![Key("queue"), Key("rating_window_min")], "must be at least 1"));
    }
    let k = &c.console;
    if k.lockout_after == 0 {
        out.push(problem(vec![Key("console"), Key("lockout_after")], "must be at least 1"));
    }
    if k.lockout_min == 0 {
        out.push(problem(vec![Key("console"), Key("lockout_min")], "must be at least 1"));
    }
    if !(1..=24 * 60).contains(&k.idle_min) {
        out.push(problem(vec![Key("console"), Key("idle_min")], "must be from 1 to 1440"));
    }
    if !(1..=24 * 7).contains(&k.session_hours) {
        out.push(problem(vec![Key("console"), Key("session_hours")], "must be from 1 to 168"));
    }
    if !(1..=1024).contains(&k.max_catalogue_mb) {
        out.push(problem(vec![Key("console"), Key("max_catalogue_mb")], "must be from 1 to 1024"));
    }
    // Argon2's own bounds (8 KiB per lane, one pass); 4 GiB is past any kiosk's memory.
    if !(8..=4 * 1024 * 1024).contains(&k.hash_memory_kib) {
        out.push(problem(vec![Key("console"), Key("hash_memory_kib")], "must be from 8 to 4194304"));
    }
    if !(1..=100).contains(&k.hash_passes) {
        out.push(problem(vec![Key("console"), Key("hash_passes")], "must be from 1 to 100"));
    }
    for (key, value, range) in [
        ("hash_concurrency", k.hash_concurrency, 1..=64),
        ("hash_queue", k.hash_queue, 0..=1024),
        ("sign_ins_per_minute", k.sign_ins_per_minute, 1..=10_000),
        ("reprints_per_ticket", k.reprints_per_ticket, 0..=100),
        ("reprint_interval_s", k.reprint_interval_s, 0..=3600),
        ("reprints_per_day", k.reprints_per_day, 0..=100_000),
    ] {
        if !range.contains(&value) {
            out.push(problem(vec![Key("console"), Key(key)], format!("must be from {} to {}", range.start(), range.end())));
        }
    }
    // SQLite's smallest useful file: the schema alone takes some tens of pages of 1 KiB.
    if c.store.max_kib.is_some_and(|m| m < 64) {
        out.push(problem(vec![Key("store"), Key("max_kib")], "must be at least 64"));
    }
    let sv = &c.server;
    if let Some(why) = sv.refuse_listen(sv.listen) {
        out.push(problem(vec![Key("server"), Key("listen")], why));
    }
    match (&sv.tls_cert, &sv.tls_key) {
        (Some(_), None) => out.push(problem(vec![Key("server"), Key("tls_cert")], "needs tls_key too")),
        (None, Some(_)) => out.push(problem(vec![Key("server"), Key("tls_key")], "needs tls_cert too")),
        _ => {}
    }
    if !(1..=300).contains(&sv.header_timeout_s) {
        out.push(problem(vec![Key("server"), Key("header_timeout_s")], "must be from 1 to 300"));
    }
    if sv.max_connections == 0 {
        out.push(problem(vec![Key("server"), Key("max_connections")], "must be at least 1"));
    }
    if !(1..=sv.max_connections.max(1)).contains(&sv.max_connections_per_address) {
        out.push(problem(vec![Key("server"), Key("max_connections_per_address")], "must be from 1 to max_connections"));
    }
    // The board, the ticket and `kiosk state` show it: the rule of every shown name.
    if let Err(why) = crate::text::check_name(&c.centre.name, crate::text::NAME_MAX_CHARS) {
        out.push(problem(vec![Key("centre"), Key("name")], why));
    }

    let mut seen = HashSet::new();
    for (i, p) in c.priority.iter().enumerate() {
        let at = |k| vec![Key("priority"), Index(i), Key(k)];
        if !valid_id(&p.id) {
            out.push(problem(at("id"), format!("{:?} is not an id (letters, digits, - and _)", p.id)));
        } else if !seen.insert(p.id.as_str()) {
            out.push(problem(at("id"), format!("priority class {:?} is defined twice", p.id)));
        }
        if p.name.trim().is_empty() || p.name.chars().count() > 120 {
            out.push(problem(at("name"), "must not be empty nor longer than 120 characters"));
        }
    }

    // A kiosk joining an authority elsewhere takes the services from there.
    if c.services.is_empty() && c.kiosk.authority.is_none() {
        out.push(problem(vec![Key("services")], "at least one [[services]] is needed"));
    }
    let (mut ids, mut letters) = (HashSet::new(), HashSet::new());
    for (i, s) in c.services.iter().enumerate() {
        let at = |k| vec![Key("services"), Index(i), Key(k)];
        if !valid_id(&s.id) {
            out.push(problem(at("id"), format!("{:?} is not an id (letters, digits, - and _)", s.id)));
        } else if !ids.insert(s.id.as_str()) {
            out.push(problem(at("id"), format!("service {:?} is defined twice", s.id)));
        }
        if s.name.trim().is_empty() || s.name.chars().count() > 120 {
            out.push(problem(at("name"), "must not be empty nor longer than 120 characters"));
        }
        let letter_ok = s.letter.len() == 1 && s.letter.as_bytes()[0].is_ascii_uppercase();
        if !letter_ok {
            out.push(problem(at("letter"), format!("{:?} is not one capital letter A-Z", s.letter)));
        } else if !letters.insert(s.letter.as_str()) {
            out.push(problem(at("letter"), format!("letter {:?} is used by two services", s.letter)));
        }
        if s.daily_cap == Some(0) {
            out.push(problem(at("daily_cap"), "must be at least 1 (leave it out for no cap)"));
        }
        if s.hours.is_empty() {
            out.push(problem(at("hours"), "at least one opening range is needed"));
        }
        if s.days.is_empty() {
            out.push(problem(at("days"), "at least one opening day is needed"));
        }
        if s.service_time_s == 0 {
            out.push(problem(at("service_time_s"), "must be at least 1"));
        }
        for (j, p) in s.priorities.iter().enumerate() {
            if c.priority_class(p).is_none() {
                out.push(problem(vec![Key("services"), Index(i), Key("priorities"), Index(j)], format!("no [[priority]] has id {p:?}")));
            }
        }
    }

    let (mut ids, mut numbers) = (HashSet::new(), HashSet::new());
    for (i, k) in c.counters.iter().enumerate() {
        let at = |f| vec![Key("counters"), Index(i), Key(f)];
        if !valid_id(&k.id) {
            out.push(problem(at("id"), format!("{:?} is not an id (letters, digits, - and _)", k.id)));
        } else if !ids.insert(k.id.as_str()) {
            out.push(problem(at("id"), format!("counter {:?} is defined twice", k.id)));
        }
        if k.name.trim().is_empty() || k.name.chars().count() > 60 {
            out.push(problem(at("name"), "must not be empty nor longer than 60 characters"));
        }
        if !numbers.insert(k.number) {
            out.push(problem(at("number"), format!("two counters have number {}", k.number)));
        }
        if k.services.is_empty() {
            out.push(problem(at("services"), "a counter must serve at least one service"));
        }
        for (j, s) in k.services.iter().enumerate() {
            if c.service(s).is_none() {
                out.push(problem(vec![Key("counters"), Index(i), Key("services"), Index(j)], format!("no [[services]] has id {s:?}")));
            }
        }
    }

    if ![58, 80].contains(&c.printer.paper) {
        out.push(problem(vec![Key("printer"), Key("paper")], "must be 80 or 58 (millimetres)"));
    }
    if c.printer.qr_url.as_ref().is_some_and(|u| u.trim().is_empty() || u.len() > 300) {
        out.push(problem(vec![Key("printer"), Key("qr_url")], "must be a URL of at most 300 characters (leave it out for no QR code)"));
    } else if let Some(p) = c.printer.qr_url.as_deref().and_then(unknown_placeholder) {
        out.push(problem(
            vec![Key("printer"), Key("qr_url")],
            format!("{{{p}}} is not a placeholder: use {{key}} (the ticket's public key, for its page), {{id}} or {{number}}"),
        ));
    }
    if c.printer.footer.len() > 6 || c.printer.footer.iter().any(|f| f.chars().count() > 200) {
        out.push(problem(vec![Key("printer"), Key("footer")], "at most 6 paragraphs of at most 200 characters"));
    }
    if c.printer.timeout_s == 0 {
        out.push(problem(vec![Key("printer"), Key("timeout_s")], "must be at least 1"));
    }
    {
        use crate::config::{PrinterProfile, PrinterText};
        // The code page numbers are Epson's; a "generic" printer promises only raster.
        let native = match c.printer.text {
            PrinterText::Raster => None,
            PrinterText::Tcvn3 => Some("\"tcvn3\" selects Epson code pages 30 and 31"),
            PrinterText::Cp1258 => Some("\"cp1258\" selects Epson code page 52"),
        };
        if let (Some(what), PrinterProfile::Generic) = (native, c.printer.profile) {
            out.push(problem(
                vec![Key("printer"), Key("text")],
                format!("{what}, which a generic printer may not have: set profile = \"epson\" for a printer that has them, or keep text = \"raster\""),
            ));
        }
    }

    let (mut names, mut secrets) = (HashSet::new(), HashSet::new());
    for (i, t) in c.auth.tokens.iter().enumerate() {
        let at = |f| vec![Key("auth"), Key("tokens"), Index(i), Key(f)];
        if t.name.trim().is_empty() || !names.insert(t.name.as_str()) {
            out.push(problem(at("name"), format!("token name {:?} is empty or used twice", t.name)));
        }
        // Short tokens can be guessed over the LAN in minutes.
        if t.token.len() < 16 {
            out.push(problem(at("token"), "a token must have at least 16 characters"));
        } else if !secrets.insert(t.token.as_str()) {
            out.push(problem(at("token"), "two entries share the same token"));
        }
        for (j, k) in t.counters.iter().enumerate() {
            if c.counter(k).is_none() {
                out.push(problem(
                    vec![Key("auth"), Key("tokens"), Index(i), Key("counters"), Index(j)],
                    format!("no [[counters]] has id {k:?}"),
                ));
            }
        }
    }
    out.extend(super::kiosk::check(c));
    out.extend(c.uplink.iter().flat_map(super::uplink::check));
    if c.uplink.is_some() && c.kiosk.authority.is_some() {
        out.push(problem(
            vec![Key("uplink")],
            "a kiosk that joins an authority elsewhere keeps no log to send: [uplink] goes in that authority's configuration",
        ));
    }
    out
}

/// The first `{name}` in a QR address template that is not one the printer fills in.
fn unknown_placeholder(template: &str) -> Option<&str> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { return Some(after) };
        let name = &after[..close];
        if !["key", "id", "number"].contains(&name) {
            return Some(name);
        }
        rest = &after[close + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigErrorKind};
    use crate::testing::line_of;

    fn good() -> String {
        let head = "[queue]\npriority_ratio = 2\n[[priority]]\nid = \"elderly\"\nname = \"Người cao tuổi\"";
        let civil = ("civil", "Hộ tịch", "A", "priorities = [\"elderly\"]");
        let land = ("land", "Đất đai", "B", "hours = [\"07:30-11:30\", \"13:30-17:00\"]");
        let token = "[[auth.tokens]]\nname = \"kiosk-1\"\nrole = \"kiosk\"\ntoken = \"kiosk-token-0123456789\"";
        crate::testing::centre(head, &[civil, land], &[&["civil", "land"]], token)
    }

    fn refuse(text: &str) -> (Option<usize>, String) {
        let (line, kind) = Config::parse(text).expect_err("the config must be refused");
        (line, kind.to_string())
    }

    #[test]
    fn a_good_config_loads_with_defaults() {
        let c = Config::parse(&good()).unwrap();
        assert_eq!(c.services[1].hours.len(), 2);
        assert_eq!(c.queue.no_show_grace_min, 15);
        assert_eq!(c.server.listen.port(), 8080);
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        // Proves a typo is not silently ignored (it would leave a setting at its default).
        let text = good().replace("priority_ratio = 2", "priority_ratio = 2\npriorty_ratio = 3");
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(line_of(&text, "priorty_ratio")), "{msg}");
        assert!(msg.contains("priorty_ratio"), "{msg}");
    }

    #[test]
    fn a_bad_value_is_refused_with_its_line() {
        let text = good().replace("13:30-17:00", "17:00-13:30");
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(line_of(&text, "17:00-13:30")), "{msg}");
        assert!(msg.contains("ends before it starts"), "{msg}");
    }

    #[test]
    fn a_dangling_reference_is_refused_with_its_line() {
        let text = good().replace(r#"services = ["civil", "land"]"#, r#"services = ["civil", "tax"]"#);
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(line_of(&text, r#"services = ["civil", "tax"]"#)), "{msg}");
        assert!(msg.contains("counters[0].services[1]") && msg.contains("\"tax\""), "{msg}");
    }

    #[test]
    fn duplicate_letters_are_refused() {
        // The second service's letter, where "B" stood.
        let at = line_of(&good(), r#"letter = "B""#);
        let text = good().replace(r#"letter = "B""#, r#"letter = "A""#);
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(at), "{msg}");
        assert!(msg.contains("used by two services"), "{msg}");
    }

    #[test]
    fn short_tokens_and_missing_tables_are_refused() {
        let (_, msg) = refuse(&good().replace("kiosk-token-0123456789", "short"));
        assert!(msg.contains("at least 16"), "{msg}");
        let (_, msg) = refuse("[queue]\n");
        assert!(msg.contains("services"), "{msg}");
    }

    #[test]
    fn printer_settings_are_checked() {
        let c = Config::parse(&format!(
            "{}\n[printer]\npaper = 58\n[printer.device]\nkind = \"serial\"\npath = \"/dev/ttyUSB0\"\nflow = \"xonxoff\"\n",
            good()
        ))
        .unwrap();
        assert_eq!(c.printer.paper, 58);
        assert!(matches!(c.printer.device, crate::config::PrinterDevice::Serial { baud: 115_200, .. }));
        let (_, msg) = refuse(&format!("{}\n[printer]\npaper = 76\n", good()));
        assert!(msg.contains("80 or 58"), "{msg}");
        let (line, msg) = refuse(&format!("{}\n[printer.device]\nkind = \"tcp\"\naddress = \"printer.local\"\n", good()));
        assert!(msg.contains("IP:PORT") && line.is_some(), "{msg}");
        let (_, msg) = refuse(&format!("{}\n[printer.device]\nkind = \"parallel\"\n", good()));
        assert!(msg.contains("parallel"), "an unknown device kind is refused: {msg}");
    }

    /// Proves a QR address with a mistyped placeholder is refused at start, not printed
    /// literally on every ticket ("/t/{kye}" would open nothing).
    #[test]
    fn qr_url_placeholders_are_checked() {
        let ok = Config::parse(&format!("{}\n[printer]\nqr_url = \"https://motcua.local:8443/t/{{key}}?n={{number}}\"\n", good()));
        assert!(ok.is_ok(), "{ok:?}");
        let (line, msg) = refuse(&format!("{}\n[printer]\nqr_url = \"https://motcua.local/t/{{kye}}\"\n", good()));
        assert!(msg.contains("{kye} is not a placeholder") && line.is_some(), "{msg}");
        let (_, msg) = refuse(&format!("{}\n[printer]\nqr_url = \"https://motcua.local/t/{{key\"\n", good()));
        assert!(msg.contains("not a placeholder"), "an unclosed brace is refused: {msg}");
    }

    #[test]
    fn printer_text_mode_is_checked() {
        // Proves the text mode defaults to raster, native modes load with the Epson profile, and a
        // bad value or a native mode on a generic printer is refused at its line with the reason.
        let c = Config::parse(&good()).unwrap();
        assert_eq!(c.printer.text, crate::config::PrinterText::Raster);
        for (value, mode) in [("tcvn3", crate::config::PrinterText::Tcvn3), ("cp1258", crate::config::PrinterText::Cp1258)] {
            let c = Config::parse(&format!("{}\n[printer]\nprofile = \"epson\"\ntext = \"{value}\"\n", good())).unwrap();
            assert_eq!(c.printer.text, mode);
        }
        let base = good().lines().count();
        let (line, msg) = refuse(&format!("{}\n[printer]\nprofile = \"epson\"\ntext = \"tcvn\"\n", good()));
        assert_eq!(line, Some(base + 4), "{msg}");
        assert!(msg.contains("tcvn3") && msg.contains("cp1258") && msg.contains("raster"), "the choices are named: {msg}");
        let (line, msg) = refuse(&format!("{}\n[printer]\ntext = \"tcvn3\"\n", good()));
        assert_eq!(line, Some(base + 3), "{msg}");
        assert!(msg.contains("printer.text") && msg.contains("profile = \"epson\""), "{msg}");
    }

    #[test]
    fn broken_syntax_is_a_syntax_error() {
        let (line, kind) = Config::parse("[[services]\nid=").unwrap_err();
        assert!(matches!(kind, ConfigErrorKind::Syntax(_)));
        assert_eq!(line, Some(1));
    }

    #[test]
    fn a_centre_name_with_escapes_overrides_or_nul_is_refused_with_its_line() {
        // Proves `[centre] name` can no longer carry ESC, NUL or a right-to-left override to the
        // hall board and the terminal: each is refused at load, naming the line.
        for bad in [r"UBND\u001B[2J", r"UBND\u0000x", r"UBND \u202Ephường", r"Ba\u2066Đình", r"x\u007F", r"x\u0085"] {
            let text = format!("[centre]\nname = \"{bad}\"\n{}", good());
            let (line, msg) = refuse(&text);
            assert_eq!(line, Some(2), "{bad}: {msg}");
            assert!(msg.starts_with("centre.name: must not hold control, direction-changing"), "{bad}: {msg}");
        }
    }

    #[test]
    fn a_centre_name_longer_than_a_board_line_is_refused_and_a_good_one_is_composed() {
        // Proves the 12,000-character name is refused (the cap of the other names, 120) and
        // that a decomposed name is stored in NFC.
        let text = format!("[centre]\nname = \"{}\"\n{}", "Đ".repeat(12_000), good());
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(2));
        assert!(msg.contains("1 to 120 characters (it has 12000)"), "{msg}");
        let text = format!("[centre]\nname = \" UBND phu\u{031B}o\u{031B}\u{0300}ng \"\n{}", good());
        assert_eq!(Config::parse(&text).unwrap().centre.name, "UBND phường");
    }

    #[test]
    fn a_bad_centre_name_in_a_file_names_the_file_and_line() {
        // Proves the operator is pointed at the place to fix.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(&path, format!("[centre]\nname = \"A\\u202EB\"\n{}", good())).unwrap();
        let msg = Config::load(&path).unwrap_err().to_string();
        assert!(msg.starts_with(&format!("{}:2: centre.name: must not hold", path.display())), "{msg}");
        assert!(msg.contains("U+202E"), "{msg}");
    }
}

#[cfg(test)]
mod demo {
    /// The shipped demo configuration must always load: the README's first command uses it.
    #[test]
    fn the_demo_configuration_loads() {
        let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo.toml"));
        let c = crate::config::Config::load(path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.services.len(), 5);
        assert!(c.services.iter().all(|s| s.hours == vec![crate::config::HourRange::ALL_DAY]));
    }
}

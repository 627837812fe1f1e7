//! The centre configurations of this crate's own unit tests, written in one place (`testkit`
//! cannot serve them: it depends on this crate, and a crate's unit tests would then see two
//! copies of it).
use crate::config::Config;

/// A service of a test centre: id, name, series letter, and further `key = value` lines.
pub type Svc<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The TOML of a centre: `head` (tables before the services), the services, counter N+1
/// ("Quầy N+1") serving `counters[N]`, then `tail`.
pub fn centre(head: &str, services: &[Svc], counters: &[&[&str]], tail: &str) -> String {
    let mut out = String::new();
    let mut line = |l: &str| {
        if !l.is_empty() {
            out.push_str(l.trim_end_matches('\n'));
            out.push('\n');
        }
    };
    line(head);
    for (id, name, letter, extra) in services {
        line(&format!("[[services]]\nid = \"{id}\"\nname = \"{name}\"\nletter = \"{letter}\""));
        line(extra);
    }
    for (i, served) in counters.iter().enumerate() {
        let list: Vec<String> = served.iter().map(|s| format!("\"{s}\"")).collect();
        let n = i + 1;
        line(&format!("[[counters]]\nid = \"{n}\"\nname = \"Quầy {n}\"\nnumber = {n}\nservices = [{}]", list.join(", ")));
    }
    line(tail);
    out
}

/// `centre` parsed; a refusal fails the test with its line.
pub fn config(head: &str, services: &[Svc], counters: &[&[&str]]) -> Config {
    let text = centre(head, services, counters, "");
    Config::parse(&text).unwrap_or_else(|(l, e)| panic!("line {l:?}: {e}\n{text}"))
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} is not in\n{text}")) + 1
}

//! A builder of centre configurations: every test and bench that needs a `Config` (or its TOML
//! file) says what its centre has, and only this file knows how that is written in TOML.
//!
//! `centre()` starts empty; `.service(..)`, `.counter(..)`, `.token(..)`... add to it; `.text()`
//! gives the TOML, `.config()` the parsed `shared::config::Config`, `.write(dir)` the file.
use shared::config::Config;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// An empty centre: add at least one service and one counter.
pub fn centre() -> Centre {
    Centre::default()
}

/// A `[[services]]` entry: an id, a name, a series letter, and any further `key = value` lines.
#[derive(Debug, Clone)]
pub struct Service {
    lines: Vec<String>,
}

/// A service with `id`, `name` and series `letter`, open all day, every day.
pub fn service(id: &str, name: &str, letter: &str) -> Service {
    Service { lines: vec![format!("id = {}", q(id)), format!("name = {}", q(name)), format!("letter = {}", q(letter))] }
}

impl Service {
    pub fn name_en(self, name: &str) -> Service {
        self.set("name_en", &q(name))
    }
    pub fn priorities(self, ids: &[&str]) -> Service {
        self.set("priorities", &list(ids))
    }
    pub fn daily_cap(self, n: u32) -> Service {
        self.set("daily_cap", &n.to_string())
    }
    pub fn hours(self, ranges: &[&str]) -> Service {
        self.set("hours", &list(ranges))
    }
    pub fn days(self, days: &[&str]) -> Service {
        self.set("days", &list(days))
    }
    /// Any other key, its value already in TOML (`"text"`, `3`, `["a"]`).
    pub fn set(mut self, key: &str, toml_value: &str) -> Service {
        self.lines.push(format!("{key} = {toml_value}"));
        self
    }
}

/// One TOML table (`[name]`) as `key = value` lines, in the order they were set.
#[derive(Debug, Clone, Default)]
struct Table(Vec<String>);

impl Table {
    fn set(&mut self, key: &str, toml_value: &str) {
        self.0.retain(|l| !l.starts_with(&format!("{key} = ")));
        self.0.push(format!("{key} = {toml_value}"));
    }
}

#[derive(Debug, Clone, Default)]
pub struct Centre {
    centre: Table,
    store: Table,
    server: Table,
    queue: Table,
    console: Table,
    catalogue: Table,
    printer: Table,
    device: Table,
    kiosk: Table,
    priorities: Vec<Table>,
    services: Vec<Service>,
    counters: Vec<Table>,
    tokens: Vec<Table>,
    tail: String,
}

impl Centre {
    /// `[centre] name`.
    pub fn name(mut self, name: &str) -> Centre {
        self.centre.set("name", &q(name));
        self
    }
    pub fn utc_offset(mut self, offset: &str) -> Centre {
        self.centre.set("utc_offset", &q(offset));
        self
    }
    /// `[store] path`: the SQLite file.
    pub fn store(mut self, db: &Path) -> Centre {
        self.store.set("path", &q(&db.display().to_string()));
        self
    }
    /// `[store] max_kib`: the store's size cap; a test fills it to see what a full disk does.
    pub fn store_max_kib(mut self, kib: u32) -> Centre {
        self.store.set("max_kib", &kib.to_string());
        self
    }
    /// `[server] listen`, e.g. "127.0.0.1:0" for a child process on a free port.
    pub fn listen(mut self, address: &str) -> Centre {
        self.server.set("listen", &q(address));
        self
    }
    /// Any other `[server]` key, its value already in TOML.
    pub fn server(mut self, key: &str, toml_value: &str) -> Centre {
        self.server.set(key, toml_value);
        self
    }
    /// HTTPS with a centre CA made in `dir` (`ca.pem`, `server.pem`, `server.key`) for
    /// `localhost` and 127.0.0.1, as `kiosk tls init` makes them.
    pub fn tls(self, dir: &Path) -> Centre {
        self.tls_for(dir, &[])
    }
    /// `tls` for a server also reached at `ips` (127.0.0.1 and ::1 are always in).
    pub fn tls_for(self, dir: &Path, ips: &[std::net::IpAddr]) -> Centre {
        authority::serve::init::init(dir, "localhost", ips).expect("make the centre's certificates");
        self.server("tls_cert", &q(&dir.join("server.pem").display().to_string()))
            .server("tls_key", &q(&dir.join("server.key").display().to_string()))
    }
    pub fn max_body_bytes(mut self, n: usize) -> Centre {
        self.server.set("max_body_bytes", &n.to_string());
        self
    }
    /// A `[queue]` rule, its value in TOML (`priority_ratio`, `"03:00"`...).
    pub fn queue(mut self, key: &str, toml_value: &str) -> Centre {
        self.queue.set(key, toml_value);
        self
    }
    /// A `[console]` setting, its value in TOML.
    pub fn console(mut self, key: &str, toml_value: &str) -> Centre {
        self.console.set(key, toml_value);
        self
    }
    /// Argon2 at its lowest cost for the console's passwords: a test signs in in microseconds
    /// instead of a tenth of a second. The production cost is proven in `authority`'s tests.
    pub fn cheap_passwords(self) -> Centre {
        self.console("hash_memory_kib", "8").console("hash_passes", "1")
    }
    /// `[catalogue] procedures`: the procedure catalogue file.
    pub fn catalogue(mut self, procedures: &Path) -> Centre {
        self.catalogue.set("procedures", &q(&procedures.display().to_string()));
        self
    }
    /// `[catalogue] fields`: the list of fields (lĩnh vực).
    pub fn catalogue_fields(mut self, fields: &Path) -> Centre {
        self.catalogue.set("fields", &q(&fields.display().to_string()));
        self
    }
    /// `[catalogue] synonyms`: the centre's own table for search (the console saves it there).
    pub fn catalogue_synonyms(mut self, synonyms: &Path) -> Centre {
        self.catalogue.set("synonyms", &q(&synonyms.display().to_string()));
        self
    }
    /// A `[printer]` setting, its value in TOML.
    pub fn printer(mut self, key: &str, toml_value: &str) -> Centre {
        self.printer.set(key, toml_value);
        self
    }
    /// `[printer.device]`: the simulator writing its tickets into `dir`.
    pub fn simulated_printer(self, dir: &Path) -> Centre {
        self.printer_device("simulator", "dir", &dir.display().to_string())
    }
    /// `[printer.device]` of `kind` with its one place (`dir`, `path` or `address`).
    pub fn printer_device(mut self, kind: &str, key: &str, value: &str) -> Centre {
        self.device = Table::default();
        self.device.set("kind", &q(kind));
        self.device.set(key, &q(value));
        self
    }
    /// A `[kiosk]` setting, its value in TOML.
    pub fn kiosk(mut self, key: &str, toml_value: &str) -> Centre {
        self.kiosk.set(key, toml_value);
        self
    }
    /// A `[[priority]]` class.
    pub fn priority(mut self, id: &str, name: &str, name_en: Option<&str>) -> Centre {
        let mut t = Table::default();
        t.set("id", &q(id));
        t.set("name", &q(name));
        if let Some(en) = name_en {
            t.set("name_en", &q(en));
        }
        self.priorities.push(t);
        self
    }
    pub fn service(mut self, s: Service) -> Centre {
        self.services.push(s);
        self
    }
    /// Counter `id` ("Quầy {id}", number `id`) serving `services`.
    pub fn counter(mut self, id: u32, services: &[&str]) -> Centre {
        let mut t = Table::default();
        t.set("id", &q(&id.to_string()));
        t.set("name", &q(&format!("Quầy {id}")));
        t.set("number", &id.to_string());
        t.set("services", &list(services));
        self.counters.push(t);
        self
    }
    /// A bearer token; `counters` limits a counter token (empty: all counters).
    pub fn token(mut self, name: &str, role: &str, token: &str, counters: &[&str]) -> Centre {
        let mut t = Table::default();
        t.set("name", &q(name));
        t.set("role", &q(role));
        t.set("token", &q(token));
        if !counters.is_empty() {
            t.set("counters", &list(counters));
        }
        self.tokens.push(t);
        self
    }
    /// Raw TOML after everything else: for a test of what the builder does not know (or of a
    /// mistake the configuration must refuse).
    pub fn raw(mut self, toml: &str) -> Centre {
        self.tail.push_str(toml);
        self.tail.push('\n');
        self
    }

    /// The TOML file's text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let tables = [
            ("centre", &self.centre),
            ("store", &self.store),
            ("server", &self.server),
            ("queue", &self.queue),
            ("console", &self.console),
            ("catalogue", &self.catalogue),
            ("kiosk", &self.kiosk),
            ("printer", &self.printer),
            ("printer.device", &self.device),
        ];
        for (name, t) in tables {
            table(&mut out, &format!("[{name}]"), &t.0);
        }
        for t in &self.priorities {
            table(&mut out, "[[priority]]", &t.0);
        }
        for s in &self.services {
            table(&mut out, "[[services]]", &s.lines);
        }
        for t in &self.counters {
            table(&mut out, "[[counters]]", &t.0);
        }
        for t in &self.tokens {
            table(&mut out, "[[auth.tokens]]", &t.0);
        }
        out.push_str(&self.tail);
        out
    }

    /// The parsed configuration; a centre the configuration refuses fails the test with the line.
    pub fn config(&self) -> Config {
        let text = self.text();
        Config::parse(&text).unwrap_or_else(|(line, e)| panic!("line {line:?}: {e}\n{text}"))
    }

    /// Writes `dir/kiosk.toml` and answers its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        self.write_as(&dir.join("kiosk.toml"))
    }

    /// Writes the TOML to `path`.
    pub fn write_as(&self, path: &Path) -> PathBuf {
        std::fs::write(path, self.text()).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path.to_owned()
    }
}

/// The 1-based line of the first line of `text` that contains `needle`: for tests that check a
/// refusal names the right line.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} is not in\n{text}")) + 1
}

fn table(out: &mut String, header: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{header}");
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[&str]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

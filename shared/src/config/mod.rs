//! Configuration: one TOML file, refused whole at start when a key is unknown or a value is bad.
//!
//! - `mod.rs`: the types, with serde defaults (every table but `[[services]]`, `[[counters]]` and
//!   `[[auth.tokens]]` may be left out).
//! - `load.rs`: reading the file, turning serde and validation failures into `file:line: reason`.
//! - `problem.rs`: a refusal's path, rule and line (a leaf: the display's configuration uses it too).
//! - `check.rs`: the rules serde cannot express (references between tables, unique letters...).
//! - `console.rs`: `[console]`, the staff console's sign-in rules.
//! - `settings.rs`: the part the administrator edits live from the console, as JSON, checked by
//!   the same rules as the file.
//! - `uplink.rs`: `[uplink]`, the province hub the authority pushes its events to.
//! - `clock.rs`: the local-time values (`HH:MM`, `+07:00`, opening hours) parsed once here so that
//!   the domain never sees a string it might fail on.
mod check;
mod clock;
mod console;
mod kiosk;
mod load;
mod printer;
pub mod problem;
mod settings;
mod uplink;

pub use clock::{HourRange, LocalTime, UtcOffset};
pub use console::ConsoleConfig;
pub use kiosk::{
    authority_url_problem, pin_hash_problem, Contrast, DossierConfig, Handles, IdCardConfig, KioskConfig, Language, ScreenSize, TextSize,
    VoiceConfig,
};
pub use load::{ConfigError, ConfigErrorKind};
pub use printer::{PrinterConfig, PrinterDevice, PrinterProfile, PrinterText, SerialFlow};
pub use settings::{Settings, SettingsError, SettingsProblem};
pub use uplink::{hub_url_problem, UplinkConfig, MAX_UPLINK_BATCH};

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub centre: Centre,
    #[serde(default)]
    pub server: Server,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub queue: QueueRules,
    #[serde(default)]
    pub priority: Vec<PriorityClass>,
    /// Required, but for a kiosk that joins an authority elsewhere (`[kiosk] authority`).
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub counters: Vec<Counter>,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub printer: PrinterConfig,
    #[serde(default)]
    pub catalogue: CatalogueConfig,
    #[serde(default)]
    pub console: ConsoleConfig,
    #[serde(default)]
    pub kiosk: KioskConfig,
    /// The province hub this centre reports to; none: the centre works alone.
    #[serde(default)]
    pub uplink: Option<UplinkConfig>,
    /// Whether the file has a `[printer]` table: a kiosk without one is a lookup screen
    /// (procedures and dossiers, no numbers). Set by `Config::parse`.
    #[serde(skip)]
    pub has_printer: bool,
}

/// `[catalogue]`: the procedures the kiosk and `GET /api/v1/procedures` search.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueConfig {
    /// JSON lines or a JSON array in the national exchange format; relative to this file.
    #[serde(default)]
    pub procedures: Option<PathBuf>,
    /// The fields (lĩnh vực) list, JSON lines `{"id", "name"}`.
    #[serde(default)]
    pub fields: Option<PathBuf>,
    /// The centre's own everyday words for search, `everyday<TAB>official` per line, added to
    /// the shipped table (`assets/catalogue/synonyms.tsv`).
    #[serde(default)]
    pub synonyms: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Centre {
    #[serde(default = "default_centre_name")]
    pub name: String,
    /// Vietnam keeps one offset all year (no daylight saving), so a fixed offset is exact and
    /// avoids reading the system time-zone database, which a kiosk image may not carry.
    #[serde(default)]
    pub utc_offset: UtcOffset,
}

impl Default for Centre {
    fn default() -> Self {
        Centre { name: default_centre_name(), utc_offset: UtcOffset::default() }
    }
}

fn default_centre_name() -> String {
    "Bộ phận Một cửa".to_owned()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Request bodies are a few hundred bytes; anything bigger is refused before it is read.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// The server's certificate chain (PEM, made by `kiosk tls init`): with `tls_key`, the
    /// authority serves HTTPS. Without them it serves plain HTTP, on a loopback address only.
    #[serde(default)]
    pub tls_cert: Option<PathBuf>,
    #[serde(default)]
    pub tls_key: Option<PathBuf>,
    /// A request's head must arrive within this many seconds of the connection (or of the
    /// previous answer): a half-sent request does not hold a socket for ever.
    #[serde(default = "default_header_timeout")]
    pub header_timeout_s: u32,
    /// Open connections at most, all clients together (capped further by the open-file limit);
    /// the kiosk's own processes (127.0.0.1, ::1) are not counted, only held to their share.
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// Open connections at most from one address: one device (or one attacker) cannot take
    /// them all. A kiosk uses a handful, a console page a few more.
    #[serde(default = "default_max_connections_per_address")]
    pub max_connections_per_address: u32,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            listen: default_listen(),
            max_body_bytes: default_max_body(),
            tls_cert: None,
            tls_key: None,
            header_timeout_s: default_header_timeout(),
            max_connections: default_max_connections(),
            max_connections_per_address: default_max_connections_per_address(),
        }
    }
}

impl Server {
    /// Whether the authority speaks TLS.
    pub fn tls(&self) -> bool {
        self.tls_cert.is_some() && self.tls_key.is_some()
    }

    /// Why `listen` may not be served as configured: plain HTTP beyond loopback would carry
    /// staff passwords and device tokens across the LAN in clear.
    pub fn refuse_listen(&self, listen: SocketAddr) -> Option<String> {
        (!self.tls() && !listen.ip().is_loopback()).then(|| {
            format!(
                "{listen} is not a loopback address, and plain HTTP on the LAN would carry passwords and tokens in clear: \
                 set [server] tls_cert and tls_key (made by `kiosk tls init`), or listen on 127.0.0.1"
            )
        })
    }
}

fn default_header_timeout() -> u32 {
    10
}
fn default_max_connections() -> u32 {
    1024
}
fn default_max_connections_per_address() -> u32 {
    32
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_max_body() -> usize {
    16 * 1024
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Relative paths are taken from the configuration file's folder.
    #[serde(default = "default_db")]
    pub path: PathBuf,
    /// Events older than this are pruned at the day's rollover; tickets of those days stay
    /// countable in reports only while their events are kept.
    #[serde(default = "default_keep_days")]
    pub keep_days: u32,
    /// The largest the store may grow, in KiB (none: as far as the disk allows). On a card
    /// shared with the system's logs, a cap keeps the queue from filling it.
    #[serde(default)]
    pub max_kib: Option<u32>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { path: default_db(), keep_days: default_keep_days(), max_kib: None }
    }
}

fn default_db() -> PathBuf {
    PathBuf::from("queue.db")
}
fn default_keep_days() -> u32 {
    400
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueueRules {
    /// Local time at which every series restarts at its first number.
    #[serde(default)]
    pub rollover: LocalTime,
    /// At most this many priority tickets are called in a row at a counter while normal
    /// tickets wait; then one normal ticket is called.
    #[serde(default = "default_ratio")]
    pub priority_ratio: u32,
    /// A normal ticket that has waited this long is called before any priority ticket, so that
    /// nobody waits forever behind a stream of priority tickets.
    #[serde(default = "default_max_wait")]
    pub max_wait_min: u32,
    /// How long a ticket marked no-show can still be brought back.
    #[serde(default = "default_grace")]
    pub no_show_grace_min: u32,
    /// Digits after the series letter: 3 gives A001..A999, then A1000 and on.
    #[serde(default = "default_digits")]
    pub number_digits: u8,
    /// How long after a visit ends the counter's rating device still takes its rating.
    #[serde(default = "default_rating_window")]
    pub rating_window_min: u32,
    /// A number booked on the province hub checks in at the kiosk from this long before its
    /// window opens…
    #[serde(default = "default_booking_early")]
    pub booking_early_min: u32,
    /// …until this long after the window closes.
    #[serde(default = "default_booking_late")]
    pub booking_late_min: u32,
    /// Where a booked number ranks in the queue.
    #[serde(default)]
    pub booked_rank: BookedRank,
}

/// Where a booked number ranks among the walk-ins (`[queue] booked_rank`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookedRank {
    /// As if issued when its window opens: a window's bookings enter the queue together at its
    /// opening, after the walk-ins who came before it and before those who come after.
    #[default]
    Window,
    /// As a walk-in, by the time it checks in.
    CheckIn,
}

fn default_booking_early() -> u32 {
    30
}
fn default_booking_late() -> u32 {
    15
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules {
            rollover: LocalTime::default(),
            priority_ratio: default_ratio(),
            max_wait_min: default_max_wait(),
            no_show_grace_min: default_grace(),
            number_digits: default_digits(),
            rating_window_min: default_rating_window(),
            booking_early_min: default_booking_early(),
            booking_late_min: default_booking_late(),
            booked_rank: BookedRank::default(),
        }
    }
}

fn default_rating_window() -> u32 {
    10
}

fn default_ratio() -> u32 {
    2
}
fn default_max_wait() -> u32 {
    45
}
fn default_grace() -> u32 {
    15
}
fn default_digits() -> u8 {
    3
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriorityClass {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// The series letter of the ticket numbers, one of A–Z, unique in the centre.
    pub letter: String,
    /// The first number of the day.
    #[serde(default = "default_start")]
    pub start: u32,
    /// Tickets per day; none means no cap.
    #[serde(default)]
    pub daily_cap: Option<u32>,
    /// Local opening hours, e.g. ["07:30-11:30", "13:30-17:00"].
    #[serde(default = "all_day")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["07:30-11:30", "13:30-17:00"])))]
    pub hours: Vec<HourRange>,
    /// Weekdays open, "mon".."sun".
    #[serde(default = "all_week")]
    pub days: Vec<Weekday>,
    /// Priority classes a citizen may choose for this service.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// The first guess at one visit's length, until real visits have been timed.
    #[serde(default = "default_service_time")]
    pub service_time_s: u32,
    /// How the kiosk groups services on screen (e.g. a field or a counter group).
    #[serde(default)]
    pub group: Option<String>,
}

fn default_start() -> u32 {
    1
}
fn all_day() -> Vec<HourRange> {
    vec![HourRange::ALL_DAY]
}
fn all_week() -> Vec<Weekday> {
    use Weekday::*;
    vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun]
}
fn default_service_time() -> u32 {
    300
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub fn of(day: chrono::Weekday) -> Weekday {
        use chrono::Weekday as W;
        match day {
            W::Mon => Weekday::Mon,
            W::Tue => Weekday::Tue,
            W::Wed => Weekday::Wed,
            W::Thu => Weekday::Thu,
            W::Fri => Weekday::Fri,
            W::Sat => Weekday::Sat,
            W::Sun => Weekday::Sun,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Counter {
    pub id: String,
    pub name: String,
    /// The number shown on the counter and spoken in calls ("quầy số 3").
    pub number: u32,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    #[serde(default)]
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub name: String,
    pub role: Role,
    pub token: String,
    /// For a counter token: the counters it may operate; empty means all.
    #[serde(default)]
    pub counters: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Kiosk,
    Display,
    Counter,
    Admin,
}

impl Config {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
    pub fn counter(&self, id: &str) -> Option<&Counter> {
        self.counters.iter().find(|c| c.id == id)
    }
    pub fn priority_class(&self, id: &str) -> Option<&PriorityClass> {
        self.priority.iter().find(|p| p.id == id)
    }
}

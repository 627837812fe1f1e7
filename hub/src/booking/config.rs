//! `[booking]` of the hub's configuration: what citizens may book, where and when.
//!
//! ```toml
//! [booking]
//! days = 7            # today and the next 6
//! per_person = 2      # numbers one phone may book for one day
//! codes_per_minute = 30  # codes texted a minute, all phones together
//!
//! [[booking.services]]
//! centre = "dai-tu"
//! service = "civil"   # the centre's own service id
//! name = "Hộ tịch"
//! windows = ["08:00-09:00", "09:00-10:00", "14:00-15:00"]
//! capacity = 4        # bookings per window
//! ```
use serde::Deserialize;
use shared::config::problem::{Problem, Seg};
use shared::config::{HourRange, Weekday};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    #[serde(default = "default_days")]
    pub days: u32,
    #[serde(default = "default_per_person")]
    pub per_person: u32,
    /// Codes the hub texts a minute, all phones together: the province's SMS budget, and a cap
    /// on anyone making the gateway text many numbers.
    #[serde(default = "default_codes_per_minute")]
    pub codes_per_minute: u32,
    #[serde(default)]
    pub services: Vec<Bookable>,
}

/// A service of a centre that may be booked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bookable {
    pub centre: String,
    pub service: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub windows: Vec<HourRange>,
    pub capacity: u32,
    /// Weekdays booked, "mon".."sun": Monday to Friday unless said.
    #[serde(default = "weekdays")]
    pub weekdays: Vec<Weekday>,
}

fn default_days() -> u32 {
    7
}
fn default_per_person() -> u32 {
    2
}
fn default_codes_per_minute() -> u32 {
    30
}
fn weekdays() -> Vec<Weekday> {
    use Weekday::*;
    vec![Mon, Tue, Wed, Thu, Fri]
}

impl Booking {
    pub fn bookable(&self, centre: &str, service: &str) -> Option<&Bookable> {
        self.services.iter().find(|b| b.centre == centre && b.service == service)
    }

    /// What is wrong with it, given the centres the hub knows.
    pub fn problems(&self, centres: &[&str], out: &mut Vec<Problem>) {
        if !(1..=31).contains(&self.days) {
            out.push(Problem::new(vec![Seg::Key("booking"), Seg::Key("days")], "between 1 and 31"));
        }
        if !(1..=10_000).contains(&self.codes_per_minute) {
            out.push(Problem::new(vec![Seg::Key("booking"), Seg::Key("codes_per_minute")], "between 1 and 10000"));
        }
        if !(1..=10).contains(&self.per_person) {
            out.push(Problem::new(vec![Seg::Key("booking"), Seg::Key("per_person")], "between 1 and 10"));
        }
        for (i, b) in self.services.iter().enumerate() {
            let at = |k| vec![Seg::Key("booking"), Seg::Key("services"), Seg::Index(i), Seg::Key(k)];
            if !centres.contains(&b.centre.as_str()) {
                out.push(Problem::new(at("centre"), format!("{:?} is not one of [[centres]]", b.centre)));
            }
            if self.services[..i].iter().any(|o| o.centre == b.centre && o.service == b.service) {
                out.push(Problem::new(at("service"), format!("{} at {} is listed twice", b.service, b.centre)));
            }
            if b.windows.is_empty() {
                out.push(Problem::new(at("windows"), "at least one window"));
            }
            let mut sorted = b.windows.clone();
            sorted.sort_by_key(|w| w.start);
            if sorted.windows(2).any(|w| w[0].end > w[1].start) {
                out.push(Problem::new(at("windows"), "windows overlap"));
            }
            if !(1..=1000).contains(&b.capacity) {
                out.push(Problem::new(at("capacity"), "between 1 and 1000"));
            }
        }
    }
}

//! Reports: tickets issued, served, no-shows, waiting and service times (mean, median, 90th
//! percentile) and ratings, per day and per range, by service, counter, staff member or day.
//!
//! - `facts.rs`: a day's events → one `Visit` per ticket.
//! - `mod.rs`: visits → rows grouped by one key, and the total.
//! - `dossiers.rs`: satisfaction per dossier, as the province counts it, rolled up per
//!   officer, unit (receiving agency) and quarter.
//! - `csv.rs`: a report as CSV for spreadsheets.
//!
//! Pure: the authority reads the events a day at a time; this folds them. The same numbers are
//! computed independently by the console's end-to-end test.
mod csv;
pub mod dossiers;
mod facts;

pub use csv::{dossiers_to_csv, to_csv};
pub use facts::{evaluations, visits, Evaluated, Finish, Linked, Visit};

use crate::event::Rating;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The longest range one report covers.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Service,
    Counter,
    Staff,
    Day,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s {
            "service" => Some(GroupBy::Service),
            "counter" => Some(GroupBy::Counter),
            "staff" => Some(GroupBy::Staff),
            "day" => Some(GroupBy::Day),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Service => "service",
            GroupBy::Counter => "counter",
            GroupBy::Staff => "staff",
            GroupBy::Day => "day",
        }
    }
}

/// Mean, median and 90th percentile (nearest rank) of a set of durations, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub count: u32,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
}

impl Stats {
    pub fn of(values: &[u32]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_unstable();
        let n = v.len();
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n as f64;
        let median = if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0 };
        // Nearest rank: the smallest value with at least 90% of the values at or below it.
        let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n);
        Some(Stats { count: n as u32, mean: (mean * 10.0).round() / 10.0, median, p90: v[rank - 1] as f64 })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ratings {
    pub very_satisfied: u32,
    pub satisfied: u32,
    pub unsatisfied: u32,
}

impl Ratings {
    fn add(&mut self, r: Rating) {
        match r {
            Rating::VerySatisfied => self.very_satisfied += 1,
            Rating::Satisfied => self.satisfied += 1,
            Rating::Unsatisfied => self.unsatisfied += 1,
        }
    }
    pub fn total(&self) -> u32 {
        self.very_satisfied + self.satisfied + self.unsatisfied
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub key: String,
    pub name: String,
    /// Tickets taken (by service and by day; a counter or a person issues none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<u32>,
    pub served: u32,
    pub no_show: u32,
    /// Sent on to another service or counter.
    pub transferred: u32,
    /// From taking the number to the first call.
    pub wait_s: Option<Stats>,
    /// From the first call to the end of the visit.
    pub service_s: Option<Stats>,
    pub ratings: Ratings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: GroupBy,
    pub rows: Vec<Row>,
    pub total: Row,
}

#[derive(Default)]
struct Acc {
    issued: u32,
    served: u32,
    no_show: u32,
    transferred: u32,
    waits: Vec<u32>,
    services: Vec<u32>,
    ratings: Ratings,
}

impl Acc {
    fn row(self, key: String, name: String, issued: bool) -> Row {
        Row {
            key,
            name,
            issued: issued.then_some(self.issued),
            served: self.served,
            no_show: self.no_show,
            transferred: self.transferred,
            wait_s: Stats::of(&self.waits),
            service_s: Stats::of(&self.services),
            ratings: self.ratings,
        }
    }
}

/// The key a staff member's figures are filed under when nobody was signed in at the counter.
pub const NO_STAFF: &str = "-";

/// Folds visits into rows by `by`. `names` turns keys into the names people read (services,
/// counters, staff); a key without a name (a service removed since) shows its key.
pub fn report(visits: &[Visit], by: GroupBy, names: &HashMap<String, String>, from: NaiveDate, to: NaiveDate) -> Report {
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    let staff_key = |s: &Option<String>| s.clone().unwrap_or_else(|| NO_STAFF.to_owned());
    for v in visits {
        // Which group each fact of the visit falls in, for this grouping.
        let (issued_in, wait_in, end_in) = match by {
            GroupBy::Service => (Some(v.issued_service.clone()), Some(v.issued_service.clone()), Some(v.service.clone())),
            GroupBy::Day => {
                let d = v.day.to_string();
                (Some(d.clone()), Some(d.clone()), Some(d))
            }
            GroupBy::Counter => {
                (None, v.first_counter.clone(), v.finished.as_ref().map(|f| f.counter.clone()).or_else(|| v.first_counter.clone()))
            }
            GroupBy::Staff => (
                None,
                v.first_counter.as_ref().map(|_| staff_key(&v.first_staff)),
                match &v.finished {
                    Some(f) => Some(staff_key(&f.staff)),
                    None => v.first_counter.as_ref().map(|_| staff_key(&v.first_staff)),
                },
            ),
        };
        fold(&mut total, v, true, true, true);
        if let Some(k) = issued_in {
            groups.entry(k).or_default().issued += 1;
        }
        if let Some(k) = wait_in {
            if let Some(w) = v.wait_s() {
                groups.entry(k.clone()).or_default().waits.push(w);
            }
            if v.transfers > 0 {
                groups.entry(k).or_default().transferred += v.transfers;
            }
        }
        if let Some(k) = end_in {
            fold(groups.entry(k).or_default(), v, false, false, true);
        }
    }
    let issued = matches!(by, GroupBy::Service | GroupBy::Day);
    let name_of = |k: &str| match (by, k) {
        (GroupBy::Staff, NO_STAFF) => "(chưa đăng nhập / not signed in)".to_owned(),
        _ => names.get(k).cloned().unwrap_or_else(|| k.to_owned()),
    };
    Report {
        from,
        to,
        by,
        rows: groups.into_iter().map(|(k, a)| a.row(k.clone(), name_of(&k), issued)).collect(),
        total: total.row("total".into(), "Tổng cộng / Total".into(), true),
    }
}

/// Adds a visit's outcome (served, no-show, service time, rating) to `a`; the total also takes
/// its issue, wait and transfers.
fn fold(a: &mut Acc, v: &Visit, issue: bool, wait: bool, end: bool) {
    if issue {
        a.issued += 1;
        a.transferred += v.transfers;
    }
    if wait {
        if let Some(w) = v.wait_s() {
            a.waits.push(w);
        }
    }
    if end {
        if let Some(f) = &v.finished {
            a.served += 1;
            a.services.push(f.service_s);
        }
        if v.no_show {
            a.no_show += 1;
        }
        if let Some(r) = v.rating {
            a.ratings.add(r);
        }
    }
}

#[cfg(test)]
mod tests;

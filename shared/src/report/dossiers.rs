//! Satisfaction as the province counts it: per dossier, not per ticket (DOMAIN.md, "Ratings
//! that count"), rolled up per officer, per unit and per quarter.
//!
//! A dossier is a receipt code: the visits linked to it (the last link of each visit counts),
//! their rating (one per dossier: a dossier whose citizen came twice counts its last rating), and
//! its nine-criteria evaluation. The unit is the receiving agency and the quarter the receipt
//! date, both read from the code itself, so a dossier falls in one unit and one quarter however
//! late it is rated or evaluated. The officer is the one who linked the visit.
use super::facts::{Evaluated, Visit};
use super::{Ratings, NO_STAFF};
use crate::dossier::evaluation::{Scores, MAX_POINTS};
use crate::event::Rating;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DossierGroup {
    Dossier,
    /// Who linked the dossier: a centre's own grouping (staff never leave the centre).
    Officer,
    Unit,
    Quarter,
    /// The centre that received it: the province's grouping.
    Centre,
}

impl DossierGroup {
    /// A centre's groupings; the province's are `PROVINCE`.
    pub const CENTRE: [DossierGroup; 4] = [DossierGroup::Dossier, DossierGroup::Officer, DossierGroup::Unit, DossierGroup::Quarter];
    pub const PROVINCE: [DossierGroup; 4] = [DossierGroup::Centre, DossierGroup::Unit, DossierGroup::Quarter, DossierGroup::Dossier];

    /// `s` among `allowed`.
    pub fn parse_among(s: &str, allowed: &[DossierGroup]) -> Option<DossierGroup> {
        allowed.iter().copied().find(|g| g.code() == s)
    }
    pub fn code(self) -> &'static str {
        match self {
            DossierGroup::Dossier => "dossier",
            DossierGroup::Officer => "officer",
            DossierGroup::Unit => "unit",
            DossierGroup::Quarter => "quarter",
            DossierGroup::Centre => "centre",
        }
    }
}

/// One dossier of the range, with what the centre knows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierRecord {
    /// The receipt code.
    pub dossier: String,
    /// The centre that holds it, in the province's report (absent in a centre's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<String>,
    /// The receiving agency: the code's first part.
    pub unit: String,
    /// The receipt date the code carries, and its quarter ("2026-Q4").
    pub received: Option<NaiveDate>,
    pub quarter: String,
    /// The visit it came from (the last one linked), when a visit in the range was linked.
    pub ticket: Option<String>,
    pub day: Option<NaiveDate>,
    pub service: Option<String>,
    pub counter: Option<String>,
    /// Who linked it (the login), `-` when nobody was signed in at the counter.
    pub officer: Option<String>,
    pub rating: Option<Rating>,
    /// The nine criteria's points, when the citizen evaluated it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<u8>>))]
    pub scores: Option<Scores>,
}

/// A group of dossiers: how many, their ratings, their evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierRow {
    pub key: String,
    pub name: String,
    pub dossiers: u32,
    /// One rating per dossier.
    pub ratings: Ratings,
    /// Very satisfied or satisfied, out of the rated dossiers, in percent (one decimal).
    pub satisfied_pct: Option<f64>,
    pub evaluated: u32,
    /// The mean of the evaluations' totals, out of `max_points` (one decimal).
    pub mean_points: Option<f64>,
    /// The mean points of each criterion, in the order of the criteria (two decimals).
    pub criteria_mean: Option<Vec<f64>>,
    pub max_points: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: DossierGroup,
    pub rows: Vec<DossierRow>,
    pub total: DossierRow,
    /// Each dossier, when grouped by dossier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dossiers: Vec<DossierRecord>,
}

/// The quarter of a day as rows are keyed: "2026-Q4".
pub fn quarter_of(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

/// The name people read for a quarter's key: "Quý 4/2026 / Q4 2026"; the key itself when it
/// names no quarter ("-", a code whose date did not read).
fn quarter_name(key: &str) -> String {
    match key.split_once("-Q") {
        Some((year, q)) => format!("Quý {q}/{year} / Q{q} {year}"),
        None => key.to_owned(),
    }
}

/// The dossiers of `visits` (linked ones) and `evaluations`, one record each, by code.
pub fn records(visits: &[Visit], evaluations: &[Evaluated]) -> Vec<DossierRecord> {
    let mut out: BTreeMap<String, DossierRecord> = BTreeMap::new();
    let mut ordered: Vec<&Visit> = visits.iter().filter(|v| v.dossier.is_some()).collect();
    ordered.sort_by_key(|v| (v.day, v.issued_at, v.ticket));
    for v in ordered {
        let link = v.dossier.as_ref().expect("filtered");
        let r = out.entry(link.code.clone()).or_insert_with(|| blank(&link.code));
        r.ticket = Some(v.number.clone());
        r.day = Some(v.day);
        r.service = Some(v.service.clone());
        r.counter = Some(link.counter.clone());
        r.officer = Some(link.staff.clone().unwrap_or_else(|| NO_STAFF.to_owned()));
        // The last rating counts; a later visit not rated leaves the earlier one's.
        r.rating = v.rating.or(r.rating);
    }
    for e in evaluations {
        let r = out.entry(e.dossier.clone()).or_insert_with(|| blank(&e.dossier));
        // The engine takes one per dossier; a log restored over another keeps the first.
        r.scores.get_or_insert(e.scores);
    }
    out.into_values().collect()
}

fn blank(code: &str) -> DossierRecord {
    let parsed = crate::dossier::ReceiptCode::parse(code).ok();
    let received = parsed.map(|c| c.received);
    // The agency is what comes before the date and the sequence.
    let unit = code.rsplitn(3, '-').nth(2).unwrap_or(code).to_owned();
    DossierRecord {
        dossier: code.to_owned(),
        centre: None,
        unit,
        received,
        quarter: received.map(quarter_of).unwrap_or_else(|| "-".into()),
        ticket: None,
        day: None,
        service: None,
        counter: None,
        officer: None,
        rating: None,
        scores: None,
    }
}

#[derive(Default)]
struct Acc {
    dossiers: u32,
    ratings: Ratings,
    points: Vec<u8>,
    criteria: [u32; 9],
}

impl Acc {
    fn add(&mut self, r: &DossierRecord) {
        self.dossiers += 1;
        if let Some(rating) = r.rating {
            self.ratings.add(rating);
        }
        if let Some(s) = &r.scores {
            self.points.push(s.points());
            for (sum, p) in self.criteria.iter_mut().zip(s.each()) {
                *sum += *p as u32;
            }
        }
    }

    fn row(self, key: String, name: String) -> DossierRow {
        let rated = self.ratings.total();
        let n = self.points.len();
        let round = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
        DossierRow {
            key,
            name,
            dossiers: self.dossiers,
            satisfied_pct: (rated > 0)
                .then(|| round(100.0 * (self.ratings.very_satisfied + self.ratings.satisfied) as f64 / rated as f64, 1)),
            ratings: self.ratings,
            evaluated: n as u32,
            mean_points: (n > 0).then(|| round(self.points.iter().map(|&p| p as f64).sum::<f64>() / n as f64, 1)),
            criteria_mean: (n > 0).then(|| self.criteria.iter().map(|&c| round(c as f64 / n as f64, 2)).collect()),
            max_points: MAX_POINTS,
        }
    }
}

/// Rolls the records up by `by`; `names` turns officers' logins (or centres' ids) into names.
pub fn report(
    records: Vec<DossierRecord>,
    by: DossierGroup,
    names: &HashMap<String, String>,
    from: NaiveDate,
    to: NaiveDate,
) -> DossierReport {
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    for r in &records {
        let key = match by {
            DossierGroup::Dossier => r.dossier.clone(),
            DossierGroup::Officer => r.officer.clone().unwrap_or_else(|| NO_STAFF.to_owned()),
            DossierGroup::Unit => r.unit.clone(),
            DossierGroup::Quarter => r.quarter.clone(),
            DossierGroup::Centre => r.centre.clone().unwrap_or_else(|| "-".to_owned()),
        };
        groups.entry(key).or_default().add(r);
        total.add(r);
    }
    let name_of = |k: &str| match by {
        DossierGroup::Officer if k == NO_STAFF => "(không rõ cán bộ / no officer known)".to_owned(),
        DossierGroup::Officer | DossierGroup::Centre => names.get(k).cloned().unwrap_or_else(|| k.to_owned()),
        DossierGroup::Quarter => quarter_name(k),
        DossierGroup::Dossier | DossierGroup::Unit => k.to_owned(),
    };
    DossierReport {
        from,
        to,
        by,
        rows: groups.into_iter().map(|(k, a)| a.row(k.clone(), name_of(&k))).collect(),
        total: total.row("total".into(), "Tổng cộng / Total".into()),
        dossiers: if by == DossierGroup::Dossier { records } else { Vec::new() },
    }
}

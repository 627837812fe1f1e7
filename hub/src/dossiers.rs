//! Satisfaction per dossier across the province (DOMAIN.md, "Ratings that count"): each
//! centre's dossiers made by the same code the centre's own report uses
//! (`shared::report::dossiers::records`, from the stored visits with their links and the stored
//! evaluations), then rolled up per centre, receiving unit, quarter, or listed one by one. Staff
//! never leave a centre, so the province has no per-officer rollup: that is the centre's report.
use crate::db::DbError;
use crate::figures::CentreRow;
use crate::ingest::Visits;
use chrono::NaiveDate;
use deadpool_postgres::Pool;
use shared::dossier::evaluation::Scores;
use shared::report::dossiers::{self, DossierGroup, DossierRecord, DossierReport, DossierRow};
use shared::report::Evaluated;
use std::collections::{BTreeMap, HashMap};

/// The evaluations given over `from..=to` (service days), by centre id.
pub async fn load_evaluations(pool: &Pool, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<String, Vec<Evaluated>>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query("SELECT centre, dossier, day, at, scores FROM evaluations WHERE day BETWEEN $1 AND $2 ORDER BY centre, at", &[&from, &to])
        .await?;
    let mut out: BTreeMap<String, Vec<Evaluated>> = BTreeMap::new();
    for r in rows {
        let points: Vec<i16> = r.get(4);
        let points: Vec<u8> = points.iter().map(|&p| u8::try_from(p).unwrap_or(u8::MAX)).collect();
        let scores = Scores::new(&points).map_err(|e| DbError::Corrupt(format!("evaluation of {}: {e}", r.get::<_, String>(1))))?;
        out.entry(r.get(0)).or_default().push(Evaluated { day: r.get(2), at: r.get(3), dossier: r.get(1), scores });
    }
    Ok(out)
}

/// Every centre's dossiers over the range, each marked with its centre.
pub fn records(centres: &[CentreRow], visits: &Visits, evaluations: &BTreeMap<String, Vec<Evaluated>>) -> Vec<DossierRecord> {
    let none = Vec::new();
    centres
        .iter()
        .flat_map(|c| {
            let mut rs = dossiers::records(visits.of(&c.id), evaluations.get(&c.id).unwrap_or(&none));
            for r in &mut rs {
                r.centre = Some(c.id.clone());
            }
            rs
        })
        .collect()
}

/// The province's dossier report, grouped `by` one of `DossierGroup::PROVINCE`.
pub fn province_dossiers(
    centres: &[CentreRow],
    visits: &Visits,
    evaluations: &BTreeMap<String, Vec<Evaluated>>,
    by: DossierGroup,
    from: NaiveDate,
    to: NaiveDate,
) -> DossierReport {
    let names: HashMap<String, String> = centres.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    let mut report = dossiers::report(records(centres, visits, evaluations), by, &names, from, to);
    if by == DossierGroup::Centre {
        // Every centre has its row, a silent one too: "no dossier" is worth seeing.
        let empty = dossiers::report(Vec::new(), by, &names, from, to).total;
        for c in centres {
            if !report.rows.iter().any(|r| r.key == c.id) {
                report.rows.push(DossierRow { key: c.id.clone(), name: c.name.clone(), ..empty.clone() });
            }
        }
        report.rows.sort_by(|a, b| a.key.cmp(&b.key));
    }
    report
}

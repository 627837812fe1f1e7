//! The province report, folded from stored visits with `shared::report::report`: each
//! centre's figures are the centre's own report's total over the same days, and the province's
//! total is folded over all visits at once (its percentiles are of all tickets, not an
//! average of centres). Pure: the handler loads, this counts.
use crate::config::Province;
use crate::ingest::Visits;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use shared::event::EventId;
use shared::province::{CentreFigures, DayFigures, Figures, ProvinceReport};
use shared::report::{self, GroupBy, Report, Row, Visit};
use std::collections::HashMap;

/// A centre as the hub holds it (the `centres` table).
#[derive(Debug, Clone)]
pub struct CentreRow {
    pub id: String,
    pub name: String,
    pub acked: EventId,
    pub last_event_at: Option<DateTime<Utc>>,
    pub last_received_at: Option<DateTime<Utc>>,
}

/// Silence this long during opening time makes a centre quiet.
pub const QUIET_AFTER: Duration = Duration::hours(1);

fn totals(visits: &[Visit], from: NaiveDate, to: NaiveDate) -> Row {
    report::report(visits, GroupBy::Day, &HashMap::new(), from, to).total
}

fn figures(row: &Row, visits: &[Visit], province: &Province) -> Figures {
    let mut hours = vec![0u32; 24];
    for v in visits {
        hours[v.issued_at.with_timezone(&province.offset()).hour() as usize] += 1;
    }
    Figures {
        tickets_issued: row.issued.unwrap_or(0),
        tickets_served: row.served,
        no_shows: row.no_show,
        wait_p50_s: row.wait_s.as_ref().map(|s| s.median),
        wait_p90_s: row.wait_s.as_ref().map(|s| s.p90),
        service_p50_s: row.service_s.as_ref().map(|s| s.median),
        ratings: row.ratings.clone(),
        busiest_hours: hours,
    }
}

/// Whether a centre has been silent for an hour or more of opening time (Monday to Friday,
/// `open`..`close` local), as of `now`, by the hub's clock of when it last received anything.
pub fn quiet(last_received_at: Option<DateTime<Utc>>, now: DateTime<Utc>, province: &Province) -> bool {
    let local = now.with_timezone(&province.offset());
    if matches!(local.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    let minute = local.hour() * 60 + local.minute();
    if minute < province.open.minutes || minute >= province.close.minutes {
        return false;
    }
    // Silence counts from today's opening at the earliest: a centre is not quiet at 07:35
    // because nothing came in overnight.
    let opened = now - Duration::minutes(i64::from(minute - province.open.minutes)) - Duration::seconds(i64::from(local.second()));
    let since = last_received_at.map_or(opened, |r| r.max(opened));
    now - since >= QUIET_AFTER
}

/// The report of `from..=to` over `centres`, with `visits` by centre id.
pub fn province_report(
    centres: &[CentreRow],
    visits: &Visits,
    province: &Province,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> ProvinceReport {
    let out_centres = centres
        .iter()
        .map(|c| {
            let v = visits.of(&c.id);
            CentreFigures {
                id: c.id.clone(),
                name: c.name.clone(),
                figures: figures(&totals(v, from, to), v, province),
                acked: c.acked,
                last_received_at: c.last_received_at,
                last_event_at: c.last_event_at,
                quiet: quiet(c.last_received_at, now, province),
            }
        })
        .collect();
    let all = &visits.all;
    let by_day = report::report(all, GroupBy::Day, &HashMap::new(), from, to);
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        let key = d.to_string();
        let row = by_day.rows.iter().find(|r| r.key == key);
        days.push(DayFigures {
            day: d,
            tickets_issued: row.and_then(|r| r.issued).unwrap_or(0),
            tickets_served: row.map_or(0, |r| r.served),
            no_shows: row.map_or(0, |r| r.no_show),
        });
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    ProvinceReport { from, to, centres: out_centres, total: figures(&by_day.total, all, province), days }
}

/// The report as CSV: one row per centre and the province's total, in the centre report's
/// columns (`shared::report::to_csv`: UTF-8 with BOM, formula-defused cells).
pub fn to_csv(centres: &[CentreRow], visits: &Visits, from: NaiveDate, to: NaiveDate) -> String {
    let rows = centres.iter().map(|c| Row { key: c.id.clone(), name: c.name.clone(), ..totals(visits.of(&c.id), from, to) }).collect();
    let total = Row { name: "Toàn tỉnh / Province".into(), ..totals(&visits.all, from, to) };
    report::to_csv(&Report { from, to, by: GroupBy::Day, rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        // 2026-11-23 is a Monday.
        chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().to_utc()
    }

    /// Proves quiet needs an hour of silence inside opening time, counted from the opening at
    /// the earliest, and never at weekends or after closing.
    #[test]
    fn quiet_is_an_hour_of_silence_while_open() {
        let p = Province::default();
        assert!(!quiet(None, local(23, 8, 0), &p), "30 min after opening");
        assert!(quiet(None, local(23, 8, 30), &p), "an hour after opening, nothing ever");
        assert!(!quiet(Some(local(23, 9, 1)), local(23, 10, 0), &p));
        assert!(quiet(Some(local(23, 9, 0)), local(23, 10, 0), &p));
        assert!(!quiet(Some(local(23, 9, 0)), local(23, 17, 30), &p), "closed");
        assert!(!quiet(None, local(28, 10, 0), &p), "Saturday");
    }
}

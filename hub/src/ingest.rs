//! Receiving a centre's events: stored once per (centre, id), and the visits of the tickets
//! they touch folded again from all those tickets' events with `shared::report::visits`, so
//! the hub counts exactly as the centre does. One transaction per push, which first locks the
//! centre's row: two pushes of one centre (to two hub processes) run one after the other.
use crate::db::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Pool;
use shared::event::{Event, EventId, Rating};
use shared::report::{visits, Evaluated, Linked, Visit};
use std::collections::BTreeMap;
use tokio_postgres::types::Json;
use tokio_postgres::Transaction;

/// Stores `events` of `centre` (received at `now`, the hub's clock) and returns the highest
/// event id the hub then holds for it. Events already held change nothing.
pub async fn ingest(pool: &Pool, centre: &str, events: &[Event], now: DateTime<Utc>) -> Result<EventId, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let acked: i64 = tx.query_one("SELECT acked FROM centres WHERE id = $1 FOR UPDATE", &[&centre]).await?.get(0);
    if events.is_empty() {
        tx.commit().await?;
        return Ok(acked as EventId);
    }
    let ids: Vec<i64> = events.iter().map(|e| e.id as i64).collect();
    let ats: Vec<DateTime<Utc>> = events.iter().map(|e| e.at).collect();
    let days: Vec<NaiveDate> = events.iter().map(|e| e.day).collect();
    let tickets: Vec<Option<i64>> = events.iter().map(|e| e.body.ticket().map(|t| t as i64)).collect();
    let bodies: Vec<Json<&Event>> = events.iter().map(Json).collect();
    let inserted = tx
        .query(
            "INSERT INTO events (centre, id, at, day, ticket, body, received_at)
             SELECT $1, u.id, u.at, u.day, u.ticket, u.body, $7
             FROM UNNEST($2::bigint[], $3::timestamptz[], $4::date[], $5::bigint[], $6::jsonb[]) AS u(id, at, day, ticket, body)
             ON CONFLICT (centre, id) DO NOTHING
             RETURNING ticket, at, id",
            &[&centre, &ids, &ats, &days, &tickets, &bodies, &now],
        )
        .await?;
    let new_ids: std::collections::HashSet<i64> = inserted.iter().map(|r| r.get::<_, i64>(2)).collect();
    evaluated(&tx, centre, events.iter().filter(|e| new_ids.contains(&(e.id as i64)))).await?;
    let mut touched: Vec<i64> = inserted.iter().filter_map(|r| r.get::<_, Option<i64>>(0)).collect();
    touched.sort_unstable();
    touched.dedup();
    if !touched.is_empty() {
        refold(&tx, centre, &touched).await?;
    }
    let newest_at: Option<DateTime<Utc>> = inserted.iter().map(|r| r.get::<_, DateTime<Utc>>(1)).max();
    let max_id = ids.iter().copied().max().unwrap_or(0);
    let acked: i64 = tx
        .query_one(
            "UPDATE centres SET acked = GREATEST(acked, $2),
                 last_event_at = CASE WHEN $3::timestamptz IS NULL THEN last_event_at ELSE GREATEST(last_event_at, $3) END,
                 last_received_at = $4
             WHERE id = $1 RETURNING acked",
            &[&centre, &max_id, &newest_at, &now],
        )
        .await?
        .get(0);
    tx.commit().await?;
    Ok(acked as EventId)
}

/// Keeps the nine-criteria evaluations among `events` (new ones only), once per dossier.
async fn evaluated(tx: &Transaction<'_>, centre: &str, events: impl Iterator<Item = &Event>) -> Result<(), DbError> {
    let found: Vec<Evaluated> = shared::report::evaluations(events);
    if found.is_empty() {
        return Ok(());
    }
    let dossier: Vec<&str> = found.iter().map(|e| e.dossier.as_str()).collect();
    let day: Vec<NaiveDate> = found.iter().map(|e| e.day).collect();
    let at: Vec<DateTime<Utc>> = found.iter().map(|e| e.at).collect();
    // One text per evaluation ("2,1,0,…"): PostgreSQL's UNNEST of a two-dimensional array
    // flattens it, so each row's scores travel as one string and are split back in SQL.
    let scores: Vec<String> = found.iter().map(|e| e.scores.each().iter().map(u8::to_string).collect::<Vec<_>>().join(",")).collect();
    tx.execute(
        "INSERT INTO evaluations (centre, dossier, day, at, scores)
         SELECT $1, u.dossier, u.day, u.at, string_to_array(u.scores, ',')::smallint[]
         FROM UNNEST($2::text[], $3::date[], $4::timestamptz[], $5::text[]) AS u(dossier, day, at, scores)
         ON CONFLICT (centre, dossier) DO NOTHING",
        &[&centre, &dossier, &day, &at, &scores],
    )
    .await?;
    Ok(())
}

/// Folds the visits of `tickets` again from every event the hub holds about them. A visit is
/// folded from the events of its issue's service day only, as the centre's report reads a day
/// at a time.
async fn refold(tx: &Transaction<'_>, centre: &str, tickets: &[i64]) -> Result<(), DbError> {
    let rows = tx.query("SELECT body FROM events WHERE centre = $1 AND ticket = ANY($2) ORDER BY id", &[&centre, &tickets]).await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<Event>> = BTreeMap::new();
    for r in rows {
        let Json(e): Json<Event> = r.try_get(0).map_err(|e| DbError::Corrupt(e.to_string()))?;
        by_day.entry(e.day).or_default().push(e);
    }
    let folded: Vec<Visit> = by_day.values().flat_map(visits).collect();
    if folded.is_empty() {
        return Ok(());
    }
    let col = |f: &dyn Fn(&Visit) -> Option<String>| folded.iter().map(f).collect::<Vec<Option<String>>>();
    let ticket: Vec<i64> = folded.iter().map(|v| v.ticket as i64).collect();
    let day: Vec<NaiveDate> = folded.iter().map(|v| v.day).collect();
    let number: Vec<String> = folded.iter().map(|v| v.number.clone()).collect();
    let issued_service: Vec<String> = folded.iter().map(|v| v.issued_service.clone()).collect();
    let service: Vec<String> = folded.iter().map(|v| v.service.clone()).collect();
    let priority = col(&|v| v.priority.clone());
    let issued_at: Vec<DateTime<Utc>> = folded.iter().map(|v| v.issued_at).collect();
    let first_called_at: Vec<Option<DateTime<Utc>>> = folded.iter().map(|v| v.first_called_at).collect();
    let first_counter = col(&|v| v.first_counter.clone());
    let first_staff = col(&|v| v.first_staff.clone());
    let finished_counter = col(&|v| v.finished.as_ref().map(|f| f.counter.clone()));
    let finished_staff = col(&|v| v.finished.as_ref().and_then(|f| f.staff.clone()));
    let service_s: Vec<Option<i32>> = folded.iter().map(|v| v.finished.as_ref().map(|f| f.service_s.min(i32::MAX as u32) as i32)).collect();
    let no_show: Vec<bool> = folded.iter().map(|v| v.no_show).collect();
    let transfers: Vec<i32> = folded.iter().map(|v| v.transfers.min(i32::MAX as u32) as i32).collect();
    let rating = col(&|v| v.rating.map(|r| r.code().to_owned()));
    let dossier = col(&|v| v.dossier.as_ref().map(|d| d.code.clone()));
    let dossier_counter = col(&|v| v.dossier.as_ref().map(|d| d.counter.clone()));
    tx.execute(
        "INSERT INTO visits (centre, ticket, day, number, issued_service, service, priority, issued_at, first_called_at,
             first_counter, first_staff, finished_counter, finished_staff, service_s, no_show, transfers, rating, dossier,
             dossier_counter)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
             $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::text[], $14::integer[], $15::boolean[], $16::integer[],
             $17::text[], $18::text[], $19::text[])
         ON CONFLICT (centre, ticket) DO UPDATE SET day = EXCLUDED.day, number = EXCLUDED.number,
             issued_service = EXCLUDED.issued_service, service = EXCLUDED.service, priority = EXCLUDED.priority,
             issued_at = EXCLUDED.issued_at, first_called_at = EXCLUDED.first_called_at, first_counter = EXCLUDED.first_counter,
             first_staff = EXCLUDED.first_staff, finished_counter = EXCLUDED.finished_counter,
             finished_staff = EXCLUDED.finished_staff, service_s = EXCLUDED.service_s, no_show = EXCLUDED.no_show,
             transfers = EXCLUDED.transfers, rating = EXCLUDED.rating, dossier = EXCLUDED.dossier,
             dossier_counter = EXCLUDED.dossier_counter",
        &[
            &centre,
            &ticket,
            &day,
            &number,
            &issued_service,
            &service,
            &priority,
            &issued_at,
            &first_called_at,
            &first_counter,
            &first_staff,
            &finished_counter,
            &finished_staff,
            &service_s,
            &no_show,
            &transfers,
            &rating,
            &dossier,
            &dossier_counter,
        ],
    )
    .await?;
    Ok(())
}

/// The visits of every centre over a range: one vector, ordered by centre, and each centre's
/// part of it, so the province's total folds the same vector without a copy of it.
#[derive(Debug, Default)]
pub struct Visits {
    pub all: Vec<Visit>,
    pub by_centre: BTreeMap<String, std::ops::Range<usize>>,
}

impl Visits {
    pub fn of(&self, centre: &str) -> &[Visit] {
        self.by_centre.get(centre).map_or(&[], |r| &self.all[r.clone()])
    }
}

/// The visits of every centre over `from..=to` (service days).
pub async fn load_visits(pool: &Pool, from: NaiveDate, to: NaiveDate) -> Result<Visits, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT centre, ticket, day, number, issued_service, service, priority, issued_at, first_called_at, first_counter,
                 first_staff, finished_counter, finished_staff, service_s, no_show, transfers, rating, dossier, dossier_counter
             FROM visits WHERE day BETWEEN $1 AND $2 ORDER BY centre, ticket",
            &[&from, &to],
        )
        .await?;
    let mut out = Visits { all: Vec::with_capacity(rows.len()), by_centre: BTreeMap::new() };
    for r in rows {
        let rating: Option<String> = r.get(16);
        let rating = match rating {
            None => None,
            Some(code) => {
                Some(Rating::ALL.into_iter().find(|x| x.code() == code).ok_or_else(|| DbError::Corrupt(format!("rating {code:?}")))?)
            }
        };
        let finished_counter: Option<String> = r.get(11);
        let service_s: Option<i32> = r.get(13);
        let finished = match (finished_counter, service_s) {
            (Some(counter), Some(s)) => Some(shared::report::Finish { counter, staff: r.get(12), service_s: s.max(0) as u32 }),
            _ => None,
        };
        let v = Visit {
            ticket: r.get::<_, i64>(1) as u64,
            day: r.get(2),
            number: r.get(3),
            issued_service: r.get(4),
            service: r.get(5),
            priority: r.get(6),
            issued_at: r.get(7),
            first_called_at: r.get(8),
            first_counter: r.get(9),
            first_staff: r.get(10),
            finished,
            no_show: r.get(14),
            transfers: r.get::<_, i32>(15).max(0) as u32,
            rating,
            // Who linked it stays at the centre, like every staff login.
            dossier: r.get::<_, Option<String>>(17).map(|code| Linked {
                code,
                counter: r.get::<_, Option<String>>(18).unwrap_or_default(),
                staff: None,
            }),
        };
        let i = out.all.len();
        out.all.push(v);
        out.by_centre.entry(r.get(0)).and_modify(|range| range.end = i + 1).or_insert(i..i + 1);
    }
    Ok(out)
}

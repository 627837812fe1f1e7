//! The centres' ticket views for the phone pages: stored as each centre's uplink sends them
//! (`put`), read one at a time (`one`), and read by version (`since`) by the processes that
//! keep a copy for the pages following live (`followers.rs`). Each push counts up the centre's
//! `board_version` and tells every hub process over PostgreSQL's `NOTIFY` on [`CHANNEL`].
use crate::db::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Pool;
use shared::province::TicketBoard;
use shared::wire::PublicTicket;
use tokio_postgres::types::Json;

/// The notification channel; the payload is the centre's id.
pub const CHANNEL: &str = "public_board";

/// Keys that find nothing are kept this many pushes, for processes catching up by version;
/// one further behind has lost its notifications and loads the centre whole.
const TOMBSTONE_PUSHES: i64 = 1_000;

/// Stores a centre's push in one transaction and tells every hub process; with `near`, the
/// phone numbers waiting for these tickets are claimed in the same transaction. Answers the
/// centre's new board version.
pub async fn put(pool: &Pool, centre: &str, board: &TicketBoard, near: Option<&crate::near::Context<'_>>) -> Result<i64, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let version: i64 = tx.query_one("SELECT board_version + 1 FROM centres WHERE id = $1 FOR UPDATE", &[&centre]).await?.get(0);
    let keys: Vec<&str> = board.tickets.keys().map(String::as_str).collect();
    let views: Vec<Option<Json<&PublicTicket>>> = board.tickets.values().map(|v| v.as_ref().map(Json)).collect();
    if !keys.is_empty() {
        tx.execute(
            "INSERT INTO public_tickets (centre, key, view, version)
             SELECT $1, u.key, u.view, $4 FROM UNNEST($2::text[], $3::jsonb[]) AS u(key, view)
             ON CONFLICT (centre, key) DO UPDATE SET view = EXCLUDED.view, version = EXCLUDED.version",
            &[&centre, &keys, &views, &version],
        )
        .await?;
    }
    if board.whole {
        // Every row this push did not set is a key the centre no longer has.
        tx.execute(
            "UPDATE public_tickets SET view = NULL, version = $2 WHERE centre = $1 AND version < $2 AND view IS NOT NULL",
            &[&centre, &version],
        )
        .await?;
    }
    tx.execute("DELETE FROM public_tickets WHERE centre = $1 AND view IS NULL AND version < $2", &[&centre, &(version - TOMBSTONE_PUSHES)])
        .await?;
    tx.execute("UPDATE centres SET board_version = $2, board_as_of = $3 WHERE id = $1", &[&centre, &version, &board.as_of]).await?;
    if let Some(cx) = near {
        crate::near::claim(&tx, centre, Some(version), None, cx).await?;
    }
    // Delivered to the listeners when the transaction commits, never before.
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &centre]).await?;
    tx.commit().await?;
    Ok(version)
}

/// The view of `key` at `centre`, its time set to the centre's last push; None when the key
/// finds nothing, or only a ticket of a day before `today`.
pub async fn one(pool: &Pool, centre: &str, key: &str, today: NaiveDate) -> Result<Option<PublicTicket>, DbError> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT t.view, c.board_as_of FROM public_tickets t JOIN centres c ON c.id = t.centre
             WHERE t.centre = $1 AND t.key = $2 AND t.view IS NOT NULL",
            &[&centre, &key],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let Json(view): Json<PublicTicket> = row.try_get(0).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let as_of: Option<DateTime<Utc>> = row.get(1);
    Ok(current(view, as_of, today))
}

/// A stored view as the pages show it: dated by the centre's last push, and gone with its day.
pub fn current(view: PublicTicket, as_of: Option<DateTime<Utc>>, today: NaiveDate) -> Option<PublicTicket> {
    (view.day >= today).then(|| PublicTicket { as_of: as_of.unwrap_or(view.as_of).max(view.as_of), ..view })
}

/// What changed at a centre after `after` (0: everything it has).
pub struct Changes {
    pub version: i64,
    pub as_of: Option<DateTime<Utc>>,
    /// Keys set, or gone (None).
    pub rows: Vec<(String, Option<PublicTicket>)>,
}

/// The rows of `centre` set after version `after`, read in one statement (one snapshot), so
/// the version answered covers exactly the rows answered. None: no such centre.
pub async fn since(client: &tokio_postgres::Client, centre: &str, after: i64) -> Result<Option<Changes>, DbError> {
    let rows = client
        .query(
            "WITH c AS (SELECT board_version, board_as_of FROM centres WHERE id = $1)
             SELECT c.board_version, c.board_as_of, t.key, t.view FROM c
             LEFT JOIN public_tickets t ON t.centre = $1 AND t.version > $2 AND t.version <= c.board_version
                 AND (t.view IS NOT NULL OR $2 > 0)",
            &[&centre, &after],
        )
        .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let mut changes = Changes { version: first.get(0), as_of: first.get(1), rows: Vec::with_capacity(rows.len()) };
    for r in &rows {
        let Some(key) = r.get::<_, Option<String>>(2) else { continue };
        let view: Option<Json<PublicTicket>> = r.try_get(3).map_err(|e| DbError::Corrupt(e.to_string()))?;
        changes.rows.push((key, view.map(|Json(v)| v)));
    }
    Ok(Some(changes))
}

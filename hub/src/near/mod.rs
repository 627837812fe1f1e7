//! "Your turn is near": a citizen leaves a phone number on a ticket's page on the hub
//! (`POST .../tickets/{key}/near`, `api/near.rs`) and is told once, through the province's SMS or
//! Zalo gateway (`[notify] webhook`), when `ahead` people or fewer are before them, or when the
//! ticket is called first.
//!
//! - `mod.rs`: the phone number, the message, and `claim`: inside a centre's push, the requests
//!   whose ticket became near are turned into messages in `near_outbox` and their number
//!   dropped from `near_requests`, in the push's own transaction, so one push claims a ticket
//!   once however many hub processes run. A ticket served or gone drops its number too.
//! - `outbox.rs`: every hub process delivers due messages (`FOR UPDATE SKIP LOCKED`), retrying
//!   a failing gateway with backoff until the ticket's day is over; delivered or given up, the
//!   message and its number are deleted.
pub mod outbox;
mod phone;

pub use phone::Phone;

use crate::db::DbError;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use shared::wire::{PublicStatus, PublicTicket};
use tokio_postgres::types::Json;
use tokio_postgres::Transaction;

/// The notification channel that wakes the processes' delivery.
pub const CHANNEL: &str = "near_outbox";

/// What the gateway receives (JSON, `POST [notify] webhook`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// E.164: `+84` and nine digits.
    pub to: String,
    pub text: String,
    /// The centre's id and the ticket's number, for the gateway's own records.
    pub centre: String,
    pub ticket: String,
    /// `near` (few people ahead) or `called` (called before that was noticed).
    pub kind: String,
    pub lang: String,
}

/// What a claim needs besides the rows: the centre's name for the text, the hub's time.
pub struct Context<'a> {
    pub centre_name: &'a str,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub offset: FixedOffset,
}

/// Whether `view` is near for a request of `ahead`.
pub fn due(view: &PublicTicket, ahead: u32) -> Option<&'static str> {
    match view.status {
        PublicStatus::Called => Some("called"),
        PublicStatus::Waiting if view.waiting_ahead.is_some_and(|a| a <= ahead) => Some("near"),
        _ => None,
    }
}

/// The message's words, in the language the page was read in.
pub fn text(centre_name: &str, view: &PublicTicket, kind: &str, lang: &str) -> String {
    let en = lang == "en";
    let service = if en { view.service_name_en.as_deref().unwrap_or(&view.service_name) } else { &view.service_name };
    let counter = match (&view.counter, view.counter_number) {
        (Some(name), _) if !en => name.clone(),
        (_, Some(n)) => format!("{} {n}", if en { "counter" } else { "quầy" }),
        (Some(name), None) => name.clone(),
        (None, None) => String::new(),
    };
    let ahead = view.waiting_ahead.unwrap_or(0);
    match (kind, en) {
        ("called", false) => format!("{centre_name}: mời số {} đến {counter}.", view.number),
        ("called", true) => format!("{centre_name}: number {}, please go to {counter}.", view.number),
        (_, false) if ahead == 0 => format!("{centre_name}: số {} ({service}) là lượt tiếp theo. Mời bạn về khu chờ.", view.number),
        (_, true) if ahead == 0 => {
            format!("{centre_name}: number {} ({service}) is next. Please come back to the waiting area.", view.number)
        }
        (_, false) => format!("{centre_name}: còn {ahead} người trước số {} ({service}). Mời bạn về khu chờ.", view.number),
        (_, true) => {
            format!("{centre_name}: {ahead} people ahead of number {} ({service}). Please come back to the waiting area.", view.number)
        }
    }
}

/// When a message for a ticket of `day` stops being worth sending: the day's end, locally.
pub fn expiry(day: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    (day + Duration::days(1)).and_time(NaiveTime::MIN).and_local_timezone(offset).single().map_or_else(Utc::now, |t| t.to_utc())
}

/// Inside a centre's push (after its views are stored with `version`) or a new request (`key`):
/// every request whose ticket is now near becomes a message, its number dropped from the
/// request; requests of tickets served or gone in this push drop their number; requests of
/// earlier days go. Answers the messages claimed.
pub async fn claim(
    tx: &Transaction<'_>,
    centre: &str,
    version: Option<i64>,
    key: Option<&str>,
    cx: &Context<'_>,
) -> Result<usize, DbError> {
    let rows = tx
        .query(
            "SELECT r.key, r.phone, r.ahead, r.lang, t.view FROM near_requests r
             JOIN public_tickets t ON t.centre = r.centre AND t.key = r.key
             WHERE r.centre = $1 AND r.phone IS NOT NULL AND t.view IS NOT NULL
                 AND ($2::bigint IS NULL OR t.version = $2) AND ($3::text IS NULL OR r.key = $3)
             FOR UPDATE OF r",
            &[&centre, &version, &key],
        )
        .await?;
    let mut keys: Vec<String> = Vec::new();
    let mut bodies: Vec<Json<Message>> = Vec::new();
    let mut expires: Vec<DateTime<Utc>> = Vec::new();
    for r in &rows {
        let Json(view): Json<PublicTicket> = r.try_get(4).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let ahead: i32 = r.get(2);
        let Some(kind) = due(&view, ahead.max(0) as u32) else { continue };
        let lang: String = r.get(3);
        keys.push(r.get(0));
        expires.push(expiry(view.day, cx.offset));
        bodies.push(Json(Message {
            to: r.get(1),
            text: text(cx.centre_name, &view, kind, &lang),
            centre: centre.to_owned(),
            ticket: view.number.clone(),
            kind: kind.to_owned(),
            lang,
        }));
    }
    if !keys.is_empty() {
        tx.execute("UPDATE near_requests SET phone = NULL, sent_at = $3 WHERE centre = $1 AND key = ANY($2)", &[&centre, &keys, &cx.now])
            .await?;
        tx.execute(
            "INSERT INTO near_outbox (centre, key, body, expires_at)
             SELECT $1, u.key, u.body, u.expires_at FROM UNNEST($2::text[], $3::jsonb[], $4::timestamptz[]) AS u(key, body, expires_at)",
            &[&centre, &keys, &bodies, &expires],
        )
        .await?;
        tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &centre]).await?;
    }
    if let Some(version) = version {
        // The number is kept only while the ticket may still be called.
        tx.execute(
            "UPDATE near_requests r SET phone = NULL FROM public_tickets t
             WHERE r.centre = $1 AND r.phone IS NOT NULL AND t.centre = r.centre AND t.key = r.key AND t.version = $2
                 AND (t.view IS NULL OR t.view->>'status' = 'served')",
            &[&centre, &version],
        )
        .await?;
        tx.execute("DELETE FROM near_requests WHERE centre = $1 AND day < $2", &[&centre, &cx.today]).await?;
    }
    Ok(keys.len())
}

/// What a request left on a page holds.
pub struct Request<'a> {
    pub centre: &'a str,
    pub key: &'a str,
    pub day: NaiveDate,
    pub phone: &'a Phone,
    pub ahead: u32,
    pub lang: &'a str,
}

/// Keeps a request (replacing the number of one not sent yet) and claims it at once if its
/// ticket is near already. False: this ticket's message was sent; nothing is kept.
pub async fn request(pool: &deadpool_postgres::Pool, r: &Request<'_>, cx: &Context<'_>) -> Result<bool, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let kept = tx
        .query_opt(
            "INSERT INTO near_requests (centre, key, day, phone, ahead, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (centre, key) DO UPDATE SET phone = EXCLUDED.phone, ahead = EXCLUDED.ahead, lang = EXCLUDED.lang,
                 created_at = EXCLUDED.created_at
             WHERE near_requests.sent_at IS NULL
             RETURNING 1",
            &[&r.centre, &r.key, &r.day, &r.phone.as_e164(), &(r.ahead as i32), &r.lang, &cx.now],
        )
        .await?;
    if kept.is_none() {
        return Ok(false);
    }
    // A push between the page's read and this insert may have made it near already.
    claim(&tx, r.centre, None, Some(r.key), cx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Drops the number left for a ticket, if it was not sent yet. True when one was dropped.
pub async fn withdraw(pool: &deadpool_postgres::Pool, centre: &str, key: &str) -> Result<bool, DbError> {
    let client = pool.get().await?;
    let n = client.execute("DELETE FROM near_requests WHERE centre = $1 AND key = $2 AND sent_at IS NULL", &[&centre, &key]).await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests;

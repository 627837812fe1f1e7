//! Bookings and their confirming codes in PostgreSQL. A booking is made in one transaction
//! that holds two advisory locks, the window's and then the phone's day's (always in that
//! order, so two bookings never wait on each other in a circle): the window's count and the
//! phone's count are then exact however many hub processes take bookings at once.
use crate::db::DbError;
use crate::near::{Message, Phone};
use crate::secret::{hex, sha256};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use deadpool_postgres::Pool;
use shared::config::{HourRange, LocalTime};
use shared::province::booking::Booking;
use tokio_postgres::types::Json;
use tokio_postgres::Transaction;

/// A code is good this long, for this many tries; a phone gets one a minute, five a day.
pub const CODE_VALID: Duration = Duration::minutes(10);
pub const CODE_TRIES: i32 = 5;
pub const CODE_EVERY: Duration = Duration::seconds(60);
pub const CODES_A_DAY: i32 = 5;

fn phone_key(phone: &Phone) -> Vec<u8> {
    sha256(phone.as_e164().as_bytes())
}

fn code_key(phone: &Phone, code: &str) -> Vec<u8> {
    sha256(format!("{}:{code}", phone.as_e164()).as_bytes())
}

/// A lock number for `what`: the first 8 bytes of its digest.
fn lock_of(what: &str) -> i64 {
    let d = sha256(what.as_bytes());
    i64::from_be_bytes(d[..8].try_into().expect("a digest is 32 bytes"))
}

/// Puts a message for the gateway in the outbox (delivered by `near::outbox`).
pub async fn queue_message(tx: &Transaction<'_>, id: &str, message: &Message, expires_at: DateTime<Utc>) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO near_outbox (centre, key, body, expires_at) VALUES ($1, $2, $3, $4)",
        &[&message.centre, &id, &Json(message), &expires_at],
    )
    .await?;
    tx.execute("SELECT pg_notify($1, '')", &[&crate::near::CHANNEL]).await?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeRefused {
    /// One was sent less than a minute ago: seconds to wait.
    TooSoon(i64),
    TooMany,
    /// The hub has texted its `codes_per_minute` in the last minute.
    Busy,
}

/// Keeps `code` for `phone` (replacing an older one) and queues `message` to send it.
pub async fn send_code(
    pool: &Pool,
    phone: &Phone,
    code: &str,
    message: &Message,
    (now, today): (DateTime<Utc>, NaiveDate),
    per_minute: u32,
) -> Result<Result<(), CodeRefused>, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let key = phone_key(phone);
    let row = tx.query_opt("SELECT sent_at, day, sent_on_day FROM booking_codes WHERE phone_sha256 = $1 FOR UPDATE", &[&key]).await?;
    let sent_today = match &row {
        Some(r) => {
            let sent_at: DateTime<Utc> = r.get(0);
            if now - sent_at < CODE_EVERY {
                return Ok(Err(CodeRefused::TooSoon((CODE_EVERY - (now - sent_at)).num_seconds().max(1))));
            }
            if r.get::<_, NaiveDate>(1) == today {
                r.get::<_, i32>(2)
            } else {
                0
            }
        }
        None => 0,
    };
    if sent_today >= CODES_A_DAY {
        return Ok(Err(CodeRefused::TooMany));
    }
    // Each phone's latest code: within a minute, that is every code sent in it (a phone gets
    // one a minute), less the few used meanwhile.
    let recent: i64 = tx.query_one("SELECT count(*) FROM booking_codes WHERE sent_at > $1", &[&(now - CODE_EVERY)]).await?.get(0);
    if recent >= i64::from(per_minute) {
        return Ok(Err(CodeRefused::Busy));
    }
    tx.execute(
        "INSERT INTO booking_codes (phone_sha256, code_sha256, sent_at, expires_at, attempts, day, sent_on_day)
         VALUES ($1, $2, $3, $4, 0, $5, $6)
         ON CONFLICT (phone_sha256) DO UPDATE SET code_sha256 = EXCLUDED.code_sha256, sent_at = EXCLUDED.sent_at,
             expires_at = EXCLUDED.expires_at, attempts = 0, day = EXCLUDED.day, sent_on_day = EXCLUDED.sent_on_day",
        &[&key, &code_key(phone, code), &now, &(now + CODE_VALID), &today, &(sent_today + 1)],
    )
    .await?;
    let id = format!("code-{}", crate::secret::random_token());
    queue_message(&tx, &id, message, now + CODE_VALID).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    Good,
    Wrong,
    Expired,
    TooManyTries,
    NoCode,
}

/// Checks a code typed for `phone`, counting the try (kept even when the booking then fails).
pub async fn check_code(pool: &Pool, phone: &Phone, code: &str, now: DateTime<Utc>) -> Result<Checked, DbError> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "UPDATE booking_codes SET attempts = attempts + 1 WHERE phone_sha256 = $1 RETURNING code_sha256, expires_at, attempts",
            &[&phone_key(phone)],
        )
        .await?;
    let Some(r) = row else { return Ok(Checked::NoCode) };
    let (digest, expires, tries): (Vec<u8>, DateTime<Utc>, i32) = (r.get(0), r.get(1), r.get(2));
    Ok(if tries > CODE_TRIES {
        Checked::TooManyTries
    } else if expires <= now {
        Checked::Expired
    } else if !crate::secret::same(&digest, &code_key(phone, code)) {
        Checked::Wrong
    } else {
        Checked::Good
    })
}

/// What a booking asks for.
pub struct Ask<'a> {
    pub centre: &'a str,
    pub service: &'a str,
    pub day: NaiveDate,
    pub window: HourRange,
    pub phone: &'a Phone,
    pub code: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The window holds `capacity` bookings already.
    Full,
    /// The phone holds this many numbers for the day already.
    Limit(u32),
    /// The code was used by a booking made meanwhile.
    CodeUsed,
}

/// Makes the booking if the window has room and the phone its allowance, using up the code;
/// `message` (with `{code}` to fill) is queued to confirm it. `new_code` draws booking codes.
pub async fn book(
    pool: &Pool,
    ask: &Ask<'_>,
    capacity: u32,
    per_person: u32,
    now: DateTime<Utc>,
    new_code: impl Fn() -> String,
    message: impl Fn(&str) -> Message,
) -> Result<Result<Booking, Refused>, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let start = ask.window.start.minutes as i32;
    let phone = phone_key(ask.phone);
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_of(&format!("slot {} {} {} {start}", ask.centre, ask.service, ask.day))])
        .await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_of(&format!("phone {} {}", hex(&phone), ask.day))]).await?;
    let taken: i64 = tx
        .query_one(
            "SELECT count(*) FROM bookings WHERE centre = $1 AND service = $2 AND day = $3 AND window_start = $4",
            &[&ask.centre, &ask.service, &ask.day, &start],
        )
        .await?
        .get(0);
    if taken >= i64::from(capacity) {
        return Ok(Err(Refused::Full));
    }
    let held: i64 = tx.query_one("SELECT count(*) FROM bookings WHERE phone_sha256 = $1 AND day = $2", &[&phone, &ask.day]).await?.get(0);
    if held >= i64::from(per_person) {
        return Ok(Err(Refused::Limit(held as u32)));
    }
    let used = tx
        .execute("DELETE FROM booking_codes WHERE phone_sha256 = $1 AND code_sha256 = $2", &[&phone, &code_key(ask.phone, ask.code)])
        .await?;
    if used == 0 {
        return Ok(Err(Refused::CodeUsed));
    }
    let end = ask.window.end.minutes as i32;
    let (code, seq) = loop {
        // 40 bits: a clash is rare, and the unique index tells it.
        let code = new_code();
        let row = tx
            .query_opt(
                "INSERT INTO bookings (code, centre, service, day, window_start, window_end, phone_sha256, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING RETURNING seq",
                &[&code, &ask.centre, &ask.service, &ask.day, &start, &end, &phone, &now],
            )
            .await?;
        if let Some(r) = row {
            break (code, r.get::<_, i64>(0));
        }
    };
    queue_message(&tx, &format!("booked-{code}"), &message(&code), now + Duration::days(1)).await?;
    tx.commit().await?;
    Ok(Ok(Booking { seq: seq as u64, code, service: ask.service.to_owned(), day: ask.day, window: ask.window }))
}

/// Bookings taken per window start (minutes), for one service and day.
pub async fn taken(pool: &Pool, centre: &str, service: &str, day: NaiveDate) -> Result<Vec<(u32, u32)>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT window_start, count(*) FROM bookings WHERE centre = $1 AND service = $2 AND day = $3 GROUP BY window_start",
            &[&centre, &service, &day],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get::<_, i32>(0).max(0) as u32, r.get::<_, i64>(1).max(0) as u32)).collect())
}

/// A centre's bookings after `after`, oldest first, at most `limit`.
pub async fn after(pool: &Pool, centre: &str, after: u64, limit: i64) -> Result<Vec<Booking>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT seq, code, service, day, window_start, window_end FROM bookings WHERE centre = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&centre, &(after.min(i64::MAX as u64) as i64), &limit],
        )
        .await?;
    let minutes = |m: i32| LocalTime { minutes: m.clamp(0, 1440) as u32 };
    Ok(rows
        .iter()
        .map(|r| Booking {
            seq: r.get::<_, i64>(0) as u64,
            code: r.get(1),
            service: r.get(2),
            day: r.get(3),
            window: HourRange { start: minutes(r.get(4)), end: minutes(r.get(5)) },
        })
        .collect())
}

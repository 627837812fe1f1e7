//! Delivering the claimed messages to the province's gateway. Every hub process runs one
//! delivery loop; a round takes the due messages with `FOR UPDATE SKIP LOCKED`, so two
//! processes never send one message at once, and holds them while it posts. Delivered (2xx):
//! deleted. Refused for good (a 4xx but 408 and 429: the gateway will not take that message):
//! deleted with a warning. Otherwise tried again after 1, 2, 4 … 300 s, until the ticket's day
//! is over or after `MAX_ATTEMPTS`. A process dying mid-post rolls its round back and another
//! sends again: the gateway gets an `Idempotency-Key` to tell a repeat.
use super::Message;
use crate::api::Clock;
use crate::config::Notify;
use crate::db::DbError;
use deadpool_postgres::Pool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_postgres::types::Json;

const ROUND: i64 = 20;
pub const MAX_ATTEMPTS: i32 = 12;
/// With nothing woken, due retries are looked for this often.
const TICK: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(10);

/// How one post went.
enum Sent {
    Delivered,
    Refused(String),
    Failed(String),
}

/// Delivers until `stopping`; `wake` is notified when a push claims messages.
pub async fn deliver(pool: Pool, notify: Notify, clock: Clock, wake: Arc<tokio::sync::Notify>, mut stopping: watch::Receiver<bool>) {
    let http = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("the messages of [notify] cannot be sent: {e}");
            return;
        }
    };
    loop {
        let wait = tokio::select! {
            r = round(&pool, &http, &notify, &clock) => match r {
                Ok(n) if n as i64 == ROUND => continue,
                Ok(_) => next_due(&pool).await.unwrap_or(TICK).min(TICK),
                Err(e) => {
                    tracing::warn!("the messages to the gateway: {e}");
                    TICK
                }
            },
            _ = stopping.changed() => return,
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stopping.changed() => return,
        }
    }
}

/// One round: the due messages, each posted once. Answers how many it took.
async fn round(pool: &Pool, http: &reqwest::Client, notify: &Notify, clock: &Clock) -> Result<usize, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let rows = tx
        .query(
            "SELECT id, key, body, attempts, expires_at FROM near_outbox WHERE next_try <= now()
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
            &[&ROUND],
        )
        .await?;
    for r in &rows {
        let id: i64 = r.get(0);
        let key: String = r.get(1);
        let Json(message): Json<Message> = r.try_get(2).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let attempts: i32 = r.get::<_, i32>(3) + 1;
        let expires_at: chrono::DateTime<chrono::Utc> = r.get(4);
        let what = format!("the message for ticket {} of centre {}", message.ticket, message.centre);
        match post(http, notify, &message, &key).await {
            Sent::Delivered => {
                tracing::info!("{what} was delivered to the gateway");
                tx.execute("DELETE FROM near_outbox WHERE id = $1", &[&id]).await?;
            }
            Sent::Refused(why) => {
                tracing::warn!("the gateway refused {what} ({why}); it is not sent again");
                tx.execute("DELETE FROM near_outbox WHERE id = $1", &[&id]).await?;
            }
            Sent::Failed(why) if attempts >= MAX_ATTEMPTS || expires_at <= clock() => {
                tracing::warn!("{what} could not be delivered after {attempts} attempts ({why}); given up");
                tx.execute("DELETE FROM near_outbox WHERE id = $1", &[&id]).await?;
            }
            Sent::Failed(why) => {
                let wait = 1i64 << (attempts - 1).min(8);
                tracing::warn!("{what} was not delivered ({why}); trying again in {} s", wait.min(300));
                tx.execute(
                    "UPDATE near_outbox SET attempts = $2, next_try = now() + make_interval(secs => $3) WHERE id = $1",
                    &[&id, &attempts, &(wait.min(300) as f64)],
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// How long until the earliest retry is due (None: nothing waits).
async fn next_due(pool: &Pool) -> Option<Duration> {
    let client = pool.get().await.ok()?;
    let row = client.query_one("SELECT EXTRACT(EPOCH FROM min(next_try) - now())::float8 FROM near_outbox", &[]).await.ok()?;
    let secs: Option<f64> = row.get(0);
    secs.map(|s| Duration::from_secs_f64(s.clamp(0.0, 3600.0)))
}

async fn post(http: &reqwest::Client, notify: &Notify, message: &Message, key: &str) -> Sent {
    // The ticket's key opens its page: the gateway gets a digest of it, never the key.
    let digest: String = crate::secret::sha256(key.as_bytes())[..12].iter().map(|b| format!("{b:02x}")).collect();
    let mut req = http.post(&notify.webhook).json(message).header("idempotency-key", format!("near-{}-{digest}", message.centre));
    if let Some(token) = &notify.token {
        req = req.bearer_auth(token);
    }
    match req.send().await {
        Ok(res) if res.status().is_success() => Sent::Delivered,
        Ok(res) => {
            let s = res.status().as_u16();
            let why = format!("HTTP {s}");
            if (400..500).contains(&s) && s != 408 && s != 429 {
                Sent::Refused(why)
            } else {
                Sent::Failed(why)
            }
        }
        Err(e) => Sent::Failed(e.to_string()),
    }
}

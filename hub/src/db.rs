//! The connection pool and what a database failure means to a caller.
use crate::config::Database;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};
use std::time::Duration;

/// How long making or checking a connection may take before the request is answered 503: a
/// centre retries later; it must not hang while PostgreSQL is down.
const WAIT: Duration = Duration::from_secs(5);
/// How long a request queues for a free connection while all are busy. A province's centres
/// all pushing at once after an outage queue here for seconds (the bench: p50 4 s with 200
/// centres on 16 connections); answering them 503 would tell them "the database is down" and
/// send them into backoff, slowing the catch-up it is serving. Under the uplink's 60 s timeout.
const QUEUE: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database URL: {0}")]
    Url(#[source] tokio_postgres::Error),
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    #[error("the database: {0}")]
    Query(#[from] tokio_postgres::Error),
    #[error("a stored value is not what this hub expects: {0}")]
    Corrupt(String),
}

impl From<deadpool_postgres::PoolError> for DbError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        DbError::Unavailable(e.to_string())
    }
}

impl DbError {
    /// Whether the failure is the database being away (answer 503 and let the client retry),
    /// rather than a query that went wrong.
    pub fn unavailable(&self) -> bool {
        match self {
            DbError::Unavailable(_) => true,
            // No SQLSTATE: the connection itself broke (or was closed by a restarting server).
            DbError::Query(e) => e.is_closed() || e.as_db_error().is_none() || e.code().is_some_and(|c| c.code().starts_with("57P")),
            _ => false,
        }
    }
}

/// A pool of `size` connections; connections are made on demand, so a hub starts while the
/// database is still down and recovers when it comes back.
pub fn pool(db: &Database) -> Result<Pool, DbError> {
    let pg: tokio_postgres::Config = db.url.parse().map_err(DbError::Url)?;
    // Each recycled connection is checked with a round trip: after PostgreSQL restarts, a
    // connection of the old server is dropped here, not handed to a request.
    let manager = Manager::from_config(pg, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Verified });
    Pool::builder(manager)
        .max_size(db.pool_size)
        .runtime(Runtime::Tokio1)
        .timeouts(Timeouts { wait: Some(QUEUE), create: Some(WAIT), recycle: Some(WAIT) })
        .build()
        .map_err(|e| DbError::Unavailable(e.to_string()))
}

/// One connection outside any pool (migrations hold a session-level lock on it). The error
/// keeps PostgreSQL's own: `unavailable()` then tells a server that is not up yet (try again)
/// from one that refuses this hub (a wrong password or database: the operator must act).
pub async fn connect(db: &Database) -> Result<tokio_postgres::Client, DbError> {
    let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("database connection closed: {e}");
        }
    });
    Ok(client)
}

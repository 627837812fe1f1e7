//! Versioned migrations embedded in the binary. `schema_migrations` records each one applied
//! with the SHA-256 of its text: a database migrated by a different text of the same version,
//! or by a newer hub, is refused rather than guessed at. Everything runs under a session
//! advisory lock, so two `hub migrate` at once apply each migration once.
use crate::db::DbError;
use crate::secret::{hex, sha256};
use tokio_postgres::Client;

pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration of this binary, in order. Never edit one that was released: add the next.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../migrations/0001_init.sql") },
    Migration { version: 2, name: "tokens_swappable", sql: include_str!("../migrations/0002_tokens_swappable.sql") },
    Migration { version: 3, name: "dossiers", sql: include_str!("../migrations/0003_dossiers.sql") },
    Migration { version: 4, name: "public_tickets", sql: include_str!("../migrations/0004_public_tickets.sql") },
    Migration { version: 5, name: "near", sql: include_str!("../migrations/0005_near.sql") },
    Migration { version: 6, name: "bookings", sql: include_str!("../migrations/0006_bookings.sql") },
];

/// The advisory lock's key ("hub-migrate" as a number).
const LOCK: i64 = 0x0068_7562_2d6d_6967;

impl Migration {
    pub fn checksum(&self) -> String {
        hex(&sha256(self.sql.as_bytes()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("migration {version} ({name}) applied to this database differs from this hub's (checksum {stored}, expected {ours})")]
    Tampered { version: i32, name: String, stored: String, ours: String },
    #[error("the database is at migration {0}, newer than this hub knows ({1}): run the newer hub")]
    Newer(i32, i32),
    #[error("{0} migration(s) pending: run hub migrate")]
    Pending(usize),
}

impl From<tokio_postgres::Error> for MigrateError {
    fn from(e: tokio_postgres::Error) -> Self {
        MigrateError::Db(DbError::Query(e))
    }
}

/// What the database has applied: (version, name, checksum); empty when never migrated.
async fn applied(client: &Client) -> Result<Vec<(i32, String, String)>, MigrateError> {
    let exists: bool = client.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[]).await?.get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version", &[]).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
}

/// The migrations not yet applied, after refusing a database that disagrees with this binary.
async fn pending(client: &Client) -> Result<Vec<&'static Migration>, MigrateError> {
    let done = applied(client).await?;
    let newest = MIGRATIONS.last().map(|m| m.version).unwrap_or(0);
    for (version, name, stored) in &done {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            None => return Err(MigrateError::Newer(*version, newest)),
            Some(m) if m.checksum() != *stored => {
                return Err(MigrateError::Tampered { version: *version, name: name.clone(), stored: stored.clone(), ours: m.checksum() })
            }
            Some(_) => {}
        }
    }
    Ok(MIGRATIONS.iter().filter(|m| !done.iter().any(|(v, _, _)| *v == m.version)).collect())
}

/// Applies the pending migrations, each in its own transaction; returns the versions applied.
pub async fn migrate(client: &mut Client) -> Result<Vec<i32>, MigrateError> {
    client.execute("SELECT pg_advisory_lock($1)", &[&LOCK]).await?;
    let result = apply(client).await;
    // A lost connection releases the lock by itself; an error here changes nothing.
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK]).await;
    result
}

async fn apply(client: &mut Client) -> Result<Vec<i32>, MigrateError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let mut done = Vec::new();
    for m in pending(client).await? {
        let tx = client.transaction().await?;
        tx.batch_execute(m.sql).await?;
        tx.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", &[&m.version, &m.name, &m.checksum()])
            .await?;
        tx.commit().await?;
        tracing::info!("applied migration {} ({})", m.version, m.name);
        done.push(m.version);
    }
    Ok(done)
}

/// Refuses a database with pending migrations (or one that disagrees with this binary).
pub async fn check(client: &Client) -> Result<(), MigrateError> {
    match pending(client).await?.len() {
        0 => Ok(()),
        n => Err(MigrateError::Pending(n)),
    }
}

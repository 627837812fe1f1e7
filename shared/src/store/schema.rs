//! Migrations: step N takes `user_version` from N-1 to N, each in one transaction.
use super::StoreError;
use rusqlite::Connection;
use std::path::Path;

const MIGRATIONS: &[&str] = &[
    // 1: the event log and the index of days into it.
    "CREATE TABLE events (
        id   INTEGER PRIMARY KEY,  -- the event id, dense and increasing
        at   INTEGER NOT NULL,     -- unix milliseconds
        day  TEXT NOT NULL,        -- service day, YYYY-MM-DD
        body TEXT NOT NULL,        -- JSON of the event body, with its type tag
        key  TEXT                  -- idempotency key of the request that caused it
     );
     CREATE TABLE days (day TEXT PRIMARY KEY, first_event INTEGER NOT NULL) WITHOUT ROWID;",
    // 2: the staff console: accounts, sessions, the administrator's settings, the audit log.
    "CREATE TABLE accounts (
        login        TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        role         TEXT NOT NULL,          -- staff | admin
        hash         TEXT NOT NULL,          -- argon2id PHC string
        counters     TEXT NOT NULL,          -- JSON array of counter ids, [] = any
        disabled     INTEGER NOT NULL DEFAULT 0,
        failed       INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,                -- unix milliseconds
        created      INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie's secret, hex
        login   TEXT NOT NULL,
        csrf    TEXT NOT NULL,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE settings (
        version INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        by      TEXT NOT NULL,
        body    TEXT NOT NULL                -- JSON of shared::config::Settings
     );
     CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
     );",
    // 3: the uplink to the province hub: the last id the hub acknowledged (the backlog starts
    // after it), events pruning had to drop unsent, the version of the province's catalogue.
    "CREATE TABLE uplink (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        acked          INTEGER NOT NULL DEFAULT 0,
        acked_at       INTEGER,              -- unix milliseconds
        dropped        INTEGER NOT NULL DEFAULT 0,
        catalogue_etag TEXT
     );
     INSERT INTO uplink (id) VALUES (1);",
    // 4: ids a restore left behind: the events after `after` up to `upto` were in the store a
    // restore replaced (or a store before it). They are never numbered again (the hub and the
    // clients knew them as other events), and a client resuming from one must start over.
    "CREATE TABLE lost_ids (
        upto  INTEGER PRIMARY KEY,   -- the highest id the replaced store had used
        after INTEGER NOT NULL       -- the copy's highest id: the lost ids are after it
     );",
    // 5: a dossier is evaluated once, whatever day: the evaluations by receipt code, found
    // without reading the log (a partial index holds only the log's evaluations).
    "CREATE INDEX events_evaluated ON events (json_extract(body, '$.dossier'))
        WHERE json_extract(body, '$.type') = 'dossier_evaluated';",
    // 6: numbers booked on the province hub, as the uplink pulled them: the kiosk checks them
    // in from here, offline too. `seq` is the hub's order (the next pull starts after it).
    "CREATE TABLE bookings (
        code    TEXT PRIMARY KEY,
        seq     INTEGER NOT NULL,
        service TEXT NOT NULL,
        day     TEXT NOT NULL,     -- YYYY-MM-DD
        window  TEXT NOT NULL      -- HH:MM-HH:MM, local
     ) WITHOUT ROWID;",
];

pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let fail = |op| move |e| StoreError::classify(path, op, e);
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(fail("read schema version"))?;
    if found > VERSION {
        return Err(StoreError::NewerSchema { path: path.to_owned(), found, known: VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(fail("begin migration"))?;
        tx.execute_batch(sql).map_err(fail("migrate"))?;
        tx.pragma_update(None, "user_version", i as i64 + 1).map_err(fail("migrate"))?;
        tx.commit().map_err(fail("commit migration"))?;
    }
    Ok(())
}

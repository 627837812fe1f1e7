//! The console's tables: accounts, sessions, the administrator's settings, the audit log.
//!
//! Each change is one transaction with its audit line, so the log never claims a change that
//! did not happen nor misses one that did.
use super::{Store, StoreError};
use crate::console::{Account, AccountRole, Audit, AuditEntry, Session};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(v: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(v).unwrap_or_default()
}

pub(super) fn write_audit(tx: &Transaction<'_>, at: DateTime<Utc>, a: &Audit) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![ms(at), a.actor, a.action, a.target, a.detail])
        .map(|_| ())
}

const ACCOUNT_COLUMNS: &str = "login, name, role, hash, counters, disabled, failed, locked_until, created";

fn account_row(r: &Row<'_>) -> rusqlite::Result<(Account, String)> {
    let role: String = r.get(2)?;
    let counters: String = r.get(4)?;
    let a = Account {
        login: r.get(0)?,
        name: r.get(1)?,
        role: AccountRole::parse(&role).unwrap_or(AccountRole::Staff),
        hash: r.get(3)?,
        counters: serde_json::from_str(&counters).unwrap_or_default(),
        disabled: r.get::<_, i64>(5)? != 0,
        failed: r.get::<_, i64>(6)?.clamp(0, u32::MAX as i64) as u32,
        locked_until: r.get::<_, Option<i64>>(7)?.map(time),
        created: time(r.get(8)?),
    };
    Ok((a, role))
}

impl Store {
    fn checked_account(&self, found: Option<(Account, String)>) -> Result<Option<Account>, StoreError> {
        match found {
            // A role this build does not know (a newer version wrote it) must not become staff
            // silently: refuse to read the row.
            Some((a, role)) if AccountRole::parse(&role).is_none() => {
                Err(StoreError::BadRecord { path: self.path.clone(), what: format!("account {:?} has an unknown role {role:?}", a.login) })
            }
            other => Ok(other.map(|(a, _)| a)),
        }
    }

    pub fn account(&self, login: &str) -> Result<Option<Account>, StoreError> {
        let found = self
            .conn
            .query_row(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE login = ?1"), [login], account_row)
            .optional()
            .map_err(|e| StoreError::classify(&self.path, "read account", e))?;
        self.checked_account(found)
    }

    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let fail = |e| StoreError::classify(&self.path, "read accounts", e);
        let mut st = self.conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY login")).map_err(fail)?;
        let rows = st.query_map([], account_row).map_err(fail)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(a) = self.checked_account(Some(r.map_err(fail)?))? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Whether any account exists at all (the first one is made from the command line).
    pub fn has_admin(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin' AND disabled = 0)", [], |r| r.get(0))
            .map_err(|e| StoreError::classify(&self.path, "read accounts", e))
    }

    /// Writes an account (new or changed) with its audit line; `new` refuses an existing login
    /// (answering false) rather than overwrite it.
    pub fn put_account(&mut self, a: &Account, new: bool, at: DateTime<Utc>, audit: Option<&Audit>) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        let counters = serde_json::to_string(&a.counters).expect("strings serialise");
        let values = params![
            a.login,
            a.name,
            a.role.code(),
            a.hash,
            counters,
            a.disabled as i64,
            a.failed as i64,
            a.locked_until.map(ms),
            ms(a.created)
        ];
        let verb = if new { "INSERT OR IGNORE" } else { "INSERT OR REPLACE" };
        let n = tx
            .execute(&format!("{verb} INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"), values)
            .map_err(fail("write account"))?;
        if n == 0 {
            return Ok(false);
        }
        if let Some(audit) = audit {
            write_audit(&tx, at, audit).map_err(fail("write audit"))?;
        }
        tx.commit().map_err(fail("commit"))?;
        Ok(true)
    }

    pub fn put_session(&mut self, s: &Session, audit: &Audit) -> Result<(), StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        tx.execute(
            "INSERT INTO sessions (id_hash, login, csrf, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.id_hash, s.login, s.csrf, ms(s.created), ms(s.expires)],
        )
        .map_err(fail("write session"))?;
        write_audit(&tx, s.created, audit).map_err(fail("write audit"))?;
        tx.commit().map_err(fail("commit"))
    }

    pub fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        self.conn
            .query_row("SELECT id_hash, login, csrf, created, expires FROM sessions WHERE id_hash = ?1", [id_hash], |r| {
                Ok(Session { id_hash: r.get(0)?, login: r.get(1)?, csrf: r.get(2)?, created: time(r.get(3)?), expires: time(r.get(4)?) })
            })
            .optional()
            .map_err(|e| StoreError::classify(&self.path, "read session", e))
    }

    /// Ends sessions: one (`id_hash`), or every one of an account (`login`, when it is disabled
    /// or its password changes), or every expired one (`expired_at`). Returns how many ended.
    pub fn end_sessions(&mut self, which: SessionsToEnd<'_>, at: DateTime<Utc>, audit: Option<&Audit>) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        let n = match which {
            SessionsToEnd::One(h) => tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [h]),
            SessionsToEnd::OfAccount(l) => tx.execute("DELETE FROM sessions WHERE login = ?1", [l]),
            SessionsToEnd::Expired => tx.execute("DELETE FROM sessions WHERE expires <= ?1", [ms(at)]),
        }
        .map_err(fail("end sessions"))?;
        if let Some(audit) = audit {
            write_audit(&tx, at, audit).map_err(fail("write audit"))?;
        }
        tx.commit().map_err(fail("commit"))?;
        Ok(n)
    }

    /// Writes audit lines on their own (sign-in failures, counter changes).
    pub fn audit(&mut self, at: DateTime<Utc>, lines: &[Audit]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        for a in lines {
            write_audit(&tx, at, a).map_err(fail("write audit"))?;
        }
        tx.commit().map_err(fail("commit"))
    }

    /// The newest audit lines before `before` (all when none), newest first.
    pub fn audit_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let fail = |e| StoreError::classify(&self.path, "read audit", e);
        let mut st = self
            .conn
            .prepare_cached("SELECT id, at, actor, action, target, detail FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT ?2")
            .map_err(fail)?;
        let rows = st
            .query_map(params![before.map(|b| b as i64).unwrap_or(i64::MAX), limit as i64], |r| {
                Ok(AuditEntry {
                    id: r.get::<_, i64>(0)? as u64,
                    at: time(r.get(1)?),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: r.get(5)?,
                })
            })
            .map_err(fail)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(fail)
    }

    /// The newest settings the administrator stored: version and JSON.
    pub fn settings(&self) -> Result<Option<(u64, String)>, StoreError> {
        self.conn
            .query_row("SELECT version, body FROM settings ORDER BY version DESC LIMIT 1", [], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
            })
            .optional()
            .map_err(|e| StoreError::classify(&self.path, "read settings", e))
    }
}

/// Which sessions `end_sessions` ends.
#[derive(Debug, Clone, Copy)]
pub enum SessionsToEnd<'a> {
    One(&'a str),
    OfAccount(&'a str),
    Expired,
}

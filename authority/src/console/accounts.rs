//! Accounts: signing in (lockout after repeated failures), creating and changing accounts.
//!
//! The rules that need the store run on the authority's thread (`with_store`), the password
//! hashing on a blocking thread behind the sign-in gate (`gate.rs`): the queue never waits for
//! Argon2, and a flood of sign-ins never runs more hashes than the gate allows.
use super::gate::{GateError, HashGate};
use super::password;
use super::session::{self, Console};
use crate::owner::{Authority, AuthorityError};
use chrono::{DateTime, Utc};
use shared::config::Config;
use shared::console::{valid_login, Account, AccountRole, Audit, Session, MIN_PASSWORD};
use shared::store::SessionsToEnd;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("{0}")]
    Invalid(String),
    #[error("account {0:?} exists already")]
    Exists(String),
    #[error("there is no account {0:?}")]
    NotFound(String),
    /// The change would leave nobody able to administer the centre.
    #[error("{0}")]
    SelfLockout(String),
    #[error("the password hashing task failed")]
    Join,
    /// The sign-in gate's slots and queue are full.
    #[error("{0}")]
    Busy(GateError),
}

impl From<GateError> for AccountError {
    fn from(e: GateError) -> Self {
        match e {
            GateError::Busy => AccountError::Busy(e),
            GateError::Join => AccountError::Join,
        }
    }
}

/// How a sign-in ended.
// One per sign-in, moved once into the answer: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum SignIn {
    /// The secret goes into the cookie; the session and account go to the page.
    Done {
        token: String,
        session: Session,
        account: Account,
    },
    BadCredentials,
    Locked {
        until: DateTime<Utc>,
    },
    Disabled,
}

pub async fn sign_in(authority: &Authority, console: &Console, login: &str, password: &str) -> Result<SignIn, AccountError> {
    let login = login.trim().to_lowercase();
    let l = login.clone();
    let (account, now) = authority.with_store(move |s, now| Ok((s.account(&l)?, now))).await?;
    let Some(account) = account else {
        // An unknown login answers as an account would, after the same work: one verification
        // whatever happens, a "lock" after the same number of tries, the same answers. Else
        // the lockout (or its speed) tells which logins exist.
        console.gate.verify_nothing(password, password::Cost::of(&console.config)).await?;
        let (audit, answer) = match console.unknown_locked(&login, now) {
            Some(until) => (Audit::new("-", "sign_in_refused").detail("unknown login, locked"), SignIn::Locked { until }),
            None => match console.unknown_failed(&login, now) {
                Some(until) => (Audit::new("-", "sign_in_failed").detail("unknown login, now locked"), SignIn::Locked { until }),
                None => (Audit::new("-", "sign_in_failed").detail("unknown login"), SignIn::BadCredentials),
            },
        };
        let audit = audit.target(clip(&login));
        authority.with_store(move |s, now| s.audit(now, &[audit])).await?;
        return Ok(answer);
    };
    // Verified even when locked: a locked account costs the same and answers as late as any.
    let good = console.gate.verify(password, &account.hash).await?;
    if let Some(until) = account.locked_until.filter(|u| *u > now) {
        let audit = Audit::new(login.clone(), "sign_in_refused").detail("account locked");
        authority.with_store(move |s, now| s.audit(now, &[audit])).await?;
        return Ok(SignIn::Locked { until });
    }
    if !good {
        let (after, minutes) = (console.config.lockout_after, console.config.lockout_min);
        let l = login.clone();
        // Read again on the store's thread: two wrong tries at once both count.
        let locked = authority
            .with_store(move |s, now| {
                let Some(mut a) = s.account(&l)? else { return Ok(None) };
                a.failed += 1;
                let mut audit = Audit::new(l.clone(), "sign_in_failed").detail(format!("wrong password ({} in a row)", a.failed));
                if a.failed >= after {
                    a.failed = 0;
                    a.locked_until = Some(now + chrono::Duration::minutes(minutes as i64));
                    audit = Audit::new(l.clone(), "account_locked")
                        .detail(format!("{after} wrong passwords in a row: locked for {minutes} min"));
                }
                s.put_account(&a, false, now, Some(&audit))?;
                Ok(a.locked_until.filter(|u| *u > now))
            })
            .await?;
        return Ok(match locked {
            Some(until) => SignIn::Locked { until },
            None => SignIn::BadCredentials,
        });
    }
    if account.disabled {
        let audit = Audit::new(login.clone(), "sign_in_refused").detail("account disabled");
        authority.with_store(move |s, now| s.audit(now, &[audit])).await?;
        return Ok(SignIn::Disabled);
    }
    let (token, id_hash) = session::new_secret()?;
    let csrf = session::new_csrf()?;
    let lifetime = console.lifetime();
    let l = login.clone();
    let stored = authority
        .with_store(move |s, now| {
            let mut a = s.account(&l)?.unwrap_or(account);
            let session = Session { id_hash, login: l.clone(), csrf, created: now, expires: now + lifetime };
            if a.failed != 0 || a.locked_until.is_some() {
                a.failed = 0;
                a.locked_until = None;
                s.put_account(&a, false, now, None)?;
            }
            s.put_session(&session, &Audit::new(l.clone(), "sign_in"))?;
            Ok((session, a))
        })
        .await?;
    let (session, account) = stored;
    console.touch(&session.id_hash, session.expires, session.created);
    Ok(SignIn::Done { token, session, account })
}

/// Keeps what an unknown sign-in name puts in the audit log short and printable.
fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(40).collect()
}

/// A new account, as the administrator (or the command line) describes it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    #[serde(default)]
    pub counters: Vec<String>,
    pub password: String,
}

/// A change to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    pub name: Option<String>,
    pub role: Option<AccountRole>,
    pub counters: Option<Vec<String>>,
    pub disabled: Option<bool>,
    pub password: Option<String>,
    /// Lifts a lockout before its time.
    #[serde(default)]
    pub unlock: bool,
}

fn check_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(AccountError::Invalid("the name must have 1 to 80 characters, without control characters".into()));
    }
    Ok(name.to_owned())
}

fn check_password(p: &str) -> Result<(), AccountError> {
    if p.chars().count() < MIN_PASSWORD || p.len() > 256 {
        return Err(AccountError::Invalid(format!("a password must have {MIN_PASSWORD} to 256 characters")));
    }
    Ok(())
}

fn check_counters(config: &Config, counters: &[String]) -> Result<(), AccountError> {
    match counters.iter().find(|c| config.counter(c).is_none()) {
        Some(c) => Err(AccountError::Invalid(format!("there is no counter {c:?}"))),
        None => Ok(()),
    }
}

/// Checks a new account and hashes its password (on the calling thread: the command line
/// calls this directly, the API from a blocking task).
pub fn prepare(config: &Config, new: NewAccount, now: DateTime<Utc>) -> Result<Account, AccountError> {
    let login = new.login.trim().to_owned();
    if !valid_login(&login) {
        return Err(AccountError::Invalid("a login has 3 to 32 of a-z, 0-9, '.', '_' and '-', starting with a letter".into()));
    }
    let name = check_name(&new.name)?;
    check_password(&new.password)?;
    check_counters(config, &new.counters)?;
    Ok(Account {
        login,
        name,
        role: new.role,
        hash: password::hash(&new.password, password::Cost::of(&config.console))?,
        counters: new.counters,
        disabled: false,
        failed: 0,
        locked_until: None,
        created: now,
    })
}

/// Hashing goes through the sign-in gate (`gate`): a new password costs what a sign-in does.
pub async fn create(authority: &Authority, gate: &HashGate, actor: &str, new: NewAccount) -> Result<Account, AccountError> {
    let config = authority.config();
    let now = authority.with_store(|_, now| Ok(now)).await?;
    let account = gate.run(move |_| prepare(&config, new, now)).await??;
    let audit = Audit::new(actor, "account_created").target(account.login.clone()).detail(format!("role {}", account.role.code()));
    let a = account.clone();
    let inserted = authority.with_store(move |s, now| s.put_account(&a, true, now, Some(&audit))).await?;
    if !inserted {
        return Err(AccountError::Exists(account.login));
    }
    Ok(account)
}

pub async fn update(
    authority: &Authority,
    gate: &HashGate,
    actor: &str,
    login: &str,
    patch: AccountPatch,
) -> Result<Account, AccountError> {
    let config = authority.config();
    if let Some(n) = &patch.name {
        check_name(n)?;
    }
    if let Some(c) = &patch.counters {
        check_counters(&config, c)?;
    }
    let new_hash = match patch.password.clone() {
        Some(p) => {
            check_password(&p)?;
            let cost = password::Cost::of(&config.console);
            Some(gate.run(move |_| password::hash(&p, cost)).await??)
        }
        None => None,
    };
    if login == actor && (patch.disabled == Some(true) || patch.role == Some(AccountRole::Staff)) {
        return Err(AccountError::SelfLockout("you cannot disable your own account or take away your own administrator role".into()));
    }
    let (login, actor) = (login.to_owned(), actor.to_owned());
    authority
        .with_store(move |s, now| {
            let Some(mut a) = s.account(&login)? else { return Ok(Err(AccountError::NotFound(login))) };
            let before = a.clone();
            if let Some(n) = &patch.name {
                a.name = n.trim().to_owned();
            }
            if let Some(r) = patch.role {
                a.role = r;
            }
            if let Some(c) = patch.counters {
                a.counters = c;
            }
            if let Some(d) = patch.disabled {
                a.disabled = d;
            }
            if let Some(h) = new_hash {
                a.hash = h;
            }
            if patch.unlock {
                a.failed = 0;
                a.locked_until = None;
            }
            let mut changed = Vec::new();
            for (what, did) in [
                ("name", a.name != before.name),
                ("role", a.role != before.role),
                ("counters", a.counters != before.counters),
                ("disabled", a.disabled != before.disabled),
                ("password", a.hash != before.hash),
                ("unlocked", patch.unlock),
            ] {
                if did {
                    changed.push(what);
                }
            }
            let audit = Audit::new(actor.clone(), "account_changed").target(login.clone()).detail(changed.join(", "));
            s.put_account(&a, false, now, Some(&audit))?;
            // Only a change that takes an enabled administrator away can leave the centre
            // without one (a centre may also run on the admin token alone, with no admin account).
            let was_admin = before.role == AccountRole::Admin && !before.disabled;
            let is_admin = a.role == AccountRole::Admin && !a.disabled;
            if was_admin && !is_admin && !s.has_admin()? {
                // Put it back: the centre would have no administrator left.
                s.put_account(&before, false, now, None)?;
                return Ok(Err(AccountError::SelfLockout("at least one enabled administrator account must remain".into())));
            }
            // A new password or a disabled account signs out every browser of that account.
            if a.hash != before.hash || a.disabled || a.role != before.role {
                s.end_sessions(SessionsToEnd::OfAccount(&login), now, None)?;
            }
            Ok(Ok(a))
        })
        .await?
}

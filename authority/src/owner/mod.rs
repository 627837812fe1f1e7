//! The queue authority: one thread owns the SQLite connection and the engine.
//!
//! Requests arrive on a channel. The thread takes every request already waiting (up to a
//! batch), decides them one after the other on the engine, writes all their events in ONE
//! transaction, and only after the commit answers each caller and broadcasts the events
//! (group commit: many concurrent tickets cost one fsync, yet no answer precedes its commit).
//! If the commit fails, every caller of the batch gets the error and the engine is rebuilt from
//! the log, so memory never holds what the disk does not.
//!
//! - `mod.rs`: the thread, group commit.
//! - `handle.rs`: `Authority`, the handle callers hold: its requests and their answers.
//! - `board.rs`: the public board the phone pages follow (rebuilt per commit while followed).
//! - `log_clock.rs`: the owner's time, which never goes back behind the log, and the clock's
//!   steps (a Pi that booted with a stale time), which the engine records.
//! - `public_key.rs`: drawing a ticket's public key (the one random part of issuing).
//! - `settings.rs`: the administrator's settings: loaded over the file's at start, changed live
//!   (stored with their `settings_changed` event in one transaction).
//!
//! The console's accounts, sessions and audit log live in the same SQLite file, so they go
//! through this thread too (`with_store`): one owner of the connection.
mod board;
mod handle;
mod log_clock;
pub mod public_key;
mod settings;

pub use board::Board;
use handle::Request;
pub use handle::{Authority, EventsPage, Executed};
pub use settings::{effective as effective_config, SettingsError as ReconfigureError};

use log_clock::LogClock;
use shared::config::{Config, Settings};
use shared::console::Audit;
use shared::domain::{Command, DomainError, Engine};
use shared::event::{Event, EventId, TicketId};
use shared::store::{Append, Side, Store, StoreError};
use shared::wire::TicketView;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};

/// Commands decided per transaction at most: bounds the latency a batch adds to its first caller.
const MAX_BATCH: usize = 256;
/// Days of log replayed at start: enough to seed the visit-length averages.
const REPLAY_DAYS: u32 = 7;
/// How often the thread looks at the clock when idle (rollover, pruning).
const TICK: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Shared: one failed commit answers every caller of its batch with the same cause.
    #[error(transparent)]
    Store(Arc<StoreError>),
    #[error("the queue authority has stopped")]
    Stopped,
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
}

struct Actor {
    store: Store,
    engine: Engine,
    /// The last event committed. After a restore of an older copy it is below the engine's
    /// next id less one (ids the replaced store used are skipped): the state says this one, so
    /// that a client following on from the state does not start inside the lost ids.
    last_event: EventId,
    /// Idempotency keys of today's requests → the day and the ticket their answer was about.
    /// The day is kept so the rollover forgets yesterday's alone: the request that starts a
    /// day is committed with the day's first event, and its key must outlive that commit.
    keys: HashMap<String, (chrono::NaiveDate, Option<TicketId>)>,
    clock: LogClock,
    /// The first event decided under the clock as it now stands (since the start or the last
    /// step): a step carries the waiting tickets from here on into its day.
    since: EventId,
    /// Whether the audit log already says the clock is behind (said once each time).
    said_behind: bool,
    full: Arc<AtomicBool>,
    dropped: Arc<AtomicU64>,
    events: broadcast::Sender<Arc<Event>>,
    board: Arc<watch::Sender<Arc<Board>>>,
    /// The configuration committed last (what a failed batch goes back to).
    config: Arc<Config>,
    /// The version of the administrator's settings in `file` (0: none stored).
    version: u64,
    shared: Arc<std::sync::RwLock<Arc<Config>>>,
}

/// An answer held back until the batch's commit.
struct Held {
    reply: oneshot::Sender<Result<Executed, AuthorityError>>,
    ticket: Option<TicketId>,
    /// The command issued the ticket: its answer carries the public key.
    issues: bool,
}

impl Actor {
    /// A command's answer: the ticket's view, with its public key when the command issued it
    /// (the state every device reads does not carry keys).
    fn answer(&self, id: TicketId, issues: bool, now: chrono::DateTime<chrono::Utc>) -> Option<TicketView> {
        let mut view = self.engine.view_ticket(id, now)?;
        if issues {
            view.key = self.engine.ticket(id).and_then(|t| t.key.clone());
        }
        Some(view)
    }

    /// Rebuilds the engine and the key map from the log; gives the time of its last event.
    fn reload(&mut self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let recent = self.store.recent(REPLAY_DAYS)?;
        let mut engine = Engine::new(self.config.clone(), self.store.last_id()? + 1);
        engine.replay(recent.iter().map(|(e, _)| e));
        let today = engine.day();
        self.keys = recent
            .iter()
            .filter(|(e, k)| k.is_some() && Some(e.day) == today)
            .map(|(e, k)| (k.clone().unwrap_or_default(), (e.day, e.body.ticket())))
            .collect();
        self.engine = engine;
        self.last_event = self.store.last_event_id()?;
        Ok(recent.last().map(|(e, _)| e.at))
    }

    fn run(mut self, rx: mpsc::Receiver<Request>) {
        loop {
            let first = match rx.recv_timeout(TICK) {
                Ok(r) => r,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.tick();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(r) => batch.push(r),
                    Err(_) => break,
                }
            }
            self.handle(batch);
        }
        tracing::info!("queue authority stopped");
    }

    fn tick(&mut self) {
        let mut pending = Vec::new();
        self.turn_day(&mut pending);
        self.flush(pending, Vec::new(), Vec::new());
    }

    /// Moves the events a day turn decides into `pending`: run before every batch (so the day
    /// turns even while requests keep the thread busy) and after every refusal (a refused
    /// command may have turned it).
    fn turn_day(&mut self, pending: &mut Vec<(Event, Option<String>)>) {
        let now = self.now(pending);
        if let Ok(out) = self.engine.execute(&Command::Tick, now) {
            pending.extend(out.events.into_iter().map(|e| (e, None)));
        }
    }

    /// The time to decide a command at. A step of the system clock seen since the last reading
    /// is recorded first (its events into `pending`), so that no command is decided at the new
    /// time before the engine has carried the stale run's tickets into their day.
    fn now(&mut self, pending: &mut Vec<(Event, Option<String>)>) -> chrono::DateTime<chrono::Utc> {
        let now = self.clock.now();
        if let Some(step) = self.clock.take_step() {
            let cmd = Command::ClockStepped { from: step.from, to: step.to, since: self.since };
            if let Ok(out) = self.engine.execute(&cmd, now) {
                let carried = out.events.iter().find_map(|e| match &e.body {
                    shared::event::EventBody::ClockStepped { carried, .. } => Some(carried.len()),
                    _ => None,
                });
                let why = format!(
                    "the system clock stepped {} s forward, from {} to {}; {} waiting ticket(s) carried into the day",
                    (step.to - step.from).num_seconds(),
                    step.from.format("%F %T UTC"),
                    step.to.format("%F %T UTC"),
                    carried.unwrap_or(0)
                );
                tracing::warn!("{why}");
                self.audit_clock("clock_stepped", why, now);
                pending.extend(out.events.into_iter().map(|e| (e, None)));
                self.since = self.engine.next_id();
            }
        }
        match (self.clock.behind(), self.said_behind) {
            (Some(b), false) => {
                let why = format!(
                    "the system clock ({}) is behind the queue's log ({}): the queue keeps the log's time",
                    b.system.format("%F %T UTC"),
                    b.kept.format("%F %T UTC")
                );
                self.audit_clock("clock_behind", why, now);
                self.said_behind = true;
            }
            (None, true) => self.said_behind = false,
            _ => {}
        }
        now
    }

    fn audit_clock(&mut self, action: &'static str, why: String, now: chrono::DateTime<chrono::Utc>) {
        if let Err(e) = self.store.audit(now, &[Audit::new("clock", action).detail(why)]) {
            tracing::warn!("the audit line of the clock was not written: {e}");
        }
    }

    fn handle(&mut self, batch: Vec<Request>) {
        let mut pending: Vec<(Event, Option<String>)> = Vec::new();
        let mut held: Vec<Held> = Vec::new();
        let mut audits: Vec<Audit> = Vec::new();
        self.turn_day(&mut pending);
        for req in batch {
            match req {
                Request::Execute { mut cmd, key, audit, reply } => {
                    let now = self.now(&mut pending);
                    let stored_key = key.map(|k| format!("{}#{k}", fingerprint(&cmd)));
                    let issues = matches!(cmd, Command::Issue { .. } | Command::CheckIn { .. });
                    let today = self.engine.day();
                    let known = stored_key.as_ref().and_then(|k| self.keys.get(k)).filter(|(day, _)| Some(*day) == today);
                    if let Some((_, ticket)) = known {
                        let ticket = ticket.and_then(|id| self.answer(id, issues, now));
                        let _ = reply.send(Ok(Executed { ticket, replayed: true }));
                        continue;
                    }
                    if let Command::Issue { key: public @ None, .. } | Command::CheckIn { key: public @ None, .. } = &mut cmd {
                        *public = Some(public_key::draw());
                    }
                    // The booking is the store's (pulled from the hub); the engine decides on it.
                    if let Command::CheckIn { code, booking, .. } = &mut cmd {
                        match self.store.booking(code) {
                            Ok(b) => *booking = b,
                            Err(e) => {
                                let _ = reply.send(Err(AuthorityError::Store(Arc::new(e))));
                                continue;
                            }
                        }
                    }
                    // Once per dossier, whatever day: what the log holds beyond the replayed
                    // days is the store's to tell (a bad code is the engine's to refuse).
                    if let Command::EvaluateDossier { dossier, stored_at, .. } = &mut cmd {
                        if let Ok(code) = shared::dossier::ReceiptCode::parse(dossier) {
                            match self.store.evaluated_at(code.as_str()) {
                                Ok(at) => *stored_at = at,
                                Err(e) => {
                                    let _ = reply.send(Err(AuthorityError::Store(Arc::new(e))));
                                    continue;
                                }
                            }
                        }
                    }
                    match self.engine.execute(&cmd, now) {
                        Ok(out) => {
                            let subject = out.ticket.as_ref().map(|t| t.id);
                            if let Some(k) = &stored_key {
                                let day = self.engine.day().expect("a command executed has a day");
                                self.keys.insert(k.clone(), (day, subject));
                            }
                            let n = out.events.len();
                            for (i, e) in out.events.into_iter().enumerate() {
                                // The key rides on the last event of its command, so a restart
                                // rebuilds the key map from the log.
                                let k = if i + 1 == n { stored_key.clone() } else { None };
                                pending.push((e, k));
                            }
                            held.push(Held { reply, ticket: subject, issues });
                            audits.extend(audit);
                        }
                        Err(e) => {
                            self.turn_day(&mut pending);
                            let _ = reply.send(Err(e.into()));
                        }
                    }
                }
                Request::State { reply } => {
                    // A read sees only what is committed: flush first.
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let mut state = self.engine.state(self.clock.now(), self.last_event);
                    state.clock = self.clock.behind().map(|b| shared::wire::ClockView {
                        system: b.system,
                        kept: b.kept,
                        behind_s: (b.kept - b.system).num_seconds().max(0) as u64,
                    });
                    let _ = reply.send(state);
                }
                Request::Public { key, reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let _ = reply.send(self.engine.public_ticket(&key, self.clock.now()));
                }
                Request::PublicBoard { reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let now = self.clock.now();
                    let _ = reply.send(Board { as_of: Some(now), tickets: self.engine.public_board(now) });
                }
                Request::LastId { reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let _ = reply.send(self.engine.next_id() - 1);
                }
                Request::EventsAfter { after, limit, reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let page = self.store.events_after(after, limit).and_then(|events| {
                        Ok(EventsPage {
                            events: events.into_iter().map(Arc::new).collect(),
                            first_id: self.store.first_id()?,
                            after_lost: self.store.is_lost(after)?,
                        })
                    });
                    let _ = reply.send(page.map_err(Into::into));
                }
                Request::Settings { reply } => {
                    let _ = reply.send((self.version, Settings::of(&self.config)));
                }
                Request::Reconfigure { settings, seen, by, reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let _ = reply.send(self.reconfigure(*settings, seen, &by));
                }
                Request::DayEvents { day, reply } => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    let _ = reply.send(self.store.events_of_day(day).map_err(Into::into));
                }
                Request::WithStore(job) => {
                    self.flush(std::mem::take(&mut pending), std::mem::take(&mut held), std::mem::take(&mut audits));
                    job(&mut self.store, self.clock.now());
                }
            }
        }
        self.flush(pending, held, audits);
    }

    /// Commits the batch, then answers and broadcasts; or fails every caller and reloads.
    fn flush(&mut self, pending: Vec<(Event, Option<String>)>, held: Vec<Held>, audits: Vec<Audit>) {
        if pending.is_empty() && held.is_empty() && audits.is_empty() {
            return;
        }
        let batch: Vec<Append> = pending.iter().map(|(e, k)| Append { event: e, key: k.as_deref() }).collect();
        let side: Vec<Side> = audits.iter().map(Side::Audit).collect();
        let committed = self.store.append_with(&batch, &side);
        self.full.store(matches!(committed, Err(StoreError::Full { .. })), Ordering::Relaxed);
        match committed {
            Ok(()) => {
                let now = self.clock.now();
                for h in held {
                    let ticket = h.ticket.and_then(|id| self.answer(id, h.issues, now));
                    let _ = h.reply.send(Ok(Executed { ticket, replayed: false }));
                }
                let mut turned = false;
                let changed = !pending.is_empty();
                for (e, _) in pending {
                    turned |= e.body == shared::event::EventBody::DayStarted;
                    self.last_event = e.id;
                    let _ = self.events.send(Arc::new(e));
                }
                if turned {
                    self.new_day();
                }
                if changed && self.board.receiver_count() > 0 {
                    let board = Board { as_of: Some(now), tickets: self.engine.public_board(now) };
                    self.board.send_replace(Arc::new(board));
                }
            }
            Err(err) => {
                tracing::error!("commit failed, {} request(s) refused: {err}", held.len());
                let err = Arc::new(err);
                for h in held {
                    let _ = h.reply.send(Err(AuthorityError::Store(err.clone())));
                }
                if let Err(e) = self.reload() {
                    tracing::error!("the log cannot be read back after a failed commit: {e}");
                }
            }
        }
    }

    /// At the rollover: forget yesterday's keys, prune the log past its keeping time.
    fn new_day(&mut self) {
        let today = self.engine.day();
        self.keys.retain(|_, (day, _)| Some(*day) == today);
        let Some(today) = self.engine.day() else { return };
        match self.store.end_sessions(shared::store::SessionsToEnd::Expired, self.clock.now(), None) {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} expired console sessions removed"),
            Err(e) => tracing::warn!("removing expired console sessions failed (tried again tomorrow): {e}"),
        }
        let config = self.engine.config().clone();
        let keep = config.store.keep_days as i64;
        // With a hub, what it has not acknowledged is kept, up to its own limit.
        let unsent = config.uplink.as_ref().map(|u| today - chrono::Duration::days(u.keep_unsent_days as i64));
        match self.store.prune(today - chrono::Duration::days(keep), unsent) {
            Ok(p) => {
                if p.events > 0 {
                    tracing::info!("pruned {} events older than {keep} days", p.events);
                }
                if p.unsent > 0 {
                    self.dropped_unsent(p.unsent, config.uplink.as_ref().map_or(0, |u| u.keep_unsent_days));
                }
            }
            Err(e) => tracing::warn!("pruning the log failed (it will be tried tomorrow): {e}"),
        }
    }

    /// Says, everywhere an operator looks, that events went without reaching the hub.
    fn dropped_unsent(&mut self, n: usize, days: u32) {
        self.dropped.fetch_add(n as u64, Ordering::Relaxed);
        let why =
            format!("{n} events older than {days} days were pruned before the province hub acknowledged them ([uplink] keep_unsent_days)");
        tracing::warn!("{why}");
        let audit = Audit::new("uplink", "uplink_events_dropped").detail(why);
        if let Err(e) = self.store.audit(self.clock.now(), &[audit]) {
            tracing::warn!("the audit line of the dropped events was not written: {e}");
        }
    }
}

/// What a request asked, so that a key reused for a different request is not mistaken for a
/// repeat of the first.
fn fingerprint(cmd: &Command) -> String {
    use Command::*;
    match cmd {
        Issue { service, priority, .. } => format!("issue:{service}:{}", priority.as_deref().unwrap_or("")),
        CheckIn { code, .. } => format!("check-in:{code}"),
        CallNext { counter } => format!("call-next:{counter}"),
        Call { counter, ticket } => format!("call:{counter}:{ticket:?}"),
        Recall { counter } => format!("recall:{counter}"),
        NoShow { counter } => format!("no-show:{counter}"),
        Restore { ticket, .. } => format!("restore:{ticket:?}"),
        Finish { counter } => format!("finish:{counter}"),
        Transfer { counter, service, to_counter } => format!("transfer:{counter}:{service:?}:{to_counter:?}"),
        Pause { counter } => format!("pause:{counter}"),
        Resume { counter } => format!("resume:{counter}"),
        ReportDevice { device, problem, message } => format!("device:{device}:{problem:?}:{message:?}"),
        AskHelp { device, screen } => format!("help:{device}:{screen:?}"),
        AnswerHelp { device, staff, .. } => format!("help-answer:{device}:{staff}"),
        WithdrawHelp { device } => format!("help-withdraw:{device}"),
        Reprint { ticket, device, .. } => format!("reprint:{ticket:?}:{device:?}"),
        Staff { counter, staff } => format!("staff:{counter}:{:?}", staff.as_ref().map(|s| &s.0)),
        Rate { ticket, rating, .. } => format!("rate:{ticket:?}:{}", rating.code()),
        LinkDossier { ticket, dossier, .. } => format!("dossier:{ticket:?}:{dossier}"),
        EvaluateDossier { dossier, scores, device, .. } => format!("evaluate:{dossier}:{:?}:{device:?}", scores.each()),
        Reconfigure { version, .. } => format!("settings:{version}"),
        CatalogueReplaced { procedures } => format!("catalogue:{procedures}"),
        Tick => "tick".into(),
        ClockStepped { from, to, .. } => format!("clock:{from}:{to}"),
    }
}

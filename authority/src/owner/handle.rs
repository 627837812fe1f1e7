//! The handle to the authority thread (`Authority`): what callers send it and how they hear
//! back. Each method is one `Request` on the channel and one answer on a oneshot; `start`
//! replays the log and spawns the thread (`super::Actor`).
use super::{settings, Actor, AuthorityError, Board};
use crate::clock::Clock;
use shared::config::{Config, Settings};
use shared::console::Audit;
use shared::domain::{Command, Engine};
use shared::event::{Event, EventId};
use shared::store::{Store, StoreError};
use shared::wire::{PublicTicket, StateView, TicketView};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use tokio::sync::{broadcast, oneshot, watch};

/// What an executed command answers.
#[derive(Debug, Clone)]
pub struct Executed {
    pub ticket: Option<TicketView>,
    /// The request repeated an idempotency key: this is the first answer again, nothing was done.
    pub replayed: bool,
}

pub struct EventsPage {
    pub events: Vec<Arc<Event>>,
    /// The oldest event still kept; a client resuming before it has missed pruned events.
    pub first_id: Option<EventId>,
    /// The id read after was lost with a store a restore replaced: a client resuming from it
    /// saw events this log does not have.
    pub after_lost: bool,
}

/// Work done on the store by the thread that owns it (the console's tables).
pub(super) type StoreJob = Box<dyn FnOnce(&mut Store, chrono::DateTime<chrono::Utc>) + Send>;

pub(super) enum Request {
    Execute {
        cmd: Command,
        key: Option<String>,
        /// Written in the command's transaction, when the command is done.
        audit: Option<Audit>,
        reply: oneshot::Sender<Result<Executed, AuthorityError>>,
    },
    Reconfigure {
        settings: Box<Settings>,
        seen: u64,
        by: String,
        reply: oneshot::Sender<Result<(u64, Settings), AuthorityError>>,
    },
    Settings {
        reply: oneshot::Sender<(u64, Settings)>,
    },
    DayEvents {
        day: chrono::NaiveDate,
        reply: oneshot::Sender<Result<Vec<Event>, AuthorityError>>,
    },
    WithStore(StoreJob),
    State {
        reply: oneshot::Sender<StateView>,
    },
    LastId {
        reply: oneshot::Sender<EventId>,
    },
    Public {
        key: String,
        reply: oneshot::Sender<Option<PublicTicket>>,
    },
    PublicBoard {
        reply: oneshot::Sender<Board>,
    },
    EventsAfter {
        after: EventId,
        limit: usize,
        reply: oneshot::Sender<Result<EventsPage, AuthorityError>>,
    },
}

/// A handle to the authority thread; cheap to clone. The thread ends when the last handle drops.
impl From<StoreError> for AuthorityError {
    fn from(e: StoreError) -> Self {
        AuthorityError::Store(Arc::new(e))
    }
}

#[derive(Clone)]
pub struct Authority {
    tx: mpsc::Sender<Request>,
    events: broadcast::Sender<Arc<Event>>,
    /// The public board, for the phone pages that follow a ticket.
    board: Arc<watch::Sender<Arc<Board>>>,
    /// The configuration in force (the file's, with the administrator's settings over it).
    config: Arc<std::sync::RwLock<Arc<Config>>>,
    /// Set when the last commit failed for want of room, cleared by the next one that succeeds:
    /// `/healthz` says so, since every write is refused meanwhile.
    full: Arc<AtomicBool>,
    /// Events pruned before the province hub had them, all told (the store keeps the count).
    dropped: Arc<AtomicU64>,
    clock: Arc<dyn Clock>,
}

impl Authority {
    /// Replays the log and starts the thread. Fails when the log cannot be read.
    /// The administrator's stored settings, when there are some, replace the file's editable
    /// part; settings the file no longer admits are refused with the reason.
    pub fn start(
        mut store: Store,
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
    ) -> Result<(Authority, std::thread::JoinHandle<()>), AuthorityError> {
        if let Some(kib) = config.store.max_kib {
            store.limit_size(kib).map_err(|e| AuthorityError::Store(Arc::new(e)))?;
        }
        let (version, config) = settings::effective(&store, config)?;
        let shared = Arc::new(std::sync::RwLock::new(config.clone()));
        let full = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicU64::new(store.uplink()?.dropped));
        let mut actor = Actor {
            store,
            engine: Engine::new(config.clone(), 1),
            last_event: 0,
            keys: HashMap::new(),
            clock: super::LogClock::new(clock.clone(), None),
            since: 0,
            said_behind: false,
            full: full.clone(),
            dropped: dropped.clone(),
            events: broadcast::channel(1024).0,
            board: Arc::new(watch::channel(Arc::new(Board::default())).0),
            config: config.clone(),
            version,
            shared: shared.clone(),
        };
        let floor = actor.reload()?;
        // The time never goes back behind the log, even across a restart with a stale clock.
        actor.clock = super::LogClock::new(clock.clone(), floor);
        actor.since = actor.engine.next_id();
        let (tx, rx) = mpsc::channel();
        let handle = Authority { tx, events: actor.events.clone(), board: actor.board.clone(), config: shared, full, dropped, clock };
        let join =
            std::thread::Builder::new().name("authority".into()).spawn(move || actor.run(rx)).expect("spawning the authority thread");
        Ok((handle, join))
    }

    pub async fn execute(&self, cmd: Command, key: Option<String>) -> Result<Executed, AuthorityError> {
        self.execute_audited(cmd, key, None).await
    }

    /// Executes a command and, when it is done, writes `audit` in the same transaction.
    pub async fn execute_audited(&self, cmd: Command, key: Option<String>, audit: Option<Audit>) -> Result<Executed, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Execute { cmd, key, audit, reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)?
    }

    /// Whether the last commit failed because the disk (or `[store] max_kib`) is full and none
    /// has succeeded since: every write is being refused.
    pub fn storage_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// Events the day's pruning dropped before the province hub acknowledged them, all told.
    pub fn uplink_dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The authority's clock now (a test's manual clock in tests).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The configuration in force now.
    pub fn config(&self) -> Arc<Config> {
        self.config.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The administrator's settings in force, and their version (0: the file's own).
    pub async fn settings(&self) -> Result<(u64, Settings), AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Settings { reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)
    }

    /// Stores and applies new settings, if `seen` is still the version in force (two
    /// administrators editing at once do not overwrite each other). Answers the new version.
    pub async fn reconfigure(&self, settings: Settings, seen: u64, by: &str) -> Result<(u64, Settings), AuthorityError> {
        let (reply, rx) = oneshot::channel();
        let req = Request::Reconfigure { settings: Box::new(settings), seen, by: by.to_owned(), reply };
        self.tx.send(req).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)?
    }

    /// The events of one service day, for reports.
    pub async fn day_events(&self, day: chrono::NaiveDate) -> Result<Vec<Event>, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::DayEvents { day, reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)?
    }

    /// Runs `job` on the thread that owns the store, after everything asked before it is
    /// committed, and answers what it returns. For the console's tables: keep it short, the
    /// queue waits meanwhile.
    pub async fn with_store<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Store, chrono::DateTime<chrono::Utc>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        let job: StoreJob = Box::new(move |store, now| {
            let _ = reply.send(job(store, now).map_err(AuthorityError::from));
        });
        self.tx.send(Request::WithStore(job)).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)?
    }

    pub async fn state(&self) -> Result<StateView, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::State { reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)
    }

    /// The highest id used: the last committed event's, or above it after a restore of an
    /// older copy (the ids the replaced store used, never numbered again; see `Store::last_id`).
    pub async fn last_id(&self) -> Result<EventId, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::LastId { reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)
    }

    pub async fn events_after(&self, after: EventId, limit: usize) -> Result<EventsPage, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::EventsAfter { after, limit, reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)?
    }

    /// The ticket whose public key is `key`, as it stands now (today's tickets only).
    pub async fn public_ticket(&self, key: &str) -> Result<Option<PublicTicket>, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Public { key: key.to_owned(), reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)
    }

    /// Every ticket of today with a key, as its holder's phone sees it now (what the uplink
    /// sends the hub's pages).
    pub async fn public_board(&self) -> Result<Board, AuthorityError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::PublicBoard { reply }).map_err(|_| AuthorityError::Stopped)?;
        rx.await.map_err(|_| AuthorityError::Stopped)
    }

    /// The public board, rebuilt after every commit while at least one receiver follows it.
    /// Subscribe first, then take the ticket's first view from `public_ticket`.
    pub fn follow_board(&self) -> watch::Receiver<Arc<Board>> {
        self.board.subscribe()
    }

    /// Live events, each sent after its commit. Subscribe before reading history so that no
    /// event falls between the two.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.events.subscribe()
    }
}

//! The uplink: the centre's event log pushed to its province hub, after the last id the hub
//! acknowledged, without the staff in it (`shared::province::outward`).
//!
//! - `mod.rs`: the task and its loop: ask the hub's cursor, push batches read through the owner
//!   thread (a read, like `/api/v1/events`: the queue never waits on the hub), store each
//!   acknowledgement, then wait for new events; back off when the hub fails.
//! - `status.rs`: what `GET /api/v1/state` shows of it.
//! - `catalogue.rs`: the province's catalogue, taken by version.
//! - `board.rs`: the views of today's tickets, for the hub's phone pages.
//! - `bookings.rs`: the numbers booked for this centre on the hub, pulled into the store.
//!
//! Delivery is at least once, in order; the hub stores by (centre, id), so a batch resent after
//! a lost answer is harmless. The cursor is in the store: a restart resumes the backlog, and the
//! day's pruning keeps what the hub has not acknowledged (`Store::prune`).
mod board;
mod bookings;
mod catalogue;
mod status;

pub use status::Status;

use crate::console::catalogue::CatalogueSlot;
use crate::owner::{Authority, AuthorityError};
use shared::client::{ClientError, HubClient};
use shared::config::UplinkConfig;
use shared::event::EventId;
use shared::province::{outward, EventBatch};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

/// Caught up and nothing new: the hub's cursor is asked again after this long (a hub whose
/// database was restored from a backup is noticed and sent its gap again).
const IDLE: Duration = Duration::from_secs(30);
const BACKOFF_MIN: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// A refusal that trying again cannot mend (a wrong token or centre id): retried this slowly
/// until the operator fixes the configuration.
const MISCONFIGURED: Duration = Duration::from_secs(300);
const CATALOGUE_EVERY: Duration = Duration::from_secs(600);
/// Woken by a new event, the uplink waits this long for more before it reads: a busy hall
/// costs the owner thread a few reads and small writes a second at most, not some per event,
/// and a phone following its ticket on the hub still sees a call within a second.
const GATHER: Duration = Duration::from_millis(300);

/// Starts the uplink of `config`; it ends when `stopping` turns true.
pub fn start(
    authority: Authority,
    catalogue: Arc<CatalogueSlot>,
    config: &UplinkConfig,
    stopping: watch::Receiver<bool>,
) -> Result<(Arc<Status>, tokio::task::JoinHandle<()>), ClientError> {
    let builder = HubClient::builder(&config.url, &config.token);
    let builder = match &config.ca_pem {
        Some(pem) => builder.ca_pem(pem.clone()),
        None => builder,
    };
    let hub = HubClient::new(builder, &config.centre)?;
    let status = Arc::new(Status::new(hub.base()));
    let link = Link {
        events: authority.subscribe(),
        authority,
        hub,
        catalogue,
        status: status.clone(),
        batch: config.batch as usize,
        pull_catalogue: config.catalogue,
        catalogue_tried: None,
        board: board::BoardLink::default(),
        board_failing: false,
    };
    Ok((status, tokio::spawn(link.run(stopping))))
}

struct Link {
    authority: Authority,
    events: broadcast::Receiver<Arc<shared::event::Event>>,
    hub: HubClient,
    catalogue: Arc<CatalogueSlot>,
    status: Arc<Status>,
    batch: usize,
    pull_catalogue: bool,
    catalogue_tried: Option<String>,
    board: board::BoardLink,
    board_failing: bool,
}

#[derive(Debug, thiserror::Error)]
enum LinkError {
    #[error(transparent)]
    Hub(#[from] ClientError),
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    #[error("the hub answered acked = {answered} to a push after {acked}: it kept nothing of the batch")]
    NoProgress { acked: EventId, answered: EventId },
}

impl LinkError {
    /// A refusal that will be the same next time: the configuration (token, centre id, URL) is
    /// wrong, or the hub refuses what this centre sends. Timeouts (408) and slow-downs (429)
    /// are worth a retry like the 5xx are.
    fn misconfigured(&self) -> bool {
        match self {
            LinkError::Hub(e) => {
                matches!(e.status(), Some(s) if (400..500).contains(&s) && s != 408 && s != 429)
                    || matches!(e, ClientError::Decode { .. } | ClientError::Setup(_) | ClientError::Ca(..))
            }
            LinkError::NoProgress { .. } => true,
            LinkError::Authority(_) => false,
        }
    }
}

enum Step {
    Sent,
    CaughtUp,
}

impl Link {
    async fn run(mut self, mut stopping: watch::Receiver<bool>) {
        let mut acked = match self.authority.with_store(|s, _| s.uplink()).await {
            Ok(mark) => {
                self.status.restored(mark.acked, mark.acked_at, mark.catalogue_etag.clone());
                self.catalogue_tried = mark.catalogue_etag;
                mark.acked
            }
            Err(e) => {
                tracing::error!("the uplink cannot read its cursor, and does not start: {e}");
                return;
            }
        };
        tracing::info!("uplink to {} from event {}", self.hub.base(), acked + 1);
        let mut backoff = shared::client::Backoff::new(BACKOFF_MIN, BACKOFF_MAX);
        // Whether `acked` is the hub's word of this session: asked at start and after a failure.
        let mut synced = false;
        let mut next_catalogue = Instant::now();
        let mut next_bookings = Instant::now();
        loop {
            if *stopping.borrow() {
                break;
            }
            if Instant::now() >= next_bookings {
                let wait = tokio::select! {
                    w = self.pull_bookings() => w,
                    _ = stopping.changed() => break,
                };
                next_bookings = Instant::now() + wait;
            }
            if self.pull_catalogue && Instant::now() >= next_catalogue {
                tokio::select! {
                    _ = self.pull_catalogue() => {}
                    _ = stopping.changed() => break,
                }
                next_catalogue = Instant::now() + CATALOGUE_EVERY;
            }
            let step = tokio::select! {
                s = self.step(&mut acked, &mut synced) => s,
                _ = stopping.changed() => break,
            };
            let wait = match step {
                Ok(Step::Sent) => {
                    backoff.reset();
                    continue;
                }
                Ok(Step::CaughtUp) => {
                    backoff.reset();
                    // The events are at the hub: now the views its phone pages show.
                    tokio::select! {
                        r = self.board.push(&self.authority, &self.hub) => self.board_result(r),
                        _ = stopping.changed() => break,
                    }
                    let until = (Instant::now() + IDLE).min(next_bookings);
                    let until = if self.pull_catalogue { until.min(next_catalogue) } else { until };
                    tokio::select! {
                        r = self.events.recv() => {
                            if matches!(r, Err(broadcast::error::RecvError::Closed)) {
                                break;
                            }
                            tokio::select! {
                                _ = tokio::time::sleep(GATHER) => {}
                                _ = stopping.changed() => break,
                            }
                        }
                        _ = tokio::time::sleep_until(until) => synced = false,
                        _ = stopping.changed() => break,
                    }
                    continue;
                }
                Err(e) => {
                    synced = false;
                    self.board.forget();
                    let wait = self.failed(&e, &mut backoff);
                    self.status.failed(e.to_string(), self.authority.now());
                    wait
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stopping.changed() => break,
            }
        }
        tracing::info!("uplink stopped at event {acked}");
    }

    /// A failed push of the views is said once, not at every event while it lasts; the next
    /// event or the freshness push tries again.
    fn board_result(&mut self, r: Result<(), board::BoardError>) {
        match r {
            Ok(()) => {
                if std::mem::take(&mut self.board_failing) {
                    tracing::info!("uplink to {}: the ticket views are sent again", self.hub.base());
                }
            }
            Err(e) if !self.board_failing => {
                self.board_failing = true;
                tracing::warn!("uplink to {}: the ticket views for the phone pages: {e}", self.hub.base());
            }
            Err(e) => tracing::debug!("uplink to {}: the ticket views: {e}", self.hub.base()),
        }
    }

    /// The wait after a failure, said in the log at the level it deserves.
    fn failed(&mut self, e: &LinkError, backoff: &mut shared::client::Backoff) -> Duration {
        if let LinkError::Hub(c) = e {
            // Too big for the hub: smaller batches, at once.
            if c.status() == Some(413) && self.batch > 1 {
                self.batch = (self.batch / 2).max(1);
                tracing::warn!("the hub refused a batch as too large; sending {} events at a time", self.batch);
                return Duration::ZERO;
            }
        }
        if e.misconfigured() {
            tracing::error!(
                "the province hub {} refuses this centre ({e}); check [uplink] url, centre and token. Trying again in {} minutes",
                self.hub.base(),
                MISCONFIGURED.as_secs() / 60
            );
            return MISCONFIGURED;
        }
        let wait = jitter(backoff.fail());
        tracing::warn!("uplink to {}: {e}; trying again in {:.1} s", self.hub.base(), wait.as_secs_f64());
        wait
    }

    /// One exchange with the hub: the cursor when not synced, else one batch.
    async fn step(&mut self, acked: &mut EventId, synced: &mut bool) -> Result<Step, LinkError> {
        if !*synced {
            let hub = self.hub.cursor().await?.acked;
            if hub < *acked {
                tracing::warn!(
                    "the province hub holds events up to {hub} only (this centre had {acked} acknowledged): sending again from there"
                );
            }
            if hub != *acked {
                self.keep(hub).await?;
                *acked = hub;
            }
            *synced = true;
            // The highest id this centre has used: after a restore of an older copy, above the
            // log's last event (the ids lost with the replaced store are never numbered again),
            // so a hub that holds those lost events is not ahead, and the next push, after
            // `hub`, starts with the events numbered after them.
            let last = self.authority.last_id().await?;
            if hub > last {
                // Event ids are the hub's key: ids this centre numbers again would be taken for
                // repeats. Said loudly; only the province's operator can sort the two logs out.
                let why = format!(
                    "the province hub holds events of this centre up to id {hub}, but its log ends at {last}: was the store \
                     restored from an older copy, or is [uplink] centre another centre's id? The hub will take ids up to {hub} \
                     for repeats"
                );
                tracing::error!("{why}");
                self.status.failed(why, self.authority.now());
            }
        }
        // Listening afresh before reading: what the read returns needs no wake-up, and what is
        // committed after it wakes the wait.
        self.events = self.events.resubscribe();
        let page = self.authority.events_after(*acked, self.batch).await?;
        let Some(last) = page.events.last().map(|e| e.id) else { return Ok(Step::CaughtUp) };
        let events = page.events.iter().map(|e| outward(e)).collect();
        let answered = self.hub.push(&EventBatch { events }).await?.acked;
        if answered <= *acked {
            return Err(LinkError::NoProgress { acked: *acked, answered });
        }
        if answered < last {
            tracing::debug!("the hub holds up to {answered} of a batch up to {last}; the rest is sent again");
        }
        self.keep(answered).await?;
        *acked = answered;
        Ok(Step::Sent)
    }

    /// Stores the hub's acknowledgement: a restart resumes after it.
    async fn keep(&self, acked: EventId) -> Result<(), LinkError> {
        let now = self.authority.now();
        self.authority.with_store(move |s, _| s.set_uplink_acked(acked, now)).await?;
        self.status.acked(acked, now);
        Ok(())
    }
}

/// `d` give or take a fifth, so that centres cut off together do not all come back at once.
fn jitter(d: Duration) -> Duration {
    let mut b = [0u8; 2];
    let r = if getrandom::fill(&mut b).is_ok() { u16::from_le_bytes(b) as f64 / u16::MAX as f64 } else { 0.5 };
    d.mul_f64(0.8 + 0.4 * r)
}

//! The kiosk's side of systemd's watchdog (`shared::notify`): what proves the process alive.
//!
//! - `kiosk serve` (and the kiosk without a display) has no UI thread: it says `READY=1` at the
//!   authority's first answer to `GET /healthz` and `WATCHDOG=1` after each later answer. The
//!   request goes the whole way a ticket goes (the accept loop, a handler, the owner thread
//!   that holds the engine and the store), so a wedged owner thread or a dead accept loop stop
//!   the pings; a timer task alone would go on pinging for a process that no longer serves. A
//!   full disk (`503 storage_full`, said after the owner answered) still counts as alive: a
//!   restart would not make room, only blank the kiosk's screen again and again.
//! - `kiosk --config F` with its window: the UI thread pings from a Slint timer (a hung UI
//!   stops them: `ui::window`), and only while the embedded authority answered `/healthz`
//!   within the watchdog's period ([`Pulse`]), so either half hanging restarts the kiosk.
use shared::client::Client;
use shared::wire::ErrorCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// When the authority last answered `/healthz`, for the UI thread's pings.
#[derive(Debug)]
pub struct Pulse {
    start: Instant,
    /// Milliseconds after `start` of the last answer, plus one (0: never).
    last: AtomicU64,
}

impl Default for Pulse {
    fn default() -> Self {
        Pulse { start: Instant::now(), last: AtomicU64::new(0) }
    }
}

impl Pulse {
    fn beat(&self) {
        self.last.store(self.start.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
    }

    /// Whether the authority answered within `within`.
    pub fn fresh(&self, within: Duration) -> bool {
        match self.last.load(Ordering::Relaxed) {
            0 => false,
            at => self.start.elapsed().saturating_sub(Duration::from_millis(at - 1)) <= within,
        }
    }
}

/// Asks the authority at `client` for `/healthz` until it stops (the task is dropped with the
/// runtime), every half watchdog period. With a `pulse` (the UI thread says ready and pings)
/// each answer only beats it; without one, `READY=1` at the first answer, then `WATCHDOG=1`
/// after each. Returns at once when systemd asked for nothing (and no pulse is wanted).
pub async fn follow_authority(client: Client, pulse: Option<Arc<Pulse>>) {
    // Without a pulse no UI thread speaks to systemd: this task does.
    let speaks = pulse.is_none();
    let interval = shared::notify::watchdog();
    if !shared::notify::enabled() && pulse.is_none() {
        return;
    }
    let period = interval.unwrap_or(Duration::from_secs(5));
    let (mut said_ready, mut failing) = (!speaks, false);
    loop {
        let answered = tokio::time::timeout(period, client.healthz()).await.map(|r| match r {
            Err(e) if e.code() == Some(&ErrorCode::StorageFull) => Ok(()),
            other => other,
        });
        match answered {
            Ok(Ok(())) => {
                if failing {
                    tracing::info!("watchdog: the authority answers again");
                    failing = false;
                }
                if let Some(p) = &pulse {
                    p.beat();
                }
                if !said_ready {
                    shared::notify::ready();
                    said_ready = true;
                }
                if speaks && interval.is_some() {
                    shared::notify::ping();
                }
            }
            Ok(Err(e)) if !failing && said_ready => {
                tracing::warn!("watchdog: the authority does not answer /healthz ({e}): no ping until it does");
                failing = true;
            }
            Err(_) if !failing && said_ready => {
                tracing::warn!("watchdog: /healthz took longer than {period:?}: no ping until it answers");
                failing = true;
            }
            _ => {}
        }
        // Before the first answer, ask often: READY=1 is what the boot waits for.
        tokio::time::sleep(if said_ready { period } else { Duration::from_millis(50) }).await;
    }
}

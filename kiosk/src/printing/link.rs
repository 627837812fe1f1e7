//! The printer's link to the queue authority: staff learn of its problems, and staff can have a
//! ticket printed again.
//!
//! `ReportingPrinter` wraps the kiosk's printer: whatever the touch UI learns from it (before a
//! number is taken, after each ticket) goes to the link task, which reports changes with
//! `POST /api/v1/devices/status` (the authority records only changes). The same task follows the
//! event stream and prints the tickets of `ticket_reprint_requested` events meant for this kiosk,
//! and keeps the printer's `LiveConfig` on the administrator's settings (fetched at each
//! connection and after each `settings_changed`).
use super::{LiveConfig, Problem, Readiness, TicketJob, TicketPrinter};
use shared::client::{Backoff, Client, StreamItem};
use shared::event::EventBody;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the printer is asked for its state when nothing else asks.
const POLL: Duration = Duration::from_secs(30);

/// A printer whose every answer about its readiness is also published for the link task.
pub struct ReportingPrinter {
    inner: Arc<dyn TicketPrinter>,
    health: watch::Sender<Readiness>,
}

impl ReportingPrinter {
    pub fn new(inner: Arc<dyn TicketPrinter>) -> (Arc<ReportingPrinter>, watch::Receiver<Readiness>) {
        let (health, rx) = watch::channel(Readiness::Unknown);
        (Arc::new(ReportingPrinter { inner, health }), rx)
    }

    fn publish(&self, r: &Readiness) {
        self.health.send_if_modified(|old| {
            let changed = old != r;
            *old = r.clone();
            changed
        });
    }
}

impl TicketPrinter for ReportingPrinter {
    fn readiness(&self) -> Readiness {
        let r = self.inner.readiness();
        self.publish(&r);
        r
    }

    fn print(&self, job: &TicketJob) -> Result<Readiness, super::PrintFailure> {
        let out = self.inner.print(job);
        match &out {
            Ok(r) => self.publish(r),
            Err(e) => self.publish(&Readiness::Unable(e.problem())),
        }
        out
    }

    fn print_checklist(&self, job: &super::ChecklistJob) -> Result<Readiness, super::PrintFailure> {
        let out = self.inner.print_checklist(job);
        match &out {
            Ok(r) => self.publish(r),
            Err(e) => self.publish(&Readiness::Unable(e.problem())),
        }
        out
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// The problem code and a message for staff, none when the printer is fine.
fn report_of(r: &Readiness, printer: &str) -> (Option<&'static str>, Option<String>) {
    match r {
        Readiness::Ready | Readiness::Unknown => (None, None),
        Readiness::PaperNearEnd => (Some("paper_near_end"), Some(format!("{printer}: sắp hết giấy (paper running low)"))),
        Readiness::Unable(p) => {
            let text = match p {
                Problem::PaperEnd => "hết giấy (out of paper)",
                Problem::CoverOpen => "nắp máy in đang mở (cover open)",
                Problem::Offline => "máy in không sẵn sàng (offline)",
                Problem::Unreachable => "không kết nối được máy in (unreachable)",
            };
            (Some(p.code()), Some(format!("{printer}: {text}")))
        }
    }
}

/// Runs the link until `stop` flips: reports health changes, prints reprints for `device` (this
/// kiosk's token name; when not known, as for a kiosk that joined an authority elsewhere, the
/// authority's answer to the first health report names it).
pub async fn run(
    client: Client,
    printer: Arc<ReportingPrinter>,
    mut health: watch::Receiver<Readiness>,
    live: Arc<LiveConfig>,
    mut device: Option<String>,
    mut stop: watch::Receiver<bool>,
) {
    let mut last_id = None;
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
    let poll_printer = {
        let p = printer.clone();
        move || {
            let p = p.clone();
            tokio::task::spawn_blocking(move || p.readiness())
        }
    };
    let _ = poll_printer().await;
    loop {
        let mut stream = match client.events(last_id).await {
            Ok(s) => {
                backoff.reset();
                s
            }
            Err(e) => {
                let delay = backoff.fail();
                tracing::warn!("printer link: {e}; retrying in {delay:?}");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stop.changed() => return,
                }
                continue;
            }
        };
        // Report the current health on every (re)connection: the authority may have restarted.
        // And take its settings: they may have changed while the link was down.
        follow_settings(&client, &live).await;
        let now = health.borrow_and_update().clone();
        if let Some(name) = report(&client, &now, &printer.describe()).await {
            device = Some(name);
        }
        let mut poll = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    Some(Ok(StreamItem::Event(e))) => {
                        last_id = Some(e.id);
                        if let EventBody::SettingsChanged { .. } = e.body {
                            follow_settings(&client, &live).await;
                        }
                        if let EventBody::TicketReprintRequested { ticket, number, service, priority, issued_at, device: target, key } = e.body {
                            if target.as_ref().is_none_or(|d| device.as_ref() == Some(d)) {
                                let config = live.get();
                                let job = TicketJob {
                                    ticket_id: ticket,
                                    number: number.clone(),
                                    service_name: config.service(&service).map(|s| s.name.clone()).unwrap_or(service),
                                    priority_name: priority.and_then(|p| config.priority_class(&p).map(|c| c.name.clone())),
                                    waiting_ahead: 0,
                                    estimated_wait_s: 0,
                                    issued_at,
                                    key,
                                };
                                let p = printer.clone();
                                match tokio::task::spawn_blocking(move || p.print(&job)).await {
                                    Ok(Ok(_)) => tracing::info!("ticket {number} printed again at staff's request"),
                                    Ok(Err(err)) => tracing::error!("reprint of {number} failed: {err}"),
                                    Err(err) => tracing::error!("reprint of {number} panicked: {err}"),
                                }
                            }
                        }
                    }
                    Some(Ok(StreamItem::Resync)) => last_id = None,
                    // A kind this build does not know asks nothing of the printer: go past it.
                    Some(Ok(StreamItem::Unknown { id, .. })) => last_id = Some(id),
                    Some(Err(e)) => { tracing::warn!("printer link: {e}"); break; }
                    None => break,
                },
                changed = health.changed() => {
                    if changed.is_err() { return; }
                    let now = health.borrow_and_update().clone();
                    if let Some(name) = report(&client, &now, &printer.describe()).await {
                        device = Some(name);
                    }
                }
                _ = poll.tick() => { let _ = poll_printer().await; }
                _ = stop.changed() => return,
            }
        }
    }
}

/// Lays the next tickets out with the authority's settings; on failure the last ones stay.
async fn follow_settings(client: &Client, live: &LiveConfig) {
    match client.settings().await {
        Ok(v) => match live.apply(&v.settings) {
            Ok(()) => tracing::debug!("ticket layout follows settings version {}", v.version),
            Err(e) => tracing::error!("the authority's settings version {} do not fit this kiosk's configuration file: {e}", v.version),
        },
        Err(e) => tracing::warn!("the authority's settings could not be read ({e}): tickets keep the last ones"),
    }
}

/// Reports the printer's health; answers this kiosk's device name as the authority knows it.
async fn report(client: &Client, r: &Readiness, printer: &str) -> Option<String> {
    let (problem, message) = report_of(r, printer);
    match client.report_device(problem, message.as_deref()).await {
        Ok(answer) => Some(answer.device),
        Err(e) => {
            tracing::warn!("printer health not reported: {e}");
            None
        }
    }
}

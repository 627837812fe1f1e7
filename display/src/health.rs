//! The display's own health, reported to the authority (`POST /api/v1/devices/status`, as
//! the display's token: the authority knows a device by its token's name) so that staff see
//! a silent speaker or a dark screen. Parts (the voice, each screen, each board, the results
//! source, each keypad) report problems and recoveries through a [`Health`] handle; the
//! [`reporter`] sends one report for the whole process, and only when it changes.
use shared::client::{Backoff, Client, ClientError};
use shared::wire::DeviceReport;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// A problem of one part: a machine code and a sentence for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

/// One part's report: its name, and its problem or `None` once it is well again.
pub type Report = (String, Option<Problem>);

/// What the reporter reads.
pub type Reports = mpsc::UnboundedReceiver<Report>;

/// Where parts report; cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct Health(mpsc::UnboundedSender<Report>);

impl Health {
    pub fn new() -> (Health, Reports) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Health(tx), rx)
    }

    /// A handle that goes nowhere (tests, tools).
    pub fn none() -> Health {
        Health::new().0
    }

    pub fn problem(&self, part: &str, code: &'static str, message: String) {
        let _ = self.0.send((part.to_owned(), Some(Problem { code, message })));
    }

    pub fn clear(&self, part: &str) {
        let _ = self.0.send((part.to_owned(), None));
    }
}

/// The API's limits (`problem` 40 characters, `message` 300).
const MAX_PROBLEM: usize = 40;
const MAX_MESSAGE: usize = 300;

/// The one report for all parts: the first problem's code (parts in name order, so the same
/// set of problems always gives the same report), and every problem's sentence.
pub fn aggregate(parts: &BTreeMap<String, Problem>) -> DeviceReport {
    let Some(first) = parts.values().next() else { return DeviceReport { problem: None, message: None } };
    let all: Vec<&str> = parts.values().map(|p| p.message.as_str()).collect();
    let mut message: String = all.join("; ");
    if message.chars().count() > MAX_MESSAGE {
        message = message.chars().take(MAX_MESSAGE - 1).collect::<String>() + "…";
    }
    DeviceReport { problem: Some(first.code.chars().take(MAX_PROBLEM).collect()), message: Some(message) }
}

fn same(a: &DeviceReport, b: &DeviceReport) -> bool {
    a.problem == b.problem && a.message == b.message
}

/// Collects the parts' reports and sends the process's report whenever it changes (the first
/// one at start, so a problem fixed while the display was off is cleared), retrying with
/// backoff until the authority takes it. Ends at `shutdown`. `client` sends once per call (no
/// retries of its own): this loop retries, taking what changed meanwhile.
pub async fn reporter(client: Client, mut rx: Reports, mut shutdown: watch::Receiver<bool>) {
    let mut parts: BTreeMap<String, Problem> = BTreeMap::new();
    let mut sent: Option<DeviceReport> = None;
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(10));
    // Parts starting up report within moments: wait for them, so the first report is whole.
    let mut settle = Some(tokio::time::sleep(Duration::from_millis(500)));
    loop {
        if let Some(s) = settle.take() {
            tokio::pin!(s);
            loop {
                tokio::select! {
                    _ = &mut s => break,
                    m = rx.recv() => match m {
                        Some((part, p)) => { apply(&mut parts, part, p); }
                        None => return,
                    },
                    _ = shutdown.wait_for(|s| *s) => return,
                }
            }
        }
        let want = aggregate(&parts);
        if sent.as_ref().is_none_or(|s| !same(s, &want)) {
            let r = client.report_device(want.problem.as_deref(), want.message.as_deref()).await;
            match r {
                Ok(_) => {
                    tracing::info!("health reported: {}", want.problem.as_deref().unwrap_or("ok"));
                    sent = Some(want);
                    backoff.reset();
                }
                Err(e) if e.status().is_some_and(|s| (400..500).contains(&s)) => {
                    // Refused (a token without the right, a body too long): retrying the same
                    // report cannot help; logged, and the next change tries again.
                    tracing::error!("health report refused: HTTP {}", e.status().unwrap_or_default());
                    sent = Some(want);
                }
                Err(e) => {
                    let why = match &e {
                        ClientError::Api { status, .. } | ClientError::Status { status, .. } => format!("HTTP {status}"),
                        other => other.to_string(),
                    };
                    let delay = backoff.fail();
                    tracing::debug!("health report not delivered ({why}); retrying in {delay:?}");
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = shutdown.wait_for(|s| *s) => return,
                    }
                    // Take what changed meanwhile before trying again.
                    while let Ok((part, p)) = rx.try_recv() {
                        apply(&mut parts, part, p);
                    }
                    continue;
                }
            }
        }
        tokio::select! {
            m = rx.recv() => match m {
                Some((part, p)) => apply(&mut parts, part, p),
                None => return,
            },
            _ = shutdown.wait_for(|s| *s) => return,
        }
    }
}

fn apply(parts: &mut BTreeMap<String, Problem>, part: String, p: Option<Problem>) {
    match p {
        Some(p) => {
            parts.insert(part, p);
        }
        None => {
            parts.remove(&part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(code: &'static str, m: &str) -> Problem {
        Problem { code, message: m.into() }
    }

    #[test]
    fn one_report_for_all_parts_in_a_stable_order_within_the_api_limits() {
        // Proves the aggregate: none when healthy, the first part's code, every sentence, and
        // a long message cut to the API's 300 characters.
        assert_eq!(aggregate(&BTreeMap::new()).problem, None);
        let mut parts = BTreeMap::new();
        parts.insert("voice".to_owned(), p("audio_unavailable", "ALSA PCM default: no such device"));
        parts.insert("screen 2".to_owned(), p("screen_unwritable", "/dev/fb0: permission denied"));
        let r = aggregate(&parts);
        assert_eq!(r.problem.as_deref(), Some("screen_unwritable"));
        assert_eq!(r.message.as_deref(), Some("/dev/fb0: permission denied; ALSA PCM default: no such device"));
        parts.insert("keypad 1".to_owned(), p("keypad_missing", &"x".repeat(400)));
        assert_eq!(aggregate(&parts).message.unwrap().chars().count(), 300);
    }
}

//! The province's catalogue: taken from the hub at start and every 10 minutes, by version
//! (`ETag`): an unchanged version costs a 304, a new one is imported exactly as the
//! administrator's upload is (`console::catalogue::install`: checked, written atomically,
//! `catalogue_replaced` so that the kiosks reload). A file that does not load is refused with a
//! log line and an audit line, and the old catalogue stays.
use super::Link;
use crate::console::catalogue::{install, Upload};
use shared::client::HubCatalogue;

/// Who the audit log names for what the hub sent.
const ACTOR: &str = "province-hub";

impl Link {
    /// One look at the hub's catalogue. Errors are logged here: the queue's uplink goes on.
    pub(super) async fn pull_catalogue(&mut self) {
        let max = self.authority.config().console.max_catalogue_mb as usize * 1024 * 1024;
        // The version last tried, imported or refused: a refused file is not fetched again
        // until the province publishes another.
        let answer = match self.hub.catalogue(self.catalogue_tried.as_deref(), max).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("the province's catalogue could not be fetched from {}: {e}", self.hub.base());
                return;
            }
        };
        let (etag, bytes) = match answer {
            HubCatalogue::Unchanged | HubCatalogue::NotPublished => return,
            HubCatalogue::Published { etag, bytes } => (etag, bytes),
        };
        self.catalogue_tried = etag.clone();
        match install(&self.authority, self.catalogue.clone(), ACTOR.into(), Upload::Province(bytes)).await {
            Ok(Ok(installed)) => {
                let n = installed.procedures;
                tracing::info!("the province's catalogue (version {}) is in service: {n} procedures", etag.as_deref().unwrap_or("-"));
                let kept = etag.clone();
                if let Err(e) = self.authority.with_store(move |s, _| s.set_catalogue_etag(kept.as_deref())).await {
                    tracing::warn!("the catalogue's version was not stored (it will be imported again at restart): {e}");
                }
                self.status.catalogue(etag);
            }
            Ok(Err(e)) => {
                tracing::error!("the province's catalogue (version {}) was refused, the old one stays: {e}", etag.as_deref().unwrap_or("-"))
            }
            Err(e) => tracing::error!("the province's catalogue could not be recorded: {e}"),
        }
    }
}

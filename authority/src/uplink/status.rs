//! What the uplink tells `GET /api/v1/state` (and so the console's "Province link" panel).
use chrono::{DateTime, Utc};
use shared::event::EventId;
use shared::wire::UplinkView;
use std::sync::Mutex;

/// The uplink's state, written by its task, read by the state handler.
pub struct Status {
    hub: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    acked: EventId,
    last_ack_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    last_error_at: Option<DateTime<Utc>>,
    catalogue_etag: Option<String>,
}

impl Status {
    pub fn new(hub: &str) -> Status {
        Status { hub: hub.to_owned(), inner: Mutex::default() }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// What the store kept from before a restart.
    pub(super) fn restored(&self, acked: EventId, at: Option<DateTime<Utc>>, etag: Option<String>) {
        self.with(|i| (i.acked, i.last_ack_at, i.catalogue_etag) = (acked, at, etag));
    }

    pub(super) fn acked(&self, acked: EventId, at: DateTime<Utc>) {
        self.with(|i| (i.acked, i.last_ack_at) = (acked, Some(at)));
    }

    pub(super) fn failed(&self, error: String, at: DateTime<Utc>) {
        self.with(|i| (i.last_error, i.last_error_at) = (Some(error), Some(at)));
    }

    pub(super) fn catalogue(&self, etag: Option<String>) {
        self.with(|i| i.catalogue_etag = etag);
    }

    /// The view, with the last event id of the state it goes in and the dropped count the
    /// store keeps.
    pub fn view(&self, last_event_id: EventId, dropped: u64) -> UplinkView {
        self.with(|i| UplinkView {
            hub: self.hub.clone(),
            backlog: last_event_id.saturating_sub(i.acked),
            acked: i.acked,
            last_ack_at: i.last_ack_at,
            last_error: i.last_error.clone(),
            last_error_at: i.last_error_at,
            dropped,
            catalogue_etag: i.catalogue_etag.clone(),
        })
    }
}

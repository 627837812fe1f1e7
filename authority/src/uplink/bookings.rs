//! The numbers booked for this centre on the province hub: pulled at start and every minute
//! after the last one held (`seq`), a page at a time, into the store, where the kiosk's
//! check-in finds them, offline too. A hub that takes no bookings (404) is asked again every
//! ten minutes, in case the province starts.
use super::Link;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(60);
pub const NOT_OFFERED: Duration = Duration::from_secs(600);

impl Link {
    /// Pulls until nothing is left; answers when to pull next. Errors are logged here.
    pub(super) async fn pull_bookings(&mut self) -> Duration {
        loop {
            let after = match self.authority.with_store(|s, _| s.bookings_seq()).await {
                Ok(seq) => seq,
                Err(e) => {
                    tracing::warn!("the bookings held cannot be read: {e}");
                    return EVERY;
                }
            };
            let page = match self.hub.bookings(after).await {
                Ok(Some(page)) => page.bookings,
                Ok(None) => return NOT_OFFERED,
                Err(e) => {
                    tracing::warn!("the bookings could not be pulled from {}: {e}", self.hub.base());
                    return EVERY;
                }
            };
            if page.is_empty() {
                return EVERY;
            }
            let n = page.len();
            tracing::info!("{n} booking(s) pulled from the province hub");
            if let Err(e) = self.authority.with_store(move |s, _| s.put_bookings(&page)).await {
                tracing::warn!("the bookings pulled could not be stored: {e}");
                return EVERY;
            }
        }
    }
}

//! The ticket views sent to the hub, so that its phone pages (`/t/{centre}/{key}`) follow
//! this centre: after the events of a commit have gone, the views that changed; every view
//! after a start or a failure (the hub's copy is then unknown); and, with nothing changed,
//! an empty push now and then, which tells the pages how fresh the hub's copy is.
use crate::owner::{Authority, AuthorityError};
use shared::client::{ClientError, HubClient};
use shared::province::TicketBoard;
use shared::wire::PublicTicket;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// With nothing changed, a push this often all the same: the pages' "updated at".
pub const FRESH: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error(transparent)]
    Hub(#[from] ClientError),
    #[error(transparent)]
    Authority(#[from] AuthorityError),
}

#[derive(Default)]
pub struct BoardLink {
    /// What the hub holds, as of the last push it took; None: unknown (send every view).
    held: Option<HashMap<String, PublicTicket>>,
    last: Option<Instant>,
    /// The hub has no ticket pages (an older hub answered 404): not asked again until restart.
    unsupported: bool,
}

impl BoardLink {
    /// Sends what changed, or a freshness push when one is due.
    pub async fn push(&mut self, authority: &Authority, hub: &HubClient) -> Result<(), BoardError> {
        if self.unsupported {
            return Ok(());
        }
        let board = authority.public_board().await?;
        let as_of = board.as_of.unwrap_or_else(|| authority.now());
        let push = match TicketBoard::delta(self.held.as_ref(), &board.tickets, as_of) {
            Some(p) => p,
            None if self.last.is_none_or(|t| t.elapsed() >= FRESH) => TicketBoard { as_of, whole: false, tickets: Default::default() },
            None => return Ok(()),
        };
        match hub.push_tickets(&push).await {
            Ok(()) => {
                self.held = Some(push.applied_to(self.held.take()));
                self.last = Some(Instant::now());
                Ok(())
            }
            Err(e) if e.status() == Some(404) => {
                tracing::info!("the province hub {} has no ticket pages; the phones follow this centre's own", hub.base());
                self.unsupported = true;
                Ok(())
            }
            Err(e) => {
                // Whether the hub took it is unknown: every view next time.
                self.held = None;
                Err(e.into())
            }
        }
    }

    /// The hub may have lost what it held (a failure, a restored database): every view next time.
    pub fn forget(&mut self) {
        self.held = None;
    }
}

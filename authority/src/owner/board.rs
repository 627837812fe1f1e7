//! The public board: every ticket of the day with a key, as its holder's phone sees it, kept
//! for the pages that follow a ticket live.
//!
//! The owner thread rebuilds it after a commit only while someone follows (the channel has
//! receivers): one pass over the queue per batch, however many phones follow. Each follower
//! looks its own key up in the new board and sends only when its ticket's view changed. A
//! follower's first view comes from the thread itself (`Authority::public_ticket`), asked after
//! it subscribed, so a board left stale while nobody followed is never shown.
use chrono::{DateTime, Utc};
use shared::wire::PublicTicket;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Board {
    /// The commit the board follows, so a follower can tell a new board from one it has seen.
    pub as_of: Option<DateTime<Utc>>,
    pub tickets: HashMap<String, PublicTicket>,
}

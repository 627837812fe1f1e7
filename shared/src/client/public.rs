//! A ticket as its holder's phone reads it, by its public key: once, or live. What the phone
//! page's script does, typed, for the tests and the followers' bench.
use super::error::ClientError;
use super::events::Messages;
use super::Client;
use crate::wire::PublicTicket;
use reqwest::Method;

/// What a ticket's live stream delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum TicketUpdate {
    /// The ticket's view: on connection, then each time it changes.
    Ticket(PublicTicket),
    /// The service day ended and the ticket with it; the stream closes.
    Gone,
}

pub struct TicketFollow {
    messages: Messages,
}

impl TicketFollow {
    /// The next update; `None` when the stream closed, `Err(Idle)` after silence.
    pub async fn next(&mut self) -> Option<Result<TicketUpdate, ClientError>> {
        let m = match self.messages.next().await? {
            Ok(m) => m,
            Err(e) => return Some(Err(e)),
        };
        let url = &self.messages.url;
        Some(match m.event.as_deref() {
            Some("gone") => Ok(TicketUpdate::Gone),
            Some("ticket") => serde_json::from_str(&m.data)
                .map(TicketUpdate::Ticket)
                .map_err(|e| ClientError::Decode { url: url.clone(), reason: e.to_string() }),
            other => Err(ClientError::Decode { url: url.clone(), reason: format!("unexpected event {other:?}") }),
        })
    }
}

impl Client {
    /// Today's ticket with this key (`GET /api/v1/public/tickets/{key}`); an unknown key is the
    /// API's `ticket_not_found`.
    pub async fn public_ticket(&self, key: &str) -> Result<PublicTicket, ClientError> {
        self.query(&format!("/api/v1/public/tickets/{key}")).await
    }

    /// Follows the ticket live (`GET /api/v1/public/tickets/{key}/events`).
    pub async fn follow_ticket(&self, key: &str) -> Result<TicketFollow, ClientError> {
        let path = format!("/api/v1/public/tickets/{key}/events");
        let req = self.request(Method::GET, &path);
        Ok(TicketFollow { messages: self.open_stream(&path, req).await? })
    }
}

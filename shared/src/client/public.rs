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

/// Where a ticket's view is read: the centre's authority (the centre is the server), or the
/// province hub, which holds the views of every centre that sends them.
fn path(centre: Option<&str>, key: &str) -> String {
    match centre {
        None => format!("/api/v1/public/tickets/{key}"),
        Some(c) => format!("/api/v1/public/centres/{c}/tickets/{key}"),
    }
}

impl Client {
    /// Today's ticket with this key (`GET /api/v1/public/tickets/{key}`); an unknown key is the
    /// API's `ticket_not_found`.
    pub async fn public_ticket(&self, key: &str) -> Result<PublicTicket, ClientError> {
        self.query(&path(None, key)).await
    }

    /// Follows the ticket live (`GET /api/v1/public/tickets/{key}/events`).
    pub async fn follow_ticket(&self, key: &str) -> Result<TicketFollow, ClientError> {
        self.follow_at(path(None, key)).await
    }

    /// A centre's ticket as the province hub holds it (`GET /api/v1/public/centres/{centre}/tickets/{key}`).
    pub async fn province_ticket(&self, centre: &str, key: &str) -> Result<PublicTicket, ClientError> {
        self.query(&path(Some(centre), key)).await
    }

    /// Follows a centre's ticket on the province hub (`.../tickets/{key}/events`).
    pub async fn follow_province_ticket(&self, centre: &str, key: &str) -> Result<TicketFollow, ClientError> {
        self.follow_at(path(Some(centre), key)).await
    }

    async fn follow_at(&self, ticket: String) -> Result<TicketFollow, ClientError> {
        let path = format!("{ticket}/events");
        let req = self.request(Method::GET, &path);
        Ok(TicketFollow { messages: self.open_stream(&path, req).await? })
    }
}

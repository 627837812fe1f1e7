//! The event stream (`GET /api/v1/events`), typed: each SSE message's `data` is read with serde
//! into an [`Event`], a `resync` notice, or an event of a kind this build does not know. Silence
//! longer than the authority's keep-alive period ends the stream with [`ClientError::Idle`].
use super::error::ClientError;
use crate::event::{Event, EventId};
use crate::sse::{SseMessage, SseParser};
use futures_util::StreamExt;
use serde::Deserialize;
use std::collections::VecDeque;
use std::time::Duration;

/// The authority sends a keep-alive every 15 s: silence for longer means a dead link that TCP
/// has not noticed (a cable pulled mid-stream), so the stream ends and the caller reconnects.
pub const IDLE: Duration = Duration::from_secs(35);

/// What the event stream delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Event(Event),
    /// Events were lost to pruning or the store was replaced: fetch the state again.
    Resync,
    /// An event this build cannot read: a kind a newer authority added (`settings_changed` for
    /// an old display), or a changed shape. Whatever it changed is in the state.
    Unknown {
        id: EventId,
        kind: String,
        reason: String,
    },
}

/// A message without an id: the stream's own notices.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Notice {
    Resync,
}

/// Just the kind of an event, to say which one was not understood.
#[derive(Deserialize)]
struct Kind {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Reads one SSE message; `Err` with the reason when it is neither an event nor a notice.
pub fn parse_message(m: &SseMessage) -> Result<StreamItem, String> {
    let id = m.id.as_deref().and_then(|i| i.trim().parse::<EventId>().ok());
    let err = match serde_json::from_str::<Event>(&m.data) {
        Ok(e) => return Ok(StreamItem::Event(e)),
        Err(e) => e,
    };
    match id {
        None => match serde_json::from_str::<Notice>(&m.data) {
            Ok(Notice::Resync) => Ok(StreamItem::Resync),
            Err(_) => Err(format!("event without id: {err}")),
        },
        Some(id) => {
            let kind = serde_json::from_str::<Kind>(&m.data).ok().and_then(|k| k.kind).unwrap_or_else(|| "unreadable".into());
            Ok(StreamItem::Unknown { id, kind, reason: err.to_string() })
        }
    }
}

type ByteStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// The messages of any Server-Sent Events answer, as they arrive.
pub(crate) struct Messages {
    body: ByteStream,
    parser: SseParser,
    ready: VecDeque<SseMessage>,
    pub(crate) url: String,
    idle: Duration,
}

impl Messages {
    pub(crate) fn new(body: ByteStream, url: String, idle: Duration) -> Messages {
        Messages { body, parser: SseParser::new(), ready: VecDeque::new(), url, idle }
    }

    /// The next message; `None` when the server closed the stream, `Err(Idle)` after silence.
    pub(crate) async fn next(&mut self) -> Option<Result<SseMessage, ClientError>> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Some(Ok(m));
            }
            match tokio::time::timeout(self.idle, self.body.next()).await {
                Err(_) => return Some(Err(ClientError::Idle(self.idle))),
                Ok(None) => return None,
                Ok(Some(Ok(chunk))) => self.ready.extend(self.parser.push(&chunk)),
                Ok(Some(Err(e))) => return Some(Err(ClientError::Connect { url: self.url.clone(), source: e })),
            }
        }
    }
}

pub struct EventStream {
    messages: Messages,
}

impl EventStream {
    pub(crate) fn new(messages: Messages) -> EventStream {
        EventStream { messages }
    }

    /// The stream's address, for logs.
    pub fn url(&self) -> &str {
        &self.messages.url
    }

    /// The next item; `None` when the server closed the stream, `Err(Idle)` after silence.
    pub async fn next(&mut self) -> Option<Result<StreamItem, ClientError>> {
        let m = self.messages.next().await?;
        Some(m.and_then(|m| parse_message(&m).map_err(|reason| ClientError::Decode { url: self.messages.url.clone(), reason })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(stream: &[u8]) -> Vec<Result<StreamItem, String>> {
        let mut p = SseParser::new();
        p.push(stream).iter().map(parse_message).collect()
    }

    const CALLED: &str = concat!(
        r#"{"id":7,"at":"2026-11-23T01:02:03Z","day":"2026-11-23","type":"ticket_called","#,
        r#""ticket":1,"number":"A001","service":"civil","counter":"3","counter_number":3}"#
    );

    #[test]
    fn events_resyncs_and_unknown_kinds_are_told_apart_and_keep_alives_yield_nothing() {
        // Proves the typed parse: an event, the id-less resync notice (read by serde, with its
        // fields in any order), an event of a newer kind (kept with its id and kind, not an
        // error), and keep-alive comments that yield nothing.
        let stream = format!(
            ": keep-alive\n\nid: 7\ndata: {CALLED}\n\ndata: {{\"type\":\"resync\"}}\n\n: keep-alive\n\n\
             id: 8\ndata: {{\"id\":8,\"at\":\"2026-11-23T01:02:03Z\",\"day\":\"2026-11-23\",\"type\":\"weather_changed\"}}\n\n\
             data: {{ \"type\" : \"resync\" }}\n\n"
        );
        let got = items(stream.as_bytes());
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(matches!(&got[0], Ok(StreamItem::Event(e)) if e.id == 7), "{:?}", got[0]);
        assert_eq!(got[1], Ok(StreamItem::Resync));
        match &got[2] {
            Ok(StreamItem::Unknown { id: 8, kind, .. }) => assert_eq!(kind, "weather_changed"),
            other => panic!("{other:?}"),
        }
        assert_eq!(got[3], Ok(StreamItem::Resync), "spacing does not matter: no substring matching");
    }

    #[test]
    fn a_resync_word_inside_an_event_is_not_a_resync_and_junk_without_id_is_an_error() {
        // Proves that an event mentioning "resync" in a field is read as what it is, and that an
        // id-less message that is not a notice is reported, not swallowed.
        let data = r#"{"type":"ticket_issued","note":"{\"type\":\"resync\"}"}"#;
        assert!(items(format!("data: {data}\n\n").as_bytes())[0].is_err());
        let got = items(format!("id: 9\ndata: {data}\n\n").as_bytes());
        assert!(matches!(&got[0], Ok(StreamItem::Unknown { id: 9, kind, .. }) if kind == "ticket_issued"), "{got:?}");
        assert!(items(b"data: not json\n\n")[0].is_err());
    }

    #[test]
    fn a_truncated_chunk_waits_for_the_rest_of_its_event() {
        // Proves a message cut anywhere (across TCP reads) gives nothing until it is whole,
        // then exactly the event.
        let whole = format!("id: 7\ndata: {CALLED}\n\n");
        for cut in 1..whole.len() {
            let mut p = SseParser::new();
            assert!(p.push(&whole.as_bytes()[..cut]).is_empty(), "cut at {cut}");
            let rest = p.push(&whole.as_bytes()[cut..]);
            assert_eq!(rest.len(), 1, "cut at {cut}");
            assert!(matches!(parse_message(&rest[0]), Ok(StreamItem::Event(ref e)) if e.id == 7));
        }
    }
}

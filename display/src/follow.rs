//! The follower: `GET /api/v1/state`, then `GET /api/v1/events` from the state's
//! `last_event_id`, applying every event to the [`Model`]; on a disconnect it reconnects
//! forever with capped exponential backoff (`[follow]`), resuming with `Last-Event-ID` so that
//! the authority replays exactly what was missed; on `resync`, a gap, or an event of a kind it
//! does not know (a newer authority's `settings_changed`) it fetches the state again.
//!
//! It talks through the shared typed client ([`shared::client`]): the stream's items are
//! already typed, and silence past the keep-alive period ends the stream there.
use crate::config::{Authority, Follow};
use crate::model::{Applied, Call, Model};
use shared::client::{Backoff, Client, ClientError, StreamItem};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("the authority closed the event stream")]
    Closed,
}

/// Why a connection ended without an error.
enum End {
    Shutdown,
    Resync,
}

/// Follows the authority until `shutdown` turns true. `calls` receive every call once.
pub struct Follower {
    client: Client,
    backoff: Follow,
    model: Arc<watch::Sender<Model>>,
    calls: Vec<mpsc::UnboundedSender<Call>>,
}

impl Follower {
    pub fn new(auth: &Authority, backoff: Follow, model: Arc<watch::Sender<Model>>, calls: Vec<mpsc::UnboundedSender<Call>>) -> Follower {
        let client = auth.client().build().expect("an HTTP client with the bundled TLS roots always builds");
        Follower { client, backoff, model, calls }
    }

    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = Backoff::new(self.backoff.min(), self.backoff.max());
        let mut need_state = true;
        loop {
            let r = tokio::select! {
                r = self.session(&mut need_state, &mut backoff) => r,
                _ = shutdown.wait_for(|s| *s) => Ok(End::Shutdown),
            };
            let delay = match r {
                Ok(End::Shutdown) => return,
                Ok(End::Resync) => {
                    tracing::info!("resync: fetching the state again");
                    need_state = true;
                    continue;
                }
                Err(e) => {
                    self.model.send_if_modified(|m| std::mem::replace(&mut m.online, false));
                    let delay = backoff.fail();
                    tracing::warn!("authority link down: {e}; retrying in {delay:?}");
                    delay
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.wait_for(|s| *s) => return,
            }
        }
    }

    fn announce(&self, call: Call) {
        for tx in &self.calls {
            // A stopped announcer (at shutdown) is no reason to stop the screens.
            let _ = tx.send(call.clone());
        }
    }

    /// One connection: the state if needed, then the stream until it fails or asks for a resync.
    async fn session(&self, need_state: &mut bool, backoff: &mut Backoff) -> Result<End, FollowError> {
        if *need_state {
            let state = self.client.state().await?;
            let mut fresh = Vec::new();
            self.model.send_modify(|m| fresh = m.reset(&state));
            fresh.into_iter().for_each(|c| self.announce(c));
            *need_state = false;
        }
        let last = self.model.borrow().last_event_id;
        let mut stream = self.client.events(Some(last)).await?;
        self.model.send_if_modified(|m| !std::mem::replace(&mut m.online, true));
        backoff.reset();
        tracing::info!("following {} after event {last}", stream.url());
        loop {
            let event = match stream.next().await {
                None => return Err(FollowError::Closed),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(StreamItem::Resync)) => return Ok(End::Resync),
                Some(Ok(StreamItem::Event(event))) => event,
                // An event already applied needs no reading (a replay after a reconnect).
                Some(Ok(StreamItem::Unknown { id, .. })) if id <= self.model.borrow().last_event_id => continue,
                // A kind of event this build does not know (`settings_changed` when the
                // administrator edits services or counters live), or one it cannot read:
                // whatever it changed is in the state, so fetch that again. The state
                // includes this event, so following resumes after it: never stuck on it.
                Some(Ok(StreamItem::Unknown { id, kind, reason })) => {
                    tracing::info!("event {id} ({kind}) not known to this build ({reason}): fetching the state again");
                    return Ok(End::Resync);
                }
            };
            let mut applied = Applied::Duplicate;
            self.model.send_if_modified(|m| {
                applied = m.apply(&event);
                matches!(applied, Applied::Done(_))
            });
            match applied {
                Applied::Duplicate => {}
                Applied::Gap | Applied::Refetch => return Ok(End::Resync),
                Applied::Done(Some(call)) => self.announce(call),
                Applied::Done(None) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::{called, state};
    use shared::event::Event;
    use std::sync::Mutex;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// Reads one request head; (path, Last-Event-ID).
    async fn request(s: &mut tokio::net::TcpStream) -> (String, Option<u64>) {
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            assert_eq!(s.read(&mut b).await.unwrap(), 1, "request head");
            head.push(b[0]);
        }
        let head = String::from_utf8(head).unwrap();
        let path = head.split(' ').nth(1).unwrap().to_owned();
        let last = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("last-event-id: ").map(|v| v.trim().parse().unwrap()));
        (path, last)
    }

    fn sse(e: &Event) -> String {
        format!("id: {}\ndata: {}\n\n", e.id, serde_json::to_string(e).unwrap())
    }

    /// What the scripted authority answers a request: `(content type, body, keep it open)`.
    type Answer = (&'static str, String, bool);

    /// An authority on a free port that answers `GET /api/v1/state` with `state(n)` (n counts
    /// the state requests from 1) and the event stream with `stream(n, Last-Event-ID)` (n counts
    /// the streams). Its address, and the Last-Event-ID of every stream asked for.
    async fn scripted(
        mut state: impl FnMut(u32) -> shared::wire::StateView + Send + 'static,
        mut stream: impl FnMut(u32, Option<u64>) -> Answer + Send + 'static,
    ) -> (String, Arc<Mutex<Vec<Option<u64>>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let asked: Arc<Mutex<Vec<Option<u64>>>> = Arc::default();
        let log = asked.clone();
        tokio::spawn(async move {
            let (mut states, mut streams) = (0, 0);
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                let (path, last) = request(&mut s).await;
                let (ctype, body, hold) = if path == "/api/v1/state" {
                    states += 1;
                    ("application/json", serde_json::to_string(&state(states)).unwrap(), false)
                } else {
                    log.lock().unwrap().push(last);
                    streams += 1;
                    stream(streams, last)
                };
                let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {ctype}\r\nconnection: close\r\n\r\n");
                s.write_all(head.as_bytes()).await.unwrap();
                s.write_all(body.as_bytes()).await.unwrap();
                if hold {
                    // Kept open, as the authority's live stream is.
                    tokio::spawn(async move {
                        let mut b = [0u8; 1];
                        let _ = s.read(&mut b).await;
                    });
                }
            }
        });
        (url, asked)
    }

    /// A follower of `url` with short backoffs: its task, the model, the calls it announces,
    /// and the switch that stops it.
    fn follow(url: String) -> (tokio::task::JoinHandle<()>, watch::Receiver<Model>, mpsc::UnboundedReceiver<Call>, watch::Sender<bool>) {
        let (model_tx, model_rx) = watch::channel(Model::default());
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, stop_rx) = watch::channel(false);
        let auth = Authority { url, token: "t".into(), ca: None, ca_pem: None };
        let backoff = Follow { backoff_min_ms: 5, backoff_max_ms: 20 };
        (tokio::spawn(Follower::new(&auth, backoff, Arc::new(model_tx), vec![tx]).run(stop_rx)), model_rx, rx, stop)
    }

    #[tokio::test]
    async fn an_unknown_kind_of_event_refetches_the_state_and_following_goes_on() {
        // Proves an event of a kind this build does not know neither stops nor stalls the
        // follower: it fetches the state again (a renamed counter shows), then resumes after
        // that event and applies the next call. The administrator's `settings_changed` takes
        // the same way (`Applied::Refetch`, see the model's tests).
        let (url, asked) = scripted(
            |n| {
                let mut st = state(5, &[]);
                if n > 1 {
                    st.last_event_id = 6;
                    st.counters[0].name = "Quầy 3 (Đất đai)".into();
                }
                st
            },
            |_, last| {
                let body = if last == Some(5) {
                    let day = r#""at":"2026-11-23T01:02:03Z","day":"2026-11-23""#;
                    format!("id: 6\ndata: {{\"id\":6,{day},\"type\":\"settings_changed\",\"what\":[\"counters\"]}}\n\n")
                } else {
                    sse(&called(7, 1, "A001"))
                };
                ("text/event-stream", body, true)
            },
        )
        .await;
        let (task, mut model_rx, mut rx, stop) = follow(url);
        let call = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        assert_eq!(call.number, "A001");
        let m = model_rx.borrow_and_update().clone();
        assert_eq!(m.counters["3"].name, "Quầy 3 (Đất đai)");
        assert_eq!(m.last_event_id, 7);
        assert_eq!(*asked.lock().unwrap(), [Some(5), Some(6)]);
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn resync_refetches_and_a_closed_stream_resumes_after_the_last_event() {
        // Proves the follower's protocol against a scripted authority: a resync fetches the
        // state again (announcing the call missed in between once), a closed stream is
        // resumed with Last-Event-ID of the last applied event, and no call is repeated.
        let (url, asked) = scripted(
            |n| if n == 1 { state(5, &[]) } else { state(9, &[(2, "A002"), (1, "A001")]) },
            |n, _| match n {
                1 => ("text/event-stream", sse(&called(6, 1, "A001")) + "data: {\"type\":\"resync\"}\n\n", true),
                // The replay of 10 after the reconnect must be ignored.
                2 => ("text/event-stream", sse(&called(10, 3, "A003")), false),
                _ => ("text/event-stream", sse(&called(10, 3, "A003")) + &sse(&called(11, 4, "A004")), true),
            },
        )
        .await;
        let (task, model_rx, mut rx, stop) = follow(url);
        let mut got = Vec::new();
        while got.len() < 4 {
            got.push(tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap().number);
        }
        assert_eq!(got, ["A001", "A002", "A003", "A004"]);
        assert_eq!(*asked.lock().unwrap(), [Some(5), Some(9), Some(10)]);
        let m = model_rx.borrow().clone();
        assert!(m.online);
        assert_eq!(m.last_event_id, 11);
        assert_eq!(m.counters["3"].current.as_deref(), Some("A004"));
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task).await.unwrap().unwrap();
        assert!(rx.try_recv().is_err(), "nothing announced twice");
    }
}

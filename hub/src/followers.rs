//! The copies of the centres' ticket views that this hub process's live pages follow.
//!
//! A centre's copy is loaded when its first page follows, then kept up by PostgreSQL's
//! notifications ([`crate::board::CHANNEL`], sent by whichever hub process took the centre's
//! push): each notification reads the rows set since the copy's version, and every page of
//! that centre looks its own key up in the new copy. However many phones follow, a push costs
//! one query per process. A copy nobody follows any more is dropped at its next notification.
//! When the listening connection is lost, every copy is loaded whole once it is back (the
//! notifications sent meanwhile are lost with it).
use crate::board::{self, CHANNEL};
use crate::db::DbError;
use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use shared::wire::PublicTicket;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// A centre's views as this process holds them.
#[derive(Debug, Default)]
pub struct Copy {
    /// The centre's board version the copy reflects (0: not loaded).
    pub version: i64,
    /// The centre's clock at its last push.
    pub as_of: Option<DateTime<Utc>>,
    pub tickets: HashMap<String, PublicTicket>,
}

struct Followed {
    tx: watch::Sender<Arc<Copy>>,
    /// One refresh of a centre at a time, so copies never go back.
    refresh: tokio::sync::Mutex<()>,
}

pub struct Followers {
    pool: Pool,
    centres: Mutex<HashMap<String, Arc<Followed>>>,
}

impl Followers {
    pub fn new(pool: Pool) -> Arc<Followers> {
        Arc::new(Followers { pool, centres: Mutex::new(HashMap::new()) })
    }

    /// The centre's copy, loaded if this process had none; it changes with every push.
    pub async fn follow(&self, centre: &str) -> Result<watch::Receiver<Arc<Copy>>, DbError> {
        let followed = {
            let mut centres = self.centres.lock().expect("never poisoned");
            centres
                .entry(centre.to_owned())
                .or_insert_with(|| Arc::new(Followed { tx: watch::channel(Arc::default()).0, refresh: Default::default() }))
                .clone()
        };
        let rx = followed.tx.subscribe();
        if rx.borrow().version == 0 {
            self.refresh(&followed, centre, false).await?;
        }
        Ok(rx)
    }

    /// How many pages follow through this process (the bench's figure).
    pub fn following(&self) -> usize {
        self.centres.lock().expect("never poisoned").values().map(|f| f.tx.receiver_count()).sum()
    }

    async fn refresh(&self, followed: &Followed, centre: &str, whole: bool) -> Result<(), DbError> {
        let _one = followed.refresh.lock().await;
        let known = if whole { 0 } else { followed.tx.borrow().version };
        let client = self.pool.get().await?;
        let Some(changes) = board::since(&client, centre, known).await? else { return Ok(()) };
        let old = followed.tx.borrow().clone();
        if !whole && changes.version == old.version && changes.as_of == old.as_of {
            return Ok(());
        }
        let mut tickets = if whole { HashMap::new() } else { old.tickets.clone() };
        for (key, view) in changes.rows {
            match view {
                Some(v) => tickets.insert(key, v),
                None => tickets.remove(&key),
            };
        }
        followed.tx.send_replace(Arc::new(Copy { version: changes.version, as_of: changes.as_of, tickets }));
        Ok(())
    }

    /// A centre pushed: its copy is brought up to date, or dropped if nobody follows it.
    async fn notified(&self, centre: &str) {
        let followed = {
            let mut centres = self.centres.lock().expect("never poisoned");
            match centres.get(centre) {
                Some(f) if f.tx.receiver_count() == 0 => {
                    centres.remove(centre);
                    return;
                }
                Some(f) => f.clone(),
                None => return,
            }
        };
        if let Err(e) = self.refresh(&followed, centre, false).await {
            tracing::warn!("the ticket pages of centre {centre} could not be brought up to date: {e}");
        }
    }

    /// Every copy loaded whole again: notifications may have been lost.
    async fn reload_all(&self) {
        let all: Vec<(String, Arc<Followed>)> =
            self.centres.lock().expect("never poisoned").iter().map(|(c, f)| (c.clone(), f.clone())).collect();
        for (centre, followed) in all {
            if let Err(e) = self.refresh(&followed, &centre, true).await {
                tracing::warn!("the ticket pages of centre {centre} could not be reloaded: {e}");
            }
        }
    }
}

/// Listens for the centres' pushes until `stopping`, connecting again when the connection is
/// lost (the database restarting) and reloading every copy then. Messages claimed for the
/// gateway wake `outbox` (a lost wake-up costs only the delivery's next tick).
pub async fn listen(followers: Arc<Followers>, outbox: Arc<tokio::sync::Notify>, url: String, mut stopping: watch::Receiver<bool>) {
    let mut delay = Duration::from_millis(500);
    let mut first = true;
    loop {
        let connected = tokio::select! {
            c = connect(&url) => c,
            _ = stopping.changed() => return,
        };
        match connected {
            Ok((client, mut pushes)) => {
                delay = Duration::from_millis(500);
                if !first {
                    tracing::info!("listening for the centres' ticket views again");
                    followers.reload_all().await;
                }
                loop {
                    tokio::select! {
                        pushed = pushes.recv() => match pushed {
                            Some((channel, _)) if channel == crate::near::CHANNEL => outbox.notify_one(),
                            Some((_, centre)) => {
                                let f = followers.clone();
                                // A slow refresh of one centre must not hold the others' back.
                                tokio::spawn(async move { f.notified(&centre).await });
                            }
                            None => break,
                        },
                        _ = stopping.changed() => return,
                    }
                }
                drop(client);
                tracing::warn!("the connection listening for the centres' ticket views was lost; connecting again");
            }
            Err(e) => tracing::warn!("cannot listen for the centres' ticket views ({e}); trying again in {delay:?}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stopping.changed() => return,
        }
        delay = (delay * 2).min(Duration::from_secs(30));
        first = false;
    }
}

/// A connection listening on [`CHANNEL`] and the outbox's; the receiver yields each
/// notification's channel and payload (the pushing centre's id) and ends when the connection
/// does.
async fn connect(url: &str) -> Result<(tokio_postgres::Client, mpsc::UnboundedReceiver<(String, String)>), DbError> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(tokio_postgres::AsyncMessage::Notification(n))) => {
                    if tx.send((n.channel().to_owned(), n.payload().to_owned())).is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    tracing::debug!("the listening connection: {e}");
                    return;
                }
                None => return,
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {}", crate::near::CHANNEL)).await?;
    Ok((client, rx))
}

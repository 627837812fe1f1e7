//! Power-cut safety of the queue authority, with the real binary: SIGKILL at random moments
//! under load, restart, and check that every acknowledged ticket is in the log and that the
//! numbering goes on without repeating a number.
use shared::client::{Client, StreamItem};
use shared::event::EventBody;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use testkit::*;

/// Every ticket in the log: id → (number, seq), read back through the event stream.
async fn logged_tickets(url: &str) -> HashMap<u64, (String, u32)> {
    let client = Client::new(url, Some(KIOSK_TOKEN.into()));
    let last = client.state().await.expect("state after restart").last_event_id;
    let mut tickets = HashMap::new();
    if last == 0 {
        return tickets;
    }
    let mut stream = client.events(Some(0)).await.expect("event stream");
    loop {
        let item = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.expect("events keep coming");
        let Some(Ok(StreamItem::Event(e))) = item else { panic!("stream ended early: {item:?}") };
        if let EventBody::TicketIssued { ticket, number, seq, .. } = &e.body {
            assert!(tickets.insert(*ticket, (number.clone(), *seq)).is_none(), "ticket {ticket} logged twice");
        }
        if e.id >= last {
            return tickets;
        }
    }
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_acknowledged_ticket_is_lost_when_the_process_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &dir.path().join("queue.db"));
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("seed {seed}");
    let mut rng = Lcg(seed);
    // (id, number) of every ticket whose 201 reached a client.
    let acknowledged: Arc<Mutex<Vec<(u64, String)>>> = Arc::default();
    let mut kills_under_load = 0;
    for round in 0..8 {
        let served = Served::start(&config);
        let url = served.url.clone();
        let log = logged_tickets(&url).await;
        for (id, number) in acknowledged.lock().unwrap().iter() {
            assert_eq!(log.get(id).map(|(n, _)| n), Some(number), "round {round}: acknowledged ticket {number} (id {id}) was lost");
        }
        let numbers: HashSet<_> = log.values().map(|(n, _)| n.clone()).collect();
        assert_eq!(numbers.len(), log.len(), "round {round}: a number was issued twice");
        for letter in ["A", "B"] {
            let mut seqs: Vec<u32> = log.values().filter(|(n, _)| n.starts_with(letter)).map(|(_, s)| *s).collect();
            seqs.sort();
            assert_eq!(seqs, (1..=seqs.len() as u32).collect::<Vec<_>>(), "round {round}: series {letter} is dense");
        }
        // Load: issuers on both services and a counter calling, until the process dies.
        let mut load = Vec::new();
        for i in 0..6 {
            let client = Client::new(&url, Some(KIOSK_TOKEN.into())).with_retries(0);
            let acknowledged = acknowledged.clone();
            let service = if i % 2 == 0 { "civil" } else { "land" };
            load.push(tokio::spawn(async move {
                while let Ok(t) = client.issue(service, None).await {
                    acknowledged.lock().unwrap().push((t.id, t.number));
                }
            }));
        }
        let staff = Client::new(&url, Some(COUNTER_TOKEN.into())).with_retries(0);
        load.push(tokio::spawn(async move { while staff.call_next("1").await.is_ok() {} }));
        let before = acknowledged.lock().unwrap().len();
        tokio::time::sleep(Duration::from_millis(30 + rng.next(300))).await;
        served.kill();
        for l in load {
            l.await.unwrap();
        }
        if acknowledged.lock().unwrap().len() > before {
            kills_under_load += 1;
        }
    }
    let served = Served::start(&config);
    let log = logged_tickets(&served.url).await;
    let acked = std::mem::take(&mut *acknowledged.lock().unwrap());
    assert!(acked.len() > 100, "the load issued tickets ({})", acked.len());
    assert!(kills_under_load >= 6, "most kills landed during load ({kills_under_load}/8)");
    for (id, number) in acked.iter() {
        assert_eq!(log.get(id).map(|(n, _)| n), Some(number), "acknowledged ticket {number} was lost");
    }
    let max_a = log.values().filter(|(n, _)| n.starts_with('A')).map(|(_, s)| *s).max().unwrap();
    let next = Client::new(&served.url, Some(KIOSK_TOKEN.into())).issue("civil", None).await.unwrap();
    assert_eq!(next.number, format!("A{:03}", max_a + 1), "numbering continues after the last logged ticket");
    println!("{} acknowledged tickets, {} logged, all present", acked.len(), log.len());
}

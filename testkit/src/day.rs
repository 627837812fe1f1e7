//! Busy days of a centre as its event log, decided by the real engine (`shared::domain`), for
//! the hub's tests and the province bench: tickets arrive through the opening hours (most in the
//! first two hours and after lunch, so queues build up as they do), twelve counters call, serve
//! (2–8 minutes), mark no-shows (about one in twelve), link the dossier received (eight in ten
//! served) and collect ratings (about six in ten); citizens evaluate a quarter of the day
//! before's dossiers at the kiosk. Exactly as the authority would have logged them.
use chrono::{DateTime, Duration, Utc};
use shared::config::Config;
use shared::domain::{Command, Engine};
use shared::event::{Event, Rating};
use std::sync::Arc;

/// The centre the simulated days run in: three services, twelve counters serving all of them.
pub fn busy_centre() -> Config {
    let mut c = crate::centre()
        .service(crate::service("civil", "Hộ tịch", "A"))
        .service(crate::service("land", "Đất đai", "B"))
        .service(crate::service("social", "Lao động – Thương binh và Xã hội", "C"));
    for n in 1..=12 {
        c = c.counter(n, &["civil", "land", "social"]);
    }
    c.config()
}

/// A small deterministic generator (xorshift64*): the same seed gives the same day.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How the day's tickets spread over the nine opening hours: a morning rush, a lull at
/// lunch, a second wave after it.
const HOUR_WEIGHTS: [u64; 9] = [14, 16, 12, 8, 4, 10, 14, 12, 10];

/// `days` consecutive days from `first_open` (the first day's opening time), `tickets` a day
/// over nine opening hours. Event ids start at 1.
pub fn busy_days(days: u32, tickets: u32, seed: u64, first_open: DateTime<Utc>) -> Vec<Event> {
    let config = Arc::new(busy_centre());
    let mut engine = Engine::new(config.clone(), 1);
    let mut dice = Dice(seed.max(1));
    let mut log = Vec::new();
    let services = ["civil", "land", "social"];
    // The dossiers' own dice, so that the queue's figures stay what they were without them.
    let mut paper = Dice(seed.wrapping_add(0x9E37_79B9).max(1));
    let mut received: Vec<String> = Vec::new();
    let counters: Vec<String> = config.counters.iter().map(|c| c.id.clone()).collect();
    for d in 0..days {
        let open = first_open + Duration::days(d as i64);
        let close = open + Duration::hours(9);
        let mut arrivals: Vec<i64> = (0..tickets)
            .map(|_| {
                // Which opening hour, by the weights of a real hall's day; then when in it.
                let mut pick = dice.below(HOUR_WEIGHTS.iter().sum());
                let mut hour = 0;
                while pick >= HOUR_WEIGHTS[hour] {
                    pick -= HOUR_WEIGHTS[hour];
                    hour += 1;
                }
                hour as i64 * 3600 + dice.below(3600) as i64
            })
            .collect();
        arrivals.sort_unstable();
        let mut arrivals = arrivals.into_iter().peekable();
        // What each counter is doing: nothing, or serving until a time (and how it ends).
        let mut busy: Vec<Option<(DateTime<Utc>, bool)>> = vec![None; counters.len()];
        let mut now = open;
        // A quarter of yesterday's dossiers, evaluated through today's opening hours.
        let mut evaluations: Vec<(DateTime<Utc>, String)> = Vec::new();
        for code in std::mem::take(&mut received) {
            if paper.below(4) == 0 {
                evaluations.push((open + Duration::seconds(paper.below(9 * 3600) as i64), code));
            }
        }
        evaluations.sort();
        let mut evaluations = evaluations.into_iter().peekable();
        let mut seq: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let run = |engine: &mut Engine, cmd: Command, at: DateTime<Utc>, log: &mut Vec<Event>| match engine.execute(&cmd, at) {
            Ok(out) => {
                log.extend(out.events);
                out.ticket
            }
            Err(_) => None,
        };
        // Ten-second steps until every ticket of the day has been dealt with.
        while now < close + Duration::hours(6) {
            while arrivals.peek().is_some_and(|&s| open + Duration::seconds(s) <= now) {
                let s = arrivals.next().unwrap_or_default();
                let service = services[dice.below(3) as usize].to_owned();
                run(&mut engine, Command::Issue { service, priority: None, key: None }, open + Duration::seconds(s), &mut log);
            }
            while evaluations.peek().is_some_and(|(at, _)| *at <= now) {
                let (_, dossier) = evaluations.next().unwrap_or_default();
                let points: Vec<u8> = (0..9).map(|_| [2, 2, 2, 1, 2, 1, 0][paper.below(7) as usize]).collect();
                let scores = shared::dossier::evaluation::Scores::new(&points).expect("2, 1 or 0");
                run(
                    &mut engine,
                    Command::EvaluateDossier { dossier, scores, device: Some("kiosk-1".into()), stored_at: None },
                    now,
                    &mut log,
                );
            }
            let mut all_idle = true;
            for (i, counter) in counters.iter().enumerate() {
                if let Some((until, no_show)) = busy[i] {
                    all_idle = false;
                    if until > now {
                        continue;
                    }
                    let counter = counter.clone();
                    if no_show {
                        run(&mut engine, Command::NoShow { counter }, now, &mut log);
                    } else if let Some(t) = run(&mut engine, Command::Finish { counter: counter.clone() }, now, &mut log) {
                        if paper.below(10) < 8 {
                            // The receiving agency by service; the code's date is the service day.
                            let unit = services.iter().position(|s| *s == t.service).unwrap_or(0) + 1;
                            let agency = format!("000.{:02}.{unit:02}.H56", seed % 100);
                            let day = log.last().map(|e: &Event| e.day.format("%y%m%d").to_string()).unwrap_or_default();
                            let n = seq.entry(agency.clone()).or_default();
                            *n += 1;
                            let dossier = format!("{agency}-{day}-{n:04}");
                            let link = Command::LinkDossier {
                                ticket: shared::domain::TicketRef::Id(t.id),
                                dossier: dossier.clone(),
                                only_at: vec![],
                            };
                            run(&mut engine, link, now, &mut log);
                            received.push(dossier);
                        }
                        if dice.below(10) < 6 {
                            let rating =
                                [Rating::VerySatisfied, Rating::Satisfied, Rating::Satisfied, Rating::Unsatisfied][dice.below(4) as usize];
                            let cmd = Command::Rate { ticket: shared::domain::TicketRef::Id(t.id), rating, only_at: vec![] };
                            run(&mut engine, cmd, now + Duration::seconds(5), &mut log);
                        }
                    }
                    busy[i] = None;
                }
                if let Some(_t) = run(&mut engine, Command::CallNext { counter: counter.clone() }, now, &mut log) {
                    all_idle = false;
                    let no_show = dice.below(12) == 0;
                    let takes = if no_show { 60 } else { 120 + dice.below(360) as i64 };
                    busy[i] = Some((now + Duration::seconds(takes), no_show));
                }
            }
            if all_idle && arrivals.peek().is_none() {
                break;
            }
            now += Duration::seconds(10);
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::event::EventBody;

    /// Proves the simulated day is a busy one that ends cleanly: every ticket issued is served
    /// or a no-show by the evening, ratings are there, and the same seed gives the same log.
    #[test]
    fn a_busy_day_deals_with_every_ticket() {
        let log = busy_days(1, 1500, 7, crate::monday_9am());
        let visits = shared::report::visits(&log);
        assert_eq!(visits.len(), 1500);
        let served = visits.iter().filter(|v| v.finished.is_some()).count();
        let no_shows = visits.iter().filter(|v| v.no_show).count();
        let rated = visits.iter().filter(|v| v.rating.is_some()).count();
        assert_eq!(served + no_shows, 1500, "served {served}, no-shows {no_shows}");
        assert!(no_shows > 50 && rated > 600, "no-shows {no_shows}, rated {rated}");
        // The morning rush makes a queue: people wait, some a long time, as in a real hall.
        let report = shared::report::report(&visits, shared::report::GroupBy::Day, &Default::default(), log[0].day, log[0].day);
        let wait = report.total.wait_s.expect("waits");
        assert!(wait.median > 5.0 * 60.0 && wait.p90 > 20.0 * 60.0, "{wait:?}");
        assert!(log.windows(2).all(|w| w[0].id + 1 == w[1].id), "ids run without gaps");
        assert_eq!(log, busy_days(1, 1500, 7, crate::monday_9am()));
        assert!(matches!(log[0].body, EventBody::DayStarted));
    }

    #[test]
    fn days_follow_each_other() {
        let log = busy_days(2, 100, 3, crate::monday_9am());
        let days: std::collections::BTreeSet<_> = log.iter().map(|e| e.day).collect();
        assert_eq!(days.len(), 2);
        let visits = shared::report::visits(&log);
        assert_eq!(visits.len(), 200);
        // Most served visits became a dossier; a quarter of the first day's were evaluated on
        // the second, each once, by a code the first day linked.
        let linked: Vec<&str> = visits.iter().filter_map(|v| v.dossier.as_ref().map(|d| d.code.as_str())).collect();
        let evaluated = shared::report::evaluations(&log);
        assert!(linked.len() > 120, "{}", linked.len());
        assert!(evaluated.len() > 10 && evaluated.iter().all(|e| e.day == log.last().unwrap().day), "{}", evaluated.len());
        assert!(evaluated.iter().all(|e| linked.contains(&e.dossier.as_str())));
        let first = shared::dossier::ReceiptCode::parse(linked[0]).unwrap();
        assert_eq!(first.received, log[0].day, "the code carries the day it was received");
    }
}

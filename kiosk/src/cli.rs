//! The command-line client: staff and scripts drive the queue from a terminal.
//! Human-readable output by default, the API's JSON with `--json`.
use clap::Subcommand;
use shared::client::{Client, ClientError, CounterAction, StreamItem};
use shared::event::{Event, EventBody};
use shared::text::escape_for_terminal;
use shared::wire::{StateView, TicketView};

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Take a number for a service.
    Issue {
        service: String,
        #[arg(long)]
        priority: Option<String>,
    },
    /// Call the next ticket at a counter (finishing the visit in progress).
    CallNext { counter: String },
    /// Call a given ticket at a counter: out of turn, or a no-show who came back.
    Call { counter: String, number: String },
    /// Call the current ticket again.
    Recall { counter: String },
    /// Mark the current ticket absent.
    NoShow { counter: String },
    /// Finish the visit in progress.
    Finish { counter: String },
    /// Send the current ticket to another service and/or counter.
    Transfer {
        counter: String,
        #[arg(long)]
        service: Option<String>,
        #[arg(long = "to-counter")]
        to_counter: Option<String>,
    },
    /// Stop a counter from being called.
    Pause { counter: String },
    /// Let a paused counter call again.
    Resume { counter: String },
    /// Bring a no-show back into the queue (by number or id); or, with --from, put a backup in
    /// place of the store (the authority stopped; with --config and optionally --db).
    Restore {
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        ticket: Option<String>,
        /// A backup (`kiosk backup --out FILE`) to put in place of the store.
        #[arg(long)]
        from: Option<std::path::PathBuf>,
        /// The store to replace, overriding [store] path (with --from).
        #[arg(long, requires = "from")]
        db: Option<std::path::PathBuf>,
    },
    /// Save a consistent copy of the store while the authority serves (an admin token).
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Have a ticket of today printed again (by number), at a given kiosk or any.
    Reprint {
        number: String,
        /// The kiosk (its token name) that prints it; any kiosk when left out.
        #[arg(long)]
        device: Option<String>,
    },
    /// Show services, counters and the waiting tickets.
    State,
    /// Print events as they happen (Ctrl-C to stop).
    Watch {
        /// Start after this event id (default: from now).
        #[arg(long)]
        after: Option<u64>,
    },
}

pub async fn run(client: &Client, cmd: ClientCommand, json: bool) -> Result<(), ClientError> {
    use ClientCommand::*;
    match cmd {
        Issue { service, priority } => ticket(client.issue(&service, priority.as_deref()).await?, json),
        CallNext { counter } => match client.call_next(&counter).await? {
            Some(t) => ticket(t, json),
            None if json => println!("null"),
            None => println!("nobody waits at counter {counter}"),
        },
        Call { counter, number } => ticket(client.call(&counter, &number).await?, json),
        Recall { counter } => maybe(client.counter_action(&counter, CounterAction::Recall).await?, json),
        NoShow { counter } => maybe(client.counter_action(&counter, CounterAction::NoShow).await?, json),
        Finish { counter } => maybe(client.counter_action(&counter, CounterAction::Finish).await?, json),
        Transfer { counter, service, to_counter } => {
            ticket(client.transfer(&counter, service.as_deref(), to_counter.as_deref()).await?, json)
        }
        Pause { counter } => {
            client.set_paused(&counter, true).await?;
            println!("counter {counter} paused");
        }
        Resume { counter } => {
            client.set_paused(&counter, false).await?;
            println!("counter {counter} open");
        }
        Restore { ticket: Some(t), .. } => ticket(client.restore(&t).await?, json),
        // Clap requires a ticket unless --from is given, and main restores a store itself.
        Restore { ticket: None, .. } => unreachable!("restore --from is not a client command"),
        Backup { out } => {
            let saved = client.backup(&out).await?;
            if json {
                println!("{}", serde_json::json!({"file": out, "bytes": saved.bytes, "last_event_id": saved.last_id}));
            } else {
                println!("{}: {} bytes, up to event {}", out.display(), saved.bytes, saved.last_id);
            }
        }
        Reprint { number, device } => {
            let t = client.reprint(&number, device.as_deref()).await?;
            if json {
                ticket(t, json);
            } else {
                println!("{} to be printed again at {}", escape_for_terminal(&t.number), device.as_deref().unwrap_or("any kiosk"));
            }
        }
        State => {
            let s = client.state().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s).expect("serialisable"));
            } else {
                print!("{}", render_state(&s));
            }
        }
        Watch { after } => {
            let mut stream = client.events(after).await?;
            while let Some(item) = stream.next().await {
                match item? {
                    StreamItem::Event(e) if json => println!("{}", serde_json::to_string(&e).expect("serialisable")),
                    StreamItem::Event(e) => println!("{}", describe(&e)),
                    StreamItem::Resync => println!("(events were missed: run `kiosk state`)"),
                    // Not JSON of an event this build can print: kept off stdout in --json mode.
                    StreamItem::Unknown { id, kind, .. } if json => eprintln!("event {id} ({kind}) is not known to this build"),
                    StreamItem::Unknown { id, kind, .. } => println!("#{id:<6} ({kind}: not known to this build)"),
                }
            }
        }
    }
    Ok(())
}

fn maybe(t: Option<TicketView>, json: bool) {
    match t {
        Some(t) => ticket(t, json),
        None => println!("done"),
    }
}

fn ticket(t: TicketView, json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(&t).expect("serialisable"));
        return;
    }
    // The state as the API names it ("no_show"), so the text and --json read the same.
    let state = serde_json::to_value(t.state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let mut line = format!("{}  {}  {state}", escape_for_terminal(&t.number), escape_for_terminal(&t.service));
    if let Some(c) = &t.counter {
        line.push_str(&format!("  at counter {c}"));
    }
    if let (Some(a), Some(w)) = (t.waiting_ahead, t.estimated_wait_s) {
        line.push_str(&format!("  ({a} ahead, about {} min)", w.div_ceil(60)));
    }
    println!("{line}");
}

/// The state as a terminal table: services, then counters. Text that came from the store is
/// escaped: a name stored before names were checked must not move the cursor, clear the
/// screen or reverse the line in the operator's terminal.
pub fn render_state(s: &StateView) -> String {
    let t = escape_for_terminal;
    let mut out = format!("{} · {} · event {}\n", t(&s.centre), s.day, s.last_event_id);
    out.push_str("service      letter  waiting  issued  open  wait\n");
    for v in &s.services {
        out.push_str(&format!(
            "{:<12} {:<7} {:>7} {:>7}  {:<4} {:>3} min\n",
            t(&v.id),
            t(&v.letter),
            v.waiting,
            v.issued_today,
            if v.open { "yes" } else { "no" },
            v.estimated_wait_s.div_ceil(60)
        ));
    }
    out.push_str("counter      serving  services\n");
    for c in &s.counters {
        let serving = match (&c.current, c.paused) {
            (_, true) => "paused".to_owned(),
            (Some(ticket), _) => t(&ticket.number).into_owned(),
            (None, _) => "-".to_owned(),
        };
        out.push_str(&format!("{:<12} {:<8} {}\n", t(&c.id), serving, t(&c.services.join(", "))));
    }
    out
}

/// One line per event, for `kiosk watch`.
pub fn describe(e: &Event) -> String {
    let what = match &e.body {
        EventBody::DayStarted => format!("day {} started", e.day),
        EventBody::TicketIssued { number, service, priority, .. } => {
            format!("{number} issued for {service}{}", priority.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())
        }
        EventBody::TicketCalled { number, counter, .. } => format!("{number} called to counter {counter}"),
        EventBody::TicketRecalled { number, counter, .. } => format!("{number} called again to counter {counter}"),
        EventBody::TicketNoShow { number, counter, .. } => format!("{number} did not come to counter {counter}"),
        EventBody::TicketRestored { number, .. } => format!("{number} back in the queue"),
        EventBody::TicketFinished { number, counter, service_s, .. } => {
            format!("{number} finished at counter {counter} after {} min", service_s.div_ceil(60))
        }
        EventBody::TicketTransferred { number, service, to_counter, .. } => {
            format!("{number} transferred to {service}{}", to_counter.as_ref().map(|c| format!(", counter {c}")).unwrap_or_default())
        }
        EventBody::CounterPaused { counter } => format!("counter {counter} paused"),
        EventBody::CounterResumed { counter } => format!("counter {counter} open"),
        EventBody::DeviceReported { device, problem: None, .. } => format!("{device} is working"),
        EventBody::DeviceReported { device, problem: Some(p), message } => {
            format!("{device}: {p}{}", message.as_ref().map(|m| format!(" ({m})")).unwrap_or_default())
        }
        EventBody::TicketReprintRequested { number, .. } => format!("{number} to be printed again"),
        EventBody::HelpAsked { device, screen } => format!("{device} calls for a staff member (screen {screen:?})"),
        EventBody::HelpAnswered { device, staff, staff_name } => {
            format!("{} is on the way to {device}", staff_name.as_deref().or(staff.as_deref()).unwrap_or("staff"))
        }
        EventBody::HelpWithdrawn { device } => format!("{device} no longer calls for help"),
        EventBody::CounterStaffed { counter, staff: Some(s), staff_name } => {
            format!("{} signed in at counter {counter}", staff_name.as_deref().unwrap_or(s))
        }
        EventBody::CounterStaffed { counter, staff: None, .. } => format!("counter {counter}: staff signed out"),
        EventBody::TicketRated { number, rating, .. } => format!("{number} rated {}", rating.label_vi()),
        EventBody::DossierLinked { number, dossier, counter, .. } => format!("{number} at counter {counter} became dossier {dossier}"),
        EventBody::DossierEvaluated { dossier, scores, device } => format!(
            "dossier {dossier} evaluated {}/{}{}",
            scores.points(),
            shared::dossier::evaluation::MAX_POINTS,
            device.as_ref().map(|d| format!(" at {d}")).unwrap_or_default()
        ),
        EventBody::SettingsChanged { version } => format!("settings changed (version {version})"),
        EventBody::CatalogueReplaced { procedures } => format!("procedure catalogue replaced ({procedures} procedures)"),
        EventBody::ClockStepped { from, to, carried, .. } => format!(
            "the clock stepped {} min forward; {} waiting ticket(s) carried into the day",
            (*to - *from).num_minutes(),
            carried.len()
        ),
    };
    let local = e.at.with_timezone(&chrono::Local);
    // Staff names and device messages come from elsewhere: escaped like the state's names.
    format!("#{:<6} {}  {}", e.id, local.format("%H:%M:%S"), escape_for_terminal(&what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(centre: &str) -> StateView {
        serde_json::from_value(serde_json::json!({
            "centre": centre, "day": "2026-12-03", "last_event_id": 7, "services": [], "counters": [], "priority": [],
            "waiting": [], "no_show": [], "recent_calls": []
        }))
        .unwrap()
    }

    #[test]
    fn kiosk_state_escapes_a_stored_centre_name_that_would_garble_the_terminal() {
        // Proves a name stored before names were checked (ESC clearing the screen, NUL, a
        // right-to-left override) is printed as visible escapes, not sent to the terminal.
        let out = render_state(&state("\u{1b}[2J\u{1b}]0;pwned\u{7}UBND \u{202E}hnìĐ aB\0"));
        let first = out.lines().next().unwrap();
        assert_eq!(first, "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}UBND \\u{202e}hnìĐ aB\\u{0} · 2026-12-03 · event 7");
        assert!(!out.chars().any(|c| c != '\n' && shared::text::label::garbles(c)), "{out:?}");
        assert!(render_state(&state("Bộ phận Một cửa")).starts_with("Bộ phận Một cửa · "), "good names print as they are");
    }

    #[test]
    fn kiosk_watch_escapes_a_staff_name_from_the_store() {
        // Proves `kiosk watch` cannot be garbled by a name an account stored before the rule.
        let at = chrono::DateTime::from_timestamp(1_764_720_000, 0).unwrap();
        let body =
            EventBody::CounterStaffed { counter: "1".into(), staff: Some("lan".into()), staff_name: Some("Lan\u{202E}\u{1b}[2J".into()) };
        let e = Event { id: 9, at, day: at.date_naive(), body };
        let line = describe(&e);
        assert!(line.ends_with("Lan\\u{202e}\\u{1b}[2J signed in at counter 1"), "{line}");
    }
}

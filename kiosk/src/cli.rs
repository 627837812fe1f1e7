//! The command-line client: staff and scripts drive the queue from a terminal.
//! Human-readable output by default, the API's JSON with `--json`.
use clap::Subcommand;
use shared::client::{Client, ClientError, CounterAction, StreamItem};
use shared::event::{Event, EventBody};
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
    /// Bring a no-show back into the queue (by number or id).
    Restore { ticket: String },
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
        Restore { ticket: t } => ticket(client.restore(&t).await?, json),
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
    let mut line = format!("{}  {}  {state}", t.number, t.service);
    if let Some(c) = &t.counter {
        line.push_str(&format!("  at counter {c}"));
    }
    if let (Some(a), Some(w)) = (t.waiting_ahead, t.estimated_wait_s) {
        line.push_str(&format!("  ({a} ahead, about {} min)", w.div_ceil(60)));
    }
    println!("{line}");
}

/// The state as a terminal table: services, then counters.
pub fn render_state(s: &StateView) -> String {
    let mut out = format!("{} · {} · event {}\n", s.centre, s.day, s.last_event_id);
    out.push_str("service      letter  waiting  issued  open  wait\n");
    for v in &s.services {
        out.push_str(&format!(
            "{:<12} {:<7} {:>7} {:>7}  {:<4} {:>3} min\n",
            v.id,
            v.letter,
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
            (Some(t), _) => t.number.clone(),
            (None, _) => "-".to_owned(),
        };
        out.push_str(&format!("{:<12} {:<8} {}\n", c.id, serving, c.services.join(", ")));
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
        EventBody::CounterStaffed { counter, staff: Some(s), staff_name } => {
            format!("{} signed in at counter {counter}", staff_name.as_deref().unwrap_or(s))
        }
        EventBody::CounterStaffed { counter, staff: None, .. } => format!("counter {counter}: staff signed out"),
        EventBody::TicketRated { number, rating, .. } => format!("{number} rated {}", rating.label_vi()),
        EventBody::SettingsChanged { version } => format!("settings changed (version {version})"),
        EventBody::CatalogueReplaced { procedures } => format!("procedure catalogue replaced ({procedures} procedures)"),
    };
    let local = e.at.with_timezone(&chrono::Local);
    format!("#{:<6} {}  {what}", e.id, local.format("%H:%M:%S"))
}

//! What is asked of the queue (`Command`, naming tickets by `TicketRef`) and what it answers
//! (`Outcome`): the engine's vocabulary, apart from its state and decisions (`engine.rs`).
use crate::config::Config;
use crate::event::{Event, EventId, TicketId};
use crate::wire::TicketView;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What someone asks of the queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Issue {
        service: String,
        priority: Option<String>,
        /// The ticket's public key: random, so the authority draws it before the engine
        /// decides (the engine stays a pure function of commands and time). None: no key.
        key: Option<String>,
    },
    /// A number booked on the province hub, checked in at the kiosk: `booking` is what the
    /// centre holds for `code` (the authority reads it from its store before the engine
    /// decides; None: unknown here).
    CheckIn {
        code: String,
        booking: Option<crate::province::booking::Booking>,
        key: Option<String>,
    },
    CallNext {
        counter: String,
    },
    Call {
        counter: String,
        ticket: TicketRef,
    },
    Recall {
        counter: String,
    },
    NoShow {
        counter: String,
    },
    /// A no-show brought back; a caller limited to some counters (`only_at`, empty: any) only
    /// for tickets of those counters or their services.
    Restore {
        ticket: TicketRef,
        only_at: Vec<String>,
    },
    Finish {
        counter: String,
    },
    Transfer {
        counter: String,
        service: Option<String>,
        to_counter: Option<String>,
    },
    Pause {
        counter: String,
    },
    Resume {
        counter: String,
    },
    /// A device's health; recorded only when it changed.
    ReportDevice {
        device: String,
        problem: Option<String>,
        message: Option<String>,
    },
    /// A kiosk's citizen asks for a staff member (`help.rs`).
    AskHelp {
        device: String,
        screen: crate::wire::HelpScreen,
    },
    /// A staff member (`staff` their login or token name) is on the way to the kiosk `device`.
    AnswerHelp {
        device: String,
        staff: String,
        staff_name: Option<String>,
    },
    /// The kiosk withdraws its call (its citizen left).
    WithdrawHelp {
        device: String,
    },
    /// Staff ask for a ticket of today to be printed again: a live one (waiting or called), of
    /// the caller's counters or their services when `only_at` names some, within the reprint
    /// limits of `[console]`.
    Reprint {
        ticket: TicketRef,
        device: Option<String>,
        only_at: Vec<String>,
    },
    /// A staff member takes a counter (login, name), or leaves it (none). One person is at one
    /// counter at a time: taking a second one leaves the first.
    Staff {
        counter: String,
        staff: Option<(String, Option<String>)>,
    },
    /// The citizen's rating of a finished visit, from the counter's rating device; a device of
    /// some counters (`only_at`, empty: any) rates only visits that ended there.
    Rate {
        ticket: TicketRef,
        rating: crate::event::Rating,
        only_at: Vec<String>,
    },
    /// Staff link the visit they serve (or have just served, within `[queue] rating_window_min`
    /// of its end) to the dossier they received, by its receipt code; a caller of some counters
    /// (`only_at`, empty: any) links only visits called there.
    LinkDossier {
        ticket: TicketRef,
        dossier: String,
        only_at: Vec<String>,
    },
    /// A citizen's evaluation of a finished dossier on the nine criteria, at a kiosk or the
    /// results board (`device`). Once per dossier: `stored_at` is when the store already holds
    /// one for it, looked up by the authority before the engine decides (as it draws keys), so
    /// the engine stays pure and keeps no list of every dossier ever evaluated.
    EvaluateDossier {
        dossier: String,
        scores: crate::dossier::evaluation::Scores,
        device: Option<String>,
        stored_at: Option<DateTime<Utc>>,
    },
    /// The administrator's new settings, stored as `version`: applied from now on.
    Reconfigure {
        config: SettingsRef,
        version: u64,
    },
    /// The administrator replaced the procedure catalogue (`procedures` records).
    CatalogueReplaced {
        procedures: u32,
    },
    /// Nothing but the passing of time: starts a new day when the rollover has passed.
    Tick,
    /// The system clock stepped forward from `from` (the authority's time) to `to`. Tickets
    /// whose id is `since` or later were issued under the time before the step: when the step
    /// turns the day, those still waiting are carried into it (`clock_step.rs`).
    ClockStepped {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        since: EventId,
    },
}

/// A configuration carried by a command: equal when it is the same one (configurations are
/// compared by identity, not field by field).
#[derive(Debug, Clone)]
pub struct SettingsRef(pub Arc<Config>);

impl PartialEq for SettingsRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TicketRef {
    Id(TicketId),
    Number(String),
}

impl TicketRef {
    /// A ticket as people name it in a URL or a command: its id ("42") or its number ("A012").
    pub fn parse(s: &str) -> TicketRef {
        match s.parse::<TicketId>() {
            Ok(id) => TicketRef::Id(id),
            Err(_) => TicketRef::Number(s.to_owned()),
        }
    }
}

/// The result of a command: the events to persist and, where the command concerns one ticket,
/// that ticket as it stands after them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub events: Vec<Event>,
    pub ticket: Option<TicketView>,
}

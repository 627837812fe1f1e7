//! The queue, with no I/O: commands in, events out.
//!
//! - `engine.rs`: the `Engine` (the day's state) and `execute`, which decides the events of a
//!   command from the state and the time, then applies them.
//! - `command.rs`: what is asked (`Command`, `TicketRef`) and answered (`Outcome`).
//! - `apply.rs`: how each event changes the state; replaying the log runs the same code.
//! - `select.rs`: which waiting ticket a counter calls next (priority ratio, no starvation).
//! - `view.rs`: the read side: tickets ahead, wait estimates, the state view.
//! - `public.rs`: the citizen's view of a ticket by its public key (the phone page).
//! - `day.rs`: the service day and opening hours in local time.
//! - `reprint.rs`: who may have which ticket reprinted (or restored), and how often.
//! - `link.rs`, `evaluate.rs`: dossiers: a visit linked to the dossier it became; the
//!   citizen's evaluation of a finished dossier, once per dossier.
//! - `check_in.rs`: a number booked on the province hub checked in at the kiosk (once, in its
//!   time, ranked by its window's opening or its check-in).
//! - `help.rs`: kiosks' calls for help, answered by staff; once a minute per kiosk.
//! - `reconfigure.rs`: the administrator's settings applied to a running day (what may change,
//!   what would strand a ticket).
mod apply;
mod check_in;
mod clock_step;
mod command;
mod day;
mod engine;
mod evaluate;
mod help;
mod link;
mod public;
mod reconfigure;
mod reprint;
mod select;
mod view;

pub use day::service_day;
pub use engine::{Command, Engine, Outcome, SettingsRef, TicketRef};
pub use help::HELP_INTERVAL_S;

use crate::event::TicketId;
use crate::wire::TicketState;
use chrono::{DateTime, Utc};

/// A ticket of the current day, as the engine keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: TicketId,
    pub number: String,
    pub service: String,
    pub priority: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub state: TicketState,
    /// The counter calling or serving it.
    pub counter: Option<String>,
    /// Set by a transfer to one counter: only that counter may call it.
    pub target_counter: Option<String>,
    pub first_called_at: Option<DateTime<Utc>>,
    pub called_at: Option<DateTime<Utc>>,
    pub calls: u32,
    pub no_show_at: Option<DateTime<Utc>>,
    /// When the visit ended, and who served it (the counter and staff of the finish).
    pub finished_at: Option<DateTime<Utc>>,
    pub served_by: Option<(String, Option<String>)>,
    pub rating: Option<crate::event::Rating>,
    /// The receipt code of the dossier the visit became, once staff linked it.
    pub dossier: Option<String>,
    /// Reprints asked today, and the last one: each is paper at the kiosk.
    pub reprints: u32,
    pub reprinted_at: Option<DateTime<Utc>>,
    /// The public key its QR code carries (none on tickets from before keys existed).
    pub key: Option<String>,
    /// Where it ranks in the queue: when it was issued, or for a booked number its window's
    /// opening (`[queue] booked_rank`).
    pub ranks_at: DateTime<Utc>,
    /// The booking it was checked in with.
    pub booking: Option<String>,
}

impl Ticket {
    /// A ticket just issued (or carried into a new day), waiting.
    pub(crate) fn waiting(
        id: TicketId,
        number: &str,
        service: &str,
        priority: Option<String>,
        issued_at: DateTime<Utc>,
        key: Option<String>,
    ) -> Ticket {
        Ticket {
            id,
            number: number.to_owned(),
            service: service.to_owned(),
            priority,
            issued_at,
            state: TicketState::Waiting,
            counter: None,
            target_counter: None,
            first_called_at: None,
            called_at: None,
            calls: 0,
            no_show_at: None,
            finished_at: None,
            served_by: None,
            rating: None,
            dossier: None,
            reprints: 0,
            reprinted_at: None,
            key,
            ranks_at: issued_at,
            booking: None,
        }
    }

    /// The order of the queue: by issue time (a booked number's: its window's opening), which a
    /// transfer and a restore keep; the id breaks ties between tickets of the same instant.
    pub fn queue_key(&self) -> (DateTime<Utc>, TicketId) {
        (self.ranks_at, self.id)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CounterState {
    pub paused: bool,
    pub current: Option<TicketId>,
    /// Priority tickets called in a row; a normal call resets it.
    pub priority_streak: u32,
    /// The staff member signed in at the counter: login and name.
    pub staff: Option<(String, Option<String>)>,
}

/// Why a command was refused. Each variant is one machine code of the API.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    #[error("there is no service {0:?}")]
    UnknownService(String),
    #[error("there is no counter {0:?}")]
    UnknownCounter(String),
    #[error("there is no priority class {0:?}")]
    UnknownPriority(String),
    #[error("service {service:?} does not offer priority class {priority:?}")]
    PriorityNotOffered { service: String, priority: String },
    #[error("service {service:?} is closed now{}", next.as_ref().map(|n| format!("; it opens {n}")).unwrap_or_default())]
    ServiceClosed { service: String, next: Option<String> },
    #[error("service {service:?} has issued its {cap} tickets for today")]
    DailyCapReached { service: String, cap: u32 },
    #[error("counter {0:?} is paused")]
    CounterPaused(String),
    #[error("counter {0:?} is serving no ticket")]
    NoCurrentTicket(String),
    #[error("there is no ticket {0} today")]
    TicketNotFound(String),
    #[error("ticket {number} is {state:?}, it cannot be called")]
    NotCallable { number: String, state: TicketState },
    #[error("counter {counter:?} does not serve ticket {number}")]
    NotServedHere { number: String, counter: String },
    #[error("ticket {number} missed its turn more than {grace_min} minutes ago")]
    GraceExpired { number: String, grace_min: u32 },
    #[error("a transfer needs a service or a counter")]
    EmptyTransfer,
    #[error("service {service:?} has run out of numbers for today")]
    SeriesExhausted { service: String },
    #[error("ticket {0} has already been rated")]
    AlreadyRated(String),
    #[error("ticket {number} was finished more than {window_min} minutes ago: its rating is closed")]
    RatingClosed { number: String, window_min: u32 },
    #[error("ticket {0} has not been served yet, it cannot be rated")]
    NotFinished(String),
    /// A settings change would strand tickets of today (a service with tickets waiting, a
    /// counter serving one).
    #[error("{0}")]
    InUse(String),
    /// A caller limited to some counters asked about a ticket of others.
    #[error("ticket {number} is not of counter(s) {counters}: neither called there nor of a service they serve")]
    NotYours { number: String, counters: String },
    #[error("ticket {number} is {state:?}: only a waiting or called ticket is reprinted")]
    NotLive { number: String, state: TicketState },
    #[error("ticket {number} was reprinted {since_s} s ago: wait {wait_s} s more")]
    ReprintTooSoon { number: String, since_s: u32, wait_s: u32 },
    #[error("ticket {number} has been reprinted {limit} times today, the most allowed")]
    TicketReprintLimit { number: String, limit: u32 },
    #[error("the centre has reprinted {limit} tickets today, the most allowed")]
    DayReprintLimit { limit: u32 },
    #[error("{device} called for help less than a minute ago: wait {wait_s} s more")]
    HelpTooSoon { device: String, wait_s: u32 },
    #[error("{0} has no open call for help")]
    NoHelpCall(String),
    #[error("{code:?} is not a receipt code (agency-yyMMdd-NNNN): {reason}")]
    BadReceiptCode { code: String, reason: String },
    #[error("ticket {0} has not been called yet: a dossier is linked to the visit being served or just served")]
    NotServed(String),
    #[error("ticket {number} was finished more than {window_min} minutes ago: its dossier can no longer be linked")]
    LinkClosed { number: String, window_min: u32 },
    #[error("dossier {dossier} is already linked to ticket {number}")]
    DossierTaken { dossier: String, number: String },
    #[error("dossier {dossier} was evaluated on {on}: a dossier is evaluated once")]
    AlreadyEvaluated { dossier: String, on: String },
    #[error("no booking {0} is known at this centre")]
    BookingNotFound(String),
    #[error("booking {code} is for {day}, not today")]
    BookingOtherDay { code: String, day: chrono::NaiveDate },
    #[error("booking {code} checks in from {from}")]
    BookingTooEarly { code: String, from: String },
    #[error("booking {code} was for {window}: its time is over")]
    BookingTooLate { code: String, window: String },
    #[error("booking {code} has been checked in already (ticket {number})")]
    BookingUsed { code: String, number: String },
}

impl DomainError {
    /// Reads a receipt code as typed or scanned, or refuses it with its reason (the input is
    /// echoed cut to 60 characters: a scanner may send anything).
    pub(crate) fn receipt_code(input: &str) -> Result<crate::dossier::ReceiptCode, DomainError> {
        crate::dossier::ReceiptCode::parse(input)
            .map_err(|e| DomainError::BadReceiptCode { code: input.trim().chars().take(60).collect(), reason: e.to_string() })
    }

    /// The machine code of the API error body.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::UnknownService(_) => "unknown_service",
            DomainError::UnknownCounter(_) => "unknown_counter",
            DomainError::UnknownPriority(_) => "unknown_priority",
            DomainError::PriorityNotOffered { .. } => "priority_not_offered",
            DomainError::ServiceClosed { .. } => "service_closed",
            DomainError::DailyCapReached { .. } => "daily_cap_reached",
            DomainError::CounterPaused(_) => "counter_paused",
            DomainError::NoCurrentTicket(_) => "no_current_ticket",
            DomainError::TicketNotFound(_) => "ticket_not_found",
            DomainError::NotCallable { .. } => "ticket_not_callable",
            DomainError::NotServedHere { .. } => "not_served_here",
            DomainError::GraceExpired { .. } => "grace_expired",
            DomainError::EmptyTransfer => "empty_transfer",
            DomainError::SeriesExhausted { .. } => "series_exhausted",
            DomainError::AlreadyRated(_) => "already_rated",
            DomainError::RatingClosed { .. } => "rating_closed",
            DomainError::NotFinished(_) => "not_finished",
            DomainError::InUse(_) => "in_use",
            DomainError::NotYours { .. } => "forbidden",
            DomainError::NotLive { .. } => "ticket_not_live",
            DomainError::ReprintTooSoon { .. } => "reprint_too_soon",
            DomainError::TicketReprintLimit { .. } | DomainError::DayReprintLimit { .. } => "reprint_limit_reached",
            DomainError::HelpTooSoon { .. } => "help_too_soon",
            DomainError::NoHelpCall(_) => "no_help_call",
            DomainError::BadReceiptCode { .. } => "bad_receipt_code",
            DomainError::NotServed(_) => "not_served",
            DomainError::LinkClosed { .. } => "link_closed",
            DomainError::DossierTaken { .. } => "dossier_taken",
            DomainError::AlreadyEvaluated { .. } => "already_evaluated",
            DomainError::BookingNotFound(_) => "booking_not_found",
            DomainError::BookingOtherDay { .. } => "booking_other_day",
            DomainError::BookingTooEarly { .. } => "booking_too_early",
            DomainError::BookingTooLate { .. } => "booking_too_late",
            DomainError::BookingUsed { .. } => "booking_used",
        }
    }
}

#[cfg(test)]
mod tests;

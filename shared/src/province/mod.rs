//! What a centre sends its province hub, and what the hub reports back: the bodies of the
//! uplink (`POST /api/v1/centres/{centre}/events`, `GET .../cursor`) and of the province report
//! (`GET /api/v1/province/report`), shared by the authority's uplink and the hub.
//!
//! - `mod.rs`: the bodies.
//! - `outward.rs`: the one rule of what leaves a centre (no staff logins or names).
//! - `board.rs`: the centre's ticket views sent for the hub's phone pages.
//! - `booking.rs`: numbers booked ahead on the hub, as the centres pull them.
mod board;
pub mod booking;
mod outward;

pub use board::{same_view, TicketBoard, MAX_BOARD_TICKETS};

pub use outward::{outward, FIELDS_LEAVING};

use crate::event::{Event, EventId};
use crate::report::Ratings;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A push: events of one centre, ascending ids, each as the SSE stream sends it (with `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub events: Vec<Event>,
}

/// The hub's answer to a push and to `GET .../cursor`: the highest event id it holds for the
/// centre. The centre sends from there on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acked {
    pub acked: EventId,
}

/// The figures of one centre (or of the province, in `total`) over the report's days. Counted
/// exactly as the centre's own `/api/v1/reports` counts them (`shared::report`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub tickets_issued: u32,
    pub tickets_served: u32,
    pub no_shows: u32,
    pub wait_p50_s: Option<f64>,
    pub wait_p90_s: Option<f64>,
    pub service_p50_s: Option<f64>,
    pub ratings: Ratings,
    /// Tickets issued per local hour of the day (24 entries): when the centres are busiest.
    pub busiest_hours: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CentreFigures {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// The last event id the hub holds for the centre.
    pub acked: EventId,
    /// When the hub last received anything from the centre (the hub's clock), and when the
    /// centre's last event happened (the centre's clock).
    pub last_received_at: Option<DateTime<Utc>>,
    pub last_event_at: Option<DateTime<Utc>>,
    /// No event received for an hour or more during opening time, as of the report.
    pub quiet: bool,
}

/// The province's figures for one service day (the dashboard's daily chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub tickets_issued: u32,
    pub tickets_served: u32,
    pub no_shows: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvinceReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub centres: Vec<CentreFigures>,
    /// The province as a whole: its percentiles over all its tickets, not an average of centres.
    pub total: Figures,
    pub days: Vec<DayFigures>,
}

//! Bodies of the HTTP API (the contract of DESIGN.md), shared by the server, its clients and
//! the display. Field names are the contract: rename nothing without versioning the API.
use crate::event::{EventId, TicketId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/tickets`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    pub service: String,
    #[serde(default)]
    pub priority: Option<String>,
}

/// `POST /api/v1/counters/{counter}/transfer`: to another service, or to one counter, or both.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub counter: Option<String>,
}

/// `POST /api/v1/counters/{counter}/call`: a given ticket, by id or by its number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    #[serde(default)]
    pub ticket: Option<TicketId>,
    #[serde(default)]
    pub number: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    NoShow,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub id: TicketId,
    #[cfg_attr(feature = "openapi", schema(example = "A012"))]
    pub number: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub state: TicketState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_at: Option<DateTime<Utc>>,
    /// Tickets that will be called before this one (waiting tickets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_s: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityView {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub letter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Priority classes a citizen may choose for this service.
    pub priorities: Vec<String>,
    pub waiting: u32,
    pub issued_today: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
    /// Whether a ticket can be taken now (opening hours, day, cap).
    pub open: bool,
    /// The wait a ticket taken now would be told.
    pub estimated_wait_s: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterView {
    pub id: String,
    pub name: String,
    pub number: u32,
    pub services: Vec<String>,
    pub paused: bool,
    pub current: Option<TicketView>,
    /// The staff member signed in at the counter (login and name), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallView {
    pub ticket: TicketId,
    pub number: String,
    pub counter: String,
    pub counter_number: u32,
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/devices/status`: the calling device's health.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceReport {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub problem: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub message: Option<String>,
}

/// A device's last reported health, for staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceView {
    pub device: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub since: DateTime<Utc>,
}

/// `GET /api/v1/state`: everything a screen needs to draw itself from scratch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateView {
    pub centre: String,
    pub day: NaiveDate,
    /// The id of the last event this state includes: follow the stream from here.
    pub last_event_id: EventId,
    pub services: Vec<ServiceView>,
    pub counters: Vec<CounterView>,
    pub priority: Vec<PriorityView>,
    /// In issue order.
    pub waiting: Vec<TicketView>,
    /// No-shows that can still be brought back.
    pub no_show: Vec<TicketView>,
    /// The latest calls and recalls, newest first.
    pub recent_calls: Vec<CallView>,
    /// Devices that have reported their health (kiosk printers, displays).
    #[serde(default)]
    pub devices: Vec<DeviceView>,
    /// The server's clock when the state was taken: a page shows elapsed times with it, not
    /// with the browser's own clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
    /// The centre's offset from UTC ("+07:00"): pages show times in the centre's time, not in
    /// the zone the browser's PC happens to be set to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    /// Every rule a refused settings change breaks, with the path of each value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::config::SettingsProblem>,
}

/// `GET /api/v1/settings`: the administrator's settings in force and their version (0: the
/// configuration file's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView {
    pub version: u64,
    pub settings: crate::config::Settings,
}

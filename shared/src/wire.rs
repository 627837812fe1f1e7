//! Bodies of the HTTP API, shared by the server, its clients and the display; the authority's
//! generated `authority/openapi.json` describes them with each endpoint. Field names are the
//! contract: rename nothing without versioning the API.
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

/// `POST /api/v1/bookings/check-in`: a number booked on the province hub, by its code as typed
/// (`K7QX-M2PA`) or its QR code's text as scanned (`MOTCUA-BOOKING:{centre}:{code}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    #[cfg_attr(feature = "openapi", schema(example = "K7QX-M2PA"))]
    pub code: String,
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
    /// The ticket's public key (for its QR code and `/t/{key}`): in the answer that issues
    /// the ticket only, not in the state every device reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
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
/// `POST /api/v1/devices/status`: what was recorded of the device, and under which name (a
/// kiosk that joined an authority learns its device name from it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceAnswer {
    /// The caller's token name.
    pub device: String,
    /// Whether the device reported no problem.
    pub ok: bool,
}

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

/// Where the citizen was when they asked for help: staff know what they will find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpScreen {
    Home,
    Ticket,
    Procedures,
    Dossier,
    /// A screen this build does not know (a newer kiosk's): still a call for help.
    #[serde(other)]
    Other,
}

/// `POST /api/v1/help`: the calling kiosk asks for a staff member.
/// `POST /api/v1/tickets/{ticket}/dossier`: the receipt code of the dossier the visit became.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DossierLinkRequest {
    /// As typed or scanned: `000.00.06.H56-231027-0361` (spaces and case do not matter).
    pub dossier: String,
}

/// A visit linked to its dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierLink {
    pub ticket: u64,
    pub number: String,
    /// The receipt code, as stored (upper case, trimmed).
    pub dossier: String,
}

/// A citizen's evaluation of a finished dossier: the points of the nine criteria, in the order
/// of `dossier::evaluation::CRITERIA`, each 2, 1 or 0.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluationRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u8>, min_items = 9, max_items = 9, example = json!([2, 2, 1, 2, 2, 2, 2, 2, 2])))]
    pub scores: crate::dossier::evaluation::Scores,
}

/// An evaluation recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    /// The receipt code, as stored (upper case, trimmed).
    pub dossier: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u8>))]
    pub scores: crate::dossier::evaluation::Scores,
    /// Their sum, out of `max_points`.
    pub points: u8,
    pub max_points: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HelpRequest {
    pub screen: HelpScreen,
}

/// A kiosk's call for help, open or answered: the console's banner, the kiosk's "a staff
/// member is coming".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpView {
    /// The kiosk's token name.
    pub device: String,
    pub screen: HelpScreen,
    pub asked_at: DateTime<Utc>,
    /// The staff member on the way (their name, else their login), once someone answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
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
    /// Kiosks' calls for help, open ones and those answered in the last minutes, oldest first.
    #[serde(default)]
    pub helps: Vec<HelpView>,
    /// The server's clock when the state was taken: a page shows elapsed times with it, not
    /// with the browser's own clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
    /// The centre's offset from UTC ("+07:00"): pages show times in the centre's time, not in
    /// the zone the browser's PC happens to be set to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
    /// The link to the province hub, when the centre has one (`[uplink]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uplink: Option<UplinkView>,
    /// Present while the system clock is behind the time the queue's log has reached (a Pi
    /// that booted with a stale time, a clock set back): the queue keeps the log's time then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockView>,
}

/// The system clock behind the queue's own time: what the console shows as a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockView {
    /// What the system clock says.
    pub system: DateTime<Utc>,
    /// The time the queue keeps: its log's last time, moved on as time passes.
    pub kept: DateTime<Utc>,
    pub behind_s: u64,
}

/// How the centre's link to its province hub is doing: what it has not yet sent, and the last
/// thing that went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UplinkView {
    /// The hub's base URL.
    pub hub: String,
    /// Events the hub has not acknowledged yet.
    pub backlog: u64,
    /// The highest event id the hub holds.
    pub acked: EventId,
    pub last_ack_at: Option<DateTime<Utc>>,
    /// The last failure, e.g. the hub unreachable or refusing; kept after a success (compare
    /// `last_error_at` with `last_ack_at`).
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Events pruned before the hub had them (`[uplink] keep_unsent_days`), all told.
    pub dropped: u64,
    /// The version of the province's catalogue in service, when it came from the hub.
    pub catalogue_etag: Option<String>,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
    /// Every rule a refused settings change breaks, with the path of each value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::config::SettingsProblem>,
    /// What the refusal is about, for a screen to say it: the time a booking checks in from,
    /// the day it is for, its window, the number it gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `GET /api/v1/settings`: the administrator's settings in force and their version (0: the
/// configuration file's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView {
    pub version: u64,
    pub settings: crate::config::Settings,
}

/// Declares [`ErrorCode`] and its one table of wire strings, so that the name a variant is sent
/// as and the name it is read from cannot differ.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// The machine code of an error answer (`{"error": code, ...}`), shared by the server, which
        /// sends it, and the client, which acts on it. Sent as the snake_case string; a code this
        /// build does not know (from a newer server) is kept as [`ErrorCode::Unknown`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this build does not know, as received.
            Unknown(String),
        }

        impl ErrorCode {
            /// The code as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown(s) => s,
                }
            }

            /// The code of a wire string; never fails (unknown codes are kept as they are).
            pub fn parse(s: &str) -> ErrorCode {
                match s {
                    $($code => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }
        }

        /// The document lists the codes this server sends; `Unknown` is the client's own.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for ErrorCode {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some("The machine code of an error answer."))
                    .enum_values(Some([$($code,)*]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for ErrorCode {}
    };
}

error_codes! {
    // The queue's rules (`DomainError::code`).
    UnknownService = "unknown_service",
    UnknownCounter = "unknown_counter",
    UnknownPriority = "unknown_priority",
    PriorityNotOffered = "priority_not_offered",
    ServiceClosed = "service_closed",
    DailyCapReached = "daily_cap_reached",
    CounterPaused = "counter_paused",
    NoCurrentTicket = "no_current_ticket",
    TicketNotFound = "ticket_not_found",
    TicketNotCallable = "ticket_not_callable",
    NotServedHere = "not_served_here",
    GraceExpired = "grace_expired",
    EmptyTransfer = "empty_transfer",
    SeriesExhausted = "series_exhausted",
    AlreadyRated = "already_rated",
    RatingClosed = "rating_closed",
    NotFinished = "not_finished",
    InUse = "in_use",
    TicketNotLive = "ticket_not_live",
    ReprintTooSoon = "reprint_too_soon",
    ReprintLimitReached = "reprint_limit_reached",
    HelpTooSoon = "help_too_soon",
    NoHelpCall = "no_help_call",
    BadReceiptCode = "bad_receipt_code",
    NotServed = "not_served",
    LinkClosed = "link_closed",
    DossierTaken = "dossier_taken",
    AlreadyEvaluated = "already_evaluated",
    BookingNotFound = "booking_not_found",
    BookingOtherDay = "booking_other_day",
    BookingTooEarly = "booking_too_early",
    BookingTooLate = "booking_too_late",
    BookingUsed = "booking_used",
    BookingOtherCentre = "booking_other_centre",
    // Requests, rights and sessions.
    BadRequest = "bad_request",
    InvalidBody = "invalid_body",
    BodyTooLarge = "body_too_large",
    UnsupportedMediaType = "unsupported_media_type",
    NotFound = "not_found",
    MethodNotAllowed = "method_not_allowed",
    Unauthorized = "unauthorized",
    Forbidden = "forbidden",
    Csrf = "csrf",
    SessionExpired = "session_expired",
    BadCredentials = "bad_credentials",
    TooManyAttempts = "too_many_attempts",
    TooManySignIns = "too_many_sign_ins",
    SignInBusy = "sign_in_busy",
    AccountLocked = "account_locked",
    AccountDisabled = "account_disabled",
    AccountExists = "account_exists",
    AccountNotFound = "account_not_found",
    InvalidAccount = "invalid_account",
    SelfLockout = "self_lockout",
    NotYourCounter = "not_your_counter",
    // Settings, catalogue and the server itself.
    VersionConflict = "version_conflict",
    InvalidSettings = "invalid_settings",
    SettingsUnreadable = "settings_unreadable",
    InvalidCatalogue = "invalid_catalogue",
    NoCatalogueFile = "no_catalogue_file",
    InvalidSynonyms = "invalid_synonyms",
    NoSynonymFile = "no_synonym_file",
    CatalogueUnavailable = "catalogue_unavailable",
    UnknownProcedure = "unknown_procedure",
    StorageFull = "storage_full",
    StorageUnavailable = "storage_unavailable",
    BackupFailed = "backup_failed",
    Stopping = "stopping",
    Internal = "internal",
    // The province hub's (`client::HubClient`): a centre's token used for another centre.
    WrongCentre = "wrong_centre",
}

impl From<&str> for ErrorCode {
    fn from(s: &str) -> ErrorCode {
        ErrorCode::parse(s)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ErrorCode, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(ErrorCode::parse(&s))
    }
}

/// Whether `s` has the shape of a ticket's public key (16 base64url characters): checked before
/// any lookup, so an address of another shape costs nothing and says nothing.
pub fn is_public_key(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where a ticket stands, as its holder sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PublicStatus {
    Waiting,
    Called,
    /// Served and finished (or sent on and finished elsewhere).
    Served,
    /// Called and not there; may still be brought back until `back_by`.
    NoShow,
}

/// A ticket as its holder's phone shows it (`/api/v1/public/tickets/{key}`): no ticket id, no
/// staff, nothing personal, nothing that leads to another ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicTicket {
    #[cfg_attr(feature = "openapi", schema(example = "A012"))]
    pub number: String,
    /// The service's id.
    pub service: String,
    pub service_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name_en: Option<String>,
    pub status: PublicStatus,
    /// Tickets that will be called before this one (while waiting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_s: Option<u32>,
    /// The counter's name, while the ticket is called there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
    /// The number on that counter ("quầy số 3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_at: Option<DateTime<Utc>>,
    /// A missed call may be brought back at the counter until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_by: Option<DateTime<Utc>>,
    /// The service day the ticket belongs to: the page expires with it.
    pub day: chrono::NaiveDate,
    /// When the queue last changed as this view knows it (on the hub: the last event received
    /// from the centre, so a phone can see how fresh it is).
    pub as_of: DateTime<Utc>,
}

//! Events: what the engine decided, in the order it decided it.
//!
//! They are the store's log (the state of the day is rebuilt by replaying them) and the body of
//! the Server-Sent Events stream, so each is self-contained: a display can show a call from the
//! event alone, without asking for the state.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub type EventId = u64;
/// A ticket's id is the id of the event that issued it: unique for the life of the store.
pub type TicketId = u64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: EventId,
    pub at: DateTime<Utc>,
    /// The service day the event belongs to (the local date, shifted by the rollover time).
    pub day: NaiveDate,
    #[serde(flatten)]
    pub body: EventBody,
}

/// A ticket issued for a booking: its code (once used, it checks in nothing more), and when the
/// ticket ranks in the queue (`[queue] booked_rank`: its window's opening, or the check-in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booked {
    pub code: String,
    pub ranks_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// A new service day: every series restarts, yesterday's waiting tickets are void.
    DayStarted,
    TicketIssued {
        ticket: TicketId,
        number: String,
        service: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<String>,
        seq: u32,
        /// The ticket's public key: what its QR code carries, for the citizen's phone page.
        /// Random (decided by the authority before the engine sees the command), so replay
        /// gives every ticket back its own. None on tickets issued before keys existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        /// Checked in with a number booked on the province hub: none for a walk-in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booked: Option<Booked>,
    },
    TicketCalled {
        ticket: TicketId,
        number: String,
        service: String,
        counter: String,
        counter_number: u32,
        /// The staff member at the counter (their login), when one has signed in there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
    },
    TicketRecalled {
        ticket: TicketId,
        number: String,
        counter: String,
        counter_number: u32,
    },
    TicketNoShow {
        ticket: TicketId,
        number: String,
        counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
    },
    /// A no-show brought back within the grace period: it waits again in its old place.
    TicketRestored {
        ticket: TicketId,
        number: String,
        service: String,
    },
    TicketFinished {
        ticket: TicketId,
        number: String,
        service: String,
        counter: String,
        /// Seconds from the first call to the finish.
        service_s: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
    },
    /// Sent to another service (and optionally one counter), keeping its place by issue time.
    TicketTransferred {
        ticket: TicketId,
        number: String,
        from_service: String,
        service: String,
        from_counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_counter: Option<String>,
    },
    CounterPaused {
        counter: String,
    },
    /// A device (a kiosk's printer, a display) reports a change of its health. Only changes are
    /// written, so a device may report as often as it likes.
    DeviceReported {
        device: String,
        /// Machine code of the problem ("paper_end", "cover_open", "offline", "unreachable",
        /// "paper_near_end"...), none when healthy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        problem: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A kiosk's citizen pressed "call staff" (`device` is the kiosk's token name).
    HelpAsked {
        device: String,
        screen: crate::wire::HelpScreen,
    },
    /// A staff member answered a kiosk's call: they are on the way. Their login and name stay
    /// on the centre's store (`province::outward`).
    HelpAnswered {
        device: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_name: Option<String>,
    },
    /// The kiosk withdrew its call: its citizen left (the kiosk went idle) or pressed cancel.
    HelpWithdrawn {
        device: String,
    },
    /// Staff ask for a ticket to be printed again (its print failed, or the paper was lost).
    /// The kiosk whose name is `device` prints it; none means any kiosk.
    TicketReprintRequested {
        ticket: TicketId,
        number: String,
        /// What the ticket says, so the kiosk prints it again from the event alone.
        service: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<String>,
        issued_at: chrono::DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<String>,
        /// The ticket's public key, so the reprint carries the same QR code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    CounterResumed {
        counter: String,
    },
    /// A staff member took the counter (`staff` is their login), or left it (none).
    CounterStaffed {
        counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_name: Option<String>,
    },
    /// The citizen rated the visit on the counter's rating device.
    TicketRated {
        ticket: TicketId,
        number: String,
        service: String,
        counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
        rating: Rating,
        /// The dossier the visit became, when staff linked it before the rating: the province
        /// counts ratings per dossier. A link made after the rating joins them in the reports.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dossier: Option<String>,
    },
    /// Staff linked the ticket they serve to the dossier they received (its receipt code, typed
    /// or scanned): the visit's rating counts for that dossier. A later link of the same ticket
    /// corrects it.
    DossierLinked {
        ticket: TicketId,
        number: String,
        dossier: String,
        counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
    },
    /// A citizen evaluated a finished dossier on the province's nine criteria (at a kiosk or
    /// the results board, by its receipt code); once per dossier.
    DossierEvaluated {
        dossier: String,
        /// The points of each criterion, in the order of `dossier::evaluation::CRITERIA`.
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<u8>, min_items = 9, max_items = 9))]
        scores: crate::dossier::evaluation::Scores,
        /// The device it was given at.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<String>,
    },
    /// The administrator changed the centre's settings (services, counters, priority classes,
    /// rules, ticket look); `version` is the stored settings' new version. Screens fetch the
    /// state again.
    SettingsChanged {
        version: u64,
    },
    /// The procedure catalogue was replaced by the administrator; screens that show procedures
    /// load it again.
    CatalogueReplaced {
        procedures: u32,
    },
    /// The system clock stepped forward, from the time the authority kept (`from`) to the
    /// clock's (`to`): a Pi with no real-time clock boots with a stale time, then NTP answers.
    /// When the step turns the service day (it follows a `day_started`), the tickets issued
    /// under the stale time and still waiting are `carried` into the new day with their numbers,
    /// since their holders are in the hall now; and the day's series go on from `series`, so
    /// that no number is given twice.
    ClockStepped {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        carried: Vec<CarriedTicket>,
        /// The last sequence number per service the new day's series continue from.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        series: std::collections::BTreeMap<String, u32>,
    },
}

/// A waiting ticket taken into the next service day by a clock step: all it was issued with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarriedTicket {
    pub ticket: TicketId,
    pub number: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    pub issued_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// A booked number keeps its booking and its rank (moved by the step like its issue time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Booked>,
}

/// A citizen's satisfaction with a visit: the three levels of the one-stop rating devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VerySatisfied,
    Satisfied,
    Unsatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::VerySatisfied, Rating::Satisfied, Rating::Unsatisfied];

    pub fn code(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "very_satisfied",
            Rating::Satisfied => "satisfied",
            Rating::Unsatisfied => "unsatisfied",
        }
    }

    /// The words on the rating device.
    pub fn label_vi(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "Rất hài lòng",
            Rating::Satisfied => "Hài lòng",
            Rating::Unsatisfied => "Không hài lòng",
        }
    }
}

impl EventBody {
    /// The ticket the event is about, if any.
    pub fn ticket(&self) -> Option<TicketId> {
        match self {
            EventBody::TicketIssued { ticket, .. }
            | EventBody::TicketCalled { ticket, .. }
            | EventBody::TicketRecalled { ticket, .. }
            | EventBody::TicketNoShow { ticket, .. }
            | EventBody::TicketRestored { ticket, .. }
            | EventBody::TicketFinished { ticket, .. }
            | EventBody::TicketTransferred { ticket, .. }
            | EventBody::TicketReprintRequested { ticket, .. }
            | EventBody::TicketRated { ticket, .. }
            | EventBody::DossierLinked { ticket, .. } => Some(*ticket),
            EventBody::DayStarted
            | EventBody::DossierEvaluated { .. }
            | EventBody::CounterPaused { .. }
            | EventBody::CounterResumed { .. }
            | EventBody::CounterStaffed { .. }
            | EventBody::SettingsChanged { .. }
            | EventBody::CatalogueReplaced { .. }
            | EventBody::ClockStepped { .. }
            | EventBody::DeviceReported { .. }
            | EventBody::HelpAsked { .. }
            | EventBody::HelpAnswered { .. }
            | EventBody::HelpWithdrawn { .. } => None,
        }
    }

    /// The `type` tag, stored in its own column so the log can be filtered without parsing.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::DayStarted => "day_started",
            EventBody::TicketIssued { .. } => "ticket_issued",
            EventBody::TicketCalled { .. } => "ticket_called",
            EventBody::TicketRecalled { .. } => "ticket_recalled",
            EventBody::TicketNoShow { .. } => "ticket_no_show",
            EventBody::TicketRestored { .. } => "ticket_restored",
            EventBody::TicketFinished { .. } => "ticket_finished",
            EventBody::TicketTransferred { .. } => "ticket_transferred",
            EventBody::CounterPaused { .. } => "counter_paused",
            EventBody::CounterResumed { .. } => "counter_resumed",
            EventBody::DeviceReported { .. } => "device_reported",
            EventBody::HelpAsked { .. } => "help_asked",
            EventBody::HelpAnswered { .. } => "help_answered",
            EventBody::HelpWithdrawn { .. } => "help_withdrawn",
            EventBody::TicketReprintRequested { .. } => "ticket_reprint_requested",
            EventBody::CounterStaffed { .. } => "counter_staffed",
            EventBody::TicketRated { .. } => "ticket_rated",
            EventBody::DossierLinked { .. } => "dossier_linked",
            EventBody::DossierEvaluated { .. } => "dossier_evaluated",
            EventBody::SettingsChanged { .. } => "settings_changed",
            EventBody::CatalogueReplaced { .. } => "catalogue_replaced",
            EventBody::ClockStepped { .. } => "clock_stepped",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_flat_with_a_type_tag() {
        let e = Event {
            id: 7,
            at: "2026-11-23T01:02:03Z".parse().unwrap(),
            day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            body: EventBody::TicketCalled {
                ticket: 3,
                number: "A003".into(),
                service: "civil".into(),
                counter: "2".into(),
                counter_number: 2,
                staff: None,
            },
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "ticket_called");
        assert_eq!(json["number"], "A003");
        assert_eq!(json["id"], 7);
        assert_eq!(json["type"], e.body.kind());
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}

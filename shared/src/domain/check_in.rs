//! A number booked on the province hub, checked in at the kiosk: the booking's code (scanned
//! or typed) opens a ticket of its service for today, once, from `[queue] booking_early_min`
//! before its window opens until `booking_late_min` after it closes. The ticket ranks by its
//! window's opening (`booked_rank = "window"`: a window's bookings enter the queue together
//! when it opens) or by its check-in, as a walk-in (`"check_in"`).
//!
//! The centre holds its bookings as the uplink pulled them; the authority reads the one asked
//! for from its store and passes it in the command, so the engine stays free of I/O.
use super::engine::Engine;
use super::{service_day, DomainError};
use crate::config::{BookedRank, LocalTime};
use crate::event::{Booked, EventBody};
use crate::province::booking::{display_code, Booking};
use chrono::{DateTime, Duration, NaiveDate, Utc};

impl Engine {
    pub(crate) fn decide_check_in(
        &self,
        code: &str,
        booking: Option<&Booking>,
        key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let b = booking.ok_or_else(|| DomainError::BookingNotFound(display_code(code)))?;
        let shown = display_code(&b.code);
        if let Some(number) = self.checked_in.get(&b.code) {
            return Err(DomainError::BookingUsed { code: shown, number: number.clone() });
        }
        if b.day != service_day(&self.config, now) {
            return Err(DomainError::BookingOtherDay { code: shown, day: b.day });
        }
        let q = &self.config.queue;
        let opens = self.instant(b.day, b.window.start);
        let from = opens - Duration::minutes(i64::from(q.booking_early_min));
        if now < from {
            let local = from.with_timezone(&self.config.centre.utc_offset.0);
            return Err(DomainError::BookingTooEarly { code: shown, from: local.format("%H:%M").to_string() });
        }
        if now > self.instant(b.day, b.window.end) + Duration::minutes(i64::from(q.booking_late_min)) {
            return Err(DomainError::BookingTooLate { code: shown, window: b.window.to_string() });
        }
        let s = self.config.service(&b.service).ok_or_else(|| DomainError::UnknownService(b.service.clone()))?;
        let (number, seq) = self.next_number(s)?;
        let ranks_at = match q.booked_rank {
            BookedRank::Window => opens,
            BookedRank::CheckIn => now,
        };
        Ok(vec![EventBody::TicketIssued {
            ticket: self.next_id,
            number,
            service: s.id.clone(),
            priority: None,
            seq,
            key,
            booked: Some(Booked { code: b.code.clone(), ranks_at }),
        }])
    }

    /// A local time of `day` at the centre, as an instant.
    fn instant(&self, day: NaiveDate, t: LocalTime) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        let local = midnight + Duration::minutes(i64::from(t.minutes));
        local.and_local_timezone(self.config.centre.utc_offset.0).single().expect("a fixed offset is never ambiguous").to_utc()
    }
}

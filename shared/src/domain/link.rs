//! Linking a visit to the dossier it became: the officer types or scans the receipt code of the
//! dossier they received from the citizen they serve. The province counts satisfaction per
//! dossier, not per ticket (DOMAIN.md, "Ratings that count"), so the visit's rating is then the
//! dossier's: carried on the rating when the link came first, joined by ticket in the reports
//! when it came after.
//!
//! The rules: a real receipt code; a visit that has been called (being served, or finished
//! within the rating window, since the officer often types the code once the citizen has gone);
//! only at the counter that called it, for a caller limited to some counters; one dossier, one
//! visit: a code already linked to another visit today is refused. Linking the same ticket again
//! with another code corrects the first (the last link counts); the same code again is nothing new.
use super::engine::{Engine, TicketRef};
use super::DomainError;
use crate::event::EventBody;
use chrono::{DateTime, Utc};

impl Engine {
    pub(crate) fn decide_link(
        &self,
        r: &TicketRef,
        dossier: &str,
        only_at: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let code = DomainError::receipt_code(dossier)?;
        let t = self.find(r)?;
        if t.first_called_at.is_none() {
            return Err(DomainError::NotServed(t.number.clone()));
        }
        if let Some(at) = t.finished_at {
            let window_min = self.config.queue.rating_window_min;
            if now - at > chrono::Duration::minutes(window_min as i64) {
                return Err(DomainError::LinkClosed { number: t.number.clone(), window_min });
            }
        }
        // The counter serving it now, or the one that finished it.
        let (counter, staff) = match (&t.counter, &t.served_by) {
            (Some(c), _) => (c.clone(), self.staff_at(c)),
            (None, Some((c, staff))) => (c.clone(), staff.clone()),
            (None, None) => return Err(DomainError::NotServed(t.number.clone())),
        };
        if !only_at.is_empty() && !only_at.contains(&counter) {
            return Err(DomainError::NotServedHere { number: t.number.clone(), counter: only_at.join(",") });
        }
        if t.dossier.as_deref() == Some(code.as_str()) {
            return Ok(vec![]);
        }
        if let Some(other) = self.tickets.values().find(|o| o.id != t.id && o.dossier.as_deref() == Some(code.as_str())) {
            return Err(DomainError::DossierTaken { dossier: code.as_str().to_owned(), number: other.number.clone() });
        }
        Ok(vec![EventBody::DossierLinked { ticket: t.id, number: t.number.clone(), dossier: code.as_str().to_owned(), counter, staff }])
    }
}

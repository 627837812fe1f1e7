//! A citizen's evaluation of a finished dossier on the province's nine criteria
//! (`dossier::evaluation`), given at a kiosk or the results board by its receipt code.
//!
//! The rules: a real receipt code; nine scores of 2, 1 or 0 (the type guarantees them); once
//! per dossier, whichever device, whichever day. The queue engine keeps only the days it
//! replayed, so the authority asks its store first and passes the answer in the command; the
//! engine adds what it applied since, which the store may not hold yet (one batch, one commit).
//!
//! That the dossier is finished is the one-stop system's fact, not the queue's: the kiosk and
//! the board offer the form only for a dossier their lookup reports finished.
use super::engine::Engine;
use super::{service_day, DomainError};
use crate::dossier::evaluation::Scores;
use crate::event::EventBody;
use chrono::{DateTime, Utc};

impl Engine {
    pub(crate) fn decide_evaluation(
        &self,
        dossier: &str,
        scores: Scores,
        device: &Option<String>,
        stored_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let code = DomainError::receipt_code(dossier)?;
        if let Some(at) = stored_at.or_else(|| self.evaluated.get(code.as_str()).copied()) {
            let on = service_day(&self.config, at).format("%d/%m/%Y").to_string();
            return Err(DomainError::AlreadyEvaluated { dossier: code.as_str().to_owned(), on });
        }
        Ok(vec![EventBody::DossierEvaluated { dossier: code.as_str().to_owned(), scores, device: device.clone() }])
    }
}

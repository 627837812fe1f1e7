//! Recent answers, so that a citizen who looks twice (or a queue of them holding the same
//! slip) does not wait twice, and the province's system is asked less. Listings pass through:
//! a results board asks for them on its own schedule and must see changes.
use super::{Dossier, DossierPage, DossierSource, DossierStatus, ReceiptCode, SourceError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct CachedSource<S> {
    inner: S,
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<ReceiptCode, (Instant, Option<Dossier>)>>,
}

impl<S: DossierSource> CachedSource<S> {
    /// Answers (found or not found) are kept `ttl`; failures are never kept.
    pub fn new(inner: S, ttl: Duration, max_entries: usize) -> CachedSource<S> {
        CachedSource { inner, ttl, max_entries, entries: Mutex::new(HashMap::new()) }
    }
}

impl<S: DossierSource> DossierSource for CachedSource<S> {
    fn lookup(&self, code: &ReceiptCode) -> Result<Option<Dossier>, SourceError> {
        let now = Instant::now();
        {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, answer)) = entries.get(code) {
                if now.duration_since(*at) < self.ttl {
                    return Ok(answer.clone());
                }
            }
        }
        // Asked without the lock held: a slow system must not block other lookups' hits.
        let answer = self.inner.lookup(code)?;
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.max_entries {
            entries.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(code.clone(), (now, answer.clone()));
        Ok(answer)
    }

    fn list(&self, status: DossierStatus, page: u32, per_page: u32) -> Result<DossierPage, SourceError> {
        self.inner.list(status, page, per_page)
    }
}

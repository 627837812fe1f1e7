//! Idempotency keys and the typed counter actions.
use std::sync::atomic::{AtomicU64, Ordering};

/// The `Idempotency-Key` of one command: the same key on every retry of it, so the authority
/// applies it once and answers the retries with the first answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

static KEYS: AtomicU64 = AtomicU64::new(0);

impl IdempotencyKey {
    /// A key unique to this process and command: time, process id and a counter.
    #[allow(clippy::new_without_default)] // a fresh key each time, not a default value
    pub fn new() -> IdempotencyKey {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        IdempotencyKey(format!("{:x}-{:x}-{:x}", nanos, std::process::id(), KEYS.fetch_add(1, Ordering::Relaxed)))
    }

    /// A caller's own key; `None` unless it is 1 to 64 visible ASCII characters, as the API requires.
    pub fn from_string(key: String) -> Option<IdempotencyKey> {
        let ok = (1..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
        ok.then_some(IdempotencyKey(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a counter's staff (a keypad button, the command line) can do to its current ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterAction {
    /// Finish the visit in progress and call the next citizen.
    CallNext,
    /// Call the current ticket again.
    Recall,
    /// Mark the current ticket absent.
    NoShow,
    /// Finish the visit in progress.
    Finish,
}

impl CounterAction {
    /// The last segment of the command's path, `/api/v1/counters/{counter}/{segment}`.
    pub fn segment(self) -> &'static str {
        match self {
            CounterAction::CallNext => "call-next",
            CounterAction::Recall => "recall",
            CounterAction::NoShow => "no-show",
            CounterAction::Finish => "finish",
        }
    }

    pub(crate) fn path(self, counter: &str) -> String {
        format!("/api/v1/counters/{counter}/{}", self.segment())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_only_valid_caller_keys_are_taken() {
        assert_ne!(IdempotencyKey::new(), IdempotencyKey::new());
        assert!(IdempotencyKey::new().as_str().len() <= 64);
        assert!(IdempotencyKey::from_string("kp-3-1-ab-1".into()).is_some());
        assert!(IdempotencyKey::from_string(String::new()).is_none());
        assert!(IdempotencyKey::from_string("a b".into()).is_none());
        assert!(IdempotencyKey::from_string("x".repeat(65)).is_none());
        assert_eq!(CounterAction::NoShow.path("3"), "/api/v1/counters/3/no-show");
    }
}

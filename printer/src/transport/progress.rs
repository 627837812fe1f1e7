//! The write loop every transport shares: one deadline for the whole write, progress carried in
//! [`Stage::Writing`], and the same timeout error wherever the time runs out. Each transport
//! supplies only its step (one `write`, one chunk between XON/XOFF checks...).

use std::time::{Duration, Instant};

use crate::status::{PrintError, Stage};

/// Where a write stands, handed to each step.
pub(crate) struct WriteProgress<'a> {
    target: &'a str,
    deadline: Instant,
    timeout: Duration,
    written: usize,
    total: usize,
}

impl WriteProgress<'_> {
    /// How far the write got, for errors.
    pub fn stage(&self) -> Stage {
        Stage::Writing { written: self.written, total: self.total }
    }

    /// The instant the whole write must be done by.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Time left before the deadline (zero once it has passed).
    pub fn left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The error of a write that ran out of time at this point.
    pub fn timed_out(&self) -> PrintError {
        PrintError::Timeout { target: self.target.to_string(), stage: self.stage(), after: self.timeout }
    }

    /// The error of a printer that went away at this point.
    pub fn disconnected(&self) -> PrintError {
        PrintError::Disconnected { target: self.target.to_string(), stage: self.stage() }
    }
}

/// Writes all of `bytes` within `timeout` by calling `step` with the bytes not yet written until
/// none are left; `step` returns how many it wrote (it may block until the deadline, never past
/// it). Fails with a timeout naming the progress once the deadline has passed.
pub(crate) fn write_all_within(
    target: &str,
    bytes: &[u8],
    timeout: Duration,
    mut step: impl FnMut(&[u8], &WriteProgress<'_>) -> Result<usize, PrintError>,
) -> Result<(), PrintError> {
    let mut p = WriteProgress { target, deadline: Instant::now() + timeout, timeout, written: 0, total: bytes.len() };
    while p.written < p.total {
        if Instant::now() >= p.deadline {
            return Err(p.timed_out());
        }
        p.written += step(&bytes[p.written..], &p)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the loop calls the step until everything is written, reporting progress to it.
    #[test]
    fn writes_in_steps_with_progress() {
        let mut seen = Vec::new();
        write_all_within("t", &[0; 10], Duration::from_secs(5), |rest, p| {
            seen.push((rest.len(), p.stage()));
            Ok(rest.len().min(4))
        })
        .unwrap();
        let stages: Vec<usize> = seen.iter().map(|(r, _)| *r).collect();
        assert_eq!(stages, [10, 6, 2]);
        assert_eq!(seen[1].1, Stage::Writing { written: 4, total: 10 });
    }

    // Proves a step that makes no progress ends in a timeout naming how far the write got.
    #[test]
    fn no_progress_times_out_with_progress() {
        let e = write_all_within("printer x", &[0; 10], Duration::from_millis(20), |_, p| {
            Ok(if p.stage() == (Stage::Writing { written: 0, total: 10 }) { 3 } else { 0 })
        })
        .unwrap_err();
        match e {
            PrintError::Timeout { stage: Stage::Writing { written: 3, total: 10 }, after, .. } => {
                assert_eq!(after, Duration::from_millis(20))
            }
            other => panic!("{other}"),
        }
    }
}

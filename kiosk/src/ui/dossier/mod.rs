//! Dossier status: the receipt code (mã hồ sơ) a citizen types or scans, checked for its
//! format, looked up in the province's one-stop system through a `DossierSource`, and shown
//! with the applicant's name masked.
//!
//! The dossier model, the source trait, the HTTP(S) source, the cache and the stand-in
//! one-stop system live in `shared::dossier` (the display's results board asks through the
//! same source); they are re-exported here so the kiosk's code names them as before.
//! - `screen.rs`: the screen's controller (`DossierAdapter`).
//! - `evaluation.rs`: the nine-criteria evaluation of a finished dossier (`EvaluationAdapter`).
pub mod evaluation;
pub mod screen;

pub use shared::dossier::*;

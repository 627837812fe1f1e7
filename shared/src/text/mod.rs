//! Vietnamese text rules: pure functions, no I/O.
//!
//! Layout:
//! - [`fold`]: accent-insensitive folding and word tokens for search ([`fold()`],
//!   [`nfc`], [`tokens`]); the catalogue search and the kiosk's search box use it
//!   on both the records and the query.
//! - [`words`]: numbers read aloud ([`number_words`], [`number_clips`]) in the
//!   Northern or Southern reading ([`Dialect`], defined in `dialect`), and letter
//!   names ([`letter_name`], defined in `letters`) for ticket prefixes.
//! - [`label`]: what a name shown on boards, tickets and terminals may hold ([`check_name`],
//!   [`clean_name`] for names stored before the rule, [`escape_for_terminal`]).
//! - [`announce`]: the voice call for a ticket at a counter: its sentence for
//!   screens and `display announce-text`, and the clip sequence the announcer plays.
//!
//! Each module's doc states the rules it implements (how numbers are read aloud,
//! how accents fold) and where it had to choose.

pub mod announce;
mod dialect;
pub mod fold;
pub mod label;
mod letters;
pub mod words;

pub use announce::{call_clips, call_sentence, ticket_words, AnnounceError};
pub use fold::{fold, nfc, tokens};
pub use label::{check_name, clean_name, escape_for_terminal, NAME_MAX_CHARS};
pub use words::{letter_name, number_clips, number_words, Dialect, UnknownDialect};

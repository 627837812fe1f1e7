//! The display controller in one test binary: its command line, the boards drawn headless
//! (each in its own process), the goldens, the dossier source and the voice through ALSA.
// `rusty_fork_test!` calls itself by name, so it needs the crate's macros in scope.
#[macro_use]
extern crate rusty_fork;

mod cli;
mod dossier_source;
mod golden;
mod hall_board;
mod results_board;
mod results_evaluation;
mod support;
mod voice_alsa;

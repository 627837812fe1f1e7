//! The kiosk in one test binary: the touch UI driven by taps on its real screens (headless),
//! the real window under Xvfb, the printer link and the `print-sample` and `catalogue import` commands.
// `rusty_fork_test!` calls itself by name, so it needs the crate's macros in scope.
#[macro_use]
extern crate rusty_fork;

mod catalogue_import;
mod print_sample;
mod printer_link;
mod support;
mod ticket_qr;
mod touch;
mod ui_admin;
mod ui_booking;
mod ui_cases;
mod ui_contrast;
mod ui_dossier;
mod ui_evaluation;
mod ui_guide;
mod ui_help;
mod ui_idle;
mod ui_live;
mod ui_lookup;
mod ui_procedures;
mod ui_scan;
mod ui_take_number;
mod ui_window;

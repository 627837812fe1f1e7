//! Cross-process tests: the real binaries (`kiosk`, `display`) over real sockets, killed and
//! restarted; the console's pages in headless Chromium (`browser.rs`); the windows under Xvfb.
mod browser;
mod cli;
mod console_admin;
mod console_clock;
mod console_counter;
mod console_dossiers;
mod console_help;
mod console_report;
mod console_screens;
mod console_security;
mod console_synonyms;
mod console_tls;
mod crash;
mod display_e2e;
mod display_window;
mod join;
mod keypad_e2e;
mod lan;
mod package;
mod phone;
mod province;
mod province_booking;
mod province_phone;
mod watchdog;

//! The queue authority over real sockets, in one test binary: each module a part of the API.
//! The server runs in this process (`testkit::TestServer`) on port 0 with a manual clock.
mod api;
mod backup;
mod centre_name;
mod check_in;
mod client;
mod clock;
mod concurrency;
mod console_admin;
mod console_auth;
mod console_reports;
mod dossier_evaluation;
mod dossier_link;
mod events;
mod health;
mod help;
mod hostile_counters;
mod limits;
mod procedures;
mod public_ticket;
mod sign_in_flood;
mod synonyms;
mod tls;
mod uplink;

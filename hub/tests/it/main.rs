//! The hub's integration tests: each on its own PostgreSQL (testkit), a hub on 127.0.0.1
//! port 0 (in this process, or the `hub` binary), events made by the real queue engine.
mod booking;
mod catalogue;
mod centre;
mod clocks;
mod dossiers;
mod faults;
mod ingest;
mod migrations;
mod near;
mod phone;
mod province;
mod report;
mod serve;
mod session;
mod support;
mod tickets;
mod tls;

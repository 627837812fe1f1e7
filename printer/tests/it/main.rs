//! The printer crate in one test binary: tickets round-tripped through the virtual printer,
//! the decoder fuzzed, and the transports over a pseudo-terminal and TCP.
mod decoder_fuzz;
mod roundtrip;
mod serial_pty;
mod support;
mod tcp;

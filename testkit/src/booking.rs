//! Numbers booked ahead, as a centre holds them after its uplink pulled them.
use shared::config::HourRange;
use shared::province::booking::Booking;

/// A booking of service "civil" for the tests' Monday (2026-11-23) in `window` ("09:00-10:00").
pub fn monday(code: &str, window: &str) -> Booking {
    Booking {
        seq: 1,
        code: code.into(),
        service: "civil".into(),
        day: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
        window: HourRange::parse(window).expect("a window"),
    }
}

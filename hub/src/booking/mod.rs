//! Booking a number ahead on the hub (`[booking]`): a citizen picks a centre, a service, a day
//! (today and the next `days - 1`, on the service's weekdays) and a window; confirms their phone
//! with a one-time code sent through the province's gateway; and gets a booking code and its QR
//! code, which the centre's kiosk checks in. At most `per_person` numbers a phone a day, and
//! `capacity` bookings a window, exact under any number of hub processes.
//!
//! - `config.rs`: `[booking]`.
//! - `store.rs`: codes and bookings in PostgreSQL (migration 6), the locks that make the limits
//!   exact, and what a centre pulls (`GET /api/v1/centres/{centre}/bookings?after=`).
//! - `qr.rs`: a booking's QR code as SVG, for the phone to show at the kiosk.
//! - `mod.rs`: which days and windows are open, and the messages' words.
pub mod config;
pub mod qr;
pub mod store;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use config::Bookable;
use shared::config::{HourRange, LocalTime, Weekday};

/// The days that may be booked from `today` on: `days` of them, only the service's weekdays.
pub fn days_open(b: &Bookable, today: NaiveDate, days: u32) -> Vec<NaiveDate> {
    (0..days as i64).map(|d| today + Duration::days(d)).filter(|d| b.weekdays.contains(&Weekday::of(d.weekday()))).collect()
}

/// Whether `window` on `day` can still be booked at `now`: one of the service's windows, on an
/// open day, and not over yet.
pub fn bookable(
    b: &Bookable,
    day: NaiveDate,
    window: HourRange,
    today: NaiveDate,
    days: u32,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> bool {
    let local = now.with_timezone(&offset);
    let over = day == today && LocalTime::of(local.time()) >= window.end;
    b.windows.contains(&window) && days_open(b, today, days).contains(&day) && !over
}

/// The one-time code's message.
pub fn code_text(code: &str, lang: &str) -> String {
    if lang == "en" {
        format!("Your code to book a number: {code}. It is good for 10 minutes. Do not give it to anyone.")
    } else {
        format!("Mã xác nhận đặt lượt của bạn: {code}. Mã có hiệu lực trong 10 phút. Không đưa mã cho người khác.")
    }
}

/// The confirmation's message.
pub fn booked_text(centre_name: &str, service: &str, day: NaiveDate, window: HourRange, code: &str, lang: &str) -> String {
    let code = shared::province::booking::display_code(code);
    let date = day.format("%d/%m/%Y");
    let (from, to) = (window.start, window.end);
    if lang == "en" {
        format!("{centre_name}: {service} booked for {date}, {from}–{to}. Code {code}: scan or type it at the kiosk when you arrive.")
    } else {
        format!("{centre_name}: đã đặt lượt {service} ngày {date}, {from}–{to}. Mã {code}: quét hoặc nhập mã tại ki-ốt khi đến.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil() -> Bookable {
        Bookable {
            centre: "dai-tu".into(),
            service: "civil".into(),
            name: "Hộ tịch".into(),
            name_en: None,
            windows: vec![HourRange::parse("08:00-09:00").unwrap(), HourRange::parse("14:00-15:00").unwrap()],
            capacity: 2,
            weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        }
    }

    /// Proves the days offered are today and the next six on the service's weekdays (a
    /// Saturday in the range is skipped), and that a window already over today is not.
    #[test]
    fn days_and_windows_open() {
        let friday = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let days = days_open(&civil(), friday, 7);
        assert_eq!(days.len(), 5, "{days:?}");
        assert_eq!(days[1], NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(), "Monday after Friday");
        let offset = FixedOffset::east_opt(7 * 3600).unwrap();
        let ten = friday.and_hms_opt(10, 0, 0).unwrap().and_local_timezone(offset).unwrap().to_utc();
        let (morning, afternoon) = (civil().windows[0], civil().windows[1]);
        assert!(!bookable(&civil(), friday, morning, friday, 7, ten, offset), "over");
        assert!(bookable(&civil(), friday, afternoon, friday, 7, ten, offset));
        assert!(bookable(&civil(), days[1], morning, friday, 7, ten, offset));
        assert!(!bookable(&civil(), friday + Duration::days(1), afternoon, friday, 7, ten, offset), "Saturday");
        assert!(!bookable(&civil(), days[1], HourRange::parse("09:00-10:00").unwrap(), friday, 7, ten, offset), "not a window");
        assert!(!bookable(&civil(), friday + Duration::days(7), morning, friday, 7, ten, offset), "too far");
    }
}

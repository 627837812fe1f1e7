use super::*;
use chrono::TimeZone;

fn view(status: PublicStatus, ahead: Option<u32>) -> PublicTicket {
    PublicTicket {
        number: "A012".into(),
        service: "civil".into(),
        service_name: "Hộ tịch".into(),
        service_name_en: Some("Civil status".into()),
        status,
        waiting_ahead: ahead,
        estimated_wait_s: ahead.map(|a| a * 300),
        counter: (status == PublicStatus::Called).then(|| "Quầy 2".into()),
        counter_number: (status == PublicStatus::Called).then_some(2),
        called_at: None,
        back_by: None,
        day: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        as_of: Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap(),
    }
}

/// Proves the numbers citizens type are taken in each usual form, kept as E.164, and that
/// landlines, short, long and foreign numbers are refused; a log sees the masked number only.
#[test]
fn phone_numbers_as_typed() {
    for typed in ["0912345678", "0912 345 678", "+84 912.345.678", "84912345678", "(091) 234-5678"] {
        assert_eq!(Phone::parse(typed).map(|p| p.as_e164().to_owned()), Ok("+84912345678".to_owned()), "{typed}");
    }
    for typed in ["", "091234567", "09123456789", "0212345678", "+1 912 345 678", "09123456a8", "0912345678 ".repeat(4).as_str()] {
        assert!(Phone::parse(typed).is_err(), "{typed:?}");
    }
    let p = Phone::parse("0987654321").unwrap();
    assert_eq!(p.to_string(), "0••• ••• 321");
    assert!(!format!("{p} {p:?}").contains("98765"), "a log never holds the number");
}

/// Proves when a ticket is near: at `ahead` or fewer, or called first; not before, not once it
/// is served or missed.
#[test]
fn near_is_at_or_under_the_threshold_or_called() {
    assert_eq!(due(&view(PublicStatus::Waiting, Some(4)), 3), None);
    assert_eq!(due(&view(PublicStatus::Waiting, Some(3)), 3), Some("near"));
    assert_eq!(due(&view(PublicStatus::Waiting, Some(0)), 3), Some("near"));
    assert_eq!(due(&view(PublicStatus::Called, None), 3), Some("called"));
    assert_eq!(due(&view(PublicStatus::Served, None), 3), None);
    assert_eq!(due(&view(PublicStatus::NoShow, None), 3), None);
}

/// Proves the message says the centre, the number, the service and the people ahead (or the
/// counter) in the page's language.
#[test]
fn the_message_in_both_languages() {
    let near = view(PublicStatus::Waiting, Some(2));
    assert_eq!(text("Một cửa Đại Từ", &near, "near", "vi"), "Một cửa Đại Từ: còn 2 người trước số A012 (Hộ tịch). Mời bạn về khu chờ.");
    assert_eq!(
        text("Một cửa Đại Từ", &near, "near", "en"),
        "Một cửa Đại Từ: 2 people ahead of number A012 (Civil status). Please come back to the waiting area."
    );
    let called = view(PublicStatus::Called, None);
    assert_eq!(text("Một cửa Đại Từ", &called, "called", "vi"), "Một cửa Đại Từ: mời số A012 đến Quầy 2.");
    assert_eq!(text("Một cửa Đại Từ", &called, "called", "en"), "Một cửa Đại Từ: number A012, please go to counter 2.");
    // The day's end in Vietnam: 17:00 UTC.
    let offset = FixedOffset::east_opt(7 * 3600).unwrap();
    assert_eq!(expiry(near.day, offset), Utc.with_ymd_and_hms(2026, 11, 25, 17, 0, 0).unwrap());
}

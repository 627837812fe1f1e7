use super::*;
use chrono::{NaiveDate, TimeZone, Utc};
use shared::wire::PublicStatus;

fn ticket(service_name: &str) -> PublicTicket {
    PublicTicket {
        number: "A012".into(),
        service: "ho-tich".into(),
        service_name: service_name.into(),
        service_name_en: Some("Civil status".into()),
        status: PublicStatus::Waiting,
        waiting_ahead: Some(4),
        estimated_wait_s: Some(600),
        counter: None,
        counter_number: None,
        called_at: None,
        back_by: None,
        day: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        as_of: Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap(),
    }
}

fn page(t: Option<&PublicTicket>, centre: &str, lang: Lang) -> String {
    render(&Page { centre, api: "/api/v1/public/tickets/Zq3xT0b9LmWk2RcA".into(), lang, offset_min: 420, ticket: t, near: None })
}

/// Proves the page stays far under the 50 KB a slow 3G link should load, even with long names.
#[test]
fn the_page_is_small() {
    let t = ticket(&"Đăng ký khai sinh ".repeat(6));
    let html = page(Some(&t), &"Trung tâm Phục vụ hành chính công ".repeat(4), Lang::Vi);
    assert!(html.len() < 12 * 1024, "{} bytes", html.len());
}

/// Proves names set by an administrator cannot become markup or end the page's script early.
#[test]
fn names_are_text_not_markup() {
    let t = ticket("</script><script>alert(1)</script>");
    let html = page(Some(&t), "<b>Centre</b>", Lang::Vi);
    assert!(!html.contains("<b>Centre"), "centre name not escaped");
    assert_eq!(html.matches("</script>").count(), 2, "only the page's own two scripts close");
    assert!(!html.contains("<script>alert"));
}

/// Proves the language: the query wins, then the browser's first choice, else Vietnamese.
#[test]
fn language_is_chosen_as_the_citizen_would_expect() {
    let mut h = HeaderMap::new();
    assert_eq!(Lang::choose(None, &h), Lang::Vi);
    h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,en;q=0.9,vi;q=0.8"));
    assert_eq!(Lang::choose(None, &h), Lang::En);
    assert_eq!(Lang::choose(Some("vi"), &h), Lang::Vi);
    h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("vi-VN,vi;q=0.9,en;q=0.8"));
    assert_eq!(Lang::choose(None, &h), Lang::Vi);
    assert_eq!(Lang::choose(Some("en"), &h), Lang::En);
    assert_eq!(Lang::choose(Some("fr"), &h), Lang::Vi);
    let en = page(Some(&ticket("Hộ tịch")), "X", Lang::En);
    assert!(en.contains("lang=\"en\"") && en.contains("Civil status") && en.contains("Your number"));
}

/// Proves an unknown key's page says only that nothing was found, and links to no stream.
#[test]
fn an_unknown_key_says_nothing_more() {
    let html = render(&Page { centre: "X", api: String::new(), lang: Lang::Vi, offset_min: 420, ticket: None, near: None });
    assert!(html.contains("Không tìm thấy lượt này"));
    assert!(html.contains("\"ticket\":null") && html.contains("\"api\":\"\""));
}

//! The ticket's phone page, `/t/{key}`: what a citizen sees after scanning the ticket's QR code.
//!
//! One small HTML page (well under the 50 KB a slow 3G link loads in a few seconds) with its
//! style and script inline, the ticket's view embedded so the first paint needs no second
//! request, then kept live by the ticket's event stream (`/api/v1/public/tickets/{key}/events`),
//! falling back to reading the ticket every 15 s where a stream cannot be held. Vietnamese or
//! English (`?lang=`, else the browser's first language). Nothing personal is on it, and a key
//! that finds nothing gets the same page whatever the reason.
//!
//! The hub serves the same page for its copy of a centre's tickets (`render` with its own
//! `api` path), so both look and behave alike.
use crate::api::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use shared::wire::{is_public_key, PublicTicket};

const TEMPLATE: &str = include_str!("page.html");

/// The two languages of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// `?lang=` when it names one, else the browser's first preference, else Vietnamese.
    pub fn choose(query: Option<&str>, headers: &HeaderMap) -> Lang {
        match query {
            Some("en") => return Lang::En,
            Some("vi") => return Lang::Vi,
            _ => {}
        }
        let first = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next());
        match first.map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l.starts_with("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Every sentence the page says, in one language; `{n}`, `{m}`, `{time}` are filled in by the
/// page's script.
#[derive(Serialize)]
struct Strings {
    title: &'static str,
    your_number: &'static str,
    ahead: &'static str,
    next: &'static str,
    wait: &'static str,
    soon: &'static str,
    go: &'static str,
    counter: &'static str,
    missed: &'static str,
    back: &'static str,
    served: &'static str,
    gone: &'static str,
    unknown: &'static str,
    live: &'static str,
    offline: &'static str,
    updated: &'static str,
    noscript: &'static str,
    other: &'static str,
    near_offer: &'static str,
    near_phone: &'static str,
    near_send: &'static str,
    near_set: &'static str,
    near_cancel: &'static str,
    near_privacy: &'static str,
    near_bad: &'static str,
    near_failed: &'static str,
}

const VI: Strings = Strings {
    title: "Lượt của bạn",
    your_number: "Số thứ tự của bạn",
    ahead: "Còn {n} người trước bạn",
    next: "Bạn là người tiếp theo",
    wait: "Dự kiến chờ khoảng {m} phút",
    soon: "Sắp đến lượt bạn",
    go: "Mời bạn đến",
    counter: "Quầy {n}",
    missed: "Bạn đã lỡ lượt gọi",
    back: "Hãy đến quầy trước {time} để được gọi lại",
    served: "Đã phục vụ xong. Cảm ơn bạn!",
    gone: "Lượt này đã hết hạn (hết ngày làm việc)",
    unknown: "Không tìm thấy lượt này. Mã có thể đã hết hạn hoặc không đúng; xin hỏi cán bộ tại quầy.",
    live: "Đang cập nhật trực tiếp",
    offline: "Mất kết nối, đang thử lại",
    updated: "cập nhật lúc {time}",
    noscript: "Trang tự tải lại mỗi 30 giây.",
    other: "English",
    near_offer: "Nhắn tin cho tôi khi còn {n} người trước tôi",
    near_phone: "Số điện thoại di động",
    near_send: "Nhắn cho tôi",
    near_set: "Sẽ nhắn tới số {phone} khi còn {n} người trước bạn.",
    near_cancel: "Huỷ",
    near_privacy: "Số điện thoại chỉ dùng để nhắn cho lượt này và được xoá khi lượt kết thúc.",
    near_bad: "Số điện thoại chưa đúng: 10 chữ số, bắt đầu bằng 0.",
    near_failed: "Chưa đăng ký được, xin thử lại.",
};

const EN: Strings = Strings {
    title: "Your ticket",
    your_number: "Your number",
    ahead: "{n} people ahead of you",
    next: "You are next",
    wait: "Estimated wait: about {m} min",
    soon: "Your turn is coming",
    go: "Please go to",
    counter: "Counter {n}",
    missed: "You missed your call",
    back: "Go to the counter before {time} to be called again",
    served: "Served. Thank you!",
    gone: "This ticket has expired (the service day is over)",
    unknown: "Ticket not found. The code may have expired or be wrong; please ask at a counter.",
    live: "Live",
    offline: "Connection lost, retrying",
    updated: "updated at {time}",
    noscript: "This page reloads every 30 seconds.",
    other: "Tiếng Việt",
    near_offer: "Text me when {n} people are ahead of me",
    near_phone: "Mobile number",
    near_send: "Text me",
    near_set: "We will text {phone} when {n} people are ahead of you.",
    near_cancel: "Cancel",
    near_privacy: "Your number is used only for this ticket and deleted when it ends.",
    near_bad: "That number is not right: 10 digits starting with 0.",
    near_failed: "Could not register, please try again.",
};

/// What the page is drawn from.
pub struct Page<'a> {
    pub centre: &'a str,
    /// The ticket's read address; its live stream is this with `/events`.
    pub api: String,
    pub lang: Lang,
    /// The centre's offset from UTC, for the times the page shows.
    pub offset_min: i32,
    /// None: no ticket of today has the key.
    pub ticket: Option<&'a PublicTicket>,
    /// "Your turn is near", where the server sends messages (the hub with `[notify]`).
    pub near: Option<Near>,
}

/// The page's offer to text the citizen: when `ahead` people or fewer are ahead, through
/// `api` (POST the number, DELETE to withdraw it).
#[derive(Serialize)]
pub struct Near {
    pub ahead: u32,
    pub api: String,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: &'static str,
    api: &'a str,
    offset_min: i32,
    ticket: Option<&'a PublicTicket>,
    near: Option<&'a Near>,
    t: &'static str,
    s: &'a Strings,
}

/// The page's HTML.
pub fn render(p: &Page) -> String {
    let s = match p.lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let data = Data { lang: p.lang.code(), api: &p.api, offset_min: p.offset_min, ticket: p.ticket, near: p.near.as_ref(), t: s.title, s };
    // In a <script> element only "</" could end it early: the JSON escapes every "<".
    let json = serde_json::to_string(&data).expect("the page's data always serialises").replace('<', "\\u003c");
    let (number, service) = match p.ticket {
        Some(t) => {
            (t.number.as_str(), if p.lang == Lang::En { t.service_name_en.as_deref().unwrap_or(&t.service_name) } else { &t.service_name })
        }
        None => ("–", ""),
    };
    let (class, text) = if p.ticket.is_some() { ("waiting", "") } else { ("unknown", s.unknown) };
    let other = match p.lang {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    TEMPLATE
        .replace("{{lang}}", p.lang.code())
        .replace("{{title}}", &escape(&format!("{number} – {}", s.title)))
        .replace("{{centre}}", &escape(p.centre))
        .replace("{{other_lang}}", other)
        .replace("{{other_lang_name}}", s.other)
        .replace("{{your_number}}", s.your_number)
        .replace("{{number}}", &escape(number))
        .replace("{{service}}", &escape(service))
        .replace("{{status_class}}", class)
        .replace("{{status_text}}", &escape(text))
        .replace("{{updated}}", "")
        .replace("{{noscript}}", s.noscript)
        .replace("{{near_phone}}", s.near_phone)
        .replace("{{near_send}}", s.near_send)
        .replace("{{near_cancel}}", s.near_cancel)
        .replace("{{near_privacy}}", s.near_privacy)
        .replace("{{data}}", &json)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page as an HTTP answer: 200 with the ticket, 404 with the same page saying it found
/// nothing. Never cached (the ticket changes), never sent on as a referrer (the key is the
/// credential), never indexed; the script and style are the page's own.
pub fn respond(found: bool, html: String) -> Response {
    let status = if found { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    res
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    /// The language asked for in the address, if any.
    pub fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// `GET /t/{key}`.
pub async fn page(State(app): State<AppState>, Path(key): Path<String>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let ticket = if !is_public_key(&key) {
        None
    } else {
        match app.authority.public_ticket(&key).await {
            Ok(t) => t,
            Err(e) => return crate::api::ApiError::from(e).into_response(),
        }
    };
    let config = app.authority.config();
    let api = if ticket.is_some() { format!("/api/v1/public/tickets/{key}") } else { String::new() };
    let html = render(&Page {
        centre: &config.centre.name,
        api,
        lang: Lang::choose(q.lang(), &headers),
        offset_min: config.centre.utc_offset.0.local_minus_utc() / 60,
        ticket: ticket.as_ref(),
        near: None,
    });
    respond(ticket.is_some(), html)
}

#[cfg(test)]
mod tests;

//! A report as CSV: UTF-8 with a byte-order mark, which is what makes Excel (what centres open
//! reports in) read Vietnamese correctly; comma-separated, quoted where needed (RFC 4180).
use super::{Report, Row, Stats};

const HEADER: [&str; 20] = [
    "Mã / Key",
    "Tên / Name",
    "Cấp số / Issued",
    "Đã phục vụ / Served",
    "Vắng mặt / No-show",
    "Chuyển / Transferred",
    "Chờ: số lượt / Waits",
    "Chờ TB (giây) / Wait mean (s)",
    "Chờ trung vị (giây) / Wait median (s)",
    "Chờ P90 (giây) / Wait p90 (s)",
    "Phục vụ: số lượt / Visits timed",
    "Phục vụ TB (giây) / Service mean (s)",
    "Phục vụ trung vị (giây) / Service median (s)",
    "Phục vụ P90 (giây) / Service p90 (s)",
    "Rất hài lòng / Very satisfied",
    "Hài lòng / Satisfied",
    "Không hài lòng / Unsatisfied",
    "Số đánh giá / Ratings",
    "Tỉ lệ hài lòng (%) / Satisfied (%)",
    "Từ ngày - đến ngày / Range",
];

fn field(s: &str) -> String {
    // A cell starting with = + - @ is a formula to a spreadsheet: names come from staff input,
    // so they are defused with a leading apostrophe.
    let s = if s.starts_with(['=', '+', '-', '@']) && s != "-" { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn stats(s: &Option<Stats>) -> [String; 4] {
    match s {
        Some(s) => [s.count.to_string(), format!("{:.1}", s.mean), format!("{:.0}", s.median), format!("{:.0}", s.p90)],
        None => ["0".into(), String::new(), String::new(), String::new()],
    }
}

fn line(r: &Row, range: &str) -> String {
    let w = stats(&r.wait_s);
    let sv = stats(&r.service_s);
    let n = r.ratings.total();
    let pct =
        if n == 0 { String::new() } else { format!("{:.1}", 100.0 * (r.ratings.very_satisfied + r.ratings.satisfied) as f64 / n as f64) };
    let cells: Vec<String> = vec![
        field(&r.key),
        field(&r.name),
        r.issued.map(|i| i.to_string()).unwrap_or_default(),
        r.served.to_string(),
        r.no_show.to_string(),
        r.transferred.to_string(),
        w[0].clone(),
        w[1].clone(),
        w[2].clone(),
        w[3].clone(),
        sv[0].clone(),
        sv[1].clone(),
        sv[2].clone(),
        sv[3].clone(),
        r.ratings.very_satisfied.to_string(),
        r.ratings.satisfied.to_string(),
        r.ratings.unsatisfied.to_string(),
        n.to_string(),
        pct,
        range.to_owned(),
    ];
    cells.join(",")
}

pub fn to_csv(r: &Report) -> String {
    let range = format!("{} - {}", r.from, r.to);
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADER.iter().map(|h| field(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in r.rows.iter().chain(std::iter::once(&r.total)) {
        out.push_str(&line(row, &range));
        out.push_str("\r\n");
    }
    out
}

//! A report as CSV: UTF-8 with a byte-order mark, which is what makes Excel (what centres open
//! reports in) read Vietnamese correctly; comma-separated, quoted where needed (RFC 4180).
use super::dossiers::{DossierGroup, DossierReport, DossierRow};
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

/// The per-dossier report as CSV: one line per dossier with its visit, rating and the nine
/// criteria's points (and its centre, in the province's) when grouped by dossier; one line per
/// officer, centre, unit or quarter otherwise.
/// The total is the last line either way.
pub fn dossiers_to_csv(r: &DossierReport) -> String {
    use crate::dossier::evaluation::CRITERIA;
    let range = format!("{} - {}", r.from, r.to);
    let mut out = String::from("\u{feff}");
    let mut push = |cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    let criteria = || CRITERIA.iter().enumerate().map(|(i, c)| field(&format!("TC{} {} / {}", i + 1, c.vi, c.en)));
    let rollup_head = [
        "Mã / Key",
        "Tên / Name",
        "Số hồ sơ / Dossiers",
        "Rất hài lòng / Very satisfied",
        "Hài lòng / Satisfied",
        "Không hài lòng / Unsatisfied",
        "Tỉ lệ hài lòng (%) / Satisfied (%)",
        "Số phiếu đánh giá / Evaluations",
        "Điểm TB (trên 18) / Mean points (of 18)",
    ];
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_default();
    let rollup = |row: &DossierRow| {
        let mut cells = vec![
            field(&row.key),
            field(&row.name),
            row.dossiers.to_string(),
            row.ratings.very_satisfied.to_string(),
            row.ratings.satisfied.to_string(),
            row.ratings.unsatisfied.to_string(),
            opt(row.satisfied_pct),
            row.evaluated.to_string(),
            opt(row.mean_points),
        ];
        let each = row.criteria_mean.clone().unwrap_or_default();
        cells.extend((0..9).map(|i| each.get(i).map(|v| format!("{v:.2}")).unwrap_or_default()));
        cells.push(field(&range));
        cells
    };
    if r.by == DossierGroup::Dossier {
        let head = [
            "Mã hồ sơ / Dossier",
            "Đơn vị tiếp nhận / Unit",
            "Ngày tiếp nhận / Received",
            "Quý / Quarter",
            "Số thứ tự / Ticket",
            "Ngày / Day",
            "Dịch vụ / Service",
            "Quầy / Counter",
            "Cán bộ / Officer",
            "Đánh giá tại quầy / Rating",
            "Tổng điểm (trên 18) / Points (of 18)",
        ];
        let mut cells: Vec<String> = head.iter().map(|h| field(h)).collect();
        cells.extend(criteria());
        // The province's list names each dossier's centre; a centre's own needs no such column.
        let centres = r.dossiers.iter().any(|d| d.centre.is_some());
        if centres {
            cells.push(field("Trung tâm / Centre"));
        }
        push(cells);
        let s = |x: &Option<String>| x.as_deref().map(field).unwrap_or_default();
        let d = |x: &Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        for rec in &r.dossiers {
            let mut cells = vec![
                field(&rec.dossier),
                field(&rec.unit),
                d(&rec.received),
                field(&rec.quarter),
                s(&rec.ticket),
                d(&rec.day),
                s(&rec.service),
                s(&rec.counter),
                s(&rec.officer),
                rec.rating.map(|x| format!("{} / {}", x.label_vi(), x.code())).unwrap_or_default(),
                rec.scores.map(|x| x.points().to_string()).unwrap_or_default(),
            ];
            cells.extend((0..9).map(|i| rec.scores.map(|x| x.each()[i].to_string()).unwrap_or_default()));
            if centres {
                cells.push(s(&rec.centre));
            }
            push(cells);
        }
        push(rollup(&r.total));
    } else {
        let mut cells: Vec<String> = rollup_head.iter().map(|h| field(h)).collect();
        cells.extend(criteria().map(|c| format!("{c} TB / mean")));
        cells.push(field("Từ ngày - đến ngày / Range"));
        push(cells);
        for row in r.rows.iter().chain(std::iter::once(&r.total)) {
            push(rollup(row));
        }
    }
    out
}

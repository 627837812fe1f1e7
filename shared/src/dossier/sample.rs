//! Made-up dossiers: the two fixed ones that tests and screenshots look up, and a generated
//! set shaped like a ward's desk (plausible Vietnamese names, real procedure names and codes
//! from the national list in `assets/catalogue/procedures.jsonl`, realistic time limits and
//! statuses). The names are drawn at random from common parts: they are not real people's.
//! Deterministic: the same day and count give the same set, so pictures made from it are
//! reproducible.
use super::{Dossier, DossierStatus};
use chrono::{Datelike, Days, NaiveDate, Weekday};

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The two fixed dossiers (the kiosk's screenshots and tests look them up by code).
pub fn fixed() -> Vec<Dossier> {
    vec![
        Dossier {
            code: "000.00.06.H56-231027-0361".into(),
            applicant: "Nguyễn Văn An".into(),
            procedure: "Đăng ký khai sinh".into(),
            status: DossierStatus::Ready,
            received: day(2023, 10, 27),
            appointment: day(2023, 11, 3),
            completed: day(2023, 11, 2),
        },
        Dossier {
            code: "000.00.06.H56-231030-0012".into(),
            applicant: "Trần Thị Bích Ngọc".into(),
            procedure: "Chứng thực bản sao từ bản chính".into(),
            status: DossierStatus::Processing,
            received: day(2023, 10, 30),
            appointment: day(2023, 11, 6),
            completed: None,
        },
    ]
}

/// Family names with rough weights (Nguyễn is about four in ten).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 3),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trương", 1),
    ("Lương", 1),
];
const MIDDLE_MALE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Công", "Đình", "Trọng", "Văn"];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Thị", "Mai", "Phương", "Hồng"];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quang",
    "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
];
const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân",
    "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Vân", "Yến",
];

/// Procedures a ward's desk receives, from `assets/catalogue/procedures.jsonl` (code, name), with
/// a time limit in working days and a weight for how often they come.
pub const PROCEDURES: &[(&str, &str, u32, u32)] = &[
    ("1.004194", "Đăng ký tạm trú", 3, 30),
    ("1.004222", "Đăng ký thường trú", 7, 18),
    ("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", 1, 14),
    ("1.001193", "Thủ tục đăng ký khai sinh", 1, 10),
    ("1.000894", "Thủ tục đăng ký kết hôn", 5, 6),
    ("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", 3, 8),
    ("1.000656", "Thủ tục đăng ký khai tử", 1, 3),
    ("1.004859", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc", 3, 3),
    ("1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", 3, 2),
    ("1.004837", "Thủ tục đăng ký giám hộ", 3, 1),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", 5, 2),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", 3, 9),
    ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", 3, 4),
    ("1.001266", "Chấm dứt hoạt động hộ kinh doanh", 3, 2),
    ("1.012750", "Cung cấp thông tin, dữ liệu đất đai", 3, 4),
    ("1.011441", "Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất", 3, 3),
    ("1.010833", "Cấp giấy xác nhận thân nhân của người có công", 10, 1),
    ("2.002622", "Đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất", 15, 2),
    ("1.002755", "Gia hạn tạm trú", 3, 5),
    ("1.003197", "Xóa đăng ký thường trú", 3, 3),
];

/// The receiving agency of the generated set (a ward of the demo province).
pub const AGENCY: &str = "000.21.16.H56";

/// A small deterministic generator (SplitMix64): no dependency, same set on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u32) as usize]
    }
    fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|x| x.1).sum();
        let mut r = self.below(total);
        for &(x, w) in xs {
            if r < w {
                return x;
            }
            r -= w;
        }
        xs[0].0
    }
}

/// `from` plus `n` working days (Monday to Friday), as one-stop time limits are counted.
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d + Days::new(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

fn full_name(rng: &mut Rng) -> String {
    let family = rng.weighted(FAMILY);
    let (middle, given) = if rng.below(2) == 0 { (MIDDLE_MALE, GIVEN_MALE) } else { (MIDDLE_FEMALE, GIVEN_FEMALE) };
    // One name in five has two middle names ("Nguyễn Thị Thu Hà").
    if rng.below(5) == 0 {
        let (a, b) = (rng.pick(middle), rng.pick(middle));
        if a != b {
            return format!("{family} {a} {b} {}", rng.pick(given));
        }
    }
    format!("{family} {} {}", rng.pick(middle), rng.pick(given))
}

/// About `count` dossiers received over the working days before `today`, with the statuses
/// they would have on `today`: processing until the appointment, ready once done, overdue
/// when the appointment passed undone; a few returned, needing more, or refused.
pub fn generated(today: NaiveDate, count: usize) -> Vec<Dossier> {
    let mut rng = Rng(0x6d6f_7463_7561 ^ u64::from(today.num_days_from_ce() as u32));
    let weights: Vec<(usize, u32)> = PROCEDURES.iter().enumerate().map(|(i, p)| (i, p.3)).collect();
    let mut out = Vec::with_capacity(count);
    // Received on the 25 working days up to today, more recently more often.
    let mut received = today;
    let mut per_day: Vec<(NaiveDate, u32)> = Vec::new();
    for back in 0..25u32 {
        if back > 0 {
            received = received - Days::new(1);
            while matches!(received.weekday(), Weekday::Sat | Weekday::Sun) {
                received = received - Days::new(1);
            }
        }
        per_day.push((received, 40 - back.min(30)));
    }
    let mut seq_of_day: Vec<u32> = vec![0; per_day.len()];
    while out.len() < count {
        let d = rng.weighted(&per_day.iter().enumerate().map(|(i, (_, w))| (i, *w)).collect::<Vec<_>>());
        let (received, _) = per_day[d];
        seq_of_day[d] += 1 + rng.below(3);
        let (_, procedure, days, _) = PROCEDURES[rng.weighted(&weights)];
        let appointment = add_working_days(received, days);
        let roll = rng.below(100);
        let (status, completed) = if appointment < today {
            // Past its date: mostly done (ready or collected), some late.
            match roll {
                0..=11 => (DossierStatus::Overdue, None),
                12..=15 => (DossierStatus::NeedsMore, None),
                16..=17 => (DossierStatus::Rejected, Some(appointment)),
                18..=69 => (DossierStatus::Returned, Some(appointment)),
                _ => {
                    let early = rng.below(days.max(1));
                    (DossierStatus::Ready, Some(add_working_days(received, days - early)))
                }
            }
        } else {
            match roll {
                0..=9 if received < today => (DossierStatus::Ready, Some(today)),
                10..=14 => (DossierStatus::Received, None),
                15..=17 => (DossierStatus::NeedsMore, None),
                _ => (DossierStatus::Processing, None),
            }
        };
        out.push(Dossier {
            code: format!("{AGENCY}-{}-{:04}", received.format("%y%m%d"), seq_of_day[d].min(9999)),
            applicant: full_name(&mut rng),
            procedure: procedure.to_owned(),
            status,
            received: Some(received),
            appointment: Some(appointment),
            completed,
        });
    }
    out
}

/// What the demo one-stop system serves: the fixed dossiers and `count` generated for `today`.
pub fn demo_set(today: NaiveDate, count: usize) -> Vec<Dossier> {
    let mut all = fixed();
    all.extend(generated(today, count));
    all
}

/// The board's order: results ready most recently first (those are the ones people come
/// for); otherwise by appointment date, soonest (or most overdue) first; then by code.
pub fn board_order(a: &Dossier, b: &Dossier) -> std::cmp::Ordering {
    match (a.status, b.status) {
        (DossierStatus::Ready, DossierStatus::Ready) => (b.completed, &a.code).cmp(&(a.completed, &b.code)),
        _ => (a.appointment, &a.code).cmp(&(b.appointment, &b.code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::ReceiptCode;
    use std::collections::HashSet;

    #[test]
    fn the_generated_set_is_plausible_and_reproducible() {
        // Proves codes are valid and unique, dates consistent with the status, every board
        // status present, and the same day gives the same set.
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let set = generated(today, 300);
        assert_eq!(set, generated(today, 300));
        let codes: HashSet<&str> = set.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes.len(), 300, "codes are unique");
        for d in &set {
            let code = ReceiptCode::parse(&d.code).unwrap();
            assert_eq!(Some(code.received), d.received);
            assert!(d.appointment >= d.received);
            match d.status {
                DossierStatus::Overdue => assert!(d.appointment < Some(today) && d.completed.is_none()),
                DossierStatus::Processing => assert!(d.appointment >= Some(today)),
                DossierStatus::Ready => assert!(d.completed.is_some_and(|c| c <= today)),
                _ => {}
            }
            assert!(d.applicant.split_whitespace().count() >= 3, "{}", d.applicant);
        }
        for s in crate::dossier::BOARD_STATUSES {
            let n = set.iter().filter(|d| d.status == s).count();
            assert!(n >= 10, "{n} dossiers {s:?}");
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(add_working_days(fri, 1), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(add_working_days(fri, 0), fri);
    }
}

//! The province's evaluation of a finished dossier: the nine criteria of the service index
//! (Decision 766/QĐ-TTg; the citizen's form of Circular 01/2018/TT-VPCP), each scored 2, 1 or
//! 0 points, at most 18 (DOMAIN.md, "Satisfaction rating"). Unlike the counter's three-button
//! rating of a visit, it judges the whole dossier: its time against the legal limit, how often
//! the citizen had to come back, how many agencies they had to see.
//!
//! The criteria's wording here is ours, short enough for a kiosk screen an elderly citizen
//! reads; the order and the points are the form's. Pure.
use serde::{Deserialize, Serialize};

/// The highest total: nine criteria of two points.
pub const MAX_POINTS: u8 = 18;

/// One criterion: its key (in CSV headers), its question, and its three answers from the best
/// (2 points) to the worst (0), each in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub answers: [(&'static str, &'static str); 3],
}

impl Criterion {
    /// The points of answer `i` (0 is the best).
    pub fn points_of(i: usize) -> u8 {
        2u8.saturating_sub(i as u8)
    }
}

pub const CRITERIA: [Criterion; 9] = [
    Criterion {
        key: "total_time",
        vi: "Tổng thời gian giải quyết so với thời hạn quy định",
        en: "Total time against the legal time limit",
        answers: [
            ("Sớm hơn hoặc đúng hạn", "Early or on time"),
            ("Trễ hạn, có thư xin lỗi và hẹn lại", "Late, with an apology and a new date"),
            ("Trễ hạn, không có thư xin lỗi", "Late, with no apology"),
        ],
    },
    Criterion {
        key: "agency_time",
        vi: "Thời gian giải quyết của từng cơ quan",
        en: "Each agency's time",
        answers: [
            ("Tất cả đúng hạn", "Every agency on time"),
            ("Có cơ quan trễ hạn, có xin lỗi", "One was late, with an apology"),
            ("Có cơ quan trễ hạn, không xin lỗi", "One was late, with no apology"),
        ],
    },
    Criterion {
        key: "contacts",
        vi: "Số lần phải đi lại để bổ sung, hoàn thiện hồ sơ",
        en: "Times you had to come back to complete the dossier",
        answers: [("Không lần nào hoặc 1 lần", "None or once"), ("2 lần", "Twice"), ("3 lần trở lên", "Three times or more")],
    },
    Criterion {
        key: "agencies",
        vi: "Số cơ quan phải liên hệ",
        en: "Agencies you had to contact",
        answers: [
            ("Chỉ Bộ phận Một cửa", "Only the one-stop counter"),
            ("Thêm 1 cơ quan khác", "One other agency"),
            ("Từ 2 cơ quan khác trở lên", "Two or more other agencies"),
        ],
    },
    Criterion {
        key: "one_stop",
        vi: "Nộp hồ sơ và nhận kết quả tại Bộ phận Một cửa",
        en: "Submitted and collected at the one-stop counter",
        answers: [("Cả hai", "Both"), ("Chỉ một trong hai", "Only one of them"), ("Không", "Neither")],
    },
    Criterion {
        key: "publicity",
        vi: "Thủ tục hành chính được niêm yết, công khai",
        en: "The procedure was published",
        answers: [("Đầy đủ, rõ ràng", "Fully and clearly"), ("Chưa đầy đủ", "In part"), ("Không công khai", "Not at all")],
    },
    Criterion {
        key: "attitude",
        vi: "Thái độ của cán bộ, công chức",
        en: "The staff's attitude",
        answers: [
            ("Lịch sự, tận tình", "Courteous and helpful"),
            ("Bình thường", "Indifferent"),
            ("Gây phiền hà, sách nhiễu", "Obstructive"),
        ],
    },
    Criterion {
        key: "feedback",
        vi: "Tiếp nhận, xử lý phản ánh, kiến nghị",
        en: "Handling of your feedback",
        answers: [
            ("Không có, hoặc được xử lý thỏa đáng", "None given, or handled well"),
            ("Được xử lý nhưng chưa thỏa đáng", "Handled, not well"),
            ("Không được xử lý", "Not handled"),
        ],
    },
    Criterion {
        key: "overall",
        vi: "Mức độ hài lòng chung",
        en: "Overall satisfaction",
        answers: [("Hài lòng", "Satisfied"), ("Bình thường", "Neither"), ("Không hài lòng", "Unsatisfied")],
    },
];

/// The points given to each criterion, in the order of `CRITERIA`: nine values of 0, 1 or 2.
/// In JSON an array of nine numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct Scores([u8; 9]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("an evaluation scores all 9 criteria, {0} given")]
    Count(usize),
    #[error("criterion {criterion} ({key}) scored {points}: each is scored 2, 1 or 0")]
    Points { criterion: usize, key: &'static str, points: u8 },
}

impl Scores {
    pub fn new(points: &[u8]) -> Result<Scores, ScoreError> {
        let all: [u8; 9] = points.try_into().map_err(|_| ScoreError::Count(points.len()))?;
        if let Some(i) = all.iter().position(|&p| p > 2) {
            return Err(ScoreError::Points { criterion: i + 1, key: CRITERIA[i].key, points: all[i] });
        }
        Ok(Scores(all))
    }

    /// The total, out of `MAX_POINTS`.
    pub fn points(&self) -> u8 {
        self.0.iter().sum()
    }

    pub fn each(&self) -> &[u8; 9] {
        &self.0
    }
}

impl TryFrom<Vec<u8>> for Scores {
    type Error = ScoreError;
    fn try_from(v: Vec<u8>) -> Result<Scores, ScoreError> {
        Scores::new(&v)
    }
}

impl From<Scores> for Vec<u8> {
    fn from(s: Scores) -> Vec<u8> {
        s.0.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_scores_of_two_one_or_zero_total_at_most_eighteen() {
        assert_eq!(Scores::new(&[2; 9]).unwrap().points(), MAX_POINTS);
        assert_eq!(Scores::new(&[2, 1, 0, 2, 1, 0, 2, 1, 0]).unwrap().points(), 9);
        assert_eq!(Scores::new(&[2; 8]), Err(ScoreError::Count(8)));
        assert_eq!(Scores::new(&[2; 10]), Err(ScoreError::Count(10)));
        let three = Scores::new(&[2, 2, 2, 2, 2, 2, 3, 2, 2]).unwrap_err();
        assert_eq!(three.to_string(), "criterion 7 (attitude) scored 3: each is scored 2, 1 or 0");
    }

    #[test]
    fn json_is_an_array_and_a_bad_one_is_refused_when_read() {
        let s = Scores::new(&[2, 2, 1, 2, 2, 2, 2, 2, 0]).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "[2,2,1,2,2,2,2,2,0]");
        assert_eq!(serde_json::from_str::<Scores>("[2,2,1,2,2,2,2,2,0]").unwrap(), s);
        let err = serde_json::from_str::<Scores>("[2,2,1]").unwrap_err().to_string();
        assert!(err.contains("all 9 criteria, 3 given"), "{err}");
        assert!(serde_json::from_str::<Scores>("[2,2,2,2,2,2,2,2,-1]").is_err());
    }

    #[test]
    fn every_criterion_has_three_answers_in_both_languages_and_a_unique_key() {
        let mut keys: Vec<_> = CRITERIA.iter().map(|c| c.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 9);
        for c in CRITERIA {
            assert!(!c.vi.is_empty() && !c.en.is_empty());
            assert!(c.answers.iter().all(|(vi, en)| !vi.is_empty() && !en.is_empty()), "{}", c.key);
        }
        assert_eq!([0, 1, 2].map(Criterion::points_of), [2, 1, 0]);
    }
}

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

/// A form being answered one criterion at a time: each criterion's chosen answer (its index in
/// `Criterion::answers`, 0 the best), none until answered. The kiosk and the results board ask
/// alike through it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answers([Option<u8>; 9]);

impl Answers {
    /// From a screen's model: an index per criterion, -1 (or anything out of 0..=2) not answered.
    pub fn from_indices(v: &[i32]) -> Answers {
        let mut a = Answers::default();
        for (slot, &i) in a.0.iter_mut().zip(v) {
            *slot = (0..=2).contains(&i).then_some(i as u8);
        }
        a
    }

    /// For a screen's model: -1 where not answered.
    pub fn indices(&self) -> Vec<i32> {
        self.0.iter().map(|a| a.map_or(-1, i32::from)).collect()
    }

    /// Records `answer` (0 to 2) to criterion `step`; answers the next criterion still open
    /// (after it, then from the first), or none when every one is answered: the review.
    pub fn choose(&mut self, step: usize, answer: usize) -> Option<usize> {
        let step = step.min(self.0.len() - 1);
        self.0[step] = Some(answer.min(2) as u8);
        (step + 1..self.0.len()).chain(0..step).find(|&k| self.0[k].is_none())
    }

    /// The points of each criterion, or the first criterion not answered.
    pub fn scores(&self) -> Result<Scores, usize> {
        let mut points = [0u8; 9];
        for (i, a) in self.0.iter().enumerate() {
            points[i] = Criterion::points_of(a.ok_or(i)? as usize);
        }
        Ok(Scores(points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Proves a form moves to the next open question, wraps back to one skipped, and gives
    /// scores only when all nine are answered (the best answer is 2 points).
    #[test]
    fn a_form_asks_what_is_still_open_and_scores_when_complete() {
        let mut a = Answers::default();
        assert_eq!(a.scores(), Err(0));
        assert_eq!(a.choose(0, 0), Some(1));
        assert_eq!(a.choose(2, 1), Some(3), "a question skipped by going back and forth");
        for k in 3..8 {
            assert_eq!(a.choose(k, 0), Some(k + 1));
        }
        assert_eq!(a.choose(8, 2), Some(1), "back to the one left open");
        assert_eq!(a.scores(), Err(1));
        assert_eq!(a.choose(1, 0), None, "all answered: the review");
        assert_eq!(a.scores().unwrap().each(), &[2, 2, 1, 2, 2, 2, 2, 2, 0]);
        assert_eq!(Answers::from_indices(&a.indices()), a);
        assert_eq!(Answers::from_indices(&[-1, 5, 0]).indices(), [-1, -1, 0, -1, -1, -1, -1, -1, -1]);
    }

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

//! The queue ticket: what the citizen takes home.

use thiserror::Error;

use crate::bitmap::Bitmap;
use crate::document::{Document, Flow, Paper};
use crate::qr::{QrEcc, QrError};
use crate::text::{Align, TextStyle};

/// Everything printed on one ticket. Strings may be NFC or NFD; they are normalised when drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketLayout {
    /// e.g. "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm".
    pub centre_name: String,
    /// e.g. "A012".
    pub number: String,
    /// e.g. "Hộ tịch – Chứng thực"; wrapped when long.
    pub service_name: String,
    /// Priority class name, e.g. "Người cao tuổi"; `None` for a normal ticket.
    pub priority: Option<String>,
    /// Tickets waiting ahead of this one.
    pub people_ahead: u32,
    /// Estimated wait in minutes.
    pub estimated_wait_min: u32,
    /// Issue time, already formatted in local time by the caller, e.g. "08:15 23/11/2026".
    pub issued_at: String,
    /// URL the citizen can scan to follow the queue.
    pub qr_url: Option<String>,
    /// Small print at the bottom, one paragraph per entry.
    pub footer: Vec<String>,
    pub paper: Paper,
}

/// The layout cannot be drawn.
#[derive(Debug, Error)]
pub enum LayoutError {
    #[error("ticket {number}: the QR URL does not fit a QR symbol")]
    Qr {
        number: String,
        #[source]
        source: QrError,
    },
}

/// Sizes per paper width, in dots (203 dpi: 8 dots = 1 mm).
struct Metrics {
    margin: u32,
    header: f32,
    label: f32,
    number: f32,
    service: f32,
    body: f32,
    small: f32,
    qr_module: u32,
}

fn metrics(paper: Paper) -> Metrics {
    match paper {
        Paper::Mm80 => Metrics {
            margin: 16,
            header: 24.0,
            label: 22.0,
            number: 168.0,
            service: 30.0,
            body: 24.0,
            small: 20.0,
            qr_module: 6,
        },
        Paper::Mm58 => Metrics {
            margin: 8,
            header: 22.0,
            label: 20.0,
            number: 128.0,
            service: 26.0,
            body: 22.0,
            small: 18.0,
            qr_module: 5,
        },
    }
}

/// "khoảng 21 phút", "khoảng 1 giờ 5 phút", "dưới 1 phút".
pub fn format_wait(minutes: u32) -> String {
    match minutes {
        0 => "dưới 1 phút".to_string(),
        1..=59 => format!("khoảng {minutes} phút"),
        _ if minutes % 60 == 0 => format!("khoảng {} giờ", minutes / 60),
        _ => format!("khoảng {} giờ {} phút", minutes / 60, minutes % 60),
    }
}

impl TicketLayout {
    /// The sample ticket of the README, the bench and `kiosk print-sample`.
    pub fn sample(paper: Paper) -> Self {
        TicketLayout {
            centre_name: "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm".into(),
            number: "A123".into(),
            service_name: "Hộ tịch – Chứng thực".into(),
            priority: Some("Người cao tuổi".into()),
            people_ahead: 7,
            estimated_wait_min: 21,
            issued_at: "08:15 23/11/2026".into(),
            qr_url: Some("https://example.gov.vn/t/123".into()),
            footer: vec![
                "Vui lòng chờ đến khi số của bạn được gọi.".into(),
                "Phiếu chỉ có giá trị trong ngày.".into(),
            ],
            paper,
        }
    }

    /// The ticket as printable blocks.
    pub fn document(&self) -> Result<Document, LayoutError> {
        let m = metrics(self.paper);
        let mut f = Flow::new(self.paper, m.margin);
        f.space(8);
        f.text(&self.centre_name, TextStyle::bold(m.header), Align::Centre);
        f.space(10);
        f.text("SỐ THỨ TỰ", TextStyle::regular(m.label), Align::Centre);
        f.space(14);
        f.big_line(&self.number, TextStyle::bold(m.number));
        f.space(18);
        f.text(
            &self.service_name,
            TextStyle::bold(m.service),
            Align::Centre,
        );
        if let Some(p) = &self.priority {
            f.space(4);
            f.text(
                &format!("Ưu tiên: {p}"),
                TextStyle::bold(m.body),
                Align::Centre,
            );
        }
        f.space(10);
        let body = TextStyle::regular(m.body);
        f.text(
            &format!("Số người đang chờ: {}", self.people_ahead),
            body,
            Align::Centre,
        );
        f.text(
            &format!(
                "Thời gian chờ dự kiến: {}",
                format_wait(self.estimated_wait_min)
            ),
            body,
            Align::Centre,
        );
        f.text(
            &format!("Lấy số lúc: {}", self.issued_at),
            TextStyle::regular(m.small),
            Align::Centre,
        );
        if let Some(url) = &self.qr_url {
            // About four modules of white around the symbol: the quiet zone scanners need.
            f.space(16);
            f.qr(url, m.qr_module, QrEcc::M)
                .map_err(|source| LayoutError::Qr {
                    number: self.number.clone(),
                    source,
                })?;
            f.space(16);
            f.text(
                "Quét mã để theo dõi lượt gọi",
                TextStyle::regular(m.small),
                Align::Centre,
            );
        }
        if !self.footer.is_empty() {
            f.space(8);
            for line in &self.footer {
                f.text(line, TextStyle::regular(m.small), Align::Centre);
            }
        }
        f.space(24);
        Ok(f.finish())
    }

    /// The ticket's own rendering: the paper image any correct encoding must print.
    pub fn render(&self) -> Result<Bitmap, LayoutError> {
        Ok(self.document()?.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;

    // Proves the wait wording, including the hour form for long waits.
    #[test]
    fn wait_wording() {
        assert_eq!(format_wait(0), "dưới 1 phút");
        assert_eq!(format_wait(21), "khoảng 21 phút");
        assert_eq!(format_wait(120), "khoảng 2 giờ");
        assert_eq!(format_wait(65), "khoảng 1 giờ 5 phút");
    }

    // Proves the sample fits both papers, keeps the number double-size and the QR as a QR block,
    // and that a long Vietnamese service name wraps rather than running off the paper.
    #[test]
    fn sample_structure_and_wrapping() {
        for paper in [Paper::Mm80, Paper::Mm58] {
            let mut t = TicketLayout::sample(paper);
            let doc = t.document().unwrap();
            assert!(doc
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Raster { scale: 2, .. })));
            assert!(doc.blocks.iter().any(|b| matches!(b, Block::Qr { .. })));
            let h_short = doc.height();
            t.service_name =
                "Đăng ký thường trú cho công dân chuyển đến từ tỉnh, thành phố khác".into();
            let img = t.render().unwrap();
            assert!(
                img.height() > h_short,
                "long service name must take more lines"
            );
            assert_eq!(img.width(), paper.width_dots());
        }
    }

    // Proves the number keeps fitting the paper when it is long (size shrinks, ink never touches
    // the paper edge where it would be cut off).
    #[test]
    fn long_number_shrinks_to_fit() {
        let mut t = TicketLayout::sample(Paper::Mm58);
        t.number = "AB12345".into();
        let doc = t.document().unwrap();
        let big = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Raster { bitmap, scale: 2 } => Some(bitmap.clone()),
                _ => None,
            })
            .unwrap();
        let cols: Vec<u32> = (0..big.width())
            .filter(|&x| (0..big.height()).any(|y| big.get(x, y)))
            .collect();
        let (first, last) = (cols[0], *cols.last().unwrap());
        // Half-resolution dots: the 8-dot paper margin is 4 here.
        assert!(
            first >= 2 && last < big.width() - 2,
            "number touches the edge: {first}..{last}"
        );
        assert!(
            last - first > big.width() * 3 / 4,
            "number shrank more than needed"
        );
    }
}

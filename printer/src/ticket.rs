//! The queue ticket: what the citizen takes home.

use thiserror::Error;

use crate::bitmap::Bitmap;
use crate::document::{Document, Flow, Paper};
use crate::font::{self, LineStyle, PrinterFont};
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
    /// The centre's logo, printed centred at the top (see `image::logo_from_png`); raster in
    /// every text mode. Wider than the paper, it is cut at the paper's edges.
    pub logo: Option<Bitmap>,
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
        Paper::Mm80 => {
            Metrics { margin: 16, header: 24.0, label: 22.0, number: 168.0, service: 30.0, body: 24.0, small: 20.0, qr_module: 6 }
        }
        Paper::Mm58 => {
            Metrics { margin: 8, header: 22.0, label: 20.0, number: 128.0, service: 26.0, body: 22.0, small: 18.0, qr_module: 5 }
        }
    }
}

/// "khoảng 21 phút", "khoảng 1 giờ 5 phút", "dưới 1 phút".
pub fn format_wait(minutes: u32) -> String {
    match minutes {
        0 => "dưới 1 phút".to_string(),
        1..=59 => format!("khoảng {minutes} phút"),
        _ if minutes.is_multiple_of(60) => format!("khoảng {} giờ", minutes / 60),
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
            footer: vec!["Vui lòng chờ đến khi số của bạn được gọi.".into(), "Phiếu chỉ có giá trị trong ngày.".into()],
            logo: None,
            paper,
        }
    }

    /// The ticket as printable blocks, all text drawn as raster with the bundled font (the
    /// default: correct on any printer).
    pub fn document(&self) -> Result<Document, LayoutError> {
        self.build(false)
    }

    /// The ticket with its text as native lines in the printer's own font (for a profile with a
    /// code page); the number, the logo and the QR stay as they are in [`Self::document`].
    pub fn document_native(&self) -> Result<Document, LayoutError> {
        self.build(true)
    }

    /// [`Self::document`] or [`Self::document_native`], as the profile's text mode asks.
    pub fn document_for(&self, profile: &crate::Profile) -> Result<Document, LayoutError> {
        self.build(profile.text.is_some())
    }

    fn build(&self, native: bool) -> Result<Document, LayoutError> {
        let m = metrics(self.paper);
        let mut f = Flow::new(self.paper, m.margin);
        // Each text element, in raster form (font and size in dots) and in native form.
        let text = |f: &mut Flow, s: &str, raster: TextStyle, line: LineStyle| {
            if native {
                f.printer_text(s, line, Align::Centre);
            } else {
                f.text(s, raster, Align::Centre);
            }
        };
        let a = LineStyle::new(PrinterFont::A, false);
        let a_bold = LineStyle::new(PrinterFont::A, true);
        let small = LineStyle::new(PrinterFont::B, false);
        f.space(8);
        if let Some(logo) = &self.logo {
            let mut canvas = Bitmap::new(f.width(), logo.height());
            canvas.blit(logo, Document::centre_x(f.width(), logo.width()) as i64, 0);
            f.push_raster(canvas);
            f.space(10);
        }
        text(&mut f, &self.centre_name, TextStyle::bold(m.header), a_bold);
        f.space(10);
        text(&mut f, "SỐ THỨ TỰ", TextStyle::regular(m.label), a);
        f.space(14);
        // The number stays raster in every mode: a resident font magnified 6-8 times prints
        // jagged steps, and this is what the citizen reads from across the hall.
        f.big_line(&self.number, TextStyle::bold(m.number));
        f.space(18);
        // Double size when the service name fits on one line at double width; else double
        // height only, which keeps the words together.
        let service = {
            let double = a_bold.scaled(2, 2);
            if font::wrap_columns(&self.service_name, double.columns(f.text_width())).len() == 1 {
                double
            } else {
                a_bold.scaled(1, 2)
            }
        };
        text(&mut f, &self.service_name, TextStyle::bold(m.service), service);
        if let Some(p) = &self.priority {
            f.space(4);
            text(&mut f, &format!("Ưu tiên: {p}"), TextStyle::bold(m.body), a_bold);
        }
        f.space(10);
        let body = TextStyle::regular(m.body);
        text(&mut f, &format!("Số người đang chờ: {}", self.people_ahead), body, a);
        text(&mut f, &format!("Thời gian chờ dự kiến: {}", format_wait(self.estimated_wait_min)), body, a);
        text(&mut f, &format!("Lấy số lúc: {}", self.issued_at), TextStyle::regular(m.small), small);
        if let Some(url) = &self.qr_url {
            // About four modules of white around the symbol: the quiet zone scanners need.
            f.space(16);
            f.qr(url, m.qr_module, QrEcc::M).map_err(|source| LayoutError::Qr { number: self.number.clone(), source })?;
            f.space(16);
            text(&mut f, "Quét mã để theo dõi lượt gọi", TextStyle::regular(m.small), small);
        }
        if !self.footer.is_empty() {
            f.space(8);
            for line in &self.footer {
                text(&mut f, line, TextStyle::regular(m.small), small);
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
            assert!(doc.blocks.iter().any(|b| matches!(b, Block::Raster { scale: 2, .. })));
            assert!(doc.blocks.iter().any(|b| matches!(b, Block::Qr { .. })));
            let h_short = doc.height();
            t.service_name = "Đăng ký thường trú cho công dân chuyển đến từ tỉnh, thành phố khác".into();
            let img = t.render().unwrap();
            assert!(img.height() > h_short, "long service name must take more lines");
            assert_eq!(img.width(), paper.width_dots());
        }
    }

    // Proves the native-text ticket: every text element is a printer-font line (none drawn as
    // raster), the number and the QR stay as they are, each line fits the paper, a service name
    // that fits one line at double size is double size, a longer one double height only.
    #[test]
    fn native_document_structure() {
        for paper in [Paper::Mm80, Paper::Mm58] {
            let mut t = TicketLayout::sample(paper);
            let doc = t.document_native().unwrap();
            let lines: Vec<&crate::font::TextLine> = doc
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Text(l) => Some(l),
                    _ => None,
                })
                .collect();
            let rasters = doc.blocks.iter().filter(|b| matches!(b, Block::Raster { .. })).count();
            assert_eq!(rasters, 1, "only the number is raster");
            assert!(doc.blocks.iter().any(|b| matches!(b, Block::Qr { .. })));
            assert!(lines.iter().all(|l| l.width() <= paper.width_dots()));
            let service = lines.iter().find(|l| l.text.starts_with("Hộ tịch")).unwrap();
            // 20 characters: one line of 22 double-width columns on 80 mm, not of 15 on 58 mm.
            let expected = if paper == Paper::Mm80 { (2, 2) } else { (1, 2) };
            assert_eq!((service.style.width_mul, service.style.height_mul), expected);
            t.service_name = "Đăng ký thường trú cho công dân chuyển đến từ tỉnh, thành phố khác".into();
            let doc = t.document_native().unwrap();
            let first = doc
                .blocks
                .iter()
                .find_map(|b| match b {
                    Block::Text(l) if l.text.starts_with("Đăng ký") => Some(l.clone()),
                    _ => None,
                })
                .unwrap();
            assert_eq!((first.style.width_mul, first.style.height_mul), (1, 2));
        }
    }

    // Proves a logo is printed centred above the centre name, in raster and native text alike.
    #[test]
    fn logo_is_centred_at_the_top() {
        let mut logo = Bitmap::new(40, 20);
        logo.fill_rect(0, 0, 40, 20);
        let plain = TicketLayout::sample(Paper::Mm58);
        let t = TicketLayout { logo: Some(logo), ..plain.clone() };
        for native in [false, true] {
            let build = |t: &TicketLayout| t.build(native).unwrap().render();
            let (img, without) = (build(&t), build(&plain));
            assert_eq!(img.height(), without.height() + 30);
            assert!(img.get(172, 8) && img.get(211, 27) && !img.get(171, 8) && !img.get(212, 8));
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
        let cols: Vec<u32> = (0..big.width()).filter(|&x| (0..big.height()).any(|y| big.get(x, y))).collect();
        let (first, last) = (cols[0], *cols.last().unwrap());
        // Half-resolution dots: the 8-dot paper margin is 4 here.
        assert!(first >= 2 && last < big.width() - 2, "number touches the edge: {first}..{last}");
        assert!(last - first > big.width() * 3 / 4, "number shrank more than needed");
    }
}

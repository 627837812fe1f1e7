//! A procedure checklist slip: the documents a citizen must bring, printed from the kiosk's
//! procedure browser through the same document, encoder and transports as the ticket.

use crate::bitmap::Bitmap;
use crate::document::{Document, Flow, Paper};
use crate::text::{self, Align, TextStyle};

/// A title and a numbered list of document names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistLayout {
    /// The procedure name, e.g. "Đăng ký thường trú".
    pub title: String,
    /// e.g. "Thành phần hồ sơ" or the procedure code; omitted when empty.
    pub subtitle: String,
    /// One entry per document; long names wrap under their own text, not under the number.
    pub items: Vec<String>,
    pub footer: Vec<String>,
    pub paper: Paper,
}

impl ChecklistLayout {
    pub fn document(&self) -> Document {
        let (margin, title, body, small) = match self.paper {
            Paper::Mm80 => (16, 28.0, 24.0, 20.0),
            Paper::Mm58 => (8, 24.0, 22.0, 18.0),
        };
        let mut f = Flow::new(self.paper, margin);
        f.space(8);
        f.text(&self.title, TextStyle::bold(title), Align::Centre);
        if !self.subtitle.is_empty() {
            f.space(4);
            f.text(&self.subtitle, TextStyle::regular(small), Align::Centre);
        }
        f.space(14);
        let style = TextStyle::regular(body);
        // Hanging indent: the widest label ("12.") plus a space sets where every item's text starts.
        let label_w = (1..=self.items.len()).map(|i| text::measure(&format!("{i}. "), style).ceil() as u32).max().unwrap_or(0);
        let text_w = f.text_width().saturating_sub(label_w) as f32;
        for (i, item) in self.items.iter().enumerate() {
            let lines = text::wrap(item, style, text_w);
            let (line_h, ascent) = text::line_metrics(style);
            let mut bmp = text::render_lines(&lines, style, f.width(), Align::Left, margin + label_w, margin);
            text::draw_line(&mut bmp, &format!("{}.", i + 1), style, margin as f32, ascent as f32);
            debug_assert_eq!(bmp.height(), line_h * lines.len() as u32);
            f.push_raster(bmp);
            f.space(6);
        }
        if !self.footer.is_empty() {
            f.space(8);
            for line in &self.footer {
                f.text(line, TextStyle::regular(small), Align::Centre);
            }
        }
        f.space(24);
        f.finish()
    }

    /// The slip's own rendering.
    pub fn render(&self) -> Bitmap {
        self.document().render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(paper: Paper) -> ChecklistLayout {
        ChecklistLayout {
            title: "Đăng ký thường trú".into(),
            subtitle: "Thành phần hồ sơ".into(),
            items: vec![
                "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)".into(),
                "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp".into(),
                "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình".into(),
            ],
            footer: vec!["Mang theo bản chính để đối chiếu.".into()],
            paper,
        }
    }

    // Proves numbered items wrap under their text (hanging indent): on wrapped lines nothing is
    // drawn in the number column.
    #[test]
    fn hanging_indent_and_wrapping() {
        assert_eq!(sample(Paper::Mm80).render().width(), 576);
        let doc = sample(Paper::Mm58).document();
        let item3 = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::document::Block::Raster { bitmap, scale: 1 } => Some(bitmap),
                _ => None,
            })
            // title, subtitle, item 1, item 2, item 3
            .nth(4)
            .unwrap();
        let (line_h, _) = text::line_metrics(TextStyle::regular(22.0));
        assert!(item3.height() >= 2 * line_h, "third item should wrap on 58 mm");
        // Second line: the number column (margin .. margin + label) stays white.
        let second = item3.rows(line_h, 2 * line_h);
        let label_end = 8 + text::measure("3.", TextStyle::regular(22.0)).ceil() as u32;
        let label_cols = (0..second.height()).any(|y| (8..label_end).any(|x| second.get(x, y)));
        assert!(!label_cols, "wrapped line drawn under the number");
        assert!(second.count_black() > 100);
    }
}

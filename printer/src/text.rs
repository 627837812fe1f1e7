//! Text drawn into 1-bit bitmaps with the bundled Noto Sans.
//!
//! Vietnamese needs no shaper here: after NFC every Vietnamese letter is one precomposed code point
//! and Noto Sans has a glyph for each, so glyph-by-glyph drawing with kerning is exact. Text that
//! arrives decomposed (NFD from a keyboard or a web form) would otherwise draw the tone mark as a
//! separate, misplaced glyph, hence the normalisation on every entry point.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use unicode_normalization::UnicodeNormalization;

use crate::bitmap::Bitmap;

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Coverage from which a dot prints black. Below one half on purpose: thermal heads have no
/// grey, and the 1-dot hairlines of small regular text print faint, so edges lean to black.
pub(crate) const INK_THRESHOLD: f32 = 0.4;

/// Regular or bold Noto Sans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// A font weight and a pixel size (the em height in printer dots).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    pub weight: Weight,
    pub size: f32,
}

impl TextStyle {
    pub const fn regular(size: f32) -> Self {
        TextStyle { weight: Weight::Regular, size }
    }
    pub const fn bold(size: f32) -> Self {
        TextStyle { weight: Weight::Bold, size }
    }
}

/// Horizontal placement of a line inside its box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

pub(crate) fn font(weight: Weight) -> &'static FontRef<'static> {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        // The bytes are compiled in and checked by the tests, so a parse failure is a build defect.
        (
            FontRef::try_from_slice(REGULAR_TTF).expect("bundled Noto Sans Regular parses"),
            FontRef::try_from_slice(BOLD_TTF).expect("bundled Noto Sans Bold parses"),
        )
    });
    match weight {
        Weight::Regular => &fonts.0,
        Weight::Bold => &fonts.1,
    }
}

/// Canonical composition, so "hoà" typed as o + U+0300 draws like the precomposed "ò".
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Characters of `text` (after NFC) for which the bundled font has no glyph.
pub fn missing_glyphs(text: &str, weight: Weight) -> Vec<char> {
    let f = font(weight);
    nfc(text).chars().filter(|&c| !c.is_whitespace() && f.glyph_id(c) == GlyphId(0)).collect()
}

/// Height of one line box in dots (ascent + descent, rounded up) and the baseline offset in it.
/// Noto's ascent leaves room for the stacked marks of capitals such as "Ấ" and "Ễ".
pub fn line_metrics(style: TextStyle) -> (u32, u32) {
    let s = font(style.weight).as_scaled(PxScale::from(style.size));
    let ascent = s.ascent().ceil();
    let height = (s.ascent() - s.descent()).ceil();
    (height as u32, ascent as u32)
}

/// Advance width of a single line in dots (NFC first).
pub fn measure(text: &str, style: TextStyle) -> f32 {
    let s = font(style.weight).as_scaled(PxScale::from(style.size));
    let mut width = 0.0;
    let mut prev: Option<GlyphId> = None;
    for c in nfc(text).chars() {
        let id = s.glyph_id(c);
        if let Some(p) = prev {
            width += s.kern(p, id);
        }
        width += s.h_advance(id);
        prev = Some(id);
    }
    width
}

/// Greedy word wrap to `max_width` dots. A word wider than a whole line is broken between
/// characters rather than overflowing the paper. Returns at least one (possibly empty) line.
pub fn wrap(text: &str, style: TextStyle, max_width: f32) -> Vec<String> {
    let text = nfc(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if measure(&candidate, style) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if measure(word, style) <= max_width {
            current = word.to_string();
        } else {
            for c in word.chars() {
                let mut next = current.clone();
                next.push(c);
                if measure(&next, style) > max_width && !current.is_empty() {
                    lines.push(std::mem::replace(&mut current, c.to_string()));
                } else {
                    current = next;
                }
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Draws one line into `target` with the baseline at `baseline_y`, starting at `x` (dots).
/// Anti-aliased coverage is thresholded at [`INK_THRESHOLD`].
pub fn draw_line(target: &mut Bitmap, text: &str, style: TextStyle, x: f32, baseline_y: f32) {
    let f = font(style.weight);
    let scale = PxScale::from(style.size);
    let s = f.as_scaled(scale);
    let mut caret = x;
    let mut prev: Option<GlyphId> = None;
    for c in nfc(text).chars() {
        let id = s.glyph_id(c);
        if let Some(p) = prev {
            caret += s.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, baseline_y));
        if let Some(outlined) = f.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                if coverage >= INK_THRESHOLD {
                    target.set(b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64, true);
                }
            });
        }
        caret += s.h_advance(id);
        prev = Some(id);
    }
}

/// A bitmap `width` dots wide holding `lines`, one line box each, aligned inside `[left, width-right)`.
pub fn render_lines(lines: &[String], style: TextStyle, width: u32, align: Align, left: u32, right: u32) -> Bitmap {
    let (line_h, ascent) = line_metrics(style);
    let mut bmp = Bitmap::new(width, line_h * lines.len() as u32);
    let box_w = width.saturating_sub(left + right) as f32;
    for (i, line) in lines.iter().enumerate() {
        let w = measure(line, style);
        // Whole-dot positions keep the same text identical wherever it is drawn.
        let x = left as f32
            + match align {
                Align::Left => 0.0,
                Align::Centre => ((box_w - w) / 2.0).max(0.0).round(),
                Align::Right => (box_w - w).max(0.0).round(),
            };
        draw_line(&mut bmp, line, style, x, (i as u32 * line_h + ascent) as f32);
    }
    bmp
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIETNAMESE_LETTERS: &str = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ\
        pqrstuùủũúụưừửữứựvxyỳỷỹýỵ";

    // Proves every Vietnamese letter, lower and upper case, regular and bold, has a real glyph:
    // a missing one would print as an empty box on every ticket using that word.
    #[test]
    fn bundled_fonts_cover_vietnamese() {
        let upper: String = VIETNAMESE_LETTERS.to_uppercase();
        for w in [Weight::Regular, Weight::Bold] {
            assert_eq!(missing_glyphs(VIETNAMESE_LETTERS, w), Vec::<char>::new());
            assert_eq!(missing_glyphs(&upper, w), Vec::<char>::new());
            assert_eq!(missing_glyphs("– ~ : / 0123456789", w), Vec::<char>::new());
        }
    }

    // Proves NFD input draws exactly like NFC input (the tone mark lands on its letter).
    #[test]
    fn decomposed_input_draws_like_precomposed() {
        let style = TextStyle::regular(24.0);
        let nfc_text = "Đăng ký thường trú – Người cao tuổi";
        let nfd_text: String = nfc_text.nfd().collect();
        assert_ne!(nfc_text, nfd_text);
        let a = render_lines(&[nfc_text.into()], style, 576, Align::Left, 0, 0);
        let b = render_lines(&[nfd_text], style, 576, Align::Left, 0, 0);
        assert!(a.count_black() > 500);
        assert_eq!(a, b);
    }

    // Proves stacked capitals (circumflex + tone) stay inside the line box, so nothing is clipped.
    #[test]
    fn stacked_marks_fit_line_box() {
        let style = TextStyle::bold(40.0);
        let (h, _) = line_metrics(style);
        let bmp = render_lines(&["ẤỄỘỮ Ậy".into()], style, 400, Align::Left, 0, 0);
        assert!(bmp.row_is_blank(0), "ink touches the top row: marks may be clipped");
        assert!(bmp.row_is_blank(h - 1), "ink touches the bottom row: descenders may be clipped");
    }

    // Proves wrapping keeps every line within the width and loses no word.
    #[test]
    fn wrap_fits_and_keeps_words() {
        let style = TextStyle::bold(28.0);
        let text = "Đăng ký thường trú cho công dân chuyển đến từ tỉnh khác trong cả nước";
        let lines = wrap(text, style, 300.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(measure(l, style) <= 300.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        // A single overlong word is broken rather than overflowing.
        let long = wrap(&"Ư".repeat(40), style, 200.0);
        assert!(long.len() > 1 && long.iter().all(|l| measure(l, style) <= 200.0));
    }
}

//! Text in the printer's own fonts: fixed cells, whole lines, wrapping by columns.
//!
//! A native-text [`TextLine`] is printed by the printer from its built-in font; the virtual
//! printer stands in for that font by drawing each character with the bundled Noto Sans squeezed
//! into the same cell ([`draw_cell`]), and [`TextLine::draw`] draws a line exactly as the virtual
//! printer will, so a document's own rendering and the decoded paper can be compared dot for dot.

use ab_glyph::{point, Font, PxScale, ScaleFont};

use crate::bitmap::Bitmap;
use crate::codepage;
use crate::text::{self, Align, Weight};

/// The printer's resident fonts (`ESC M n` / bit 0 of `ESC ! n`), as on Epson TM-T20-class
/// printers at 203 dpi.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PrinterFont {
    /// 12 × 24 dots: 48 columns on 80 mm paper, 32 on 58 mm.
    #[default]
    A,
    /// 9 × 17 dots: 64 columns on 80 mm paper, 42 on 58 mm.
    B,
}

impl PrinterFont {
    /// Cell width and height in dots at size 1×1.
    pub const fn cell(self) -> (u32, u32) {
        match self {
            PrinterFont::A => (12, 24),
            PrinterFont::B => (9, 17),
        }
    }
}

/// Highest character magnification `GS !` allows.
pub const MAX_MUL: u8 = 8;

/// How a native-text line is printed: font, emphasis, magnification, line pitch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LineStyle {
    pub font: PrinterFont,
    pub bold: bool,
    /// `GS !` width and height multipliers, 1..=8.
    pub width_mul: u8,
    pub height_mul: u8,
    /// White dots below the characters before the next line (added to the cell height to give
    /// the `ESC 3` line pitch).
    pub gap: u32,
}

impl LineStyle {
    pub const fn new(font: PrinterFont, bold: bool) -> Self {
        LineStyle { font, bold, width_mul: 1, height_mul: 1, gap: 4 }
    }

    pub const fn scaled(self, width_mul: u8, height_mul: u8) -> Self {
        LineStyle { width_mul, height_mul, ..self }
    }

    /// One character cell in dots, magnification included.
    pub fn cell(&self) -> (u32, u32) {
        let (w, h) = self.font.cell();
        (w * self.width_mul as u32, h * self.height_mul as u32)
    }

    /// Characters that fit in `width` dots.
    pub fn columns(&self, width: u32) -> usize {
        (width / self.cell().0.max(1)) as usize
    }
}

/// One line the printer prints from its own font.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextLine {
    /// NFC text with no control characters; each character (with its combining marks) is a cell.
    pub text: String,
    pub style: LineStyle,
    pub align: Align,
}

impl TextLine {
    pub fn new(text: &str, style: LineStyle, align: Align) -> Self {
        TextLine { text: text::nfc(text), style, align }
    }

    /// Dots from the top of this line to the top of the next: the `ESC 3` line spacing.
    pub fn pitch(&self) -> u32 {
        self.style.cell().1 + self.style.gap
    }

    /// Paper the line takes: a printer feeds at least the character height.
    pub fn height(&self) -> u32 {
        self.pitch().max(self.style.cell().1)
    }

    /// Printed width in dots.
    pub fn width(&self) -> u32 {
        codepage::cell_count(&self.text) as u32 * self.style.cell().0
    }

    /// Left edge on paper `paper` dots wide, by the printer's own justification formula.
    pub fn x(&self, paper: u32) -> u32 {
        let free = paper.saturating_sub(self.width());
        match self.align {
            Align::Left => 0,
            Align::Centre => free / 2,
            Align::Right => free,
        }
    }

    /// Draws the line with its top at `y`, as the virtual printer prints it.
    pub fn draw(&self, target: &mut Bitmap, y: i64) {
        let (w, h) = self.style.cell();
        let weight = if self.style.bold { Weight::Bold } else { Weight::Regular };
        let mut x = self.x(target.width()) as i64;
        for cell in codepage::cells(&self.text) {
            draw_cell(target, &cell, weight, x, y, w, h);
            x += w as i64;
        }
    }
}

/// Greedy word wrap to `columns` cells; a word longer than a line is broken between cells.
/// Returns at least one (possibly empty) line.
pub fn wrap_columns(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let text = text::nfc(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let need = codepage::cell_count(&current) + usize::from(!current.is_empty());
        if need + codepage::cell_count(word) <= columns {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for cell in codepage::cells(word) {
            if codepage::cell_count(&current) == columns {
                lines.push(std::mem::take(&mut current));
            }
            current.push_str(&cell);
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Share of the cell above the baseline; the rest takes descenders.
const BASELINE: f32 = 0.8;
/// Em size relative to the cell height for ordinary letters.
const EM: f32 = 0.85;

/// Draws one printed cell (a character and any combining marks after it) in a `cell_w` × `cell_h`
/// cell whose top-left corner is (x, top): the virtual printer's stand-in for a resident font.
/// Like the printer's own Vietnamese fonts, a glyph too wide or too tall for the cell (W, or a
/// capital with a stacked tone mark such as Ấ) is squeezed to fit, so nothing spills into the
/// next cell or line.
pub fn draw_cell(target: &mut Bitmap, cell: &str, weight: Weight, x: i64, top: i64, cell_w: u32, cell_h: u32) {
    let f = text::font(weight);
    let composed = text::nfc(cell);
    let mut chars = composed.chars();
    let Some(base) = chars.next() else { return };
    let marks: Vec<char> = chars.collect();
    let em = cell_h as f32 * EM;
    let id = f.glyph_id(base);
    let advance = f.as_scaled(PxScale::from(em)).h_advance(id);
    let sx = if advance > cell_w as f32 { em * cell_w as f32 / advance } else { em };
    // Whole-dot baseline and origin: a cell draws the same dots wherever it lands on the paper
    // (the raster fallback draws a line at the top of its own bitmap).
    let baseline = (top as f32 + (cell_h as f32 * BASELINE).round()).round();
    // Vertical squeeze: measure the ink (marks included) at the nominal size, then scale y so
    // it fits between the cell's top and bottom with the baseline kept in place.
    let (mut above, mut below) = (0.0f32, 0.0f32);
    for c in std::iter::once(base).chain(marks.iter().copied()) {
        let g = f.glyph_id(c).with_scale_and_position(PxScale { x: sx, y: em }, point(0.0, 0.0));
        if let Some(o) = f.outline_glyph(g) {
            let b = o.px_bounds();
            above = above.max(-b.min.y);
            below = below.max(b.max.y);
        }
    }
    let room_above = (cell_h as f32 * BASELINE).round();
    let room_below = cell_h as f32 - room_above;
    let fit = [1.0, room_above / above.max(f32::EPSILON), room_below / below.max(f32::EPSILON)].into_iter().fold(f32::INFINITY, f32::min);
    let scale = PxScale { x: sx, y: em * fit };
    let adv = f.as_scaled(scale).h_advance(id);
    let origin = x as f32 + ((cell_w as f32 - adv) / 2.0).round();
    let mut draw = |c: char, at: f32| {
        let g = f.glyph_id(c).with_scale_and_position(scale, point(at, baseline));
        if let Some(o) = f.outline_glyph(g) {
            let b = o.px_bounds();
            // A cell clips its glyph, as a printer's character generator does.
            let (xs, ys) = (x..x + cell_w as i64, top..top + cell_h as i64);
            o.draw(|gx, gy, coverage| {
                let (px, py) = (b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64);
                if coverage >= text::INK_THRESHOLD && xs.contains(&px) && ys.contains(&py) {
                    target.set(px, py, true);
                }
            });
        }
    };
    draw(base, origin);
    // Combining marks have no advance and sit to the left of their origin: placing their origin
    // at the end of the base letter puts them over it, as a printer overstrikes them.
    for m in marks {
        draw(m, origin + adv);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves wrapping counts printed cells (a decomposed letter is one cell), never exceeds the
    // columns, keeps every word, and breaks a word longer than a line.
    #[test]
    fn wrap_by_columns() {
        let text = "Thời gian chờ dự kiến: khoảng 21 phút";
        let lines = wrap_columns(text, 16);
        assert_eq!(lines, ["Thời gian chờ dự", "kiến: khoảng 21", "phút"]);
        assert_eq!(lines.join(" "), text);
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(text).collect();
        assert_eq!(wrap_columns(&nfd, 16), lines);
        assert_eq!(wrap_columns("ABCDEFGHIJ", 4), ["ABCD", "EFGH", "IJ"]);
        assert_eq!(wrap_columns("", 4), [""]);
    }

    // Proves the line geometry the encoder and the virtual printer share: width in cells,
    // centring by the printer's (paper - width) / 2, height at least the magnified cell.
    #[test]
    fn line_geometry() {
        let style = LineStyle::new(PrinterFont::A, true).scaled(2, 2);
        let line = TextLine::new("Hộ tịch", style, Align::Centre);
        assert_eq!(line.width(), 7 * 24);
        assert_eq!(line.x(576), (576 - 168) / 2);
        assert_eq!((line.pitch(), line.height()), (52, 52));
        let b = TextLine::new("x", LineStyle::new(PrinterFont::B, false), Align::Right);
        assert_eq!((b.width(), b.x(384), b.pitch()), (9, 375, 21));
    }

    // Proves capitals with stacked marks stay inside their 12 × 24 cell (nothing clipped into
    // the line above or the cell beside) and still print visibly, in both weights.
    #[test]
    fn stacked_capitals_fit_the_cell() {
        for weight in [Weight::Regular, Weight::Bold] {
            for c in ["Ấ", "Ễ", "Ộ", "Ữ", "Ặ", "W", "g", "ẫ"] {
                let mut bmp = Bitmap::new(36, 40);
                draw_cell(&mut bmp, c, weight, 12, 8, 12, 24);
                let ink: Vec<(u32, u32)> = (0..40).flat_map(|y| (0..36).map(move |x| (x, y))).filter(|&(x, y)| bmp.get(x, y)).collect();
                assert!(ink.len() > 12, "{c}: too faint");
                assert!(ink.iter().all(|&(x, y)| (12..24).contains(&x) && (8..32).contains(&y)), "{c} leaves its cell");
            }
        }
    }

    // Proves a letter and its decomposed form (base + combining marks, as Windows-1258 sends
    // it) print the same cell.
    #[test]
    fn decomposed_cell_draws_like_precomposed() {
        let mut a = Bitmap::new(12, 24);
        let mut b = Bitmap::new(12, 24);
        draw_cell(&mut a, "ệ", Weight::Regular, 0, 0, 12, 24);
        draw_cell(&mut b, "e\u{302}\u{323}", Weight::Regular, 0, 0, 12, 24);
        assert_eq!(a, b);
    }
}

//! The printable form of any slip: a stack of blocks down the paper.
//!
//! Layouts (ticket, checklist) produce a [`Document`]; the encoder turns it into bytes and
//! [`Document::render`] into the exact paper image those bytes must print. Keeping the scale and
//! the QR payload as structure (rather than flattening to one bitmap) is what lets the encoder send
//! the big number at half resolution with `GS v 0` m=3 and the QR as a native `GS ( k` symbol.

use crate::bitmap::Bitmap;
use crate::font::{self, LineStyle, TextLine};
use crate::qr::{self, QrEcc, QrError};
use crate::text::{self, Align, TextStyle};

/// Paper roll width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    /// 80 mm roll, 72 mm printable: 576 dots at 203 dpi.
    Mm80,
    /// 58 mm roll: 384 dots at 203 dpi.
    Mm58,
}

impl Paper {
    pub fn width_dots(self) -> u32 {
        match self {
            Paper::Mm80 => 576,
            Paper::Mm58 => 384,
        }
    }
}

/// One horizontal slice of the slip.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Raster rows spanning the paper: `bitmap.width() * scale` equals the paper width, and each
    /// source dot prints as a `scale`×`scale` square (scale 1 or 2).
    Raster { bitmap: Bitmap, scale: u32 },
    /// A QR symbol centred on the paper. `bitmap` is its rendering (no quiet zone) at `module`
    /// dots per module, used when the printer cannot draw QR codes itself.
    Qr { payload: String, module: u32, ecc: QrEcc, bitmap: Bitmap },
    /// One line printed from the printer's own font (native text); the encoder sends it as
    /// code-page bytes, or as raster drawn the same way when the code page cannot print it.
    Text(TextLine),
    /// Blank paper, in dots.
    Space(u32),
}

impl Block {
    /// Height on paper, in dots.
    pub fn height(&self) -> u32 {
        match self {
            Block::Raster { bitmap, scale } => bitmap.height() * scale,
            Block::Qr { bitmap, .. } => bitmap.height(),
            Block::Text(line) => line.height(),
            Block::Space(h) => *h,
        }
    }
}

/// A whole slip, top to bottom, for one paper width.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub width: u32,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(width: u32) -> Self {
        Document { width, blocks: Vec::new() }
    }

    /// Total paper length in dots.
    pub fn height(&self) -> u32 {
        self.blocks.iter().map(Block::height).sum()
    }

    /// Appends full-resolution raster rows (must be `width` wide).
    pub fn push_raster(&mut self, bitmap: Bitmap) {
        debug_assert_eq!(bitmap.width(), self.width);
        self.blocks.push(Block::Raster { bitmap, scale: 1 });
    }

    /// Appends blank paper, merging with a preceding space.
    pub fn push_space(&mut self, dots: u32) {
        if let Some(Block::Space(h)) = self.blocks.last_mut() {
            *h += dots;
        } else if dots > 0 {
            self.blocks.push(Block::Space(dots));
        }
    }

    /// Left edge, in dots, of a centred object `w` dots wide. The virtual printer centres with the
    /// same integer formula, which keeps encoder round trips pixel-exact.
    pub fn centre_x(paper: u32, w: u32) -> u32 {
        paper.saturating_sub(w) / 2
    }

    /// The paper as the printer must print it.
    pub fn render(&self) -> Bitmap {
        let mut out = Bitmap::new(self.width, self.height());
        let mut y = 0i64;
        for block in &self.blocks {
            match block {
                Block::Raster { bitmap, scale: 1 } => out.blit(bitmap, 0, y),
                Block::Raster { bitmap, scale } => out.blit_scaled(bitmap, 0, y, *scale, *scale),
                Block::Qr { bitmap, .. } => out.blit(bitmap, Self::centre_x(self.width, bitmap.width()) as i64, y),
                Block::Text(line) => line.draw(&mut out, y),
                Block::Space(_) => {}
            }
            y += block.height() as i64;
        }
        out
    }
}

/// Builds a [`Document`] top to bottom: wrapped text lines, spaces, QR symbols.
pub struct Flow {
    doc: Document,
    /// White margin kept on each side of wrapped text, in dots.
    margin: u32,
}

impl Flow {
    pub fn new(paper: Paper, margin: u32) -> Self {
        Flow { doc: Document::new(paper.width_dots()), margin }
    }

    pub fn width(&self) -> u32 {
        self.doc.width
    }

    /// Width available to text between the margins.
    pub fn text_width(&self) -> u32 {
        self.doc.width.saturating_sub(2 * self.margin)
    }

    pub fn space(&mut self, dots: u32) {
        self.doc.push_space(dots);
    }

    /// Word-wraps `text` to the margins and appends one line box per line.
    pub fn text(&mut self, text: &str, style: TextStyle, align: Align) {
        let lines = text::wrap(text, style, self.text_width() as f32);
        self.lines(&lines, style, align, self.margin, self.margin);
    }

    /// Word-wraps `text` to the columns of `style` between the margins and appends one native
    /// text line per line.
    pub fn printer_text(&mut self, text: &str, style: LineStyle, align: Align) {
        for line in font::wrap_columns(text, style.columns(self.text_width())) {
            self.doc.blocks.push(Block::Text(TextLine::new(&line, style, align)));
        }
    }

    /// Appends a full-width raster drawn by the caller.
    pub fn push_raster(&mut self, bitmap: Bitmap) {
        self.doc.push_raster(bitmap);
    }

    /// Appends already-wrapped lines between explicit left/right insets.
    pub fn lines(&mut self, lines: &[String], style: TextStyle, align: Align, left: u32, right: u32) {
        let bmp = text::render_lines(lines, style, self.doc.width, align, left, right);
        self.doc.push_raster(bmp);
    }

    /// One centred line drawn at half resolution and printed double size (`GS v 0` m=3): a quarter
    /// of the bytes for big glyphs, whose 2-dot steps are invisible at that size. The size shrinks
    /// to fit the width, and blank rows above and below the ink are dropped so spacing is explicit.
    pub fn big_line(&mut self, text: &str, style: TextStyle) {
        let half_w = self.doc.width / 2;
        let mut half = TextStyle { size: style.size / 2.0, ..style };
        let avail = (self.text_width() / 2) as f32;
        let w = text::measure(text, half);
        if w > avail {
            half.size *= avail / w;
        }
        let bmp = text::render_lines(&[text.to_string()], half, half_w, Align::Centre, 0, 0);
        let first = (0..bmp.height()).find(|&y| !bmp.row_is_blank(y));
        let last = (0..bmp.height()).rev().find(|&y| !bmp.row_is_blank(y));
        if let (Some(a), Some(b)) = (first, last) {
            self.doc.blocks.push(Block::Raster { bitmap: bmp.rows(a, b + 1), scale: 2 });
        }
    }

    /// A centred QR symbol of `payload`.
    pub fn qr(&mut self, payload: &str, module: u32, ecc: QrEcc) -> Result<(), QrError> {
        let bitmap = qr::render(payload.as_bytes(), module, ecc)?;
        self.doc.blocks.push(Block::Qr { payload: payload.to_string(), module, ecc, bitmap });
        Ok(())
    }

    pub fn finish(self) -> Document {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves rendering stacks blocks in order and doubles scale-2 rasters in both directions.
    #[test]
    fn render_stacks_and_scales() {
        let mut doc = Document::new(16);
        doc.push_space(2);
        doc.push_space(1);
        let mut half = Bitmap::new(8, 1);
        half.set(1, 0, true);
        doc.blocks.push(Block::Raster { bitmap: half, scale: 2 });
        assert_eq!(doc.blocks.len(), 2, "adjacent spaces merge");
        let img = doc.render();
        assert_eq!(img.height(), 5);
        let black: Vec<(u32, u32)> = (0..5).flat_map(|y| (0..16).map(move |x| (x, y))).filter(|&(x, y)| img.get(x, y)).collect();
        assert_eq!(black, vec![(2, 3), (3, 3), (2, 4), (3, 4)]);
    }
}

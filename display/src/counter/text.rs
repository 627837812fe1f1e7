//! Vietnamese text drawn with the bundled Noto Sans through `ab_glyph`, onto any
//! `DrawTarget`. The bitmap fonts of embedded-graphics have no Vietnamese letters, and the
//! stacked tone marks (ầ, ố) need a real outline font.
//!
//! Text is NFC-normalised first: NFD input ("a" + U+0302 + U+0300) would otherwise be drawn as
//! a base letter and two loose marks, since this layout does no mark positioning.
use super::ScreenColor;
use ab_glyph::{point, Font, FontRef, OutlinedGlyph, PxScale, ScaleFont};
use embedded_graphics::prelude::*;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");
static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

fn font(w: Weight) -> &'static FontRef<'static> {
    static BOLD: OnceLock<FontRef<'static>> = OnceLock::new();
    static REGULAR: OnceLock<FontRef<'static>> = OnceLock::new();
    // The fonts are part of the binary: failing to parse them is a build defect, not a runtime error.
    match w {
        Weight::Bold => BOLD.get_or_init(|| FontRef::try_from_slice(BOLD_TTF).expect("bundled bold font parses")),
        Weight::Regular => REGULAR.get_or_init(|| FontRef::try_from_slice(REGULAR_TTF).expect("bundled font parses")),
    }
}

/// A line laid out at one size: glyph outlines relative to the line's top-left corner.
pub struct Line {
    glyphs: Vec<OutlinedGlyph>,
    pub width: f32,
    pub height: f32,
}

/// Lays `text` out at `px` pixels (the font's em size).
pub fn layout(text: &str, w: Weight, px: f32) -> Line {
    let f = font(w);
    let scaled = f.as_scaled(PxScale::from(px));
    let mut x = 0.0;
    let mut prev = None;
    let mut glyphs = Vec::new();
    for ch in text.nfc() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        let g = id.with_scale_and_position(px, point(x, scaled.ascent()));
        x += scaled.h_advance(id);
        prev = Some(id);
        if let Some(o) = f.outline_glyph(g) {
            glyphs.push(o);
        }
    }
    Line { glyphs, width: x, height: scaled.ascent() - scaled.descent() }
}

/// The largest line of `text` that fits `max` (width, height), laid out.
pub fn fit(text: &str, w: Weight, max: Size) -> Line {
    let probe = layout(text, w, 100.0);
    let by_height = 100.0 * max.height as f32 / probe.height;
    let by_width = if probe.width > 0.0 { 100.0 * max.width as f32 / probe.width } else { by_height };
    layout(text, w, by_height.min(by_width).max(1.0))
}

/// Draws `line` centred in the rectangle (`top_left`, `size`), clipped to the target.
pub fn draw_centred<D, C>(target: &mut D, line: &Line, top_left: Point, size: Size, bg: C, fg: C) -> Result<(), D::Error>
where
    D: DrawTarget<Color = C>,
    C: ScreenColor,
{
    let ox = top_left.x as f32 + (size.width as f32 - line.width) / 2.0;
    let oy = top_left.y as f32 + (size.height as f32 - line.height) / 2.0;
    let area = target.bounding_box();
    let mut pixels = Vec::new();
    for g in &line.glyphs {
        let b = g.px_bounds();
        let (bx, by) = ((ox + b.min.x).round() as i32, (oy + b.min.y).round() as i32);
        g.draw(|x, y, coverage| {
            let p = Point::new(bx + x as i32, by + y as i32);
            // Pixels with no ink are left alone, so the background drawn before stays.
            if coverage > 0.02 && area.contains(p) {
                pixels.push(Pixel(p, C::mix(bg, fg, coverage.min(1.0))));
            }
        });
    }
    target.draw_iter(pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_nfc_lay_out_alike() {
        // Proves decomposed input is composed before drawing, so "Quầy" keeps its stacked marks.
        let nfc = layout("Quầy", Weight::Bold, 40.0);
        let nfd = layout("Qua\u{302}\u{300}y", Weight::Bold, 40.0);
        assert_eq!(nfc.glyphs.len(), 4);
        assert_eq!(nfd.glyphs.len(), 4);
        assert!((nfc.width - nfd.width).abs() < 0.01);
    }

    #[test]
    fn fit_respects_both_limits() {
        // Proves a long number shrinks to the width and a short one to the height.
        let long = fit("A1023", Weight::Bold, Size::new(100, 200));
        assert!(long.width <= 100.5 && long.height <= 200.5);
        let short = fit("1", Weight::Bold, Size::new(400, 50));
        assert!(short.height <= 50.5 && short.height > 49.0);
    }
}

//! The counter screen: the number being served at one counter, its name ("Quầy 3") and an
//! offline mark while the authority is unreachable. The renderer is generic over any
//! `DrawTarget` whose colour is a [`ScreenColor`] (monochrome LCDs and OLEDs use
//! `BinaryColor`, framebuffers and TFTs `Rgb565`); devices ([`devices`], [`rs485`]) take a
//! [`CounterView`] and turn it into pixels or bytes.
pub mod devices;
pub mod rs485;
pub mod text;

use crate::model::Model;
use embedded_graphics::pixelcolor::{BinaryColor, Rgb565};
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Line as Segment, PrimitiveStyle, Rectangle};
use text::Weight;

/// What one counter screen shows: devices redraw only when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterView {
    /// "Quầy 3".
    pub title: String,
    /// The ticket being served; `None` shows a dash.
    pub number: Option<String>,
    pub online: bool,
    /// The answer to a keypad press ("Không còn ai chờ"), shown in the title band for a while.
    pub notice: Option<String>,
}

impl CounterView {
    /// The view of counter `id` in `model`; an unknown counter shows its id and a dash.
    pub fn of(model: &Model, id: &str) -> CounterView {
        let c = model.counters.get(id);
        CounterView {
            title: c.map(|c| c.name.clone()).unwrap_or_else(|| format!("Quầy {id}")),
            number: c.and_then(|c| c.current.clone()),
            online: model.online,
            notice: model.notices.get(id).cloned(),
        }
    }
}

/// The colours a screen needs, and how to blend anti-aliased text edges.
pub trait ScreenColor: PixelColor {
    const BACKGROUND: Self;
    const NUMBER: Self;
    const TITLE: Self;
    const WARNING: Self;
    /// `bg` covered by `fg` over fraction `coverage` (0–1) of the pixel.
    fn mix(bg: Self, fg: Self, coverage: f32) -> Self;
}

impl ScreenColor for BinaryColor {
    const BACKGROUND: Self = BinaryColor::Off;
    const NUMBER: Self = BinaryColor::On;
    const TITLE: Self = BinaryColor::On;
    const WARNING: Self = BinaryColor::On;
    fn mix(bg: Self, fg: Self, coverage: f32) -> Self {
        // No grey on a monochrome panel: half covered or more is ink.
        if coverage >= 0.5 {
            fg
        } else {
            bg
        }
    }
}

impl ScreenColor for Rgb565 {
    const BACKGROUND: Self = Rgb565::new(0, 4, 6);
    const NUMBER: Self = Rgb565::new(31, 63, 31);
    const TITLE: Self = Rgb565::new(31, 50, 0);
    const WARNING: Self = Rgb565::new(31, 8, 4);
    fn mix(bg: Self, fg: Self, coverage: f32) -> Self {
        let m = |b: u8, f: u8| (b as f32 + (f as f32 - b as f32) * coverage).round() as u8;
        Rgb565::new(m(bg.r(), fg.r()), m(bg.g(), fg.g()), m(bg.b(), fg.b()))
    }
}

/// The side of the offline mark: a crossed square in the top-right corner.
pub fn offline_mark_area(size: Size) -> Rectangle {
    let side = (size.height / 8).clamp(7, 48);
    let margin = (side / 4).max(1);
    Rectangle::new(Point::new((size.width - side - margin) as i32, margin as i32), Size::new(side, side))
}

/// Draws the offline mark: a primitive, not text, so it reads on the smallest panel.
pub fn draw_offline_mark<D, C>(target: &mut D, size: Size) -> Result<(), D::Error>
where
    D: DrawTarget<Color = C>,
    C: ScreenColor,
{
    let r = offline_mark_area(size);
    let stroke = PrimitiveStyle::with_stroke(C::WARNING, 1);
    r.into_styled(stroke).draw(target)?;
    let br = r.bottom_right().expect("the mark is never empty");
    Segment::new(r.top_left, br).into_styled(stroke).draw(target)?;
    Segment::new(Point::new(br.x, r.top_left.y), Point::new(r.top_left.x, br.y)).into_styled(stroke).draw(target)
}

/// Renders the whole screen onto `target` (its full bounding box).
pub fn render<D, C>(target: &mut D, view: &CounterView) -> Result<(), D::Error>
where
    D: DrawTarget<Color = C>,
    C: ScreenColor,
{
    let size = target.bounding_box().size;
    target.clear(C::BACKGROUND)?;
    // Title band: a quarter of the height; the number takes the rest, with a margin so that
    // it never touches the panel's edge (bezels cover a few pixels).
    let band = size.height / 4;
    let margin = (size.width / 20).max(1);
    let title_box = Size::new(size.width.saturating_sub(4 * margin), band.saturating_sub(margin));
    // A keypad's answer takes the title's place: the officer looks at this screen after a press.
    let (line, colour) = match &view.notice {
        Some(n) => (n.as_str(), C::WARNING),
        None => (view.title.as_str(), C::TITLE),
    };
    let title = text::fit(line, Weight::Regular, title_box);
    text::draw_centred(target, &title, Point::new(2 * margin as i32, margin as i32 / 2), title_box, C::BACKGROUND, colour)?;
    let number_box = Size::new(size.width.saturating_sub(2 * margin), size.height.saturating_sub(band + margin));
    let shown = view.number.as_deref().unwrap_or("—");
    let number = text::fit(shown, Weight::Bold, number_box);
    text::draw_centred(target, &number, Point::new(margin as i32, band as i32), number_box, C::BACKGROUND, C::NUMBER)?;
    if !view.online {
        draw_offline_mark(target, size)?;
    }
    Ok(())
}

/// An in-memory RGB565 frame: what the PNG simulator and the framebuffer draw into.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub size: Size,
    pub pixels: Vec<Rgb565>,
}

impl Frame {
    pub fn new(width: u32, height: u32) -> Frame {
        Frame { size: Size::new(width, height), pixels: vec![Rgb565::BACKGROUND; (width * height) as usize] }
    }

    pub fn get(&self, x: u32, y: u32) -> Rgb565 {
        self.pixels[(y * self.size.width + x) as usize]
    }
}

impl OriginDimensions for Frame {
    fn size(&self) -> Size {
        self.size
    }
}

impl DrawTarget for Frame {
    type Color = Rgb565;
    type Error = core::convert::Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb565>>>(&mut self, pixels: I) -> Result<(), Self::Error> {
        for Pixel(p, c) in pixels {
            if p.x >= 0 && p.y >= 0 && (p.x as u32) < self.size.width && (p.y as u32) < self.size.height {
                self.pixels[(p.y as u32 * self.size.width + p.x as u32) as usize] = c;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_graphics::mock_display::MockDisplay;

    fn view(online: bool) -> CounterView {
        CounterView { title: "Quầy 3".into(), number: Some("A012".into()), online, notice: None }
    }

    #[test]
    fn the_offline_mark_is_a_crossed_square() {
        // Proves the mark's exact shape and place on a 64x64 panel (side 8, margin 2).
        let mut d: MockDisplay<BinaryColor> = MockDisplay::new();
        // The square's corners are also the diagonals' ends.
        d.set_allow_overdraw(true);
        draw_offline_mark(&mut d, Size::new(64, 64)).unwrap();
        let mut rows = vec![String::new(); 10];
        for (y, row) in rows.iter_mut().enumerate() {
            for x in 52..64 {
                row.push(match d.get_pixel(Point::new(x, y as i32)) {
                    Some(BinaryColor::On) => '#',
                    _ => '.',
                });
            }
        }
        let expected = [
            "............",
            "............",
            "..########..",
            "..##....##..",
            "..#.#..#.#..",
            "..#..##..#..",
            "..#..##..#..",
            "..#.#..#.#..",
            "..##....##..",
            "..########..",
        ];
        assert_eq!(rows, expected);
    }

    #[test]
    fn offline_changes_only_the_mark() {
        // Proves going offline keeps the number readable: no pixel outside the mark changes.
        let mut on: MockDisplay<BinaryColor> = MockDisplay::new();
        on.set_allow_overdraw(true);
        render(&mut on, &view(true)).unwrap();
        let mut off: MockDisplay<BinaryColor> = MockDisplay::new();
        off.set_allow_overdraw(true);
        render(&mut off, &view(false)).unwrap();
        let mark = offline_mark_area(Size::new(64, 64));
        let mut inside = 0;
        for p in Rectangle::new(Point::zero(), Size::new(64, 64)).points() {
            if mark.contains(p) {
                inside += (on.get_pixel(p) != off.get_pixel(p)) as u32;
            } else {
                assert_eq!(on.get_pixel(p), off.get_pixel(p), "pixel {p:?} changed");
            }
        }
        assert!(inside > 10);
    }

    #[test]
    fn a_keypad_notice_replaces_the_title_and_leaves_the_number() {
        // Proves the answer to a press shows in the title band only: the number's area below
        // the band is the same pixel for pixel.
        let mut plain: MockDisplay<BinaryColor> = MockDisplay::new();
        plain.set_allow_overdraw(true);
        render(&mut plain, &view(true)).unwrap();
        let mut noticed: MockDisplay<BinaryColor> = MockDisplay::new();
        noticed.set_allow_overdraw(true);
        render(&mut noticed, &CounterView { notice: Some("Không còn ai chờ".into()), ..view(true) }).unwrap();
        let band = 64 / 4;
        let mut title_changes = 0;
        for p in Rectangle::new(Point::zero(), Size::new(64, 64)).points() {
            if p.y < band {
                title_changes += (plain.get_pixel(p) != noticed.get_pixel(p)) as u32;
            } else {
                assert_eq!(plain.get_pixel(p), noticed.get_pixel(p), "pixel {p:?} of the number changed");
            }
        }
        assert!(title_changes > 5, "{title_changes}");
    }

    #[test]
    fn the_number_fills_the_lower_area_with_ink() {
        // Proves the number is drawn big (ink across most of the width below the title band)
        // and that a different number gives a different picture.
        let mut a: MockDisplay<BinaryColor> = MockDisplay::new();
        a.set_allow_overdraw(true);
        render(&mut a, &view(true)).unwrap();
        let ink_cols = (0..64).filter(|&x| (16..64).any(|y| a.get_pixel(Point::new(x, y)) == Some(BinaryColor::On))).count();
        assert!(ink_cols > 40, "{ink_cols} columns with ink");
        let mut b: MockDisplay<BinaryColor> = MockDisplay::new();
        b.set_allow_overdraw(true);
        render(&mut b, &CounterView { number: Some("B999".into()), ..view(true) }).unwrap();
        assert_ne!(a, b);
    }
}

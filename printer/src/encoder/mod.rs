//! Document → ESC/POS bytes, sending as few bytes as the printer profile allows.
//!
//! At 115,200 baud a full-width raster ticket takes seconds on the wire while the head needs
//! under half a second, so the encoder: feeds over blank rows (`ESC J`) instead of sending them;
//! cuts rasters into the cheapest bands (`bands`), each cropped to the byte columns holding ink
//! and placed back either by centring (`ESC a 1`, cropping the same number of bytes on both
//! sides) or by a left margin (`GS L`); sends rows that repeat in pairs once with `GS v 0` m=2 and
//! big half-resolution blocks with m=3; lets a QR-capable printer draw the QR itself; and, with a
//! code page in the profile, sends native text lines as text (`codepage`), falling back to raster
//! for a line holding a character the code page lacks.
//!
//! - `mod.rs`: [`Profile`], [`encode`], the printer state the stream sets up as it goes.
//! - `bands.rs`: the cheapest cut of a raster into bands.

mod bands;

use thiserror::Error;

use crate::bitmap::Bitmap;
use crate::codepage::CodePage;
use crate::document::{Block, Document};
use crate::escpos::{self, RasterMode};
use crate::font::{TextLine, MAX_MUL};
use crate::text::Align;
use crate::ticket::{LayoutError, TicketLayout};
use bands::Segment;

/// How a cropped band is put back at its place across the paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// `ESC a 1` and symmetric cropping: honoured by practically every ESC/POS printer.
    Centre,
    /// `GS L` left margin and tight cropping: fewer bytes for left-aligned slips, but needs a
    /// printer whose horizontal motion unit is one dot.
    LeftMargin,
}

/// What the target printer can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Printable width in dots (576 for 80 mm, 384 for 58 mm); a multiple of 16.
    pub width_dots: u32,
    /// Draws QR codes itself with `GS ( k` (Epson TM-T20 and later, most recent clones).
    pub supports_qr: bool,
    /// Rows per `GS v 0` band: small printers have small input buffers.
    pub max_band_rows: u16,
    /// Honours `GS v 0` m=2 and m=3 (double height, double both ways); else big blocks are
    /// upscaled in software and repeated rows are sent as they are.
    pub double_size_raster: bool,
    pub placement: Placement,
    /// Native text: the code page text lines are sent in. `None` (the default): every line is
    /// raster, drawn with the bundled font, which prints correctly on any printer.
    pub text: Option<CodePage>,
}

impl Profile {
    /// Safe for any ESC/POS printer of that width: raster QR, raster text, centring, 128-row
    /// bands.
    pub fn generic(width_dots: u32) -> Self {
        Profile { width_dots, supports_qr: false, max_band_rows: 128, double_size_raster: true, placement: Placement::Centre, text: None }
    }

    /// An Epson TM-T20-class printer: native QR as well.
    pub fn epson(width_dots: u32) -> Self {
        Profile { supports_qr: true, ..Self::generic(width_dots) }
    }
}

/// The document cannot be encoded for this profile.
#[derive(Debug, Error)]
pub enum EncodeError {
    #[error("document is {doc} dots wide but the printer profile is {profile} dots wide")]
    WidthMismatch { doc: u32, profile: u32 },
    #[error("profile width {0} dots is not a multiple of 16 (whole bytes at double size)")]
    OddWidth(u32),
    #[error("raster block scale {0} is not supported (1 or 2)")]
    Scale(u32),
    #[error("profile max_band_rows must be at least 1")]
    BandRows,
    #[error("a raster of {rows} rows exceeds the 65535 rows one GS v 0 can carry")]
    TooTall { rows: u32 },
    #[error("QR payload of {len} bytes exceeds what one GS ( k store command carries")]
    QrPayload { len: usize },
    #[error("text line {text:?} is {width} dots wide but only {available} dots are printable")]
    TextTooWide { text: String, width: u32, available: u32 },
    #[error("text line {text:?}: {why}")]
    TextStyle { text: String, why: &'static str },
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

/// A native text line that went as raster, and the character that sent it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fallback {
    pub text: String,
    pub missing: char,
}

/// The bytes, and what the encoder had to do instead of what the profile asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    /// Native text lines sent as raster because the code page lacks one of their characters
    /// (always every text line when the profile has no code page, which is not listed here).
    pub fallbacks: Vec<Fallback>,
}

/// Modes the stream has set on the printer; `None` where the printer's value is not known.
/// `ESC @` sets them all to their defaults.
struct State {
    justify: u8,
    margin: u16,
    print_mode: Option<u8>,
    size: Option<(u8, u8)>,
    spacing: Option<u8>,
    table: Option<u8>,
}

struct Encoder<'p> {
    profile: &'p Profile,
    out: Vec<u8>,
    pending_feed: u32,
    state: State,
    fallbacks: Vec<Fallback>,
}

impl Encoder<'_> {
    fn flush_feed(&mut self) {
        escpos::push_feed(&mut self.out, self.pending_feed);
        self.pending_feed = 0;
    }

    fn set_margin(&mut self, dots: u16) {
        if self.state.margin != dots {
            self.out.extend_from_slice(&escpos::left_margin(dots));
            self.state.margin = dots;
        }
    }

    /// Justification; like the margin it only takes effect at the start of a line, which is
    /// where every caller is (after a feed or a band).
    fn set_justify(&mut self, n: u8) {
        if self.state.justify != n {
            self.out.extend_from_slice(&escpos::justify(n));
            self.state.justify = n;
        }
    }

    /// Rasters and QR symbols are placed by centring or by the margin, as the profile says.
    fn place_graphics(&mut self) {
        match self.profile.placement {
            Placement::Centre => self.set_justify(1),
            Placement::LeftMargin => self.set_justify(0),
        }
    }

    fn raster(&mut self, bmp: &Bitmap, scale: u32) -> Result<(), EncodeError> {
        let tall_ok = scale == 1 && self.profile.double_size_raster;
        let plan = bands::plan(bmp, self.profile.placement, self.profile.max_band_rows, tall_ok);
        for segment in plan {
            match segment {
                Segment::Blank { rows } => self.pending_feed += rows * scale,
                Segment::Band { y0, y1, a, b, tall } => {
                    self.flush_feed();
                    self.place_graphics();
                    if self.profile.placement == Placement::LeftMargin {
                        self.set_margin((a as u32 * 8 * scale) as u16);
                    }
                    let (step, mode) = match (scale, tall) {
                        (2, _) => (1, RasterMode::Quadruple),
                        (_, true) => (2, RasterMode::DoubleHeight),
                        _ => (1, RasterMode::Normal),
                    };
                    let data_rows = (y1 - y0) / step;
                    let rows = u16::try_from(data_rows).map_err(|_| EncodeError::TooTall { rows: data_rows })?;
                    self.out.extend_from_slice(&escpos::raster_header((b - a) as u16, rows, mode));
                    for y in (y0..y1).step_by(step as usize) {
                        self.out.extend_from_slice(&bmp.row(y)[a..b]);
                    }
                }
            }
        }
        Ok(())
    }

    /// One native text line: as code-page bytes when the profile has a code page that holds all
    /// its characters, else as the raster of exactly what the printer would have printed.
    fn text_line(&mut self, line: &TextLine, width: u32) -> Result<(), EncodeError> {
        let style = &line.style;
        let bad = |why| EncodeError::TextStyle { text: line.text.clone(), why };
        if !(1..=MAX_MUL).contains(&style.width_mul) || !(1..=MAX_MUL).contains(&style.height_mul) {
            return Err(bad("magnification must be 1 to 8"));
        }
        if line.text.chars().any(char::is_control) {
            return Err(bad("control characters cannot be printed"));
        }
        let pitch = u8::try_from(line.pitch()).map_err(|_| bad("line pitch exceeds 255 dots"))?;
        if line.width() > width {
            return Err(EncodeError::TextTooWide { text: line.text.clone(), width: line.width(), available: width });
        }
        let coded = match self.profile.text {
            None => None,
            Some(cp) => match cp.encode(&line.text) {
                Ok(coded) => Some(coded),
                Err(missing) => {
                    self.fallbacks.push(Fallback { text: line.text.clone(), missing });
                    None
                }
            },
        };
        let Some(coded) = coded else {
            let mut bmp = Bitmap::new(width, line.height());
            line.draw(&mut bmp, 0);
            return self.raster(&bmp, 1);
        };
        self.flush_feed();
        self.set_margin(0);
        self.set_justify(match line.align {
            Align::Left => 0,
            Align::Centre => 1,
            Align::Right => 2,
        });
        if self.state.spacing != Some(pitch) {
            self.out.extend_from_slice(&escpos::line_spacing(pitch));
            self.state.spacing = Some(pitch);
        }
        let mode = escpos::print_mode(style.font == crate::font::PrinterFont::B, style.bold);
        if self.state.print_mode != Some(mode[2]) {
            self.out.extend_from_slice(&mode);
            self.state.print_mode = Some(mode[2]);
            // ESC ! also sets the size (bits 4-5, clear here).
            self.state.size = Some((1, 1));
        }
        let size = (style.width_mul, style.height_mul);
        if self.state.size != Some(size) {
            self.out.extend_from_slice(&escpos::char_size(size.0, size.1));
            self.state.size = Some(size);
        }
        crate::codepage::push_coded(&mut self.out, &mut self.state.table, &coded);
        self.out.push(escpos::LF);
        Ok(())
    }
}

/// Encodes `doc` for `profile`: init, bands, feeds, text, QR, partial cut.
pub fn encode(doc: &Document, profile: &Profile) -> Result<Vec<u8>, EncodeError> {
    encode_detailed(doc, profile).map(|e| e.bytes)
}

/// [`encode`], also reporting the native text lines that had to go as raster.
pub fn encode_detailed(doc: &Document, profile: &Profile) -> Result<Encoded, EncodeError> {
    if doc.width != profile.width_dots {
        return Err(EncodeError::WidthMismatch { doc: doc.width, profile: profile.width_dots });
    }
    if !profile.width_dots.is_multiple_of(16) {
        return Err(EncodeError::OddWidth(profile.width_dots));
    }
    if profile.max_band_rows == 0 {
        return Err(EncodeError::BandRows);
    }
    let mut e = Encoder {
        profile,
        out: Vec::with_capacity(16 * 1024),
        pending_feed: 0,
        state: State { justify: 0, margin: 0, print_mode: Some(0), size: Some((1, 1)), spacing: None, table: None },
        fallbacks: Vec::new(),
    };
    e.out.extend_from_slice(&escpos::INIT);
    if profile.placement == Placement::Centre {
        e.set_justify(1);
    }
    for block in &doc.blocks {
        match block {
            Block::Space(h) => e.pending_feed += h,
            Block::Raster { bitmap, scale: 1 } => e.raster(bitmap, 1)?,
            Block::Raster { bitmap, scale: 2 } if profile.double_size_raster => e.raster(bitmap, 2)?,
            Block::Raster { bitmap, scale: 2 } => {
                let mut full = Bitmap::new(bitmap.width() * 2, bitmap.height() * 2);
                full.blit_scaled(bitmap, 0, 0, 2, 2);
                e.raster(&full, 1)?;
            }
            Block::Raster { scale, .. } => return Err(EncodeError::Scale(*scale)),
            Block::Text(line) => e.text_line(line, doc.width)?,
            Block::Qr { payload, module, ecc, bitmap } if profile.supports_qr => {
                // Store command: pL pH count 3 bytes (cn, fn, m) plus the data.
                if payload.len() + 3 > u16::MAX as usize {
                    return Err(EncodeError::QrPayload { len: payload.len() });
                }
                e.flush_feed();
                e.place_graphics();
                if profile.placement == Placement::LeftMargin {
                    e.set_margin(Document::centre_x(doc.width, bitmap.width()) as u16);
                }
                escpos::push_qr(&mut e.out, payload.as_bytes(), *module as u8, ecc.escpos_byte());
            }
            Block::Qr { bitmap, .. } => {
                let mut canvas = Bitmap::new(doc.width, bitmap.height());
                canvas.blit(bitmap, Document::centre_x(doc.width, bitmap.width()) as i64, 0);
                e.raster(&canvas, 1)?;
            }
        }
    }
    e.flush_feed();
    e.set_margin(0);
    e.out.extend_from_slice(&escpos::cut_partial(0));
    Ok(Encoded { bytes: e.out, fallbacks: e.fallbacks })
}

/// The naive encoding for comparison: the whole slip as one full-width `GS v 0`, then the cut.
pub fn naive_raster(doc: &Document) -> Result<Vec<u8>, EncodeError> {
    let img = doc.render();
    let rows = u16::try_from(img.height()).map_err(|_| EncodeError::TooTall { rows: img.height() })?;
    let mut out = Vec::with_capacity(img.data().len() + 16);
    out.extend_from_slice(&escpos::INIT);
    out.extend_from_slice(&escpos::raster_header(img.stride() as u16, rows, RasterMode::Normal));
    out.extend_from_slice(img.data());
    out.extend_from_slice(&escpos::cut_partial(0));
    Ok(out)
}

/// Lays out and encodes a ticket in one call, in the profile's text mode.
pub fn encode_ticket(ticket: &TicketLayout, profile: &Profile) -> Result<Vec<u8>, EncodeError> {
    encode(&ticket.document_for(profile)?, profile)
}

#[cfg(test)]
mod tests;

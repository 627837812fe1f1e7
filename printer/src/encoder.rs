//! Document → ESC/POS bytes, sending as few bytes as the printer profile allows.
//!
//! At 115,200 baud a full-width raster ticket takes seconds on the wire while the head needs
//! under half a second, so the encoder: feeds over blank rows (`ESC J`) instead of sending them;
//! crops each band to the byte columns holding ink, placed back either by centring (`ESC a 1`,
//! cropping the same number of bytes on both sides) or by a left margin (`GS L`); sends big
//! half-resolution blocks with `GS v 0` m=3; and lets a QR-capable printer draw the QR itself.

use thiserror::Error;

use crate::bitmap::Bitmap;
use crate::document::{Block, Document};
use crate::escpos;
use crate::ticket::{LayoutError, TicketLayout};

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
    /// Honours `GS v 0` m=3 (double width and height); else big blocks are upscaled in software.
    pub double_size_raster: bool,
    pub placement: Placement,
}

impl Profile {
    /// Safe for any ESC/POS printer of that width: raster QR, centring, 128-row bands.
    pub fn generic(width_dots: u32) -> Self {
        Profile {
            width_dots,
            supports_qr: false,
            max_band_rows: 128,
            double_size_raster: true,
            placement: Placement::Centre,
        }
    }

    /// An Epson TM-T20-class printer: native QR as well.
    pub fn epson(width_dots: u32) -> Self {
        Profile {
            supports_qr: true,
            ..Self::generic(width_dots)
        }
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
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

/// Cost of a `GS v 0` header and of an `ESC J`, used to decide where blank rows are cheaper
/// sent as data than as a feed between two bands.
const BAND_HEADER: usize = 8;
const FEED_CMD: usize = 3;

struct Encoder<'p> {
    profile: &'p Profile,
    out: Vec<u8>,
    pending_feed: u32,
    margin: u16,
}

impl Encoder<'_> {
    fn flush_feed(&mut self) {
        escpos::push_feed(&mut self.out, self.pending_feed);
        self.pending_feed = 0;
    }

    fn set_margin(&mut self, dots: u16) {
        if self.margin != dots {
            self.out.extend_from_slice(&escpos::left_margin(dots));
            self.margin = dots;
        }
    }

    /// Byte columns to send for rows `y0..y1`; `None` when they are blank.
    fn columns(&self, bmp: &Bitmap, y0: u32, y1: u32) -> Option<(usize, usize)> {
        let (a, b) = bmp.ink_byte_span(y0, y1)?;
        Some(match self.profile.placement {
            Placement::LeftMargin => (a, b),
            Placement::Centre => {
                let k = a.min(bmp.stride() - b);
                (k, bmp.stride() - k)
            }
        })
    }

    fn band_cost(&self, bmp: &Bitmap, y0: u32, y1: u32) -> usize {
        self.columns(bmp, y0, y1)
            .map_or(0, |(a, b)| (b - a) * (y1 - y0) as usize + BAND_HEADER)
    }

    fn raster(&mut self, bmp: &Bitmap, scale: u32) -> Result<(), EncodeError> {
        // Runs of ink rows; blank rows between them become feeds.
        let mut runs: Vec<(u32, u32)> = Vec::new();
        let mut y = 0;
        while y < bmp.height() {
            if bmp.row_is_blank(y) {
                y += 1;
                continue;
            }
            let start = y;
            while y < bmp.height() && !bmp.row_is_blank(y) {
                y += 1;
            }
            runs.push((start, y));
        }
        // Merge neighbours when sending the gap costs less than a feed and a second header.
        let mut groups: Vec<(u32, u32)> = Vec::new();
        for run in runs {
            if let Some(last) = groups.last_mut() {
                let apart = self.band_cost(bmp, last.0, last.1)
                    + self.band_cost(bmp, run.0, run.1)
                    + FEED_CMD;
                if self.band_cost(bmp, last.0, run.1) <= apart {
                    last.1 = run.1;
                    continue;
                }
            }
            groups.push(run);
        }
        let mut cursor = 0;
        for (g0, g1) in groups {
            self.pending_feed += (g0 - cursor) * scale;
            let mut y0 = g0;
            while y0 < g1 {
                let y1 = (y0 + self.profile.max_band_rows as u32).min(g1);
                self.band(bmp, y0, y1, scale)?;
                y0 = y1;
            }
            cursor = g1;
        }
        self.pending_feed += (bmp.height() - cursor) * scale;
        Ok(())
    }

    fn band(&mut self, bmp: &Bitmap, y0: u32, y1: u32, scale: u32) -> Result<(), EncodeError> {
        let Some((a, b)) = self.columns(bmp, y0, y1) else {
            // A blank band inside a merged group: still has to advance the paper.
            self.pending_feed += (y1 - y0) * scale;
            return Ok(());
        };
        self.flush_feed();
        if self.profile.placement == Placement::LeftMargin {
            self.set_margin((a as u32 * 8 * scale) as u16);
        }
        let rows = u16::try_from(y1 - y0).map_err(|_| EncodeError::TooTall { rows: y1 - y0 })?;
        self.out
            .extend_from_slice(&escpos::raster_header((b - a) as u16, rows, scale == 2));
        for y in y0..y1 {
            self.out.extend_from_slice(&bmp.row(y)[a..b]);
        }
        Ok(())
    }
}

/// Encodes `doc` for `profile`: init, bands, feeds, QR, partial cut.
pub fn encode(doc: &Document, profile: &Profile) -> Result<Vec<u8>, EncodeError> {
    if doc.width != profile.width_dots {
        return Err(EncodeError::WidthMismatch {
            doc: doc.width,
            profile: profile.width_dots,
        });
    }
    if profile.width_dots % 16 != 0 {
        return Err(EncodeError::OddWidth(profile.width_dots));
    }
    if profile.max_band_rows == 0 {
        return Err(EncodeError::BandRows);
    }
    let mut e = Encoder {
        profile,
        out: Vec::with_capacity(16 * 1024),
        pending_feed: 0,
        margin: 0,
    };
    e.out.extend_from_slice(&escpos::INIT);
    if profile.placement == Placement::Centre {
        e.out.extend_from_slice(&escpos::justify(1));
    }
    for block in &doc.blocks {
        match block {
            Block::Space(h) => e.pending_feed += h,
            Block::Raster { bitmap, scale: 1 } => e.raster(bitmap, 1)?,
            Block::Raster { bitmap, scale: 2 } if profile.double_size_raster => {
                e.raster(bitmap, 2)?
            }
            Block::Raster { bitmap, scale: 2 } => {
                let mut full = Bitmap::new(bitmap.width() * 2, bitmap.height() * 2);
                full.blit_scaled(bitmap, 0, 0, 2, 2);
                e.raster(&full, 1)?;
            }
            Block::Raster { scale, .. } => return Err(EncodeError::Scale(*scale)),
            Block::Qr {
                payload,
                module,
                ecc,
                bitmap,
            } if profile.supports_qr => {
                // Store command: pL pH count 3 bytes (cn, fn, m) plus the data.
                if payload.len() + 3 > u16::MAX as usize {
                    return Err(EncodeError::QrPayload { len: payload.len() });
                }
                e.flush_feed();
                if profile.placement == Placement::LeftMargin {
                    e.set_margin(Document::centre_x(doc.width, bitmap.width()) as u16);
                }
                escpos::push_qr(
                    &mut e.out,
                    payload.as_bytes(),
                    *module as u8,
                    ecc.escpos_byte(),
                );
            }
            Block::Qr { bitmap, .. } => {
                let mut canvas = Bitmap::new(doc.width, bitmap.height());
                canvas.blit(
                    bitmap,
                    Document::centre_x(doc.width, bitmap.width()) as i64,
                    0,
                );
                e.raster(&canvas, 1)?;
            }
        }
    }
    e.flush_feed();
    if e.margin != 0 {
        e.set_margin(0);
    }
    e.out.extend_from_slice(&escpos::cut_partial(0));
    Ok(e.out)
}

/// The naive encoding for comparison: the whole slip as one full-width `GS v 0`, then the cut.
pub fn naive_raster(doc: &Document) -> Result<Vec<u8>, EncodeError> {
    let img = doc.render();
    let rows =
        u16::try_from(img.height()).map_err(|_| EncodeError::TooTall { rows: img.height() })?;
    let mut out = Vec::with_capacity(img.data().len() + 16);
    out.extend_from_slice(&escpos::INIT);
    out.extend_from_slice(&escpos::raster_header(img.stride() as u16, rows, false));
    out.extend_from_slice(img.data());
    out.extend_from_slice(&escpos::cut_partial(0));
    Ok(out)
}

/// Lays out and encodes a ticket in one call.
pub fn encode_ticket(ticket: &TicketLayout, profile: &Profile) -> Result<Vec<u8>, EncodeError> {
    encode(&ticket.document()?, profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paper;

    fn doc_with(bitmap: Bitmap) -> Document {
        Document {
            width: bitmap.width(),
            blocks: vec![Block::Raster { bitmap, scale: 1 }],
        }
    }

    // Proves blank rows become one feed, the band is cropped symmetrically around its ink, and
    // the stream is exactly init, centre, feed, header, data, cut.
    #[test]
    fn centre_crop_exact_bytes() {
        let mut b = Bitmap::new(64, 10);
        b.set(20, 4, true); // byte column 2
        b.set(43, 5, true); // byte column 5
        let out = encode(&doc_with(b), &Profile::generic(64)).unwrap();
        #[rustfmt::skip]
        let expected = [
            0x1B, 0x40, 0x1B, 0x61, 1,
            0x1B, 0x4A, 4,
            0x1D, 0x76, 0x30, 0, 4, 0, 2, 0,
            0x08, 0, 0, 0,
            0, 0, 0, 0x10,
            0x1B, 0x4A, 4,
            0x1D, 0x56, 66, 0,
        ];
        assert_eq!(out, expected);
    }

    // Proves the left-margin placement crops tightly and sets GS L in dots (and resets it).
    #[test]
    fn left_margin_crop_exact_bytes() {
        let mut b = Bitmap::new(64, 1);
        b.set(40, 0, true); // byte column 5 only
        let profile = Profile {
            placement: Placement::LeftMargin,
            ..Profile::generic(64)
        };
        let out = encode(&doc_with(b), &profile).unwrap();
        #[rustfmt::skip]
        let expected = [
            0x1B, 0x40,
            0x1D, 0x4C, 40, 0,
            0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0x80,
            0x1D, 0x4C, 0, 0,
            0x1D, 0x56, 66, 0,
        ];
        assert_eq!(out, expected);
    }

    // Proves tall ink is split into bands of at most max_band_rows with no feed between them.
    #[test]
    fn band_split() {
        let mut b = Bitmap::new(16, 5);
        for y in 0..5 {
            b.set(0, y, true);
        }
        let profile = Profile {
            max_band_rows: 2,
            ..Profile::generic(16)
        };
        let out = encode(&doc_with(b), &profile).unwrap();
        let headers: Vec<&[u8]> = out.windows(3).filter(|w| w == b"\x1dv0").collect();
        assert_eq!(headers.len(), 3);
        let body = &out[5..out.len() - 4];
        #[rustfmt::skip]
        assert_eq!(body, [
            0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0, 0x80, 0,
            0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0, 0x80, 0,
            0x1D, 0x76, 0x30, 0, 2, 0, 1, 0, 0x80, 0,
        ]);
    }

    // Proves a one-row gap is sent as data (cheaper than a feed plus a header) while a wide gap
    // becomes a feed.
    #[test]
    fn small_gaps_merge_big_gaps_feed() {
        let mut b = Bitmap::new(16, 40);
        b.set(0, 0, true);
        b.set(0, 2, true);
        b.set(0, 39, true);
        let out = encode(&doc_with(b), &Profile::generic(16)).unwrap();
        assert_eq!(out.windows(3).filter(|w| w == b"\x1dv0").count(), 2);
        assert!(out.windows(3).any(|w| w == [0x1B, 0x4A, 36]));
    }

    // Proves the width mismatch is refused with both widths named.
    #[test]
    fn width_mismatch() {
        let doc = Document::new(384);
        match encode(&doc, &Profile::generic(576)) {
            Err(EncodeError::WidthMismatch {
                doc: 384,
                profile: 576,
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    // Proves the native-QR profile sends a GS ( k store of the URL instead of raster rows, and the
    // naive encoding is one header plus every row at full width.
    #[test]
    fn native_qr_and_naive() {
        let doc = TicketLayout::sample(Paper::Mm58).document().unwrap();
        let native = encode(&doc, &Profile::epson(384)).unwrap();
        let raster = encode(&doc, &Profile::generic(384)).unwrap();
        let url = b"https://example.gov.vn/t/123";
        let mut store = vec![0x1D, b'(', b'k', url.len() as u8 + 3, 0, 49, 80, 48];
        store.extend_from_slice(url);
        assert!(native.windows(store.len()).any(|w| w == store));
        assert!(!raster.windows(3).any(|w| w == b"\x1d(k"));
        assert!(native.len() < raster.len());
        let naive = naive_raster(&doc).unwrap();
        assert_eq!(naive.len(), 2 + 8 + 48 * doc.height() as usize + 4);
    }
}

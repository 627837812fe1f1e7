//! A 1-bit image in the printer's own memory layout.
//!
//! Rows are packed MSB-first, one bit per dot, `1` = black, each row padded to whole bytes: exactly
//! the payload of ESC/POS `GS v 0`, so the encoder copies row slices without converting.

use std::io::Write;
use std::path::Path;

use thiserror::Error;

/// A black-and-white picture, packed as ESC/POS raster rows.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    stride: usize,
    data: Vec<u8>,
}

impl std::fmt::Debug for Bitmap {
    // The default derive would dump kilobytes of row data into every failed assertion.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitmap({}x{}, {} black)", self.width, self.height, self.count_black())
    }
}

/// Writing a bitmap as PNG failed.
#[derive(Debug, Error)]
pub enum PngError {
    #[error("cannot write PNG file {path}: {source}")]
    File { path: std::path::PathBuf, source: std::io::Error },
    #[error("PNG encoding failed: {0}")]
    Encode(#[from] png::EncodingError),
}

impl Bitmap {
    /// An all-white bitmap.
    pub fn new(width: u32, height: u32) -> Self {
        let stride = width.div_ceil(8) as usize;
        Bitmap { width, height, stride, data: vec![0; stride * height as usize] }
    }

    /// Wraps packed rows; `None` when `data` is not `height` rows of `ceil(width/8)` bytes.
    pub fn from_packed(width: u32, height: u32, data: Vec<u8>) -> Option<Self> {
        let stride = width.div_ceil(8) as usize;
        (data.len() == stride * height as usize).then_some(Bitmap { width, height, stride, data })
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    /// Bytes per packed row.
    pub fn stride(&self) -> usize {
        self.stride
    }
    /// All packed rows, top to bottom.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    /// One packed row.
    pub fn row(&self, y: u32) -> &[u8] {
        let start = y as usize * self.stride;
        &self.data[start..start + self.stride]
    }

    /// The dot at (x, y); outside the bitmap is white.
    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        self.data[y as usize * self.stride + (x / 8) as usize] & (0x80 >> (x % 8)) != 0
    }

    /// Sets one dot; writes outside the bitmap are dropped (glyphs may overhang the paper edge).
    pub fn set(&mut self, x: i64, y: i64, black: bool) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = y as usize * self.stride + (x / 8) as usize;
        let mask = 0x80u8 >> (x % 8);
        if black {
            self.data[i] |= mask;
        } else {
            self.data[i] &= !mask;
        }
    }

    /// Paints a black rectangle, clipped to the bitmap.
    pub fn fill_rect(&mut self, x: i64, y: i64, w: u32, h: u32) {
        for yy in y..y + h as i64 {
            for xx in x..x + w as i64 {
                self.set(xx, yy, true);
            }
        }
    }

    /// ORs `src` into `self` with its top-left corner at (x, y), clipped.
    pub fn blit(&mut self, src: &Bitmap, x: i64, y: i64) {
        for sy in 0..src.height {
            if src.row(sy).iter().all(|&b| b == 0) {
                continue;
            }
            for sx in 0..src.width {
                if src.get(sx, sy) {
                    self.set(x + sx as i64, y + sy as i64, true);
                }
            }
        }
    }

    /// ORs `src` scaled by an integer factor, each source dot becoming a `scale`×`scale` block;
    /// this is what a printer does for `GS v 0` with m = 3 (double width and height).
    pub fn blit_scaled(&mut self, src: &Bitmap, x: i64, y: i64, sx_scale: u32, sy_scale: u32) {
        for sy in 0..src.height {
            for sx in 0..src.width {
                if src.get(sx, sy) {
                    let (bx, by) = (x + (sx * sx_scale) as i64, y + (sy * sy_scale) as i64);
                    self.fill_rect(bx, by, sx_scale, sy_scale);
                }
            }
        }
    }

    /// Grows or shrinks the height, keeping the top rows (new rows are white).
    pub fn set_height(&mut self, height: u32) {
        self.height = height;
        self.data.resize(self.stride * height as usize, 0);
    }

    /// True when row `y` has no black dot.
    pub fn row_is_blank(&self, y: u32) -> bool {
        self.row(y).iter().all(|&b| b == 0)
    }

    /// Number of black dots (tests and debug output).
    pub fn count_black(&self) -> u64 {
        self.data.iter().map(|b| b.count_ones() as u64).sum()
    }

    /// The rows `y0..y1` as a new bitmap of the same width.
    pub fn rows(&self, y0: u32, y1: u32) -> Bitmap {
        let data = self.data[y0 as usize * self.stride..y1 as usize * self.stride].to_vec();
        Bitmap { width: self.width, height: y1 - y0, stride: self.stride, data }
    }

    /// Bytes `b0..b1` of every row (byte columns, so 8 dots each) as a new bitmap.
    pub fn byte_columns(&self, b0: usize, b1: usize) -> Bitmap {
        let mut out = Bitmap::new(((b1 - b0) * 8) as u32, self.height);
        for y in 0..self.height {
            let dst = y as usize * out.stride;
            out.data[dst..dst + b1 - b0].copy_from_slice(&self.row(y)[b0..b1]);
        }
        out
    }

    /// The first and one-past-last byte column holding ink in rows `y0..y1`, or `None` if blank.
    pub fn ink_byte_span(&self, y0: u32, y1: u32) -> Option<(usize, usize)> {
        let mut span: Option<(usize, usize)> = None;
        for y in y0..y1 {
            let row = self.row(y);
            if let (Some(first), Some(last)) = (row.iter().position(|&b| b != 0), row.iter().rposition(|&b| b != 0)) {
                span = Some(match span {
                    None => (first, last + 1),
                    Some((a, b)) => (a.min(first), b.max(last + 1)),
                });
            }
        }
        span
    }

    /// Encodes as a 1-bit greyscale PNG (black ink on white paper).
    pub fn to_png(&self) -> Result<Vec<u8>, PngError> {
        let mut out = Vec::new();
        {
            // PNG 1-bit grey has the same packing as ours but 1 = white, so invert each byte.
            let mut enc = png::Encoder::new(&mut out, self.width.max(1), self.height.max(1));
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::One);
            let mut writer = enc.write_header()?;
            let inverted: Vec<u8> = if self.width == 0 || self.height == 0 { vec![0xFF] } else { self.data.iter().map(|b| !b).collect() };
            writer.write_image_data(&inverted)?;
            writer.finish()?;
        }
        Ok(out)
    }

    /// Writes [`Bitmap::to_png`] to `path`.
    pub fn save_png(&self, path: &Path) -> Result<(), PngError> {
        let bytes = self.to_png()?;
        let file_err = |source| PngError::File { path: path.to_path_buf(), source };
        let mut f = std::fs::File::create(path).map_err(file_err)?;
        f.write_all(&bytes).map_err(file_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the packing is MSB-first like GS v 0: dot 0 is bit 7 of byte 0, dot 9 bit 6 of byte 1.
    #[test]
    fn packing_is_msb_first() {
        let mut b = Bitmap::new(12, 2);
        b.set(0, 0, true);
        b.set(9, 1, true);
        assert_eq!(b.stride(), 2);
        assert_eq!(b.data(), &[0x80, 0x00, 0x00, 0x40]);
        assert!(b.get(9, 1) && !b.get(8, 1) && !b.get(100, 0));
    }

    // Proves the ink span ignores blank rows outside the range and is in whole bytes.
    #[test]
    fn ink_span_in_bytes() {
        let mut b = Bitmap::new(64, 4);
        b.set(20, 1, true);
        b.set(41, 2, true);
        b.set(63, 3, true);
        assert_eq!(b.ink_byte_span(0, 3), Some((2, 6)));
        assert_eq!(b.ink_byte_span(0, 1), None);
        assert!(b.byte_columns(2, 6).get(4, 1));
    }

    // Proves the PNG is a valid 1-bit image with black where the bitmap has ink.
    #[test]
    fn png_roundtrip_through_decoder() {
        let mut b = Bitmap::new(10, 3);
        b.set(3, 1, true);
        let bytes = b.to_png().unwrap();
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND);
        let mut reader = dec.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (10, 3));
        let px = |x: usize, y: usize| buf[y * info.line_size + x];
        assert_eq!(px(3, 1), 0);
        assert_eq!(px(4, 1), 255);
    }
}

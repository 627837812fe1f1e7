//! ESC/POS command bytes, one builder per command the encoder emits.
//!
//! Units: the encoder assumes the printer's motion unit is one dot (the default of 203-dpi
//! Epson TM-T20-class printers and their clones), so feeds and margins are given in dots.

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0A;

/// `ESC @`: clears the buffer and every mode left over from whatever printed before.
pub const INIT: [u8; 2] = [ESC, b'@'];

/// `ESC a n`: 0 left, 1 centre, 2 right. Applies to `GS v 0` rasters and `GS ( k` symbols too.
pub fn justify(n: u8) -> [u8; 3] {
    [ESC, b'a', n]
}

/// `ESC J n`: print and feed `n` dots; one command feeds at most 255.
pub fn feed_dots(n: u8) -> [u8; 3] {
    [ESC, b'J', n]
}

/// Appends the fewest `ESC J` commands that feed `dots` in total.
pub fn push_feed(out: &mut Vec<u8>, mut dots: u32) {
    while dots > 0 {
        let n = dots.min(255);
        out.extend_from_slice(&feed_dots(n as u8));
        dots -= n;
    }
}

/// `ESC t n`: selects character code table `n` for the bytes 0x80-0xFF that follow (see
/// `codepage` for the Vietnamese tables). Takes effect at once, even mid-line.
pub fn code_table(n: u8) -> [u8; 3] {
    [ESC, b't', n]
}

/// `ESC ! n` print mode: bit 0 font B, bit 3 emphasised (bold); bits 4 and 5 (double height and
/// width) are left clear, sizes go through [`char_size`], which must follow since `ESC !` also
/// resets the size.
pub fn print_mode(font_b: bool, bold: bool) -> [u8; 3] {
    [ESC, b'!', u8::from(font_b) | u8::from(bold) << 3]
}

/// `GS ! n`: character magnification, width and height each 1..=8.
pub fn char_size(width_mul: u8, height_mul: u8) -> [u8; 3] {
    [GS, b'!', (width_mul - 1) << 4 | (height_mul - 1)]
}

/// `ESC 3 n`: line spacing (the feed of each `LF`) in dots.
pub fn line_spacing(dots: u8) -> [u8; 3] {
    [ESC, b'3', dots]
}

/// `GS L nL nH`: left margin in dots.
pub fn left_margin(dots: u16) -> [u8; 4] {
    let [lo, hi] = dots.to_le_bytes();
    [GS, b'L', lo, hi]
}

/// `GS W nL nH`: printing area width in dots.
pub fn area_width(dots: u16) -> [u8; 4] {
    let [lo, hi] = dots.to_le_bytes();
    [GS, b'W', lo, hi]
}

/// `GS v 0` mode: how each dot of the data is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RasterMode {
    /// m = 0: one dot.
    Normal,
    /// m = 2: one dot wide, two tall (each data row prints twice).
    DoubleHeight,
    /// m = 3: 2 × 2 dots.
    Quadruple,
}

/// `GS v 0 m xL xH yL yH`: header of a raster of `width_bytes` × `rows`, followed by
/// `width_bytes * rows` bytes of MSB-first rows.
pub fn raster_header(width_bytes: u16, rows: u16, mode: RasterMode) -> [u8; 8] {
    let [xl, xh] = width_bytes.to_le_bytes();
    let [yl, yh] = rows.to_le_bytes();
    let m = match mode {
        RasterMode::Normal => 0,
        RasterMode::DoubleHeight => 2,
        RasterMode::Quadruple => 3,
    };
    [GS, b'v', b'0', m, xl, xh, yl, yh]
}

/// `GS ( k` with `cn` 49 (QR): `pL pH` count the bytes after themselves.
fn qr_fn(out: &mut Vec<u8>, func: u8, params: &[u8]) {
    let [pl, ph] = ((params.len() + 2) as u16).to_le_bytes();
    out.extend_from_slice(&[GS, b'(', b'k', pl, ph, 49, func]);
    out.extend_from_slice(params);
}

/// The full native QR sequence: model 2, module size, error correction, store data, print.
pub fn push_qr(out: &mut Vec<u8>, payload: &[u8], module: u8, ecc_byte: u8) {
    qr_fn(out, 65, &[50, 0]); // function 165: model 2
    qr_fn(out, 67, &[module]); // function 167: module size in dots
    qr_fn(out, 69, &[ecc_byte]); // function 169: error correction level
    let mut store = Vec::with_capacity(payload.len() + 1);
    store.push(48);
    store.extend_from_slice(payload);
    qr_fn(out, 80, &store); // function 180: store the data
    qr_fn(out, 81, &[48]); // function 181: print the stored symbol
}

/// `GS V 66 n`: feed to the cutter plus `n` dots, then partial cut (leaves a hinge so the ticket
/// does not drop on the floor before the citizen takes it).
pub fn cut_partial(feed: u8) -> [u8; 4] {
    [GS, b'V', 66, feed]
}

/// `DLE EOT n`: real-time status query; n = 1 printer, 2 offline cause, 4 paper sensor.
pub fn status_query(n: u8) -> [u8; 3] {
    [DLE, EOT, n]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the GS v 0 header layout (little-endian width in bytes, then rows; m = 2 double
    // height, m = 3 double both ways).
    #[test]
    fn raster_header_bytes() {
        assert_eq!(raster_header(72, 600, RasterMode::Normal), [0x1D, 0x76, 0x30, 0, 72, 0, 0x58, 0x02]);
        assert_eq!(raster_header(300, 2, RasterMode::Quadruple), [0x1D, 0x76, 0x30, 3, 0x2C, 0x01, 2, 0]);
        assert_eq!(raster_header(1, 1, RasterMode::DoubleHeight)[3], 2);
    }

    // Proves feeds are merged into the fewest ESC J commands, never one with n = 0.
    #[test]
    fn feed_merging_bytes() {
        let mut out = Vec::new();
        push_feed(&mut out, 600);
        assert_eq!(out, [0x1B, 0x4A, 255, 0x1B, 0x4A, 255, 0x1B, 0x4A, 90]);
        out.clear();
        push_feed(&mut out, 0);
        assert!(out.is_empty());
    }

    // Proves the QR sequence matches the Epson GS ( k byte layout, pL/pH counting cn, fn and data.
    #[test]
    fn qr_command_bytes() {
        let mut out = Vec::new();
        push_qr(&mut out, b"AB", 6, 49);
        #[rustfmt::skip]
        let expected = [
            0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0,
            0x1D, 0x28, 0x6B, 3, 0, 49, 67, 6,
            0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49,
            0x1D, 0x28, 0x6B, 5, 0, 49, 80, 48, b'A', b'B',
            0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48,
        ];
        assert_eq!(out, expected);
    }

    // Proves margin/width/cut/status byte forms.
    #[test]
    fn small_command_bytes() {
        assert_eq!(left_margin(264), [0x1D, 0x4C, 8, 1]);
        assert_eq!(area_width(576), [0x1D, 0x57, 0x40, 2]);
        assert_eq!(cut_partial(0), [0x1D, 0x56, 66, 0]);
        assert_eq!(status_query(4), [0x10, 0x04, 4]);
        assert_eq!(justify(1), [0x1B, 0x61, 1]);
    }

    // Proves the text-mode commands: code table, ESC ! bits (font B = 1, bold = 8), GS ! nibbles
    // (width high, height low, both minus one), ESC 3.
    #[test]
    fn text_command_bytes() {
        assert_eq!(code_table(30), [0x1B, 0x74, 30]);
        assert_eq!(print_mode(true, true), [0x1B, 0x21, 0x09]);
        assert_eq!(print_mode(false, false), [0x1B, 0x21, 0]);
        assert_eq!(char_size(2, 3), [0x1D, 0x21, 0x12]);
        assert_eq!(char_size(1, 1), [0x1D, 0x21, 0]);
        assert_eq!(line_spacing(28), [0x1B, 0x33, 28]);
    }
}

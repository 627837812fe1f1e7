//! The virtual printer: executes an ESC/POS stream onto a paper [`Bitmap`].
//!
//! It accepts every command the encoder emits plus the common text commands, and refuses
//! anything else with the stream offset and byte: a test that passes through it proves the bytes,
//! and a bad byte is found at once instead of as garbage on paper. It never panics on input
//! (see the fuzz test) and bounds the paper length so hostile input cannot exhaust memory.
//!
//! Text prints in fonts A (12 × 24) and B (9 × 17), magnified by `ESC !`/`GS !`, each character
//! drawn with the bundled font in its cell (`font::draw_cell`). Bytes 0x80-0xFF are looked up in
//! the selected code table: TCVN-3 (pages 30 and 31) and Windows-1258 (page 52, whose tone bytes
//! print over the previous character); any other table, or a cell a table leaves empty, is an
//! error rather than a guess. What was printed as text is kept, line by line, for tests
//! ([`VirtualPrinter::printed_lines`]).

mod parse;

pub use parse::{frame, Command, Framed};

use thiserror::Error;

use crate::bitmap::Bitmap;
use crate::codepage::{self, Glyph};
use crate::font::{self, PrinterFont};
use crate::qr::{self, QrEcc, QrError};
use crate::text::{self, Weight};

/// The stream is not something this printer can print.
#[derive(Debug, Error)]
pub enum DecodeError {
    #[error("unknown command {prefix} 0x{byte:02X} at offset {offset}")]
    UnknownCommand { offset: usize, prefix: &'static str, byte: u8 },
    #[error("bad parameter 0x{byte:02X} for {command} at offset {offset}: {why}")]
    BadParameter { offset: usize, command: &'static str, byte: u8, why: &'static str },
    #[error("stream ends inside {command} at offset {offset}: it needs {needed} bytes, {available} present")]
    Truncated { offset: usize, command: &'static str, needed: usize, available: usize },
    #[error("raster at offset {offset} is {width} dots wide but only {available} dots are printable")]
    RasterTooWide { offset: usize, width: u32, available: u32 },
    #[error("{command} at offset {offset} arrives while text is buffered; printers drop it")]
    MidLine { offset: usize, command: &'static str },
    #[error("paper would exceed {limit} dots at offset {offset}")]
    PaperTooLong { offset: usize, limit: u32 },
    #[error("text byte 0x{byte:02X} at offset {offset} needs code table {code_table}, which the virtual printer lacks")]
    NonAsciiText { offset: usize, byte: u8, code_table: u8 },
    #[error("text byte 0x{byte:02X} at offset {offset} is not a character of code table {code_table}")]
    Unassigned { offset: usize, byte: u8, code_table: u8 },
    #[error("QR print at offset {offset} with no stored data")]
    QrNoData { offset: usize },
    #[error("QR print at offset {offset}: {source}")]
    Qr {
        offset: usize,
        #[source]
        source: QrError,
    },
}

impl DecodeError {
    /// `BadParameter`: the byte at `offset` is not a value `command` takes.
    fn bad(offset: usize, command: &'static str, byte: u8, why: &'static str) -> DecodeError {
        DecodeError::BadParameter { offset, command, byte, why }
    }
}

/// Longest paper the virtual printer keeps: 10 m at 8 dots/mm, far beyond any slip.
pub const MAX_PAPER_DOTS: u32 = 80_000;
const DEFAULT_LINE_SPACING: u32 = 30;

/// One character cell waiting in the line buffer: the character and any tone marks after it.
#[derive(Clone)]
struct Cell {
    text: String,
    w: u32,
    h: u32,
    bold: bool,
}

/// A line the printer printed from its fonts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedLine {
    /// Dots from the top of the paper to the top of the line.
    pub top: u32,
    /// Height of the line's tallest character cell.
    pub height: u32,
    /// The characters printed, NFC (tone marks composed with their letters).
    pub text: String,
}

/// An ESC/POS printer that prints onto a growing bitmap.
pub struct VirtualPrinter {
    width: u32,
    paper: Bitmap,
    y: u32,
    justify: u8,
    left_margin: u32,
    area_width: u32,
    line_spacing: u32,
    size: (u32, u32),
    bold: bool,
    font: PrinterFont,
    code_table: u8,
    line: Vec<Cell>,
    printed: Vec<PrintedLine>,
    line_w: u32,
    qr_module: u32,
    qr_ecc: QrEcc,
    qr_data: Option<Vec<u8>>,
    cuts: Vec<u32>,
    status_queries: Vec<u8>,
    pending: Vec<u8>,
    pending_offset: usize,
}

impl VirtualPrinter {
    /// A printer whose head is `width` dots wide.
    pub fn new(width: u32) -> Self {
        VirtualPrinter {
            width,
            paper: Bitmap::new(width, 0),
            y: 0,
            justify: 0,
            left_margin: 0,
            area_width: width,
            line_spacing: DEFAULT_LINE_SPACING,
            size: (1, 1),
            bold: false,
            font: PrinterFont::A,
            code_table: 0,
            line: Vec::new(),
            printed: Vec::new(),
            line_w: 0,
            qr_module: 3,
            qr_ecc: QrEcc::L,
            qr_data: None,
            cuts: Vec::new(),
            status_queries: Vec::new(),
            pending: Vec::new(),
            pending_offset: 0,
        }
    }

    /// Feeds more bytes; a command split across calls is kept until it is complete.
    /// After an error the rest of the buffered input is dropped.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.pending.extend_from_slice(bytes);
        let pending = std::mem::take(&mut self.pending);
        let mut pos = 0;
        let result = loop {
            match frame(&pending[pos..], self.pending_offset + pos) {
                Ok(Framed::Complete(cmd, len)) => {
                    if let Err(e) = self.execute(cmd, self.pending_offset + pos) {
                        pos = pending.len();
                        break Err(e);
                    }
                    pos += len;
                }
                Ok(Framed::Incomplete { .. }) => break Ok(()),
                Err(e) => {
                    pos = pending.len();
                    break Err(e);
                }
            }
        };
        self.pending_offset += pos;
        self.pending = pending[pos..].to_vec();
        result
    }

    /// Ends the stream: a command still incomplete is an error naming where it started.
    pub fn finish(mut self) -> Result<Bitmap, DecodeError> {
        if !self.pending.is_empty() {
            // Anything left is an incomplete command (complete ones were executed by `write`).
            if let Framed::Incomplete { command, needed } = frame(&self.pending, self.pending_offset)? {
                return Err(DecodeError::Truncated { offset: self.pending_offset, command, needed, available: self.pending.len() });
            }
        }
        self.flush_text(self.pending_offset, 0)?;
        Ok(self.paper())
    }

    /// The paper printed so far, down to the current print position.
    pub fn paper(&self) -> Bitmap {
        let mut p = self.paper.clone();
        p.set_height(self.y);
        p
    }

    /// Print positions (in dots from the top) where the paper was cut.
    pub fn cuts(&self) -> &[u32] {
        &self.cuts
    }

    /// The text lines printed so far, top to bottom.
    pub fn printed_lines(&self) -> &[PrintedLine] {
        &self.printed
    }

    /// `DLE EOT n` queries received since the last call, in order (n values).
    pub fn take_status_queries(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.status_queries)
    }

    fn reset(&mut self) {
        let (paper, y, cuts, queries) = (
            std::mem::replace(&mut self.paper, Bitmap::new(0, 0)),
            self.y,
            std::mem::take(&mut self.cuts),
            std::mem::take(&mut self.status_queries),
        );
        let (pending, off) = (std::mem::take(&mut self.pending), self.pending_offset);
        let printed = std::mem::take(&mut self.printed);
        *self = VirtualPrinter::new(self.width);
        (self.paper, self.y, self.cuts, self.status_queries) = (paper, y, cuts, queries);
        (self.pending, self.pending_offset, self.printed) = (pending, off, printed);
    }

    fn advance(&mut self, dots: u32, offset: usize) -> Result<(), DecodeError> {
        let y = self.y.saturating_add(dots);
        if y > MAX_PAPER_DOTS {
            return Err(DecodeError::PaperTooLong { offset, limit: MAX_PAPER_DOTS });
        }
        if y > self.paper.height() {
            self.paper.set_height(y);
        }
        self.y = y;
        Ok(())
    }

    fn printable(&self) -> u32 {
        self.area_width.min(self.width.saturating_sub(self.left_margin))
    }

    /// Left edge for an object `w` dots wide under the current margin and justification.
    fn place(&self, w: u32, offset: usize) -> Result<u32, DecodeError> {
        let area = self.printable();
        if w > area {
            return Err(DecodeError::RasterTooWide { offset, width: w, available: area });
        }
        Ok(self.left_margin
            + match self.justify {
                1 => (area - w) / 2,
                2 => area - w,
                _ => 0,
            })
    }

    fn require_empty_line(&self, offset: usize, command: &'static str) -> Result<(), DecodeError> {
        if self.line.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::MidLine { offset, command })
        }
    }

    /// Prints buffered text, then feeds `feed` dots, or the line height if that is larger.
    fn flush_text(&mut self, offset: usize, feed: u32) -> Result<(), DecodeError> {
        if self.line.is_empty() {
            return self.advance(feed, offset);
        }
        let line = std::mem::take(&mut self.line);
        let height = line.iter().map(|c| c.h).max().unwrap_or(0);
        let x0 = self.place(self.line_w.min(self.printable()), offset)?;
        self.line_w = 0;
        let top = self.y;
        self.advance(height, offset)?;
        let mut x = x0 as i64;
        let mut printed = String::new();
        for cell in line {
            // Taller cells share the bottom line, as mixed-size text does on a real printer.
            let cell_top = (top + height - cell.h) as i64;
            let weight = if cell.bold { Weight::Bold } else { Weight::Regular };
            font::draw_cell(&mut self.paper, &cell.text, weight, x, cell_top, cell.w, cell.h);
            printed.push_str(&cell.text);
            x += cell.w as i64;
        }
        self.printed.push(PrintedLine { top, height, text: text::nfc(&printed) });
        self.advance(feed.saturating_sub(height), offset)
    }

    fn execute(&mut self, cmd: Command<'_>, offset: usize) -> Result<(), DecodeError> {
        match cmd {
            Command::Text(byte) => self.text(byte, offset)?,
            Command::Lf => self.flush_text(offset, self.line_spacing)?,
            Command::Cr => {}
            Command::Init => self.reset(),
            Command::Justify(n) => match n {
                0..=2 | 48..=50 => self.justify = n % 48,
                byte => return Err(DecodeError::bad(offset + 2, "ESC a", byte, "justification must be 0-2 or 48-50")),
            },
            Command::FeedDots(n) => self.flush_text(offset, n as u32)?,
            Command::FeedLines(n) => self.flush_text(offset, n as u32 * self.line_spacing)?,
            Command::LineSpacing(n) => self.line_spacing = n.map_or(DEFAULT_LINE_SPACING, u32::from),
            Command::CodeTable(n) => self.code_table = n,
            Command::Emphasis(n) => self.bold = n & 1 == 1,
            Command::PrintMode(n) => {
                self.font = if n & 1 == 1 { PrinterFont::B } else { PrinterFont::A };
                self.bold = n & 0x08 != 0;
                self.size = (1 + (n >> 5 & 1) as u32, 1 + (n >> 4 & 1) as u32);
            }
            Command::Font(n) => {
                self.font = match n {
                    0 | 48 => PrinterFont::A,
                    1 | 49 => PrinterFont::B,
                    byte => return Err(DecodeError::bad(offset + 2, "ESC M", byte, "font must be 0, 1, 48 or 49")),
                }
            }
            Command::CharSize(n) => self.size = (1 + (n >> 4 & 7) as u32, 1 + (n & 7) as u32),
            Command::LeftMargin(dots) => self.left_margin = dots as u32,
            Command::AreaWidth(0) => {
                return Err(DecodeError::bad(offset + 2, "GS W", 0, "print area width must be at least 1 dot"));
            }
            Command::AreaWidth(dots) => self.area_width = dots as u32,
            Command::Raster { mode, width_bytes, rows, data } => {
                self.require_empty_line(offset, "GS v 0")?;
                let (sx, sy) = (1 + (mode & 1) as u32, 1 + (mode >> 1 & 1) as u32);
                let x = self.place(width_bytes as u32 * 8 * sx, offset)?;
                let src = Bitmap::from_packed(width_bytes as u32 * 8, rows as u32, data.to_vec())
                    .expect("framing guarantees width_bytes * rows payload bytes");
                let top = self.y;
                self.advance(rows as u32 * sy, offset)?;
                self.paper.blit_scaled(&src, x as i64, top as i64, sx, sy);
            }
            Command::Qr { func, params } => self.qr(func, params, offset)?,
            Command::Cut { feed, .. } => {
                self.flush_text(offset, feed as u32)?;
                self.cuts.push(self.y);
            }
            Command::Status(n) => self.status_queries.push(n),
        }
        Ok(())
    }

    /// A text byte: a new cell, or a tone mark over the last one (Windows-1258).
    fn text(&mut self, byte: u8, offset: usize) -> Result<(), DecodeError> {
        let table = self.code_table;
        let glyph = codepage::glyph(table, byte).ok_or(if byte < 0x80 || codepage::known_table(table) {
            DecodeError::Unassigned { offset, byte, code_table: table }
        } else {
            DecodeError::NonAsciiText { offset, byte, code_table: table }
        })?;
        let c = match glyph {
            Glyph::Combining(mark) if !self.line.is_empty() => {
                let last = self.line.last_mut().expect("checked non-empty");
                last.text.push(mark);
                return Ok(());
            }
            // A tone mark with nothing before it on the line prints on its own.
            Glyph::Combining(mark) => mark,
            Glyph::Char(c) => c,
        };
        let (w, h) = self.font.cell();
        let cell = Cell { text: c.to_string(), w: w * self.size.0, h: h * self.size.1, bold: self.bold };
        if self.line_w + cell.w > self.printable() {
            // Automatic wrap, as the printer does when a line overflows.
            self.flush_text(offset, self.line_spacing)?;
        }
        self.line_w += cell.w;
        self.line.push(cell);
        Ok(())
    }

    fn qr(&mut self, func: u8, params: &[u8], offset: usize) -> Result<(), DecodeError> {
        // Parameters start after pL pH cn fn: 7 bytes into the command.
        let bad = |i: usize, why| DecodeError::bad(offset + 7 + i, "GS ( k QR", params.get(i).copied().unwrap_or(0), why);
        match (func, params) {
            (65, [50, _]) => {}
            (65, _) => return Err(bad(0, "only QR model 2 (n1 = 50) is supported")),
            (67, [n @ 1..=16]) => self.qr_module = *n as u32,
            (67, _) => return Err(bad(0, "module size must be 1-16 dots")),
            (69, [n]) if QrEcc::from_escpos_byte(*n).is_some() => {
                self.qr_ecc = QrEcc::from_escpos_byte(*n).expect("checked by the guard");
            }
            (69, _) => return Err(bad(0, "error correction must be 48-51")),
            (80, [48, data @ ..]) => self.qr_data = Some(data.to_vec()),
            (80, _) => return Err(bad(0, "store needs m = 48")),
            (81, [48]) => {
                self.require_empty_line(offset, "GS ( k print")?;
                let data = self.qr_data.as_deref().ok_or(DecodeError::QrNoData { offset })?;
                let symbol = qr::render(data, self.qr_module, self.qr_ecc).map_err(|source| DecodeError::Qr { offset, source })?;
                let x = self.place(symbol.width(), offset)?;
                let top = self.y;
                self.advance(symbol.height(), offset)?;
                self.paper.blit(&symbol, x as i64, top as i64);
            }
            (81, _) => return Err(bad(0, "print needs m = 48")),
            (byte, _) => return Err(DecodeError::UnknownCommand { offset: offset + 6, prefix: "GS ( k QR function", byte }),
        }
        Ok(())
    }
}

/// Prints a whole stream on a printer `width` dots wide and returns the paper.
pub fn decode(bytes: &[u8], width: u32) -> Result<Bitmap, DecodeError> {
    let mut p = VirtualPrinter::new(width);
    p.write(bytes)?;
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves centring uses (area - width) / 2 and that m=3 doubles both ways.
    #[test]
    fn raster_centred_and_doubled() {
        let bytes = [0x1B, b'a', 1, 0x1D, b'v', b'0', 3, 1, 0, 1, 0, 0x80];
        let paper = decode(&bytes, 64).unwrap();
        assert_eq!(paper.height(), 2);
        assert!(paper.get(24, 0) && paper.get(25, 1) && !paper.get(26, 0) && !paper.get(23, 0));
    }

    // Proves GS L and GS W bound the area that right justification (ESC a 2) measures from.
    #[test]
    fn margin_and_area_width() {
        let bytes = [0x1D, b'L', 8, 0, 0x1D, b'W', 16, 0, 0x1B, b'a', 2, 0x1D, b'v', b'0', 0, 1, 0, 1, 0, 0x80];
        let paper = decode(&bytes, 64).unwrap();
        assert!(paper.get(16, 0) && paper.count_black() == 1);
        let too_wide = [0x1D, b'W', 8, 0, 0x1D, b'v', b'0', 0, 2, 0, 1, 0, 0, 0];
        assert_eq!(decode(&too_wide, 64).unwrap_err().to_string(), "raster at offset 4 is 16 dots wide but only 8 dots are printable");
    }

    // Proves plain text prints visibly and LF feeds the line spacing.
    #[test]
    fn text_lines_print() {
        let paper = decode(b"HELLO\n\n", 576).unwrap();
        assert_eq!(paper.height(), 60);
        assert!(paper.rows(0, 30).count_black() > 50);
        assert_eq!(paper.rows(30, 60).count_black(), 0);
    }

    // Proves the truncation error names where the incomplete command began.
    #[test]
    fn truncated_stream_error() {
        let e = decode(&[0x1B, b'@', 0x1D, b'v', b'0', 0, 2, 0, 2, 0, 1], 576).unwrap_err();
        assert_eq!(e.to_string(), "stream ends inside GS v 0 at offset 2: it needs 12 bytes, 9 present");
    }

    // Proves writes split mid-command decode the same as one write, and status queries are
    // reported rather than printed.
    #[test]
    fn split_writes_and_status() {
        let bytes = [0x10, 0x04, 1, 0x1B, b'J', 5, 0x1D, b'v', b'0', 0, 1, 0, 2, 0, 0xFF, 0x0F];
        for cut in 0..bytes.len() {
            let mut p = VirtualPrinter::new(16);
            p.write(&bytes[..cut]).unwrap();
            p.write(&bytes[cut..]).unwrap();
            assert_eq!(p.take_status_queries(), vec![1]);
            let paper = p.finish().unwrap();
            assert_eq!((paper.height(), paper.count_black()), (7, 12));
        }
    }

    // Proves bytes of a code table the virtual printer lacks, and empty cells of the tables it
    // has, are refused, not printed as garbage.
    #[test]
    fn non_ascii_refused() {
        let e = decode(&[0x1B, b't', 16, b'a', 0xE0], 576).unwrap_err();
        assert!(matches!(e, DecodeError::NonAsciiText { offset: 4, byte: 0xE0, code_table: 16 }), "{e}");
        for (table, byte) in [(30, 0x80), (30, 0xA1), (31, 0xA8), (52, 0x81)] {
            let e = decode(&[0x1B, b't', table, byte], 576).unwrap_err();
            assert_eq!(e.to_string(), format!("text byte 0x{byte:02X} at offset 3 is not a character of code table {table}"));
        }
    }

    // Proves code-page text decodes to the right characters: TCVN-3 switching between its
    // lower-case and capital pages mid-line, Windows-1258 tone bytes joining the letter before
    // them (one cell each), font B and magnification setting the cell size.
    #[test]
    fn code_page_text_decodes() {
        #[rustfmt::skip]
        let bytes = [
            0x1B, b't', 31, 0xA7, 0x1B, b't', 30, 0xAD, 0xEA, b'n', b'g', b'\n',
            0x1B, b't', 52, b'V', b'i', 0xEA, 0xF2, b't', b' ', 0xD4, 0xEC, b'\n',
            0x1B, b'!', 1, b'x', b'\n',
            0x1B, b'!', 0, 0x1D, b'!', 0x11, b'y', b'\n',
        ];
        let mut p = VirtualPrinter::new(576);
        p.write(&bytes).unwrap();
        let lines: Vec<(u32, &str)> = p.printed_lines().iter().map(|l| (l.top, l.text.as_str())).collect();
        assert_eq!(lines, [(0, "Đường"), (30, "Việt Ố"), (60, "x"), (90, "y")]);
        let paper = p.finish().unwrap();
        // "Việt Ố" is 6 cells of 12 dots: nothing printed right of 72 dots on that line.
        let line2 = paper.rows(30, 54);
        assert!((0..24).all(|y| (72..576).all(|x| !line2.get(x, y))));
        assert!(line2.count_black() > 100);
        // Font B: a 9 × 17 cell; GS ! 0x11: a 24 × 48 cell (the line feeds 48 > 30).
        assert!(paper.rows(60, 90).count_black() > 0 && paper.height() == 90 + 48);
    }
}

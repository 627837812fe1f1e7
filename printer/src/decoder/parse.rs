//! Framing of an ESC/POS byte stream into commands, without acting on them.
//!
//! Separate from the virtual printer so that a streaming reader (the fake printers of the
//! transport tests) can find command boundaries in partial input: a raster's payload may contain
//! `10 04 01`, which is data there, not a status query.

use super::DecodeError;

/// One framed command; slices borrow the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command<'a> {
    /// A printable byte for the text buffer.
    Text(u8),
    /// `LF`: print the line and feed one line.
    Lf,
    /// `CR`: ignored, as receipt printers do with auto line feed off.
    Cr,
    /// `ESC @`.
    Init,
    /// `ESC a n`.
    Justify(u8),
    /// `ESC J n`.
    FeedDots(u8),
    /// `ESC d n`.
    FeedLines(u8),
    /// `ESC 2` (None) or `ESC 3 n`.
    LineSpacing(Option<u8>),
    /// `ESC t n`.
    CodeTable(u8),
    /// `ESC E n`.
    Emphasis(u8),
    /// `ESC ! n`.
    PrintMode(u8),
    /// `ESC M n`: character font.
    Font(u8),
    /// `GS ! n`.
    CharSize(u8),
    /// `GS L nL nH`.
    LeftMargin(u16),
    /// `GS W nL nH`.
    AreaWidth(u16),
    /// `GS v 0 m xL xH yL yH d…`.
    Raster { mode: u8, width_bytes: u16, rows: u16, data: &'a [u8] },
    /// `GS ( k pL pH 49 fn params…` (QR functions only).
    Qr { func: u8, params: &'a [u8] },
    /// `GS V m [n]`: `feed` is n for m 65/66, else 0.
    Cut { mode: u8, feed: u8 },
    /// `DLE EOT n`.
    Status(u8),
}

/// Result of framing at one position.
#[derive(Debug, PartialEq, Eq)]
pub enum Framed<'a> {
    /// A command and its length in bytes.
    Complete(Command<'a>, usize),
    /// The input ends inside a command that needs `needed` bytes in all.
    Incomplete { command: &'static str, needed: usize },
}

fn need<'a>(buf: &[u8], n: usize, command: &'static str) -> Option<Framed<'a>> {
    (buf.len() < n).then_some(Framed::Incomplete { command, needed: n })
}

fn u16_at(buf: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([buf[i], buf[i + 1]])
}

/// Frames the command starting at `buf[0]`; `offset` is its position in the stream, for errors.
pub fn frame(buf: &[u8], offset: usize) -> Result<Framed<'_>, DecodeError> {
    use Command::*;
    let Some(&first) = buf.first() else {
        return Ok(Framed::Incomplete { command: "command", needed: 1 });
    };
    let one = |c| Ok(Framed::Complete(c, 1));
    match first {
        0x0A => one(Lf),
        0x0D => one(Cr),
        0x20..=0x7E | 0x80..=0xFF => one(Text(first)),
        0x1B => {
            if let Some(f) = need(buf, 2, "ESC") {
                return Ok(f);
            }
            let with_n = |name: &'static str, c: fn(u8) -> Command<'static>| match need(buf, 3, name) {
                Some(f) => Ok(f),
                None => Ok(Framed::Complete(c(buf[2]), 3)),
            };
            match buf[1] {
                b'@' => Ok(Framed::Complete(Init, 2)),
                b'2' => Ok(Framed::Complete(LineSpacing(None), 2)),
                b'a' => with_n("ESC a", Justify),
                b'J' => with_n("ESC J", FeedDots),
                b'd' => with_n("ESC d", FeedLines),
                b'3' => with_n("ESC 3", |n| LineSpacing(Some(n))),
                b't' => with_n("ESC t", CodeTable),
                b'E' => with_n("ESC E", Emphasis),
                b'!' => with_n("ESC !", PrintMode),
                b'M' => with_n("ESC M", Font),
                byte => Err(DecodeError::UnknownCommand { offset, prefix: "ESC", byte }),
            }
        }
        0x1D => {
            if let Some(f) = need(buf, 2, "GS") {
                return Ok(f);
            }
            match buf[1] {
                b'!' => Ok(need(buf, 3, "GS !").unwrap_or_else(|| Framed::Complete(CharSize(buf[2]), 3))),
                b'L' => Ok(need(buf, 4, "GS L").unwrap_or_else(|| Framed::Complete(LeftMargin(u16_at(buf, 2)), 4))),
                b'W' => Ok(need(buf, 4, "GS W").unwrap_or_else(|| Framed::Complete(AreaWidth(u16_at(buf, 2)), 4))),
                b'V' => {
                    if let Some(f) = need(buf, 3, "GS V") {
                        return Ok(f);
                    }
                    match buf[2] {
                        0 | 1 | 48 | 49 => Ok(Framed::Complete(Cut { mode: buf[2], feed: 0 }, 3)),
                        65 | 66 => Ok(need(buf, 4, "GS V").unwrap_or_else(|| Framed::Complete(Cut { mode: buf[2], feed: buf[3] }, 4))),
                        byte => Err(DecodeError::bad(offset + 2, "GS V", byte, "cut mode must be 0, 1, 48, 49, 65 or 66")),
                    }
                }
                b'v' => {
                    if let Some(f) = need(buf, 3, "GS v") {
                        return Ok(f);
                    }
                    if buf[2] != b'0' {
                        return Err(DecodeError::UnknownCommand { offset: offset + 2, prefix: "GS v", byte: buf[2] });
                    }
                    if let Some(f) = need(buf, 8, "GS v 0") {
                        return Ok(f);
                    }
                    let mode = buf[3];
                    if !matches!(mode, 0..=3 | 48..=51) {
                        return Err(DecodeError::bad(offset + 3, "GS v 0", mode, "raster mode must be 0-3 or 48-51"));
                    }
                    let (width_bytes, rows) = (u16_at(buf, 4), u16_at(buf, 6));
                    let total = 8 + width_bytes as usize * rows as usize;
                    if let Some(f) = need(buf, total, "GS v 0") {
                        return Ok(f);
                    }
                    Ok(Framed::Complete(Raster { mode: mode & 3, width_bytes, rows, data: &buf[8..total] }, total))
                }
                b'(' => {
                    if let Some(f) = need(buf, 5, "GS (") {
                        return Ok(f);
                    }
                    if buf[2] != b'k' {
                        return Err(DecodeError::UnknownCommand { offset: offset + 2, prefix: "GS (", byte: buf[2] });
                    }
                    let p = u16_at(buf, 3) as usize;
                    if p < 2 {
                        return Err(DecodeError::bad(offset + 3, "GS ( k", buf[3], "parameter count below 2 (cn and fn)"));
                    }
                    if let Some(f) = need(buf, 5 + p, "GS ( k") {
                        return Ok(f);
                    }
                    if buf[5] != 49 {
                        return Err(DecodeError::UnknownCommand { offset: offset + 5, prefix: "GS ( k (symbol type)", byte: buf[5] });
                    }
                    Ok(Framed::Complete(Qr { func: buf[6], params: &buf[7..5 + p] }, 5 + p))
                }
                byte => Err(DecodeError::UnknownCommand { offset: offset + 1, prefix: "GS", byte }),
            }
        }
        0x10 => {
            if let Some(f) = need(buf, 3, "DLE") {
                return Ok(f);
            }
            match (buf[1], buf[2]) {
                (0x04, 1..=4) => Ok(Framed::Complete(Status(buf[2]), 3)),
                (0x04, byte) => Err(DecodeError::bad(offset + 2, "DLE EOT", byte, "status type must be 1-4")),
                (byte, _) => Err(DecodeError::UnknownCommand { offset: offset + 1, prefix: "DLE", byte }),
            }
        }
        byte => Err(DecodeError::UnknownCommand { offset, prefix: "control", byte }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves a raster whose payload holds DLE EOT bytes frames as one command (data is not status).
    #[test]
    fn raster_payload_is_opaque() {
        let bytes = [0x1D, b'v', b'0', 0, 3, 0, 1, 0, 0x10, 0x04, 0x01];
        match frame(&bytes, 0).unwrap() {
            Framed::Complete(Command::Raster { width_bytes: 3, rows: 1, data, .. }, 11) => {
                assert_eq!(data, [0x10, 0x04, 0x01])
            }
            other => panic!("{other:?}"),
        }
    }

    // Proves a partial command reports how many bytes it needs instead of failing.
    #[test]
    fn partial_is_incomplete() {
        let bytes = [0x1D, b'v', b'0', 0, 2, 0, 2, 0, 0xFF];
        assert_eq!(frame(&bytes, 0).unwrap(), Framed::Incomplete { command: "GS v 0", needed: 12 });
        assert_eq!(frame(&[0x1B], 0).unwrap(), Framed::Incomplete { command: "ESC", needed: 2 });
    }

    // Proves unknown commands name their offset and byte.
    #[test]
    fn unknown_names_offset_and_byte() {
        let e = frame(&[0x1D, 0x99], 40).unwrap_err();
        assert_eq!(e.to_string(), "unknown command GS 0x99 at offset 41");
    }
}

//! QR symbols as 1-bit bitmaps.
//!
//! Both the layout (raster QR) and the virtual printer (`GS ( k` print) draw through this one
//! function, with the same error-correction level and the smallest version that fits, so a
//! native-QR ticket decodes to the very pixels the raster path would have sent.

use qrcode::{EcLevel, QrCode};
use thiserror::Error;

use crate::bitmap::Bitmap;

/// QR error-correction level (ESC/POS `GS ( k` function 169 values 48..=51).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrEcc {
    L,
    M,
    Q,
    H,
}

impl QrEcc {
    /// The `n` byte of `GS ( k` function 169.
    pub fn escpos_byte(self) -> u8 {
        match self {
            QrEcc::L => 48,
            QrEcc::M => 49,
            QrEcc::Q => 50,
            QrEcc::H => 51,
        }
    }
    pub fn from_escpos_byte(b: u8) -> Option<Self> {
        Some(match b {
            48 => QrEcc::L,
            49 => QrEcc::M,
            50 => QrEcc::Q,
            51 => QrEcc::H,
            _ => return None,
        })
    }
    fn level(self) -> EcLevel {
        match self {
            QrEcc::L => EcLevel::L,
            QrEcc::M => EcLevel::M,
            QrEcc::Q => EcLevel::Q,
            QrEcc::H => EcLevel::H,
        }
    }
}

/// The payload cannot become a QR symbol.
#[derive(Debug, Error)]
#[error("cannot encode {len} bytes as a QR code at error correction {ecc:?}: {source}")]
pub struct QrError {
    pub len: usize,
    pub ecc: QrEcc,
    #[source]
    pub source: qrcode::types::QrError,
}

/// Draws `payload` with `module` dots per module and no quiet zone (the layout leaves white space).
pub fn render(payload: &[u8], module: u32, ecc: QrEcc) -> Result<Bitmap, QrError> {
    let code = QrCode::with_error_correction_level(payload, ecc.level()).map_err(|source| QrError { len: payload.len(), ecc, source })?;
    let n = code.width() as u32;
    let colors = code.to_colors();
    let mut bmp = Bitmap::new(n * module, n * module);
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % n, i as u32 / n);
            bmp.fill_rect((mx * module) as i64, (my * module) as i64, module, module);
        }
    }
    Ok(bmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves module scaling: a version-1 symbol (21 modules) at 4 dots is 84 dots square with the
    // finder pattern's dark top-left module filling a 4x4 block.
    #[test]
    fn module_size_scales_symbol() {
        let b = render(b"A123", 4, QrEcc::M).unwrap();
        assert_eq!((b.width(), b.height()), (84, 84));
        assert!(b.get(0, 0) && b.get(3, 3) && !b.get(4, 4));
    }

    // Proves an oversize payload is an error with its length, not a panic.
    #[test]
    fn oversize_payload_is_error() {
        let e = render(&vec![b'x'; 5000], 2, QrEcc::H).unwrap_err();
        assert_eq!(e.len, 5000);
    }
}

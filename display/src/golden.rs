//! Golden images: a rendered picture is compared with the PNG in `images/` by its decoded
//! pixels, with a small tolerance (anti-aliasing may shift by a level between library
//! versions; a real change moves whole glyphs). Regenerate with `display-screens images`.
use std::path::Path;

/// How far a picture may be from its golden image.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// A channel differing by at most this much is the same.
    pub channel: u8,
    /// At most this share of pixels may differ by more.
    pub share: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance { channel: 24, share: 0.002 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GoldenError {
    #[error("cannot read {path}: {reason} (regenerate with `cargo run -p display --bin display-screens -- images`)")]
    Read { path: String, reason: String },
    #[error("{path}: the picture is {got_w}x{got_h}, the golden image {want_w}x{want_h}")]
    Size { path: String, got_w: u32, got_h: u32, want_w: u32, want_h: u32 },
    #[error("{path}: {differ} of {total} pixels differ (first at {x},{y}): the rendering changed")]
    Pixels { path: String, differ: usize, total: usize, x: u32, y: u32 },
}

/// Decodes a PNG to 8-bit RGB: (width, height, bytes).
pub fn decode_rgb(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => buf.chunks(2).flat_map(|p| [p[0], p[0], p[0]]).collect(),
        png::ColorType::Indexed => return Err("indexed colour after expansion".into()),
    };
    Ok((info.width, info.height, rgb))
}

/// Compares an RGB picture with the golden PNG at `path`.
pub fn compare(path: &Path, w: u32, h: u32, rgb: &[u8], tol: Tolerance) -> Result<(), GoldenError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| GoldenError::Read { path: name.clone(), reason: e.to_string() })?;
    let (gw, gh, golden) = decode_rgb(&bytes).map_err(|reason| GoldenError::Read { path: name.clone(), reason })?;
    if (gw, gh) != (w, h) {
        return Err(GoldenError::Size { path: name, got_w: w, got_h: h, want_w: gw, want_h: gh });
    }
    let mut differ = 0;
    let mut first = None;
    for (i, (a, b)) in rgb.chunks(3).zip(golden.chunks(3)).enumerate() {
        if a.iter().zip(b).any(|(x, y)| x.abs_diff(*y) > tol.channel) {
            differ += 1;
            first.get_or_insert(i);
        }
    }
    let total = (w * h) as usize;
    if differ as f64 > tol.share * total as f64 {
        let i = first.unwrap_or(0) as u32;
        return Err(GoldenError::Pixels { path: name, differ, total, x: i % w, y: i / w });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_differences_pass_and_real_changes_fail() {
        // Proves the tolerance: one anti-aliasing level off everywhere passes; a block of
        // changed pixels (a different glyph) fails with where it starts.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.png");
        let (w, h) = (100u32, 50u32);
        let base: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, crate::boards::headless::encode_png(w, h, &base, crate::boards::headless::Compression::Fast).unwrap())
            .unwrap();
        let near: Vec<u8> = base.iter().map(|b| b.saturating_add(3)).collect();
        compare(&path, w, h, &near, Tolerance::default()).unwrap();
        let mut far = base.clone();
        for y in 10..20 {
            for x in 30..40 {
                let i = ((y * w + x) * 3) as usize;
                far[i] = far[i].wrapping_add(128);
            }
        }
        let err = compare(&path, w, h, &far, Tolerance::default()).unwrap_err();
        assert!(matches!(err, GoldenError::Pixels { differ: 100, x: 30, y: 10, .. }), "{err}");
        assert!(matches!(compare(&path, w, h + 1, &base, Tolerance::default()), Err(GoldenError::Size { .. })));
    }
}

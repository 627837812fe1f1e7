//! A centre's logo: any PNG (grey, colour, with or without transparency) → a 1-bit [`Bitmap`]
//! the printer can print.
//!
//! Transparent pixels count as paper. A logo wider than the paper is scaled down by averaging
//! (never cropped). Line art (nearly every pixel near black or near white) is thresholded, which
//! keeps its edges crisp; an image with real grey tones (a photo, a shaded emblem) is dithered
//! (Floyd–Steinberg), since a thermal head has no grey and thresholding would flatten it.

use thiserror::Error;

use crate::bitmap::Bitmap;

/// Largest PNG accepted, in pixels per side: a logo is a few hundred; this bounds the memory a
/// hostile or mistaken file can take.
pub const MAX_SIDE: u32 = 4096;

/// The PNG cannot become a logo.
#[derive(Debug, Error)]
pub enum ImageError {
    #[error("not a readable PNG: {0}")]
    Decode(#[from] png::DecodingError),
    #[error("the image is {width}x{height} pixels; at most {MAX_SIDE}x{MAX_SIDE} is accepted")]
    TooLarge { width: u32, height: u32 },
    #[error("the image has no pixels")]
    Empty,
}

/// Share of mid-grey pixels above which an image is dithered rather than thresholded.
const GREY_SHARE: f64 = 0.05;

/// Decodes `png_bytes` and turns it into ink, at most `max_width` dots wide.
pub fn logo_from_png(png_bytes: &[u8], max_width: u32) -> Result<Bitmap, ImageError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info()?;
    let (w, h) = {
        let info = reader.info();
        (info.width, info.height)
    };
    if w == 0 || h == 0 {
        return Err(ImageError::Empty);
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(ImageError::TooLarge { width: w, height: h });
    }
    let size = reader.output_buffer_size().ok_or(ImageError::TooLarge { width: w, height: h })?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf)?;
    let channels = frame.color_type.samples();
    // Luminance over white paper, 0 = black, 255 = white.
    let grey: Vec<f32> = (0..(w * h) as usize)
        .map(|i| {
            let row = i / w as usize;
            let px = &buf[row * frame.line_size + (i % w as usize) * channels..];
            let (lum, alpha) = match channels {
                1 => (px[0] as f32, 255.0),
                2 => (px[0] as f32, px[1] as f32),
                3 => (luma(px[0], px[1], px[2]), 255.0),
                _ => (luma(px[0], px[1], px[2]), px[3] as f32),
            };
            let a = alpha / 255.0;
            lum * a + 255.0 * (1.0 - a)
        })
        .collect();
    let (grey, w, h) = if w > max_width && max_width > 0 {
        let nh = ((h as u64 * max_width as u64).div_ceil(w as u64) as u32).max(1);
        (shrink(&grey, w, h, max_width, nh), max_width, nh)
    } else {
        (grey, w, h)
    };
    let mid = grey.iter().filter(|&&g| (48.0..208.0).contains(&g)).count();
    Ok(if mid as f64 > GREY_SHARE * grey.len() as f64 { dither(grey, w, h) } else { threshold(&grey, w, h) })
}

fn luma(r: u8, g: u8, b: u8) -> f32 {
    // ITU-R BT.601 weights.
    0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32
}

/// Area-average downscale from `w`×`h` to `nw`×`nh`.
fn shrink(src: &[f32], w: u32, h: u32, nw: u32, nh: u32) -> Vec<f32> {
    let mut out = vec![0.0; (nw * nh) as usize];
    for ny in 0..nh {
        let (y0, y1) = (ny * h / nh, ((ny + 1) * h / nh).max(ny * h / nh + 1));
        for nx in 0..nw {
            let (x0, x1) = (nx * w / nw, ((nx + 1) * w / nw).max(nx * w / nw + 1));
            let mut sum = 0.0;
            for y in y0..y1.min(h) {
                for x in x0..x1.min(w) {
                    sum += src[(y * w + x) as usize];
                }
            }
            out[(ny * nw + nx) as usize] = sum / ((y1 - y0) * (x1 - x0)) as f32;
        }
    }
    out
}

fn threshold(grey: &[f32], w: u32, h: u32) -> Bitmap {
    let mut out = Bitmap::new(w, h);
    for (i, &g) in grey.iter().enumerate() {
        if g < 128.0 {
            out.set((i as u32 % w) as i64, (i as u32 / w) as i64, true);
        }
    }
    out
}

fn dither(mut grey: Vec<f32>, w: u32, h: u32) -> Bitmap {
    let mut out = Bitmap::new(w, h);
    let (w, h) = (w as usize, h as usize);
    for y in 0..h {
        for x in 0..w {
            let old = grey[y * w + x];
            let black = old < 128.0;
            if black {
                out.set(x as i64, y as i64, true);
            }
            let err = old - if black { 0.0 } else { 255.0 };
            let mut spread = |dx: isize, dy: usize, k: f32| {
                let nx = x as isize + dx;
                if nx >= 0 && (nx as usize) < w && y + dy < h {
                    grey[(y + dy) * w + nx as usize] += err * k;
                }
            };
            spread(1, 0, 7.0 / 16.0);
            spread(-1, 1, 3.0 / 16.0);
            spread(0, 1, 5.0 / 16.0);
            spread(1, 1, 1.0 / 16.0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, color: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        out
    }

    // Proves line art is thresholded exactly, and transparent pixels are paper whatever their
    // colour.
    #[test]
    fn line_art_and_transparency() {
        // 4x1 RGBA: black, white, transparent black, half-grey-ish dark red.
        let data = [0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 120, 0, 0, 255];
        let b = logo_from_png(&png(4, 1, png::ColorType::Rgba, &data), 576).unwrap();
        assert_eq!((b.width(), b.height()), (4, 1));
        assert!(b.get(0, 0) && !b.get(1, 0) && !b.get(2, 0) && b.get(3, 0));
    }

    // Proves a grey ramp is dithered (ink density follows the grey level) rather than cut in half.
    #[test]
    fn grey_tones_are_dithered() {
        let (w, h) = (256u32, 32u32);
        let data: Vec<u8> = (0..h).flat_map(|_| (0..w).map(|x| x as u8)).collect();
        let b = logo_from_png(&png(w, h, png::ColorType::Grayscale, &data), 576).unwrap();
        let density = |x0: u32| {
            let ink = (x0..x0 + 32).flat_map(|x| (0..h).map(move |y| (x, y))).filter(|&(x, y)| b.get(x, y)).count();
            ink as f64 / (32 * h) as f64
        };
        let (dark, mid, light) = (density(0), density(112), density(224));
        assert!(dark > 0.8 && light < 0.2, "{dark} {light}");
        assert!((0.3..0.7).contains(&mid), "{mid}");
    }

    // Proves a logo wider than the paper is scaled down to fit, keeping its proportions.
    #[test]
    fn wide_logo_is_scaled_down() {
        let (w, h) = (1000u32, 200u32);
        let data: Vec<u8> = (0..w * h).map(|i| if (i % w) < 500 { 0 } else { 255 }).collect();
        let b = logo_from_png(&png(w, h, png::ColorType::Grayscale, &data), 384).unwrap();
        assert_eq!((b.width(), b.height()), (384, 77));
        assert!(b.get(0, 40) && b.get(190, 40) && !b.get(194, 40) && !b.get(383, 40));
    }

    // Proves a file that is not a PNG, and an absurdly large one, are clear errors.
    #[test]
    fn bad_files_are_errors() {
        let e = logo_from_png(b"GIF89a....", 576).unwrap_err();
        assert!(e.to_string().starts_with("not a readable PNG"), "{e}");
        let huge = png(5000, 1, png::ColorType::Grayscale, &vec![0; 5000]);
        assert!(matches!(logo_from_png(&huge, 576), Err(ImageError::TooLarge { width: 5000, height: 1 })));
    }
}

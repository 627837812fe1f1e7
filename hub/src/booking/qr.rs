//! A booking's QR code as an SVG image: one path of the dark modules, a quiet zone of four,
//! drawn by the browser at any size (the phone is held under the kiosk's scanner).
use qrcode::{Color, EcLevel, QrCode};

/// The SVG of `payload`, or None when it does not fit a QR code.
pub fn svg(payload: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = n + 2 * quiet;
    let mut path = String::with_capacity(n * n * 4);
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % n + quiet, i / n + quiet));
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

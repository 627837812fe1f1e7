//! What is done to one window: a finger's taps, presses and scrolls, keys typed, a close request, drawing it, and
//! writing what it shows as a PNG file.
use slint::platform::software_renderer::MinimalSoftwareWindow;
use slint::platform::{PointerEventButton, WindowAdapter, WindowEvent};
use slint::LogicalPosition;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot encode the PNG {path}: {source}")]
    Png { path: PathBuf, source: png::EncodingError },
}

/// A finger pressing and lifting at `(x, y)` in logical pixels.
pub fn tap(window: &MinimalSoftwareWindow, x: f32, y: f32) {
    press(window, x, y);
    release(window, x, y);
}

/// A finger coming down at `(x, y)` and staying there (a long press), until [`release`].
pub fn press(window: &MinimalSoftwareWindow, x: f32, y: f32) {
    let position = LogicalPosition::new(x, y);
    window.dispatch_event(WindowEvent::PointerMoved { position });
    window.dispatch_event(WindowEvent::PointerPressed { position, button: PointerEventButton::Left });
}

/// The finger of [`press`] lifting at `(x, y)`, and leaving the window.
pub fn release(window: &MinimalSoftwareWindow, x: f32, y: f32) {
    let position = LogicalPosition::new(x, y);
    window.dispatch_event(WindowEvent::PointerReleased { position, button: PointerEventButton::Left });
    window.dispatch_event(WindowEvent::PointerExited);
}

/// A wheel (or a finger's flick) at `(x, y)`: the content moves by `dy` logical pixels (negative:
/// the content moves up, what lies below comes into view).
pub fn scroll(window: &MinimalSoftwareWindow, x: f32, y: f32, dy: f32) {
    let position = LogicalPosition::new(x, y);
    window.dispatch_event(WindowEvent::PointerMoved { position });
    window.dispatch_event(WindowEvent::PointerScrolled { position, delta_x: 0.0, delta_y: dy });
    window.dispatch_event(WindowEvent::PointerExited);
}

/// A keyboard, or a keyboard-wedge scanner, typing `text`: a press and a release for each
/// character ("\n" is Return).
pub fn type_text(window: &MinimalSoftwareWindow, text: &str) {
    for c in text.chars() {
        let text: slint::SharedString = c.into();
        window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text });
    }
}

/// What a window manager sends for its close button or Alt+F4.
pub fn request_close(window: &MinimalSoftwareWindow) {
    window.dispatch_event(WindowEvent::CloseRequested);
}

/// Whether the window is shown.
pub fn visible(window: &MinimalSoftwareWindow) -> bool {
    window.window().is_visible()
}

/// Draws the whole window now: width, height and RGB bytes.
pub fn render(window: &MinimalSoftwareWindow) -> (u32, u32, Vec<u8>) {
    let size = window.size();
    let (w, h) = (size.width, size.height);
    let mut pixels = vec![slint::Rgb8Pixel::default(); (w * h) as usize];
    window.request_redraw();
    window.draw_if_needed(|renderer| {
        renderer.render(&mut pixels, w as usize);
    });
    let bytes = pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    (w, h, bytes)
}

/// Encodes RGB bytes as a PNG: `Compression::Fast` for snapshots rewritten as the screen
/// changes, `High` for pictures that are kept.
pub fn encode_png(w: u32, h: u32, rgb: &[u8], compression: png::Compression) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(compression);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Writes a PNG atomically (beside, then renamed), so a viewer never reads half a picture.
pub fn write_png(path: &Path, w: u32, h: u32, rgb: &[u8], compression: png::Compression) -> Result<(), SnapshotError> {
    let bytes = encode_png(w, h, rgb, compression).map_err(|source| SnapshotError::Png { path: path.to_owned(), source })?;
    let tmp = path.with_extension("png.tmp");
    std::fs::write(&tmp, bytes).map_err(|source| SnapshotError::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(|source| SnapshotError::Io { path: path.to_owned(), source })
}

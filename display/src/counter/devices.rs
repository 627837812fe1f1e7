//! Counter screen devices behind one trait: the PNG simulator (a file rewritten per frame
//! change) and the Linux framebuffer (raw pixels written to `/dev/fbN`). The RS-485 LED
//! panel is in [`super::rs485`].
use super::{render, CounterView, Frame};
use crate::config::PixelFormat;
use embedded_graphics::pixelcolor::{Rgb565, Rgb888};
use embedded_graphics::prelude::*;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {reason}")]
    Setup { path: String, reason: String },
}

impl DeviceError {
    pub(crate) fn io(path: impl AsRef<Path>) -> impl FnOnce(std::io::Error) -> DeviceError {
        let path = path.as_ref().display().to_string();
        move |source| DeviceError::Io { path, source }
    }
}

/// A counter screen: shows a view. Called only when the view changed.
pub trait CounterDevice: Send {
    fn show(&mut self, view: &CounterView) -> Result<(), DeviceError>;
    /// The health code reported while `show` fails.
    fn problem_code(&self) -> &'static str {
        "screen_unwritable"
    }
}

/// RGB565 to 8-bit channels, replicating the high bits so white stays 255.
fn rgb888(c: Rgb565) -> [u8; 3] {
    let c: Rgb888 = c.into();
    [c.r(), c.g(), c.b()]
}

/// Encodes a frame as an 8-bit RGB PNG.
pub fn encode_png(frame: &Frame) -> Vec<u8> {
    let data: Vec<u8> = frame.pixels.iter().flat_map(|&c| rgb888(c)).collect();
    // Writing to memory cannot fail and the sizes match by construction.
    headless::encode_png(frame.size.width, frame.size.height, &data, headless::Compression::Balanced).expect("a frame's PNG in memory")
}

/// The simulator: renders each new view and replaces `path` atomically (write then rename),
/// so a viewer or a test never reads half a PNG.
pub struct PngDevice {
    path: PathBuf,
    frame: Frame,
    /// Frames written, for logs and tests.
    pub frames: u64,
}

impl PngDevice {
    pub fn new(path: PathBuf, width: u32, height: u32) -> PngDevice {
        PngDevice { path, frame: Frame::new(width, height), frames: 0 }
    }
}

impl CounterDevice for PngDevice {
    fn show(&mut self, view: &CounterView) -> Result<(), DeviceError> {
        let Ok(()) = render(&mut self.frame, view);
        let tmp = self.path.with_extension("png.tmp");
        std::fs::write(&tmp, encode_png(&self.frame)).map_err(DeviceError::io(&tmp))?;
        std::fs::rename(&tmp, &self.path).map_err(DeviceError::io(&self.path))?;
        self.frames += 1;
        Ok(())
    }
}

/// Pixels in the framebuffer's layout, little-endian as the Pi's `fb0` expects.
pub fn fb_bytes(frame: &Frame, format: PixelFormat) -> Vec<u8> {
    match format {
        PixelFormat::Rgb565 => frame.pixels.iter().flat_map(|c| c.into_storage().to_le_bytes()).collect(),
        PixelFormat::Xrgb8888 => frame
            .pixels
            .iter()
            .flat_map(|&c| {
                let [r, g, b] = rgb888(c);
                [b, g, r, 0xff]
            })
            .collect(),
    }
}

/// A Linux framebuffer device. The size and format come from the configuration (`fbset`
/// tells them); a regular file stands in for the device in tests and must be exactly the
/// frame's size, so a wrong geometry is caught at start and not as a sheared picture.
pub struct FramebufferDevice {
    file: File,
    path: PathBuf,
    frame: Frame,
    format: PixelFormat,
}

impl FramebufferDevice {
    pub fn open(path: &Path, width: u32, height: u32, format: PixelFormat) -> Result<FramebufferDevice, DeviceError> {
        let file = OpenOptions::new().write(true).open(path).map_err(DeviceError::io(path))?;
        let meta = file.metadata().map_err(DeviceError::io(path))?;
        let bpp = if format == PixelFormat::Rgb565 { 2 } else { 4 };
        let want = u64::from(width) * u64::from(height) * bpp;
        if meta.is_file() && meta.len() != want {
            return Err(DeviceError::Setup {
                path: path.display().to_string(),
                reason: format!("is {} bytes, a {width}x{height} {format:?} frame is {want}", meta.len()),
            });
        }
        Ok(FramebufferDevice { file, path: path.to_owned(), frame: Frame::new(width, height), format })
    }
}

impl CounterDevice for FramebufferDevice {
    fn show(&mut self, view: &CounterView) -> Result<(), DeviceError> {
        let Ok(()) = render(&mut self.frame, view);
        let bytes = fb_bytes(&self.frame, self.format);
        self.file.seek(SeekFrom::Start(0)).map_err(DeviceError::io(&self.path))?;
        self.file.write_all(&bytes).map_err(DeviceError::io(&self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> CounterView {
        CounterView { title: "Quầy 3".into(), number: Some("A012".into()), online: true, notice: None }
    }

    #[test]
    fn the_framebuffer_receives_the_rendered_frame() {
        // Proves the bytes on the device are the renderer's frame in the configured format,
        // for both formats, and that a file of the wrong size is refused at open.
        for (format, bpp) in [(PixelFormat::Rgb565, 2u64), (PixelFormat::Xrgb8888, 4)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("fb0");
            std::fs::write(&path, vec![0u8; (160 * 120 * bpp) as usize]).unwrap();
            let mut fb = FramebufferDevice::open(&path, 160, 120, format).unwrap();
            fb.show(&view()).unwrap();
            let mut expected = Frame::new(160, 120);
            let Ok(()) = render(&mut expected, &view());
            assert_eq!(std::fs::read(&path).unwrap(), fb_bytes(&expected, format));
            assert!(FramebufferDevice::open(&path, 161, 120, format).is_err());
        }
    }

    #[test]
    fn xrgb_white_is_full_white() {
        // Proves the channel widening: RGB565 white must not come out as (248, 252, 248).
        let mut f = Frame::new(1, 1);
        f.pixels[0] = Rgb565::WHITE;
        assert_eq!(fb_bytes(&f, PixelFormat::Xrgb8888), [255, 255, 255, 255]);
        assert_eq!(fb_bytes(&f, PixelFormat::Rgb565), [0xff, 0xff]);
    }

    #[test]
    fn the_simulator_writes_a_decodable_png_per_show() {
        // Proves each show replaces the file with a complete PNG of the configured size.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.png");
        let mut d = PngDevice::new(path.clone(), 128, 96);
        d.show(&view()).unwrap();
        d.show(&CounterView { online: false, ..view() }).unwrap();
        assert_eq!(d.frames, 2);
        let dec = png::Decoder::new(std::io::BufReader::new(File::open(&path).unwrap()));
        let info = dec.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), (128, 96));
        assert!(!dir.path().join("c.png.tmp").exists());
    }

    #[test]
    fn golden_counter_3() {
        // Proves the rendering did not drift: compares the decoded pixels with
        // images/counter-3.png (the README's picture, written by `display-screens images`),
        // within a small tolerance for anti-aliasing.
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../images/counter-3.png");
        let mut f = Frame::new(320, 240);
        let Ok(()) = render(&mut f, &CounterView { title: "Quầy 3".into(), number: Some("A1023".into()), online: true, notice: None });
        let rgb: Vec<u8> = f.pixels.iter().flat_map(|&c| rgb888(c)).collect();
        crate::golden::compare(&golden, 320, 240, &rgb, crate::golden::Tolerance::default()).unwrap();
        // And a different number is caught.
        let Ok(()) = render(&mut f, &CounterView { title: "Quầy 3".into(), number: Some("B1023".into()), online: true, notice: None });
        let rgb: Vec<u8> = f.pixels.iter().flat_map(|&c| rgb888(c)).collect();
        assert!(crate::golden::compare(&golden, 320, 240, &rgb, crate::golden::Tolerance::default()).is_err());
    }
}

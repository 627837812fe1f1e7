//! The touch UI on the display-less platform of the `headless` crate: one window, the kiosk's,
//! with the actions the screenshots and the UI tests take on it. Every action runs what it set
//! off (posted jobs, timers) before it returns, as a real event loop would between frames.
use headless::Compression;
use slint::platform::software_renderer::MinimalSoftwareWindow;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

pub use headless::SnapshotError;

/// The headless display; one per process (Slint allows one platform).
pub struct Headless(headless::Headless);

impl Headless {
    /// Installs the platform; the kiosk's window will be `width`×`height` pixels at scale 1.
    pub fn install(width: u32, height: u32) -> Result<Headless, slint::PlatformError> {
        headless::Headless::install(width, height).map(Headless)
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.0.resize(width, height);
    }

    /// Runs what workers posted, and the timers, once.
    pub fn process(&self) {
        self.0.process();
    }

    /// Processes events until `done` holds or `within` has passed; whether it held.
    pub fn pump_until(&self, within: Duration, done: impl FnMut() -> bool) -> bool {
        self.0.pump_until(within, done)
    }

    /// The kiosk's window: the one created last.
    fn window(&self) -> Rc<MinimalSoftwareWindow> {
        self.0.last_window().expect("the kiosk's window: create the Kiosk before touching it")
    }

    /// A finger pressing and lifting at `(x, y)` in logical pixels.
    pub fn tap(&self, x: f32, y: f32) {
        headless::tap(&self.window(), x, y);
        self.process();
    }

    /// A finger coming down at `(x, y)` and staying there (a long press), until `release`.
    pub fn press(&self, x: f32, y: f32) {
        headless::press(&self.window(), x, y);
        self.process();
    }

    pub fn release(&self, x: f32, y: f32) {
        headless::release(&self.window(), x, y);
        self.process();
    }

    /// The content under `(x, y)` scrolled by `dy` logical pixels (negative: what lies below
    /// comes into view).
    pub fn scroll(&self, x: f32, y: f32, dy: f32) {
        headless::scroll(&self.window(), x, y, dy);
        self.process();
    }

    /// A keyboard-wedge scanner typing `text` (end it with "\n" for the scanner's Enter).
    pub fn type_text(&self, text: &str) {
        headless::type_text(&self.window(), text);
        self.process();
    }

    /// What a window manager sends for its close button or Alt+F4.
    pub fn request_close(&self) {
        headless::request_close(&self.window());
        self.process();
    }

    /// Whether the UI asked to end the event loop (leaving kiosk mode).
    pub fn quit_requested(&self) -> bool {
        self.0.quitting()
    }

    /// Whether the window is shown.
    pub fn visible(&self) -> bool {
        self.0.last_window().is_some_and(|w| headless::visible(&w))
    }

    /// Draws the whole window now: width, height and RGB bytes.
    pub fn render(&self) -> (u32, u32, Vec<u8>) {
        headless::render(&self.window())
    }

    /// Draws the window into a PNG file, compressed hard: these pictures are kept.
    pub fn save_png(&self, path: &Path) -> Result<(), SnapshotError> {
        let (w, h, rgb) = self.render();
        headless::write_png(path, w, h, &rgb, Compression::High)
    }
}

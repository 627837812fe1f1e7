//! A Slint platform without a display: the software renderer draws into memory, and an event
//! queue stands in for the windowing system's, so worker threads can post results to the UI
//! (`slint::invoke_from_event_loop`) exactly as they do in the real window. The screenshots
//! and the UI tests run on it.
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{EventLoopProxy, Platform, PointerEventButton, WindowAdapter, WindowEvent};
use slint::{EventLoopError, LogicalPosition, PhysicalSize, PlatformError};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    posted: Condvar,
    /// `slint::quit_event_loop` was called (there is no loop to end: tests look at this).
    quit: std::sync::atomic::AtomicBool,
}

struct Proxy(Arc<Queue>);

impl EventLoopProxy for Proxy {
    fn quit_event_loop(&self) -> Result<(), EventLoopError> {
        self.0.quit.store(true, std::sync::atomic::Ordering::SeqCst);
        self.0.posted.notify_all();
        Ok(())
    }
    fn invoke_from_event_loop(&self, job: Job) -> Result<(), EventLoopError> {
        self.0.jobs.lock().unwrap_or_else(|p| p.into_inner()).push_back(job);
        self.0.posted.notify_all();
        Ok(())
    }
}

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
    queue: Arc<Queue>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
    fn new_event_loop_proxy(&self) -> Option<Box<dyn EventLoopProxy>> {
        Some(Box::new(Proxy(self.queue.clone())))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot create {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write the PNG {path}: {source}")]
    Png { path: PathBuf, source: png::EncodingError },
}

/// The headless display; one per process (Slint allows one platform).
pub struct Headless {
    window: Rc<MinimalSoftwareWindow>,
    queue: Arc<Queue>,
}

impl Headless {
    /// Installs the platform with a window of `width`×`height` pixels at scale 1.
    pub fn install(width: u32, height: u32) -> Result<Headless, slint::PlatformError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        window.set_size(PhysicalSize::new(width, height));
        let queue = Arc::new(Queue::default());
        slint::platform::set_platform(Box::new(HeadlessPlatform { window: window.clone(), queue: queue.clone() }))
            .map_err(|e| PlatformError::Other(e.to_string()))?;
        Ok(Headless { window, queue })
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.window.set_size(PhysicalSize::new(width, height));
    }

    /// Runs what workers posted, and the timers, once.
    pub fn process(&self) {
        let jobs: Vec<Job> = self.queue.jobs.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        for job in jobs {
            job();
        }
        slint::platform::update_timers_and_animations();
    }

    /// Processes events until `done` holds or `within` has passed; whether it held.
    pub fn pump_until(&self, within: Duration, mut done: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + within;
        loop {
            self.process();
            if done() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            // Wake on the next post (or every 20 ms, for timers).
            let jobs = self.queue.jobs.lock().unwrap_or_else(|p| p.into_inner());
            if jobs.is_empty() {
                let wait = (deadline - now).min(Duration::from_millis(20));
                drop(self.queue.posted.wait_timeout(jobs, wait));
            }
        }
    }

    /// A finger pressing and lifting at `(x, y)` in logical pixels.
    pub fn tap(&self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        let button = PointerEventButton::Left;
        self.window.dispatch_event(WindowEvent::PointerMoved { position });
        self.window.dispatch_event(WindowEvent::PointerPressed { position, button });
        self.window.dispatch_event(WindowEvent::PointerReleased { position, button });
        self.window.dispatch_event(WindowEvent::PointerExited);
        self.process();
    }

    /// A finger coming down at `(x, y)` and staying there (a long press), until `release`.
    pub fn press(&self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        self.window.dispatch_event(WindowEvent::PointerMoved { position });
        self.window.dispatch_event(WindowEvent::PointerPressed { position, button: PointerEventButton::Left });
        self.process();
    }

    pub fn release(&self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        self.window.dispatch_event(WindowEvent::PointerReleased { position, button: PointerEventButton::Left });
        self.window.dispatch_event(WindowEvent::PointerExited);
        self.process();
    }

    /// What a window manager sends for its close button or Alt+F4.
    pub fn request_close(&self) {
        self.window.dispatch_event(WindowEvent::CloseRequested);
        self.process();
    }

    /// Whether the UI asked to end the event loop (leaving kiosk mode).
    pub fn quit_requested(&self) -> bool {
        self.queue.quit.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether the window is shown.
    pub fn visible(&self) -> bool {
        use slint::platform::WindowAdapter;
        self.window.window().is_visible()
    }

    /// Draws the whole window now: width, height and RGB bytes.
    pub fn render(&self) -> (u32, u32, Vec<u8>) {
        let size = self.window.size();
        let (w, h) = (size.width, size.height);
        let mut pixels = vec![slint::Rgb8Pixel::default(); (w * h) as usize];
        self.window.request_redraw();
        self.window.draw_if_needed(|renderer| {
            renderer.render(&mut pixels, w as usize);
        });
        let bytes = pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        (w, h, bytes)
    }

    /// Draws the window into a PNG file.
    pub fn save_png(&self, path: &Path) -> Result<(), SnapshotError> {
        let (w, h, rgb) = self.render();
        let file = std::fs::File::create(path).map_err(|source| SnapshotError::Io { path: path.to_owned(), source })?;
        let png_err = |source| SnapshotError::Png { path: path.to_owned(), source };
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().map_err(png_err)?;
        writer.write_image_data(&rgb).map_err(png_err)?;
        writer.finish().map_err(png_err)
    }
}

//! A Slint platform without a display server: the software renderer draws each board into
//! memory, and a queue stands in for the windowing system's event queue, so the tokio side
//! posts model updates (`slint::invoke_from_event_loop`) exactly as it does to real windows.
//! The simulator's snapshots, the golden images and the board tests run on it.
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{EventLoopProxy, Platform, PointerEventButton, WindowAdapter, WindowEvent};
use slint::{EventLoopError, LogicalPosition, PhysicalSize, PlatformError};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    posted: Condvar,
    quit: AtomicBool,
}

struct Proxy(Arc<Queue>);

impl EventLoopProxy for Proxy {
    fn quit_event_loop(&self) -> Result<(), EventLoopError> {
        self.0.quit.store(true, Ordering::SeqCst);
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
    /// The size of the next window created, and every window created (in order).
    next_size: Rc<RefCell<PhysicalSize>>,
    windows: Rc<RefCell<Vec<Rc<MinimalSoftwareWindow>>>>,
    queue: Arc<Queue>,
    start: Instant,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        let w = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        w.set_size(*self.next_size.borrow());
        self.windows.borrow_mut().push(w.clone());
        Ok(w)
    }
    fn new_event_loop_proxy(&self) -> Option<Box<dyn EventLoopProxy>> {
        Some(Box::new(Proxy(self.queue.clone())))
    }
    fn duration_since_start(&self) -> Duration {
        self.start.elapsed()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot encode the PNG {path}: {source}")]
    Png { path: PathBuf, source: png::EncodingError },
}

/// The display-less platform; one per process (Slint allows one platform).
pub struct Headless {
    next_size: Rc<RefCell<PhysicalSize>>,
    windows: Rc<RefCell<Vec<Rc<MinimalSoftwareWindow>>>>,
    queue: Arc<Queue>,
}

impl Headless {
    pub fn install() -> Result<Headless, PlatformError> {
        let next_size = Rc::new(RefCell::new(PhysicalSize::new(1920, 1080)));
        let windows: Rc<RefCell<Vec<Rc<MinimalSoftwareWindow>>>> = Rc::default();
        let queue = Arc::new(Queue::default());
        let platform =
            HeadlessPlatform { next_size: next_size.clone(), windows: windows.clone(), queue: queue.clone(), start: Instant::now() };
        slint::platform::set_platform(Box::new(platform)).map_err(|e| PlatformError::Other(e.to_string()))?;
        Ok(Headless { next_size, windows, queue })
    }

    /// Creates a board of `width`×`height` pixels with `make`, and returns it with its window.
    pub fn create<T>(
        &self,
        width: u32,
        height: u32,
        make: impl FnOnce() -> Result<T, PlatformError>,
    ) -> Result<(T, Rc<MinimalSoftwareWindow>), PlatformError> {
        *self.next_size.borrow_mut() = PhysicalSize::new(width, height);
        let before = self.windows.borrow().len();
        let board = make()?;
        let w = self.windows.borrow().get(before).cloned().ok_or_else(|| PlatformError::Other("the board made no window".into()))?;
        Ok((board, w))
    }

    /// Runs what workers posted, and the timers, once.
    pub fn process(&self) {
        let jobs: Vec<Job> = self.queue.jobs.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        for job in jobs {
            job();
        }
        slint::platform::update_timers_and_animations();
    }

    /// Whether `slint::quit_event_loop` was called.
    pub fn quitting(&self) -> bool {
        self.queue.quit.load(Ordering::SeqCst)
    }

    /// Forgets a quit asked before, so the platform can run boards again.
    pub fn reset_quit(&self) {
        self.queue.quit.store(false, Ordering::SeqCst);
    }

    /// Waits at most `max` for something to be posted (or a quit).
    pub fn wait(&self, max: Duration) {
        let jobs = self.queue.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.is_empty() && !self.quitting() {
            let wait = slint::platform::duration_until_next_timer_update().map_or(max, |t| t.min(max));
            drop(self.queue.posted.wait_timeout(jobs, wait));
        }
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
            self.wait((deadline - now).min(Duration::from_millis(20)));
        }
    }
}

/// A finger pressing and lifting at `(x, y)` in logical pixels.
pub fn tap(window: &MinimalSoftwareWindow, x: f32, y: f32) {
    let position = LogicalPosition::new(x, y);
    let button = PointerEventButton::Left;
    window.dispatch_event(WindowEvent::PointerMoved { position });
    window.dispatch_event(WindowEvent::PointerPressed { position, button });
    window.dispatch_event(WindowEvent::PointerReleased { position, button });
    window.dispatch_event(WindowEvent::PointerExited);
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

/// Encodes RGB bytes as a PNG.
pub fn encode_png(w: u32, h: u32, rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Writes a PNG atomically (beside, then renamed), so a viewer never reads half a picture.
pub fn write_png(path: &Path, w: u32, h: u32, rgb: &[u8]) -> Result<(), SnapshotError> {
    let bytes = encode_png(w, h, rgb).map_err(|source| SnapshotError::Png { path: path.to_owned(), source })?;
    let tmp = path.with_extension("png.tmp");
    std::fs::write(&tmp, bytes).map_err(|source| SnapshotError::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(|source| SnapshotError::Io { path: path.to_owned(), source })
}

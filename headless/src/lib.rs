//! A Slint platform without a display server, for the kiosk's touch UI and the display's
//! boards alike: the software renderer draws each window into memory, and a queue stands in for
//! the windowing system's event queue, so worker threads post to the UI
//! (`slint::invoke_from_event_loop`) exactly as they do to real windows. The screenshots, the
//! golden images, the boards' snapshots and the UI tests run on it.
//!
//! Layout: this file is the platform ([`Headless`]: install once per process, create windows,
//! run what was posted); `window.rs` what is done to one window (taps, drawing, PNG files);
//! `screen.rs`, for real windows, filling the panel on an X server without a window manager.
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{EventLoopProxy, Platform, WindowAdapter};
use slint::{EventLoopError, PhysicalSize, PlatformError};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

mod screen;
mod window;

pub use png::Compression;
pub use screen::fill_screen;
pub use window::{encode_png, press, release, render, request_close, scroll, tap, type_text, visible, write_png, SnapshotError};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    posted: Condvar,
    /// `slint::quit_event_loop` was called (there is no loop to end: callers look at this).
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

/// What the platform and its handle share: the size of the next window created, and every
/// window created (in order).
#[derive(Default)]
struct Windows {
    next_size: RefCell<PhysicalSize>,
    all: RefCell<Vec<Rc<MinimalSoftwareWindow>>>,
}

struct HeadlessPlatform {
    windows: Rc<Windows>,
    queue: Arc<Queue>,
    start: Instant,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        let w = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        w.set_size(*self.windows.next_size.borrow());
        self.windows.all.borrow_mut().push(w.clone());
        Ok(w)
    }
    fn new_event_loop_proxy(&self) -> Option<Box<dyn EventLoopProxy>> {
        Some(Box::new(Proxy(self.queue.clone())))
    }
    fn duration_since_start(&self) -> Duration {
        self.start.elapsed()
    }
}

/// The display-less platform; one per process (Slint allows one platform).
pub struct Headless {
    windows: Rc<Windows>,
    queue: Arc<Queue>,
}

impl Headless {
    /// Installs the platform; windows are created `width`×`height` pixels at scale 1 until
    /// [`Headless::create`] or [`Headless::resize`] says otherwise.
    pub fn install(width: u32, height: u32) -> Result<Headless, PlatformError> {
        let windows = Rc::new(Windows { next_size: RefCell::new(PhysicalSize::new(width, height)), all: RefCell::default() });
        let queue = Arc::new(Queue::default());
        let platform = HeadlessPlatform { windows: windows.clone(), queue: queue.clone(), start: Instant::now() };
        slint::platform::set_platform(Box::new(platform)).map_err(|e| PlatformError::Other(e.to_string()))?;
        Ok(Headless { windows, queue })
    }

    /// Creates a component of `width`×`height` pixels with `make`, and returns it with its window.
    pub fn create<T>(
        &self,
        width: u32,
        height: u32,
        make: impl FnOnce() -> Result<T, PlatformError>,
    ) -> Result<(T, Rc<MinimalSoftwareWindow>), PlatformError> {
        *self.windows.next_size.borrow_mut() = PhysicalSize::new(width, height);
        let before = self.windows.all.borrow().len();
        let made = make()?;
        let w =
            self.windows.all.borrow().get(before).cloned().ok_or_else(|| PlatformError::Other("the component made no window".into()))?;
        Ok((made, w))
    }

    /// The window created last (a single-window UI's only one), if any.
    pub fn last_window(&self) -> Option<Rc<MinimalSoftwareWindow>> {
        self.windows.all.borrow().last().cloned()
    }

    /// Resizes the last window, and the ones created from now on.
    pub fn resize(&self, width: u32, height: u32) {
        let size = PhysicalSize::new(width, height);
        *self.windows.next_size.borrow_mut() = size;
        if let Some(w) = self.last_window() {
            w.set_size(size);
        }
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

    /// Forgets a quit asked before, so the platform can run components again.
    pub fn reset_quit(&self) {
        self.queue.quit.store(false, Ordering::SeqCst);
    }

    /// Waits at most `max` for something to be posted (or a quit), or for the next timer.
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

#[cfg(test)]
mod tests {
    use super::*;
    use slint::ComponentHandle;

    slint::slint! {
        export component Swatch inherits Window {
            in property <color> paint: #ff0000;
            Rectangle { background: paint; }
        }
    }

    #[test]
    fn windows_take_their_size_jobs_posted_from_threads_run_and_a_quit_is_seen() {
        // Proves the platform stands in for a windowing system: a component's window has the
        // size asked for and draws what the component shows, a job posted from another thread
        // runs on the next pump (as `invoke_from_event_loop` promises), and a quit is seen
        // and can be forgotten. One test: Slint allows one platform per process.
        let hl = Headless::install(64, 48).unwrap();
        let (swatch, window) = hl.create(40, 30, Swatch::new).unwrap();
        swatch.show().unwrap();
        assert!(visible(&window));
        let (w, h, rgb) = render(&window);
        assert_eq!((w, h, rgb.len()), (40, 30, 40 * 30 * 3));
        assert_eq!(&rgb[..3], [255, 0, 0]);

        let weak = swatch.as_weak();
        std::thread::spawn(move || weak.upgrade_in_event_loop(|s| s.set_paint(slint::Color::from_rgb_u8(0, 0, 255))).unwrap());
        assert!(hl.pump_until(Duration::from_secs(10), || swatch.get_paint() == slint::Color::from_rgb_u8(0, 0, 255)));
        assert_eq!(&render(&window).2[..3], [0, 0, 255]);

        assert!(!hl.quitting());
        slint::quit_event_loop().unwrap();
        assert!(hl.quitting());
        hl.reset_quit();
        assert!(!hl.quitting());

        hl.resize(20, 10);
        assert_eq!(render(&window).0, 20);
        let png = encode_png(2, 1, &[1, 2, 3, 4, 5, 6], Compression::Fast).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}

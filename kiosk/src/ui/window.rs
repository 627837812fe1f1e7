//! The real window of `kiosk --config F`: full screen (without a window manager too), no frame,
//! on the display the session offers, and hardened: a request to close the window (a window
//! manager's close button or Alt+F4) is refused, and the UI has no key that leaves it; only
//! "leave kiosk mode" in the staff settings (behind the PIN) closes it. The rest belongs to the
//! kiosk's session (README: an X server with no desktop, no VT switching, the kiosk as its only
//! client).
use super::settings::UiSettings;
use super::AppWindow;
use crate::printing::TicketPrinter;
use shared::config::Config;
use slint::{CloseRequestResponse, ComponentHandle};
use std::sync::Arc;

/// Whether a display server is there to open a window on.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Refuses every request to close the window: a citizen must not reach the desktop (or a
/// blank screen). `build` applies it, so the headless tests prove it too.
pub fn harden(app: &AppWindow) {
    app.window().on_close_requested(|| {
        tracing::warn!("a request to close the kiosk window was refused (leave kiosk mode from the staff settings)");
        CloseRequestResponse::KeepWindowShown
    });
}

/// Opens the window full screen and runs the UI until staff leave kiosk mode or `quit` is
/// called (SIGTERM). Blocks: call it on the main thread, with the tokio runtime running elsewhere.
pub fn run(
    config: &Config,
    authority: &str,
    printer: Arc<dyn TicketPrinter>,
    runtime: tokio::runtime::Handle,
    authority_alive: Option<Arc<crate::watchdog::Pulse>>,
) -> Result<(), slint::PlatformError> {
    let started = std::time::Instant::now();
    tracing::info!("touch UI: taking numbers from {authority}, printing to {}", printer.describe());
    let kiosk = super::build(config, authority, printer, runtime, &UiSettings::from_config(config))?;
    // Full screen is the window manager's job; on a bare X server (no window manager) the
    // window would keep the size it was created with: it takes `[kiosk] screen`, else the X
    // screen's size.
    ::headless::fill_screen(kiosk.app.window(), config.kiosk.screen.map(|s| (s.width, s.height)), "kiosk window");
    // Start-up time, for the bench and the logs: the software renderer reports no frames, so
    // the event loop's first turn (the window is shown and drawn just before it) stands in.
    // systemd (`Type=notify`): the kiosk is up when its home screen is.
    slint::Timer::single_shot(std::time::Duration::ZERO, move || {
        tracing::info!("first frame: {} ms after the touch UI started", started.elapsed().as_millis());
        shared::notify::ready();
        if QUIT.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = slint::quit_event_loop();
        }
    });
    let _watchdog = watchdog(authority_alive);
    kiosk.app.run()
}

/// `WATCHDOG=1` from this (the UI) thread every half `WatchdogSec=`, so that a UI thread that
/// hangs stops the pings and systemd restarts the kiosk; with its own authority, only while
/// that answered within the watchdog's period (`crate::watchdog`). Keep the timer alive.
fn watchdog(authority_alive: Option<Arc<crate::watchdog::Pulse>>) -> Option<slint::Timer> {
    let period = shared::notify::watchdog()?;
    let timer = slint::Timer::default();
    timer.start(slint::TimerMode::Repeated, period, move || {
        if authority_alive.as_ref().is_none_or(|p| p.fresh(period * 2)) {
            shared::notify::ping();
        }
    });
    Some(timer)
}

/// Set by [`quit`]: a request that comes before the event loop runs (a SIGTERM just after the
/// window appeared) has no loop to post to yet, so the loop's first turn looks here.
static QUIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks the UI to close (from any thread, before or while it runs): SIGTERM.
pub fn quit() {
    QUIT.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = slint::invoke_from_event_loop(|| {
        let _ = slint::quit_event_loop();
    });
}

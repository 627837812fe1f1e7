//! The real window of `kiosk --config F`: full screen, no frame, on the display the session
//! offers. Hardening beyond that (no desktop behind it, no keyboard shortcuts out) belongs to
//! the kiosk's session setup: the window is the only client of a bare X server there.
use super::settings::UiSettings;
use crate::printing::TicketPrinter;
use shared::config::Config;
use slint::ComponentHandle;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Whether a display server is there to open a window on.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// The URL this process reaches its own authority at: a wildcard listen address is reached
/// over loopback.
pub fn local_url(listening: SocketAddr) -> String {
    let ip = match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, listening.port()))
}

/// Opens the window full screen and runs the UI until it is closed or `quit` is called.
/// Blocks: call it on the main thread, with the tokio runtime running elsewhere.
pub fn run(config: &Config, authority: &str, printer: Arc<dyn TicketPrinter>, runtime: tokio::runtime::Handle) -> Result<(), slint::PlatformError> {
    let started = std::time::Instant::now();
    tracing::info!("touch UI: taking numbers from {authority}, printing to {}", printer.describe());
    let kiosk = super::build(config, authority, printer, runtime, &UiSettings::from_env())?;
    kiosk.app.window().set_fullscreen(true);
    // Full screen is the window manager's job; on a bare X server (no window manager, the
    // usual kiosk session) the window keeps the size it was created with. KIOSK_SCREEN=WxH
    // gives it the panel's size there.
    if let Some((w, h)) = std::env::var("KIOSK_SCREEN").ok().as_deref().and_then(parse_size) {
        kiosk.app.window().set_position(slint::PhysicalPosition::new(0, 0));
        kiosk.app.window().set_size(slint::PhysicalSize::new(w, h));
    }
    // Start-up time, for the bench and the logs: the software renderer reports no frames, so
    // the event loop's first turn (the window is shown and drawn just before it) stands in.
    slint::Timer::single_shot(std::time::Duration::ZERO, move || {
        tracing::info!("first frame: {} ms after the touch UI started", started.elapsed().as_millis());
    });
    kiosk.app.run()
}

/// "1080x1920" → (1080, 1920).
fn parse_size(s: &str) -> Option<(u32, u32)> {
    let (w, h) = s.trim().split_once('x')?;
    let (w, h) = (w.parse().ok()?, h.parse().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// Asks a running UI to close (from any thread): SIGTERM.
pub fn quit() {
    let _ = slint::invoke_from_event_loop(|| {
        let _ = slint::quit_event_loop();
    });
}

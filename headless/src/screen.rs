//! The one thing here for real windows, not headless ones: filling the panel. It lives in this
//! crate because both UIs (the kiosk's window, the display's boards) need it and this is the
//! one Slint crate they share.
//!
//! On the appliance's bare X server (no window manager) asking for full screen changes nothing:
//! the window keeps the size it was created with (800×600 in a corner of a 1080×1920 panel).
//! So the window is placed and sized by hand, before it is shown: to the configured size when
//! there is one, else to the X screen's (its root window's), which on a single panel is the
//! panel's.
use x11rb::connection::Connection;

/// Asks for full screen (honoured where a window manager runs) and places `window` at 0,0 with
/// `configured` as its size, or without one the X screen's. Call before showing the window;
/// logs, as `what`, the size taken and where from.
pub fn fill_screen(window: &slint::Window, configured: Option<(u32, u32)>, what: &str) {
    window.set_fullscreen(true);
    let ((width, height), from) = match configured {
        Some(size) => (size, "from the configuration"),
        None => match x_screen_size() {
            Ok(size) => (size, "from the X screen"),
            Err(e) => {
                tracing::warn!("{what}: cannot ask the X server for its screen's size ({e}); the window keeps its own size");
                return;
            }
        },
    };
    tracing::info!("{what}: {width}x{height} at 0,0, {from}");
    window.set_position(slint::PhysicalPosition::new(0, 0));
    window.set_size(slint::PhysicalSize::new(width, height));
}

/// The size of the X server's screen (`$DISPLAY`'s), from the reply to a connection of our
/// own: the window's own connection is winit's, and its monitor is known only once the window
/// exists, which would mean resizing it after it appeared.
fn x_screen_size() -> Result<(u32, u32), Box<dyn std::error::Error>> {
    let (connection, screen) = x11rb::connect(None)?;
    let root = connection.setup().roots.get(screen).ok_or("no such screen")?;
    Ok((root.width_in_pixels.into(), root.height_in_pixels.into()))
}

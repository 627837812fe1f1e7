//! A finger on the real UI, for every UI test: find an element by its accessible label (what a
//! screen reader would say) and tap its centre, scrolling a page that runs past the panel's edge
//! first, as a citizen or staff member would.
#![allow(dead_code)]
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk::ui::headless::Headless;
use kiosk::ui::Kiosk;
use slint::ComponentHandle;

/// The element labelled `label` in the role `role`.
pub fn find(kiosk: &Kiosk, label: &str, role: AccessibleRole) -> ElementHandle {
    ElementHandle::find_by_accessible_label(&kiosk.app, label)
        .find(|e| e.accessible_role() == Some(role))
        .unwrap_or_else(|| panic!("no {role:?} labelled {label:?} on screen"))
}

/// The centre of that element, in logical pixels.
pub fn centre(kiosk: &Kiosk, label: &str, role: AccessibleRole) -> (f32, f32) {
    let e = find(kiosk, label, role);
    let (p, s) = (e.absolute_position(), e.size());
    (p.x + s.width / 2.0, p.y + s.height / 2.0)
}

/// Taps the button labelled `label` where it is.
pub fn tap(display: &Headless, kiosk: &Kiosk, label: &str) {
    let (x, y) = centre(kiosk, label, AccessibleRole::Button);
    display.tap(x, y);
}

/// Taps the button labelled `label` on a page that scrolls (the staff settings): one in the lower
/// part of the panel is first scrolled up to mid-panel, as staff would (large text makes the page
/// taller than the screen, and the bar at the bottom covers its end). Not for a fixed screen: the
/// wheel at mid-panel would scroll whatever list lies there.
pub fn tap_scrolled(display: &Headless, kiosk: &Kiosk, label: &str) {
    let height = kiosk.app.window().size().height as f32 / kiosk.app.window().scale_factor();
    let (mut x, mut y) = centre(kiosk, label, AccessibleRole::Button);
    while y > height * 0.7 {
        display.scroll(x, height / 2.0, height / 2.0 - y);
        let was = y;
        (x, y) = centre(kiosk, label, AccessibleRole::Button);
        if y >= was {
            break; // the page's end: the button is where it is
        }
    }
    display.tap(x, y);
}

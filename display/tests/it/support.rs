//! What the boards' tests share: a tap on a button found by its label, as a finger would.
use display::boards::headless::{tap, Headless};
use display::boards::results::Results;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use slint::platform::software_renderer::MinimalSoftwareWindow;

/// Taps the middle of the results board's button labelled `label`, then lets the board react.
pub fn tap_label(hl: &Headless, results: &Results, window: &MinimalSoftwareWindow, label: &str) {
    let e = ElementHandle::find_by_accessible_label(&results.ui, label)
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .unwrap_or_else(|| panic!("no button {label:?}"));
    let (p, s) = (e.absolute_position(), e.size());
    tap(window, p.x + s.width / 2.0, p.y + s.height / 2.0);
    hl.process();
}

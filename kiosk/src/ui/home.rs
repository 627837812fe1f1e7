//! Home, navigation and the idle return: `HomeAdapter` and `Nav`.
//!
//! Any tap restarts the idle timer; when it fires, or the citizen taps "home", the kiosk goes
//! back to the home screen in Vietnamese and normal text, ready for the next person.
use super::{AppWindow, HomeAdapter, Nav, Screen, Strings, Theme};
use slint::{ComponentHandle, Timer, TimerMode};
use std::rc::Rc;
use std::time::Duration;

/// Keeps the idle timer alive as long as the window.
pub struct Home {
    idle: Rc<Timer>,
}

/// Back to a fresh home screen.
pub fn reset(app: &AppWindow) {
    app.global::<Nav>().set_screen(Screen::Home);
    app.global::<Strings>().set_english(false);
    app.global::<Theme>().set_large_text(false);
}

pub fn setup(app: &AppWindow, centre: &str, idle_after: Duration) -> Home {
    let home = app.global::<HomeAdapter>();
    home.set_centre(centre.into());
    let nav = app.global::<Nav>();
    let weak = app.as_weak();
    nav.on_go_home(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<Nav>().set_screen(Screen::Home);
        }
    });
    let idle = Rc::new(Timer::default());
    let weak = app.as_weak();
    idle.start(TimerMode::SingleShot, idle_after, move || {
        if let Some(app) = weak.upgrade() {
            tracing::debug!("idle: back to the home screen");
            reset(&app);
        }
    });
    let timer = Rc::downgrade(&idle);
    nav.on_activity(move || {
        if let Some(t) = timer.upgrade() {
            t.restart();
        }
    });
    Home { idle }
}

impl Home {
    /// How long until the idle return, for tests.
    pub fn idle_running(&self) -> bool {
        self.idle.running()
    }
}

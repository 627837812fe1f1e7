//! Home, navigation and the idle return: `HomeAdapter` and `Nav`.
//!
//! Any tap (or scroll, or scanner key) restarts the idle timer; when it fires, the kiosk goes
//! back to a fresh home screen in the visit's default language, text size and colours, ready for the next
//! person, from whatever screen it was on (the staff settings included: they lock again), and
//! withdraws a call for help still open.
use super::{
    AppWindow, BookingAdapter, BookingProblem, GuideAdapter, HelpAdapter, HomeAdapter, Nav, ProceduresAdapter, ScanAdapter, ScanNote,
    Screen, Strings, Theme, TicketAdapter,
};
use slint::{ComponentHandle, Timer, TimerMode};
use std::rc::Rc;
use std::time::Duration;

/// Keeps the idle timer alive as long as the window.
pub struct Home {
    idle: Rc<Timer>,
}

/// Back to a fresh home screen, in the defaults of the session.
pub fn reset(app: &AppWindow) {
    let nav = app.global::<Nav>();
    nav.set_screen(Screen::Home);
    app.global::<Strings>().set_english(nav.get_default_english());
    app.global::<Theme>().set_large_text(nav.get_default_large());
    app.global::<Theme>().set_high_contrast(nav.get_default_contrast());
    app.global::<ProceduresAdapter>().set_vni(false);
    // Nothing of the last citizen stays: the name their ID card greeted, a scan's notice.
    app.global::<TicketAdapter>().set_greeting_name("".into());
    app.global::<ScanAdapter>().set_note(ScanNote::None);
    // nor the booking code they typed, nor what became of it.
    let booking = app.global::<BookingAdapter>();
    booking.set_code("".into());
    booking.set_problem(BookingProblem::None);
    booking.set_detail("".into());
    app.global::<GuideAdapter>().invoke_stop();
    // The citizen who called for help has gone: staff should not walk to an empty kiosk.
    app.global::<HelpAdapter>().invoke_withdraw();
}

/// What the home screen starts with.
pub struct HomeSettings<'a> {
    pub centre: &'a str,
    pub idle_after: Duration,
    pub english: bool,
    pub large_text: bool,
    pub high_contrast: bool,
    /// Whether this kiosk hands out numbers (it has a printer) or is a lookup screen.
    pub numbers: bool,
}

pub fn setup(app: &AppWindow, s: HomeSettings<'_>) -> Home {
    let home = app.global::<HomeAdapter>();
    home.set_centre(s.centre.into());
    home.set_numbers(s.numbers);
    let nav = app.global::<Nav>();
    nav.set_default_english(s.english);
    nav.set_default_large(s.large_text);
    nav.set_default_contrast(s.high_contrast);
    reset(app);
    let weak = app.as_weak();
    nav.on_go_home(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<Nav>().set_screen(Screen::Home);
        }
    });
    let idle = Rc::new(Timer::default());
    let weak = app.as_weak();
    idle.start(TimerMode::SingleShot, s.idle_after, move || {
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
    /// Whether the idle return is still to come, for tests.
    pub fn idle_running(&self) -> bool {
        self.idle.running()
    }
}

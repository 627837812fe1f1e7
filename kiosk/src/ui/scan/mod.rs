//! One scanner path for every screen: `ScanAdapter`, fed by the window's one `FocusScope`.
//!
//! A keyboard-wedge scanner types its code and presses Enter (some Tab, some nothing: a pause
//! ends the code too). The keys are gathered here, and the code is read (`read.rs`) and sent
//! where it belongs, from whatever screen the citizen is on:
//!
//! - a dossier's receipt code → the dossier screen, looked up at once;
//! - a chip ID card → take a number, greeting the holder by given name and offering the
//!   priority class their age gives (`[kiosk.id_card]`); nothing of the card is kept, logged or
//!   sent (the ticket carries the class only), and the scanned text is dropped as soon as read;
//! - a ticket's own QR → its status (waiting, called, served) in a notice;
//! - a booking's QR (made on the province hub) → checked in, and its ticket printed;
//! - anything else → a short notice of what the kiosk reads.
//!
//! On the staff settings a scan is ignored.
mod read;

pub use read::{read, IdCard, Scanned};

use super::{AppWindow, DossierAdapter, HomeAdapter, Nav, ScanAdapter, ScanNote, Screen, TicketAdapter};
use authority::clock::Clock;
use shared::client::{Client, ClientError};
use shared::config::UtcOffset;
use shared::wire::{ErrorCode, PublicStatus, PublicTicket};
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// A code typed with no Enter ends after this pause (a scanner types far faster).
const QUIET: Duration = Duration::from_millis(300);
/// How long a notice stays (a tap on "Close" takes it away sooner).
const NOTE_SHOWN: Duration = Duration::from_secs(8);
/// Longer than any code the kiosk reads: a scanner stuck in a loop is not a code.
const MAX_CODE: usize = 512;
/// Shorter than any code a scanner reads: a stray key (Escape, a key pressed by mistake) gets
/// no notice.
const MIN_CODE: usize = 4;

pub struct ScanDeps {
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
    /// Whether this kiosk gives numbers (an ID card leads to taking one).
    pub numbers: bool,
    /// From this age the card offers `card_class`.
    pub card_age: u32,
    pub card_class: Option<String>,
    /// The authority's clock and the centre's offset: the day an age is counted on.
    pub clock: Arc<dyn Clock>,
    pub offset: UtcOffset,
}

struct Scanner {
    app: slint::Weak<AppWindow>,
    deps: ScanDeps,
    typed: RefCell<String>,
    quiet: Timer,
    note_timer: Timer,
}

pub fn setup(app: &AppWindow, deps: ScanDeps) {
    let me =
        Rc::new(Scanner { app: app.as_weak(), deps, typed: RefCell::default(), quiet: Timer::default(), note_timer: Timer::default() });
    let adapter = app.global::<ScanAdapter>();
    let m = me.clone();
    adapter.on_key(move |text| m.key(&text));
    let weak = app.as_weak();
    adapter.on_dismiss(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<ScanAdapter>().set_note(ScanNote::None);
        }
    });
}

impl Scanner {
    fn key(self: &Rc<Self>, text: &str) {
        for c in text.chars() {
            match c {
                '\n' | '\r' | '\t' => self.finish(),
                '\u{8}' => {
                    self.typed.borrow_mut().pop();
                }
                // Slint's special keys (arrows, shift, F-keys) are private-use characters.
                c if c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) => {}
                c => {
                    let mut typed = self.typed.borrow_mut();
                    if typed.chars().count() >= MAX_CODE {
                        typed.clear();
                    }
                    typed.push(c);
                }
            }
        }
        if self.typed.borrow().is_empty() {
            self.quiet.stop();
        } else {
            let me = Rc::downgrade(self);
            self.quiet.start(TimerMode::SingleShot, QUIET, move || {
                if let Some(me) = me.upgrade() {
                    me.finish();
                }
            });
        }
    }

    /// The code is complete: read it, drop the text, and send it where it belongs.
    fn finish(self: &Rc<Self>) {
        self.quiet.stop();
        let text = std::mem::take(&mut *self.typed.borrow_mut());
        if text.trim().chars().count() < MIN_CODE {
            return;
        }
        let Some(app) = self.app.upgrade() else { return };
        if app.global::<Nav>().get_screen() == Screen::Admin {
            tracing::debug!("scan: ignored on the staff settings");
            return;
        }
        let scanned = read(&text);
        drop(text);
        match scanned {
            Scanned::Receipt(code) => {
                tracing::info!("scan: a receipt code, to the dossier screen");
                app.global::<HomeAdapter>().invoke_dossier();
                let dossier = app.global::<DossierAdapter>();
                dossier.invoke_key(code.as_str().into());
                dossier.invoke_key("\n".into());
            }
            Scanned::IdCard(card) => self.id_card(&app, card),
            Scanned::Ticket(key) => self.ticket(&app, key),
            Scanned::Booking(text) => {
                if !self.deps.numbers {
                    tracing::info!("scan: a booking at a kiosk that gives no numbers");
                    return self.note(&app, ScanNote::NoNumbers);
                }
                tracing::info!("scan: a booking's QR, checked in");
                app.global::<ScanAdapter>().set_note(ScanNote::None);
                app.global::<TicketAdapter>().invoke_check_in(text.into());
            }
            Scanned::Unknown { chars } => {
                tracing::info!("scan: a code of {chars} characters the kiosk does not read");
                self.note(&app, ScanNote::Unknown);
            }
        }
    }

    fn id_card(self: &Rc<Self>, app: &AppWindow, card: IdCard) {
        if !self.deps.numbers {
            tracing::info!("scan: an ID card at a kiosk that gives no numbers");
            return self.note(app, ScanNote::NoNumbers);
        }
        let today = self.deps.clock.now().with_timezone(&self.deps.offset.0).date_naive();
        let class = self.deps.card_class.as_deref().filter(|_| card.age_on(today) >= self.deps.card_age);
        // The log says what was offered, never whose card it was.
        tracing::info!("scan: an ID card, priority offered: {}", class.unwrap_or("none"));
        app.global::<ScanAdapter>().set_note(ScanNote::None);
        app.global::<TicketAdapter>().invoke_take_with_card(card.given_name().into(), class.unwrap_or("").into());
    }

    fn ticket(self: &Rc<Self>, app: &AppWindow, key: String) {
        tracing::info!("scan: a ticket's QR, its status asked");
        self.note(app, ScanNote::Looking);
        let (client, weak) = (self.deps.client.clone(), self.app.clone());
        self.deps.runtime.spawn(async move {
            let answer = client.public_ticket(&key).await;
            let _ = weak.upgrade_in_event_loop(move |app| show_ticket(&app, answer));
        });
    }

    /// Shows `note` for a while; a newer note restarts the while.
    fn note(&self, app: &AppWindow, note: ScanNote) {
        app.global::<ScanAdapter>().set_note(note);
        let weak = app.as_weak();
        self.note_timer.start(TimerMode::SingleShot, NOTE_SHOWN, move || {
            if let Some(app) = weak.upgrade() {
                app.global::<ScanAdapter>().set_note(ScanNote::None);
            }
        });
    }
}

/// A ticket's status in the notice, unless the citizen moved on (the notice is no longer
/// "looking").
fn show_ticket(app: &AppWindow, answer: Result<PublicTicket, ClientError>) {
    let adapter = app.global::<ScanAdapter>();
    if adapter.get_note() != ScanNote::Looking {
        return;
    }
    let note = match answer {
        Ok(t) => {
            adapter.set_number(t.number.as_str().into());
            adapter.set_ahead(t.waiting_ahead.unwrap_or(0) as i32);
            adapter.set_wait_min(super::ticket::minutes(t.estimated_wait_s.unwrap_or(0)));
            adapter.set_counter_number(t.counter_number.unwrap_or(0) as i32);
            match t.status {
                PublicStatus::Waiting => ScanNote::TicketWaiting,
                PublicStatus::Called => ScanNote::TicketCalled,
                PublicStatus::Served => ScanNote::TicketServed,
                PublicStatus::NoShow => ScanNote::TicketMissed,
            }
        }
        Err(e) if e.code() == Some(&ErrorCode::TicketNotFound) || e.status() == Some(404) => ScanNote::TicketUnknown,
        Err(e) => {
            tracing::warn!("scan: the ticket's status could not be asked: {e}");
            ScanNote::Unreachable
        }
    };
    adapter.set_note(note);
}

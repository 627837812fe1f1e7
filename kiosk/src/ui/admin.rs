//! The staff settings: `AdminAdapter`. The way in is hidden (a 3-second press on the centre's
//! name on the home screen, `Nav.staff`) and guarded by the PIN pad (`crate::pin::Gate`: argon2
//! hash from `[kiosk] admin_pin_hash`, a lockout after wrong tries). Behind it: the printer's
//! state and a test print, the tickets this kiosk could not print (printed again with the same
//! number), the language and text size visits start in, and leaving kiosk mode, which is the
//! only way the UI ever closes.
use super::reprint::Unprinted;
use super::{post, AdminAdapter, AdminStage, AppWindow, FailedTicket, Nav, PinNote, PrintNote, PrinterState, Screen};
use crate::pin::{Gate, Verdict, MAX_DIGITS};
use crate::printing::{test_slip, Problem, Readiness, TicketPrinter};
use authority::clock::Clock;
use shared::config::Config;
use slint::{ComponentHandle, ModelRc, VecModel, Weak};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What the settings need from the rest of the kiosk.
pub struct AdminDeps {
    pub config: Arc<Config>,
    pub printer: Arc<dyn TicketPrinter>,
    pub unprinted: Arc<Unprinted>,
    pub clock: Arc<dyn Clock>,
}

struct Admin {
    deps: AdminDeps,
    gate: Mutex<Gate>,
    app: Weak<AppWindow>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Blocking work (argon2, the printer) on a thread of its own, never on the UI thread.
fn spawn(name: &str, work: impl FnOnce() + Send + 'static) {
    if let Err(e) = std::thread::Builder::new().name(name.into()).spawn(work) {
        tracing::error!("cannot start {name}: {e}");
    }
}

pub fn setup(app: &AppWindow, deps: AdminDeps, gate: Gate) {
    let admin = Arc::new(Admin { deps, gate: Mutex::new(gate), app: app.as_weak() });
    // The digits typed so far live on the UI thread only, and only until they are checked.
    let typed = Rc::new(RefCell::new(String::new()));
    let adapter = app.global::<AdminAdapter>();

    let (a, t) = (admin.clone(), typed.clone());
    app.global::<Nav>().on_staff(move || a.open(&t));
    let (a, t) = (admin.clone(), typed.clone());
    adapter.on_digit(move |d| a.digit(&mut t.borrow_mut(), &d));
    let (a, t) = (admin.clone(), typed);
    adapter.on_submit(move || {
        let pin = std::mem::take(&mut *t.borrow_mut());
        a.submit(pin);
    });
    let a = admin.clone();
    adapter.on_refresh_printer(move || a.refresh_printer());
    let a = admin.clone();
    adapter.on_test_print(move || a.test_print());
    let a = admin.clone();
    adapter.on_reprint(move |number| a.reprint(number.to_string()));
    let weak = app.as_weak();
    adapter.on_close(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<AdminAdapter>().set_stage(AdminStage::Pin);
            super::home::reset(&app);
        }
    });
    adapter.on_quit(|| {
        tracing::warn!("staff left kiosk mode from the settings: the kiosk stops");
        if let Err(e) = slint::quit_event_loop() {
            tracing::error!("cannot close the touch UI: {e}");
        }
    });
}

impl Admin {
    fn open(&self, typed: &RefCell<String>) {
        let Some(app) = self.app.upgrade() else { return };
        typed.borrow_mut().clear();
        let adapter = app.global::<AdminAdapter>();
        adapter.set_stage(AdminStage::Pin);
        adapter.set_pin_length(0);
        let mut gate = lock(&self.gate);
        match gate.locked(Instant::now()) {
            _ if !gate.is_set() => adapter.set_pin_note(PinNote::NotSet),
            Some(left) => {
                adapter.set_locked_min(left.as_secs().div_ceil(60) as i32);
                adapter.set_pin_note(PinNote::Locked);
            }
            None => adapter.set_pin_note(PinNote::None),
        }
        tracing::info!("the staff PIN pad is open");
        app.global::<Nav>().set_screen(Screen::Admin);
    }

    fn digit(&self, typed: &mut String, key: &str) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<AdminAdapter>();
        if adapter.get_pin_note() == PinNote::Checking {
            return;
        }
        match key {
            "" => typed.clear(),
            "\u{8}" => {
                typed.pop();
            }
            d if d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit()) && typed.len() < MAX_DIGITS => typed.push_str(d),
            _ => {}
        }
        adapter.set_pin_length(typed.len() as i32);
        if adapter.get_pin_note() == PinNote::Wrong {
            adapter.set_pin_note(PinNote::None);
        }
    }

    fn submit(self: &Arc<Self>, pin: String) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<AdminAdapter>();
        adapter.set_pin_length(0);
        if pin.is_empty() || adapter.get_pin_note() == PinNote::Checking {
            return;
        }
        adapter.set_pin_note(PinNote::Checking);
        let me = self.clone();
        // argon2 takes a noticeable moment on a Pi: the pad shows "one moment" meanwhile.
        spawn("pin", move || {
            let verdict = lock(&me.gate).try_pin(&pin, Instant::now());
            drop(pin);
            let keep = me.clone();
            post(&me.app, move |app| {
                let adapter = app.global::<AdminAdapter>();
                match verdict {
                    Verdict::Open => {
                        tracing::info!("staff opened the kiosk's settings");
                        adapter.set_pin_note(PinNote::None);
                        adapter.set_stage(AdminStage::Settings);
                        adapter.set_test_note(PrintNote::None);
                        adapter.set_reprint_note(PrintNote::None);
                        keep.show_unprinted(app);
                        keep.refresh_printer();
                    }
                    Verdict::Wrong { left } => {
                        tracing::warn!("wrong staff PIN ({left} tries left)");
                        adapter.set_tries_left(left as i32);
                        adapter.set_pin_note(PinNote::Wrong);
                    }
                    Verdict::Locked { remaining } => {
                        adapter.set_locked_min(remaining.as_secs().div_ceil(60) as i32);
                        adapter.set_pin_note(PinNote::Locked);
                    }
                    Verdict::NotSet => adapter.set_pin_note(PinNote::NotSet),
                }
            });
        });
    }

    fn show_unprinted(&self, app: &AppWindow) {
        let offset = self.deps.config.centre.utc_offset.0;
        let items: Vec<FailedTicket> = self
            .deps
            .unprinted
            .list()
            .into_iter()
            .map(|j| FailedTicket {
                number: j.number.as_str().into(),
                service: j.service_name.as_str().into(),
                time: j.issued_at.with_timezone(&offset).format("%H:%M").to_string().into(),
            })
            .collect();
        app.global::<AdminAdapter>().set_failed(ModelRc::new(VecModel::from(items)));
    }

    fn refresh_printer(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<AdminAdapter>();
        adapter.set_printer(self.deps.printer.describe().into());
        adapter.set_printer_state(PrinterState::Checking);
        let me = self.clone();
        spawn("printer-state", move || {
            let state = printer_state(&me.deps.printer.readiness());
            post(&me.app, move |app| app.global::<AdminAdapter>().set_printer_state(state));
        });
    }

    fn test_print(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        app.global::<AdminAdapter>().set_test_note(PrintNote::Printing);
        let me = self.clone();
        spawn("test-print", move || {
            let job = test_slip(&me.deps.printer.describe(), me.deps.clock.now());
            let (note, state) = match me.deps.printer.print_checklist(&job) {
                Ok(r) => (PrintNote::Printed, printer_state(&r)),
                Err(e) => {
                    tracing::error!("test print failed: {e}");
                    (PrintNote::Failed, printer_state(&Readiness::Unable(e.problem())))
                }
            };
            post(&me.app, move |app| {
                let adapter = app.global::<AdminAdapter>();
                adapter.set_test_note(note);
                adapter.set_printer_state(state);
            });
        });
    }

    fn reprint(self: &Arc<Self>, number: String) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<AdminAdapter>();
        adapter.set_reprint_number(number.as_str().into());
        adapter.set_reprint_note(PrintNote::Printing);
        let me = self.clone();
        spawn("reprint", move || {
            let result = me.deps.unprinted.reprint(&number, &*me.deps.printer);
            if let Err(e) = &result {
                tracing::warn!("staff reprint of {number} failed: {e}");
            }
            let keep = me.clone();
            post(&me.app, move |app| {
                let adapter = app.global::<AdminAdapter>();
                adapter.set_reprint_note(if result.is_ok() { PrintNote::Printed } else { PrintNote::Failed });
                keep.show_unprinted(app);
                keep.refresh_printer();
            });
        });
    }
}

fn printer_state(r: &Readiness) -> PrinterState {
    match r {
        Readiness::Ready => PrinterState::Ready,
        Readiness::PaperNearEnd => PrinterState::PaperLow,
        Readiness::Unknown => PrinterState::Unknown,
        Readiness::Unable(Problem::PaperEnd) => PrinterState::PaperOut,
        Readiness::Unable(Problem::CoverOpen) => PrinterState::CoverOpen,
        Readiness::Unable(Problem::Offline) => PrinterState::Offline,
        Readiness::Unable(Problem::Unreachable) => PrinterState::Unreachable,
    }
}

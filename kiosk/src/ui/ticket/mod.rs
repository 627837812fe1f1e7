//! Take a number: fills `TicketAdapter` from the authority's live state, and answers its
//! callbacks. The order on a tap is fixed: rate limit, printer readiness, issue, print; a
//! number is never taken when the printer already says it cannot print, and never taken
//! twice when printing fails afterwards: the number is shown, the job is kept (`reprint.rs`), and
//! "print again" sends the same job once the printer says it is ready.
//!
//! `booking.rs`: a number booked on the province hub, checked in (its code typed here or its
//! QR code scanned on any screen), then printed the same way.
mod booking;
use super::reprint::{ReprintError, Unprinted};
use super::{
    AppWindow, Nav, PrintNote, PriorityItem, Screen, ServiceGroup, ServiceItem, Strings, TicketAdapter, TicketProblem, TicketStage,
};
use crate::printing::{Problem, Readiness, TicketJob, TicketPrinter};
use crate::ui::settings::RateLimiter;
use shared::client::{Client, ClientError};
use shared::wire::ErrorCode;
use shared::wire::{StateView, TicketView};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel, Weak};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What the take-a-number flow needs from the rest of the kiosk.
pub struct TicketDeps {
    pub client: Client,
    pub printer: Arc<dyn TicketPrinter>,
    pub runtime: tokio::runtime::Handle,
    /// Shared with the checklists of the procedure pages: paper is paper.
    pub limiter: Arc<Mutex<RateLimiter>>,
    pub unprinted: Arc<Unprinted>,
}

/// The flow's memory between taps. Results of work started on another visit of the screen
/// (the citizen went home meanwhile) carry an old `visit` and are dropped.
struct Flow {
    deps: TicketDeps,
    app: Weak<AppWindow>,
    visit: AtomicU64,
    state: Mutex<Option<StateView>>,
    chosen: Mutex<Option<String>>,
    /// A service to choose as soon as the services are loaded (from a procedure's page).
    preselect: Mutex<Option<String>>,
    /// The number of this visit's ticket whose printing failed.
    failed: Mutex<Option<String>>,
    /// A readiness question is out: do not ask again until it is answered.
    asking: AtomicBool,
    /// The priority class a scanned ID card gives this visit (marked on the priority stage).
    offered: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Wires `TicketAdapter` and the home screen's "take a number".
pub fn setup(app: &AppWindow, deps: TicketDeps) {
    let flow = Arc::new(Flow {
        deps,
        app: app.as_weak(),
        visit: AtomicU64::new(0),
        state: Mutex::new(None),
        chosen: Mutex::new(None),
        preselect: Mutex::new(None),
        failed: Mutex::new(None),
        asking: AtomicBool::new(false),
        offered: Mutex::new(None),
    });
    let adapter = app.global::<TicketAdapter>();
    let f = flow.clone();
    app.global::<super::HomeAdapter>().on_take_number(move || f.open(None));
    let f = flow.clone();
    adapter.on_take_for(move |id| f.open(Some(id.to_string())));
    let f = flow.clone();
    adapter.on_choose_service(move |id| f.choose_service(&id));
    let f = flow.clone();
    adapter.on_check_printer(move || f.check_printer());
    let f = flow.clone();
    adapter.on_print_again(move || f.print_again());
    let f = flow.clone();
    adapter.on_take_with_card(move |name, class| f.open_with_card(&name, &class));
    booking::setup(app, &flow);
    let f = flow;
    adapter.on_choose_priority(move |id| {
        let service = lock(&f.chosen).clone();
        if let Some(service) = service {
            f.issue(service, (!id.is_empty()).then(|| id.to_string()));
        }
    });
}

impl Flow {
    /// Runs `apply` on the UI thread if the citizen is still on the same visit.
    fn post(self: &Arc<Self>, visit: u64, apply: impl FnOnce(&AppWindow) + Send + 'static) {
        let me = self.clone();
        super::post(&self.app, move |app| {
            if me.visit.load(Ordering::SeqCst) == visit {
                apply(app);
            }
        });
    }

    /// Opens the services; with `service`, goes on to that service at once.
    fn open(self: &Arc<Self>, service: Option<String>) {
        let Some(app) = self.app.upgrade() else { return };
        let visit = self.visit.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.chosen) = None;
        *lock(&self.failed) = None;
        *lock(&self.preselect) = service;
        *lock(&self.offered) = None;
        let adapter = app.global::<TicketAdapter>();
        adapter.set_greeting_name("".into());
        adapter.set_offered(false);
        adapter.set_stage(TicketStage::Loading);
        adapter.set_problem(TicketProblem::None);
        app.global::<Nav>().set_screen(Screen::Ticket);
        let me = self.clone();
        self.deps.runtime.spawn(async move {
            let state = me.deps.client.state().await;
            let keep = me.clone();
            me.post(visit, move |app| keep.show_services(app, state));
        });
    }

    /// Opens the services for a citizen whose ID card was scanned: greeted by `name`, and
    /// offered `class` ("" for none) where the service they choose has it.
    fn open_with_card(self: &Arc<Self>, name: &str, class: &str) {
        self.open(None);
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<TicketAdapter>();
        adapter.set_greeting_name(name.into());
        adapter.set_offered(!class.is_empty());
        *lock(&self.offered) = (!class.is_empty()).then(|| class.to_owned());
    }

    fn show_services(self: &Arc<Self>, app: &AppWindow, state: Result<StateView, ClientError>) {
        let adapter = app.global::<TicketAdapter>();
        match state {
            Ok(state) => {
                adapter.set_groups(groups(&state));
                adapter.set_stage(TicketStage::Services);
                // Logged for the window test, which cannot see the screen it taps.
                tracing::debug!("take a number: services shown ({})", state.services.len());
                *lock(&self.state) = Some(state);
                if let Some(id) = lock(&self.preselect).take() {
                    self.choose_service(&id);
                }
            }
            Err(e) => {
                tracing::error!("the take-a-number screen cannot load the services: {e}");
                adapter.set_problem(TicketProblem::Unreachable);
                adapter.set_stage(TicketStage::Problem);
            }
        }
    }

    fn choose_service(self: &Arc<Self>, id: &str) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<TicketAdapter>();
        let english = app.global::<Strings>().get_english();
        let guard = lock(&self.state);
        let Some(state) = guard.as_ref() else { return };
        let Some(service) = state.services.iter().find(|s| s.id == id) else { return };
        adapter.set_service_name(pick(english, &service.name, service.name_en.as_deref()));
        *lock(&self.chosen) = Some(service.id.clone());
        if !service.open {
            adapter.set_problem(TicketProblem::ServiceClosed);
            adapter.set_stage(TicketStage::Problem);
            return;
        }
        let offered = lock(&self.offered).clone();
        let classes: Vec<PriorityItem> = service
            .priorities
            .iter()
            .filter_map(|p| state.priority.iter().find(|c| &c.id == p))
            .map(|c| PriorityItem {
                id: c.id.as_str().into(),
                name: c.name.as_str().into(),
                name_en: c.name_en.clone().unwrap_or_default().into(),
                offered: offered.as_ref() == Some(&c.id),
            })
            .collect();
        let service = service.id.clone();
        drop(guard);
        if classes.is_empty() {
            self.issue(service, None);
        } else {
            adapter.set_priorities(ModelRc::new(VecModel::from(classes)));
            adapter.set_stage(TicketStage::Priority);
            tracing::debug!("take a number: priority choice shown");
        }
    }

    fn issue(self: &Arc<Self>, service: String, priority: Option<String>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<TicketAdapter>();
        if adapter.get_stage() == TicketStage::Printing {
            return; // a second tap while the first is being served
        }
        if !lock(&self.deps.limiter).allows(Instant::now()) {
            tracing::warn!("ticket refused: the kiosk's rate limit is reached");
            adapter.set_problem(TicketProblem::RateLimited);
            adapter.set_stage(TicketStage::Problem);
            return;
        }
        adapter.set_stage(TicketStage::Printing);
        let visit = self.visit.load(Ordering::SeqCst);
        let (names, priority_name) = {
            let guard = lock(&self.state);
            let state = guard.as_ref();
            let s = state.and_then(|st| st.services.iter().find(|s| s.id == service));
            let p = state.and_then(|st| st.priority.iter().find(|c| Some(&c.id) == priority.as_ref()));
            (s.map(|s| s.name.clone()).unwrap_or_default(), p.map(|c| c.name.clone()))
        };
        let me = self.clone();
        // Printing blocks (serial and USB writes): a thread of its own, never the UI thread.
        let spawned = std::thread::Builder::new().name("ticket".into()).spawn(move || {
            let outcome = me.take_and_print(&service, priority.as_deref(), names, priority_name);
            let keep = me.clone();
            me.post(visit, move |app| keep.show_outcome(app, outcome));
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the ticket thread: {e}");
            adapter.set_problem(TicketProblem::PrinterDown);
            adapter.set_stage(TicketStage::Problem);
        }
    }

    fn take_and_print(&self, service: &str, priority: Option<&str>, service_name: String, priority_name: Option<String>) -> Outcome {
        if let Some(refused) = self.printer_refuses() {
            return refused;
        }
        let ticket = match self.deps.runtime.block_on(self.deps.client.issue(service, priority)) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!("no number taken for {service}: {e}");
                return Outcome::Refused(match e.code() {
                    Some(ErrorCode::ServiceClosed) => TicketProblem::ServiceClosed,
                    Some(ErrorCode::DailyCapReached) => TicketProblem::FullToday,
                    _ => TicketProblem::Unreachable,
                });
            }
        };
        self.print_issued(ticket, service_name, priority_name)
    }

    /// A number is never taken when the printer already says it cannot print.
    fn printer_refuses(&self) -> Option<Outcome> {
        if let Readiness::Unable(problem) = self.deps.printer.readiness() {
            tracing::warn!("no number taken: the printer reports {}", problem.code());
            return Some(Outcome::Refused(printer_problem(problem)));
        }
        None
    }

    /// Prints a ticket just issued; a failed print keeps the job to print again.
    fn print_issued(&self, ticket: TicketView, service_name: String, priority_name: Option<String>) -> Outcome {
        lock(&self.deps.limiter).record(Instant::now());
        let job = TicketJob {
            ticket_id: ticket.id,
            number: ticket.number.clone(),
            service_name,
            priority_name,
            waiting_ahead: ticket.waiting_ahead.unwrap_or(0),
            estimated_wait_s: ticket.estimated_wait_s.unwrap_or(0),
            issued_at: ticket.issued_at,
            key: ticket.key.clone(),
        };
        let printed = match self.deps.printer.print(&job) {
            Ok(_) => true,
            Err(e) => {
                tracing::error!("ticket {} was issued but not printed ({}): {e}", ticket.number, self.deps.printer.describe());
                self.deps.unprinted.add(job);
                false
            }
        };
        Outcome::Issued { ticket, printed }
    }

    fn show_outcome(&self, app: &AppWindow, outcome: Outcome) {
        let adapter = app.global::<TicketAdapter>();
        match outcome {
            Outcome::Booking(problem, detail) => {
                let booking = app.global::<super::BookingAdapter>();
                booking.set_problem(problem);
                booking.set_detail(detail.into());
                adapter.set_stage(TicketStage::BookingProblem);
            }
            Outcome::Refused(problem) => {
                adapter.set_problem(problem);
                adapter.set_stage(TicketStage::Problem);
            }
            Outcome::Issued { ticket, printed } => {
                adapter.set_number(ticket.number.as_str().into());
                adapter.set_ahead(ticket.waiting_ahead.unwrap_or(0) as i32);
                adapter.set_wait_min(minutes(ticket.estimated_wait_s.unwrap_or(0)));
                adapter.set_reprint(!printed);
                adapter.set_printer_ready(false);
                adapter.set_reprint_note(PrintNote::None);
                *lock(&self.failed) = (!printed).then(|| ticket.number.clone());
                adapter.set_stage(TicketStage::Ticket);
                tracing::debug!("take a number: ticket {} shown (printed: {printed})", ticket.number);
            }
        }
    }

    /// Asks the printer whether it is ready (the ticket screen asks every 2 s while a ticket
    /// waits to be printed again), off the UI thread: a printer that does not answer takes time.
    fn check_printer(self: &Arc<Self>) {
        if self.asking.swap(true, Ordering::SeqCst) {
            return;
        }
        let (me, visit) = (self.clone(), self.visit.load(Ordering::SeqCst));
        let spawned = std::thread::Builder::new().name("printer-check".into()).spawn(move || {
            let ready = !matches!(me.deps.printer.readiness(), Readiness::Unable(_));
            me.asking.store(false, Ordering::SeqCst);
            me.post(visit, move |app| app.global::<TicketAdapter>().set_printer_ready(ready));
        });
        if spawned.is_err() {
            self.asking.store(false, Ordering::SeqCst);
        }
    }

    /// Prints this visit's unprinted ticket again: the same job, the same number.
    fn print_again(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let Some(number) = lock(&self.failed).clone() else { return };
        let adapter = app.global::<TicketAdapter>();
        if adapter.get_reprint_note() == PrintNote::Printing {
            return;
        }
        adapter.set_reprint_note(PrintNote::Printing);
        let (me, visit) = (self.clone(), self.visit.load(Ordering::SeqCst));
        let spawned = std::thread::Builder::new().name("reprint".into()).spawn(move || {
            let result = me.deps.unprinted.reprint(&number, &*me.deps.printer);
            if let Err(e) = &result {
                tracing::warn!("ticket {number} not printed again: {e}");
            }
            let keep = me.clone();
            me.post(visit, move |app| {
                let adapter = app.global::<TicketAdapter>();
                match result {
                    Ok(_) => {
                        *lock(&keep.failed) = None;
                        adapter.set_reprint_note(PrintNote::Printed);
                    }
                    Err(ReprintError::Unknown(_)) => {
                        // Printed meanwhile (by staff from the settings): nothing left to do.
                        *lock(&keep.failed) = None;
                        adapter.set_reprint_note(PrintNote::Printed);
                    }
                    Err(_) => {
                        adapter.set_printer_ready(false);
                        adapter.set_reprint_note(PrintNote::Failed);
                    }
                }
            });
        });
        if spawned.is_err() {
            adapter.set_reprint_note(PrintNote::Failed);
        }
    }
}

enum Outcome {
    Refused(TicketProblem),
    /// A booking that gave no ticket, and what the refusal was about.
    Booking(super::BookingProblem, String),
    Issued {
        ticket: TicketView,
        printed: bool,
    },
}

fn printer_problem(p: Problem) -> TicketProblem {
    match p {
        Problem::PaperEnd => TicketProblem::PaperOut,
        Problem::CoverOpen => TicketProblem::CoverOpen,
        Problem::Offline | Problem::Unreachable => TicketProblem::PrinterDown,
    }
}

/// Rounded up: "about 0 minutes" would promise too much.
/// A wait in whole minutes, rounded up, as the ticket screen and the scan notice say it.
pub(crate) fn minutes(seconds: u32) -> i32 {
    seconds.div_ceil(60) as i32
}

fn pick(english: bool, vi: &str, en: Option<&str>) -> SharedString {
    match en {
        Some(en) if english && !en.is_empty() => en.into(),
        _ => vi.into(),
    }
}

/// The services in the centre's groups, groups in the order they first appear.
fn groups(state: &StateView) -> ModelRc<ServiceGroup> {
    let mut order: Vec<(String, Vec<ServiceItem>)> = Vec::new();
    for s in &state.services {
        let name = s.group.clone().unwrap_or_default();
        let item = ServiceItem {
            id: s.id.as_str().into(),
            name: s.name.as_str().into(),
            name_en: s.name_en.clone().unwrap_or_default().into(),
            letter: s.letter.as_str().into(),
            open: s.open,
            waiting: s.waiting as i32,
            wait_min: minutes(s.estimated_wait_s),
        };
        match order.iter_mut().find(|(g, _)| *g == name) {
            Some((_, items)) => items.push(item),
            None => order.push((name, vec![item])),
        }
    }
    let groups: Vec<ServiceGroup> =
        order.into_iter().map(|(name, items)| ServiceGroup { name: name.into(), services: ModelRc::new(VecModel::from(items)) }).collect();
    ModelRc::new(VecModel::from(groups))
}

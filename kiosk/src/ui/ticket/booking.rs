//! A number booked on the province hub, checked in at the kiosk: "I booked a number ahead"
//! opens the code entry (`BookingAdapter`, the on-screen keyboard), and a booking's QR code
//! scanned on any screen comes straight here (`TicketAdapter::check-in`). The check-in follows
//! the take-a-number order: rate limit, printer readiness, check-in, print; each refusal is a
//! screen of its own (not known here, another centre, another day, too early with the time it
//! opens, too late, used already with its number).
use super::{lock, Flow, Outcome};
use crate::ui::{AppWindow, BookingAdapter, BookingProblem, Nav, Screen, TicketAdapter, TicketProblem, TicketStage};
use shared::client::ClientError;
use shared::wire::ErrorCode;
use slint::ComponentHandle;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// Longest code kept as typed: eight characters and the dash.
const MAX_TYPED: usize = 9;

pub(super) fn setup(app: &AppWindow, flow: &Arc<Flow>) {
    let ticket = app.global::<TicketAdapter>();
    let f = flow.clone();
    ticket.on_open_booking(move || f.open_booking());
    let f = flow.clone();
    ticket.on_check_in(move |text| f.check_in(text.to_string()));
    let booking = app.global::<BookingAdapter>();
    let weak = app.as_weak();
    booking.on_key(move |k| {
        if let Some(app) = weak.upgrade() {
            let adapter = app.global::<BookingAdapter>();
            adapter.set_code(typed(&adapter.get_code(), &k).into());
        }
    });
    let f = flow.clone();
    booking.on_check_in(move || {
        if let Some(app) = f.app.upgrade() {
            let code = app.global::<BookingAdapter>().get_code().to_string();
            f.check_in(code);
        }
    });
}

/// The code after one key of the on-screen keyboard: letters upper-cased, digits and the dash
/// kept, anything else ignored; backspace, and "" to clear.
fn typed(code: &str, key: &str) -> String {
    let mut code = code.to_owned();
    match key {
        "" => code.clear(),
        "\u{8}" => {
            code.pop();
        }
        k => {
            for c in k.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-') {
                if code.chars().count() < MAX_TYPED {
                    code.push(c.to_ascii_uppercase());
                }
            }
        }
    }
    code
}

/// Where the API's refusal of a check-in leaves the citizen.
fn refusal(e: &ClientError) -> Outcome {
    let detail = e.detail().unwrap_or_default().to_owned();
    let booking = |p| Outcome::Booking(p, detail.clone());
    match e.code() {
        Some(ErrorCode::BookingNotFound) => booking(BookingProblem::Unknown),
        Some(ErrorCode::BookingOtherCentre) => booking(BookingProblem::OtherCentre),
        Some(ErrorCode::BookingOtherDay) => booking(BookingProblem::OtherDay),
        Some(ErrorCode::BookingTooEarly) => booking(BookingProblem::TooEarly),
        Some(ErrorCode::BookingTooLate) => booking(BookingProblem::TooLate),
        Some(ErrorCode::BookingUsed) => booking(BookingProblem::Used),
        Some(ErrorCode::SeriesExhausted | ErrorCode::DailyCapReached) => Outcome::Refused(TicketProblem::FullToday),
        _ => Outcome::Refused(TicketProblem::Unreachable),
    }
}

impl Flow {
    /// The code entry, empty.
    fn open_booking(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let booking = app.global::<BookingAdapter>();
        booking.set_code("".into());
        booking.set_problem(BookingProblem::None);
        app.global::<Nav>().set_screen(Screen::Ticket);
        app.global::<TicketAdapter>().set_stage(TicketStage::Booking);
        tracing::debug!("take a number: booking code entry shown");
    }

    /// Checks in `code` (typed or scanned) and prints its ticket: a visit of its own.
    fn check_in(self: &Arc<Self>, code: String) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<TicketAdapter>();
        if adapter.get_stage() == TicketStage::Printing && app.global::<Nav>().get_screen() == Screen::Ticket {
            return; // a second tap, or a second scan, while the first is being served
        }
        let visit = self.visit.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.failed) = None;
        adapter.set_greeting_name("".into());
        adapter.set_offered(false);
        app.global::<Nav>().set_screen(Screen::Ticket);
        if !lock(&self.deps.limiter).allows(Instant::now()) {
            tracing::warn!("check-in refused: the kiosk's rate limit is reached");
            adapter.set_problem(TicketProblem::RateLimited);
            adapter.set_stage(TicketStage::Problem);
            return;
        }
        adapter.set_stage(TicketStage::Printing);
        let me = self.clone();
        let spawned = std::thread::Builder::new().name("check-in".into()).spawn(move || {
            let (outcome, service_name) = me.check_in_and_print(&code);
            let keep = me.clone();
            me.post(visit, move |app| {
                if let Some(name) = service_name {
                    app.global::<TicketAdapter>().set_service_name(name.into());
                }
                keep.show_outcome(app, outcome);
            });
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the check-in thread: {e}");
            adapter.set_problem(TicketProblem::PrinterDown);
            adapter.set_stage(TicketStage::Problem);
        }
    }

    /// The check-in's outcome, and the service's name for the screen.
    fn check_in_and_print(&self, code: &str) -> (Outcome, Option<String>) {
        if let Some(refused) = self.printer_refuses() {
            return (refused, None);
        }
        let ticket = match self.deps.runtime.block_on(self.deps.client.check_in(code)) {
            Ok(t) => t,
            Err(e) => {
                tracing::info!("no number for a booking: {}", e.code().map_or("unreachable", |c| c.as_str()));
                return (refusal(&e), None);
            }
        };
        // The printed ticket names its service as the take-a-number screen does.
        let state = self.deps.runtime.block_on(self.deps.client.state()).ok();
        let name = state.as_ref().and_then(|s| s.services.iter().find(|s| s.id == ticket.service)).map(|s| s.name.clone());
        let name = name.unwrap_or_else(|| ticket.service.clone());
        tracing::info!("a booking checked in: ticket {}", ticket.number);
        (self.print_issued(ticket, name.clone(), None), Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::typed;

    /// Proves the code entry keeps what a code may hold, upper-cased, nine characters at most.
    #[test]
    fn the_code_as_typed() {
        let mut code = String::new();
        for k in ["k", "7", "q", "x", "-", "m", "2", "p", "a", "z", " ", "."] {
            code = typed(&code, k);
        }
        assert_eq!(code, "K7QX-M2PA");
        assert_eq!(typed(&code, "\u{8}"), "K7QX-M2P");
        assert_eq!(typed(&code, ""), "");
    }
}

//! Every screen and state of the touch UI drawn headless, with the real fonts, into PNG files
//! (`images/kiosk-*.png`, shown by the README): `cargo run -p kiosk --bin kiosk-screens -- images`.
//!
//! The states are reached through the real controllers, against a real queue authority
//! in-process (demo configuration, a clock fixed at Monday 09:00, the store in memory) and
//! the simulated printer, so a picture shows what a citizen would see.
use super::headless::{Headless, SnapshotError};
use super::settings::UiSettings;
use super::{
    AdminAdapter, AdminStage, DossierAdapter, DossierStage, Kiosk, Nav, PinNote, PrintNote, ProceduresAdapter, SlipNote, Strings, Theme,
    TicketAdapter, TicketStage,
};
use crate::printing::{ChecklistJob, PrintFailure, Readiness, TicketJob, TicketPrinter};
use authority::clock::ManualClock;
use chrono::TimeZone;
use shared::config::{Config, HourRange, PrinterDevice};
use slint::ComponentHandle;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub const PORTRAIT: (u32, u32) = (1080, 1920);
pub const LANDSCAPE: (u32, u32) = (1920, 1080);

#[derive(Debug, thiserror::Error)]
pub enum ScreensError {
    #[error("cannot read the demo configuration: {0}")]
    Config(#[from] shared::config::ConfigError),
    #[error(transparent)]
    Platform(#[from] slint::PlatformError),
    #[error("cannot start the queue authority: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("preparing the demo queue failed: {0}")]
    Client(#[from] shared::client::ClientError),
    #[error("the UI did not reach the state {0} within 10 s")]
    Stuck(&'static str),
    #[error("the demo queue has no {0}")]
    Missing(&'static str),
    #[error("the sample procedure cannot be loaded: {0}")]
    Catalogue(#[from] shared::catalogue::LoadError),
    #[error("a sample procedure record is refused: {0}")]
    Refused(String),
}

/// The simulated printer whose roll runs out in the middle of the next ticket when armed (the
/// `PAPER_END` file appears as it prints), to draw a ticket that was issued but not printed.
struct RunOut {
    inner: Arc<dyn TicketPrinter>,
    dir: PathBuf,
    armed: AtomicBool,
}

impl TicketPrinter for RunOut {
    fn readiness(&self) -> Readiness {
        self.inner.readiness()
    }
    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure> {
        if self.armed.swap(false, Ordering::SeqCst) {
            std::fs::write(self.dir.join("PAPER_END"), b"")
                .map_err(|source| PrintFailure::SimulatorIo { path: self.dir.clone(), source })?;
        }
        self.inner.print(job)
    }
    fn print_checklist(&self, job: &ChecklistJob) -> Result<Readiness, PrintFailure> {
        self.inner.print_checklist(job)
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// Waits until `done` holds, or says which state was never reached.
fn until(display: &Headless, what: &'static str, done: impl FnMut() -> bool) -> Result<(), ScreensError> {
    display.pump_until(WAIT, done).then_some(()).ok_or(ScreensError::Stuck(what))
}

/// The demo configuration, made reproducible: store in memory, simulated printer in `printer_dir`,
/// and business registration opening only in the afternoon, so that one service is closed.
pub fn demo_config(printer_dir: &Path) -> Result<Config, ScreensError> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo.toml");
    let mut config = Config::load(&path)?;
    config.store.path = PathBuf::from(":memory:");
    config.printer.device = PrinterDevice::Simulator { dir: printer_dir.to_owned() };
    if let Some(s) = config.services.iter_mut().find(|s| s.id == "business") {
        s.hours = vec![HourRange::parse("13:30-17:00").expect("a valid range")];
    }
    Ok(config)
}

/// Monday 2026-11-23 09:00 in Vietnam.
pub fn monday_9am() -> chrono::DateTime<chrono::Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).and_then(|z| z.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single()).expect("a valid time").to_utc()
}

const WAIT: Duration = Duration::from_secs(10);

fn stage_is(kiosk: &Kiosk, stage: TicketStage) -> impl FnMut() -> bool + '_ {
    move || kiosk.app.global::<TicketAdapter>().get_stage() == stage
}

/// Renders every screen into `out`; the files written.
pub fn render_all(out: &Path) -> Result<Vec<PathBuf>, ScreensError> {
    std::fs::create_dir_all(out)?;
    // A fixed name: the staff settings show it, and the pictures should not change run to run.
    let printer_dir = std::env::temp_dir().join("kiosk-screens-printer");
    let _ = std::fs::remove_dir_all(&printer_dir);
    std::fs::create_dir_all(&printer_dir)?;
    let config = demo_config(&printer_dir)?;
    let display = Headless::install(PORTRAIT.0, PORTRAIT.1)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(authority::run(config.clone(), listener, Arc::new(ManualClock::new(monday_9am())), async {
        let _ = stopped.await;
    }));
    // A morning queue: people already waiting, so "people ahead" and the waits mean something.
    let client = shared::client::Client::new(&url, super::kiosk_token(&config));
    let keys = runtime.block_on(async {
        let mut keys = Vec::new();
        for (service, n) in [("civil", 6), ("residence", 3), ("land", 9)] {
            for _ in 0..n {
                keys.extend(client.issue(service, None).await?.key);
            }
        }
        Ok::<_, shared::client::ClientError>(keys)
    })?;

    // The stand-in one-stop system, for the dossier screen.
    let onestop = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let onestop_url = format!("http://{}", onestop.local_addr()?);
    let (router, _) = super::dossier::demo::router(super::dossier::demo::sample());
    // Switched off for the last picture: the system answers 503, as one under maintenance does.
    let onestop_down = Arc::new(AtomicBool::new(false));
    let down = onestop_down.clone();
    let router = router.layer(axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
        let down = down.load(Ordering::SeqCst);
        async move {
            if down {
                axum::response::IntoResponse::into_response(axum::http::StatusCode::SERVICE_UNAVAILABLE)
            } else {
                next.run(req).await
            }
        }
    }));
    runtime.spawn(async move { axum::serve(onestop, router).await });
    let settings = UiSettings {
        dossier: Some(super::dossier::HttpSourceConfig { base_url: onestop_url, timeout: Duration::from_secs(5), token: None }),
        ..UiSettings::from_config(&config)
    };
    let printer = Arc::new(RunOut { inner: crate::printing::open(&config), dir: printer_dir.clone(), armed: AtomicBool::new(false) });
    let clock = Arc::new(ManualClock::new(monday_9am()));
    let kiosk = super::build_with_clock(&config, &url, printer.clone(), runtime.handle().clone(), &settings, clock)?;
    kiosk.app.show()?;
    let mut written = Vec::new();
    // Draws what is on screen now; work posted by the ticket thread waits (so that the
    // "printing" state is drawn before the answer lands).
    let mut shot = |name: &str| -> Result<(), ScreensError> {
        slint::platform::update_timers_and_animations();
        let path = out.join(format!("kiosk-{name}.png"));
        display.save_png(&path)?;
        written.push(path);
        Ok(())
    };

    shot("home")?;
    kiosk.app.global::<Strings>().set_english(true);
    shot("home-en")?;
    kiosk.app.global::<Strings>().set_english(false);
    kiosk.app.global::<Theme>().set_large_text(true);
    shot("home-large")?;
    kiosk.app.global::<Theme>().set_large_text(false);
    display.resize(LANDSCAPE.0, LANDSCAPE.1);
    shot("home-landscape")?;
    display.resize(PORTRAIT.0, PORTRAIT.1);
    let contrast = |on: bool| kiosk.app.global::<Theme>().set_high_contrast(on);
    contrast(true);
    shot("home-contrast")?;
    contrast(false);

    let home = kiosk.app.global::<super::HomeAdapter>();
    let ticket = kiosk.app.global::<TicketAdapter>();
    home.invoke_take_number();
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    shot("services")?;
    contrast(true);
    shot("services-contrast")?;
    contrast(false);
    ticket.invoke_choose_service("civil".into());
    shot("priority")?;
    ticket.invoke_choose_priority("elderly".into());
    // The printing state is set before the worker's answer is let in: it is what shows
    // while the ticket prints.
    shot("printing")?;
    until(&display, "ticket", stage_is(&kiosk, TicketStage::Ticket))?;
    shot("ticket")?;
    contrast(true);
    shot("ticket-contrast")?;
    contrast(false);

    super::home::reset(&kiosk.app);
    std::fs::write(printer_dir.join("PAPER_END"), b"")?;
    home.invoke_take_number();
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    ticket.invoke_choose_service("residence".into());
    ticket.invoke_choose_priority("".into());
    until(&display, "paper out", stage_is(&kiosk, TicketStage::Problem))?;
    shot("paper-out")?;
    std::fs::remove_file(printer_dir.join("PAPER_END"))?;

    super::home::reset(&kiosk.app);
    home.invoke_take_number();
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    ticket.invoke_choose_service("business".into());
    shot("service-closed")?;
    super::home::reset(&kiosk.app);

    // A number booked ahead (before the roll runs out below): its code typed on the on-screen keyboard, then a code this centre
    // does not hold (the demo centre has no hub, so none), refused for real.
    home.invoke_take_number();
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    ticket.invoke_open_booking();
    let booking = kiosk.app.global::<super::BookingAdapter>();
    for k in ["k", "7", "q", "x", "-", "m", "2", "p", "a"] {
        booking.invoke_key(k.into());
    }
    shot("booking-code")?;
    booking.invoke_check_in();
    until(&display, "the booking refused", stage_is(&kiosk, TicketStage::BookingProblem))?;
    shot("booking-unknown")?;
    super::home::reset(&kiosk.app);

    // The roll runs out while a ticket prints: the number stands, "print again" waits for paper.
    super::home::reset(&kiosk.app);
    printer.armed.store(true, Ordering::SeqCst);
    home.invoke_take_number();
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    ticket.invoke_choose_service("land".into());
    ticket.invoke_choose_priority("".into());
    until(&display, "ticket not printed", stage_is(&kiosk, TicketStage::Ticket))?;
    shot("ticket-reprint")?;
    landscape(&display, &mut shot, "ticket-reprint-landscape")?;

    // A call for help from the procedures screen, really made; then the answer of a staff
    // member, handed over as the event stream's help_answered would hand it.
    super::home::reset(&kiosk.app);
    home.invoke_procedures();
    let help = kiosk.app.global::<super::HelpAdapter>();
    help.invoke_ask();
    until(&display, "the call heard", || help.get_stage() == super::HelpStage::Waiting)?;
    shot("help-waiting")?;
    let device = help.get_device().to_string();
    super::help::answered(&kiosk.app, &device, Some("Nguyễn Thị Lan".into()));
    shot("help-coming")?;
    help.invoke_withdraw();

    // The scanner: a (made-up) chip ID card of a 76-year-old greets her and offers priority;
    // a ticket's QR shows where it stands.
    super::home::reset(&kiosk.app);
    display.type_text("001050098765||Phùng Thị Xuyến|15031950|Nữ|Hà Nội|01072021\n");
    until(&display, "services", stage_is(&kiosk, TicketStage::Services))?;
    shot("card-greeting")?;
    ticket.invoke_choose_service("civil".into());
    shot("card-priority")?;
    super::home::reset(&kiosk.app);
    let key = keys.get(3).ok_or(ScreensError::Missing("a ticket's key"))?;
    display.type_text(&format!("https://motcua.example.vn/t/{key}\n"));
    let scan = kiosk.app.global::<super::ScanAdapter>();
    until(&display, "the ticket's status", || scan.get_note() == super::ScanNote::TicketWaiting)?;
    shot("scan-ticket")?;
    super::home::reset(&kiosk.app);

    admin_screens(&display, &kiosk, &printer_dir, &mut shot)?;
    let paper = procedure_screens(&display, &kiosk, &printer_dir, out, &mut shot)?;
    dossier_screens(&display, &kiosk, &onestop_down, &mut shot)?;
    written.push(paper);

    drop(kiosk);
    let _ = stop.send(());
    let _ = runtime.block_on(server);
    let _ = std::fs::remove_dir_all(&printer_dir);
    Ok(written)
}

type Shot<'a> = dyn FnMut(&str) -> Result<(), ScreensError> + 'a;

/// The same screen on a landscape panel, then back to portrait.
fn landscape(display: &Headless, shot: &mut Shot<'_>, name: &str) -> Result<(), ScreensError> {
    display.resize(LANDSCAPE.0, LANDSCAPE.1);
    let drawn = shot(name);
    display.resize(PORTRAIT.0, PORTRAIT.1);
    drawn
}

/// The staff settings: the PIN pad (wrong PIN, then the right one), the settings with the
/// ticket that was not printed, a reprint once the paper is back, leaving kiosk mode (not
/// confirmed), and the pad locked after five wrong PINs.
fn admin_screens(display: &Headless, kiosk: &Kiosk, printer_dir: &Path, shot: &mut Shot<'_>) -> Result<(), ScreensError> {
    let admin = kiosk.app.global::<AdminAdapter>();
    let type_pin = |pin: &str| {
        for d in pin.chars() {
            admin.invoke_digit(d.to_string().into());
        }
    };
    let checked = || admin.get_pin_note() != PinNote::Checking;
    kiosk.app.global::<Nav>().invoke_staff();
    type_pin("2468");
    shot("admin-pin")?;
    type_pin("11");
    admin.invoke_submit();
    until(display, "PIN checked", checked)?;
    shot("admin-pin-wrong")?;
    landscape(display, shot, "admin-pin-landscape")?;
    type_pin("246810");
    admin.invoke_submit();
    until(display, "settings", || admin.get_stage() == AdminStage::Settings && admin.get_printer_state() != super::PrinterState::Checking)?;
    shot("admin-settings")?;
    std::fs::remove_file(printer_dir.join("PAPER_END"))?;
    let number = slint::Model::row_data(&admin.get_failed(), 0).ok_or(ScreensError::Stuck("an unprinted ticket"))?.number;
    admin.invoke_reprint(number);
    until(display, "reprinted", || {
        admin.get_reprint_note() == PrintNote::Printed && admin.get_printer_state() != super::PrinterState::Checking
    })?;
    shot("admin-reprinted")?;
    admin.set_stage(AdminStage::ConfirmQuit);
    shot("admin-leave")?;
    admin.invoke_close();
    kiosk.app.global::<Nav>().invoke_staff();
    for _ in 0..5 {
        type_pin("135790");
        admin.invoke_submit();
        until(display, "PIN checked", checked)?;
    }
    shot("admin-locked")?;
    admin.invoke_close();
    Ok(())
}

/// Procedures: the field list, searches typed by Telex and by VNI, a real procedure's page with
/// its checklist printed, and the full national-format sample's page. Returns the sample's
/// checklist paper, copied to `out/checklist-80mm.png`.
fn procedure_screens(
    display: &Headless,
    kiosk: &Kiosk,
    printer_dir: &Path,
    out: &Path,
    shot: &mut Shot<'_>,
) -> Result<PathBuf, ScreensError> {
    super::home::reset(&kiosk.app);
    let loaded = display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().is_ok_and(|c| c.is_some()));
    loaded.then_some(()).ok_or(ScreensError::Stuck("catalogue loaded"))?;
    let home = kiosk.app.global::<super::HomeAdapter>();
    let procedures = kiosk.app.global::<ProceduresAdapter>();
    let type_keys = |keys: &str| {
        for key in keys.chars() {
            procedures.invoke_key(key.to_string().into());
        }
    };
    home.invoke_procedures();
    shot("procedures")?;
    type_keys("ddawng kys khai sinh");
    shot("procedures-search")?;
    landscape(display, shot, "procedures-search-landscape")?;
    procedures.invoke_key("".into());
    procedures.invoke_set_vni(true);
    type_keys("d9a8ng ky1 ta5m tru1");
    shot("procedures-search-vni")?;
    procedures.invoke_set_vni(false);
    procedures.invoke_key("".into());
    type_keys("ddawng kys khai sinh");
    let first = slint::Model::row_data(&procedures.get_hits(), 0).ok_or(ScreensError::Stuck("a search result"))?;
    procedures.invoke_open(first.code);
    shot("procedure-detail")?;
    procedures.invoke_print_checklist();
    until(display, "checklist printed", || procedures.get_slip_note() == SlipNote::Printed)?;
    shot("procedure-checklist-printed")?;

    // Full records: the illustrative sample of the exchange format, and the portal's records as
    // `kiosk catalogue import` reads them (a field to browse, a procedure with three cases).
    let real = kiosk.catalogue.lock().ok().and_then(|c| c.clone());
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue");
    let mut import = shared::catalogue::Import::new();
    import.add_path(&assets.join("sample-full.json"));
    import.add_path(&assets.join("portal"));
    if let Some(bad) = import.skipped().first() {
        return Err(ScreensError::Refused(bad.to_string()));
    }
    let full = import.catalogue()?;
    if let Ok(mut slot) = kiosk.catalogue.lock() {
        *slot = Some(Arc::new(full));
    }
    super::home::reset(&kiosk.app);
    home.invoke_procedures();
    procedures.invoke_open("1.001193".into());
    shot("procedure-detail-full")?;
    landscape(display, shot, "procedure-detail-landscape")?;
    let slips = |dir: &Path| -> std::io::Result<Vec<PathBuf>> {
        Ok(std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("checklist-")))
            .collect())
    };
    // A checklist printed from the page, and the paper the virtual printer decoded, for the README.
    let print_paper = |what: &'static str, name: &str| -> Result<PathBuf, ScreensError> {
        for old in slips(printer_dir)? {
            std::fs::remove_file(old)?;
        }
        procedures.invoke_print_checklist();
        until(display, what, || procedures.get_slip_note() == SlipNote::Printed)?;
        let paper = slips(printer_dir)?.into_iter().find(|p| p.extension().is_some_and(|x| x == "png")).ok_or(ScreensError::Stuck(what))?;
        let copy = out.join(name);
        std::fs::copy(&paper, &copy)?;
        Ok(copy)
    };
    let copy = print_paper("sample checklist printed", "checklist-80mm.png")?;

    // The portal's records: browse their field, open the one with three cases, choose one.
    super::home::reset(&kiosk.app);
    home.invoke_procedures();
    procedures.invoke_choose_field("G01-CA05".into());
    shot("procedures-field")?;
    procedures.invoke_open("1.004222".into());
    shot("procedure-cases")?;
    procedures.invoke_choose_case(2);
    shot("procedure-case-documents")?;
    print_paper("case checklist printed", "checklist-case-80mm.png")?;
    if let Ok(mut slot) = kiosk.catalogue.lock() {
        *slot = real;
    }
    Ok(copy)
}

/// Dossier status: the entry, a code out of shape, a dossier found (name masked) and its
/// evaluation, a code the system does not know, and the system unreachable.
fn dossier_screens(display: &Headless, kiosk: &Kiosk, onestop_down: &AtomicBool, shot: &mut Shot<'_>) -> Result<(), ScreensError> {
    super::home::reset(&kiosk.app);
    kiosk.app.global::<super::HomeAdapter>().invoke_dossier();
    shot("dossier")?;
    let dossier = kiosk.app.global::<DossierAdapter>();
    let type_code = |code: &str| {
        dossier.invoke_key("".into());
        for c in code.chars() {
            dossier.invoke_key(c.to_string().into());
        }
    };
    type_code("000.00.06.H56-2310");
    dossier.invoke_look_up();
    shot("dossier-invalid")?;
    type_code("000.00.06.h56-231027-0361");
    dossier.invoke_look_up();
    until(display, "dossier found", || dossier.get_stage() == DossierStage::Found)?;
    shot("dossier-found")?;
    landscape(display, shot, "dossier-found-landscape")?;
    // The dossier is ready: its evaluation, a question, the review, and the thanks.
    let form = kiosk.app.global::<super::EvaluationAdapter>();
    form.invoke_start();
    form.invoke_answer(0);
    shot("evaluation-question")?;
    for answer in [0, 1, 0, 0, 0, 0, 0, 1] {
        form.invoke_answer(answer);
    }
    shot("evaluation-review")?;
    form.invoke_send();
    until(display, "evaluation sent", || form.get_stage() == super::EvaluationStage::Done)?;
    shot("evaluation-done")?;
    form.invoke_close();
    type_code("000.00.06.H56-231027-9999");
    dossier.invoke_look_up();
    until(display, "dossier not found", || dossier.get_stage() == DossierStage::NotFound)?;
    shot("dossier-not-found")?;
    onestop_down.store(true, Ordering::SeqCst);
    type_code("000.00.06.H56-231030-0012");
    dossier.invoke_look_up();
    until(display, "dossier system unreachable", || dossier.get_stage() == DossierStage::Unreachable)?;
    shot("dossier-unreachable")?;
    Ok(())
}

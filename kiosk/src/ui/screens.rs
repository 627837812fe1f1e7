//! Every screen and state of the touch UI drawn headless, with the real fonts, into PNG files
//! (`images/kiosk-*.png`, shown by the README): `cargo run -p kiosk --bin kiosk-screens -- images`.
//!
//! The states are reached through the real controllers, against a real queue authority
//! in-process (demo configuration, a clock fixed at Monday 09:00, the store in memory) and
//! the simulated printer, so a picture shows what a citizen would see.
use super::headless::{Headless, SnapshotError};
use super::settings::UiSettings;
use super::{Kiosk, Strings, TicketAdapter, TicketStage, Theme};
use crate::clock::ManualClock;
use chrono::TimeZone;
use shared::config::{Config, HourRange, PrinterDevice};
use slint::ComponentHandle;
use std::path::{Path, PathBuf};
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
    Client(#[from] crate::client::ClientError),
    #[error("the UI did not reach the state {0} within 10 s")]
    Stuck(&'static str),
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
    let printer_dir = std::env::temp_dir().join(format!("kiosk-screens-{}", std::process::id()));
    std::fs::create_dir_all(&printer_dir)?;
    let config = demo_config(&printer_dir)?;
    let display = Headless::install(PORTRAIT.0, PORTRAIT.1)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(crate::run(config.clone(), listener, Arc::new(ManualClock::new(monday_9am())), async {
        let _ = stopped.await;
    }));
    // A morning queue: people already waiting, so "people ahead" and the waits mean something.
    let client = crate::client::Client::new(&url, super::kiosk_token(&config));
    runtime.block_on(async {
        for (service, n) in [("civil", 6), ("residence", 3), ("land", 9)] {
            for _ in 0..n {
                client.issue(service, None).await?;
            }
        }
        Ok::<_, crate::client::ClientError>(())
    })?;

    // The stand-in one-stop system, for the dossier screen.
    let onestop = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let onestop_url = format!("http://{}", onestop.local_addr()?);
    let (router, _) = super::dossier::demo::router(super::dossier::demo::sample());
    runtime.spawn(async move { axum::serve(onestop, router).await });
    let settings = UiSettings {
        dossier: Some(super::dossier::HttpSourceConfig { base_url: onestop_url, timeout: Duration::from_secs(5), token: None }),
        ..UiSettings::default()
    };
    let printer = crate::printing::open(&config);
    let kiosk = super::build(&config, &url, printer, runtime.handle().clone(), &settings)?;
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

    let home = kiosk.app.global::<super::HomeAdapter>();
    let ticket = kiosk.app.global::<TicketAdapter>();
    home.invoke_take_number();
    display.pump_until(WAIT, stage_is(&kiosk, TicketStage::Services)).then_some(()).ok_or(ScreensError::Stuck("services"))?;
    shot("services")?;
    ticket.invoke_choose_service("civil".into());
    shot("priority")?;
    ticket.invoke_choose_priority("elderly".into());
    // The printing state is set before the worker's answer is let in: it is what shows
    // while the ticket prints.
    shot("printing")?;
    display.pump_until(WAIT, stage_is(&kiosk, TicketStage::Ticket)).then_some(()).ok_or(ScreensError::Stuck("ticket"))?;
    shot("ticket")?;

    super::home::reset(&kiosk.app);
    std::fs::write(printer_dir.join("PAPER_END"), b"")?;
    home.invoke_take_number();
    display.pump_until(WAIT, stage_is(&kiosk, TicketStage::Services)).then_some(()).ok_or(ScreensError::Stuck("services"))?;
    ticket.invoke_choose_service("residence".into());
    ticket.invoke_choose_priority("".into());
    display.pump_until(WAIT, stage_is(&kiosk, TicketStage::Problem)).then_some(()).ok_or(ScreensError::Stuck("paper out"))?;
    shot("paper-out")?;
    std::fs::remove_file(printer_dir.join("PAPER_END"))?;

    super::home::reset(&kiosk.app);
    home.invoke_take_number();
    display.pump_until(WAIT, stage_is(&kiosk, TicketStage::Services)).then_some(()).ok_or(ScreensError::Stuck("services"))?;
    ticket.invoke_choose_service("business".into());
    shot("service-closed")?;

    // Procedures: the field list, a search typed by Telex ("khai sinh"), one procedure.
    super::home::reset(&kiosk.app);
    let loaded = display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().is_ok_and(|c| c.is_some()));
    loaded.then_some(()).ok_or(ScreensError::Stuck("catalogue loaded"))?;
    home.invoke_procedures();
    shot("procedures")?;
    let procedures = kiosk.app.global::<super::ProceduresAdapter>();
    for key in ["d", "d", "a", "w", "n", "g", " ", "k", "y", "s", " ", "k", "h", "a", "i", " ", "s", "i", "n", "h"] {
        procedures.invoke_key(key.into());
    }
    shot("procedures-search")?;
    let first = slint::Model::row_data(&procedures.get_hits(), 0).ok_or(ScreensError::Stuck("a search result"))?;
    procedures.invoke_open(first.code);
    shot("procedure-detail")?;

    // Dossier status: the entry, a code out of shape, a dossier found (name masked).
    super::home::reset(&kiosk.app);
    home.invoke_dossier();
    shot("dossier")?;
    let dossier = kiosk.app.global::<super::DossierAdapter>();
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
    let found = display.pump_until(WAIT, || dossier.get_stage() == super::DossierStage::Found);
    found.then_some(()).ok_or(ScreensError::Stuck("dossier found"))?;
    shot("dossier-found")?;

    drop(kiosk);
    let _ = stop.send(());
    let _ = runtime.block_on(server);
    let _ = std::fs::remove_dir_all(&printer_dir);
    Ok(written)
}

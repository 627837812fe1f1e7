//! The touch UI (Slint): one `export global XxxAdapter` per screen in `kiosk/ui/*.slint`, and
//! here one controller per screen that fills its adapter and answers its callbacks.
//!
//! - `home.rs`: home screen, navigation, the idle return (from every screen).
//! - `live.rs`: follows the administrator's changes (centre name, catalogue) while the UI runs.
//! - `ticket.rs`: take a number (rate limit, printer readiness, issue, print, print again).
//! - `reprint.rs`: tickets issued here whose printing failed, kept to be printed again.
//! - `procedures.rs`, `typing.rs`: look up procedures with the Telex/VNI on-screen keyboard, a
//!   procedure's page, its checklist printed, a number for the service that handles it.
//! - `guide.rs`: spoken guidance: the "listen" button reads the screen aloud (`crate::speech`).
//! - `help.rs`: the call for a staff member, at the foot of every citizen's screen.
//! - `scan/`: one scanner path for every screen: receipt codes, ID cards, tickets' QR codes.
//! - `admin.rs`: the staff settings behind the PIN pad (`crate::pin`).
//! - `settings.rs`: the `[kiosk]` configuration as the UI uses it; the rate limiter.
//! - `dossier/`: dossier status: receipt codes, the one-stop system over HTTP, a cache; the
//!   citizen's nine-criteria evaluation of a finished dossier.
//! - `headless.rs`: the kiosk's window on the `headless` crate's platform, for the screenshots and the UI tests.
//! - `screens.rs`: renders every screen and state to `images/kiosk-*.png`.
//! - `window.rs`: the real full-screen window of `kiosk --config F`, and its hardening.
slint::include_modules!();

pub mod admin;
pub mod dossier;
pub mod guide;
pub mod headless;
pub mod help;
pub mod home;
pub mod live;
pub mod procedures;
pub mod reprint;
pub mod scan;
pub mod screens;
pub mod settings;
pub mod ticket;
pub mod typing;
pub mod window;

use crate::printing::TicketPrinter;
use reprint::Unprinted;
use settings::{RateLimiter, UiSettings};
use shared::client::Client;
use shared::config::Config;
use std::sync::{Arc, Mutex};

/// Runs `apply` on the UI thread (from a worker thread or a task) while the window lives. The
/// controllers whose answers may come late check, inside `apply`, that the citizen has not
/// moved on since they asked.
pub(crate) fn post(app: &slint::Weak<AppWindow>, apply: impl FnOnce(&AppWindow) + Send + 'static) {
    if let Err(e) = app.upgrade_in_event_loop(move |app| apply(&app)) {
        tracing::error!("the UI event loop is gone: {e}");
    }
}

/// The token this kiosk takes numbers with (see `connect::token`).
pub fn kiosk_token(config: &Config) -> Option<String> {
    crate::connect::token(config)
}

/// The UI and its controllers; dropping it stops them.
pub struct Kiosk {
    pub app: AppWindow,
    pub home: home::Home,
    /// The procedure catalogue, once loaded (empty while loading or when none is configured).
    pub catalogue: procedures::CatalogueSlot,
    /// Tickets issued here whose printing failed.
    pub unprinted: Arc<Unprinted>,
    /// Follows the administrator's changes (centre name, catalogue) while the UI runs.
    pub live: live::Live,
}

/// Builds the window and wires every screen. `authority` is the base URL of the queue
/// authority (this process's own, or another kiosk's); `settings` is normally
/// `UiSettings::from_config(config)`.
pub fn build(
    config: &Config,
    authority: &str,
    printer: Arc<dyn TicketPrinter>,
    runtime: tokio::runtime::Handle,
    settings: &UiSettings,
) -> Result<Kiosk, slint::PlatformError> {
    build_with_clock(config, authority, printer, runtime, settings, Arc::new(authority::clock::SystemClock))
}

/// `build`, with the authority's clock (tests run the authority on a manual clock): it says
/// what "today" is for the tickets kept to print again, and the time printed on a checklist.
pub fn build_with_clock(
    config: &Config,
    authority: &str,
    printer: Arc<dyn TicketPrinter>,
    runtime: tokio::runtime::Handle,
    settings: &UiSettings,
    clock: Arc<dyn authority::clock::Clock>,
) -> Result<Kiosk, slint::PlatformError> {
    let app = AppWindow::new()?;
    window::harden(&app);
    let shared_config = Arc::new(config.clone());
    let home = home::setup(
        &app,
        home::HomeSettings {
            centre: &config.centre.name,
            idle_after: settings.idle,
            english: settings.english,
            large_text: settings.large_text,
            high_contrast: settings.high_contrast,
            numbers: config.has_printer,
        },
    );
    let client = crate::connect::client(config, authority).unwrap_or_else(|e| {
        // Checked when the kiosk starts; a client without the CA only fails to connect.
        tracing::error!("the authority's client: {e}");
        Client::new(authority, kiosk_token(config))
    });
    let follower_client = client.clone();
    help::setup(&app, help::HelpDeps { client: client.clone(), runtime: runtime.clone() });
    let speaker = settings.voice.clone().and_then(|v| {
        let speaker = crate::speech::Speaker::new(v);
        match speaker.check() {
            Ok(()) => Some(speaker),
            Err(e) => {
                tracing::warn!("spoken guidance is off: {e}");
                None
            }
        }
    });
    guide::setup(&app, speaker);
    scan::setup(
        &app,
        scan::ScanDeps {
            client: client.clone(),
            runtime: runtime.clone(),
            numbers: config.has_printer,
            card_age: settings.card_age,
            card_class: settings.card_class.clone(),
            clock: clock.clone(),
            offset: config.centre.utc_offset,
        },
    );
    let limiter = Arc::new(Mutex::new(RateLimiter::new(settings.max_tickets, settings.per)));
    let unprinted = Arc::new(Unprinted::new(config, clock.clone()));
    ticket::setup(
        &app,
        ticket::TicketDeps {
            client: client.clone(),
            printer: printer.clone(),
            runtime: runtime.clone(),
            limiter: limiter.clone(),
            unprinted: unprinted.clone(),
        },
    );
    let dossiers = settings.dossier.as_ref().map(|c| {
        let http = dossier::HttpSource::new(c);
        Arc::new(dossier::CachedSource::new(http, settings.dossier_cache, 512)) as Arc<dyn dossier::DossierSource>
    });
    dossier::screen::setup(&app, dossiers);
    dossier::evaluation::setup(&app, dossier::evaluation::EvaluationDeps { client: client.clone(), runtime: runtime.clone() });
    let catalogue = procedures::setup(
        &app,
        procedures::ProceduresDeps { config: shared_config.clone(), printer: printer.clone(), limiter, clock: clock.clone() },
    );
    let gate = crate::pin::Gate::new(settings.pin_hash.clone(), settings.pin_tries, settings.pin_lockout);
    admin::setup(&app, admin::AdminDeps { config: shared_config, printer, unprinted: unprinted.clone(), clock }, gate);
    let (slot, cfg) = (catalogue.clone(), config.clone());
    // 3,000 procedures take a moment to index: not on the UI thread, not before the first frame.
    let loader = std::thread::Builder::new().name("catalogue".into()).spawn(move || match procedures::load(&cfg) {
        Ok(Some(c)) => {
            tracing::info!("procedure catalogue: {} procedures", c.len());
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
        }
        Ok(None) => tracing::info!("no [catalogue] configured: procedure lookup is not offered"),
        Err(e) => tracing::error!("the procedure catalogue cannot be loaded: {e}"),
    });
    if let Err(e) = loader {
        tracing::error!("cannot start loading the catalogue: {e}");
    }
    let live = live::follow(&app, follower_client, config.clone(), catalogue.clone(), &runtime);
    Ok(Kiosk { app, home, catalogue, unprinted, live })
}

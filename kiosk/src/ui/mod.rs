//! The touch UI (Slint): one `export global XxxAdapter` per screen in `kiosk/ui/*.slint`, and
//! here one controller per screen that fills its adapter and answers its callbacks.
//!
//! - `home.rs`: home screen, navigation, the idle return.
//! - `ticket.rs`: take a number (rate limit, printer readiness, issue, print).
//! - `procedures.rs`, `telex.rs`: look up procedures with the Telex on-screen keyboard.
//! - `settings.rs`: idle time and rate limit.
//! - `dossier/`: dossier status: receipt codes, the one-stop system over HTTP, a cache.
//! - `headless.rs`: a display-less platform for the screenshots and the UI tests.
//! - `screens.rs`: renders every screen and state to `images/kiosk-*.png`.
//! - `window.rs`: the real full-screen window of `kiosk --config F`.
slint::include_modules!();

pub mod dossier;
pub mod headless;
pub mod home;
pub mod procedures;
pub mod screens;
pub mod settings;
pub mod telex;
pub mod ticket;
pub mod window;

use crate::client::Client;
use crate::printing::TicketPrinter;
use settings::{RateLimiter, UiSettings};
use shared::config::{Config, Role};
use std::sync::{Arc, Mutex};

/// The token this kiosk takes numbers with: the first `[[auth.tokens]]` entry of role kiosk.
pub fn kiosk_token(config: &Config) -> Option<String> {
    config.auth.tokens.iter().find(|t| t.role == Role::Kiosk).map(|t| t.token.clone())
}

/// The UI and its controllers; dropping it stops them.
pub struct Kiosk {
    pub app: AppWindow,
    pub home: home::Home,
    /// The procedure catalogue, once loaded (empty while loading or when none is configured).
    pub catalogue: procedures::CatalogueSlot,
}

/// Builds the window and wires every screen. `authority` is the base URL of the queue
/// authority (this process's own, or another kiosk's).
pub fn build(
    config: &Config,
    authority: &str,
    printer: Arc<dyn TicketPrinter>,
    runtime: tokio::runtime::Handle,
    settings: &UiSettings,
) -> Result<Kiosk, slint::PlatformError> {
    let app = AppWindow::new()?;
    let home = home::setup(&app, &config.centre.name, settings.idle);
    let client = Client::new(authority, kiosk_token(config));
    let limiter = Mutex::new(RateLimiter::new(settings.max_tickets, settings.per));
    ticket::setup(&app, ticket::TicketDeps { client, printer, runtime, limiter });
    let dossiers = settings.dossier.as_ref().map(|c| {
        let http = dossier::HttpSource::new(c);
        Arc::new(dossier::CachedSource::new(http, std::time::Duration::from_secs(120), 512)) as Arc<dyn dossier::DossierSource>
    });
    dossier::screen::setup(&app, dossiers);
    let catalogue = procedures::setup(&app);
    let (slot, cfg) = (catalogue.clone(), config.clone());
    // 3,000 procedures take a moment to index: not on the UI thread, not before the first frame.
    let loader = std::thread::Builder::new().name("catalogue".into()).spawn(move || match procedures::load(&cfg) {
        Ok(Some(c)) => {
            tracing::info!("procedure catalogue: {} procedures", c.len());
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(c));
        }
        Ok(None) => tracing::info!("no [catalogue] configured: procedure lookup is not offered"),
        Err(e) => tracing::error!("the procedure catalogue cannot be loaded: {e}"),
    });
    if let Err(e) = loader {
        tracing::error!("cannot start loading the catalogue: {e}");
    }
    Ok(Kiosk { app, home, catalogue })
}

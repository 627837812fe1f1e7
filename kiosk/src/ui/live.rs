//! Keeps the touch UI on what the administrator changes while it runs: the centre's name on the
//! home screen (`settings_changed`) and the procedure catalogue (`catalogue_replaced`); and
//! hands a staff member's answer to a call for help to `help.rs` (`help_answered`). The
//! services a citizen picks from are read from the state each time, so they need nothing here.
//!
//! A task on the runtime follows the authority's event stream (reconnecting with backoff) and
//! posts what it learns to the UI thread; it stops when the `Live` guard is dropped.
use super::procedures::{self, CatalogueSlot};
use super::{AppWindow, HomeAdapter};
use shared::client::{Backoff, Client, StreamItem};
use shared::config::Config;
use shared::event::EventBody;
use slint::ComponentHandle;
use std::time::Duration;
use tokio::sync::watch;

/// Stops the follower when dropped.
pub struct Live {
    stop: watch::Sender<bool>,
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

pub fn follow(app: &AppWindow, client: Client, config: Config, catalogue: CatalogueSlot, runtime: &tokio::runtime::Handle) -> Live {
    let (stop, stopped) = watch::channel(false);
    let weak = app.as_weak();
    runtime.spawn(run(weak, client, config, catalogue, stopped));
    Live { stop }
}

async fn run(app: slint::Weak<AppWindow>, client: Client, config: Config, catalogue: CatalogueSlot, mut stop: watch::Receiver<bool>) {
    let mut last = None;
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
    loop {
        let mut stream = match client.events(last).await {
            Ok(s) => s,
            Err(e) => {
                let delay = backoff.fail();
                tracing::debug!("touch UI: the event stream is not reachable ({e}); retrying in {delay:?}");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stop.changed() => return,
                }
                continue;
            }
        };
        backoff.reset();
        // Settings may have changed while the stream was down (or before the UI started).
        centre_name(&app, &client).await;
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    Some(Ok(StreamItem::Event(e))) => {
                        last = Some(e.id);
                        match e.body {
                            EventBody::SettingsChanged { .. } => centre_name(&app, &client).await,
                            EventBody::CatalogueReplaced { .. } => reload(&config, &catalogue),
                            EventBody::HelpAnswered { device, staff, staff_name } => {
                                let _ = app.upgrade_in_event_loop(move |app| super::help::answered(&app, &device, staff_name.or(staff)));
                            }
                            _ => {}
                        }
                    }
                    Some(Ok(StreamItem::Resync)) => last = None,
                    // A kind this build does not know changes nothing shown here: go past it.
                    Some(Ok(StreamItem::Unknown { id, .. })) => last = Some(id),
                    Some(Err(_)) | None => break,
                },
                _ = stop.changed() => return,
            }
        }
    }
}

async fn centre_name(app: &slint::Weak<AppWindow>, client: &Client) {
    let Ok(v) = client.settings().await else { return };
    let name = v.settings.centre_name;
    let _ = app.upgrade_in_event_loop(move |app| {
        if app.global::<HomeAdapter>().get_centre() != name.as_str() {
            app.global::<HomeAdapter>().set_centre(name.into());
        }
    });
}

/// Loads the catalogue file again (the administrator's upload replaced it) off the UI thread;
/// the old one stays in use until the new one is indexed, or if it does not load.
fn reload(config: &Config, slot: &CatalogueSlot) {
    let (config, slot) = (config.clone(), slot.clone());
    let spawned = std::thread::Builder::new().name("catalogue".into()).spawn(move || match procedures::load(&config) {
        Ok(Some(c)) => {
            tracing::info!("procedure catalogue replaced: {} procedures", c.len());
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
        }
        Ok(None) => {}
        Err(e) => tracing::error!("the replaced procedure catalogue cannot be loaded (the old one stays): {e}"),
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start loading the catalogue: {e}");
    }
}

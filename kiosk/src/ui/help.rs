//! The call for help: `HelpAdapter` and the bar at the foot of every citizen's screen.
//!
//! A press sends `POST /api/v1/help` with the screen the citizen is on; the bar says the call
//! was heard. The answer comes on the event stream the kiosk already follows (`live.rs` hands
//! `help_answered` for this kiosk to `answered`), so "a staff member is coming" shows the
//! moment staff press the console's button, with no polling. When the kiosk goes idle (the
//! citizen left) the call is withdrawn, so staff do not walk to an empty kiosk.
//!
//! Each press or withdrawal starts a new generation; an answer from an older one is dropped,
//! and the requests go out one at a time, so a withdrawal never overtakes the call it ends.
use super::{AppWindow, HelpAdapter, HelpStage, Nav, Screen};
use shared::client::{Client, ClientError};
use shared::wire::{ErrorCode, HelpScreen, HelpView};
use slint::ComponentHandle;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long "called a moment ago" or "could not call" stays before the button comes back.
const NOTE_SHOWN: Duration = Duration::from_secs(10);

pub struct HelpDeps {
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
}

struct Calls {
    app: slint::Weak<AppWindow>,
    deps: HelpDeps,
    generation: AtomicU64,
    /// One request at a time, in the order they were made.
    line: tokio::sync::Mutex<()>,
}

pub fn setup(app: &AppWindow, deps: HelpDeps) {
    let calls = Arc::new(Calls { app: app.as_weak(), deps, generation: AtomicU64::new(0), line: Default::default() });
    let adapter = app.global::<HelpAdapter>();
    let c = calls.clone();
    adapter.on_ask(move || c.ask());
    let c = calls;
    adapter.on_withdraw(move || c.withdraw());
}

/// A staff member answered the call of `device` (from the event stream): if it is this
/// kiosk's open call, the bar says who is coming.
pub fn answered(app: &AppWindow, device: &str, staff: Option<String>) {
    let adapter = app.global::<HelpAdapter>();
    let open = matches!(adapter.get_stage(), HelpStage::Sending | HelpStage::Waiting);
    if open && adapter.get_device() == device {
        adapter.set_staff(staff.unwrap_or_default().into());
        adapter.set_stage(HelpStage::Coming);
    }
}

fn screen_of(app: &AppWindow) -> HelpScreen {
    match app.global::<Nav>().get_screen() {
        Screen::Home => HelpScreen::Home,
        Screen::Ticket => HelpScreen::Ticket,
        Screen::Procedures => HelpScreen::Procedures,
        Screen::Dossier => HelpScreen::Dossier,
        Screen::Admin => HelpScreen::Other,
    }
}

impl Calls {
    fn ask(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<HelpAdapter>();
        if matches!(adapter.get_stage(), HelpStage::Sending | HelpStage::Waiting | HelpStage::Coming) {
            return;
        }
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        adapter.set_staff("".into());
        adapter.set_stage(HelpStage::Sending);
        let screen = screen_of(&app);
        let me = self.clone();
        self.deps.runtime.spawn(async move {
            let asked = {
                let _turn = me.line.lock().await;
                me.deps.client.ask_help(screen).await
            };
            let failed = asked.is_err();
            let keep = me.clone();
            me.post(generation, move |app| keep.show(app, asked));
            if failed {
                tokio::time::sleep(NOTE_SHOWN).await;
                me.post(generation, |app| app.global::<HelpAdapter>().set_stage(HelpStage::Idle));
            }
        });
    }

    fn show(&self, app: &AppWindow, asked: Result<HelpView, ClientError>) {
        let adapter = app.global::<HelpAdapter>();
        match asked {
            Ok(view) => {
                tracing::info!("help: {} called a staff member from the {:?} screen", view.device, view.screen);
                adapter.set_device(view.device.as_str().into());
                match view.answered_by {
                    Some(staff) => {
                        adapter.set_staff(staff.into());
                        adapter.set_stage(HelpStage::Coming);
                    }
                    None => adapter.set_stage(HelpStage::Waiting),
                }
            }
            Err(e) if e.code() == Some(&ErrorCode::HelpTooSoon) => adapter.set_stage(HelpStage::TooSoon),
            Err(e) => {
                tracing::warn!("help: the call for a staff member failed: {e}");
                adapter.set_stage(HelpStage::Failed);
            }
        }
    }

    fn withdraw(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<HelpAdapter>();
        let stage = adapter.get_stage();
        if stage == HelpStage::Idle {
            return;
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        adapter.set_stage(HelpStage::Idle);
        adapter.set_staff("".into());
        if !matches!(stage, HelpStage::Sending | HelpStage::Waiting | HelpStage::Coming) {
            return;
        }
        let me = self.clone();
        self.deps.runtime.spawn(async move {
            let _turn = me.line.lock().await;
            match me.deps.client.withdraw_help().await {
                Ok(()) => tracing::info!("help: the call was withdrawn"),
                Err(e) => tracing::warn!("help: the call could not be withdrawn: {e}"),
            }
        });
    }

    /// Runs `apply` on the UI thread if no press or withdrawal came since `generation`.
    fn post(self: &Arc<Self>, generation: u64, apply: impl FnOnce(&AppWindow) + Send + 'static) {
        let me = self.clone();
        super::post(&self.app, move |app| {
            if me.generation.load(Ordering::SeqCst) == generation {
                apply(app);
            }
        });
    }
}

//! The dossier screen's controller: fills `DossierAdapter`, validates the code before asking,
//! asks the source on a thread of its own (it blocks on the network), says plainly when the
//! system is unreachable.
use super::{mask_name, Dossier, DossierSource, DossierStatus, ReceiptCode, SourceError};
use crate::ui::{AppWindow, DossierAdapter, DossierStage, DossierState, DossierView, HomeAdapter, Nav, Screen};
use chrono::NaiveDate;
use slint::{ComponentHandle, Weak};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The longest code accepted from the keyboard or a scanner.
const MAX_CODE: usize = 40;

struct Lookup {
    source: Option<Arc<dyn DossierSource>>,
    app: Weak<AppWindow>,
    typed: Mutex<String>,
    /// Answers to an earlier question (the citizen typed on, or left) are dropped.
    asked: AtomicU64,
}

pub fn setup(app: &AppWindow, source: Option<Arc<dyn DossierSource>>) {
    let me = Arc::new(Lookup { source, app: app.as_weak(), typed: Mutex::new(String::new()), asked: AtomicU64::new(0) });
    let m = me.clone();
    app.global::<HomeAdapter>().on_dossier(move || {
        let Some(app) = m.app.upgrade() else { return };
        m.typed.lock().unwrap_or_else(|p| p.into_inner()).clear();
        m.asked.fetch_add(1, Ordering::SeqCst);
        let adapter = app.global::<DossierAdapter>();
        adapter.set_available(m.source.is_some());
        adapter.set_code("".into());
        adapter.set_stage(DossierStage::Entry);
        super::evaluation::reset(&app);
        app.global::<Nav>().set_screen(Screen::Dossier);
    });
    let m = me.clone();
    app.global::<DossierAdapter>().on_key(move |key| m.key(&key));
    let m = me;
    app.global::<DossierAdapter>().on_look_up(move || m.look_up());
}

impl Lookup {
    fn key(self: &Arc<Self>, key: &str) {
        let Some(app) = self.app.upgrade() else { return };
        let mut typed = self.typed.lock().unwrap_or_else(|p| p.into_inner());
        match key {
            "" => typed.clear(),
            "\u{8}" => {
                typed.pop();
            }
            "\n" | "\r" => {
                drop(typed);
                return self.look_up();
            }
            k => typed.extend(k.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').map(|c| c.to_ascii_uppercase())),
        }
        typed.truncate(MAX_CODE);
        let adapter = app.global::<DossierAdapter>();
        adapter.set_code(typed.as_str().into());
        if adapter.get_stage() != DossierStage::Looking {
            adapter.set_stage(DossierStage::Entry);
        }
    }

    fn look_up(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<DossierAdapter>();
        let Some(source) = self.source.clone() else { return };
        let code = match ReceiptCode::parse(&self.typed.lock().unwrap_or_else(|p| p.into_inner())) {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!("receipt code refused: {e}");
                adapter.set_stage(DossierStage::Invalid);
                return;
            }
        };
        adapter.set_stage(DossierStage::Looking);
        super::evaluation::reset(&app);
        let asked = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let me = self.clone();
        let spawned = std::thread::Builder::new().name("dossier".into()).spawn(move || {
            let answer = source.lookup(&code);
            let keep = me.clone();
            crate::ui::post(&me.app, move |app| {
                if keep.asked.load(Ordering::SeqCst) == asked {
                    show(app, answer);
                }
            });
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the dossier lookup: {e}");
            adapter.set_stage(DossierStage::Unreachable);
        }
    }
}

fn show(app: &AppWindow, answer: Result<Option<Dossier>, SourceError>) {
    let adapter = app.global::<DossierAdapter>();
    match answer {
        Ok(Some(d)) => {
            adapter.set_dossier(view(&d));
            adapter.set_stage(DossierStage::Found);
        }
        Ok(None) => adapter.set_stage(DossierStage::NotFound),
        Err(e) => {
            tracing::warn!("dossier lookup failed: {e}");
            adapter.set_stage(DossierStage::Unreachable);
        }
    }
}

fn date(d: Option<NaiveDate>) -> slint::SharedString {
    d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default().into()
}

/// What the screen shows: never the full name.
pub fn view(d: &Dossier) -> DossierView {
    DossierView {
        code: d.code.as_str().into(),
        name: mask_name(&d.applicant).into(),
        procedure: d.procedure.as_str().into(),
        state: match d.status {
            DossierStatus::Received => DossierState::Received,
            DossierStatus::Processing => DossierState::Processing,
            DossierStatus::NeedsMore => DossierState::NeedsMore,
            DossierStatus::Ready => DossierState::Ready,
            DossierStatus::Returned => DossierState::Returned,
            DossierStatus::Overdue => DossierState::Overdue,
            DossierStatus::Rejected => DossierState::Rejected,
        },
        received: date(d.received),
        appointment: date(d.appointment),
        finished: d.status.is_finished(),
    }
}

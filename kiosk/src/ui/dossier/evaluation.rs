//! The nine-criteria evaluation of a finished dossier: fills `EvaluationAdapter`, one question
//! at a time, then the answers to look over; sends them to the authority
//! (`Client::evaluate_dossier`) and says what became of them: thanks with the total, already
//! evaluated (a dossier is evaluated once), or not sent (try again).
//!
//! The form opens only from a dossier the one-stop system reported finished (`DossierView.
//! finished`). Each opening starts a generation: an answer from an older one (the citizen left,
//! another code was scanned) is dropped.
use crate::ui::{AppWindow, DossierAdapter, EvalCriterion, EvaluationAdapter, EvaluationStage};
use shared::client::Client;
use shared::dossier::evaluation::{Answers, CRITERIA};
use shared::dossier::ReceiptCode;
use shared::wire::ErrorCode;
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel, Weak};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub struct EvaluationDeps {
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
}

struct Form {
    app: Weak<AppWindow>,
    deps: EvaluationDeps,
    generation: AtomicU64,
}

fn strings(v: impl IntoIterator<Item = &'static str>) -> ModelRc<SharedString> {
    ModelRc::new(VecModel::from(v.into_iter().map(SharedString::from).collect::<Vec<_>>()))
}

pub fn setup(app: &AppWindow, deps: EvaluationDeps) {
    let adapter = app.global::<EvaluationAdapter>();
    let criteria: Vec<EvalCriterion> = CRITERIA
        .iter()
        .map(|c| EvalCriterion {
            question_vi: c.vi.into(),
            question_en: c.en.into(),
            answers_vi: strings(c.answers.iter().map(|a| a.0)),
            answers_en: strings(c.answers.iter().map(|a| a.1)),
        })
        .collect();
    adapter.set_criteria(ModelRc::new(VecModel::from(criteria)));
    let form = Arc::new(Form { app: app.as_weak(), deps, generation: AtomicU64::new(0) });
    let f = form.clone();
    adapter.on_start(move || f.start());
    let f = form.clone();
    adapter.on_answer(move |i| f.answer(i));
    let f = form.clone();
    adapter.on_previous(move || f.previous());
    let f = form.clone();
    adapter.on_edit(move |i| f.edit(i));
    let f = form.clone();
    adapter.on_send(move || f.send());
    let f = form;
    adapter.on_close(move || f.close());
}

/// Closes the form (another dossier looked up, the screen opened anew) as its own "close"
/// does: a new generation, so the answer to a form sent before cannot bring it back.
pub fn reset(app: &AppWindow) {
    app.global::<EvaluationAdapter>().invoke_close();
}

/// The answers so far (the model holds -1 for a question not answered).
fn chosen(adapter: &EvaluationAdapter) -> Answers {
    Answers::from_indices(&adapter.get_chosen().iter().collect::<Vec<i32>>())
}

fn set_chosen(adapter: &EvaluationAdapter, answers: Answers) {
    adapter.set_chosen(ModelRc::new(VecModel::from(answers.indices())));
}

impl Form {
    fn with(&self, f: impl FnOnce(&EvaluationAdapter)) {
        if let Some(app) = self.app.upgrade() {
            f(&app.global::<EvaluationAdapter>());
        }
    }

    fn start(&self) {
        let Some(app) = self.app.upgrade() else { return };
        self.generation.fetch_add(1, Ordering::SeqCst);
        let adapter = app.global::<EvaluationAdapter>();
        adapter.set_code(app.global::<DossierAdapter>().get_dossier().code);
        set_chosen(&adapter, Answers::default());
        adapter.set_step(0);
        adapter.set_stage(EvaluationStage::Asking);
    }

    /// Records the answer to the question shown, then shows the first question still open, or
    /// the review when none is.
    fn answer(&self, i: i32) {
        self.with(|adapter| {
            let mut answers = chosen(adapter);
            let open = answers.choose(adapter.get_step().max(0) as usize, i.max(0) as usize);
            set_chosen(adapter, answers);
            match open {
                Some(k) => adapter.set_step(k as i32),
                None => adapter.set_stage(EvaluationStage::Review),
            }
        });
    }

    fn previous(&self) {
        self.with(|adapter| match adapter.get_step() {
            0 => adapter.set_stage(EvaluationStage::Off),
            n => adapter.set_step(n - 1),
        });
    }

    fn edit(&self, i: i32) {
        self.with(|adapter| {
            if adapter.get_stage() != EvaluationStage::Sending {
                adapter.set_step(i.clamp(0, CRITERIA.len() as i32 - 1));
                adapter.set_stage(EvaluationStage::Asking);
            }
        });
    }

    fn close(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.with(|adapter| adapter.set_stage(EvaluationStage::Off));
    }

    fn send(self: &Arc<Self>) {
        let Some(app) = self.app.upgrade() else { return };
        let adapter = app.global::<EvaluationAdapter>();
        // An unanswered question goes back to be answered (the button shows only when all are).
        let scores = match chosen(&adapter).scores() {
            Ok(scores) => scores,
            Err(open) => {
                adapter.set_step(open as i32);
                adapter.set_stage(EvaluationStage::Asking);
                return;
            }
        };
        let Ok(code) = ReceiptCode::parse(&adapter.get_code()) else {
            tracing::error!("the evaluation form holds a code out of shape");
            adapter.set_stage(EvaluationStage::Failed);
            return;
        };
        adapter.set_stage(EvaluationStage::Sending);
        let generation = self.generation.load(Ordering::SeqCst);
        let me = self.clone();
        self.deps.runtime.spawn(async move {
            let sent = me.deps.client.evaluate_dossier(&code, scores).await;
            let keep = me.clone();
            crate::ui::post(&me.app, move |app| {
                if keep.generation.load(Ordering::SeqCst) != generation {
                    return;
                }
                let adapter = app.global::<EvaluationAdapter>();
                match sent {
                    Ok(e) => {
                        adapter.set_points(e.points as i32);
                        adapter.set_stage(EvaluationStage::Done);
                    }
                    Err(e) if e.code() == Some(&ErrorCode::AlreadyEvaluated) => adapter.set_stage(EvaluationStage::Already),
                    Err(e) => {
                        tracing::warn!("the evaluation of {code} was not sent: {e}");
                        adapter.set_stage(EvaluationStage::Failed);
                    }
                }
            });
        });
    }
}

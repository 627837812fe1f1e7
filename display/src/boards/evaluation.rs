//! The nine-criteria evaluation at the results board: a dossier the lookup found finished
//! (ready, collected, refused) may be evaluated there, as at a kiosk. Fills `EvaluationAdapter`
//! one question at a time (`shared::dossier::evaluation::Answers` decides what comes next, as
//! on the kiosk), then the answers to look over; sends them through [`Evaluations`] off the UI
//! thread and says what became of them: thanks with the total, already evaluated, or not sent.
//!
//! Each opening is a generation: the answer to a form closed meanwhile (the board went back to
//! its pages, another code was scanned) is dropped.
use super::{EvalCriterion, EvaluationAdapter, EvaluationStage, ResultsBoard};
use shared::client::Client;
use shared::dossier::evaluation::{Answers, Scores, CRITERIA};
use shared::dossier::ReceiptCode;
use shared::wire::ErrorCode;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel, Weak};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// Why an evaluation was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error("the dossier was evaluated already")]
    Already,
    #[error("not sent: {0}")]
    NotSent(String),
}

/// Where the board's evaluations go. Called off the UI thread; may block.
pub trait Evaluations: Send + Sync {
    /// Records the evaluation; answers its total points.
    fn evaluate(&self, code: &ReceiptCode, scores: Scores) -> Result<u8, EvaluationError>;
}

/// The queue authority, with the display's token (`POST /api/v1/dossiers/{code}/evaluation`).
pub struct AuthorityEvaluations {
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
}

impl Evaluations for AuthorityEvaluations {
    fn evaluate(&self, code: &ReceiptCode, scores: Scores) -> Result<u8, EvaluationError> {
        match self.runtime.block_on(self.client.evaluate_dossier(code, scores)) {
            Ok(e) => Ok(e.points),
            Err(e) if e.code() == Some(&ErrorCode::AlreadyEvaluated) => Err(EvaluationError::Already),
            Err(e) => Err(EvaluationError::NotSent(e.to_string())),
        }
    }
}

/// The form's state on the UI thread.
struct Form {
    code: Option<ReceiptCode>,
    answers: Answers,
    step: usize,
    generation: u64,
}

pub struct Evaluation {
    ui: Weak<ResultsBoard>,
    evaluations: Arc<dyn Evaluations>,
    /// Shared with the thread sending, which checks the generation before it shows its answer.
    form: Arc<Mutex<Form>>,
}

impl Evaluation {
    pub fn new(ui: &ResultsBoard, evaluations: Arc<dyn Evaluations>) -> Rc<Evaluation> {
        let a = ui.global::<EvaluationAdapter>();
        let criteria: Vec<EvalCriterion> = CRITERIA
            .iter()
            .map(|c| EvalCriterion {
                question: c.vi.into(),
                answers: ModelRc::new(VecModel::from(c.answers.iter().map(|a| SharedString::from(a.0)).collect::<Vec<_>>())),
            })
            .collect();
        a.set_criteria(ModelRc::new(VecModel::from(criteria)));
        let form = Form { code: None, answers: Answers::default(), step: 0, generation: 0 };
        let me = Rc::new(Evaluation { ui: ui.as_weak(), evaluations, form: Arc::new(Mutex::new(form)) });
        let w = Rc::downgrade(&me);
        let with = move |f: &dyn Fn(&Rc<Evaluation>)| {
            if let Some(m) = w.upgrade() {
                f(&m)
            }
        };
        let w = with.clone();
        a.on_answer(move |i| w(&|m| m.answer(i.max(0) as usize)));
        let w = with.clone();
        a.on_previous(move || w(&|m| m.previous()));
        let w = with.clone();
        a.on_edit(move |i| w(&|m| m.edit(i.max(0) as usize)));
        let w = with.clone();
        a.on_send(move || w(&|m| m.send()));
        a.on_close(move || with(&|m| m.close()));
        me
    }

    fn form(&self) -> std::sync::MutexGuard<'_, Form> {
        self.form.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with(&self, f: impl FnOnce(&EvaluationAdapter)) {
        if let Some(ui) = self.ui.upgrade() {
            f(&ui.global::<EvaluationAdapter>());
        }
    }

    /// Whether the form is open.
    pub fn is_open(&self) -> bool {
        self.ui.upgrade().is_some_and(|ui| ui.global::<EvaluationAdapter>().get_stage() != EvaluationStage::Off)
    }

    /// Opens the form for `code`, from the first question.
    pub fn open(&self, code: ReceiptCode) {
        let mut f = self.form();
        f.generation += 1;
        f.answers = Answers::default();
        f.step = 0;
        self.with(|a| a.set_code(code.as_str().into()));
        f.code = Some(code);
        drop(f);
        self.show(EvaluationStage::Asking);
    }

    /// Closes it; an answer still on its way is then dropped.
    pub fn close(&self) {
        self.form().generation += 1;
        self.with(|a| a.set_stage(EvaluationStage::Off));
    }

    fn show(&self, stage: EvaluationStage) {
        let f = self.form();
        self.with(|a| {
            a.set_chosen(ModelRc::new(VecModel::from(f.answers.indices())));
            a.set_step(f.step as i32);
            a.set_stage(stage);
        });
    }

    fn answer(&self, i: usize) {
        let mut f = self.form();
        let step = f.step;
        let next = f.answers.choose(step, i);
        f.step = next.unwrap_or(step);
        drop(f);
        self.show(if next.is_some() { EvaluationStage::Asking } else { EvaluationStage::Review });
    }

    fn previous(&self) {
        let mut f = self.form();
        if f.step == 0 {
            drop(f);
            return self.close();
        }
        f.step -= 1;
        drop(f);
        self.show(EvaluationStage::Asking);
    }

    fn edit(&self, i: usize) {
        self.form().step = i.min(CRITERIA.len() - 1);
        self.show(EvaluationStage::Asking);
    }

    fn send(&self) {
        let f = self.form();
        let scores = match f.answers.scores() {
            Ok(s) => s,
            Err(open) => {
                drop(f);
                self.form().step = open;
                return self.show(EvaluationStage::Asking);
            }
        };
        let Some(code) = f.code.clone() else { return };
        let generation = f.generation;
        drop(f);
        self.with(|a| a.set_stage(EvaluationStage::Sending));
        let (evaluations, form, ui) = (self.evaluations.clone(), self.form.clone(), self.ui.clone());
        let sent = std::thread::Builder::new().name("evaluation".into()).spawn(move || {
            let outcome = evaluations.evaluate(&code, scores);
            // Back on the UI thread, for this opening of the form only.
            let _ = ui.upgrade_in_event_loop(move |ui| {
                if form.lock().unwrap_or_else(|p| p.into_inner()).generation != generation {
                    return;
                }
                let a = ui.global::<EvaluationAdapter>();
                match outcome {
                    Ok(points) => {
                        a.set_points(i32::from(points));
                        a.set_stage(EvaluationStage::Done);
                    }
                    Err(EvaluationError::Already) => a.set_stage(EvaluationStage::Already),
                    Err(e) => {
                        tracing::warn!("the evaluation of {code} was not recorded: {e}");
                        a.set_stage(EvaluationStage::Failed);
                    }
                }
            });
        });
        if let Err(e) = sent {
            tracing::error!("cannot start sending the evaluation: {e}");
            self.with(|a| a.set_stage(EvaluationStage::Failed));
        }
    }
}

//! The results board's controller: fetches listings and lookups through a `DossierSource` on a
//! worker thread (the source blocks on the network), turns the pages by itself, holds them
//! while someone touches the board, and fills `ResultsAdapter` with public views only (names
//! masked by `Dossier::public`; nothing else of a dossier ever reaches the board).
use super::evaluation::{Evaluation, Evaluations};
use super::pager::Pager;
use super::{DossierRow, LookupStage, ResultsAdapter, ResultsBoard, ResultsTab, Touch};
use crate::health::Health;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use shared::dossier::{DossierPage, DossierSource, DossierStatus, PublicDossier, ReceiptCode, SourceError, BOARD_STATUSES};
use slint::{ComponentHandle, ModelRc, VecModel, Weak};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct ResultsSettings {
    /// The window's size (placed at 0,0); `None`: the X screen's, and 1920x1080 headless.
    pub size: Option<(u32, u32)>,
    pub snapshot: Option<PathBuf>,
    pub source: Arc<dyn DossierSource>,
    pub rows: u32,
    pub page: Duration,
    pub refresh: Duration,
    pub hold: Duration,
    pub offset: FixedOffset,
    /// The time, for "today" and "updated at" (fixed in the golden images).
    pub clock: fn() -> DateTime<Utc>,
    /// Where citizens' evaluations of finished dossiers go (the authority); none: not offered.
    pub evaluations: Option<Arc<dyn Evaluations>>,
}

/// The longest code accepted from the keyboard or a scanner.
const MAX_CODE: usize = 40;
const TAB_LABELS: [&str; 3] = ["Đã có kết quả", "Đang giải quyết", "Quá hạn"];
const EXTRA_HEADINGS: [&str; 3] = ["Có kết quả", "Thời hạn", "Quá hạn"];

/// How a dossier's state reads on the lookup panel.
pub fn status_text(s: DossierStatus) -> &'static str {
    match s {
        DossierStatus::Received => "Đã tiếp nhận",
        DossierStatus::Processing => "Đang giải quyết",
        DossierStatus::NeedsMore => "Cần bổ sung hồ sơ",
        DossierStatus::Ready => "Đã có kết quả — mời nhận tại quầy",
        DossierStatus::Returned => "Đã trả kết quả",
        DossierStatus::Overdue => "Quá hạn — có phiếu xin lỗi và hẹn lại",
        DossierStatus::Rejected => "Từ chối giải quyết",
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// A table row of a public dossier on `today`: the last column says what matters in its tab.
pub fn row(d: &PublicDossier, today: NaiveDate) -> DossierRow {
    let days = |to: Option<NaiveDate>| to.map(|t| (t - today).num_days());
    let extra = match d.status {
        DossierStatus::Ready | DossierStatus::Returned => date(d.completed),
        DossierStatus::Overdue => match days(d.appointment) {
            Some(n) if n < 0 => format!("Trễ {} ngày", -n),
            _ => "Quá hạn".into(),
        },
        _ => match days(d.appointment) {
            Some(0) => "Hẹn trả hôm nay".into(),
            Some(n) if n > 0 => format!("Còn {n} ngày"),
            _ => status_text(d.status).into(),
        },
    };
    DossierRow {
        code: d.code.as_str().into(),
        name: d.name.as_str().into(),
        procedure: d.procedure.as_str().into(),
        appointment: date(d.appointment).into(),
        extra: extra.into(),
    }
}

enum Job {
    List { tab: usize, page: u32, per_page: u32, seq: u64 },
    Totals,
    Lookup { code: ReceiptCode, seq: u64 },
}

struct State {
    pager: Pager,
    rows: Vec<PublicDossier>,
    updated: Option<DateTime<Utc>>,
    problem: Option<String>,
    held_until: Option<Instant>,
    lookup_open: bool,
    typed: String,
    stage: LookupStage,
    found: Option<PublicDossier>,
    /// Answers to an earlier question (the page turned again, the code was retyped) are dropped.
    list_seq: u64,
    lookup_seq: u64,
    online: bool,
    centre: String,
    dirty: bool,
    clock: (String, String),
}

struct Shared {
    settings: ResultsSettings,
    state: Mutex<State>,
    jobs: Mutex<mpsc::Sender<Job>>,
    health: Health,
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn post(&self, job: Job) {
        let _ = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).send(job);
    }
    fn held(&self, s: &State) -> bool {
        s.held_until.is_some_and(|t| Instant::now() < t)
    }
}

/// A results board on the UI thread.
pub struct Results {
    pub ui: ResultsBoard,
    shared: Arc<Shared>,
    evaluation: Option<Rc<Evaluation>>,
    page_timer: slint::Timer,
    refresh_timer: slint::Timer,
}

impl Results {
    pub fn new(settings: ResultsSettings, centre: &str, health: Health) -> Result<Rc<Results>, slint::PlatformError> {
        let ui = ResultsBoard::new()?;
        let (tx, rx) = mpsc::channel();
        let state = State {
            pager: Pager::new(settings.rows),
            rows: Vec::new(),
            updated: None,
            problem: None,
            held_until: None,
            lookup_open: false,
            typed: String::new(),
            stage: LookupStage::Entry,
            found: None,
            list_seq: 0,
            lookup_seq: 0,
            online: false,
            centre: centre.to_owned(),
            dirty: true,
            clock: Default::default(),
        };
        let shared = Arc::new(Shared { settings, state: Mutex::new(state), jobs: Mutex::new(tx), health });
        let worker = {
            let (shared, weak) = (shared.clone(), ui.as_weak());
            std::thread::Builder::new().name("results-source".into()).spawn(move || work(rx, shared, weak))
        };
        if let Err(e) = worker {
            return Err(slint::PlatformError::Other(format!("cannot start the results worker: {e}")));
        }
        let evaluation = shared.settings.evaluations.clone().map(|e| Evaluation::new(&ui, e));
        let me = Rc::new(Results { ui, shared, evaluation, page_timer: slint::Timer::default(), refresh_timer: slint::Timer::default() });
        me.wire();
        me.shared.post(Job::Totals);
        me.request();
        me.fill();
        Ok(me)
    }

    fn wire(self: &Rc<Self>) {
        let a = self.ui.global::<ResultsAdapter>();
        let tabs: Vec<ResultsTab> = TAB_LABELS.iter().map(|l| ResultsTab { label: (*l).into(), count: "…".into() }).collect();
        a.set_tabs(ModelRc::new(VecModel::from(tabs)));
        let me = Rc::downgrade(self);
        let with = move |f: &dyn Fn(&Rc<Results>)| {
            if let Some(m) = me.upgrade() {
                f(&m)
            }
        };
        let w = with.clone();
        self.ui.global::<Touch>().on_touched(move || w(&|m| m.hold()));
        let w = with.clone();
        a.on_evaluate(move || w(&|m| m.evaluate()));
        let w = with.clone();
        a.on_select_tab(move |i| w(&|m| m.turn(|p| p.select(i.max(0) as usize))));
        let w = with.clone();
        a.on_prev(move || w(&|m| m.turn(Pager::prev)));
        let w = with.clone();
        a.on_next(move || w(&|m| m.turn(Pager::next)));
        let w = with.clone();
        a.on_open_lookup(move || {
            w(&|m| {
                m.close_evaluation();
                let mut s = m.shared.state();
                s.lookup_open = true;
                s.typed.clear();
                s.stage = LookupStage::Entry;
                s.found = None;
                s.lookup_seq += 1;
                drop(s);
                m.hold();
                m.fill();
            })
        });
        let w = with.clone();
        a.on_close_lookup(move || w(&|m| m.close_lookup()));
        let w = with.clone();
        a.on_key(move |k| w(&|m| m.key(&k)));
        let w = with;
        a.on_look_up(move || w(&|m| m.look_up()));

        let me = Rc::downgrade(self);
        self.page_timer.start(slint::TimerMode::Repeated, self.shared.settings.page, move || {
            let Some(m) = me.upgrade() else { return };
            let mut s = m.shared.state();
            if m.shared.held(&s) {
                return;
            }
            // Left open and untouched: the next person finds the board as usual.
            if s.lookup_open {
                s.lookup_open = false;
                s.typed.clear();
                m.close_evaluation();
            }
            s.pager.advance();
            drop(s);
            m.request();
            m.fill();
        });
        let me = Rc::downgrade(self);
        self.refresh_timer.start(slint::TimerMode::Repeated, self.shared.settings.refresh, move || {
            if let Some(m) = me.upgrade() {
                m.shared.post(Job::Totals);
                m.request();
            }
        });
    }

    /// A touch: the pages hold still for `hold`.
    fn hold(&self) {
        self.shared.state().held_until = Some(Instant::now() + self.shared.settings.hold);
    }

    fn turn(self: &Rc<Self>, f: impl FnOnce(&mut Pager)) {
        f(&mut self.shared.state().pager);
        self.hold();
        self.request();
        self.fill();
    }

    /// Asks the worker for the page the pager is at.
    fn request(&self) {
        let mut s = self.shared.state();
        s.list_seq += 1;
        let job = Job::List { tab: s.pager.tab, page: s.pager.page, per_page: s.pager.per_page, seq: s.list_seq };
        drop(s);
        self.shared.post(job);
    }

    /// Opens the evaluation of the dossier found, when it is finished.
    fn evaluate(&self) {
        let code = self.shared.state().found.as_ref().filter(|d| d.status.is_finished()).map(|d| d.code.clone());
        if let (Some(e), Some(code)) = (&self.evaluation, code.and_then(|c| ReceiptCode::parse(&c).ok())) {
            e.open(code);
        }
    }

    fn close_evaluation(&self) {
        if let Some(e) = self.evaluation.as_ref().filter(|e| e.is_open()) {
            e.close();
        }
    }

    /// The evaluation form, when the board offers one (for tests).
    pub fn evaluation(&self) -> Option<&Rc<Evaluation>> {
        self.evaluation.as_ref()
    }

    fn close_lookup(self: &Rc<Self>) {
        self.close_evaluation();
        let mut s = self.shared.state();
        s.lookup_open = false;
        s.typed.clear();
        s.lookup_seq += 1;
        drop(s);
        self.fill();
    }

    fn key(self: &Rc<Self>, key: &str) {
        // A code scanned over the form is the next person's: the form gives way to the lookup.
        self.close_evaluation();
        let mut s = self.shared.state();
        if !s.lookup_open {
            // A scanner's code arrives while the table shows: open the panel for it.
            s.lookup_open = true;
            s.typed.clear();
        }
        match key {
            "" => s.typed.clear(),
            "\u{8}" => {
                s.typed.pop();
            }
            "\n" | "\r" => {
                drop(s);
                return self.look_up();
            }
            k => {
                let add: String =
                    k.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').map(|c| c.to_ascii_uppercase()).collect();
                s.typed.push_str(&add);
            }
        }
        s.typed.truncate(MAX_CODE);
        if s.stage != LookupStage::Looking {
            s.stage = LookupStage::Entry;
        }
        drop(s);
        self.hold();
        self.fill();
    }

    fn look_up(self: &Rc<Self>) {
        let mut s = self.shared.state();
        match ReceiptCode::parse(&s.typed) {
            Ok(code) => {
                s.stage = LookupStage::Looking;
                s.lookup_seq += 1;
                let seq = s.lookup_seq;
                drop(s);
                self.shared.post(Job::Lookup { code, seq });
            }
            Err(e) => {
                tracing::debug!("receipt code refused: {e}");
                s.stage = LookupStage::Invalid;
                drop(s);
            }
        }
        self.hold();
        self.fill();
    }

    /// What the board takes from the display model: the centre's name, and the authority
    /// link's state for the offline mark.
    pub fn set_model(&self, model: &crate::model::Model) {
        let mut s = self.shared.state();
        if s.online != model.online || s.centre != model.centre {
            s.online = model.online;
            s.centre = model.centre.clone();
            s.dirty = true;
            drop(s);
            self.fill();
        }
    }

    pub fn tick(&self, now: DateTime<Utc>) {
        let dc = super::hall::date_and_clock(now, self.shared.settings.offset);
        let mut s = self.shared.state();
        if s.clock != dc {
            s.clock = dc;
            s.dirty = true;
            drop(s);
            self.fill();
        }
    }

    pub fn take_dirty(&self) -> bool {
        std::mem::replace(&mut self.shared.state().dirty, false)
    }

    /// The page shown: (tab, page, pages, rows' codes). For tests.
    pub fn showing(&self) -> (usize, u32, u32, Vec<String>) {
        let s = self.shared.state();
        (s.pager.tab, s.pager.page, s.pager.pages(s.pager.tab), s.rows.iter().map(|d| d.code.clone()).collect())
    }

    pub fn fill(&self) {
        fill(&self.ui, &self.shared);
    }
}

fn fill(ui: &ResultsBoard, shared: &Shared) {
    let s = shared.state();
    let a = ui.global::<ResultsAdapter>();
    let now = (shared.settings.clock)();
    let today = now.with_timezone(&shared.settings.offset).date_naive();
    a.set_date(s.clock.0.as_str().into());
    a.set_clock(s.clock.1.as_str().into());
    a.set_online(s.online);
    a.set_centre(s.centre.as_str().into());
    let tabs: Vec<ResultsTab> = TAB_LABELS
        .iter()
        .enumerate()
        .map(|(i, l)| ResultsTab { label: (*l).into(), count: s.pager.totals[i].map_or("…".into(), |t| t.to_string()).into() })
        .collect();
    a.set_tabs(ModelRc::new(VecModel::from(tabs)));
    a.set_tab(s.pager.tab as i32);
    a.set_extra_heading(EXTRA_HEADINGS[s.pager.tab].into());
    let rows: Vec<DossierRow> = s.rows.iter().map(|d| row(d, today)).collect();
    a.set_rows(ModelRc::new(VecModel::from(rows)));
    a.set_page_text(format!("Trang {}/{}", s.pager.page, s.pager.pages(s.pager.tab)).into());
    a.set_can_prev(s.pager.can_prev());
    a.set_can_next(s.pager.can_next());
    let at = |t: DateTime<Utc>| t.with_timezone(&shared.settings.offset).format("%H:%M").to_string();
    let status = match (&s.problem, s.updated) {
        (None, Some(t)) => format!("Cập nhật lúc {}", at(t)),
        (None, None) => "Đang tải dữ liệu…".into(),
        (Some(_), Some(t)) => format!("Chưa kết nối được hệ thống một cửa — dữ liệu lúc {}", at(t)),
        (Some(_), None) => "Chưa kết nối được hệ thống một cửa — đang thử lại".into(),
    };
    a.set_status_line(status.into());
    a.set_source_problem(s.problem.is_some());
    a.set_lookup_open(s.lookup_open);
    a.set_code(s.typed.as_str().into());
    a.set_stage(s.stage);
    a.set_stage_text(
        match s.stage {
            LookupStage::Entry => "Nhập hoặc quét mã hồ sơ trên giấy tiếp nhận",
            LookupStage::Looking => "Đang tra cứu…",
            LookupStage::NotFound => "Không tìm thấy hồ sơ có mã này",
            LookupStage::Invalid => "Mã hồ sơ có dạng: mã cơ quan-yyMMdd-NNNN",
            LookupStage::Unreachable => "Chưa kết nối được hệ thống một cửa, xin thử lại sau",
            LookupStage::Found => "",
        }
        .into(),
    );
    a.set_can_evaluate(shared.settings.evaluations.is_some() && s.found.as_ref().is_some_and(|d| d.status.is_finished()));
    if let Some(d) = &s.found {
        let mut r = row(d, today);
        r.extra = status_text(d.status).into();
        a.set_found(r);
    }
}

/// The worker: answers jobs one at a time, posting each answer to the UI thread.
fn work(rx: mpsc::Receiver<Job>, shared: Arc<Shared>, ui: Weak<ResultsBoard>) {
    let source = shared.settings.source.clone();
    while let Ok(job) = rx.recv() {
        let shared2 = shared.clone();
        let apply: Box<dyn FnOnce(&mut State) + Send> = match job {
            Job::List { tab, page, per_page, seq } => {
                let answer = source.list(BOARD_STATUSES[tab], page, per_page);
                report(&shared, &answer);
                let at = (shared.settings.clock)();
                Box::new(move |s: &mut State| match answer {
                    Ok(p) => {
                        s.pager.set_total(tab, p.total);
                        s.updated = Some(at);
                        s.problem = None;
                        if seq == s.list_seq {
                            s.rows = p.items.iter().map(|d| d.public()).collect();
                        }
                    }
                    Err(e) => s.problem = Some(e.to_string()),
                })
            }
            Job::Totals => {
                let answers: Vec<(usize, Result<DossierPage, SourceError>)> =
                    (0..BOARD_STATUSES.len()).map(|t| (t, source.list(BOARD_STATUSES[t], 1, 1))).collect();
                if let Some((_, a)) = answers.iter().find(|(_, a)| a.is_err()) {
                    report(&shared, a);
                }
                Box::new(move |s: &mut State| {
                    for (t, a) in answers {
                        if let Ok(p) = a {
                            s.pager.set_total(t, p.total);
                        }
                    }
                })
            }
            Job::Lookup { code, seq } => {
                let answer = source.lookup(&code);
                Box::new(move |s: &mut State| {
                    if seq != s.lookup_seq {
                        return;
                    }
                    match answer {
                        Ok(Some(d)) => {
                            s.found = Some(d.public());
                            s.stage = LookupStage::Found;
                        }
                        Ok(None) => s.stage = LookupStage::NotFound,
                        Err(e) => {
                            tracing::warn!("dossier lookup failed: {e}");
                            s.stage = LookupStage::Unreachable;
                        }
                    }
                })
            }
        };
        let ui = ui.clone();
        let posted = slint::invoke_from_event_loop(move || {
            {
                let mut s = shared2.state();
                apply(&mut s);
                s.dirty = true;
            }
            if let Some(ui) = ui.upgrade() {
                fill(&ui, &shared2);
            }
        });
        if posted.is_err() {
            // The UI is gone: nothing to answer to any more.
            return;
        }
    }
}

fn report<T>(shared: &Shared, answer: &Result<T, SourceError>) {
    match answer {
        Ok(_) => shared.health.clear("results source"),
        Err(e) => {
            tracing::warn!("results board: {e}");
            shared.health.problem("results source", "onestop_unreachable", format!("results board: {e}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(status: DossierStatus, appointment: (i32, u32, u32), completed: Option<(i32, u32, u32)>) -> PublicDossier {
        let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
        PublicDossier {
            code: "000.21.16.H56-261120-0007".into(),
            name: "Lê T. Đ.".into(),
            procedure: "Đăng ký tạm trú".into(),
            status,
            received: day((2026, 11, 20)),
            appointment: day(appointment),
            completed: completed.and_then(day),
        }
    }

    #[test]
    fn the_last_column_says_what_matters_in_each_tab() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(row(&d(DossierStatus::Ready, (2026, 11, 25), Some((2026, 11, 24))), today).extra, "24/11/2026");
        assert_eq!(row(&d(DossierStatus::Processing, (2026, 11, 27), None), today).extra, "Còn 2 ngày");
        assert_eq!(row(&d(DossierStatus::Processing, (2026, 11, 25), None), today).extra, "Hẹn trả hôm nay");
        assert_eq!(row(&d(DossierStatus::Overdue, (2026, 11, 22), None), today).extra, "Trễ 3 ngày");
        assert_eq!(row(&d(DossierStatus::Overdue, (2026, 11, 22), None), today).appointment, "22/11/2026");
    }
}

//! Look up procedures: fills `ProceduresAdapter` from the catalogue that the configuration
//! names (`[catalogue] procedures/fields`), searches as the citizen types (Telex or VNI on the
//! on-screen keyboard; tone marks and case ignored, leftovers understood by the catalogue),
//! browses by field, and opens a procedure's page: documents per case, ways of submitting with
//! time limits and fees, steps, agency, online service, legal basis. From there the citizen
//! prints the checklist of documents, and takes a number for the service that handles the
//! procedure when `[[kiosk.handles]]` names one.
use super::settings::RateLimiter;
use super::typing::{Method, Typing};
use super::{
    AppWindow, DocumentCase, DocumentItem, FieldItem, HomeAdapter, Nav, ProcedureDetail, ProcedureHit, ProceduresAdapter, ProceduresStage,
    Screen, SlipNote, StepCase, TicketAdapter, WayItem,
};
use crate::printing::{procedure_checklist, Readiness, TicketPrinter};
use authority::clock::Clock;
use shared::catalogue::{
    load_configured, Amount, Catalogue, Channel, FeeKind, FieldId, LoadError, OnlineLevel, Procedure, SearchOptions, TimeLimit,
};
use shared::config::Config;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// At most this many results on screen: past that the citizen should type one more word.
const MAX_HITS: usize = 30;

/// Loads the catalogue the configuration names; `None` when it names none. The kiosk's own
/// authority names the same file: they share one copy (`load_configured`).
pub fn load(config: &Config) -> Result<Option<Arc<Catalogue>>, LoadError> {
    let Some(path) = &config.catalogue.procedures else { return Ok(None) };
    load_configured(path, config.catalogue.synonyms.as_deref(), config.catalogue.fields.as_deref()).map(Some)
}

/// What the procedure pages need from the rest of the kiosk.
pub struct ProceduresDeps {
    pub config: Arc<Config>,
    pub printer: Arc<dyn TicketPrinter>,
    /// Shared with the tickets: a child printing checklists empties the roll just as well.
    pub limiter: Arc<Mutex<RateLimiter>>,
    /// The time printed on a checklist.
    pub clock: Arc<dyn Clock>,
}

#[derive(Default)]
struct Search {
    catalogue: Option<Arc<Catalogue>>,
    typing: Typing,
    field: Option<(String, String)>,
    /// The code of the procedure whose page is open.
    open: Option<String>,
}

/// Where the catalogue arrives once loaded (off the UI thread: it takes a moment).
pub type CatalogueSlot = Arc<Mutex<Option<Arc<Catalogue>>>>;

/// Wires `ProceduresAdapter`; the screen uses whatever catalogue is in the slot when opened.
pub fn setup(app: &AppWindow, deps: ProceduresDeps) -> CatalogueSlot {
    let state = Rc::new(RefCell::new(Search::default()));
    let slot: CatalogueSlot = Arc::default();
    let deps = Arc::new(deps);
    // Bumped whenever a page opens: a slip's outcome for a page the citizen left is dropped.
    let page = Arc::new(AtomicU64::new(0));
    let adapter = app.global::<ProceduresAdapter>();
    adapter.set_available(false);

    let (weak, st, sl) = (app.as_weak(), state.clone(), slot.clone());
    app.global::<HomeAdapter>().on_procedures(move || {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        s.catalogue = sl.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let adapter = app.global::<ProceduresAdapter>();
        // The method is the citizen's choice for the visit; going home after idling resets it.
        s.typing = Typing::default();
        s.typing.set_method(if adapter.get_vni() { Method::Vni } else { Method::Telex });
        s.field = None;
        adapter.set_available(s.catalogue.is_some());
        adapter.set_stage(ProceduresStage::Search);
        adapter.set_fields(fields(s.catalogue.as_deref()));
        show(&app, &s);
        app.global::<Nav>().set_screen(Screen::Procedures);
    });
    let (weak, st) = (app.as_weak(), state.clone());
    adapter.on_key(move |key| {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        s.typing.key(&key);
        show(&app, &s);
    });
    let (weak, st) = (app.as_weak(), state.clone());
    adapter.on_set_vni(move |vni| {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        s.typing.set_method(if vni { Method::Vni } else { Method::Telex });
        show(&app, &s);
    });
    let (weak, st) = (app.as_weak(), state.clone());
    adapter.on_choose_field(move |id| {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        let name = s.catalogue.as_ref().and_then(|c| c.fields().iter().find(|f| f.field.id.0 == id.as_str()).map(|f| f.field.name.clone()));
        s.field = name.map(|n| (id.to_string(), n));
        show(&app, &s);
    });
    let (weak, st, d, pg) = (app.as_weak(), state.clone(), deps.clone(), page.clone());
    adapter.on_open(move |code| {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        let Some(p) = s.catalogue.as_ref().and_then(|c| c.get(&code)).map(std::borrow::Cow::into_owned) else { return };
        pg.fetch_add(1, Ordering::SeqCst);
        let adapter = app.global::<ProceduresAdapter>();
        let page = detail(&p);
        // One case: its documents at once. Several: the citizen picks theirs first.
        adapter.set_case(if slint::Model::row_count(&page.cases) == 1 { 0 } else { -1 });
        adapter.set_detail(page);
        let service = handling_service(&d.config, &p);
        adapter.set_service_id(service.map(|s| s.id.as_str()).unwrap_or_default().into());
        adapter.set_service_name(service.map(|s| s.name.as_str()).unwrap_or_default().into());
        adapter.set_service_name_en(service.and_then(|s| s.name_en.as_deref()).unwrap_or_default().into());
        adapter.set_slip_note(SlipNote::None);
        adapter.set_stage(ProceduresStage::Detail);
        s.open = Some(p.code.to_string());
    });
    let (weak, st, pg) = (app.as_weak(), state.clone(), page.clone());
    adapter.on_back_to_list(move || {
        if let Some(app) = weak.upgrade() {
            pg.fetch_add(1, Ordering::SeqCst);
            st.borrow_mut().open = None;
            app.global::<ProceduresAdapter>().set_stage(ProceduresStage::Search);
        }
    });
    let weak = app.as_weak();
    adapter.on_choose_case(move |case| {
        let Some(app) = weak.upgrade() else { return };
        let adapter = app.global::<ProceduresAdapter>();
        adapter.set_case(case);
        // A slip printed for another case says nothing of this one.
        if adapter.get_slip_note() != SlipNote::Printing {
            adapter.set_slip_note(SlipNote::None);
        }
    });
    let (weak, st) = (app.as_weak(), state);
    adapter.on_print_checklist(move || {
        let Some(app) = weak.upgrade() else { return };
        let s = st.borrow();
        let Some(p) = s.open.as_deref().and_then(|code| s.catalogue.as_ref()?.get(code)) else { return };
        let case = usize::try_from(app.global::<ProceduresAdapter>().get_case()).ok();
        print_checklist(&app, &deps, &p, case, page.clone());
    });
    let weak = app.as_weak();
    adapter.on_take_number(move |service| {
        if let Some(app) = weak.upgrade() {
            app.global::<TicketAdapter>().invoke_take_for(service);
        }
    });
    slot
}

/// The configured service that takes this procedure's dossiers, by code or by field.
pub fn handling_service<'a>(config: &'a Config, p: &Procedure) -> Option<&'a shared::config::Service> {
    let fields: Vec<&str> = p.fields.iter().filter_map(|f| f.id.as_deref()).collect();
    config.kiosk.service_for(&p.code.to_string(), &fields).and_then(|id| config.service(id))
}

/// Prints the checklist of `p` (of its `case` when one is chosen) off the UI thread; the page
/// says how it went.
fn print_checklist(app: &AppWindow, deps: &Arc<ProceduresDeps>, p: &Procedure, case: Option<usize>, page: Arc<AtomicU64>) {
    let adapter = app.global::<ProceduresAdapter>();
    if adapter.get_slip_note() == SlipNote::Printing {
        return;
    }
    if !deps.limiter.lock().unwrap_or_else(|e| e.into_inner()).allows(Instant::now()) {
        tracing::warn!("checklist refused: the kiosk's rate limit is reached");
        adapter.set_slip_note(SlipNote::RateLimited);
        return;
    }
    adapter.set_slip_note(SlipNote::Printing);
    let job = procedure_checklist(p, case, deps.clock.now());
    let (deps, weak, visit) = (deps.clone(), app.as_weak(), page.load(Ordering::SeqCst));
    let spawned = std::thread::Builder::new().name("checklist".into()).spawn(move || {
        let note = match deps.printer.readiness() {
            Readiness::Unable(problem) => {
                tracing::warn!("checklist of {} not printed: the printer reports {}", job.tag, problem.code());
                SlipNote::PrinterProblem
            }
            _ => match deps.printer.print_checklist(&job) {
                Ok(_) => {
                    deps.limiter.lock().unwrap_or_else(|e| e.into_inner()).record(Instant::now());
                    SlipNote::Printed
                }
                Err(e) => {
                    tracing::error!("checklist of {} not printed: {e}", job.tag);
                    SlipNote::PrinterProblem
                }
            },
        };
        super::post(&weak, move |app| {
            if page.load(Ordering::SeqCst) == visit {
                app.global::<ProceduresAdapter>().set_slip_note(note);
            }
        });
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start printing the checklist: {e}");
        adapter.set_slip_note(SlipNote::PrinterProblem);
    }
}

/// The results for what is typed and the field chosen.
fn show(app: &AppWindow, s: &Search) {
    let adapter = app.global::<ProceduresAdapter>();
    let query = s.typing.text();
    adapter.set_query(query.as_str().into());
    adapter.set_vni(s.typing.method() == Method::Vni);
    adapter.set_field_name(s.field.as_ref().map(|(_, n)| n.as_str()).unwrap_or_default().into());
    let Some(catalogue) = &s.catalogue else { return };
    let field = s.field.as_ref().map(|(id, _)| FieldId(id.clone()));
    let hits: Vec<ProcedureHit> = if query.trim().is_empty() {
        // Browsing a field: its procedures, most used first.
        match &field {
            None => Vec::new(),
            Some(f) => {
                let mut ps: Vec<&Procedure> =
                    catalogue.procedures().iter().filter(|p| p.fields.iter().any(|r| r.id.as_deref() == Some(f.0.as_str()))).collect();
                ps.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.name.cmp(&b.name)));
                ps.into_iter()
                    .take(MAX_HITS)
                    .map(|p| ProcedureHit { code: p.code.to_string().into(), name: p.name.as_str().into() })
                    .collect()
            }
        }
    } else {
        let opts = SearchOptions { field, limit: MAX_HITS, ..SearchOptions::default() };
        catalogue.search(&query, opts).into_iter().map(|h| ProcedureHit { code: h.code.to_string().into(), name: h.name.into() }).collect()
    };
    adapter.set_hits(ModelRc::new(VecModel::from(hits)));
}

fn fields(catalogue: Option<&Catalogue>) -> ModelRc<FieldItem> {
    let items: Vec<FieldItem> = catalogue
        .map(|c| {
            c.fields()
                .into_iter()
                .filter(|f| f.count > 0)
                .map(|f| FieldItem { id: f.field.id.0.as_str().into(), name: f.field.name.as_str().into(), count: f.count as i32 })
                .collect()
        })
        .unwrap_or_default();
    ModelRc::new(VecModel::from(items))
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn trimmed(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// "15 Ngày làm việc"; the description when the record gives no number.
fn time_text(t: &TimeLimit) -> String {
    let limit = [trimmed(&t.value), trimmed(&t.unit)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    match (limit.is_empty(), trimmed(&t.description)) {
        (false, _) => limit,
        (true, Some(d)) => d.to_owned(),
        (true, None) => String::new(),
    }
}

/// "Lệ phí: 50.000 đồng — what it is for", one per fee, each saying its kind.
fn fee_text(t: &TimeLimit) -> Vec<String> {
    t.fees
        .iter()
        .filter_map(|f| {
            let amount = match &f.amount {
                Some(Amount::Vnd(n)) => Some(format!("{} đồng", group_thousands(*n))),
                Some(Amount::Free) => Some("Miễn phí".to_owned()),
                Some(Amount::Text(s)) => Some(s.clone()),
                None => None,
            };
            let kind = match &f.kind {
                Some(FeeKind::Fee) => Some("Phí"),
                Some(FeeKind::Charge) => Some("Lệ phí"),
                _ => None,
            };
            let mut out = match (kind, amount) {
                (Some(k), Some(a)) => format!("{k}: {a}"),
                (None, Some(a)) => format!("Phí, lệ phí: {a}"),
                (_, None) => String::new(),
            };
            if let Some(d) = trimmed(&f.description) {
                out = if out.is_empty() { format!("Phí, lệ phí: {d}") } else { format!("{out} — {d}") };
            }
            (!out.is_empty()).then_some(out)
        })
        .collect()
}

/// What the detail page shows.
pub fn detail(p: &Procedure) -> ProcedureDetail {
    let cases: Vec<DocumentCase> = p
        .documents
        .iter()
        .map(|c| DocumentCase {
            name: trimmed(&c.case).unwrap_or_default().into(),
            documents: model(
                c.documents
                    .iter()
                    .filter_map(|d| {
                        Some(DocumentItem {
                            name: trimmed(&d.name)?.into(),
                            originals: d.originals.unwrap_or(0) as i32,
                            copies: d.copies.unwrap_or(0) as i32,
                            optional: d.required == Some(false),
                            form: trimmed(&d.form).unwrap_or_default().into(),
                        })
                    })
                    .collect(),
            ),
        })
        .filter(|c| slint::Model::row_count(&c.documents) > 0)
        .collect();
    let steps: Vec<StepCase> = p
        .steps
        .iter()
        .map(|c| StepCase {
            name: trimmed(&c.case).unwrap_or_default().into(),
            steps: model(c.steps.iter().filter_map(|s| trimmed(&s.name).map(SharedString::from)).collect()),
        })
        .filter(|c| slint::Model::row_count(&c.steps) > 0)
        .collect();
    let ways: Vec<WayItem> = p
        .ways
        .iter()
        .map(|w| WayItem {
            channel: match w.channel {
                Some(Channel::InPerson) => 1,
                Some(Channel::Online) => 2,
                Some(Channel::Postal) => 3,
                _ => 0,
            },
            time: w.times.iter().map(time_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("; ").into(),
            fees: w.times.iter().flat_map(fee_text).collect::<Vec<_>>().join("; ").into(),
        })
        .collect();
    let online = match p.online_level {
        Some(OnlineLevel::Full) => 2,
        Some(OnlineLevel::Partial) => 1,
        // The record names no level but lists an online way to submit.
        None if p.ways.iter().any(|w| w.channel == Some(Channel::Online)) => 3,
        None => 0,
    };
    let legal: Vec<SharedString> = p
        .legal_basis
        .iter()
        .filter_map(|l| {
            let head = [trimmed(&l.number), trimmed(&l.title)].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let tail = [trimmed(&l.issuer), trimmed(&l.issued)].into_iter().flatten().collect::<Vec<_>>().join(", ");
            match (head.is_empty(), tail.is_empty()) {
                (true, _) => None,
                (false, true) => Some(head.into()),
                (false, false) => Some(format!("{head} ({tail})").into()),
            }
        })
        .collect();
    let agency = p.agencies.iter().filter_map(|a| trimmed(&a.name)).collect::<Vec<_>>().join("; ");
    ProcedureDetail {
        code: p.code.to_string().into(),
        name: p.name.as_str().into(),
        agency: agency.into(),
        cases: model(cases),
        steps: model(steps),
        ways: model(ways),
        online,
        legal: model(legal),
    }
}

/// 50000 → "50.000", as amounts are written in Vietnam.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use slint::Model;

    #[test]
    fn amounts_are_grouped_by_thousands_with_dots() {
        assert_eq!(super::group_thousands(50_000), "50.000");
        assert_eq!(super::group_thousands(1_500_000), "1.500.000");
        assert_eq!(super::group_thousands(500), "500");
    }

    #[test]
    fn a_full_record_fills_every_part_of_the_page() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/sample-full.json");
        let c = shared::catalogue::Catalogue::load_path(path).unwrap();
        let d = super::detail(&c.get("1.001193").unwrap());
        assert_eq!(d.cases.row_count(), 1);
        assert_eq!(d.cases.row_data(0).unwrap().documents.row_count(), 2);
        assert_eq!(d.steps.row_data(0).unwrap().steps.row_count(), 4);
        let ways: Vec<_> = d.ways.iter().collect();
        assert_eq!(ways.iter().map(|w| w.channel).collect::<Vec<_>>(), [1, 2], "in person and online, each with its own time and fees");
        assert_eq!(ways[0].time, "Ngay sau khi nhận đủ giấy tờ theo quy định.");
        assert!(ways[0].fees.starts_with("Lệ phí: Miễn phí — "), "{}", ways[0].fees);
        assert_eq!(d.online, 3, "an online way with no level named");
        assert_eq!(d.legal.row_count(), 2);
        assert_eq!(d.legal.row_data(0).unwrap(), "60/2014/QH13 Luật Hộ tịch (Quốc hội, 20/11/2014)");
        assert_eq!(d.agency, "Ủy ban nhân dân cấp xã");
    }
}

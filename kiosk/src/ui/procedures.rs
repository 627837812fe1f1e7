//! Look up procedures: fills `ProceduresAdapter` from the catalogue that the configuration
//! names (`[catalogue] procedures/fields`), searches as the citizen types (tone marks and
//! case ignored, Telex leftovers understood by the catalogue), browses by field, and opens a
//! procedure's detail. "Take a number" from a procedure opens the services to choose from:
//! the configuration does not say which service handles which procedure.
use super::telex::TelexInput;
use super::{AppWindow, DocumentItem, FieldItem, HomeAdapter, Nav, ProcedureDetail, ProcedureHit, ProceduresAdapter, ProceduresStage, Screen};
use shared::catalogue::{load_fields_path, Amount, Catalogue, Channel, FieldId, LoadError, Procedure, SearchOptions};
use shared::config::Config;
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// At most this many results on screen: past that the citizen should type one more word.
const MAX_HITS: usize = 30;

/// Loads the catalogue the configuration names; `None` when it names none.
pub fn load(config: &Config) -> Result<Option<Catalogue>, LoadError> {
    let Some(path) = &config.catalogue.procedures else { return Ok(None) };
    let catalogue = Catalogue::load_path(path)?;
    Ok(Some(match &config.catalogue.fields {
        Some(fields) => catalogue.with_fields(load_fields_path(fields)?),
        None => catalogue,
    }))
}

#[derive(Default)]
struct Search {
    catalogue: Option<Arc<Catalogue>>,
    input: TelexInput,
    field: Option<(String, String)>,
}

/// Where the catalogue arrives once loaded (off the UI thread: it takes a moment).
pub type CatalogueSlot = Arc<Mutex<Option<Arc<Catalogue>>>>;

/// Wires `ProceduresAdapter`; the screen uses whatever catalogue is in the slot when opened.
pub fn setup(app: &AppWindow) -> CatalogueSlot {
    let state = Rc::new(RefCell::new(Search::default()));
    let slot: CatalogueSlot = Arc::default();
    let adapter = app.global::<ProceduresAdapter>();
    adapter.set_available(false);

    let (weak, st, sl) = (app.as_weak(), state.clone(), slot.clone());
    app.global::<HomeAdapter>().on_procedures(move || {
        let Some(app) = weak.upgrade() else { return };
        let mut s = st.borrow_mut();
        s.catalogue = sl.lock().unwrap_or_else(|p| p.into_inner()).clone();
        s.input = TelexInput::default();
        s.field = None;
        let adapter = app.global::<ProceduresAdapter>();
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
        s.input.key(&key);
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
    let (weak, st) = (app.as_weak(), state.clone());
    adapter.on_open(move |code| {
        let Some(app) = weak.upgrade() else { return };
        let s = st.borrow();
        if let Some(p) = s.catalogue.as_ref().and_then(|c| c.get(&code)) {
            let adapter = app.global::<ProceduresAdapter>();
            adapter.set_detail(detail(p));
            adapter.set_stage(ProceduresStage::Detail);
        }
    });
    let weak = app.as_weak();
    adapter.on_back_to_list(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<ProceduresAdapter>().set_stage(ProceduresStage::Search);
        }
    });
    let weak = app.as_weak();
    adapter.on_take_number(move || {
        if let Some(app) = weak.upgrade() {
            app.global::<HomeAdapter>().invoke_take_number();
        }
    });
    slot
}

/// The results for what is typed and the field chosen.
fn show(app: &AppWindow, s: &Search) {
    let adapter = app.global::<ProceduresAdapter>();
    let query = s.input.text();
    adapter.set_query(query.as_str().into());
    adapter.set_field_name(s.field.as_ref().map(|(_, n)| n.as_str()).unwrap_or_default().into());
    let Some(catalogue) = &s.catalogue else { return };
    let field = s.field.as_ref().map(|(id, _)| FieldId(id.clone()));
    let hits: Vec<ProcedureHit> = if query.trim().is_empty() {
        // Browsing a field: its procedures, most used first.
        match &field {
            None => Vec::new(),
            Some(f) => {
                let mut ps: Vec<&Procedure> = catalogue.procedures().iter().filter(|p| p.fields.iter().any(|r| r.id.as_deref() == Some(f.0.as_str()))).collect();
                ps.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.name.cmp(&b.name)));
                ps.into_iter().take(MAX_HITS).map(|p| ProcedureHit { code: p.code.to_string().into(), name: p.name.as_str().into() }).collect()
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
        .map(|c| c.fields().into_iter().filter(|f| f.count > 0).map(|f| FieldItem { id: f.field.id.0.as_str().into(), name: f.field.name.as_str().into(), count: f.count as i32 }).collect())
        .unwrap_or_default();
    ModelRc::new(VecModel::from(items))
}

/// What the detail page shows: the documents of every case (once each), the in-person time
/// limit and fees, and the agency.
pub fn detail(p: &Procedure) -> ProcedureDetail {
    let mut documents: Vec<DocumentItem> = Vec::new();
    for d in p.documents.iter().flat_map(|c| &c.documents) {
        let Some(name) = d.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else { continue };
        if documents.iter().any(|x| x.name == name) {
            continue;
        }
        documents.push(DocumentItem { name: name.into(), originals: d.originals.unwrap_or(0) as i32, copies: d.copies.unwrap_or(0) as i32 });
    }
    let in_person = p.ways.iter().find(|w| w.channel == Some(Channel::InPerson)).or(p.ways.first());
    let time = in_person.and_then(|w| w.times.first());
    let time_limit = time
        .map(|t| [t.value.as_deref(), t.unit.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let fees: Vec<String> = time
        .map(|t| {
            t.fees
                .iter()
                .filter_map(|f| match &f.amount {
                    Some(Amount::Vnd(n)) => Some(format!("{} đồng", group_thousands(*n))),
                    Some(Amount::Free) => Some("Miễn phí".to_owned()),
                    Some(Amount::Text(s)) => Some(s.clone()),
                    None => f.description.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let agency = p.agencies.iter().filter_map(|a| a.name.clone()).collect::<Vec<_>>().join("; ");
    ProcedureDetail {
        code: p.code.to_string().into(),
        name: p.name.as_str().into(),
        time_limit: time_limit.into(),
        fees: fees.join("; ").into(),
        agency: agency.into(),
        documents: ModelRc::new(VecModel::from(documents)),
    }
}

/// 50000 → "50.000", as amounts are written in Vietnam.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_are_grouped_by_thousands_with_dots() {
        assert_eq!(super::group_thousands(50_000), "50.000");
        assert_eq!(super::group_thousands(1_500_000), "1.500.000");
        assert_eq!(super::group_thousands(500), "500");
    }
}

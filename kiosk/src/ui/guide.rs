//! Spoken guidance: `GuideAdapter` and the "listen" button beside the call for help.
//!
//! A press reads the screen of the moment aloud (`crate::speech`): its title and main text, then
//! each choice on it, in the visit's language, ending with how to hear it again or call staff.
//! The sentences are the screen's own words (the `Strings` the screen shows, the services and
//! the number of the adapters; the evaluation's questions and answers), so what is heard is
//! what is written. Pressed while it speaks,
//! the button stops it; leaving the screen, or the kiosk going idle, stops it too.
use super::{
    AppWindow, BookingAdapter, BookingStrings, EvaluationAdapter, EvaluationStage, GuideAdapter, HomeAdapter, Nav, ProceduresAdapter,
    ProceduresStage, Screen, Strings, TicketAdapter, TicketStage,
};
use crate::speech::{Lang, Speaker};
use shared::text::{ticket_words, Dialect};
use slint::{ComponentHandle, Model};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub fn setup(app: &AppWindow, speaker: Option<Arc<Speaker>>) {
    let adapter = app.global::<GuideAdapter>();
    adapter.set_available(speaker.is_some());
    let Some(speaker) = speaker else { return };
    let reading = Arc::new(AtomicU64::new(0));
    let (weak, s, r) = (app.as_weak(), speaker.clone(), reading.clone());
    adapter.on_listen(move || {
        let Some(app) = weak.upgrade() else { return };
        let adapter = app.global::<GuideAdapter>();
        let this = r.fetch_add(1, Ordering::SeqCst) + 1;
        if adapter.get_speaking() {
            s.stop();
            adapter.set_speaking(false);
            return;
        }
        let lang = if app.global::<Strings>().get_english() { Lang::En } else { Lang::Vi };
        let said: Vec<(String, Lang)> = sentences(&app).into_iter().map(|t| (t, lang)).collect();
        tracing::info!("spoken guidance: {} sentences of the {:?} screen", said.len(), app.global::<Nav>().get_screen());
        adapter.set_speaking(true);
        let (weak, r) = (app.as_weak(), r.clone());
        s.say(said, move |heard| {
            tracing::debug!("spoken guidance: read to the end: {heard}");
            let _ = weak.upgrade_in_event_loop(move |app| {
                if r.load(Ordering::SeqCst) == this {
                    app.global::<GuideAdapter>().set_speaking(false);
                }
            });
        });
    });
    let weak = app.as_weak();
    adapter.on_stop(move || {
        reading.fetch_add(1, Ordering::SeqCst);
        speaker.stop();
        if let Some(app) = weak.upgrade() {
            app.global::<GuideAdapter>().set_speaking(false);
        }
    });
}

/// What the screen of the moment says, sentence by sentence.
pub fn sentences(app: &AppWindow) -> Vec<String> {
    let s = app.global::<Strings>();
    let mut out: Vec<String> = Vec::new();
    match app.global::<Nav>().get_screen() {
        Screen::Home => {
            out.extend([s.get_welcome().into(), s.get_touch_hint().into()]);
            if app.global::<HomeAdapter>().get_numbers() {
                out.push(format!("{}: {}.", s.get_take_number(), s.get_take_number_sub()));
            }
            out.push(format!("{}: {}.", s.get_procedures(), s.get_procedures_sub()));
            out.push(format!("{}: {}.", s.get_dossier(), s.get_dossier_sub()));
        }
        Screen::Ticket => ticket(app, &mut out),
        Screen::Procedures => procedures(app, &mut out),
        Screen::Dossier if app.global::<EvaluationAdapter>().get_stage() != EvaluationStage::Off => evaluation(app, &mut out),
        Screen::Dossier => out.extend([s.get_dossier().into(), s.get_dossier_prompt().into()]),
        Screen::Admin => {}
    }
    out.push(s.get_listen_more().into());
    out.retain(|t| !t.trim().is_empty());
    out
}

/// The search: what to do. A procedure's page: its name, then the cases to choose from, or the
/// documents of the case chosen.
fn procedures(app: &AppWindow, out: &mut Vec<String>) {
    let (s, p) = (app.global::<Strings>(), app.global::<ProceduresAdapter>());
    if p.get_stage() != ProceduresStage::Detail {
        out.extend([s.get_procedures().into(), s.get_search_placeholder().into(), s.get_browse_fields().into()]);
        return;
    }
    let detail = p.get_detail();
    out.push(format!("{}.", detail.name));
    let case = usize::try_from(p.get_case()).ok().and_then(|i| detail.cases.row_data(i));
    match case {
        None if detail.cases.row_count() > 1 => {
            out.push(format!("{}.", s.get_which_case()));
            out.extend(detail.cases.iter().map(|c| format!("{}.", c.name)));
        }
        None => out.push(format!("{}.", s.get_no_documents())),
        Some(c) => {
            out.push(format!("{}:", s.get_documents()));
            out.extend(c.documents.iter().map(|d| format!("{}.", d.name)));
        }
    }
}

/// The evaluation form: the question shown and its answers, or the answers given to look over,
/// or what became of them. Many who evaluate at a kiosk cannot read small print.
fn evaluation(app: &AppWindow, out: &mut Vec<String>) {
    let (s, e) = (app.global::<Strings>(), app.global::<EvaluationAdapter>());
    let english = s.get_english();
    let criteria: Vec<_> = e.get_criteria().iter().collect();
    let chosen: Vec<i32> = e.get_chosen().iter().collect();
    let question = |c: &super::EvalCriterion| if english { c.question_en.clone() } else { c.question_vi.clone() };
    let answers = |c: &super::EvalCriterion| if english { c.answers_en.clone() } else { c.answers_vi.clone() };
    match e.get_stage() {
        EvaluationStage::Asking => {
            let step = e.get_step().max(0) as usize;
            out.push(format!("{}.", s.invoke_evaluation_step(step as i32 + 1, criteria.len() as i32)));
            if let Some(c) = criteria.get(step) {
                out.push(format!("{}?", question(c)));
                out.extend(answers(c).iter().map(|a| format!("{a}.")));
            }
        }
        EvaluationStage::Review | EvaluationStage::Sending | EvaluationStage::Failed => {
            out.push(s.get_evaluation_review().into());
            for (i, c) in criteria.iter().enumerate() {
                let given = usize::try_from(chosen.get(i).copied().unwrap_or(-1)).ok().and_then(|a| answers(c).row_data(a));
                let given = given.unwrap_or_else(|| s.get_evaluation_unanswered());
                out.push(format!("{}. {}: {given}.", i + 1, question(c)));
            }
            if e.get_stage() == EvaluationStage::Failed {
                out.push(s.get_evaluation_failed().into());
            }
            out.push(format!("{}.", s.get_evaluation_send()));
        }
        EvaluationStage::Done => out.extend([s.get_evaluation_thanks().into(), format!("{}.", s.invoke_evaluation_points(e.get_points()))]),
        EvaluationStage::Already => out.push(s.get_evaluation_already().into()),
        EvaluationStage::Off => {}
    }
}

fn ticket(app: &AppWindow, out: &mut Vec<String>) {
    let (s, t) = (app.global::<Strings>(), app.global::<TicketAdapter>());
    match t.get_stage() {
        TicketStage::Loading => out.push(s.get_loading().into()),
        TicketStage::Services => {
            if !t.get_greeting_name().is_empty() {
                out.push(s.invoke_hello(t.get_greeting_name()).into());
            }
            out.push(s.get_choose_service().into());
            for group in t.get_groups().iter() {
                for service in group.services.iter() {
                    let name = s.invoke_pick(service.name.clone(), service.name_en.clone());
                    let state = if service.open { s.invoke_waiting(service.waiting) } else { s.get_closed_today() };
                    out.push(format!("{name}: {state}."));
                }
            }
        }
        TicketStage::Priority => {
            out.extend([s.get_choose_priority().into(), t.get_service_name().into()]);
            out.extend(t.get_priorities().iter().map(|p| s.invoke_pick(p.name, p.name_en).into()));
            out.push(s.get_no_priority().into());
        }
        TicketStage::Printing => out.extend([s.get_printing().into(), s.get_printing_hint().into()]),
        TicketStage::Ticket => {
            let number = t.get_number();
            // The number as words ("a mười hai"): espeak-ng would spell "A012" letter by letter.
            let spoken = match ticket_words(&number, Dialect::North) {
                Ok(words) if !s.get_english() => words.join(" "),
                _ => number.chars().map(String::from).collect::<Vec<_>>().join(" "),
            };
            out.push(format!("{}: {spoken}.", s.get_your_number()));
            out.push(t.get_service_name().into());
            out.push(s.invoke_ahead(t.get_ahead()).into());
            out.push(s.invoke_wait(t.get_wait_min()).into());
            out.push(s.get_take_ticket().into());
        }
        TicketStage::Booking => {
            let b = app.global::<BookingStrings>();
            out.extend([b.get_enter_code().into(), b.get_code_hint().into()]);
        }
        TicketStage::BookingProblem => {
            let (b, a) = (app.global::<BookingStrings>(), app.global::<BookingAdapter>());
            out.push(b.invoke_problem(a.get_problem(), a.get_detail()).into());
            out.push(b.invoke_hint(a.get_problem()).into());
        }
        TicketStage::Problem => {}
    }
}

//! A citizen's evaluation of a finished dossier over real sockets, with the typed client: a
//! kiosk records it, the results board cannot record it again, one given long before the days
//! the authority replays is still found in its store, bad scores and codes say why, and the administrator's dossier report joins them.
use shared::dossier::evaluation::{Scores, MAX_POINTS};
use shared::dossier::ReceiptCode;
use shared::event::{Event, EventBody};
use shared::store::{Append, Store};
use shared::wire::ErrorCode;
use testkit::*;

const CODE: &str = "000.00.06.H56-231027-0361";
const OLD: &str = "000.00.06.H56-231027-0362";

/// Requirement: recorded once with its points out of 18; the same dossier again, from another
/// device, is refused with the day it was given; an evaluation from 40 days ago (beyond the week
/// the engine replays, so only the store holds it) is refused too.
#[tokio::test]
async fn a_dossier_is_evaluated_once_whatever_the_day_or_device() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    {
        let mut store = Store::open(&db).unwrap();
        let at = monday_9am() - chrono::Duration::days(40);
        let old = Event {
            id: 1,
            at,
            day: at.date_naive(),
            body: EventBody::DossierEvaluated { dossier: OLD.into(), scores: Scores::new(&[1; 9]).unwrap(), device: None },
        };
        store.append(&[Append { event: &old, key: None }]).unwrap();
    }
    let s = TestServer::start(&db).await;
    let (kiosk, board) = (s.client(KIOSK), s.client(DISPLAY));
    let scores = Scores::new(&[2, 2, 1, 2, 2, 2, 2, 2, 1]).unwrap();
    let code = ReceiptCode::parse(CODE).unwrap();
    let done = kiosk.evaluate_dossier(&code, scores).await.unwrap();
    assert_eq!((done.dossier.as_str(), done.points, done.max_points), (CODE, 16, MAX_POINTS));
    assert_eq!(done.scores, scores);

    let again = board.evaluate_dossier(&code, Scores::new(&[0; 9]).unwrap()).await.unwrap_err();
    assert_eq!((again.status(), again.code()), (Some(409), Some(&ErrorCode::AlreadyEvaluated)), "{again}");
    assert!(again.to_string().contains("23/11/2026"), "the day it was given: {again}");
    let old = kiosk.evaluate_dossier(&ReceiptCode::parse(OLD).unwrap(), scores).await.unwrap_err();
    assert_eq!(old.code(), Some(&ErrorCode::AlreadyEvaluated), "found in the store: {old}");
    assert!(old.to_string().contains("14/10/2026"), "{old}");

    // The log holds the one evaluation accepted here, with the kiosk that took it.
    let mut stream = kiosk.events(Some(0)).await.unwrap();
    let recorded = loop {
        let item = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        if let shared::client::StreamItem::Event(Event { body: EventBody::DossierEvaluated { dossier, device, .. }, .. }) = item {
            if dossier == CODE {
                break device;
            }
        }
    };
    assert!(recorded.is_some_and(|d| !d.is_empty()), "the device is named");
    s.stop().await;
}

/// Failure proved: scores that are not nine values of 2, 1 or 0, a code out of shape, unknown
/// fields and a caller without a token are each refused with their reason, and nothing is
/// written (the dossier can still be evaluated after).
#[tokio::test]
async fn bad_scores_and_codes_are_refused_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let post = |path: &str, body: serde_json::Value, token: Option<&str>| {
        let req = s.http().post(s.api(path)).json(&body);
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let path = format!("/dossiers/{CODE}/evaluation");
    let good = serde_json::json!({"scores": [2, 2, 2, 2, 2, 2, 2, 2, 2]});
    let cases = [
        (serde_json::json!({"scores": [2, 2, 2]}), "all 9 criteria, 3 given"),
        (serde_json::json!({"scores": [2, 2, 2, 2, 2, 2, 3, 2, 2]}), "criterion 7 (attitude) scored 3"),
        (serde_json::json!({"scores": [2, 2, 2, 2, 2, 2, -1, 2, 2]}), "scores"),
        (serde_json::json!({"scores": [2, 2, 2, 2, 2, 2, 2, 2, 2], "name": "x"}), "name"),
    ];
    for (body, says) in cases {
        let (status, err) = post(&path, body.clone(), Some(KIOSK)).await;
        assert_eq!((status, err["error"].as_str()), (422, Some("invalid_body")), "{body}: {err}");
        assert!(err["message"].as_str().unwrap().contains(says), "{body}: {err}");
    }
    let (status, err) = post("/dossiers/H56-2310-0361/evaluation", good.clone(), Some(KIOSK)).await;
    assert_eq!((status, err["error"].as_str()), (422, Some("bad_receipt_code")), "{err}");
    let (status, _) = post(&path, good.clone(), None).await;
    assert_eq!(status, 401);
    let (status, ok) = post(&path, good.clone(), Some(KIOSK)).await;
    assert_eq!((status, ok["points"].as_u64()), (201, Some(18)), "nothing was kept by the refusals: {ok}");
    s.stop().await;
}

/// Requirement: the administrator's dossier report over HTTP: a visit linked, rated and its
/// dossier evaluated give one record with all three; the CSV by quarter is an attachment a
/// spreadsheet reads; a bad grouping and a caller who is not an administrator are refused.
#[tokio::test]
async fn the_dossier_report_joins_link_rating_and_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let (kiosk, staff) = (s.client(KIOSK), s.client(COUNTER));
    let t = kiosk.issue("civil", None).await.unwrap();
    staff.call_next("1").await.unwrap();
    staff.link_dossier(&t.number, CODE).await.unwrap();
    staff.counter_action("1", shared::client::CounterAction::Finish).await.unwrap();
    let rated = s
        .http()
        .post(s.api(&format!("/tickets/{}/rating", t.id)))
        .bearer_auth(COUNTER)
        .json(&serde_json::json!({"rating": "very_satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rated.status(), 201);
    kiosk.evaluate_dossier(&ReceiptCode::parse(CODE).unwrap(), Scores::new(&[2, 2, 2, 2, 2, 2, 2, 2, 1]).unwrap()).await.unwrap();

    let get = |q: String, token: &'static str| {
        let req = s.http().get(s.api(&q)).bearer_auth(token);
        async move { req.send().await.unwrap() }
    };
    let day = "2026-11-23";
    let res = get(format!("/reports/dossiers?from={day}&to={day}"), ADMIN).await;
    assert_eq!(res.status(), 200);
    let r: serde_json::Value = res.json().await.unwrap();
    let d = &r["dossiers"][0];
    assert_eq!(
        (d["dossier"].as_str(), d["ticket"].as_str(), d["rating"].as_str(), d["quarter"].as_str()),
        (Some(CODE), Some(t.number.as_str()), Some("very_satisfied"), Some("2023-Q4")),
        "{r}"
    );
    assert_eq!(d["scores"], serde_json::json!([2, 2, 2, 2, 2, 2, 2, 2, 1]));
    assert_eq!((r["total"]["dossiers"].as_u64(), r["total"]["mean_points"].as_f64()), (Some(1), Some(17.0)), "{r}");

    let csv = get(format!("/reports/dossiers.csv?from={day}&to={day}&by=quarter"), ADMIN).await;
    assert_eq!(csv.status(), 200);
    let disposition = csv.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"ho-so-{day}_{day}-quarter.csv\""));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for spreadsheets");
    assert!(text.contains("\r\n2023-Q4,Quý 4/2023 / Q4 2023,1,1,0,0,100.0,1,17.0,"), "{text}");

    // Not a grouping, or the province's (a centre is one centre).
    for by in ["service", "centre"] {
        let bad = get(format!("/reports/dossiers?from={day}&to={day}&by={by}"), ADMIN).await;
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains("dossier, officer, unit or quarter"));
    }
    assert_eq!(get(format!("/reports/dossiers?from={day}&to={day}"), KIOSK).await.status(), 403);
    s.stop().await;
}

//! A citizen's nine-criteria evaluation of a finished dossier, given at the results board on the
//! headless platform, by taps, against the stand-in one-stop system and a real queue authority
//! over HTTP (the display's token): offered for a finished dossier only, answered one question
//! at a time (back, change from the review), recorded once (a second form says "already"), and
//! an authority that is away is said plainly with the answers kept. One process per test.
use crate::support::tap_label;
use display::boards::evaluation::AuthorityEvaluations;
use display::boards::headless::Headless;
use display::boards::results::{Results, ResultsSettings};
use display::boards::screens::{fixed_now, fixed_today, vietnam};
use display::boards::{EvaluationAdapter, EvaluationStage, LookupStage, ResultsAdapter};
use display::health::Health;
use shared::dossier::evaluation::CRITERIA;
use shared::dossier::{demo, sample, DossierStatus, HttpSource, HttpSourceConfig};
use slint::{ComponentHandle, Model};
use std::sync::Arc;
use std::time::Duration;

rusty_fork_test! {
    #[test]
    fn a_finished_dossier_is_evaluated_at_the_results_board_once() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let set = sample::demo_set(fixed_today(), 300);
        let finished = set.iter().find(|d| d.status == DossierStatus::Ready).unwrap().code.clone();
        let open = set.iter().find(|d| d.status == DossierStatus::Processing).unwrap().code.clone();
        let (router, _) = demo::router(set);
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let onestop = format!("http://{}", listener.local_addr().unwrap());
        rt.spawn(async move { axum::serve(listener, router).await });
        let dir = tempfile::tempdir().unwrap();
        let authority = rt.block_on(testkit::TestServer::start(&dir.path().join("q.db")));

        let hl = Headless::install(1920, 1080).unwrap();
        let settings = ResultsSettings {
            size: Some((1920, 1080)),
            snapshot: None,
            source: Arc::new(HttpSource::new(&HttpSourceConfig { base_url: onestop, timeout: Duration::from_secs(2), token: None })),
            rows: 8,
            page: Duration::from_secs(3600),
            refresh: Duration::from_secs(3600),
            hold: Duration::from_secs(3600),
            offset: vietnam(),
            clock: fixed_now,
            evaluations: Some(Arc::new(AuthorityEvaluations { client: authority.client(testkit::DISPLAY), runtime: rt.handle().clone() })),
        };
        let (results, window) = hl.create(1920, 1080, || Results::new(settings, "UBND phường", Health::none())).unwrap();
        let (a, e) = (results.ui.global::<ResultsAdapter>(), results.ui.global::<EvaluationAdapter>());
        let wait = |what: &str, f: &dyn Fn() -> bool| assert!(hl.pump_until(Duration::from_secs(20), f), "timed out: {what}");
        let look_up = |code: &str| {
            tap_label(&hl, &results, &window, "Tra cứu theo mã hồ sơ");
            for k in code.chars() {
                tap_label(&hl, &results, &window, &k.to_string());
            }
            tap_label(&hl, &results, &window, "Tra cứu");
            wait("the dossier found", &|| a.get_stage() == LookupStage::Found);
        };
        let answer = |criterion: usize, choice: usize| tap_label(&hl, &results, &window, CRITERIA[criterion].answers[choice].0);

        // A dossier still being processed: nothing to evaluate yet.
        look_up(&open);
        assert!(!a.get_can_evaluate(), "not finished: no form");
        tap_label(&hl, &results, &window, "Đóng");

        // A finished one: the form, a question at a time; "back" goes to the one before.
        look_up(&finished);
        assert!(a.get_can_evaluate());
        tap_label(&hl, &results, &window, "Đánh giá việc giải quyết hồ sơ");
        assert_eq!((e.get_stage(), e.get_step(), e.get_code().to_string()), (EvaluationStage::Asking, 0, finished.clone()));
        answer(0, 0);
        answer(1, 1);
        tap_label(&hl, &results, &window, "‹ Quay lại");
        assert_eq!(e.get_step(), 1, "back to the second question, its answer kept");
        answer(1, 0);
        for k in 2..9 {
            answer(k, if k == 4 { 2 } else { 0 });
        }
        assert_eq!(e.get_stage(), EvaluationStage::Review);
        // The fifth answer changed from the review, then straight back to it.
        tap_label(&hl, &results, &window, &format!("5. {}", CRITERIA[4].vi));
        assert_eq!((e.get_stage(), e.get_step()), (EvaluationStage::Asking, 4));
        answer(4, 1);
        assert_eq!(e.get_stage(), EvaluationStage::Review);
        tap_label(&hl, &results, &window, "Gửi đánh giá");
        wait("the evaluation recorded", &|| e.get_stage() == EvaluationStage::Done);
        assert_eq!(e.get_points(), 17, "eight best answers and one middle one");
        tap_label(&hl, &results, &window, "Xong");
        assert_eq!(e.get_stage(), EvaluationStage::Off);

        // The same dossier again: the authority keeps one evaluation per dossier.
        tap_label(&hl, &results, &window, "Đánh giá việc giải quyết hồ sơ");
        for k in 0..9 {
            answer(k, 2);
        }
        tap_label(&hl, &results, &window, "Gửi đánh giá");
        wait("already evaluated", &|| e.get_stage() == EvaluationStage::Already);

        // The authority away: said plainly, the answers kept to send again.
        rt.block_on(authority.stop());
        tap_label(&hl, &results, &window, "Xong");
        tap_label(&hl, &results, &window, "Đánh giá việc giải quyết hồ sơ");
        for k in 0..9 {
            answer(k, 0);
        }
        tap_label(&hl, &results, &window, "Gửi đánh giá");
        wait("not sent", &|| e.get_stage() == EvaluationStage::Failed);
        assert!(e.get_chosen().iter().all(|c| c == 0), "the answers are kept");
        // A code scanned over the form: the form gives way to the next person's lookup.
        a.invoke_key("0".into());
        hl.process();
        assert_eq!(e.get_stage(), EvaluationStage::Off);
    }
}

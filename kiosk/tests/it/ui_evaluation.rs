//! The nine-criteria evaluation of a finished dossier on the real UI (headless, real fonts)
//! against a real authority and the stand-in one-stop system: the citizen looks up their
//! dossier, opens the form, answers nine questions with taps (going back to change one from the
//! review), sends it, and the authority holds it with the right points. A second try says the
//! dossier was evaluated already; with the authority gone the form says it was not sent.
//! "Listen" reads the question shown with its answers, and the answers given to look over. One UI
//! test per file: Slint allows one platform per process.
use crate::touch::tap;
use kiosk::ui::dossier::{demo, HttpSourceConfig, ReceiptCode};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{DossierAdapter, DossierStage, EvaluationAdapter, EvaluationStage};
use shared::dossier::evaluation::Scores;
use shared::wire::ErrorCode;
use slint::{ComponentHandle, Model};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const CODE: &str = "000.00.06.H56-231027-0361";

/// The answer tapped for each question: the best everywhere but two.
const ANSWERS: [&str; 9] = [
    "Sớm hơn hoặc đúng hạn",
    "Tất cả đúng hạn",
    "2 lần",
    "Chỉ Bộ phận Một cửa",
    "Cả hai",
    "Đầy đủ, rõ ràng",
    "Lịch sự, tận tình",
    "Không có, hoặc được xử lý thỏa đáng",
    "Bình thường",
];

rusty_fork_test! {
    #[test]
    fn a_citizen_evaluates_a_finished_dossier_once_by_taps() {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let (router, _) = demo::router(demo::sample());
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let onestop = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, router).await });
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer")).config();
        let display = Headless::install(1080, 1920).unwrap();
        let dossier = HttpSourceConfig { base_url: onestop, timeout: Duration::from_secs(3), token: None };
        let settings = UiSettings { dossier: Some(dossier), ..UiSettings::from_config(&config) };
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let (found, form) = (kiosk.app.global::<DossierAdapter>(), kiosk.app.global::<EvaluationAdapter>());

        tap(&display, &kiosk, "Tra cứu hồ sơ");
        found.invoke_key(CODE.into());
        found.invoke_key("\n".into());
        assert!(display.pump_until(WAIT, || found.get_stage() == DossierStage::Found), "stage {:?}", found.get_stage());
        assert!(found.get_dossier().finished, "the sample dossier is ready: finished");
        display.render();
        tap(&display, &kiosk, "Đánh giá việc giải quyết hồ sơ");
        assert_eq!((form.get_stage(), form.get_code().as_str()), (EvaluationStage::Asking, CODE));
        // "Listen" reads the question shown and its answers.
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert_eq!(said[..5], ["Câu 1/9.", "Tổng thời gian giải quyết so với thời hạn quy định?", "Sớm hơn hoặc đúng hạn.", "Trễ hạn, có thư xin lỗi và hẹn lại.", "Trễ hạn, không có thư xin lỗi."], "{said:?}");

        // "Back" on a later question goes to the one before; then every question by taps.
        tap(&display, &kiosk, ANSWERS[0]);
        display.render();
        tap(&display, &kiosk, "Quay lại");
        assert_eq!(form.get_step(), 0);
        for (i, answer) in ANSWERS.iter().enumerate() {
            display.render();
            assert_eq!(form.get_step(), i as i32, "question {} shows", i + 1);
            tap(&display, &kiosk, answer);
        }
        assert_eq!(form.get_stage(), EvaluationStage::Review);
        assert_eq!(form.get_chosen().iter().collect::<Vec<_>>(), [0, 0, 1, 0, 0, 0, 0, 0, 1]);
        // From the review the citizen changes their mind about question 3, and only it.
        display.render();
        tap(&display, &kiosk, "3. Số lần phải đi lại để bổ sung, hoàn thiện hồ sơ");
        assert_eq!((form.get_stage(), form.get_step()), (EvaluationStage::Asking, 2));
        display.render();
        tap(&display, &kiosk, "3 lần trở lên");
        assert_eq!(form.get_stage(), EvaluationStage::Review, "back to the review: nothing else is open");
        let said = kiosk::ui::guide::sentences(&kiosk.app);
        assert!(said.contains(&"3. Số lần phải đi lại để bổ sung, hoàn thiện hồ sơ: 3 lần trở lên.".to_owned()), "{said:?}");
        display.render();
        display.save_png(&tmp.path().join("review.png")).unwrap();
        tap(&display, &kiosk, "Gửi đánh giá");
        assert!(display.pump_until(WAIT, || form.get_stage() == EvaluationStage::Done), "stage {:?}", form.get_stage());
        assert_eq!(form.get_points(), 15, "2×7 + 0 + 1");
        // The authority holds it: another device cannot evaluate the dossier again.
        let code = ReceiptCode::parse(CODE).unwrap();
        let again = runtime.block_on(server.client(testkit::DISPLAY).evaluate_dossier(&code, Scores::new(&[2; 9]).unwrap())).unwrap_err();
        assert_eq!(again.code(), Some(&ErrorCode::AlreadyEvaluated), "{again}");
        display.render();
        tap(&display, &kiosk, "Xong");
        assert_eq!((form.get_stage(), found.get_stage()), (EvaluationStage::Off, DossierStage::Found), "back to the dossier");

        // Opens the form, answers every question, sends it.
        let answer_all = || {
            display.render();
            tap(&display, &kiosk, "Đánh giá việc giải quyết hồ sơ");
            for answer in ANSWERS {
                display.render();
                tap(&display, &kiosk, answer);
            }
            display.render();
            tap(&display, &kiosk, "Gửi đánh giá");
        };
        // A second try at the kiosk is told so, kindly.
        answer_all();
        assert!(display.pump_until(WAIT, || form.get_stage() == EvaluationStage::Already), "stage {:?}", form.get_stage());

        // The authority gone: not sent, said as such, and the answers stay for another try.
        runtime.block_on(server.stop());
        display.render();
        tap(&display, &kiosk, "Xong");
        answer_all();
        assert!(display.pump_until(WAIT, || form.get_stage() == EvaluationStage::Failed), "stage {:?}", form.get_stage());
        assert_eq!(form.get_chosen().iter().filter(|&a| a >= 0).count(), 9);
    }
}

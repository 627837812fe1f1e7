//! The call for help on the real UI (headless, real fonts) against a real authority: a citizen
//! on the procedures screen taps "call a staff member", the call reaches the console's API with
//! the kiosk's name and screen, a staff member signed in to the console answers, and the kiosk
//! says who is coming. Then the rate limit, the withdrawal when the citizen says so or walks
//! away, and an authority that cannot be reached. One UI test per file: Slint allows one
//! platform per process.

use crate::touch;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{HelpAdapter, HelpStage, HomeAdapter, Nav, Screen};
use shared::wire::HelpScreen;
use slint::ComponentHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

rusty_fork_test! {
    #[test]
    fn a_citizen_calls_staff_a_staff_member_answers_and_the_kiosk_says_who_is_coming() {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        runtime.block_on(testkit::browser::create_account(&server, "lan", "staff", &["1"]));
        let mut console = testkit::browser::Browser::new(&server);
        assert!(runtime.block_on(console.sign_in("lan", testkit::browser::PASSWORD)).0.is_success());
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer")).config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { idle: Duration::from_secs(3), ..UiSettings::from_config(&config) };
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let help = kiosk.app.global::<HelpAdapter>();
        let staff_sees = || runtime.block_on(server.client(testkit::COUNTER).helps()).unwrap();

        // On the procedures screen the citizen taps the bar at the foot of the screen.
        kiosk.app.global::<HomeAdapter>().invoke_procedures();
        assert_eq!(kiosk.app.global::<Nav>().get_screen(), Screen::Procedures);
        display.render();
        touch::tap(&display, &kiosk, "Gọi nhân viên đến giúp tôi");
        assert!(display.pump_until(WAIT, || help.get_stage() == HelpStage::Waiting), "the call was not confirmed: {:?}", help.get_stage());
        let calls = staff_sees();
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert_eq!((calls[0].device.as_str(), calls[0].screen), ("kiosk", HelpScreen::Procedures), "staff learn which kiosk and screen");
        display.render();
        touch::find(&kiosk, "Đã báo nhân viên. Xin chờ tại đây, sẽ có người đến.", AccessibleRole::Text);

        // The staff member answers from the console (its session, as the page does): the kiosk
        // hears it on its event stream and names them.
        let (status, body) = runtime.block_on(console.post("/help/kiosk/answer", serde_json::json!({})));
        assert!(status.is_success(), "{status} {body}");
        assert!(display.pump_until(WAIT, || help.get_stage() == HelpStage::Coming), "the answer did not reach the kiosk");
        assert_eq!(help.get_staff(), "Cán bộ lan", "the name of who is coming");
        display.render();
        touch::find(&kiosk, "Nhân viên đang đến giúp ông/bà: Cán bộ lan.", AccessibleRole::Text);
        display.save_png(&tmp.path().join("help.png")).unwrap();

        // "No longer needed": the call leaves the console; pressing again within the minute is
        // told to wait, without ringing the console again.
        touch::tap(&display, &kiosk, "Không cần nữa");
        assert_eq!(help.get_stage(), HelpStage::Idle);
        assert!(display.pump_until(WAIT, || staff_sees().is_empty()), "the withdrawn call is still on the console");
        display.render();
        touch::tap(&display, &kiosk, "Gọi nhân viên đến giúp tôi");
        assert!(display.pump_until(WAIT, || help.get_stage() == HelpStage::TooSoon), "{:?}", help.get_stage());
        assert!(staff_sees().is_empty(), "a call within the minute rings nobody");
        display.render();
        touch::find(&kiosk, "Vừa gọi nhân viên xong. Xin chờ một phút rồi gọi lại.", AccessibleRole::Text);
        assert!(display.pump_until(Duration::from_secs(15), || help.get_stage() == HelpStage::Idle), "the note stays for ten seconds");

        // A minute on, a new call; the citizen walks away and the kiosk goes idle: the call is
        // withdrawn so that nobody walks to an empty kiosk.
        server.clock.advance(chrono::Duration::seconds(61));
        kiosk.app.global::<HomeAdapter>().invoke_dossier();
        display.render();
        touch::tap(&display, &kiosk, "Gọi nhân viên đến giúp tôi");
        assert!(display.pump_until(WAIT, || help.get_stage() == HelpStage::Waiting));
        assert_eq!(staff_sees()[0].screen, HelpScreen::Dossier);
        assert!(display.pump_until(WAIT, || kiosk.app.global::<Nav>().get_screen() == Screen::Home), "the kiosk did not go idle");
        assert_eq!(help.get_stage(), HelpStage::Idle);
        assert!(display.pump_until(WAIT, || staff_sees().is_empty()), "the call of a citizen who left is still open");

        // The authority gone: the citizen is told to ask at a counter, not left waiting.
        server.clock.advance(chrono::Duration::seconds(61));
        runtime.block_on(server.stop());
        display.render();
        touch::tap(&display, &kiosk, "Gọi nhân viên đến giúp tôi");
        assert!(display.pump_until(Duration::from_secs(30), || help.get_stage() == HelpStage::Failed), "{:?}", help.get_stage());
        display.render();
        let said = ElementHandle::find_by_accessible_label(&kiosk.app, "Không gọi được nhân viên. Xin hỏi tại quầy gần nhất.").count();
        assert_eq!(said, 1, "the failure in words");
    }
}

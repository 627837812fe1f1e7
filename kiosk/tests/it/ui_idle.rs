//! Every screen of the real UI (headless, real fonts): each goes back to a fresh home screen
//! after the idle time (language, text size and keyboard method back to the defaults, the staff
//! settings locked again), and every button on it is big enough for a finger, in portrait and
//! landscape, in normal and large text, in normal colours and high contrast. One UI test per file: Slint allows one platform per
//! process.

use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{
    AdminAdapter, AdminStage, HomeAdapter, Kiosk, Nav, PinNote, ProceduresAdapter, Screen, Strings, Theme, TicketAdapter, TicketStage,
};
use slint::{ComponentHandle, Model};
use std::time::Duration;

/// 15 mm at 0.18 mm per pixel (a 15.6" Full-HD panel, the smallest the kiosk is built for).
const MIN_TARGET_PX: f32 = 15.0 / 0.18;
const IDLE: Duration = Duration::from_millis(1500);
const PIN: &str = "246810";

/// Every button on screen, in both orientations, both text sizes and both colour schemes (high
/// contrast draws its buttons' borders thicker), is at least 15 mm each way.
fn targets_fit_a_finger(display: &Headless, kiosk: &Kiosk, screen: &str) {
    let theme = kiosk.app.global::<Theme>();
    let (large, contrast) = (theme.get_large_text(), theme.get_high_contrast());
    let cases =
        [(1080, 1920), (1920, 1080)].into_iter().flat_map(|s| [(s, false, false), (s, true, false), (s, false, true), (s, true, true)]);
    for ((w, h), big, hc) in cases {
        display.resize(w, h);
        theme.set_large_text(big);
        theme.set_high_contrast(hc);
        display.render();
        let buttons = ElementQuery::from_root(&kiosk.app).match_descendants().match_accessible_role(AccessibleRole::Button).find_all();
        assert!(!buttons.is_empty(), "{screen}: no buttons");
        if std::env::var_os("DUMP").is_some() {
            for b in &buttons {
                eprintln!("{screen} {w}x{h} {big}: {:?} {:?} {:?}", b.accessible_label(), b.absolute_position(), b.size());
            }
        }
        for b in buttons {
            let s = b.size();
            let label = b.accessible_label().unwrap_or_default();
            assert!(
                s.width >= MIN_TARGET_PX && s.height >= MIN_TARGET_PX,
                "{screen} at {w}x{h}, large text {big}, high contrast {hc}: the button {label:?} is {:.0}x{:.0} px, under 15 mm",
                s.width,
                s.height
            );
        }
    }
    display.resize(1080, 1920);
    theme.set_large_text(large);
    theme.set_high_contrast(contrast);
    display.render();
}

/// The citizen made choices, then walked away: the screen must go home and forget them.
fn walks_away_from(display: &Headless, kiosk: &Kiosk, screen: &str) {
    assert_ne!(kiosk.app.global::<Nav>().get_screen(), Screen::Home, "{screen}: not on the screen to test");
    kiosk.app.global::<Strings>().set_english(true);
    kiosk.app.global::<Theme>().set_large_text(true);
    kiosk.app.global::<Theme>().set_high_contrast(true);
    // The last touch (the steps above were driven from the adapters, which are not touches).
    kiosk.app.global::<Nav>().invoke_activity();
    let home = display.pump_until(IDLE * 4, || kiosk.app.global::<Nav>().get_screen() == Screen::Home);
    assert!(home, "{screen}: still not home after {:?} untouched", IDLE * 4);
    assert!(!kiosk.app.global::<Strings>().get_english(), "{screen}: the language was not reset");
    assert!(!kiosk.app.global::<Theme>().get_large_text(), "{screen}: the text size was not reset");
    assert!(!kiosk.app.global::<Theme>().get_high_contrast(), "{screen}: the colours were not reset");
    assert!(!kiosk.app.global::<ProceduresAdapter>().get_vni(), "{screen}: the keyboard method was not reset");
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn every_screen_goes_home_when_left_alone_and_every_button_fits_a_finger() {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
        let config = testkit::config::kiosk_ui(&tmp.path().join("printer"))
            .catalogue(&testkit::config::demo_catalogue())
            .raw("[[kiosk.handles]]\nservice = \"civil\"\nprocedures = [\"1.001193\"]")
            .config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { idle: IDLE, pin_hash: Some(kiosk::pin::hash_at(PIN, 8, 1).unwrap()), ..UiSettings::from_config(&config) };
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &settings, server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        assert!(display.pump_until(Duration::from_secs(60), || kiosk.catalogue.lock().unwrap().is_some()));
        let home = kiosk.app.global::<HomeAdapter>();
        let ticket = kiosk.app.global::<TicketAdapter>();
        let procedures = kiosk.app.global::<ProceduresAdapter>();
        let admin = kiosk.app.global::<AdminAdapter>();

        targets_fit_a_finger(&display, &kiosk, "home");

        home.invoke_take_number();
        kiosk.app.global::<Nav>().invoke_activity();
        assert!(display.pump_until(IDLE, || ticket.get_stage() == TicketStage::Services));
        targets_fit_a_finger(&display, &kiosk, "services");
        walks_away_from(&display, &kiosk, "services");

        home.invoke_take_number();
        kiosk.app.global::<Nav>().invoke_activity();
        assert!(display.pump_until(IDLE, || ticket.get_stage() == TicketStage::Services));
        ticket.invoke_choose_service("civil".into());
        assert_eq!(ticket.get_stage(), TicketStage::Priority);
        targets_fit_a_finger(&display, &kiosk, "priority");
        walks_away_from(&display, &kiosk, "priority");

        home.invoke_take_number();
        kiosk.app.global::<Nav>().invoke_activity();
        assert!(display.pump_until(IDLE, || ticket.get_stage() == TicketStage::Services));
        ticket.invoke_choose_service("land".into());
        assert!(display.pump_until(IDLE, || ticket.get_stage() == TicketStage::Ticket));
        targets_fit_a_finger(&display, &kiosk, "ticket");
        walks_away_from(&display, &kiosk, "ticket");

        home.invoke_procedures();
        kiosk.app.global::<Nav>().invoke_activity();
        procedures.invoke_set_vni(true);
        for k in ["k", "h", "a", "i"] {
            procedures.invoke_key(k.into());
        }
        targets_fit_a_finger(&display, &kiosk, "procedure search");
        walks_away_from(&display, &kiosk, "procedure search");

        home.invoke_procedures();
        kiosk.app.global::<Nav>().invoke_activity();
        assert!(!procedures.get_vni(), "a new visit types Telex again");
        procedures.invoke_open("1.001193".into());
        assert_eq!(procedures.get_service_id(), "civil");
        targets_fit_a_finger(&display, &kiosk, "procedure page");
        walks_away_from(&display, &kiosk, "procedure page");

        home.invoke_dossier();
        kiosk.app.global::<Nav>().invoke_activity();
        targets_fit_a_finger(&display, &kiosk, "dossier");
        walks_away_from(&display, &kiosk, "dossier");

        kiosk.app.global::<Nav>().invoke_staff();
        kiosk.app.global::<Nav>().invoke_activity();
        targets_fit_a_finger(&display, &kiosk, "PIN pad");
        walks_away_from(&display, &kiosk, "PIN pad");

        kiosk.app.global::<Nav>().invoke_staff();
        kiosk.app.global::<Nav>().invoke_activity();
        for d in PIN.chars() {
            admin.invoke_digit(d.to_string().into());
        }
        admin.invoke_submit();
        assert!(display.pump_until(IDLE, || admin.get_pin_note() != PinNote::Checking));
        assert_eq!(admin.get_stage(), AdminStage::Settings);
        targets_fit_a_finger(&display, &kiosk, "staff settings");
        walks_away_from(&display, &kiosk, "staff settings");
        // Walking away from the settings locks them: the next one in meets the PIN pad.
        kiosk.app.global::<Nav>().invoke_staff();
        kiosk.app.global::<Nav>().invoke_activity();
        assert_eq!(admin.get_stage(), AdminStage::Pin);
        assert_eq!(admin.get_pin_length(), 0);
        walks_away_from(&display, &kiosk, "PIN pad again");

        // Staff changed the session's defaults: going home after idling uses them.
        kiosk.app.global::<Nav>().set_default_english(true);
        home.invoke_dossier();
        kiosk.app.global::<Nav>().invoke_activity();
        let went = display.pump_until(IDLE * 4, || kiosk.app.global::<Nav>().get_screen() == Screen::Home);
        assert!(went && kiosk.app.global::<Strings>().get_english(), "the session's default language applies");
        assert!(ticket.get_groups().row_count() > 0);
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

//! Dossier status: the HTTP source against a local stand-in of the one-stop system (found,
//! not found, unreachable, out of contract, cached), then the screen driven by taps on the
//! on-screen keyboard. One UI test per file: Slint allows one platform per process.
use crate::touch::tap;
use kiosk::ui::dossier::{demo, CachedSource, DossierSource, HttpSource, HttpSourceConfig, ReceiptCode, SourceError};
use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::{DossierAdapter, DossierStage, DossierState};
use slint::ComponentHandle;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn source(url: &str) -> HttpSourceConfig {
    HttpSourceConfig { base_url: url.to_owned(), timeout: Duration::from_secs(3), token: None }
}

fn serve(runtime: &tokio::runtime::Runtime, router: axum::Router) -> String {
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move { axum::serve(listener, router).await });
    url
}

#[test]
fn the_source_answers_found_not_found_and_failures_and_the_cache_saves_asking_twice() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (router, asked) = demo::router(demo::sample());
    let url = serve(&runtime, router);
    let cached = CachedSource::new(HttpSource::new(&source(&url)), Duration::from_secs(60), 16);
    let code = ReceiptCode::parse("000.00.06.H56-231027-0361").unwrap();
    let found = cached.lookup(&code).unwrap().expect("the sample dossier");
    assert_eq!(found.applicant, "Nguyễn Văn An");
    assert_eq!(cached.lookup(&code).unwrap(), Some(found));
    assert_eq!(asked.load(Ordering::SeqCst), 1, "the second lookup came from the cache");
    let unknown = ReceiptCode::parse("000.00.06.H56-231027-9999").unwrap();
    assert_eq!(cached.lookup(&unknown).unwrap(), None);

    // Nobody listening: unreachable, said as such.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let err = HttpSource::new(&source(&format!("http://{closed}"))).lookup(&code).unwrap_err();
    assert!(matches!(err, SourceError::Unreachable { .. }), "{err:?}");

    // A system that answers something else than the contract.
    let odd = axum::Router::new().route("/dossiers/{code}", axum::routing::get(|| async { "<html>maintenance</html>" }));
    let err = HttpSource::new(&source(&serve(&runtime, odd))).lookup(&code).unwrap_err();
    assert!(matches!(err, SourceError::Contract { .. }), "{err:?}");
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_citizen_types_a_receipt_code_on_the_keyboard_and_sees_the_status_with_the_name_masked() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (router, _) = demo::router(demo::sample());
        let url = serve(&runtime, router);
        let config = testkit::config::one_service().config();
        let display = Headless::install(1080, 1920).unwrap();
        let settings = UiSettings { dossier: Some(source(&url)), ..UiSettings::default() };
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build(&config, "http://127.0.0.1:9", printer, runtime.handle().clone(), &settings).unwrap();
        kiosk.app.show().unwrap();
        display.process();
        let adapter = kiosk.app.global::<DossierAdapter>();

        tap(&display, &kiosk, "Tra cứu hồ sơ");
        // A code cut short is refused before anyone is asked.
        for key in "000.00.06.h56".chars() {
            tap(&display, &kiosk, &key.to_string());
        }
        tap(&display, &kiosk, "Tra cứu");
        assert_eq!(adapter.get_stage(), DossierStage::Invalid);
        for key in "-231027-0361".chars() {
            tap(&display, &kiosk, &key.to_string());
        }
        assert_eq!(adapter.get_code(), "000.00.06.H56-231027-0361");
        tap(&display, &kiosk, "Tra cứu");
        assert!(display.pump_until(Duration::from_secs(10), || adapter.get_stage() == DossierStage::Found), "stage {:?}", adapter.get_stage());
        let shown = adapter.get_dossier();
        assert_eq!(shown.name, "Nguyễn V. A.");
        assert_eq!(shown.state, DossierState::Ready);
        assert_eq!(shown.appointment, "03/11/2023");
    }
}

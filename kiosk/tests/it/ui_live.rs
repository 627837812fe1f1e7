//! The touch UI follows the administrator's live changes: a renamed centre shows on the home
//! screen, and an uploaded catalogue is searched, without restarting the kiosk. Headless UI
//! against a real queue authority in-process.

use kiosk::ui::headless::Headless;
use kiosk::ui::settings::UiSettings;
use kiosk::ui::HomeAdapter;
use serde_json::{json, Value};
use slint::ComponentHandle;
use std::time::Duration;

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn a_renamed_centre_and_a_new_catalogue_reach_the_running_kiosk() {
        let tmp = tempfile::tempdir().unwrap();
        let procedures = tmp.path().join("procedures.jsonl");
        std::fs::write(&procedures, "{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"Đăng ký khai sinh\"}\n").unwrap();
        let config = testkit::config::in_process(&tmp.path().join("q.db")).catalogue(&procedures).config();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(testkit::TestServer::start_at(config.clone(), testkit::monday_9am()));

        let display = Headless::install(1080, 1920).unwrap();
        let printer = kiosk::printing::open(&config);
        let kiosk = kiosk::ui::build_with_clock(&config, &server.url, printer, runtime.handle().clone(), &UiSettings::default(), server.clock.clone()).unwrap();
        kiosk.app.show().unwrap();
        let loaded = display.pump_until(Duration::from_secs(10), || kiosk.catalogue.lock().unwrap().as_ref().is_some_and(|c| c.len() == 1));
        assert!(loaded, "the first catalogue is loaded");
        assert_eq!(kiosk.app.global::<HomeAdapter>().get_centre(), config.centre.name.as_str());

        let http = reqwest::blocking::Client::new();
        let got: Value = http.get(server.api("/admin/settings")).bearer_auth(testkit::ADMIN).send().unwrap().json().unwrap();
        let mut settings = got["settings"].clone();
        settings["centre_name"] = json!("UBND phường Hoàn Kiếm");
        let put = http.put(server.api("/admin/settings")).bearer_auth(testkit::ADMIN).json(&json!({"version": 0, "settings": settings})).send().unwrap();
        assert_eq!(put.status(), 200);
        let renamed = display.pump_until(Duration::from_secs(10), || kiosk.app.global::<HomeAdapter>().get_centre() == "UBND phường Hoàn Kiếm");
        assert!(renamed, "the home screen shows the new name");

        let real = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/procedures.jsonl")).unwrap();
        let up = http.put(server.api("/admin/catalogue")).bearer_auth(testkit::ADMIN).body(real).send().unwrap();
        assert_eq!(up.status(), 200);
        let replaced = display.pump_until(Duration::from_secs(20), || kiosk.catalogue.lock().unwrap().as_ref().is_some_and(|c| c.len() == 2929));
        assert!(replaced, "the kiosk searches the uploaded catalogue");
        drop(kiosk);
        runtime.block_on(server.stop());
    }
}

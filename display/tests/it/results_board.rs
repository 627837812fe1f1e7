//! The results board on the headless platform against the stand-in one-stop system over real
//! HTTP: the first page, pages turning by themselves, a touch holding them, tabs, a lookup
//! typed on the on-screen keyboard, a system that goes away (the last data kept, said so), and
//! nothing private on screen. One test: Slint allows one platform per process.
use crate::support::tap_label;
use display::boards::headless::Headless;
use display::boards::results::{Results, ResultsSettings};
use display::boards::screens::{fixed_now, fixed_today, vietnam};
use display::boards::{LookupStage, ResultsAdapter};
use display::health::Health;
use shared::dossier::{
    demo, sample, Dossier, DossierPage, DossierSource, DossierStatus, HttpSource, HttpSourceConfig, ReceiptCode, SourceError,
};
use slint::{ComponentHandle, Model};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The real HTTP source, or, once `down`, the same source pointed at a port nobody listens on.
struct Switchable {
    up: HttpSource,
    gone: HttpSource,
    down: AtomicBool,
}

impl DossierSource for Switchable {
    fn lookup(&self, code: &ReceiptCode) -> Result<Option<Dossier>, SourceError> {
        if self.down.load(Ordering::SeqCst) {
            self.gone.lookup(code)
        } else {
            self.up.lookup(code)
        }
    }
    fn list(&self, status: DossierStatus, page: u32, per_page: u32) -> Result<DossierPage, SourceError> {
        if self.down.load(Ordering::SeqCst) {
            self.gone.list(status, page, per_page)
        } else {
            self.up.list(status, page, per_page)
        }
    }
}

fn http(url: String) -> HttpSource {
    HttpSource::new(&HttpSourceConfig { base_url: url, timeout: Duration::from_secs(2), token: None })
}

// Its own process: Slint allows one platform per process.
rusty_fork_test! {
    #[test]
    fn the_results_board_pages_holds_looks_up_and_keeps_data_when_the_system_is_away() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let set = sample::demo_set(fixed_today(), 300);
        let (router, _) = demo::router(set.clone());
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        rt.spawn(async move { axum::serve(listener, router).await });
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let source = Arc::new(Switchable { up: http(url), gone: http(format!("http://{closed}")), down: AtomicBool::new(false) });

        let hl = Headless::install(1920, 1080).unwrap();
        let settings = ResultsSettings {
            size: Some((1920, 1080)),
            snapshot: None,
            source: source.clone(),
            rows: 8,
            page: Duration::from_millis(150),
            refresh: Duration::from_secs(3600),
            hold: Duration::from_millis(1200),
            offset: vietnam(),
            clock: fixed_now,
            evaluations: None,
        };
        let (health, mut reports) = Health::new();
        let (results, window) = hl.create(1920, 1080, || Results::new(settings, "UBND phường", health)).unwrap();
        let a = results.ui.global::<ResultsAdapter>();
        let wait = |what: &str, f: &dyn Fn() -> bool| assert!(hl.pump_until(Duration::from_secs(20), f), "timed out: {what}");

        // The first page, then the pages turn by themselves (auto-scroll).
        wait("the first page", &|| results.showing().3.len() == 8);
        let ready_total = set.iter().filter(|d| d.status == DossierStatus::Ready).count() as u32;
        wait("page 2 by itself", &|| results.showing().1 == 2);
        assert_eq!(results.showing().2, ready_total.div_ceil(8));

        // Nothing private: every string the board holds is a masked name, a code, a procedure,
        // a date; no applicant's full name appears anywhere.
        let shown: Vec<String> = a.get_rows().iter().flat_map(|r| [r.code, r.name, r.procedure, r.appointment, r.extra]).map(|s| s.to_string()).collect();
        for d in &set {
            assert!(!shown.iter().any(|s| s.contains(&d.applicant)), "{} on screen", d.applicant);
        }
        for r in a.get_rows().iter() {
            let name = r.name.to_string();
            assert!(name.split(' ').skip(1).all(|w| w.ends_with('.') && w.chars().count() == 2), "{name} is not masked");
        }

        // A touch on "Sau ›" turns one page and holds the board still for `hold`.
        wait("auto-scroll to move on", &|| results.showing().1 >= 2);
        let before = results.showing().1;
        if results.showing().1 < results.showing().2 {
            tap_label(&hl, &results, &window, "Sau ›");
            wait("the next page", &|| results.showing().1 == before + 1);
            let held = results.showing();
            let until = Instant::now() + Duration::from_millis(600);
            // Four page periods: the board would have turned four times if not held.
            hl.pump_until(Duration::from_millis(600), || Instant::now() >= until);
            assert_eq!(results.showing().1, held.1, "a touch holds the pages");
        }

        // Another tab: overdue dossiers, with how late each is.
        tap_label(&hl, &results, &window, &format!("Quá hạn · {}", set.iter().filter(|d| d.status == DossierStatus::Overdue).count()));
        wait("the overdue tab", &|| results.showing().0 == 2 && !results.showing().3.is_empty() && a.get_rows().iter().all(|r| r.extra.starts_with("Trễ")));
        let overdue_codes: Vec<String> = set.iter().filter(|d| d.status == DossierStatus::Overdue).map(|d| d.code.clone()).collect();
        assert!(results.showing().3.iter().all(|c| overdue_codes.contains(c)));

        // A lookup typed on the on-screen keyboard: a code cut short is refused, the whole code
        // is found and shown masked.
        tap_label(&hl, &results, &window, "Tra cứu theo mã hồ sơ");
        assert!(a.get_lookup_open());
        for k in "000.00.06.H56".chars() {
            tap_label(&hl, &results, &window, &k.to_string());
        }
        tap_label(&hl, &results, &window, "Tra cứu");
        assert_eq!(a.get_stage(), LookupStage::Invalid);
        for k in "-231027-0361".chars() {
            tap_label(&hl, &results, &window, &k.to_string());
        }
        assert_eq!(a.get_code(), "000.00.06.H56-231027-0361");
        tap_label(&hl, &results, &window, "Tra cứu");
        wait("the dossier found", &|| a.get_stage() == LookupStage::Found);
        assert_eq!(a.get_found().name, "Nguyễn V. A.");
        assert!(a.get_found().extra.starts_with("Đã có kết quả"));
        tap_label(&hl, &results, &window, "Đóng");
        assert!(!a.get_lookup_open());

        // The one-stop system goes away: the rows shown stay, the footer says the data is old.
        let rows_before = results.showing().3;
        source.down.store(true, Ordering::SeqCst);
        tap_label(&hl, &results, &window, &format!("Đã có kết quả · {ready_total}"));
        wait("the problem said", &|| a.get_source_problem());
        assert!(a.get_status_line().contains("Chưa kết nối được hệ thống một cửa"), "{}", a.get_status_line());
        assert!(a.get_status_line().contains("dữ liệu lúc 09:41"));
        assert_eq!(results.showing().3, rows_before, "the last rows are kept");
        // And staff are told, through the display's health report.
        let mut problems = Vec::new();
        while let Ok((part, p)) = reports.try_recv() {
            problems.push((part, p.map(|p| p.code)));
        }
        assert!(problems.contains(&("results source".to_owned(), Some("onestop_unreachable"))), "{problems:?}");
        // And it comes back.
        source.down.store(false, Ordering::SeqCst);
        tap_label(&hl, &results, &window, "Sau ›");
        wait("the system back", &|| !a.get_source_problem() && results.showing().0 == 0);
    }
}

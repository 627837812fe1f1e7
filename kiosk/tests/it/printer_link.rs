//! The printer's link to the authority, end to end over HTTP with the simulated printer:
//! a paper-out reaches staff, and a reprint staff ask for comes out of this kiosk's printer.
use kiosk::printing::link::{self, ReportingPrinter};
use kiosk::printing::{Readiness, TicketPrinter};
use testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printer_trouble_reaches_staff_and_reprints_come_out_here() {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("printer");
    std::fs::create_dir_all(&paper).unwrap();
    let config = testkit::config::in_process(&dir.path().join("q.db")).simulated_printer(&paper).config();
    let s = TestServer::start_at(config.clone(), monday_9am()).await;
    let live = kiosk::printing::LiveConfig::new(config.clone());
    let (printer, health) = ReportingPrinter::new(kiosk::printing::open_live(live.clone()));
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(link::run(s.client(KIOSK), printer.clone(), health, live.clone(), Some("kiosk".into()), stop));

    // The roll runs out: the kiosk notices when it next asks, staff see it in the state.
    std::fs::write(paper.join("PAPER_END"), "").unwrap();
    let p = printer.clone();
    assert_eq!(tokio::task::spawn_blocking(move || p.readiness()).await.unwrap(), Readiness::Unable(kiosk::printing::Problem::PaperEnd));
    let staff = s.client(COUNTER);
    wait_until(10, "staff see the paper-out", || {
        let staff = staff.clone();
        async move { staff.state().await.unwrap().devices.iter().any(|d| d.device == "kiosk" && d.problem.as_deref() == Some("paper_end")) }
    })
    .await;

    // A new roll; staff ask for A001 again, and it comes out of this kiosk's printer.
    std::fs::remove_file(paper.join("PAPER_END")).unwrap();
    let p = printer.clone();
    assert_eq!(tokio::task::spawn_blocking(move || p.readiness()).await.unwrap(), Readiness::Ready);
    let a001 = s.client(KIOSK).issue("civil", None).await.unwrap();
    let res = s.http().post(s.api("/tickets/A001/reprint")).bearer_auth(COUNTER).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let paper2 = paper.clone();
    wait_until(10, "the reprint is printed", || {
        let paper = paper2.clone();
        async move { std::fs::read_dir(&paper).unwrap().flatten().any(|f| f.file_name().to_string_lossy().ends_with("-A001.png")) }
    })
    .await;
    wait_until(10, "staff see the printer working again", || {
        let staff = staff.clone();
        async move { staff.state().await.unwrap().devices.iter().any(|d| d.device == "kiosk" && d.ok) }
    })
    .await;

    // The administrator renames the centre and the service and changes the footer: the next
    // ticket this kiosk prints says so, without a restart.
    let admin = |r: reqwest::RequestBuilder| r.bearer_auth(ADMIN);
    let got: serde_json::Value = admin(s.http().get(s.api("/admin/settings"))).send().await.unwrap().json().await.unwrap();
    let mut settings = got["settings"].clone();
    settings["centre_name"] = "UBND phường Hoàn Kiếm".into();
    settings["services"][0]["name"] = "Hộ tịch – Chứng thực".into();
    settings["ticket"]["footer"] = serde_json::json!(["Cảm ơn quý khách."]);
    let put =
        admin(s.http().put(s.api("/admin/settings"))).json(&serde_json::json!({"version": 0, "settings": settings})).send().await.unwrap();
    assert_eq!(put.status(), 200);
    wait_until(10, "the kiosk takes the new settings", || {
        let live = live.clone();
        async move { live.get().centre.name == "UBND phường Hoàn Kiếm" }
    })
    .await;
    // The simulator keeps the last print of each number: the reprint replaces the file.
    let a001_file =
        std::fs::read_dir(&paper).unwrap().flatten().map(|f| f.path()).find(|p| p.to_string_lossy().ends_with("-A001.escpos")).unwrap();
    // A second reprint of one ticket is refused within `[console] reprint_interval_s` (30 s).
    s.clock.advance(chrono::Duration::seconds(31));
    let res = s.http().post(s.api("/tickets/A001/reprint")).bearer_auth(COUNTER).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let job = kiosk::printing::TicketJob {
        ticket_id: a001.id,
        number: "A001".into(),
        service_name: "Hộ tịch – Chứng thực".into(),
        priority_name: None,
        waiting_ahead: 0,
        estimated_wait_s: 0,
        issued_at: a001.issued_at,
        // The reprint carries the ticket's own key: the same QR code as the first print.
        key: a001.key.clone(),
    };
    let expected = kiosk::printing::encode_job(&live.get(), &job).unwrap();
    assert_ne!(expected, kiosk::printing::encode_job(&config, &job).unwrap(), "the new words change the ticket");
    // Compared whole, so a file caught half-written does not count.
    wait_until(10, "the reprint carries the new names and footer", || {
        let done = std::fs::read(&a001_file).is_ok_and(|b| b == expected);
        async move { done }
    })
    .await;
    let _ = stop_tx.send(true);
    task.await.unwrap();
    s.stop().await;
}

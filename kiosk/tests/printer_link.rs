//! The printer's link to the authority, end to end over HTTP with the simulated printer:
//! a paper-out reaches staff, and a reprint staff ask for comes out of this kiosk's printer.
mod common;
use common::*;
use kiosk::printing::link::{self, ReportingPrinter};
use kiosk::printing::{Readiness, TicketPrinter};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printer_trouble_reaches_staff_and_reprints_come_out_here() {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("printer");
    std::fs::create_dir_all(&paper).unwrap();
    let text = config_text(&dir.path().join("q.db")) + &format!("[printer.device]\nkind = \"simulator\"\ndir = \"{}\"\n", paper.display());
    let config = shared::config::Config::parse(&text).unwrap();
    let s = TestServer::start_with(config.clone(), Arc::new(kiosk::clock::ManualClock::new(monday_9am()))).await;
    let (printer, health) = ReportingPrinter::new(kiosk::printing::open(&config));
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(link::run(s.client(KIOSK), printer.clone(), health, Arc::new(config), "kiosk".into(), stop));

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
    s.client(KIOSK).issue("civil", None).await.unwrap();
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
    let _ = stop_tx.send(true);
    task.await.unwrap();
    s.stop().await;
}

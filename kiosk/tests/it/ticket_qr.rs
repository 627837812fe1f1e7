//! The QR code on a printed ticket, scanned back from the paper, opens that ticket's own page.
use kiosk::printing::{encode_job, TicketJob};

/// Every QR code on the paper, read as a phone's camera would.
fn codes(paper: &printer::Bitmap) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(paper.width() as usize, paper.height() as usize, |x, y| {
        if paper.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids().iter().map(|g| g.decode().expect("the QR code decodes").1).collect()
}

/// Proves the path a citizen takes: the number taken from the authority, printed with
/// `qr_url = ".../t/{key}"`, the code read back from the bytes the printer gets, and the address
/// it holds answering with that ticket's page. Also that a ticket without a key (issued before
/// keys existed) prints no code rather than a code that opens nothing.
#[test]
fn the_printed_qr_code_opens_the_tickets_page() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let server = runtime.block_on(testkit::TestServer::start(&tmp.path().join("queue.db")));
    let ticket = runtime.block_on(server.client(testkit::KIOSK).issue("civil", None)).unwrap();
    let config =
        testkit::config::in_process(std::path::Path::new(":memory:")).printer("qr_url", &format!("\"{}/t/{{key}}\"", server.url)).config();
    let job = TicketJob {
        ticket_id: ticket.id,
        number: ticket.number.clone(),
        service_name: "Hộ tịch".into(),
        priority_name: None,
        waiting_ahead: 0,
        estimated_wait_s: 0,
        issued_at: ticket.issued_at,
        key: ticket.key.clone(),
    };
    let paper = printer::decode(&encode_job(&config, &job).unwrap(), 576).unwrap();
    let url = codes(&paper).pop().expect("a QR code on the ticket");
    assert_eq!(url, format!("{}/t/{}", server.url, ticket.key.as_deref().unwrap()));
    let page = runtime.block_on(async { server.http().get(&url).send().await.unwrap().text().await.unwrap() });
    assert!(page.contains(">A001<"), "the page of the printed ticket");

    let keyless = TicketJob { key: None, ..job };
    let paper = printer::decode(&encode_job(&config, &keyless).unwrap(), 576).unwrap();
    assert!(codes(&paper).is_empty(), "no code without a key");
    runtime.block_on(server.stop());
}

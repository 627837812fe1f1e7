//! Bytes on the wire and encode time for the sample ticket, compact encodings against the naive
//! full-width raster. Build with `--release` for meaningful times:
//! `cargo run --release -p printer --bin printer-bench [RUNS]`.

use std::time::{Duration, Instant};

use printer::{encode, naive_raster, CodePage, Paper, Placement, Profile, TicketLayout};

const BAUD: f64 = 115_200.0;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    println!("sample ticket, median of {runs} runs; wire time at 115,200 baud, 10 bits per byte\n");
    println!("{:<6} {:<34} {:>8} {:>10} {:>9} {:>10}", "paper", "encoding", "bytes", "vs naive", "wire ms", "encode ms");
    for paper in [Paper::Mm80, Paper::Mm58] {
        let w = paper.width_dots();
        let ticket = TicketLayout::sample(paper);
        let layout_t = time(runs, || ticket.document().unwrap());
        let native_layout_t = time(runs, || ticket.document_native().unwrap());
        let doc = ticket.document().unwrap();
        let naive = naive_raster(&doc).unwrap().len();
        let text = |cp, qr: bool| Profile { text: Some(cp), supports_qr: qr, ..Profile::generic(w) };
        let variants = [
            ("naive full-width raster", None),
            ("raster text, printer draws QR", Some(Profile::epson(w))),
            ("raster text, QR as image", Some(Profile::generic(w))),
            ("raster text, GS L, printer QR", Some(Profile { placement: Placement::LeftMargin, ..Profile::epson(w) })),
            ("TCVN-3 text, printer draws QR", Some(text(CodePage::Tcvn3, true))),
            ("Windows-1258 text, printer QR", Some(text(CodePage::Cp1258, true))),
            ("Windows-1258 text, QR as image", Some(text(CodePage::Cp1258, false))),
        ];
        for (name, profile) in variants {
            let (bytes, t) = match &profile {
                None => (naive, time(runs, || naive_raster(&doc).unwrap())),
                Some(p) => {
                    let d = ticket.document_for(p).unwrap();
                    (encode(&d, p).unwrap().len(), time(runs, || encode(&d, p).unwrap()))
                }
            };
            let wire = bytes as f64 * 10.0 / BAUD * 1e3;
            let ratio = naive as f64 / bytes as f64;
            println!("{:<6} {:<34} {:>8} {:>9.1}x {:>9.0} {:>10.3}", format!("{paper:?}"), name, bytes, ratio, wire, ms(t));
        }
        println!(
            "{:<6} layout: raster text {:.3} ms, native text {:.3} ms; ticket {} dots = {:.0} mm of paper\n",
            format!("{paper:?}"),
            ms(layout_t),
            ms(native_layout_t),
            doc.height(),
            doc.height() as f64 / 8.0
        );
    }
}

//! Bytes on the wire and encode time for the sample ticket, compact encodings against the naive
//! full-width raster. Build with `--release` for meaningful times:
//! `cargo run --release -p printer --bin printer-bench [RUNS]`.

use std::time::{Duration, Instant};

use printer::{encode, naive_raster, Paper, Placement, Profile, TicketLayout};

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
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    println!("sample ticket, median of {runs} runs; wire time at 115,200 baud, 10 bits per byte\n");
    println!(
        "{:<6} {:<24} {:>8} {:>10} {:>9} {:>10}",
        "paper", "encoding", "bytes", "vs naive", "wire ms", "encode ms"
    );
    for paper in [Paper::Mm80, Paper::Mm58] {
        let w = paper.width_dots();
        let ticket = TicketLayout::sample(paper);
        let layout_t = time(runs, || ticket.document().unwrap());
        let doc = ticket.document().unwrap();
        let naive = naive_raster(&doc).unwrap().len();
        let variants = [
            ("naive full-width raster", None),
            ("compact, native QR", Some(Profile::epson(w))),
            ("compact, raster QR", Some(Profile::generic(w))),
            (
                "compact, GS L, native QR",
                Some(Profile {
                    placement: Placement::LeftMargin,
                    ..Profile::epson(w)
                }),
            ),
        ];
        for (name, profile) in variants {
            let (bytes, t) = match &profile {
                None => (naive, time(runs, || naive_raster(&doc).unwrap())),
                Some(p) => (
                    encode(&doc, p).unwrap().len(),
                    time(runs, || encode(&doc, p).unwrap()),
                ),
            };
            let wire = bytes as f64 * 10.0 / BAUD * 1e3;
            let ratio = naive as f64 / bytes as f64;
            println!(
                "{:<6} {:<24} {:>8} {:>9.1}x {:>9.0} {:>10.3}",
                format!("{paper:?}"),
                name,
                bytes,
                ratio,
                wire,
                ms(t)
            );
        }
        println!(
            "{:<6} layout (text + QR raster) {:>6.3} ms; ticket {} dots = {:.0} mm of paper\n",
            format!("{paper:?}"),
            ms(layout_t),
            doc.height(),
            doc.height() as f64 / 8.0
        );
    }
}

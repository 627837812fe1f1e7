//! Per-keystroke search latency, index build time and index size over the
//! real catalogue (2,929 procedures). A plain timing binary (`harness = false`)
//! rather than criterion: the figures wanted are percentiles per keystroke,
//! and the kiosk's target (< 5 ms per keystroke on a Raspberry Pi) is far
//! from the noise floor, so a dependency tree for statistics is not needed.
//!
//! Run: `cargo bench -p shared --bench search`; with `CATALOGUE=FILE` over another catalogue file
//! (the 6,700 records `cargo bench -p shared --bench import` writes, for one).

use std::hint::black_box;
use std::time::{Duration, Instant};

use shared::catalogue::{Catalogue, SearchOptions};

const PROCEDURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/procedures.jsonl");

/// Queries as citizens type them: plain, Telex leftovers, capitals, a code, and the way they
/// speak (an everyday name, an abbreviation, words run together, a slip: `speak.rs`).
const QUERIES: [&str; 14] = [
    "dang ky tam tru",
    "cap doi the can cuoc",
    "ho chieu pho thong",
    "giay phep xay dung",
    "tro cap that nghiep",
    "ddawng kys thuowngf truws",
    "DANG KY KHAI SINH",
    "chung thuc ban sao",
    "thanh lap ho kinh doanh",
    "1.004194",
    "so hong lan dau",
    "bhxh mot lan",
    "dangky kethon",
    "ho chieuu pho thong",
];
/// Each query is typed this many times, to get enough samples for a p99.
const ROUNDS: usize = 30;

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() {
    let path = std::env::var("CATALOGUE").unwrap_or_else(|_| PROCEDURES.to_owned());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));

    // Parse + index, from bytes already in memory.
    let mut loads = Vec::new();
    let mut cat = None;
    for _ in 0..10 {
        let t = Instant::now();
        cat = Some(Catalogue::load_jsonl(&bytes[..]).expect("loads"));
        loads.push(t.elapsed());
    }
    let cat = cat.expect("loaded");
    loads.sort();

    // The index alone, from records already parsed.
    let mut builds = Vec::new();
    for _ in 0..10 {
        let records = cat.procedures().to_vec();
        let t = Instant::now();
        black_box(Catalogue::from_procedures(records).expect("builds"));
        builds.push(t.elapsed());
    }
    builds.sort();

    // Per keystroke: every prefix of every query, one search each.
    // The first two keystrokes match the most words ("d" begins hundreds),
    // so they are the slow end; they are reported apart as well.
    let (mut keystrokes, mut first_two) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        for q in QUERIES {
            for (n, end) in q.char_indices().map(|(i, c)| i + c.len_utf8()).enumerate() {
                let typed = &q[..end];
                let t = Instant::now();
                black_box(cat.search(black_box(typed), SearchOptions::default()));
                let took = t.elapsed();
                keystrokes.push(took);
                if n < 2 {
                    first_two.push(took);
                }
            }
        }
    }
    keystrokes.sort();
    first_two.sort();

    println!("catalogue: {} procedures", cat.len());
    println!("load (parse + index), median of 10: {:.2} ms", micros(loads[5]) / 1000.0);
    println!("index build alone, median of 10:    {:.2} ms", micros(builds[5]) / 1000.0);
    println!("index memory (approx.):             {} KiB", cat.index_bytes() / 1024);
    println!(
        "per keystroke over {} searches: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        keystrokes.len(),
        micros(percentile(&keystrokes, 0.50)),
        micros(percentile(&keystrokes, 0.99)),
        micros(keystrokes[keystrokes.len() - 1]),
    );
    println!(
        "  of which the first two keystrokes: p50 {:.0} µs, p99 {:.0} µs",
        micros(percentile(&first_two, 0.50)),
        micros(percentile(&first_two, 0.99)),
    );
    for q in QUERIES {
        let hit = cat.search(q, SearchOptions::default()).into_iter().next();
        let shown = hit.map(|h| format!("{} {}", h.code, h.name)).unwrap_or_default();
        println!("  {q:28} → {}", shown.chars().take(70).collect::<String>());
    }
}

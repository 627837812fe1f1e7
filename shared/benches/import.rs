//! Importing the national catalogue's size in the portal's current format: 6,700 records (the
//! 2,929 real codes and names, then local variants), each shaped like the transcribed multi-case
//! record in `assets/catalogue/portal/` (three cases, three channels, fees, steps, legal basis),
//! spread over the real fields. Timed from a folder of one file per record (half in the portal's
//! envelope), as a download arrives, and from one JSON-lines file; then the written catalogue is
//! loaded and indexed as the kiosk does at start. The catalogue is left in
//! `target/bench/catalogue-6700.jsonl` for the search and window benches.
//!
//! Run: `cargo bench -p shared --bench import`

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use shared::catalogue::{Catalogue, Import};

const RECORDS: usize = 6_700;
const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue");

/// The process's peak resident memory so far (`VmHWM`), in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The 6,700 records: real codes and names first, then local variants of them.
fn records() -> Vec<Value> {
    let read = |name: &str| std::fs::read_to_string(Path::new(ASSETS).join(name)).expect("the demo catalogue is in assets/");
    let list: Vec<Value> = read("procedures.jsonl").lines().map(|l| serde_json::from_str(l).expect("a list record")).collect();
    let fields: Vec<Value> = read("fields.jsonl").lines().map(|l| serde_json::from_str(l).expect("a field")).collect();
    let envelope: Value = serde_json::from_str(&read("portal/1.004222.json")).expect("the transcribed record");
    let template = envelope["data"].clone();
    let real: HashSet<String> = list.iter().map(|r| r["code"].as_str().unwrap_or_default().to_owned()).collect();
    let mut spare = (0..).map(|n| format!("3.{:06}", 900_000 + n)).filter(|c| !real.contains(c));
    (0..RECORDS)
        .map(|i| {
            let base = &list[i % list.len()];
            let (code, name) = match i < list.len() {
                true => (base["code"].as_str().unwrap_or_default().to_owned(), base["name"].as_str().unwrap_or_default().to_owned()),
                false => (
                    spare.next().expect("codes to spare"),
                    format!("{} (thủ tục cấp tỉnh {})", base["name"].as_str().unwrap_or_default(), i / list.len()),
                ),
            };
            let field = &fields[i % fields.len()];
            let mut r = template.clone();
            r["code"] = json!(code);
            r["name"] = json!(name);
            r["categoriesDetails"] = json!([{ "id": field["id"], "name": field["name"], "code": field["id"].to_string() }]);
            r
        })
        .collect()
}

/// One import in a process of its own, so that its peak memory is the import's alone, not the
/// generator's: `import --child PATH` prints the peak in MiB.
fn child(path: &Path) {
    let mut im = Import::new();
    im.add_path(path);
    let catalogue = im.catalogue().expect("the import loads");
    std::hint::black_box((catalogue.len(), im.to_jsonl().len()));
    println!("{:.1}", peak_mib());
}

/// The kiosk's load of the written catalogue in a process of its own: `--load FILE` prints its
/// resident memory once loaded and its peak, in MiB.
fn load_alone(path: &Path) {
    let c = Catalogue::load_path(path).expect("loads");
    let rss = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss = rss.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    println!("{:.1} {:.1}", rss.unwrap_or(0.0) / 1024.0, peak_mib());
    std::hint::black_box(c);
}

fn peak_of_import(path: &Path) -> String {
    let out =
        std::process::Command::new(std::env::current_exe().expect("this bench")).arg("--child").arg(path).output().expect("the child runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(Path::new(&args[i + 1]));
    }
    if let Some(i) = args.iter().position(|a| a == "--load") {
        return load_alone(Path::new(&args[i + 1]));
    }
    let records = records();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("portal");
    std::fs::create_dir(&folder).expect("the folder");
    let mut lines = String::new();
    let mut bytes = 0usize;
    for (i, r) in records.iter().enumerate() {
        let text = if i % 2 == 0 { json!({ "code": "200", "message": "Thành công", "data": r }).to_string() } else { r.to_string() };
        bytes += text.len();
        std::fs::write(folder.join(format!("{i:05}.json")), &text).expect("a record file");
        lines.push_str(&r.to_string());
        lines.push('\n');
    }
    let jsonl = dir.path().join("portal.jsonl");
    std::fs::write(&jsonl, &lines).expect("the JSON-lines file");
    drop((records, lines));
    println!("{RECORDS} records, {:.1} MB as {} files (mean {:.1} KB)", bytes as f64 / 1e6, RECORDS, bytes as f64 / RECORDS as f64 / 1e3);

    let mut runs = Vec::new();
    let mut written = Vec::new();
    for round in 0..3 {
        for (what, path) in [("folder of 6,700 files", &folder), ("one JSON-lines file", &jsonl)] {
            let t = Instant::now();
            let mut im = Import::new();
            im.add_path(path);
            let read = t.elapsed();
            written = im.to_jsonl();
            let catalogue = im.catalogue().expect("the import loads");
            let total = t.elapsed();
            assert_eq!((catalogue.len(), im.skipped().len()), (RECORDS, 0), "{:?}", im.skipped().first());
            runs.push((what, read, total));
            if round == 0 {
                println!("  {what}: peak memory of an import alone (its own process): {} MiB", peak_of_import(path));
            }
        }
    }
    for what in ["folder of 6,700 files", "one JSON-lines file"] {
        let mut read: Vec<f64> = runs.iter().filter(|r| r.0 == what).map(|r| ms(r.1)).collect();
        let mut total: Vec<f64> = runs.iter().filter(|r| r.0 == what).map(|r| ms(r.2)).collect();
        read.sort_by(f64::total_cmp);
        total.sort_by(f64::total_cmp);
        println!(
            "import from a {what}, median of 3: read and convert {:.0} ms; with writing, reading back and indexing {:.0} ms",
            read[1], total[1]
        );
    }

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).expect("target/bench");
    let file = out.join("catalogue-6700.jsonl");
    std::fs::write(&file, &written).expect("the catalogue");
    let mut loads: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let c = Catalogue::load_path(&file).expect("loads");
            assert_eq!(c.len(), RECORDS);
            ms(t.elapsed())
        })
        .collect();
    loads.sort_by(f64::total_cmp);
    let c = Catalogue::load_path(&file).expect("loads");
    println!(
        "the catalogue written: {:.1} MB; the kiosk's load and index of it, median of 5: {:.0} ms; index about {} KiB",
        written.len() as f64 / 1e6,
        loads[2],
        c.index_bytes() / 1024
    );
    let out =
        std::process::Command::new(std::env::current_exe().expect("this bench")).arg("--load").arg(&file).output().expect("the child runs");
    let said = String::from_utf8_lossy(&out.stdout);
    let mut figures = said.split_whitespace();
    println!(
        "  memory of a process that loads it (summaries and index): resident {} MiB once loaded, peak {} MiB",
        figures.next().unwrap_or("?"),
        figures.next().unwrap_or("?")
    );
    println!("written to {} (search it: CATALOGUE={} cargo bench -p shared --bench search)", file.display(), file.display());
}

//! Embeds the staff console's pages (`web/`) into the library (included by
//! `authority::console::web`), so a page added there is served with no change to the Rust code
//! and the binary needs no files beside it.
//!
//! A page's line `<!-- include NAME.part.html -->` is replaced by that part, here, once: the
//! staff pages share one header (brand, navigation, language, sign-out) without a template
//! engine or a script that draws it late. Parts are not served themselves.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PART: &str = ".part.html";

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut out = String::from("pub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for n in names.iter().filter(|n| !n.ends_with(PART)) {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        let embedded = if n.ends_with(".html") { assemble(&dir, n, &out_dir) } else { path };
        writeln!(out, "    ({n:?}, include_bytes!({:?})),", embedded.display().to_string()).expect("writing to a string");
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("console_files.rs"), out).expect("writing console_files.rs");
}

/// The page `name` with its include lines replaced, written into OUT_DIR; its path there.
fn assemble(dir: &Path, name: &str, out_dir: &Path) -> PathBuf {
    let page = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("web/{name}: {e}"));
    let mut html = String::with_capacity(page.len() * 2);
    for line in page.split_inclusive('\n') {
        let include = line.trim().strip_prefix("<!-- include ").and_then(|r| r.strip_suffix(" -->"));
        match include {
            Some(part) => {
                assert!(part.ends_with(PART) && !part.contains('/'), "web/{name}: `{part}` is not a part of web/ (NAME{PART})");
                let text = std::fs::read_to_string(dir.join(part)).unwrap_or_else(|e| panic!("web/{name} includes web/{part}: {e}"));
                html.push_str(&text);
            }
            None => html.push_str(line),
        }
    }
    let dest = out_dir.join(name);
    std::fs::write(&dest, html).unwrap_or_else(|e| panic!("writing {}: {e}", dest.display()));
    dest
}

//! Compiles the touch UI's .slint files into Rust (included by `kiosk::ui`), and embeds the staff
//! console's pages (`src/console/web/`) into the binary (included by `kiosk::console::web`).
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The Fluent style is only used for its palette defaults; every control the citizen
    // touches is drawn by the kiosk's own components, at the kiosk's own sizes.
    // Debug info lets the UI tests find buttons by their accessible label (ElementHandle);
    // it costs a few names per element in the binary.
    let config = slint_build::CompilerConfiguration::new().with_style("fluent-light".into()).with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config).expect("the kiosk's .slint files compile");
    embed_console();
}

/// Writes `console_files.rs`: a table of every file of `src/console/web/` (name → bytes), so a
/// page added there is served with no change to the Rust code, and the binary needs no files
/// beside it.
fn embed_console() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/console/web");
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
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({n:?}, include_bytes!({:?})),", path.display().to_string()).expect("writing to a string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("console_files.rs");
    std::fs::write(dest, out).expect("writing console_files.rs");
}

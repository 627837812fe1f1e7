//! `display-screens DIR`: draws the display's pictures into DIR with the real renderers and
//! controllers: the hall board (1920×1080 and 1280×720, online and offline), the results board
//! (a listing and a lookup) against the stand-in one-stop system over HTTP, and a counter
//! screen. The README shows them; the golden tests compare against them.
fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: display-screens DIR");
        return std::process::ExitCode::from(2);
    };
    match display::boards::screens::draw_all(std::path::Path::new(&dir)) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("display-screens: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

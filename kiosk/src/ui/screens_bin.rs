//! `kiosk-screens DIR`: draws every screen and state of the kiosk's touch UI into
//! DIR/kiosk-*.png (the README's pictures come from `kiosk-screens images`).
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: kiosk-screens DIR");
        return ExitCode::from(2);
    };
    match kiosk::ui::screens::render_all(&PathBuf::from(dir)) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kiosk-screens: {e}");
            ExitCode::from(1)
        }
    }
}

//! `display`: the display controller's command line (DESIGN.md, "Command line").
//!
//! A thin layer over the library: parse the arguments, call it, map the outcome
//! to the exit statuses of [`display::exit`]. Without a subcommand it runs the controller
//! (`--config F`, else `$DISPLAY_CONFIG`) until SIGTERM or Ctrl-C.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use display::exit;
use shared::text::Dialect;

#[derive(Parser)]
#[command(
    name = "display",
    version,
    about = "The queue appliance's display controller"
)]
struct Cli {
    /// The configuration file (TOML).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print every voice clip name a call can use, one a line (assets/voice/generate.sh).
    ClipNames,
    /// Print the Vietnamese sentence that the voice call speaks for a ticket.
    AnnounceText {
        /// The ticket number, letters then digits, e.g. A012.
        number: String,
        /// The counter number.
        counter: u32,
        /// The regional reading of numbers.
        #[arg(long, value_enum, default_value_t = DialectArg::North)]
        dialect: DialectArg,
    },
}

/// Mirrors [`Dialect`] so that `shared` needs no clap dependency.
#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    North,
    South,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::North => Dialect::North,
            DialectArg::South => Dialect::South,
        }
    }
}

fn main() -> ExitCode {
    // clap prints its own errors and exits 2 for bad usage, 0 for --help.
    let cli = Cli::parse();
    match cli.command {
        Some(Command::AnnounceText {
            number,
            counter,
            dialect,
        }) => match display::announce_text(&number, counter, dialect.into()) {
            Ok(sentence) => match print_line(&sentence) {
                Ok(()) => ExitCode::from(exit::OK),
                Err(e) => {
                    eprintln!("display: {e:#}");
                    ExitCode::from(exit::FAILURE)
                }
            },
            Err(e) => {
                eprintln!("display: {e}");
                ExitCode::from(exit::USAGE)
            }
        },
        Some(Command::ClipNames) => {
            let names: Vec<String> = display::voice::clips::all_clip_names().into_iter().collect();
            match print_line(&names.join("\n")) {
                Ok(()) => ExitCode::from(exit::OK),
                Err(e) => {
                    eprintln!("display: {e:#}");
                    ExitCode::from(exit::FAILURE)
                }
            }
        }
        None => controller(cli.config),
    }
}

/// Loads the configuration (exit 2 when it is bad) and runs the controller.
fn controller(path: Option<PathBuf>) -> ExitCode {
    let Some(path) = path.or_else(|| std::env::var_os("DISPLAY_CONFIG").map(PathBuf::from)) else {
        eprintln!("display: no configuration: pass --config FILE or set DISPLAY_CONFIG");
        return ExitCode::from(exit::USAGE);
    };
    let config = match display::config::Config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("display: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    match serve(config) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("display: {e:#}");
            ExitCode::from(exit::FAILURE)
        }
    }
}

fn serve(config: display::config::Config) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        // Two workers are plenty for one stream and a few screens on a Pi.
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).context("installing the SIGTERM handler")?;
        let run = display::run(config, rx);
        tokio::pin!(run);
        tokio::select! {
            r = &mut run => return r.context("running the display controller"),
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        tracing::info!("stopping");
        let _ = tx.send(true);
        run.await.context("stopping the display controller")
    })
}

/// Writes one line to stdout, reporting a closed pipe as an error instead of
/// the panic that `println!` would raise.
fn print_line(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

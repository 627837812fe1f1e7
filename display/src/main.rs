//! `display`: the display controller's command line (DESIGN.md, "Command line").
//!
//! A thin layer over the library: parse the arguments, call it, map the outcome
//! to the exit statuses of [`display::exit`].

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
        None => {
            // The controller will load `cli.config` once it exists (issue 5).
            let _config = cli.config;
            eprintln!("display: the display controller is not built yet; see issue 5");
            ExitCode::from(exit::FAILURE)
        }
    }
}

/// Writes one line to stdout, reporting a closed pipe as an error instead of
/// the panic that `println!` would raise.
fn print_line(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

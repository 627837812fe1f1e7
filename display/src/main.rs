//! `display`: the display controller's command line (`--config F`, `announce-text`, `clip-names`).
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
#[command(name = "display", version, about = "The queue appliance's display controller")]
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
        Some(Command::AnnounceText { number, counter, dialect }) => match display::announce_text(&number, counter, dialect.into()) {
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
    let spec = boards_spec(&config, rt.handle())?;
    let wiring = std::sync::Arc::new(display::Wiring::new());
    let (tx, rx) = tokio::sync::watch::channel(false);
    let tx = std::sync::Arc::new(tx);
    let stop = tx.clone();
    let w = wiring.clone();
    let has_boards = spec.as_ref().is_some_and(|s| !s.halls.is_empty() || !s.results.is_empty());
    let (boards_wanted, ui_done) = (has_boards, std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)));
    let ui_done2 = ui_done.clone();
    // The controller and the signals on the tokio workers; the boards, if any, on this thread.
    // SIGTERM's handler before any window shows, so an early stop is a clean one.
    let mut term = {
        let _runtime = rt.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).context("installing the SIGTERM handler")?
    };
    let controller = rt.spawn(async move {
        let run = display::run_on(config, rx, display::Probes::default(), &w);
        tokio::pin!(run);
        let r = tokio::select! {
            r = &mut run => r.context("running the display controller"),
            _ = term.recv() => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        };
        tracing::info!("stopping");
        let _ = tx.send(true);
        // Ends the boards' event loop (whatever ended the controller), asked again until it
        // has ended: a controller that fails at start may be faster than the loop's start.
        if boards_wanted {
            tokio::spawn(async move {
                while !ui_done2.load(std::sync::atomic::Ordering::SeqCst) {
                    display::boards::quit();
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            });
        }
        r?;
        run.await.context("stopping the display controller")
    });
    if !has_boards {
        // No board, no UI thread: the controller's runtime is what there is to prove alive.
        rt.spawn(shared::notify::ready_and_ping_while_running());
    }
    if let Some(spec) = spec.filter(|_| has_boards) {
        let boards = display::boards::run(spec, wiring.model.subscribe(), rt.handle().clone(), wiring.health.clone(), None);
        ui_done.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Err(e) = boards {
            controller.abort();
            return Err(e).context("running the boards");
        }
        // The windows were closed (or the controller stopped them): stop the controller too.
        let _ = stop.send(true);
    }
    rt.block_on(controller).context("the controller task")?
}

/// The Slint boards of the configuration, with their sources opened; a results board sends
/// citizens' evaluations to the authority with the display's token, on `runtime`.
fn boards_spec(config: &display::config::Config, runtime: &tokio::runtime::Handle) -> anyhow::Result<Option<display::boards::Spec>> {
    use display::boards::evaluation::{AuthorityEvaluations, Evaluations};
    use display::boards::{hall::HallSettings, results::ResultsSettings, Spec};
    use display::config::Output;
    use shared::dossier::{CachedSource, DossierSource, HttpSource, HttpSourceConfig};
    let offset = config.boards.offset();
    let mut spec = Spec { halls: Vec::new(), results: Vec::new(), windowed: config.boards_windowed() };
    for o in &config.outputs {
        match o {
            Output::Hall { snapshot, width, height, notices, earlier, flash_s, .. } => spec.halls.push(HallSettings {
                size: width.zip(*height),
                snapshot: snapshot.clone(),
                notices: notices.clone(),
                earlier: *earlier,
                flash: std::time::Duration::from_secs(*flash_s),
                offset,
            }),
            Output::Results {
                snapshot, width, height, source, source_token, source_timeout_s, rows, page_s, refresh_s, hold_s, ..
            } => {
                let http = HttpSource::new(&HttpSourceConfig {
                    base_url: source.clone(),
                    timeout: std::time::Duration::from_secs(*source_timeout_s),
                    token: source_token.clone(),
                });
                let cached = CachedSource::new(http, std::time::Duration::from_secs(120), 512);
                spec.results.push(ResultsSettings {
                    size: width.zip(*height),
                    snapshot: snapshot.clone(),
                    source: std::sync::Arc::new(cached) as std::sync::Arc<dyn DossierSource>,
                    rows: *rows,
                    page: std::time::Duration::from_secs(*page_s),
                    refresh: std::time::Duration::from_secs(*refresh_s),
                    hold: std::time::Duration::from_secs(*hold_s),
                    offset,
                    clock: chrono::Utc::now,
                    evaluations: Some(std::sync::Arc::new(AuthorityEvaluations {
                        client: config.authority.client().build().context("the authority's client, for evaluations")?,
                        runtime: runtime.clone(),
                    }) as std::sync::Arc<dyn Evaluations>),
                });
            }
            _ => {}
        }
    }
    Ok(Some(spec))
}

/// Writes one line to stdout, reporting a closed pipe as an error instead of
/// the panic that `println!` would raise.
fn print_line(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|()| out.flush()).context("writing to stdout")
}

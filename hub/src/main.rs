//! `hub`: the province hub's command line. `hub migrate`, `hub serve`, `hub catalogue publish`,
//! `hub hash-password`. Exit status 0 on success, 2 on bad usage or configuration (or a
//! database that needs `hub migrate`), 1 on other failures; errors on stderr.
use anyhow::Context;
use clap::{Parser, Subcommand};
use hub::config::HubConfig;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "hub", about = "The province hub: the centres' event logs in PostgreSQL, province reports")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Applies the pending database migrations (safe to run from several places at once).
    Migrate {
        #[arg(long)]
        config: PathBuf,
    },
    /// Serves the hub's API.
    Serve {
        #[arg(long)]
        config: PathBuf,
        /// Listen here instead of `[server] listen`.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// The procedure catalogue the centres download.
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCmd,
    },
    /// Reads a password from stdin and prints its Argon2id PHC string (for `[[accounts]]`).
    HashPassword,
}

#[derive(Subcommand)]
enum CatalogueCmd {
    /// Checks FILE with the catalogue loader and publishes it as the newest version.
    Publish {
        #[arg(long)]
        config: PathBuf,
        file: PathBuf,
    },
}

/// A failure with its exit status.
struct Failure(u8, anyhow::Error);

fn usage(e: impl Into<anyhow::Error>) -> Failure {
    Failure(2, e.into())
}
fn other(e: impl Into<anyhow::Error>) -> Failure {
    Failure(1, e.into())
}

fn load(path: &Path) -> Result<HubConfig, Failure> {
    HubConfig::load(path).map_err(usage)
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(other)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, e)) => {
            eprintln!("hub: {e:#}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Cmd::Migrate { config } => {
            let config = load(&config)?;
            runtime()?.block_on(async {
                let mut client = hub::db::connect(&config.database).await.map_err(other)?;
                let done = hub::migrate::migrate(&mut client).await.map_err(|e| match e {
                    hub::migrate::MigrateError::Db(_) => other(e),
                    _ => usage(e),
                })?;
                match done.as_slice() {
                    [] => println!("the database is up to date"),
                    v => println!("applied migrations {v:?}"),
                }
                Ok(())
            })
        }
        Cmd::Serve { config, listen } => {
            let mut config = load(&config)?;
            if let Some(l) = listen {
                if let Some(why) = config.server.refuse_listen(l) {
                    return Err(usage(anyhow::anyhow!(why)));
                }
                config.server.listen = l;
            }
            runtime()?.block_on(async {
                let listener = tokio::net::TcpListener::bind(config.server.listen)
                    .await
                    .with_context(|| format!("cannot listen on {}", config.server.listen))
                    .map_err(other)?;
                // The authority's form of the line, which scripts and tests wait for.
                let scheme = if config.server.tls() { "https" } else { "http" };
                tracing::info!("hub listening on {scheme}://{}", listener.local_addr().map_err(other)?);
                hub::run(config, listener, hub::system_clock(), authority::shutdown_signal())
                    .await
                    .map_err(|e| Failure(e.exit_code() as u8, e.into()))
            })
        }
        Cmd::Catalogue { command: CatalogueCmd::Publish { config, file } } => {
            let config = load(&config)?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display())).map_err(usage)?;
            let catalogue = shared::catalogue::Catalogue::load_bytes(&bytes)
                .with_context(|| format!("{} is not a procedure catalogue", file.display()))
                .map_err(usage)?;
            let body = String::from_utf8(bytes).context("the catalogue is not UTF-8").map_err(usage)?;
            runtime()?.block_on(async {
                let client = hub::db::connect(&config.database).await.map_err(other)?;
                hub::migrate::check(&client).await.map_err(usage)?;
                drop(client);
                let pool = hub::db::pool(&config.database).map_err(other)?;
                let (version, etag) = hub::api::publish_catalogue(&pool, &body).await.map_err(other)?;
                println!("published catalogue version {version} ({} procedures), ETag {etag}", catalogue.len());
                Ok(())
            })
        }
        Cmd::HashPassword => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("reading the password from stdin").map_err(other)?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return Err(usage(anyhow::anyhow!("an empty password")));
            }
            let cost = authority::console::password::Cost { memory_kib: 19 * 1024, passes: 2 };
            println!("{}", authority::console::password::hash(password, cost).map_err(other)?);
            Ok(())
        }
    }
}

//! The `kiosk` binary: parses the command line and hands over to the library.
use anyhow::Context;
use clap::{Parser, Subcommand};
use kiosk::cli::ClientCommand;
use shared::client::Client;
use shared::config::Config;
use shared::console::AccountRole;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const DEFAULT_CONFIG: &str = "/etc/motcua/kiosk.toml";

#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about = "Queue-ticket kiosk and queue authority for one-stop counters")]
struct Cli {
    /// Configuration file (else $KIOSK_CONFIG, else /etc/motcua/kiosk.toml).
    #[arg(long, global = true, env = "KIOSK_CONFIG")]
    config: Option<PathBuf>,
    /// Base URL of the queue authority, for the client commands.
    #[arg(long, global = true, env = "KIOSK_URL", default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Bearer token, for the client commands.
    #[arg(long, global = true, env = "KIOSK_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print the API's JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the queue authority alone, headless: HTTP API and event stream.
    Serve {
        /// Listen address, overriding [server] listen.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Database file, overriding [store] path.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Write the ESC/POS bytes of a sample ticket (A123, the first service) as the printer
    /// would receive them.
    PrintSample {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Paper width in mm, overriding [printer] paper.
        #[arg(long, value_parser = paper_mm)]
        paper: Option<u32>,
    },
    /// Console accounts, written straight into the store (the server must be stopped: it holds
    /// the store; while it runs, use the console or the admin API).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Print the argon2 hash of a staff PIN, for `[kiosk] admin_pin_hash`. The PIN (6 to 12
    /// digits, not one digit repeated nor a run like 123456) is read from standard input, so it
    /// stays out of the shell history and the process list.
    HashPin,
    #[command(flatten)]
    Client(ClientCommand),
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Create an account; the password is read from standard input (one line).
    Add {
        /// Sign-in name: 3 to 32 of a-z 0-9 . _ - starting with a letter.
        #[arg(long)]
        login: String,
        /// The person's name as shown to others.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = account_role)]
        role: AccountRole,
        /// Counters a staff account may serve, e.g. 1,2 (none: any).
        #[arg(long, value_delimiter = ',')]
        counters: Vec<String>,
        /// Read the password from standard input (the only way: never on the command line,
        /// where other users of the machine could read it).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Succeed without change when the login exists already (for set-up scripts).
        #[arg(long)]
        if_missing: bool,
        /// Database file, overriding [store] path.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// List the accounts.
    List {
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

/// `--paper`: the two widths of thermal paper, parsed once here.
fn paper_mm(s: &str) -> Result<u32, String> {
    match s {
        "80" => Ok(80),
        "58" => Ok(58),
        _ => Err("80 or 58 (mm)".into()),
    }
}

/// `--role`: staff or admin.
fn account_role(s: &str) -> Result<AccountRole, String> {
    AccountRole::parse(s).ok_or_else(|| "staff or admin".into())
}

/// Exit status of the contract: 2 for bad usage or configuration, 1 for other failures.
enum Failure {
    Usage(anyhow::Error),
    Other(anyhow::Error),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kiosk: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => {
            eprintln!("kiosk: {e:#}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("kiosk: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn load_config(path: Option<PathBuf>) -> Result<Config, Failure> {
    let path = path.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    Config::load(&path).map_err(|e| Failure::Usage(e.into()))
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => {
            // The whole kiosk: the authority on the runtime's threads, the touch UI on this
            // (the main) thread, the printer behind the UI.
            let config = load_config(cli.config)?;
            kiosk::printing::load_logo(&config).map_err(|e| Failure::Usage(e.into()))?;
            if !kiosk::ui::window::display_available() {
                tracing::warn!("no display (neither DISPLAY nor WAYLAND_DISPLAY is set): serving the queue authority headless, without the touch UI; the printer still prints the reprints staff ask for");
                return serve_headless_kiosk(config).await;
            }
            let listener = listen(config.server.listen).await?;
            let url = kiosk::ui::window::local_url(listener.local_addr().map_err(|e| Failure::Other(e.into()))?);
            // The authority stops on SIGTERM/Ctrl-C (closing the window too) or when the window closes.
            let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
            let shutdown = async move {
                tokio::select! {
                    _ = authority::shutdown_signal() => kiosk::ui::window::quit(),
                    _ = closed_rx => {}
                }
            };
            let clock = Arc::new(authority::clock::SystemClock);
            let server = tokio::spawn(authority::run(config.clone(), listener, clock, shutdown));
            let (printer, link_stop) = printer_link(&config, &url);
            let runtime = tokio::runtime::Handle::current();
            // The Slint event loop blocks this thread until staff leave kiosk mode (or SIGTERM).
            let ui = tokio::task::block_in_place(|| kiosk::ui::window::run(&config, &url, printer, runtime));
            let _ = link_stop.send(true);
            let _keep_serving = match ui {
                Ok(()) => {
                    let _ = closed_tx.send(());
                    None
                }
                Err(e) => {
                    tracing::error!("cannot open the touch UI ({e}): serving the queue authority headless");
                    Some(closed_tx)
                }
            };
            ended(server.await)
        }
        Some(Command::Serve { listen, db }) => {
            let mut config = load_config(cli.config)?;
            if let Some(l) = listen {
                config.server.listen = l;
            }
            if let Some(db) = db {
                config.store.path = db;
            }
            serve(config).await
        }
        Some(Command::PrintSample { out, paper }) => {
            let mut config = load_config(cli.config)?;
            if let Some(p) = paper {
                config.printer.paper = p;
            }
            kiosk::printing::load_logo(&config).map_err(|e| Failure::Usage(e.into()))?;
            let job = kiosk::printing::sample_job(&config);
            let bytes = kiosk::printing::encode_job(&config, &job).context("encoding the sample ticket").map_err(Failure::Other)?;
            std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display())).map_err(Failure::Other)?;
            eprintln!("{} bytes for a {} mm ticket written to {}", bytes.len(), config.printer.paper, out.display());
            Ok(())
        }
        Some(Command::Account(cmd)) => account(load_config(cli.config)?, cmd),
        Some(Command::HashPin) => hash_pin(),
        Some(Command::Client(cmd)) => {
            let client = Client::new(&cli.url, cli.token);
            kiosk::cli::run(&client, cmd, cli.json).await.map_err(|e| Failure::Other(e.into()))
        }
    }
}

fn account(mut config: Config, cmd: AccountCommand) -> Result<(), Failure> {
    use authority::console::accounts::{prepare, NewAccount};
    use shared::console::Audit;
    let db = match &cmd {
        AccountCommand::Add { db, .. } | AccountCommand::List { db } => db.clone(),
    };
    if let Some(db) = db {
        config.store.path = db;
    }
    let path = config.store.path.clone();
    let mut store = authority::open_store(&path)
        .with_context(|| {
            format!("cannot open the store {} (if the server is running, use the console or the admin API instead)", path.display())
        })
        .map_err(Failure::Other)?;
    match cmd {
        AccountCommand::List { .. } => {
            for a in store.accounts().context("reading the accounts").map_err(Failure::Other)? {
                let counters = if a.counters.is_empty() { "any".to_owned() } else { a.counters.join(",") };
                let state = if a.disabled { "  (disabled)" } else { "" };
                println!("{:<20} {:<6} {:<10} {}{state}", a.login, a.role.code(), counters, a.name);
            }
            Ok(())
        }
        AccountCommand::Add { login, name, role, counters, if_missing, .. } => {
            if store.account(&login).context("reading the accounts").map_err(Failure::Other)?.is_some() {
                return if if_missing {
                    eprintln!("account {login} exists already: left as it is");
                    Ok(())
                } else {
                    Err(Failure::Other(anyhow::anyhow!("account {login} exists already")))
                };
            }
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("reading the password from standard input").map_err(Failure::Other)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            // The store's own clock, not a test clock: this runs outside the server.
            let now = chrono::Utc::now();
            let new = NewAccount { login: login.clone(), name, role, counters, password };
            // Counters as the administrator's settings have them, not only as the file does.
            let (_, effective) = authority::owner::effective_config(&store, Arc::new(config))
                .context("reading the stored settings")
                .map_err(Failure::Other)?;
            let account = prepare(&effective, new, now).map_err(|e| Failure::Usage(e.into()))?;
            let audit = Audit::new("cli", "account_created").target(login.clone()).detail(format!("role {}", role.code()));
            store.put_account(&account, true, now, Some(&audit)).context("writing the account").map_err(Failure::Other)?;
            eprintln!("account {login} ({}) created", role.code());
            Ok(())
        }
    }
}

/// The kiosk's printer and its link to the authority at `url`: staff see the printer's health
/// and have tickets printed again here; tickets are laid out with the administrator's settings
/// as they stand (the link keeps them current). Sending `true` stops the link.
fn printer_link(config: &Config, url: &str) -> (Arc<kiosk::printing::link::ReportingPrinter>, tokio::sync::watch::Sender<bool>) {
    let live = kiosk::printing::LiveConfig::new(config.clone());
    let (printer, health) = kiosk::printing::link::ReportingPrinter::new(kiosk::printing::open_live(live.clone()));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let device = config.auth.tokens.iter().find(|t| t.role == shared::config::Role::Kiosk).map(|t| t.name.clone());
    match device {
        Some(device) => {
            let client = Client::new(url, kiosk::ui::kiosk_token(config));
            tokio::spawn(kiosk::printing::link::run(client, printer.clone(), health, live, device, stopped));
        }
        None => tracing::warn!("no [[auth.tokens]] of role kiosk: the printer's health is not reported to staff"),
    }
    (printer, stop)
}

/// `kiosk --config F` with no display: the authority and the printer (reprints, health), no UI.
async fn serve_headless_kiosk(config: Config) -> Result<(), Failure> {
    let listener = listen(config.server.listen).await?;
    let url = kiosk::ui::window::local_url(listener.local_addr().map_err(|e| Failure::Other(e.into()))?);
    let clock = Arc::new(authority::clock::SystemClock);
    let server = tokio::spawn(authority::run(config.clone(), listener, clock, authority::shutdown_signal()));
    let (_printer, link_stop) = printer_link(&config, &url);
    let served = server.await;
    let _ = link_stop.send(true);
    ended(served)
}

async fn listen(addr: SocketAddr) -> Result<tokio::net::TcpListener, Failure> {
    tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}")).map_err(Failure::Other)
}

/// How the authority's task ended, as the binary reports it.
fn ended(joined: Result<Result<(), authority::ServeError>, tokio::task::JoinError>) -> Result<(), Failure> {
    match joined {
        Ok(served) => served.context("the queue authority failed").map_err(Failure::Other),
        Err(e) => Err(Failure::Other(anyhow::anyhow!("the queue authority task failed: {e}"))),
    }
}

async fn serve(config: Config) -> Result<(), Failure> {
    let listener = listen(config.server.listen).await?;
    let clock = Arc::new(authority::clock::SystemClock);
    authority::run(config, listener, clock, authority::shutdown_signal())
        .await
        .context("the queue authority failed")
        .map_err(Failure::Other)
}

/// `kiosk hash-pin`: one line from standard input → the PHC string on standard output.
fn hash_pin() -> Result<(), Failure> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        eprint!("Staff PIN ({} to {} digits), then Enter: ", kiosk::pin::MIN_DIGITS, kiosk::pin::MAX_DIGITS);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the PIN from standard input").map_err(Failure::Other)?;
    let pin = line.trim_end_matches(['\n', '\r']);
    match kiosk::pin::hash(pin) {
        Ok(phc) => {
            println!("{phc}");
            eprintln!("Put it in the configuration: [kiosk] admin_pin_hash = \"{phc}\"");
            Ok(())
        }
        Err(kiosk::pin::PinError::Weak(w)) => Err(Failure::Usage(anyhow::anyhow!("PIN refused: {w}"))),
        Err(e) => Err(Failure::Other(e.into())),
    }
}

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
    /// The centre's CA (ca.pem), the only one trusted for an https --url.
    #[arg(long, global = true, env = "KIOSK_CA")]
    ca: Option<PathBuf>,
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
        /// The issue time printed, in RFC 3339 (2026-12-04T09:00:00+07:00); by default now. A
        /// fixed time makes the bytes reproducible: the same ticket on every machine and build.
        #[arg(long, value_parser = rfc3339)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Console accounts, written straight into the store (the server must be stopped: it holds
    /// the store; while it runs, use the console or the admin API).
    #[command(subcommand)]
    Account(AccountCommand),
    /// The centre's TLS certificates.
    #[command(subcommand)]
    Tls(TlsCommand),
    /// The procedure catalogue.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Print the argon2 hash of a staff PIN, for `[kiosk] admin_pin_hash`. The PIN (6 to 12
    /// digits, not one digit repeated nor a run like 123456) is read from standard input, so it
    /// stays out of the shell history and the process list.
    HashPin,
    #[command(flatten)]
    Client(ClientCommand),
}

#[derive(Debug, Subcommand)]
enum CatalogueCommand {
    /// Read procedure records as the national portal publishes them (a record, the portal's
    /// envelope around it, a JSON array, JSON lines, or a folder of such files; the exchange
    /// format too) into the catalogue file that [catalogue] procedures loads. A bad record is
    /// named with its file, line and reason and skipped; the exit status is then 1.
    Import {
        /// The catalogue file to write (replaced whole, only if a record imports).
        #[arg(long)]
        out: PathBuf,
        /// A catalogue whose popularity weights to keep for the same codes (the portal's records
        /// carry none); by default the one already at --out.
        #[arg(long)]
        weights: Option<PathBuf>,
        /// Files or folders of records.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum TlsCommand {
    /// Make the centre's CA (`ca.pem`, `ca.key`; kept when already there) and the authority's
    /// certificate (`server.pem`, `server.key`) for `[server] tls_cert` and `tls_key`. Give
    /// every device `ca.pem`; keep `ca.key` off the network.
    Init {
        /// The folder to write into.
        #[arg(long)]
        dir: PathBuf,
        /// The authority's host name as devices reach it (e.g. motcua-authority.local).
        #[arg(long)]
        name: String,
        /// An address devices reach it at (repeat for several); 127.0.0.1 and ::1 are always in.
        #[arg(long)]
        ip: Vec<std::net::IpAddr>,
    },
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
fn rfc3339(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("a time in RFC 3339, like 2026-12-04T09:00:00+07:00 ({e})"))
}

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
            let config = load_config(cli.config)?;
            if config.has_printer {
                kiosk::printing::load_logo(&config).map_err(|e| Failure::Usage(e.into()))?;
            }
            // A bad CA or certificate is a configuration error: said now, not at the first ticket.
            let probe = kiosk::connect::joined(&config).unwrap_or("http://127.0.0.1:0");
            kiosk::connect::client(&config, probe).map_err(|e| Failure::Usage(e.into()))?;
            match kiosk::connect::joined(&config).map(str::to_owned) {
                Some(url) => joined_kiosk(config, url).await,
                None => own_kiosk(config).await,
            }
        }
        Some(Command::Serve { listen, db }) => {
            let mut config = load_config(cli.config)?;
            if let Some(l) = listen {
                if let Some(why) = config.server.refuse_listen(l) {
                    return Err(Failure::Usage(anyhow::anyhow!("--listen {why}")));
                }
                config.server.listen = l;
            }
            if let Some(db) = db {
                config.store.path = db;
            }
            serve(config).await
        }
        Some(Command::PrintSample { out, paper, at }) => {
            let mut config = load_config(cli.config)?;
            if let Some(p) = paper {
                config.printer.paper = p;
            }
            kiosk::printing::load_logo(&config).map_err(|e| Failure::Usage(e.into()))?;
            let mut job = kiosk::printing::sample_job(&config);
            if let Some(at) = at {
                job.issued_at = at;
            }
            let bytes = kiosk::printing::encode_job(&config, &job).context("encoding the sample ticket").map_err(Failure::Other)?;
            std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display())).map_err(Failure::Other)?;
            eprintln!("{} bytes for a {} mm ticket written to {}", bytes.len(), config.printer.paper, out.display());
            Ok(())
        }
        Some(Command::Catalogue(CatalogueCommand::Import { out, weights, paths })) => {
            let s =
                kiosk::import::import(&out, weights.as_deref(), &paths, &mut std::io::stderr()).map_err(|e| Failure::Other(e.into()))?;
            let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            eprintln!("{} from {} written to {}", plural(s.procedures, "procedure"), plural(s.files, "file"), out.display());
            match s.skipped {
                0 => Ok(()),
                n => Err(Failure::Other(anyhow::anyhow!("{} skipped (listed above)", plural(n, "record")))),
            }
        }
        Some(Command::Account(cmd)) => account(load_config(cli.config)?, cmd),
        Some(Command::HashPin) => hash_pin(),
        Some(Command::Tls(TlsCommand::Init { dir, name, ip })) => {
            let w = authority::serve::init::init(&dir, &name, &ip).map_err(|e| Failure::Other(e.into()))?;
            let ca = if w.new_ca { "a new CA (ca.pem, ca.key) and " } else { "with the CA already there, " };
            eprintln!("{}: {ca}a server certificate for {name} (server.pem, server.key)", w.dir.display());
            Ok(())
        }
        Some(Command::Client(ClientCommand::Restore { from: Some(from), db, .. })) => {
            let mut config = load_config(cli.config)?;
            if let Some(db) = db {
                config.store.path = db;
            }
            let r = shared::store::Store::restore(&from, &config.store.path)
                .with_context(|| format!("cannot restore {} into {}", from.display(), config.store.path.display()))
                .map_err(Failure::Other)?;
            let kept = r.kept.map(|k| format!("; the store it replaced is kept as {}", k.display())).unwrap_or_default();
            eprintln!(
                "{} restored into {}: up to event {}, numbering goes on after {}{kept}",
                from.display(),
                config.store.path.display(),
                r.last_id,
                r.floor
            );
            Ok(())
        }
        Some(Command::Client(cmd)) => {
            let b = Client::builder(&cli.url).ca_file(cli.ca.as_deref()).map_err(|e| Failure::Usage(e.into()))?;
            let b = match cli.token {
                Some(t) => b.token(t),
                None => b,
            };
            let client = b.build().map_err(|e| Failure::Usage(e.into()))?;
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
    if kiosk::connect::token(config).is_none() {
        tracing::warn!("no [[auth.tokens]] of role kiosk: the printer's health is not reported to staff");
        return (printer, stop);
    }
    match kiosk::connect::client(config, url) {
        Ok(client) => {
            let device = kiosk::connect::device(config);
            tokio::spawn(kiosk::printing::link::run(client, printer.clone(), health, live, device, stopped));
        }
        Err(e) => tracing::error!("the printer's link to the authority: {e}"),
    }
    (printer, stop)
}

/// `kiosk --config F` with its own authority: the authority on the runtime's threads, the
/// touch UI on this (the main) thread, the printer (when there is one) behind the UI.
async fn own_kiosk(config: Config) -> Result<(), Failure> {
    // Before anything shows: a SIGTERM from then on stops the kiosk cleanly.
    let signal = authority::shutdown_signal();
    let listener = listen(config.server.listen).await?;
    let url = kiosk::connect::local_url(listener.local_addr().map_err(|e| Failure::Other(e.into()))?, config.server.tls());
    if !kiosk::ui::window::display_available() {
        tracing::warn!("no display (neither DISPLAY nor WAYLAND_DISPLAY is set): serving the queue authority headless, without the touch UI; the printer still prints the reprints staff ask for");
        let clock = Arc::new(authority::clock::SystemClock);
        let server = tokio::spawn(authority::run(config.clone(), listener, clock, signal));
        watch_authority(&config, &url, None);
        let link = config.has_printer.then(|| printer_link(&config, &url));
        let served = server.await;
        if let Some((_, stop)) = link {
            let _ = stop.send(true);
        }
        return ended(served);
    }
    // The authority stops on SIGTERM/Ctrl-C (closing the window too) or when the window closes.
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        tokio::select! {
            _ = signal => kiosk::ui::window::quit(),
            _ = closed_rx => {}
        }
    };
    let clock = Arc::new(authority::clock::SystemClock);
    let serving = authority::run(config.clone(), listener, clock, shutdown);
    let server = tokio::spawn(async move {
        let served = serving.await;
        // A touch UI with no authority behind it takes no number: end it too, so that the
        // reason reaches the log and the exit status (and systemd restarts the kiosk), rather
        // than a screen that only says the queue cannot be reached.
        kiosk::ui::window::quit();
        served
    });
    // The UI thread pings systemd's watchdog while this authority answers (`kiosk::watchdog`).
    let pulse = shared::notify::watchdog().map(|_| Arc::new(kiosk::watchdog::Pulse::default()));
    let follower = pulse.clone().map(|p| watch_authority(&config, &url, Some(p)));
    let ui = touch_ui(&config, &url, pulse);
    if let Some(f) = follower.flatten() {
        f.abort();
    }
    let _keep_serving = match ui {
        Ok(()) => {
            let _ = closed_tx.send(());
            None
        }
        Err(e) => {
            tracing::error!("cannot open the touch UI ({e}): serving the queue authority headless");
            watch_authority(&config, &url, None);
            Some(closed_tx)
        }
    };
    ended(server.await)
}

/// `kiosk --config F` joined to the authority at `url`: no authority and no store here; the
/// touch UI and the printer work against that one and ride out its restarts.
async fn joined_kiosk(config: Config, url: String) -> Result<(), Failure> {
    tracing::info!("joining the queue authority at {url} (no authority nor store of its own)");
    if !kiosk::ui::window::display_available() {
        if !config.has_printer {
            return Err(Failure::Usage(anyhow::anyhow!(
                "no display and no [printer]: a lookup screen needs a display (DISPLAY or WAYLAND_DISPLAY)"
            )));
        }
        tracing::warn!("no display: printing the reprints staff ask for and reporting the printer's health, without the touch UI");
        let (_printer, stop) = printer_link(&config, &url);
        // Only the runtime to prove alive: its link rides out the authority's outages, which
        // must not restart it.
        let alive = tokio::spawn(shared::notify::ready_and_ping_while_running());
        authority::shutdown_signal().await;
        alive.abort();
        let _ = stop.send(true);
        return Ok(());
    }
    let signal = authority::shutdown_signal();
    let stop = tokio::spawn(async {
        signal.await;
        kiosk::ui::window::quit();
    });
    let (presence_stop, presence) = tokio::sync::watch::channel(false);
    if !config.has_printer {
        match kiosk::connect::client(&config, &url) {
            Ok(client) => drop(tokio::spawn(kiosk::connect::report_presence(client, presence))),
            Err(e) => tracing::error!("the lookup screen's link to the authority: {e}"),
        }
    }
    let ui = touch_ui(&config, &url, None);
    let _ = presence_stop.send(true);
    stop.abort();
    ui.map_err(|e| Failure::Other(anyhow::anyhow!("cannot open the touch UI: {e}")))
}

/// The touch UI on this thread until staff leave kiosk mode (or SIGTERM), with the printer and
/// its link when the kiosk has one (a lookup screen has neither).
fn touch_ui(config: &Config, url: &str, authority_alive: Option<Arc<kiosk::watchdog::Pulse>>) -> Result<(), slint::PlatformError> {
    let runtime = tokio::runtime::Handle::current();
    let (printer, link_stop): (Arc<dyn kiosk::printing::TicketPrinter>, _) = if config.has_printer {
        let (p, stop) = printer_link(config, url);
        (p, Some(stop))
    } else {
        (Arc::new(kiosk::printing::NoPrinter), None)
    };
    // The Slint event loop blocks this thread until staff leave kiosk mode (or SIGTERM).
    let ui = tokio::task::block_in_place(|| kiosk::ui::window::run(config, url, printer, runtime, authority_alive));
    if let Some(stop) = link_stop {
        let _ = stop.send(true);
    }
    ui
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
    let url = kiosk::connect::local_url(listener.local_addr().map_err(|e| Failure::Other(e.into()))?, config.server.tls());
    watch_authority(&config, &url, None);
    let clock = Arc::new(authority::clock::SystemClock);
    authority::run(config, listener, clock, authority::shutdown_signal())
        .await
        .context("the queue authority failed")
        .map_err(Failure::Other)
}

/// systemd's readiness and watchdog for this process's own authority at `url`
/// (`kiosk::watchdog::follow_authority`): `READY=1` and the pings from its `/healthz` answers,
/// or, with `pulse`, only the pulse the UI thread's pings depend on. Nothing without systemd.
fn watch_authority(config: &Config, url: &str, pulse: Option<Arc<kiosk::watchdog::Pulse>>) -> Option<tokio::task::JoinHandle<()>> {
    if !shared::notify::enabled() && pulse.is_none() {
        return None;
    }
    match kiosk::connect::client(config, url) {
        Ok(client) => Some(tokio::spawn(kiosk::watchdog::follow_authority(client, pulse))),
        Err(e) => {
            tracing::error!("the watchdog's link to the authority: {e}");
            None
        }
    }
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

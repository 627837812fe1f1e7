//! `onestop-demo [--listen ADDR] [--count N]`: a stand-in for the province's one-stop system,
//! speaking the dossier contract (`shared::dossier`, http.rs) over HTTP with the two fixed
//! dossiers and N (default 300) made up for today. For the demo and for trying the kiosk's
//! dossier lookup and the display's results board without the real system.
use anyhow::Context;
use clap::Parser;

#[derive(Parser)]
#[command(name = "onestop-demo", about = "A stand-in one-stop system with made-up dossiers")]
struct Cli {
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: String,
    #[arg(long, default_value_t = 300)]
    count: usize,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let today = chrono::Local::now().date_naive();
    let dossiers = shared::dossier::sample::demo_set(today, cli.count);
    let (router, _) = shared::dossier::demo::router(dossiers);
    let listener = tokio::net::TcpListener::bind(&cli.listen).await.with_context(|| format!("listening on {}", cli.listen))?;
    eprintln!("onestop-demo: {} dossiers on http://{}", cli.count + 2, listener.local_addr()?);
    axum::serve(listener, router).await.context("serving")
}

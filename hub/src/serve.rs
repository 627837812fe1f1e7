//! `hub serve`: check the schema, register the configured centres, serve the API with the
//! authority's accept loop (TLS, header timeout, connection caps) until shutdown.
use crate::api::{self, AppState, Clock};
use crate::config::HubConfig;
use crate::db::{self, DbError};
use crate::migrate::{self, MigrateError};
use crate::secret::sha256;
use authority::serve::{serve, tls, Limits};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Schema(#[from] MigrateError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("TLS: {0}")]
    Tls(String),
}

impl ServeError {
    /// Exit status: 2 when the operator must act first (migrate), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            ServeError::Schema(MigrateError::Pending(_) | MigrateError::Tampered { .. } | MigrateError::Newer(..)) => 2,
            _ => 1,
        }
    }
}

/// Writes `[[centres]]` into the database (id, name, token's SHA-256) in one transaction, so
/// two centres' tokens exchanged in one edit are checked unique as a whole (migration 2).
/// Idempotent, so that processes starting together agree; a centre removed from the file
/// keeps its figures.
pub async fn register_centres(client: &mut tokio_postgres::Client, config: &HubConfig) -> Result<(), DbError> {
    let tx = client.transaction().await?;
    for c in &config.centres {
        tx.execute(
            "INSERT INTO centres (id, name, token_sha256) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, token_sha256 = EXCLUDED.token_sha256",
            &[&c.id, &c.name, &sha256(c.token.as_bytes())],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The first connection, waited for while PostgreSQL is not up yet (a machine booting, the
/// database restarting): the hub then starts by itself instead of exiting for a supervisor to
/// retry. A server that refuses the hub (password, database name) ends the wait at once. None
/// when `shutdown` came first.
async fn connect_patiently(
    config: &HubConfig,
    mut shutdown: Pin<&mut impl Future<Output = ()>>,
) -> Result<Option<tokio_postgres::Client>, DbError> {
    let mut delay = Duration::from_millis(500);
    loop {
        match db::connect(&config.database).await {
            Ok(client) => return Ok(Some(client)),
            Err(e) if e.unavailable() => {
                tracing::warn!("waiting for the database ({e}); trying again in {delay:?}");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = shutdown.as_mut() => return Ok(None),
                }
                delay = (delay * 2).min(Duration::from_secs(30));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Serves the hub on `listener` until `shutdown` completes.
pub async fn run(config: HubConfig, listener: TcpListener, clock: Clock, shutdown: impl Future<Output = ()>) -> Result<(), ServeError> {
    let mut shutdown = std::pin::pin!(shutdown);
    let Some(mut client) = connect_patiently(&config, shutdown.as_mut()).await? else {
        return Ok(());
    };
    migrate::check(&client).await?;
    register_centres(&mut client, &config).await?;
    drop(client);
    let acceptor = match (&config.server.tls_cert, &config.server.tls_key) {
        (Some(cert), Some(key)) => Some(tls::acceptor(cert, key).map_err(|e| ServeError::Tls(e.to_string()))?),
        _ => None,
    };
    let pool = db::pool(&config.database)?;
    let limits = Limits::of(&config.server);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let url = config.database.url.clone();
    let state = AppState::new(pool, config, clock, acceptor.is_some(), stopping.clone());
    let listening = tokio::spawn(crate::followers::listen(state.followers.clone(), state.outbox.clone(), url, stopping.clone()));
    let delivering = state.config.notify.clone().map(|notify| {
        let (pool, clock, wake) = (state.pool.clone(), state.clock.clone(), state.outbox.clone());
        tokio::spawn(crate::near::outbox::deliver(pool, notify, clock, wake, stopping))
    });
    serve(listener, api::router(state), acceptor, limits, shutdown, move || {
        let _ = stop.send(true);
    })
    .await;
    let _ = listening.await;
    if let Some(d) = delivering {
        let _ = d.await;
    }
    Ok(())
}

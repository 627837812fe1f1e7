//! Which queue authority this kiosk talks to, and how: the one it runs itself (over loopback,
//! trusting the CA of its own certificate chain when it serves TLS), or the one it joined
//! elsewhere on the LAN (`[kiosk] authority`, `ca`, `token`). Every client of the kiosk (the
//! touch UI, the printer link) is built here, so both ways are the same to them.
use shared::client::{Client, ClientError};
use shared::config::{Config, Role};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Tls(#[from] authority::serve::tls::TlsError),
}

/// The authority elsewhere this kiosk joined, if it did (it then runs none and keeps no store).
pub fn joined(config: &Config) -> Option<&str> {
    config.kiosk.authority.as_deref()
}

/// The token this kiosk takes numbers with: `[kiosk] token` when it joined an authority,
/// else the first `[[auth.tokens]]` entry of role kiosk of its own.
pub fn token(config: &Config) -> Option<String> {
    match &config.kiosk.token {
        Some(t) => Some(t.clone()),
        None => config.auth.tokens.iter().find(|t| t.role == Role::Kiosk).map(|t| t.token.clone()),
    }
}

/// This kiosk's device name, when its own configuration tells it (a joined kiosk learns it from
/// the authority's answer to its first health report).
pub fn device(config: &Config) -> Option<String> {
    if joined(config).is_some() {
        return None;
    }
    config.auth.tokens.iter().find(|t| t.role == Role::Kiosk).map(|t| t.name.clone())
}

/// The URL this process reaches its own authority at: a wildcard listen address is reached
/// over loopback (`kiosk tls init` always names 127.0.0.1 and ::1 in the certificate).
pub fn local_url(listening: SocketAddr, tls: bool) -> String {
    let ip = match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("{}://{}", if tls { "https" } else { "http" }, SocketAddr::new(ip, listening.port()))
}

/// A client of the authority at `url` with this kiosk's token, trusting the centre's CA: the
/// joined authority's `[kiosk] ca`, or the root of this kiosk's own certificate chain.
pub fn client(config: &Config, url: &str) -> Result<Client, ConnectError> {
    let mut b = Client::builder(url);
    if let Some(t) = token(config) {
        b = b.token(t);
    }
    if joined(config).is_some() {
        b = b.ca_file(config.kiosk.ca.as_deref())?;
    } else if let Some(cert) = config.server.tls_cert.as_deref().filter(|_| config.server.tls()) {
        b = b.ca_pem(authority::serve::tls::chain_root(cert)?);
    }
    Ok(b.build()?)
}

/// A lookup screen has no printer whose health staff would see, yet staff should see that it is
/// up on the LAN: it reports itself to the authority now and every minute (the authority records
/// only changes; a restarted authority learns of it within the minute), until `stop` flips.
pub async fn report_presence(client: Client, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut backoff = shared::client::Backoff::new(std::time::Duration::from_secs(1), std::time::Duration::from_secs(30));
    loop {
        let wait = match client.report_device(None, Some("lookup screen (no printer)")).await {
            Ok(_) => {
                backoff.reset();
                std::time::Duration::from_secs(60)
            }
            Err(e) => {
                tracing::warn!("lookup screen: not reported to the authority: {e}");
                backoff.fail()
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

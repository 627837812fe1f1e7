//! The server side of TLS: the certificate chain and key from `[server] tls_cert`/`tls_key`
//! into a rustls acceptor (TLS 1.2 and 1.3, ring's algorithms, HTTP/1.1 by ALPN).
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("TLS certificate {0}: {1}")]
    Cert(PathBuf, String),
    #[error("TLS key {0}: {1}")]
    Key(PathBuf, String),
    #[error("TLS certificate {0} and key {1} do not go together: {2}")]
    Pair(PathBuf, PathBuf, String),
}

/// An acceptor serving `cert` (PEM, the server's certificate first) with `key` (PEM).
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let chain = read_chain(cert)?;
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key(key.to_owned(), e.to_string()))?;
    // The provider is named, not taken from the process default, which panics when two are built in.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Pair(cert.to_owned(), key.to_owned(), e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| TlsError::Pair(cert.to_owned(), key.to_owned(), e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The last certificate of the chain in `cert` (PEM), the CA that `kiosk tls init` puts there:
/// what the kiosk's own processes trust when they talk to the authority beside them.
pub fn chain_root(cert: &Path) -> Result<Vec<u8>, TlsError> {
    let chain = read_chain(cert)?;
    let root = chain.last().expect("read_chain answers at least one certificate");
    Ok(pem("CERTIFICATE", root).into_bytes())
}

/// The certificates of the PEM file `cert`, in order; at least one.
fn read_chain(cert: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| TlsError::Cert(cert.to_owned(), e.to_string()))?;
    if chain.is_empty() {
        return Err(TlsError::Cert(cert.to_owned(), "no certificate in the file".into()));
    }
    Ok(chain)
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

//! `kiosk tls init`: the centre's own certificate authority and the authority's server
//! certificate, so that every device on the LAN can check it talks to the centre's server.
//!
//! The CA is made once: when `ca.pem` and `ca.key` are already in the folder they are kept and
//! only a new server certificate is issued (a new address or name for the server need not make
//! every counter PC trust a new CA). The CA's name is fixed, so a server certificate issued
//! from the same key later chains to the `ca.pem` devices already hold.
use chrono::Datelike;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}: {1}")]
    Io(PathBuf, #[source] std::io::Error),
    #[error("making the certificates failed: {0}")]
    Cert(#[from] rcgen::Error),
    #[error("{0:?} is not a host name (letters, digits, - and . only)")]
    Name(String),
    #[error("{0} is there without {1}: put both back, or remove both to make a new CA")]
    HalfCa(PathBuf, PathBuf),
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Written {
    pub dir: PathBuf,
    /// Whether the CA was made now (else an existing one signed the new certificate).
    pub new_ca: bool,
}

/// Validity starts in 2020, not now: a board without a real-time clock boots with a date from
/// the past (systemd's build date at least), and must still accept the certificate.
const NOT_BEFORE_YEAR: i32 = 2020;

fn ca_params() -> Result<CertificateParams, rcgen::Error> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Mot cua centre CA");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    p.not_before = date_time_ymd(NOT_BEFORE_YEAR, 1, 1);
    p.not_after = date_time_ymd(2049, 12, 31);
    Ok(p)
}

fn server_params(name: &str, ips: &[IpAddr]) -> Result<CertificateParams, InitError> {
    let valid = !name.is_empty() && name.len() <= 253 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !valid {
        return Err(InitError::Name(name.to_owned()));
    }
    let mut p = CertificateParams::new(vec![name.to_owned()])?;
    p.subject_alt_names.extend(ips.iter().map(|ip| SanType::IpAddress(*ip)));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    p.distinguished_name = dn;
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.not_before = date_time_ymd(NOT_BEFORE_YEAR, 1, 1);
    p.not_after = date_time_ymd(chrono::Utc::now().year() + 10, 12, 31);
    Ok(p)
}

/// Writes `ca.pem`, `ca.key` (when not there yet), `server.pem` and `server.key` into `dir`
/// for a server reached as `name` and at `ips`. Keys are readable by their owner only.
pub fn init(dir: &Path, name: &str, ips: &[IpAddr]) -> Result<Written, InitError> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |e| InitError::Io(p, e)
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let (ca_pem, ca_key) = (dir.join("ca.pem"), dir.join("ca.key"));
    let server = server_params(name, ips)?;
    let (ca_key_pair, new_ca) = match (ca_pem.exists(), ca_key.exists()) {
        (true, true) => {
            let pem = std::fs::read_to_string(&ca_key).map_err(io(&ca_key))?;
            (KeyPair::from_pem(&pem)?, false)
        }
        (false, false) => (KeyPair::generate()?, true),
        (true, false) => return Err(InitError::HalfCa(ca_pem, ca_key)),
        (false, true) => return Err(InitError::HalfCa(ca_key, ca_pem)),
    };
    let ca = ca_params()?.self_signed(&ca_key_pair)?;
    let key = KeyPair::generate()?;
    let cert = server.signed_by(&key, &ca, &ca_key_pair)?;
    if new_ca {
        write(&ca_key, &ca_key_pair.serialize_pem(), true)?;
        write(&ca_pem, &ca.pem(), false)?;
    }
    write(&dir.join("server.key"), &key.serialize_pem(), true)?;
    // The chain: the server's certificate, then the CA's, so that the kiosk's own processes
    // (and a browser that was not given ca.pem yet) can see what signed it.
    write(&dir.join("server.pem"), &(cert.pem() + &ca.pem()), false)?;
    Ok(Written { dir: dir.to_owned(), new_ca })
}

/// Writes through a temporary file and a rename, so a power cut leaves the old file or the new
/// one, never half a key.
fn write(path: &Path, text: &str, secret: bool) -> Result<(), InitError> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let err = |e| InitError::Io(path.to_owned(), e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if secret { 0o600 } else { 0o644 })
        .open(&tmp)
        .map_err(err)?;
    f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

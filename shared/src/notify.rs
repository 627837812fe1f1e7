//! systemd's notification protocol (`sd_notify(3)`), by hand: a datagram to the socket in
//! `$NOTIFY_SOCKET` (a path, or an abstract name when it starts with `@`). The kiosk and the
//! display say `READY=1` once their window shows (`Type=notify`: the unit is up when the screen
//! is, not when the process was forked) and `WATCHDOG=1` every half `$WATCHDOG_USEC` from the
//! thread whose hang must restart them (`WatchdogSec=`). Without `$NOTIFY_SOCKET` (a terminal,
//! the tests, the demo) every call does nothing.
//!
//! Each message goes on a fresh non-blocking socket, as `sd_notify` itself does: nothing is
//! held open, any thread may call, and a full receive queue drops the message rather than
//! blocking the UI thread.
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::path::PathBuf;
use std::time::Duration;

/// Where `$NOTIFY_SOCKET` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A socket file.
    Path(PathBuf),
    /// A Linux abstract socket: the name without the leading `@`.
    Abstract(Vec<u8>),
}

/// Reads a `$NOTIFY_SOCKET` value: `/path` or `@abstract`; `None` for an empty value or another
/// kind (systemd's `vsock:` addresses, unused on an appliance).
pub fn parse_address(value: &OsStr) -> Option<Address> {
    let bytes = value.as_bytes();
    match bytes.first()? {
        b'/' => Some(Address::Path(PathBuf::from(value))),
        b'@' if bytes.len() > 1 => Some(Address::Abstract(bytes[1..].to_vec())),
        _ => None,
    }
}

/// The interval to send `WATCHDOG=1` at: half of `$WATCHDOG_USEC` (systemd's advice), when the
/// watchdog is meant for this process. `$WATCHDOG_PID`, when set, must be this process or its
/// parent: under `xinit` (the kiosk's X session) the unit's main process is `xinit`, which
/// starts the kiosk as its one client with the environment it was given; any other process
/// (a grandchild that inherited the variables) stays quiet.
pub fn watchdog_interval(usec: Option<&str>, watchdog_pid: Option<&str>, pid: u32, parent: u32) -> Option<Duration> {
    let usec: u64 = usec?.trim().parse().ok().filter(|&u| u > 0)?;
    if let Some(p) = watchdog_pid {
        let p: u32 = p.trim().parse().ok()?;
        if p != pid && p != parent {
            return None;
        }
    }
    Some(Duration::from_micros(usec / 2).max(Duration::from_millis(1)))
}

/// [`watchdog_interval`] of this process's environment.
pub fn watchdog() -> Option<Duration> {
    let var = |k: &str| std::env::var(k).ok();
    watchdog_interval(
        var("WATCHDOG_USEC").as_deref(),
        var("WATCHDOG_PID").as_deref(),
        std::process::id(),
        std::os::unix::process::parent_id(),
    )
}

/// Whether `$NOTIFY_SOCKET` names a socket to tell.
pub fn enabled() -> bool {
    std::env::var_os("NOTIFY_SOCKET").as_deref().and_then(parse_address).is_some()
}

/// Sends `state` (e.g. `"READY=1"`) to `$NOTIFY_SOCKET`; `Ok(false)` when there is none.
pub fn send(state: &str) -> std::io::Result<bool> {
    let Some(address) = std::env::var_os("NOTIFY_SOCKET").as_deref().and_then(parse_address) else {
        return Ok(false);
    };
    send_to(&address, state).map(|()| true)
}

/// Sends `state` to `address`, without blocking.
pub fn send_to(address: &Address, state: &str) -> std::io::Result<()> {
    let to = match address {
        Address::Path(p) => SocketAddr::from_pathname(p)?,
        Address::Abstract(name) => abstract_address(name)?,
    };
    let socket = UnixDatagram::unbound()?;
    socket.set_nonblocking(true)?;
    socket.send_to_addr(state.as_bytes(), &to)?;
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn abstract_address(name: &[u8]) -> std::io::Result<SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    SocketAddr::from_abstract_name(name)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn abstract_address(_: &[u8]) -> std::io::Result<SocketAddr> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "abstract sockets are Linux's"))
}

/// `READY=1`: the service is up. A failure is logged, never fatal.
pub fn ready() {
    match send("READY=1") {
        Ok(true) => tracing::info!("told systemd: ready"),
        Ok(false) => {}
        Err(e) => tracing::warn!("cannot tell systemd the service is ready: {e}"),
    }
}

/// `WATCHDOG=1`: still alive. A failure is logged at debug level (it repeats every few seconds).
pub fn ping() {
    if let Err(e) = send("WATCHDOG=1") {
        tracing::debug!("cannot send the watchdog ping: {e}");
    }
}

/// `READY=1` now, then `WATCHDOG=1` every half watchdog period for as long as the task runs:
/// for a process with no UI thread nor anything better to prove than that its async runtime
/// turns. (Async code lives with the tokio dependency, behind feature `client`.)
#[cfg(feature = "client")]
pub async fn ready_and_ping_while_running() {
    ready();
    let Some(period) = watchdog() else { return };
    loop {
        ping();
        tokio::time::sleep(period).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A wrong reading of NOTIFY_SOCKET would send READY/WATCHDOG nowhere, and systemd would kill
    // a healthy kiosk at its start timeout or at every WatchdogSec.
    #[test]
    fn notify_socket_is_a_path_or_an_abstract_name() {
        assert_eq!(parse_address(OsStr::new("/run/systemd/notify")), Some(Address::Path("/run/systemd/notify".into())));
        assert_eq!(parse_address(OsStr::new("@/org/systemd/x")), Some(Address::Abstract(b"/org/systemd/x".to_vec())));
        assert_eq!(parse_address(OsStr::new("")), None);
        assert_eq!(parse_address(OsStr::new("@")), None, "an abstract name needs a name");
        assert_eq!(parse_address(OsStr::new("vsock:2:1234")), None);
        assert_eq!(parse_address(OsStr::new("relative/sock")), None);
    }

    // The interval must be half of WATCHDOG_USEC (pinging at the full period races the
    // deadline), and a process the watchdog is not meant for must not ping on another's behalf.
    #[test]
    fn the_watchdog_pings_at_half_its_period_only_for_its_process() {
        let half = Some(Duration::from_secs(10));
        assert_eq!(watchdog_interval(Some("20000000"), None, 7, 1), half);
        assert_eq!(watchdog_interval(Some("20000000"), Some("7"), 7, 1), half, "the main process");
        assert_eq!(watchdog_interval(Some("20000000"), Some("6"), 7, 6), half, "xinit's client");
        assert_eq!(watchdog_interval(Some("20000000"), Some("5"), 7, 6), None, "another process's watchdog");
        assert_eq!(watchdog_interval(Some("20000000"), Some("x"), 7, 6), None);
        assert_eq!(watchdog_interval(None, Some("7"), 7, 6), None, "no watchdog");
        assert_eq!(watchdog_interval(Some("0"), None, 7, 6), None, "0 disables it");
        assert_eq!(watchdog_interval(Some("ten"), None, 7, 6), None);
        assert_eq!(watchdog_interval(Some("1"), None, 7, 6), Some(Duration::from_millis(1)), "never a zero interval");
    }

    // The datagram must reach a socket of either kind as systemd reads it: one message, the
    // state text as is.
    #[test]
    fn messages_reach_path_and_abstract_sockets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let rx = UnixDatagram::bind(&path).unwrap();
        send_to(&Address::Path(path), "READY=1").unwrap();
        let mut buf = [0u8; 64];
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");

        let name = format!("motcua-notify-test-{}", std::process::id());
        let rx = UnixDatagram::bind_addr(&abstract_address(name.as_bytes()).unwrap()).unwrap();
        send_to(&Address::Abstract(name.into_bytes()), "WATCHDOG=1").unwrap();
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"WATCHDOG=1");
    }
}

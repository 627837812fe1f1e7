//! systemd's notification socket, as a test stands in for it: a datagram socket a child
//! process finds in `NOTIFY_SOCKET` (a file, or an abstract name `@…`), and what it said.
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A bound notification socket; its file (if any) goes with it.
pub struct NotifySocket {
    socket: UnixDatagram,
    address: String,
    _dir: Option<tempfile::TempDir>,
}

/// One message as systemd would read it, and when it arrived.
#[derive(Debug, Clone)]
pub struct Notice {
    pub at: Instant,
    pub text: String,
}

impl NotifySocket {
    /// A socket file in a fresh temporary folder.
    pub fn path() -> NotifySocket {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("notify");
        let socket = UnixDatagram::bind(&path).expect("bind the notification socket");
        NotifySocket { socket, address: path.to_str().expect("a UTF-8 path").to_owned(), _dir: Some(dir) }
    }

    /// An abstract socket (`@name`), as systemd's own `/run/systemd/notify` is not.
    pub fn abstract_name() -> NotifySocket {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!("motcua-test-notify-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).expect("an abstract address");
        let socket = UnixDatagram::bind_addr(&addr).expect("bind the abstract notification socket");
        NotifySocket { socket, address: format!("@{name}"), _dir: None }
    }

    /// The value of `NOTIFY_SOCKET` for the child.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The next message, if one comes within `limit`.
    pub fn next(&self, limit: Duration) -> Option<Notice> {
        self.socket.set_read_timeout(Some(limit.max(Duration::from_millis(1)))).expect("a read timeout");
        let mut buf = [0u8; 4096];
        let n = self.socket.recv(&mut buf).ok()?;
        Some(Notice { at: Instant::now(), text: String::from_utf8_lossy(&buf[..n]).into_owned() })
    }

    /// Every message until `count` of them read `text`, failing after `secs` with what came.
    pub fn until(&self, text: &str, count: usize, secs: u64) -> Vec<Notice> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut seen = Vec::new();
        while seen.iter().filter(|n: &&Notice| n.text == text).count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out after {secs} s waiting for {count} × {text:?}; got {seen:?}");
            if let Some(n) = self.next(left) {
                seen.push(n);
            }
        }
        seen
    }
}

//! A one-stop centre's LAN on this machine: each host a Linux network namespace with its own
//! address on a bridge (itself in a namespace of its own, so the machine's own network is never
//! touched), and links that can be cut as a pulled cable would. Needs root (CI runs as root).
//! Everything is deleted when the `Lan` is dropped.
use std::process::Command;

/// The bridge and the hosts on it.
pub struct Lan {
    prefix: String,
    /// The first three octets of the hosts' addresses, e.g. "10.77.12".
    pub subnet: String,
    hosts: Vec<String>,
}

/// One host: its namespace and address.
#[derive(Debug, Clone)]
pub struct Host {
    pub ns: String,
    pub ip: String,
    /// The bridge's end of its cable: set it down to cut the host off.
    port: String,
    lan: String,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().unwrap_or_else(|e| panic!("run ip {args:?}: {e} (is iproute2 installed?)"));
    assert!(out.status.success(), "ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
}

impl Lan {
    /// A new bridge; names carry this process's id, so parallel runs do not meet.
    pub fn new() -> Lan {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        assert!(root, "the LAN test needs root (network namespaces): run the test command as root, as CI does");
        let id = std::process::id() % 100_000;
        let prefix = format!("mc{id}");
        let lan = format!("{prefix}-lan");
        ip(&["netns", "add", &lan]);
        ip(&["-n", &lan, "link", "add", "br0", "type", "bridge"]);
        ip(&["-n", &lan, "link", "set", "br0", "up"]);
        Lan { subnet: format!("10.{}.{}", 64 + id % 64, id % 250), prefix, hosts: Vec::new() }
    }

    fn lan(&self) -> String {
        format!("{}-lan", self.prefix)
    }

    /// A host `name` at `<subnet>.<n>`, cabled to the bridge.
    pub fn host(&mut self, name: &str, n: u8) -> Host {
        let ns = format!("{}-{name}", self.prefix);
        let port = format!("p{n}");
        let lan = self.lan();
        ip(&["netns", "add", &ns]);
        self.hosts.push(ns.clone());
        ip(&["-n", &lan, "link", "add", &port, "type", "veth", "peer", "name", "eth0", "netns", &ns]);
        ip(&["-n", &lan, "link", "set", &port, "master", "br0", "up"]);
        let addr = format!("{}.{n}", self.subnet);
        ip(&["-n", &ns, "addr", "add", &format!("{addr}/24"), "dev", "eth0"]);
        ip(&["-n", &ns, "link", "set", "eth0", "up"]);
        ip(&["-n", &ns, "link", "set", "lo", "up"]);
        Host { ns, ip: addr, port, lan }
    }
}

impl Default for Lan {
    fn default() -> Self {
        Lan::new()
    }
}

impl Host {
    /// Pulls the host's cable out of the switch.
    pub fn cut(&self) {
        ip(&["-n", &self.lan, "link", "set", &self.port, "down"]);
    }

    /// Plugs it back in.
    pub fn plug(&self) {
        ip(&["-n", &self.lan, "link", "set", &self.port, "up"]);
    }

    /// `kiosk ARGS...` run to completion inside this host: (exit code, stdout, stderr).
    pub fn kiosk(&self, args: &[&str]) -> (i32, String, String) {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.ns]).arg(crate::bin("kiosk"));
        crate::process::run_kiosk(cmd, args)
    }
}

impl Drop for Lan {
    fn drop(&mut self) {
        // Deleting a namespace deletes its ends of the cables; the bridge goes with its own.
        for ns in self.hosts.iter().chain(std::iter::once(&self.lan())) {
            let _ = Command::new("ip").args(["netns", "delete", ns]).output();
        }
    }
}

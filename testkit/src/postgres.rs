//! A private PostgreSQL server for one test: `initdb` into a temporary folder, started on a free
//! port of 127.0.0.1, stopped (and its folder removed) when dropped. As root it runs as the
//! `postgres` user, because PostgreSQL refuses to run as root.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Postgres {
    /// The cluster's folder (data in `data/`, the log in `log`, the socket in `run/`).
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

/// The newest installed server's `bin` folder (Debian keeps them per major version).
fn bin_dir() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed (/usr/lib/postgresql missing): run scripts/setup.sh")
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("no PostgreSQL server under /usr/lib/postgresql: run scripts/setup.sh").1
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Postgres {
    /// A new, empty cluster, running, with a database `test` owned by the superuser `test`.
    pub fn start() -> Postgres {
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let base = if as_postgres { PathBuf::from("/tmp") } else { std::env::temp_dir() };
        let dir = base.join(format!("pg-test-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(dir.join("run")).unwrap();
        let pg = Postgres { dir, bin: bin_dir(), port: free_port(), as_postgres };
        if as_postgres {
            pg.run("chown", &["-R", "postgres:postgres", pg.dir.to_str().unwrap()], false);
        }
        let data = pg.data();
        pg.run(&pg.tool("initdb"), &["-D", &data, "-U", "test", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], true);
        pg.start_again();
        pg.run(&pg.tool("createdb"), &["-h", "127.0.0.1", "-p", &pg.port.to_string(), "-U", "test", "test"], true);
        pg
    }

    /// `postgres://test@127.0.0.1:PORT/test`.
    pub fn url(&self) -> String {
        format!("postgres://test@127.0.0.1:{}/test", self.port)
    }

    /// A further empty database on the same server, and its URL.
    pub fn database(&self, name: &str) -> String {
        self.run(&self.tool("createdb"), &["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "test", name], true);
        format!("postgres://test@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server at once (`-m immediate`: no checkpoint, like a crash), the data kept.
    pub fn kill(&self) {
        self.run(&self.tool("pg_ctl"), &["-D", &self.data(), "-m", "immediate", "-w", "stop"], true);
    }

    /// Starts the stopped server again on the same port.
    pub fn start_again(&self) {
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} -c fsync=off -c max_connections=300",
            self.port,
            self.dir.join("run").display()
        );
        let log = self.dir.join("log");
        self.run(&self.tool("pg_ctl"), &["-D", &self.data(), "-l", log.to_str().unwrap(), "-o", &opts, "-w", "-t", "60", "start"], true);
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn tool(&self, name: &str) -> String {
        self.bin.join(name).display().to_string()
    }

    /// Runs a command (as `postgres` when the test runs as root) and panics with its output on failure.
    fn run(&self, program: &str, args: &[&str], as_server_user: bool) {
        let mut cmd = if as_server_user && self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", program]);
            c
        } else {
            Command::new(program)
        };
        let out = cmd.args(args).current_dir(Path::new("/")).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let pg_ctl = self.tool("pg_ctl");
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &pg_ctl]);
            c
        } else {
            Command::new(&pg_ctl)
        };
        // Already stopped (a test that killed it) is fine: the folder goes either way.
        let _ = cmd.args(["-D", &self.data(), "-m", "immediate", "-w", "stop"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select_one(pg: &Postgres) -> bool {
        Command::new(pg.tool("psql"))
            .args([&pg.url(), "-tAc", "SELECT 1"])
            .output()
            .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "1")
            .unwrap_or(false)
    }

    /// Proves the server answers on its port, is really down after `kill`, and comes back on
    /// the same port with its data (the hub's restart test relies on all three).
    #[test]
    fn starts_dies_and_comes_back() {
        let pg = Postgres::start();
        assert!(select_one(&pg));
        pg.kill();
        assert!(!select_one(&pg), "still answering after kill");
        pg.start_again();
        assert!(select_one(&pg));
        let dir = pg.dir.clone();
        drop(pg);
        assert!(!dir.exists(), "cluster folder left behind");
    }
}

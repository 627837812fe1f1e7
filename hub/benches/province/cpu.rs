//! Where the CPU went (Linux `/proc`): this process (the hub, the simulated centres' pushers
//! and their JSON) against the bench's PostgreSQL server (its postmaster, live backends, and
//! the backends it has reaped). A profile in two numbers, enough to tell which side to look at.
use std::time::Duration;

/// CPU time used so far: this process, and the PostgreSQL server listening on `port`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    pub bench: Duration,
    pub postgres: Duration,
}

impl std::ops::Sub for Cpu {
    type Output = Cpu;
    fn sub(self, before: Cpu) -> Cpu {
        Cpu { bench: self.bench.saturating_sub(before.bench), postgres: self.postgres.saturating_sub(before.postgres) }
    }
}

/// The fields of `/proc/<pid>/stat` after the command name (index 0 is field 3, the state).
fn stat(pid: &str) -> Option<Vec<u64>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    Some(rest.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect())
}

fn ticks(n: u64) -> Duration {
    // SAFETY: sysconf only reads a constant of the system.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_millis(n * 1000 / hz)
}

/// The time used now. Stat index: 0 ppid, 10 utime, 11 stime, 12 cutime, 13 cstime.
pub fn now(port: u16) -> Cpu {
    let bench = stat("self").map_or(0, |s| s[10] + s[11]);
    let pids: Vec<String> = std::fs::read_dir("/proc")
        .map(|d| d.filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| n.bytes().all(|b| b.is_ascii_digit())).collect())
        .unwrap_or_default();
    let needle = format!("port={port}");
    let postmaster = pids.iter().find(|pid| {
        std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
            let c = String::from_utf8_lossy(&c);
            c.contains("postgres") && c.split('\0').any(|arg| arg.contains(&needle))
        })
    });
    let mut postgres = 0;
    if let Some(master) = postmaster {
        let master_id: u64 = master.parse().unwrap_or(0);
        postgres += stat(master).map_or(0, |s| s[10] + s[11] + s[12] + s[13]);
        for pid in &pids {
            if let Some(s) = stat(pid).filter(|s| s[0] == master_id) {
                postgres += s[10] + s[11];
            }
        }
    }
    Cpu { bench: ticks(bench), postgres: ticks(postgres) }
}

impl std::fmt::Display for Cpu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CPU: hub + pushers {:.1} s, PostgreSQL {:.1} s", self.bench.as_secs_f64(), self.postgres.as_secs_f64())
    }
}

//! A virtual X server for the tests of real windows, and `xdotool` to drive it.
//!
//! A machine without Xvfb or xdotool fails these tests with what to install: a window test
//! that passed by skipping would prove nothing.
use crate::wait::wait_until_blocking;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running Xvfb on a display number it chose itself (no clash between parallel tests),
/// killed when dropped.
pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// A 1920x1080 screen.
    pub fn start() -> Xvfb {
        Xvfb::with_screen(1920, 1080)
    }

    /// A `width`x`height` screen, 24-bit; answers once it takes clients.
    pub fn with_screen(width: u32, height: u32) -> Xvfb {
        require("Xvfb");
        require("xdotool");
        let screen = format!("{width}x{height}x24");
        // `-displayfd 1`: Xvfb picks a free display and writes its number on standard output.
        // `-noreset`: an X server resets when its last client leaves, and a window started again
        // at that moment fails to connect ("Failed to open connection to X server").
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", &screen, "-nolisten", "tcp", "-noreset"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line).expect("Xvfb's display number");
        let n: u32 = line.trim().parse().unwrap_or_else(|_| panic!("Xvfb wrote {line:?}, not a display number"));
        let x = Xvfb { child, display: format!(":{n}") };
        wait_until_blocking(20, "Xvfb accepts clients", || x.xdotool(&["getmouselocation"]));
        x
    }

    /// The display name, e.g. ":3", for `DISPLAY`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Runs `xdotool ARGS` on this display: whether it succeeded.
    pub fn xdotool(&self, args: &[&str]) -> bool {
        Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Runs `xdotool ARGS` on this display: what it printed.
    pub fn xdotool_out(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool").args(args).env("DISPLAY", &self.display).stderr(Stdio::null()).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    /// Where X has the first visible window `xdotool search SEARCH` finds, and its size:
    /// `((x, y), (width, height))`, from `getwindowgeometry`; `None` while there is none.
    pub fn geometry(&self, search: &[&str]) -> Option<((i32, i32), (u32, u32))> {
        let args: Vec<&str> = ["search", "--onlyvisible"].iter().chain(search).chain(&["getwindowgeometry"]).copied().collect();
        let out = self.xdotool_out(&args);
        let field = |name: &str| out.lines().find_map(|l| l.trim().strip_prefix(name)?.split_whitespace().next().map(str::to_owned));
        let (x, y) = field("Position: ")?.split_once(',').and_then(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))?;
        let (w, h) = field("Geometry: ")?.split_once('x').and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))?;
        Some(((x, y), (w, h)))
    }

    /// Waits until that window is at `at` with `size` (a window is mapped, then moved and sized),
    /// failing after `secs` with where X had it last.
    pub fn wait_geometry(&self, search: &[&str], at: (i32, i32), size: (u32, u32), secs: u64) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let seen = self.geometry(search);
            if seen == Some((at, size)) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "after {secs} s the window {search:?} is at {seen:?}, not at {at:?} with size {size:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn require(tool: &str) {
    let found = Command::new("sh").arg("-c").arg(format!("command -v {tool}")).stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    assert!(found, "{tool} is not installed: this test needs a real X server (apt-get install xvfb xdotool)");
}

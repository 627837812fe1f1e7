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
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", &screen, "-nolisten", "tcp"])
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

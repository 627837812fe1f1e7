//! GPIO push buttons (rppal), and their simulator off a Pi. Edges from the pins go through the
//! pure [`Debouncer`]; the simulator feeds it a recorded bouncy press per line it reads, so both
//! take the same path to a press.
use super::debounce::{presses, Debouncer};
use super::Button;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Opens the pins and reads them on a thread of its own until `stop`. Fails off a Pi (rppal
/// cannot find the GPIO controller), for a pin that is taken, or without permission.
pub fn spawn_pins(
    pins: Vec<(Button, u8)>,
    active_low: bool,
    settle: Duration,
    stop: Arc<AtomicBool>,
    on_press: impl Fn(Button) + Send + 'static,
) -> Result<std::thread::JoinHandle<()>, rppal::gpio::Error> {
    use rppal::gpio::{Gpio, Trigger};
    let gpio = Gpio::new()?;
    let mut inputs = Vec::new();
    for (button, bcm) in &pins {
        let pin = gpio.get(*bcm)?;
        // The internal pull resistor holds the line at rest: up when a press grounds it.
        let mut input = if active_low { pin.into_input_pullup() } else { pin.into_input_pulldown() };
        input.set_interrupt(Trigger::Both, None)?;
        inputs.push((*button, input));
    }
    let thread = std::thread::Builder::new().name("gpio-keypad".into()).spawn(move || {
        let start = Instant::now();
        let mut debouncers: Vec<Debouncer> = inputs.iter().map(|_| Debouncer::new(settle)).collect();
        while !stop.load(Ordering::Relaxed) {
            let now = start.elapsed();
            // Wake for the first debounce deadline, or every 200 ms to see `stop`.
            let wait = debouncers
                .iter()
                .filter_map(Debouncer::deadline)
                .min()
                .map_or(Duration::from_millis(200), |d| d.saturating_sub(now).max(Duration::from_millis(1)));
            let refs: Vec<&rppal::gpio::InputPin> = inputs.iter().map(|(_, p)| p).collect();
            match gpio.poll_interrupts(&refs, false, Some(wait)) {
                Ok(Some((pin, event))) => {
                    let at = start.elapsed();
                    let high = matches!(event.trigger, Trigger::RisingEdge);
                    if let Some(i) = inputs.iter().position(|(_, p)| p.pin() == pin.pin()) {
                        debouncers[i].edge(at, high != active_low);
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::error!("GPIO keypad: {e}; stopped reading the buttons");
                    return;
                }
            }
            let now = start.elapsed();
            for (i, d) in debouncers.iter_mut().enumerate() {
                if d.poll(now) {
                    on_press(inputs[i].0);
                }
            }
        }
    });
    thread.map_err(rppal::gpio::Error::Io)
}

/// One firm press as a cheap button makes it: bounces on the way down and up.
pub fn bouncy_press() -> Vec<(Duration, bool)> {
    let ms = Duration::from_millis;
    vec![(ms(0), true), (ms(1), false), (ms(2), true), (ms(4), false), (ms(5), true), (ms(120), false), (ms(121), true), (ms(123), false)]
}

/// The simulator: makes `fifo` (a named pipe) and reads lines from it; `next`, `recall`,
/// `no_show` or `finish` press that button, through the debouncer, as a real press would.
/// `echo next > FIFO` is a press. Runs until `stop` (checked whenever a writer closes).
pub fn spawn_simulator(
    fifo: PathBuf,
    settle: Duration,
    stop: Arc<AtomicBool>,
    on_press: impl Fn(Button) + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    make_fifo(&fifo)?;
    std::thread::Builder::new().name("gpio-simulator".into()).spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            // Blocks until a writer opens the pipe; ends (EOF) when it closes it.
            let file = match std::fs::File::open(&fifo) {
                Ok(f) => f,
                Err(e) => {
                    tracing::error!("keypad simulator {}: {e}", fifo.display());
                    return;
                }
            };
            for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
                match Button::parse(line.trim()) {
                    Some(b) => {
                        let edges = bouncy_press();
                        for _ in presses(settle, &edges, Duration::from_secs(1)) {
                            on_press(b);
                        }
                    }
                    None if line.trim().is_empty() => {}
                    None => tracing::warn!("keypad simulator: {line:?} is not a button (next, recall, no_show, finish)"),
                }
            }
        }
    })
}

/// Creates the named pipe unless it is there already.
fn make_fifo(path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::FileTypeExt;
    if let Ok(m) = std::fs::metadata(path) {
        return if m.file_type().is_fifo() {
            Ok(())
        } else {
            Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} exists and is not a FIFO", path.display())))
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL in the path"))?;
    // SAFETY: mkfifo with a valid NUL-terminated path.
    if unsafe { libc::mkfifo(c.as_ptr(), 0o620) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulated_press_is_one_press_through_the_debouncer() {
        // Proves the simulator's bouncy press gives exactly one press at a 30 ms setting.
        assert_eq!(presses(Duration::from_millis(30), &bouncy_press(), Duration::from_secs(1)).len(), 1);
    }

    #[test]
    fn lines_written_to_the_fifo_press_buttons() {
        // Proves the simulator end to end: a FIFO made, lines read, one press per good line.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("keypad");
        let (tx, rx) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let t = spawn_simulator(fifo.clone(), Duration::from_millis(30), stop.clone(), move |b| tx.send(b).unwrap()).unwrap();
        let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        use std::io::Write;
        w.write_all(b"next\nbogus\nrecall\n").unwrap();
        stop.store(true, Ordering::Relaxed);
        drop(w);
        t.join().unwrap();
        let got: Vec<Button> = rx.try_iter().collect();
        assert_eq!(got, [Button::Next, Button::Recall]);
    }
}

//! A USB printer-class device file (`/dev/usb/lp0`): the kernel's usblp driver gives a plain
//! character device, bidirectional on most receipt printers, so status can be read back.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::fdio::FdIo;
use super::Transport;
use crate::status::{PrintError, Stage};

/// A printer device file opened read-write and non-blocking.
pub struct DeviceTransport {
    file: File,
    path: PathBuf,
    target: String,
}

impl DeviceTransport {
    /// Opens an existing device; never creates a file (a typo in the path must not silently
    /// spool tickets into a regular file).
    pub fn open(path: &Path) -> Result<Self, PrintError> {
        let target = format!("device {}", path.display());
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            // O_NOCTTY: if the path is a tty, opening it must not make it our controlling terminal.
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .map_err(|source| PrintError::Io { target: target.clone(), stage: Stage::Opening, source })?;
        Ok(DeviceTransport { file, path: path.to_path_buf(), target })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self) -> FdIo<'_> {
        FdIo { fd: self.file.as_raw_fd(), target: &self.target }
    }
}

impl Transport for DeviceTransport {
    fn target(&self) -> &str {
        &self.target
    }

    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        self.io().write_all(bytes, timeout)
    }

    fn can_read(&self) -> bool {
        true
    }

    fn discard_input(&mut self) -> Result<usize, PrintError> {
        self.io().discard()
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        self.io().read_until(buf, Instant::now() + timeout)
    }
}

impl AsRawFd for DeviceTransport {
    /// The device's descriptor, e.g. to wait for input with `poll` alongside other sources.
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.file.as_raw_fd()
    }
}

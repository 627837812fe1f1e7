//! A regular file: the simulator's printer and a spool for `print-sample`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::Transport;
use crate::status::{PrintError, Stage};

/// Appends or truncates a regular file, creating it if missing. Write-only: no status.
pub struct FileTransport {
    file: File,
    target: String,
}

impl FileTransport {
    /// Creates the file, or empties an existing one.
    pub fn create(path: &Path) -> Result<Self, PrintError> {
        Self::open(path, OpenOptions::new().write(true).create(true).truncate(true))
    }

    /// Creates the file if missing and appends, so successive tickets accumulate like on paper.
    pub fn append(path: &Path) -> Result<Self, PrintError> {
        Self::open(path, OpenOptions::new().append(true).create(true))
    }

    fn open(path: &Path, opts: &OpenOptions) -> Result<Self, PrintError> {
        let target = format!("file {}", path.display());
        let file = opts.open(path).map_err(|source| PrintError::Io { target: target.clone(), stage: Stage::Opening, source })?;
        Ok(FileTransport { file, target })
    }
}

impl Transport for FileTransport {
    fn target(&self) -> &str {
        &self.target
    }

    /// Local files do not stall the way printers do, so the timeout is not applied.
    fn write_all(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), PrintError> {
        let stage = Stage::Writing { written: 0, total: bytes.len() };
        let err = |source| PrintError::Io { target: self.target.clone(), stage, source };
        self.file.write_all(bytes).map_err(err)?;
        self.file.flush().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the file is created when missing, appended to by `append`, and emptied by `create`.
    #[test]
    fn creates_appends_truncates() {
        let dir = std::env::temp_dir().join(format!("printer-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spool.bin");
        let _ = std::fs::remove_file(&path);
        FileTransport::append(&path).unwrap().write_all(b"ab", Duration::ZERO).unwrap();
        FileTransport::append(&path).unwrap().write_all(b"cd", Duration::ZERO).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abcd");
        let mut t = FileTransport::create(&path).unwrap();
        t.write_all(b"x", Duration::ZERO).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        assert!(!t.can_read());
        assert_eq!(t.read_status(Duration::ZERO).unwrap(), None);
        let e = FileTransport::create(&dir.join("missing-dir/x")).err().unwrap();
        assert!(e.to_string().starts_with("printer file "), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

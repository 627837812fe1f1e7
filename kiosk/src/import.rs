//! `kiosk catalogue import`: procedure records as the national portal publishes them (or in the
//! exchange format) into the catalogue file that `[catalogue] procedures` loads.
//!
//! The file is written only when at least one record imports, atomically, after reading back as
//! a catalogue; what was skipped is listed with its file, line and reason.

use shared::catalogue::{Catalogue, Import};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the weights file {}: {reason}", path.display())]
    Weights { path: PathBuf, reason: String },
    #[error("no record could be imported; {} is left as it was", out.display())]
    Nothing { out: PathBuf },
    #[error("the records read do not make a catalogue: {0}")]
    NotACatalogue(String),
    #[error("cannot write {}: {source}", out.display())]
    Write { out: PathBuf, source: std::io::Error },
}

/// What an import did.
#[derive(Debug)]
pub struct Summary {
    pub procedures: usize,
    pub files: usize,
    pub skipped: usize,
}

/// Imports `paths` into `out`, keeping the popularity weights of `weights` (else of the catalogue
/// already at `out`, when it loads). Writes a line per skipped record to `report`.
pub fn import(out: &Path, weights: Option<&Path>, paths: &[PathBuf], report: &mut dyn Write) -> Result<Summary, ImportError> {
    let mut im = Import::new();
    match weights {
        Some(w) => {
            let current = Catalogue::load_path(w).map_err(|e| ImportError::Weights { path: w.to_owned(), reason: e.chain() })?;
            im = im.keeping_weights_of(&current);
        }
        None => {
            if let Ok(current) = Catalogue::load_path(out) {
                im = im.keeping_weights_of(&current);
            }
        }
    }
    for p in paths {
        im.add_path(p);
    }
    for s in im.skipped() {
        let _ = writeln!(report, "skipped {s}");
    }
    if im.is_empty() {
        return Err(ImportError::Nothing { out: out.to_owned() });
    }
    let catalogue = im.catalogue().map_err(|e| ImportError::NotACatalogue(e.chain()))?;
    shared::atomic::write_atomically(out, &im.to_jsonl()).map_err(|source| ImportError::Write { out: out.to_owned(), source })?;
    Ok(Summary { procedures: catalogue.len(), files: im.files(), skipped: im.skipped().len() })
}

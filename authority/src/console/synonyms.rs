//! The centre's own synonym table (`[catalogue] synonyms`), as the administrator edits it in the
//! console: read as written, checked whole, written atomically, and searched with at once.
//!
//! A save is checked against the version read (a digest of the file), so two administrators
//! editing at once do not overwrite each other; only a table whose every pair is usable is
//! written, to a temporary file renamed over the old one (`shared::atomic`): a power cut leaves
//! one table or the other. Then the catalogue in service is loaded again with it (the file-backed
//! catalogue keeps only summaries and the index in memory: a few hundred milliseconds for a
//! national one, off the async threads) and a `catalogue_replaced` event makes the kiosks' touch
//! screens load it too.
use super::catalogue::CatalogueSlot;
use shared::catalogue::{check_centre_pairs, written_pairs, SynonymError, SynonymPair};
use shared::console::Audit;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One save at a time, so the version check and the write are one step.
static SAVING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Debug, thiserror::Error)]
pub enum SynonymsError {
    #[error("no [catalogue] synonyms file is configured, so there is nowhere to keep the centre's table")]
    NotConfigured,
    #[error("the table was changed meanwhile (version {current}); read it again")]
    VersionConflict { current: String },
    #[error("row {}: {}", .0.line, .0.reason)]
    Invalid(SynonymError),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the save task failed")]
    Task,
}

/// The centre's table as it stands.
#[derive(Debug)]
pub struct Table {
    /// Where it is kept; none: no file is configured and the table cannot be edited.
    pub path: Option<PathBuf>,
    /// A digest of the file (of nothing when there is none yet), to send back with a change.
    pub version: String,
    pub pairs: Vec<SynonymPair>,
    /// Why the file as it stands is not used (edited by hand and broken); saving replaces it.
    pub problem: Option<String>,
}

/// Reads the centre's table at `path`.
pub fn read(path: Option<&Path>) -> Table {
    let Some(path) = path else {
        return Table { path: None, version: version_of(b""), pairs: Vec::new(), problem: None };
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            let problem = format!("cannot read {}: {e}", path.display());
            return Table { path: Some(path.to_owned()), version: version_of(b""), pairs: Vec::new(), problem: Some(problem) };
        }
    };
    let version = version_of(&bytes);
    let (pairs, problem) = match std::str::from_utf8(&bytes)
        .map_err(|_| "the file is not UTF-8 text".to_owned())
        .and_then(|text| written_pairs(text).map_err(|e| e.to_string()))
    {
        Ok(pairs) => (pairs, None),
        Err(problem) => (Vec::new(), Some(problem)),
    };
    Table { path: Some(path.to_owned()), version, pairs, problem }
}

fn version_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces the centre's table with `pairs` if `seen` is still its version, and searches with it
/// at once. The outer error is the store's (the event or the audit line not written).
pub async fn save(
    authority: &crate::owner::Authority,
    slot: Arc<CatalogueSlot>,
    actor: String,
    seen: String,
    pairs: Vec<SynonymPair>,
) -> Result<Result<Table, SynonymsError>, crate::owner::AuthorityError> {
    let _one = SAVING.lock().await;
    // The start's loading reads the table too: after it, so that it cannot load the old one last.
    slot.ready().await;
    let c = authority.config().catalogue.clone();
    let n = pairs.len();
    let written = tokio::task::spawn_blocking(move || {
        let path = c.synonyms.as_deref().ok_or(SynonymsError::NotConfigured)?;
        let current = read(Some(path));
        if current.version != seen {
            return Err(SynonymsError::VersionConflict { current: current.version });
        }
        check_centre_pairs(&pairs).map_err(SynonymsError::Invalid)?;
        let text = shared::catalogue::to_tsv(&pairs);
        shared::atomic::write_atomically(path, text.as_bytes()).map_err(|source| SynonymsError::Write { path: path.to_owned(), source })?;
        // The catalogue in service, searched with the new table; none configured or loaded:
        // the table waits for one.
        let reloaded = match (c.procedures.as_deref(), slot.get()) {
            (Some(procedures), Some(_)) => match shared::catalogue::load_configured(procedures, Some(path), c.fields.as_deref()) {
                Ok(catalogue) => {
                    let n = catalogue.len();
                    slot.set(catalogue);
                    Some(n)
                }
                Err(e) => {
                    tracing::error!("the catalogue did not load again with the new synonyms ({e}); it is served as it was");
                    None
                }
            },
            _ => None,
        };
        // What was written, as a read of it would give, without reading it again.
        let table = Table {
            path: Some(path.to_owned()),
            version: version_of(text.as_bytes()),
            pairs: written_pairs(&text).map_err(SynonymsError::Invalid)?,
            problem: None,
        };
        Ok((table, reloaded))
    })
    .await
    .unwrap_or(Err(SynonymsError::Task));
    let (table, reloaded) = match written {
        Ok(w) => w,
        Err(e) => return Ok(Err(e)),
    };
    let audit = Audit::new(actor, "synonyms_replaced").detail(format!("{n} pairs"));
    match reloaded {
        Some(procedures) => {
            let cmd = shared::domain::Command::CatalogueReplaced { procedures: procedures.min(u32::MAX as usize) as u32 };
            authority.execute_audited(cmd, None, Some(audit)).await?;
        }
        None => authority.with_store(move |s, now| s.audit(now, &[audit])).await?,
    }
    Ok(Ok(table))
}

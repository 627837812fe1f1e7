//! Replacing the procedure catalogue from the administrator's upload.
//!
//! The upload is parsed and indexed in full first (the same hostile-file-safe loader as at
//! start); only a catalogue that loads is written, to a temporary file in the same folder that is
//! synced and then renamed over the old one, and the folder synced: a power cut leaves either
//! the old file or the new one, never half of one. Until the rename, the old catalogue is served.
use shared::catalogue::{Catalogue, LoadError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The catalogue being served, replaceable while requests read it.
#[derive(Default)]
pub struct CatalogueSlot(RwLock<Option<Arc<Catalogue>>>);

impl CatalogueSlot {
    pub fn new(c: Option<Catalogue>) -> CatalogueSlot {
        CatalogueSlot(RwLock::new(c.map(Arc::new)))
    }
    pub fn get(&self) -> Option<Arc<Catalogue>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
    fn set(&self, c: Arc<Catalogue>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some(c);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a procedure catalogue: {0}")]
    Invalid(#[from] LoadError),
    #[error("the file holds no procedures")]
    Empty,
    #[error("no [catalogue] procedures file is configured, so there is nowhere to keep an upload")]
    NotConfigured,
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the import task failed")]
    Task,
}

/// Replaces the catalogue served by `slot` with `bytes` as the administrator's upload does, for
/// the upload and for the province hub's catalogue alike: loaded off the async threads, written
/// atomically, then a `catalogue_replaced` event (kiosks reload) with its audit line by `actor`.
/// A refused file leaves the old catalogue in service and an audit line saying why. The outer
/// error is the store's (the event or the audit line not written).
pub async fn install(
    authority: &crate::owner::Authority,
    slot: Arc<CatalogueSlot>,
    actor: String,
    bytes: bytes::Bytes,
) -> Result<Result<usize, ImportError>, crate::owner::AuthorityError> {
    use shared::console::Audit;
    let config = authority.config();
    let (path, fields) = (config.catalogue.procedures.clone(), config.catalogue.fields.clone());
    let size = bytes.len();
    // Parsing and indexing 3,000 procedures takes a moment: not on the async threads.
    let loaded = tokio::task::spawn_blocking(move || replace(&slot, path.as_deref(), fields.as_deref(), &bytes))
        .await
        .unwrap_or(Err(ImportError::Task));
    match loaded {
        Err(e) => {
            // A refused file is worth a line too: who tried what, and why it was refused.
            let audit = Audit::new(actor, "catalogue_refused").detail(format!("{size} bytes: {e}"));
            authority.with_store(move |s, now| s.audit(now, &[audit])).await?;
            Ok(Err(e))
        }
        Ok(n) => {
            let audit = Audit::new(actor, "catalogue_replaced").detail(format!("{n} procedures, {size} bytes"));
            let cmd = shared::domain::Command::CatalogueReplaced { procedures: n.min(u32::MAX as usize) as u32 };
            authority.execute_audited(cmd, None, Some(audit)).await?;
            Ok(Ok(n))
        }
    }
}

/// Loads `bytes` as a catalogue (with the configured fields list), writes it over `path`
/// atomically, and serves it. Answers the number of procedures.
pub fn replace(slot: &CatalogueSlot, path: Option<&Path>, fields: Option<&Path>, bytes: &[u8]) -> Result<usize, ImportError> {
    let path = path.ok_or(ImportError::NotConfigured)?;
    let mut catalogue = Catalogue::load_bytes(bytes)?;
    if catalogue.is_empty() {
        return Err(ImportError::Empty);
    }
    // The centre's synonyms go with its search, whichever procedures it serves.
    if let Some(current) = slot.get() {
        catalogue = catalogue.with_synonyms(current.synonyms().clone());
    }
    if let Some(f) = fields {
        match shared::catalogue::load_fields_path(f) {
            Ok(list) => catalogue = catalogue.with_fields(list),
            Err(e) => tracing::warn!("field list {} not loaded, procedures are shown without field names: {e}", f.display()),
        }
    }
    shared::atomic::write_atomically(path, bytes).map_err(|source| ImportError::Write { path: path.to_owned(), source })?;
    let n = catalogue.len();
    slot.set(Arc::new(catalogue));
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"MATTHC":"1.000001","TENTTHC":"Đăng ký khai sinh"}"#;

    #[test]
    fn a_good_upload_replaces_the_file_and_the_served_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("procedures.jsonl");
        std::fs::write(&path, "old").unwrap();
        let slot = CatalogueSlot::default();
        let n = replace(&slot, Some(&path), None, format!("{ONE}\n").as_bytes()).unwrap();
        assert_eq!(n, 1);
        assert_eq!(slot.get().unwrap().len(), 1);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{ONE}\n"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_broken_upload_leaves_the_file_and_the_served_catalogue_alone() {
        // Proves a truncated or hostile upload loses nothing: the old catalogue stays in force.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("procedures.jsonl");
        std::fs::write(&path, format!("{ONE}\n")).unwrap();
        let slot = CatalogueSlot::new(Some(Catalogue::load_path(&path).unwrap()));
        let truncated = r#"{"MATTHC":"1.000001","TENTTHC":"Đăng"#.as_bytes();
        for bad in [truncated, b"\xff\xfe\x00garbage", b"", b"[]"] {
            assert!(replace(&slot, Some(&path), None, bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{ONE}\n"));
            assert_eq!(slot.get().unwrap().len(), 1);
        }
    }

    #[test]
    fn an_unwritable_folder_is_a_clear_error_and_the_old_catalogue_stays() {
        let slot = CatalogueSlot::default();
        let err = replace(&slot, Some(Path::new("/nonexistent-folder/procedures.jsonl")), None, ONE.as_bytes()).unwrap_err();
        assert!(matches!(err, ImportError::Write { .. }), "{err}");
        assert!(slot.get().is_none());
    }
}

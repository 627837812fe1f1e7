//! Replacing the procedure catalogue from the administrator's upload or the province's file.
//!
//! The administrator's files (the portal's records or the exchange format, one file or a
//! folder's worth) go through the importer (`shared::catalogue::Import`): each bad record is named
//! and skipped, and the rest make the catalogue. The province's file is the exchange format,
//! taken whole or not at all. Either is parsed and indexed in full first; only a catalogue that
//! loads is written, to a temporary file in the same folder that is
//! synced and then renamed over the old one, and the folder synced: a power cut leaves either
//! the old file or the new one, never half of one. Until the rename, the old catalogue is served.
use shared::catalogue::{Catalogue, Import, LoadError, Skipped};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The catalogue being served, replaceable while requests read it. At start it is loaded off the
/// path that opens the queue (a national catalogue takes a few hundred milliseconds to index, and
/// tickets must not wait for it); requests for procedures meanwhile wait for it ([`ready`]).
///
/// [`ready`]: CatalogueSlot::ready
pub struct CatalogueSlot {
    current: RwLock<Option<Arc<Catalogue>>>,
    /// False while the catalogue of the start is being loaded.
    loaded: tokio::sync::watch::Sender<bool>,
}

impl Default for CatalogueSlot {
    fn default() -> CatalogueSlot {
        CatalogueSlot::new(None)
    }
}

impl CatalogueSlot {
    /// A slot holding `c` (none: no catalogue), nothing to wait for.
    pub fn new(c: Option<Catalogue>) -> CatalogueSlot {
        CatalogueSlot { current: RwLock::new(c.map(Arc::new)), loaded: tokio::sync::watch::Sender::new(true) }
    }

    /// A slot whose catalogue is being loaded: [`finish_loading`](CatalogueSlot::finish_loading) ends that.
    pub fn loading() -> CatalogueSlot {
        CatalogueSlot { current: RwLock::new(None), loaded: tokio::sync::watch::Sender::new(false) }
    }

    /// The catalogue in service now (none while loading or when there is none).
    pub fn get(&self) -> Option<Arc<Catalogue>> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The catalogue in service once the start's loading is over.
    pub async fn ready(&self) -> Option<Arc<Catalogue>> {
        let mut loaded = self.loaded.subscribe();
        let _ = loaded.wait_for(|l| *l).await;
        self.get()
    }

    /// Ends the start's loading with what it loaded; an upload that came first is kept.
    pub fn finish_loading(&self, c: Option<Arc<Catalogue>>) {
        if let Some(c) = c {
            let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
            if current.is_none() {
                *current = Some(c);
            }
        }
        self.loaded.send_replace(true);
    }

    /// Serves `c` from now on (an upload, or the catalogue loaded again with a new synonym table).
    pub fn set(&self, c: Arc<Catalogue>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(c);
        self.loaded.send_replace(true);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a procedure catalogue: {0}")]
    Invalid(#[from] LoadError),
    #[error("the file holds no procedures")]
    Empty,
    #[error("no record could be imported: {}", first_reasons(.0))]
    NothingImported(Vec<Skipped>),
    #[error("no [catalogue] procedures file is configured, so there is nowhere to keep an upload")]
    NotConfigured,
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the import task failed")]
    Task,
}

/// The first few reasons, for a one-line message; all of them are in the audit line's count and
/// the API's answer.
fn first_reasons(skipped: &[Skipped]) -> String {
    let shown: Vec<String> = skipped.iter().take(3).map(ToString::to_string).collect();
    match skipped.len() {
        0 => "the upload holds no file".into(),
        n if n > 3 => format!("{}; and {} more", shown.join("; "), n - 3),
        _ => shown.join("; "),
    }
}

/// The configured files: the catalogue's, and the tables searched with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Files<'a> {
    pub procedures: Option<&'a Path>,
    pub synonyms: Option<&'a Path>,
    pub fields: Option<&'a Path>,
}

/// What replaces the catalogue.
pub enum Upload {
    /// The administrator's files, named: the portal's records or the exchange format.
    Files(Vec<(String, bytes::Bytes)>),
    /// The province's catalogue file, in the exchange format, whole or not at all.
    Province(bytes::Bytes),
}

impl Upload {
    fn size(&self) -> usize {
        match self {
            Upload::Files(files) => files.iter().map(|(_, b)| b.len()).sum(),
            Upload::Province(b) => b.len(),
        }
    }
}

/// A catalogue put in service.
#[derive(Debug)]
pub struct Installed {
    pub procedures: usize,
    /// The records of the upload left out, with where and why.
    pub skipped: Vec<Skipped>,
}

/// Replaces the catalogue served by `slot` with `upload`, for the administrator's upload and for
/// the province hub's catalogue alike: loaded off the async threads, written atomically, then a
/// `catalogue_replaced` event (kiosks reload) with its audit line by `actor`. A refused upload
/// leaves the old catalogue in service and an audit line saying why. The outer error is the
/// store's (the event or the audit line not written).
pub async fn install(
    authority: &crate::owner::Authority,
    slot: Arc<CatalogueSlot>,
    actor: String,
    upload: Upload,
) -> Result<Result<Installed, ImportError>, crate::owner::AuthorityError> {
    use shared::console::Audit;
    let config = authority.config();
    let c = config.catalogue.clone();
    let size = upload.size();
    // An upload keeps the popularity the catalogue in service gives each code: wait for the
    // start's loading of it (a few hundred milliseconds), or an upload arriving meanwhile would
    // find none to keep and rank the new catalogue by nothing.
    slot.ready().await;
    // Parsing and indexing 3,000 procedures takes a moment: not on the async threads.
    let loaded = tokio::task::spawn_blocking(move || {
        replace(&slot, Files { procedures: c.procedures.as_deref(), synonyms: c.synonyms.as_deref(), fields: c.fields.as_deref() }, upload)
    })
    .await
    .unwrap_or(Err(ImportError::Task));
    match loaded {
        Err(e) => {
            // A refused file is worth a line too: who tried what, and why it was refused.
            let audit = Audit::new(actor, "catalogue_refused").detail(format!("{size} bytes: {e}"));
            authority.with_store(move |s, now| s.audit(now, &[audit])).await?;
            Ok(Err(e))
        }
        Ok(installed) => {
            let n = installed.procedures;
            let skipped = match installed.skipped.len() {
                0 => String::new(),
                k => format!(", {k} records skipped"),
            };
            let audit = Audit::new(actor, "catalogue_replaced").detail(format!("{n} procedures{skipped}, {size} bytes"));
            let cmd = shared::domain::Command::CatalogueReplaced { procedures: n.min(u32::MAX as usize) as u32 };
            authority.execute_audited(cmd, None, Some(audit)).await?;
            Ok(Ok(installed))
        }
    }
}

/// Loads `upload` as a catalogue (with the configured fields list), writes it over `path`
/// atomically, and serves it.
pub fn replace(slot: &CatalogueSlot, files: Files<'_>, upload: Upload) -> Result<Installed, ImportError> {
    let Files { procedures: path, synonyms, fields } = files;
    let path = path.ok_or(ImportError::NotConfigured)?;
    // Checked in full from memory first; only a catalogue that loads is written.
    let (checked, file, skipped) = match upload {
        Upload::Province(bytes) => (Catalogue::load_bytes(&bytes)?, bytes.to_vec(), Vec::new()),
        Upload::Files(files) => {
            // The portal's records carry no popularity: keep the weights search ranks by.
            let mut im = Import::new();
            if let Some(current) = slot.get() {
                im = im.keeping_weights_of(&current);
            }
            for (name, bytes) in &files {
                im.add_bytes(name, bytes);
            }
            if im.is_empty() {
                return Err(ImportError::NothingImported(im.skipped().to_vec()));
            }
            (im.catalogue()?, im.to_jsonl(), im.skipped().to_vec())
        }
    };
    if checked.is_empty() {
        return Err(ImportError::Empty);
    }
    shared::atomic::write_atomically(path, &file).map_err(|source| ImportError::Write { path: path.to_owned(), source })?;
    drop(file);
    // Served from the file just written, as at start (summaries in memory, each record read again
    // when its page opens), and shared with the kiosk's touch UI when it loads the same file.
    let catalogue = match shared::catalogue::load_configured(path, synonyms, fields) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("the catalogue just written does not load again from {} ({e}); serving it from memory", path.display());
            Arc::new(checked.with_synonyms(shared::catalogue::synonyms_for(synonyms)))
        }
    };
    let procedures = catalogue.len();
    slot.set(catalogue);
    Ok(Installed { procedures, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"MATTHC":"1.000001","TENTTHC":"Đăng ký khai sinh"}"#;

    fn at(path: &Path) -> Files<'_> {
        Files { procedures: Some(path), ..Files::default() }
    }

    fn file(bytes: &[u8]) -> Upload {
        Upload::Files(vec![("upload.jsonl".into(), bytes::Bytes::copy_from_slice(bytes))])
    }

    #[test]
    fn a_good_upload_replaces_the_file_and_the_served_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("procedures.jsonl");
        std::fs::write(&path, "old").unwrap();
        let slot = CatalogueSlot::default();
        let n = replace(&slot, at(&path), file(format!("{ONE}\n").as_bytes())).unwrap();
        assert_eq!((n.procedures, n.skipped.len()), (1, 0));
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
            assert!(replace(&slot, at(&path), file(bad)).is_err(), "{:?}", String::from_utf8_lossy(bad));
            let province = Upload::Province(bytes::Bytes::copy_from_slice(bad));
            assert!(replace(&slot, at(&path), province).is_err(), "{:?}", String::from_utf8_lossy(bad));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{ONE}\n"));
            assert_eq!(slot.get().unwrap().len(), 1);
        }
    }

    #[test]
    fn an_unwritable_folder_is_a_clear_error_and_the_old_catalogue_stays() {
        let slot = CatalogueSlot::default();
        let err = replace(&slot, at(Path::new("/nonexistent-folder/procedures.jsonl")), file(ONE.as_bytes())).unwrap_err();
        assert!(matches!(err, ImportError::Write { .. }), "{err}");
        assert!(slot.get().is_none());
    }

    #[test]
    fn an_upload_skips_its_bad_records_but_the_province_file_is_taken_whole_or_not_at_all() {
        // Failure proved: one bad record in the administrator's upload costs that record only
        // (named in the answer); in the province's file it refuses the file, which the province
        // must mend for every centre alike.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("procedures.jsonl");
        let slot = CatalogueSlot::default();
        let mixed = format!("{ONE}\n{{\"MATTHC\":\"1.2\",\"TENTTHC\":\"Mã sai\"}}\n");
        let installed = replace(&slot, at(&path), file(mixed.as_bytes())).unwrap();
        assert_eq!(installed.procedures, 1);
        assert_eq!(installed.skipped.len(), 1);
        assert!(installed.skipped[0].to_string().starts_with("upload.jsonl:2: 1.2: bad procedure code"), "{:?}", installed.skipped);
        let province = Upload::Province(bytes::Bytes::from(mixed));
        assert!(matches!(replace(&slot, at(&path), province), Err(ImportError::Invalid(_))));
        assert_eq!(Catalogue::load_path(&path).unwrap().len(), 1, "the file in service stays");
    }
}

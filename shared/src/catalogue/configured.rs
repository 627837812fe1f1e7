//! The catalogue a configuration names, loaded once per file per process: the kiosk's touch UI
//! and the queue authority it embeds name the same file, and share one copy of it (summaries and
//! index: tens of megabytes for a national catalogue) instead of each loading its own.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use super::{load_fields_path, synonyms_for, Catalogue, LoadError};

/// What makes two loads the same: the file (as its identity and size, so that a file renamed
/// over the name is a new load) and the tables searched with it.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    path: PathBuf,
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
    synonyms: Option<PathBuf>,
    fields: Option<PathBuf>,
}

/// The catalogues loaded and still in use somewhere. The lock is held while one loads, so a
/// second asker waits for it and shares it rather than loading the file again beside it.
static LOADED: Mutex<Vec<(Key, Weak<Catalogue>)>> = Mutex::new(Vec::new());

/// The catalogue at `path`, searched with the shipped synonyms and the centre's (`synonyms`),
/// with the field list `fields` for the fields' names. A field list that does not load is logged
/// and the procedures are shown without field names; a catalogue that does not load is the error.
pub fn load_configured(path: &Path, synonyms: Option<&Path>, fields: Option<&Path>) -> Result<Arc<Catalogue>, LoadError> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    let key = Key {
        path: path.to_owned(),
        device: meta.dev(),
        inode: meta.ino(),
        len: meta.len(),
        modified: meta.modified().ok(),
        synonyms: synonyms.map(Path::to_owned),
        fields: fields.map(Path::to_owned),
    };
    let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    loaded.retain(|(_, c)| c.strong_count() > 0);
    if let Some(c) = loaded.iter().find(|(k, _)| *k == key).and_then(|(_, c)| c.upgrade()) {
        return Ok(c);
    }
    let mut catalogue = Catalogue::load_path(path)?.with_synonyms(synonyms_for(synonyms));
    if let Some(f) = fields {
        match load_fields_path(f) {
            Ok(list) => catalogue = catalogue.with_fields(list),
            Err(e) => tracing::error!("field list {} not loaded, procedures are shown without field names: {}", f.display(), e.chain()),
        }
    }
    let catalogue = Arc::new(catalogue);
    loaded.push((key, Arc::downgrade(&catalogue)));
    Ok(catalogue)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requirement: two parts of one process asking for the same file share one copy; a file
    /// renamed over the name (an upload) is loaded anew; a copy nobody holds is not kept.
    #[test]
    fn the_same_file_is_loaded_once_and_a_new_one_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("procedures.jsonl");
        std::fs::write(&path, "{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"Một\"}\n").unwrap();
        let (a, b) = (load_configured(&path, None, None).unwrap(), load_configured(&path, None, None).unwrap());
        assert!(Arc::ptr_eq(&a, &b), "one copy for both");
        let next = dir.path().join("next.jsonl");
        std::fs::write(&next, "{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"Một\"}\n{\"MATTHC\":\"1.000002\",\"TENTTHC\":\"Hai\"}\n").unwrap();
        std::fs::rename(&next, &path).unwrap();
        let c = load_configured(&path, None, None).unwrap();
        assert_eq!((a.len(), c.len()), (1, 2), "the file renamed over it is a new catalogue");
        let weak = Arc::downgrade(&c);
        drop(c);
        assert!(weak.upgrade().is_none(), "the cache does not keep a catalogue alive");
        let broken_fields = dir.path().join("fields.jsonl");
        std::fs::write(&broken_fields, "not json").unwrap();
        assert_eq!(load_configured(&path, None, Some(&broken_fields)).unwrap().len(), 2, "a broken field list costs the names only");
    }
}

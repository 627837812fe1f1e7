//! The catalogue a configuration names, loaded once per file per process: the kiosk's touch UI
//! and the queue authority it embeds name the same file, and share one copy of it (summaries and
//! index: tens of megabytes for a national catalogue) instead of each loading its own.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use super::{load_fields_path, synonyms_for, Catalogue, LoadError};

/// What makes two loads the same: the file (as its identity and size, so that a file renamed
/// over the name is a new load) and the tables searched with it (the synonyms' file likewise, so
/// that the table the console saves is searched with at once).
#[derive(Debug, PartialEq, Eq)]
struct Key {
    path: PathBuf,
    file: Identity,
    synonyms: Option<(PathBuf, Option<Identity>)>,
    fields: Option<PathBuf>,
}

/// A file's identity: device, inode, length, modification time.
type Identity = (u64, u64, u64, Option<std::time::SystemTime>);

fn identity(meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino(), meta.len(), meta.modified().ok())
}

/// The catalogues loaded and still in use somewhere. The lock is held while one loads, so a
/// second asker waits for it and shares it rather than loading the file again beside it.
static LOADED: Mutex<Vec<(Key, Weak<Catalogue>)>> = Mutex::new(Vec::new());

/// The catalogue at `path`, searched with the shipped synonyms and the centre's (`synonyms`),
/// with the field list `fields` for the fields' names. A field list that does not load is logged
/// and the procedures are shown without field names; a catalogue that does not load is the error.
pub fn load_configured(path: &Path, synonyms: Option<&Path>, fields: Option<&Path>) -> Result<Arc<Catalogue>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    let key = Key {
        path: path.to_owned(),
        file: identity(&meta),
        // No table yet is a key too: the first save makes a new one.
        synonyms: synonyms.map(|p| (p.to_owned(), std::fs::metadata(p).ok().map(|m| identity(&m)))),
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
        // A synonym table saved anew (renamed over its name, as the console saves it) is a new load.
        let synonyms = dir.path().join("synonyms.tsv");
        let (d, e) = (load_configured(&path, Some(&synonyms), None).unwrap(), load_configured(&path, Some(&synonyms), None).unwrap());
        assert!(Arc::ptr_eq(&d, &e), "no table yet: one copy");
        assert!(d.search("quay xyz", Default::default()).is_empty());
        crate::atomic::write_atomically(&synonyms, "quầy xyz\tmột\n".as_bytes()).unwrap();
        let f = load_configured(&path, Some(&synonyms), None).unwrap();
        assert!(!Arc::ptr_eq(&d, &f), "the saved table is searched with");
        assert_eq!(
            f.search("quay xyz", Default::default()).first().map(|h| h.code.to_string()).as_deref(),
            Some("1.000001"),
            "searched through the centre's pair"
        );
    }
}

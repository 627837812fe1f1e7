//! The catalogue of administrative procedures: records, loading, and search.
//!
//! Pure code: the only I/O is reading a file in [`Catalogue::load_path`] and
//! [`load_fields_path`]; everything else takes a reader or a string.
//!
//! Layout:
//! - `code`: [`ProcedureCode`], strict validation of national and local codes.
//! - `record`: [`Procedure`] in the national exchange format (upper-case keys)
//!   or the short list format (`code`, `name`, `weight`, …), one type for both;
//!   `parts`: its sub-records (steps, ways with fees, documents, legal basis…).
//! - `lenient`: tolerant readers for the loosely typed values of real exports
//!   (fee code `"1'"`, amount `"không"`, numbers as text).
//! - `field`: [`Field`]s (lĩnh vực) and their ministry, from `fields.jsonl`.
//! - `load` / `error`: bounded reading of JSON Lines and JSON arrays, and
//!   [`LoadError`], which names the line of every content error.
//! - `index` / `search` / `telex`: the in-memory index built at load, the
//!   ranked per-keystroke search, and the undoing of Telex/VNI leftovers;
//!   `speak`: typing slips and words run together, and `synonyms`: everyday names and
//!   abbreviations ([`Synonyms`], the shipped table and the centre's, as written
//!   ([`SynonymPair`]) and folded), searched beside the query as typed.
//! - `configured`: [`load_configured`], the catalogue a configuration names, one copy per
//!   file per process (the kiosk's UI and the authority it embeds share it).
//! - `portal`: records as the national portal publishes them now (camelCase), converted into
//!   [`Procedure`]; `import`: [`Import`] reads files and folders of them (or of the exchange
//!   format) into one catalogue file, naming and skipping each bad record.
//! - `tests_full`, `tests_hostile`, `tests_quality`, `tests_portal`: the full format, refused
//!   files, search quality over the real 2,929 procedures, and the portal's records.
//!
//! ## The loading contract
//! A load either returns a whole new [`Catalogue`] or an error; it never
//! returns a partial one and never panics, whatever the file holds. A caller
//! that reloads (a new catalogue from the province) therefore keeps serving
//! the catalogue it has when the new one is refused, and shows the error
//! ([`LoadError::chain`]) to whoever supplied the file.

mod code;
mod configured;
mod error;
mod field;
mod import;
mod index;
mod lenient;
mod load;
mod parts;
pub mod portal;
mod record;
mod search;
mod speak;
mod synonyms;
mod telex;

#[cfg(test)]
mod tests_full;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_portal;
#[cfg(test)]
mod tests_quality;
#[cfg(test)]
mod tests_speak;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub use code::{CodeError, ProcedureCode};
pub use configured::load_configured;
pub use error::LoadError;
pub use field::{load_fields_jsonl, split_ministry, Field, FieldId};
pub use import::{Import, Skipped};
pub use lenient::{Amount, BadOnlineLevel, Channel, FeeKind, OnlineLevel};
pub use load::{MAX_FILE_BYTES, MAX_LINE_BYTES};
pub use parts::{Agency, Document, DocumentCase, FeeItem, FieldRef, LegalDoc, Level, Named, Step, StepCase, TimeLimit, Way};
pub use record::{Audience, Procedure};
pub use synonyms::{
    check_centre_pairs, shipped_pairs, synonyms_for, to_tsv, written_pairs, SynonymError, SynonymFileError, SynonymPair, Synonyms,
    MAX_CENTRE_PAIRS,
};
pub use telex::{strip_telex, strip_vni};

use index::Index;

/// What to search for besides the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Only procedures of this field (`LINHVUCTHUCHIEN`).
    pub field: Option<FieldId>,
    /// Only procedures for this audience. Procedures whose audience is
    /// unknown pass: hiding one a citizen needs is worse than showing one more.
    pub audience: Option<Audience>,
    /// At most this many hits.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { field: None, audience: None, limit: 10 }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub code: ProcedureCode,
    pub name: String,
    /// Higher is better; only the order means anything.
    pub score: f32,
}

/// A field with the number of procedures in it, for browsing.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCount<'a> {
    pub field: &'a Field,
    pub count: usize,
}

/// The loaded procedures with their search index. Immutable: a new file
/// makes a new catalogue (see the module doc for the loading contract).
pub struct Catalogue {
    /// Whole records, or their summaries when `details` can read them again.
    procedures: Vec<Procedure>,
    by_code: HashMap<ProcedureCode, usize>,
    fields: Vec<Field>,
    index: Index,
    synonyms: Synonyms,
    details: Option<Details>,
}

/// The file a catalogue was loaded from, open, and where each record lies in it. The kiosk keeps
/// only summaries in memory (a national catalogue of full records is tens of megabytes) and reads
/// a record again when its page opens. The open file is the one loaded even after an upload
/// renames another over its name, so what is read is always what was indexed.
struct Details {
    file: File,
    path: std::path::PathBuf,
    spans: Vec<load::Span>,
}

impl Details {
    /// Record `i`, read and checked again.
    fn read(&self, i: usize, code: &ProcedureCode) -> Result<Procedure, LoadError> {
        use std::os::unix::fs::FileExt;
        let span = self.spans[i];
        let mut buf = vec![0; span.len as usize];
        self.file.read_exact_at(&mut buf, span.start).map_err(|source| LoadError::Read { line: span.line, source })?;
        let text = std::str::from_utf8(&buf).map_err(|e| LoadError::InvalidUtf8 { line: span.line, column: e.valid_up_to() + 1 })?;
        let p = load::procedure(span.line, load::parse_json(span.line, text, false)?)?;
        match &p.code == code {
            true => Ok(p),
            false => Err(LoadError::Changed { line: span.line, code: code.to_string() }),
        }
    }
}

impl Catalogue {
    /// Loads JSON Lines: one record per line, either format; blank lines skipped.
    pub fn load_jsonl<R: BufRead>(reader: R) -> Result<Catalogue, LoadError> {
        Catalogue::from_records(load::jsonl_records(reader)?)
    }

    /// Loads one JSON array of records, either format.
    pub fn load_json_array<R: Read>(reader: R) -> Result<Catalogue, LoadError> {
        Catalogue::from_records(load::array_records(reader)?)
    }

    /// Loads a whole file already in memory (an upload), choosing by content like `load_path`.
    pub fn load_bytes(bytes: &[u8]) -> Result<Catalogue, LoadError> {
        if load::looks_like_array(bytes) {
            Catalogue::load_json_array(bytes)
        } else {
            Catalogue::load_jsonl(bytes)
        }
    }

    /// Loads a file, choosing by content: a JSON array if it starts with
    /// `[`, JSON Lines otherwise. Errors name the file.
    ///
    /// JSON Lines are kept as summaries, the whole record read again from the file by
    /// [`get`](Catalogue::get) (see `Details`); an array is kept whole in memory.
    pub fn load_path(path: impl AsRef<Path>) -> Result<Catalogue, LoadError> {
        let path = path.as_ref();
        let in_file = |e: LoadError| LoadError::InFile { path: path.to_owned(), source: Box::new(e) };
        let file = File::open(path).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
        let again = file.try_clone().map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let head = reader.fill_buf().map_err(|source| in_file(LoadError::Read { line: 1, source }))?;
        if load::looks_like_array(head) {
            return Catalogue::load_json_array(reader).map_err(in_file);
        }
        let (records, spans) = load::jsonl_summaries(reader).map_err(in_file)?;
        let mut catalogue = Catalogue::from_records(records).map_err(in_file)?;
        catalogue.details = Some(Details { file: again, path: path.to_owned(), spans });
        Ok(catalogue)
    }

    /// Builds a catalogue from records already in memory (an editor, a
    /// merge of two files). A duplicate code is refused; its `line` is then
    /// the record's 1-based position in `procedures`.
    pub fn from_procedures(procedures: Vec<Procedure>) -> Result<Catalogue, LoadError> {
        Catalogue::from_records(procedures.into_iter().enumerate().map(|(i, p)| (i + 1, p)).collect())
    }

    /// Builds the catalogue, refusing duplicate codes (a second record with
    /// the same code would silently shadow the first).
    fn from_records(records: Vec<(usize, Procedure)>) -> Result<Catalogue, LoadError> {
        let mut by_code = HashMap::with_capacity(records.len());
        let mut lines: Vec<usize> = Vec::with_capacity(records.len());
        let mut procedures = Vec::with_capacity(records.len());
        for (line, p) in records {
            if let Some(&first) = by_code.get(&p.code) {
                return Err(LoadError::DuplicateCode { line, code: p.code.to_string(), first_line: lines[first] });
            }
            by_code.insert(p.code.clone(), procedures.len());
            lines.push(line);
            procedures.push(p);
        }
        let index = Index::build(&procedures);
        let mut catalogue = Catalogue { procedures, by_code, fields: Vec::new(), index, synonyms: Synonyms::built_in(), details: None };
        catalogue.add_record_fields();
        Ok(catalogue)
    }

    /// The same catalogue searched with `synonyms` (normally `synonyms_for` the centre's
    /// table: the shipped pairs and the centre's own).
    pub fn with_synonyms(mut self, synonyms: Synonyms) -> Catalogue {
        self.synonyms = synonyms;
        self
    }

    /// The synonyms it is searched with.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// The same catalogue with the field list, for names and browsing.
    pub fn with_fields(mut self, fields: Vec<Field>) -> Catalogue {
        self.fields = fields;
        self.add_record_fields();
        self
    }

    /// Adds the fields that records name but the field list lacks, so that
    /// browsing reaches every procedure.
    fn add_record_fields(&mut self) {
        for f in self.procedures.iter().flat_map(|p| &p.fields) {
            let Some(id) = f.id.as_deref().filter(|id| !id.trim().is_empty()) else {
                continue;
            };
            if self.fields.iter().any(|known| known.id.0 == id) {
                continue;
            }
            let (name, ministry) = split_ministry(f.name.as_deref().unwrap_or(id));
            self.fields.push(Field { id: FieldId(id.to_owned()), name, ministry });
        }
    }

    pub fn len(&self) -> usize {
        self.procedures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procedures.is_empty()
    }

    /// All procedures, in file order: for a catalogue loaded from a JSON Lines file, their
    /// summaries ([`Procedure::summary`]: what lists and search use); [`get`](Catalogue::get)
    /// gives the whole record.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// The whole record of the procedure with exactly this code (surrounding spaces ignored).
    /// Read again from the catalogue's file when it was loaded from one; should that fail (a disk
    /// error), the summary, with a log line, rather than nothing.
    pub fn get(&self, code: &str) -> Option<Cow<'_, Procedure>> {
        let code = ProcedureCode::parse(code.trim()).ok()?;
        let i = *self.by_code.get(&code)?;
        let Some(details) = &self.details else { return Some(Cow::Borrowed(&self.procedures[i])) };
        match details.read(i, &code) {
            Ok(p) => Some(Cow::Owned(p)),
            Err(e) => {
                tracing::error!("procedure {code} cannot be read again from {}: {}", details.path.display(), e.chain());
                Some(Cow::Borrowed(&self.procedures[i]))
            }
        }
    }

    /// Ranked hits for what the citizen has typed so far (see `search.rs`).
    pub fn search(&self, query: &str, opts: SearchOptions) -> Vec<Hit> {
        self.search_with(query, opts, Some(&self.synonyms))
    }

    /// The search without `speak`'s rewriting: the query only as typed (for measuring what
    /// the rewriting adds).
    pub fn search_as_typed(&self, query: &str, opts: SearchOptions) -> Vec<Hit> {
        self.search_with(query, opts, None)
    }

    fn search_with(&self, query: &str, opts: SearchOptions, speak: Option<&Synonyms>) -> Vec<Hit> {
        let accept = |d: usize| {
            let p = &self.procedures[d];
            let field_ok = opts.field.as_ref().is_none_or(|id| p.fields.iter().any(|f| f.id.as_deref() == Some(id.0.as_str())));
            let audience_ok = opts.audience.is_none_or(|a| p.audiences.is_empty() || p.audiences.contains(&a));
            field_ok && audience_ok
        };
        search::search(&self.index, speak, query, accept, opts.limit)
            .into_iter()
            .map(|(score, d)| {
                let p = &self.procedures[d as usize];
                Hit { code: p.code.clone(), name: p.name.clone(), score }
            })
            .collect()
    }

    /// Every field with how many procedures name it, sorted by name: the
    /// field list first, then fields that only the records mention.
    pub fn fields(&self) -> Vec<FieldCount<'_>> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for p in &self.procedures {
            for id in p.fields.iter().filter_map(|f| f.id.as_deref()) {
                *counts.entry(id).or_default() += 1;
            }
        }
        let mut out: Vec<FieldCount<'_>> =
            self.fields.iter().map(|field| FieldCount { field, count: counts.get(field.id.0.as_str()).copied().unwrap_or(0) }).collect();
        out.sort_by_cached_key(|f| crate::text::fold(&f.field.name));
        out
    }

    /// Approximate heap bytes of the search index (not of the records).
    pub fn index_bytes(&self) -> usize {
        self.index.heap_bytes()
    }
}

/// A summary, not the thousands of records.
impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("procedures", &self.procedures.len())
            .field("fields", &self.fields.len())
            .field("index_bytes", &self.index_bytes())
            .field("records_in_file", &self.details.as_ref().map(|d| d.path.display().to_string()))
            .finish()
    }
}

/// Loads `fields.jsonl` from a file.
pub fn load_fields_path(path: impl AsRef<Path>) -> Result<Vec<Field>, LoadError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| LoadError::Open { path: path.to_owned(), source })?;
    load_fields_jsonl(BufReader::new(file)).map_err(|e| LoadError::InFile { path: path.to_owned(), source: Box::new(e) })
}

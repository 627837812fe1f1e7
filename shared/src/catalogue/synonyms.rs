//! The synonym table: everyday phrases ("sổ hồng", "BHXH") and the official words they stand
//! for, searched with as well as the query as typed (`speak.rs`).
//!
//! One table is shipped (`assets/catalogue/synonyms.tsv`); a centre keeps its own in the file
//! `[catalogue] synonyms` names, of the same shape, which the administrator edits in the console.
//! The table is read twice over: as written ([`SynonymPair`], what the console shows and writes
//! back) and folded for search ([`Synonyms`]), so an edit never rewrites what the centre typed.
use crate::text::tokens;
use serde::{Deserialize, Serialize};

/// The built-in table.
const BUILT_IN: &str = include_str!("../../../assets/catalogue/synonyms.tsv");

/// The longest side, in characters: a phrase, not a paragraph.
const MAX_SIDE_CHARS: usize = 200;

/// The most pairs a centre's table holds (the shipped one has about a hundred).
pub const MAX_CENTRE_PAIRS: usize = 2000;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {reason}")]
pub struct SynonymError {
    pub line: usize,
    pub reason: String,
}

/// A centre's own table that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SynonymFileError {
    #[error("cannot read the synonym table {path}: {source}")]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("the synonym table {path} is larger than 1 MiB")]
    TooLarge { path: std::path::PathBuf },
    #[error("the synonym table {path}, {source}")]
    Invalid { path: std::path::PathBuf, source: SynonymError },
}

/// One line of a table as written: what citizens say, and the official words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SynonymPair {
    /// What citizens type, e.g. "sổ hồng" (at most 8 words).
    pub everyday: String,
    /// The words the official names use, e.g. "giấy chứng nhận quyền sử dụng đất" (at most 12).
    pub official: String,
}

impl SynonymPair {
    /// Both sides folded for search, or why the pair cannot be used.
    fn folded(&self) -> Result<(Vec<String>, Vec<String>), &'static str> {
        let (everyday, official) = (self.everyday.trim(), self.official.trim());
        if [everyday, official].iter().any(|s| s.contains(['\t', '\n', '\r'])) {
            return Err("a side holds a tab or a line break");
        }
        if everyday.starts_with('#') {
            return Err("the everyday words begin with #, which starts a comment");
        }
        if [everyday, official].iter().any(|s| s.chars().count() > MAX_SIDE_CHARS) {
            return Err("a side is longer than 200 characters");
        }
        let (from, to) = (tokens(everyday), tokens(official));
        if from.is_empty() || to.is_empty() {
            return Err("a side has no words");
        }
        if from.len() > 8 || to.len() > 12 {
            return Err("at most 8 everyday words and 12 official ones");
        }
        Ok((from, to))
    }
}

/// The pairs of a table's text as written (sides trimmed): `everyday<TAB>official` per line;
/// `#` starts a comment line.
pub fn written_pairs(text: &str) -> Result<Vec<SynonymPair>, SynonymError> {
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let bad = |reason: &str| SynonymError { line: i + 1, reason: reason.to_owned() };
        let (from, to) = line.split_once('\t').ok_or_else(|| bad("no tab between the everyday words and the official ones"))?;
        let pair = SynonymPair { everyday: from.trim().to_owned(), official: to.trim().to_owned() };
        pair.folded().map_err(bad)?;
        pairs.push(pair);
    }
    Ok(pairs)
}

/// The shipped table as written.
pub fn shipped_pairs() -> Vec<SynonymPair> {
    written_pairs(BUILT_IN).expect("the built-in synonym table parses (a unit test reads it)")
}

/// A centre's table to keep: each pair usable and no everyday phrase twice (the second would
/// never be used). The error names the row, counted from 1.
pub fn check_centre_pairs(pairs: &[SynonymPair]) -> Result<(), SynonymError> {
    if pairs.len() > MAX_CENTRE_PAIRS {
        return Err(SynonymError { line: MAX_CENTRE_PAIRS + 1, reason: format!("at most {MAX_CENTRE_PAIRS} pairs") });
    }
    let mut seen = std::collections::HashMap::new();
    for (i, p) in pairs.iter().enumerate() {
        let (from, _) = p.folded().map_err(|reason| SynonymError { line: i + 1, reason: reason.to_owned() })?;
        if let Some(first) = seen.insert(from, i + 1) {
            return Err(SynonymError { line: i + 1, reason: format!("the same everyday words as row {first}") });
        }
    }
    Ok(())
}

/// The text of a centre's table: a comment saying what it is, then one pair per line.
pub fn to_tsv(pairs: &[SynonymPair]) -> String {
    let mut out = String::from(
        "# This centre's everyday words for search, added to the shipped table: one pair per line,\n\
         # what citizens say <TAB> the official words. Edited in the console (Danh mục thủ tục).\n",
    );
    for p in pairs {
        out.push_str(p.everyday.trim());
        out.push('\t');
        out.push_str(p.official.trim());
        out.push('\n');
    }
    out
}

/// The shipped table with the centre's own (`[catalogue] synonyms`) added. A centre's table
/// that cannot be read or parsed is logged and left out: search still works with the shipped
/// one, and the log names the file and the line. No file yet is no table yet: the console
/// creates it on its first save.
pub fn synonyms_for(centre: Option<&std::path::Path>) -> Synonyms {
    let mut s = Synonyms::built_in();
    if let Some(path) = centre {
        match Synonyms::load_path(path) {
            Ok(own) => {
                tracing::info!("synonym table {}: {} pairs", path.display(), own.len());
                s.extend(own);
            }
            Err(SynonymFileError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                tracing::info!("no synonym table of this centre at {} yet: searching with the shipped one", path.display());
            }
            Err(e) => tracing::error!("{e}; searching with the shipped synonyms only"),
        }
    }
    s
}

/// Everyday phrases and the official words they stand for, folded.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Longest phrase first, so "bằng lái xe" wins over "bằng lái".
    pairs: Vec<(Vec<String>, Vec<String>)>,
}

impl Synonyms {
    /// The table shipped with the kiosk.
    pub fn built_in() -> Synonyms {
        Synonyms::parse(BUILT_IN).expect("the built-in synonym table parses (a unit test reads it)")
    }

    /// A table: `everyday<TAB>official` per line; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Synonyms, SynonymError> {
        let pairs = written_pairs(text)?;
        let mut s = Synonyms { pairs: pairs.iter().filter_map(|p| p.folded().ok()).collect() };
        s.sort();
        Ok(s)
    }

    /// A table from a file (at most 1 MiB).
    pub fn load_path(path: &std::path::Path) -> Result<Synonyms, SynonymFileError> {
        let read = |source| SynonymFileError::Read { path: path.to_owned(), source };
        if std::fs::metadata(path).map_err(read)?.len() > 1 << 20 {
            return Err(SynonymFileError::TooLarge { path: path.to_owned() });
        }
        let text = std::fs::read_to_string(path).map_err(read)?;
        Synonyms::parse(&text).map_err(|source| SynonymFileError::Invalid { path: path.to_owned(), source })
    }

    /// Adds a centre's own pairs, which come before the shipped ones: for the same everyday
    /// words the centre's official words are used.
    pub fn extend(&mut self, centre: Synonyms) {
        let shipped = std::mem::replace(&mut self.pairs, centre.pairs);
        self.pairs.extend(shipped);
        self.sort();
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    fn sort(&mut self) {
        // Stable: of two pairs of one length, the first written wins.
        self.pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    }

    /// `words` with each everyday phrase replaced, left to right; `None` when none is there.
    pub fn rewrite(&self, words: &[String]) -> Option<Vec<String>> {
        let mut out = Vec::with_capacity(words.len() + 4);
        let (mut i, mut changed) = (0, false);
        'word: while i < words.len() {
            for (from, to) in &self.pairs {
                if words[i..].starts_with(from) {
                    out.extend(to.iter().cloned());
                    i += from.len();
                    changed = true;
                    continue 'word;
                }
            }
            out.push(words[i].clone());
            i += 1;
        }
        changed.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokens(s)
    }

    /// Proves the shipped table parses, and that phrases are replaced whole, longest first,
    /// accents and case ignored.
    #[test]
    fn everyday_phrases_become_the_official_words() {
        let s = Synonyms::built_in();
        assert!(s.len() > 80, "{}", s.len());
        assert_eq!(s.rewrite(&words("Sổ hồng lần đầu")), Some(words("giấy chứng nhận quyền sử dụng đất lần đầu")));
        assert_eq!(s.rewrite(&words("doi bang lai")), Some(words("đổi giấy phép lái xe")), "the longest phrase first");
        assert_eq!(s.rewrite(&words("BHXH 1 lan")), Some(words("bảo hiểm xã hội 1 lần")));
        assert_eq!(s.rewrite(&words("hộ chiếu")), None, "nothing to rewrite");
        assert_eq!(s.rewrite(&words("so")), None, "whole words only");
    }

    /// Proves a bad table is refused with its line.
    #[test]
    fn a_bad_table_names_its_line() {
        assert_eq!(Synonyms::parse("# c\nsổ hồng giấy chứng nhận").unwrap_err().line, 2);
        assert!(Synonyms::parse("x\t").unwrap_err().reason.contains("no words"));
        assert!(Synonyms::parse("a b c d e f g h i\tx").is_err());
    }

    /// Proves a centre's table extends the shipped one, and a bad one is left out, named.
    #[test]
    fn a_centres_table_is_added_or_named_and_left_out() {
        let dir = std::env::temp_dir().join(format!("synonyms-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.tsv");
        std::fs::write(&good, "# ours\nnhà văn hoá\tthiết chế văn hóa\n").unwrap();
        let s = synonyms_for(Some(&good));
        assert_eq!(s.len(), Synonyms::built_in().len() + 1);
        assert_eq!(s.rewrite(&words("nha van hoa")), Some(words("thiết chế văn hóa")));
        let bad = dir.join("bad.tsv");
        std::fs::write(&bad, "ok\tfine\nno tab here\n").unwrap();
        let e = Synonyms::load_path(&bad).unwrap_err().to_string();
        assert!(e.contains("bad.tsv") && e.contains("line 2"), "{e}");
        assert_eq!(synonyms_for(Some(&bad)).len(), Synonyms::built_in().len(), "left out");
        assert!(matches!(Synonyms::load_path(&dir.join("none.tsv")), Err(SynonymFileError::Read { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Proves a centre's pair wins over the shipped one for the same everyday words, and that a
    /// centre with no file yet searches with the shipped table (the console creates the file).
    #[test]
    fn a_centres_pair_overrides_the_shipped_one_and_no_file_is_no_table() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("own.tsv");
        std::fs::write(&own, "sổ hồng\tquyền sở hữu nhà ở\n").unwrap();
        assert_eq!(synonyms_for(Some(&own)).rewrite(&words("so hong")), Some(words("quyền sở hữu nhà ở")));
        assert_eq!(synonyms_for(Some(&dir.path().join("none.tsv"))).len(), Synonyms::built_in().len());
    }

    /// Proves the table round-trips as written (accents, case and spacing inside kept), and a
    /// centre's table is refused with the row of a pair that would break the file or never be used.
    #[test]
    fn a_centres_pairs_are_written_back_as_typed_or_refused_by_row() {
        let pairs = vec![
            SynonymPair { everyday: " Nhà Văn hoá ".into(), official: "thiết chế văn hóa".into() },
            SynonymPair { everyday: "CCCD".into(), official: "căn cước".into() },
        ];
        check_centre_pairs(&pairs).unwrap();
        let text = to_tsv(&pairs);
        let back = written_pairs(&text).unwrap();
        assert_eq!(back[0].everyday, "Nhà Văn hoá");
        assert_eq!(back[1], pairs[1]);
        let refused = |everyday: &str, official: &str| {
            let mut p = pairs.clone();
            p.push(SynonymPair { everyday: everyday.into(), official: official.into() });
            check_centre_pairs(&p).unwrap_err()
        };
        assert_eq!(refused("a\tb", "c"), SynonymError { line: 3, reason: "a side holds a tab or a line break".into() });
        assert_eq!(refused("x", "y\nz").line, 3);
        assert!(refused("# x", "y").reason.contains("comment"));
        assert!(refused("  ", "y").reason.contains("no words"));
        assert!(refused("nha van hoa", "y").reason.contains("row 1"), "the same words, accents aside");
        assert!(refused(&"a".repeat(201), "y").reason.contains("200"));
        let many = vec![pairs[1].clone(); MAX_CENTRE_PAIRS + 1];
        assert!(check_centre_pairs(&many).unwrap_err().reason.contains("at most"));
        assert_eq!(shipped_pairs().len(), Synonyms::built_in().len());
    }
}

//! Search the way citizens speak: everyday names and abbreviations ("sổ hồng", "BHXH", "bằng
//! lái"), typing slips ("chieuu", "khai sihn") and words run together ("dangky", "hochieu").
//!
//! A query is searched as typed and, where these apply, as rewritten; each procedure keeps the
//! better of its scores (a rewritten query's a little lowered, since it is a guess). Rewriting
//! never rewords the catalogue: it only changes what is looked for.
//!
//! - `Synonyms`: a table of everyday phrase → the official words, shipped in
//!   `assets/catalogue/synonyms.tsv` and extendable by the centre. Whole words only, accents and
//!   case ignored, the longest phrase first.
//! - `repair`: a word the vocabulary does not know (as typed, nor through a Telex/VNI reading)
//!   is split into two known words that stand side by side in some name, or else replaced by
//!   the most common known word one edit away (a letter missing, extra, wrong or two swapped).
use super::index::Index;
use super::telex;
use crate::text::tokens;

/// The built-in table.
const BUILT_IN: &str = include_str!("../../../assets/catalogue/synonyms.tsv");

/// Words shorter than this are not repaired: one edit from a short word is too many words.
const MIN_REPAIR: usize = 4;

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

/// The shipped table with the centre's own (`[catalogue] synonyms`) added. A centre's table
/// that cannot be read or parsed is logged and left out: search still works with the shipped
/// one, and the log names the file and the line.
pub fn synonyms_for(centre: Option<&std::path::Path>) -> Synonyms {
    let mut s = Synonyms::built_in();
    if let Some(path) = centre {
        match Synonyms::load_path(path) {
            Ok(own) => {
                tracing::info!("synonym table {}: {} pairs", path.display(), own.len());
                s.extend(own);
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
        let mut s = Synonyms::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let bad = |reason: &str| SynonymError { line: i + 1, reason: reason.to_owned() };
            let (from, to) = line.split_once('\t').ok_or_else(|| bad("no tab between the everyday words and the official ones"))?;
            let (from, to) = (tokens(from), tokens(to));
            if from.is_empty() || to.is_empty() {
                return Err(bad("a side has no words"));
            }
            if from.len() > 8 || to.len() > 12 {
                return Err(bad("at most 8 everyday words and 12 official ones"));
            }
            s.pairs.push((from, to));
        }
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

    /// Adds `other`'s pairs (a centre's own, after the shipped ones).
    pub fn extend(&mut self, other: Synonyms) {
        self.pairs.extend(other.pairs);
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

/// Whether the vocabulary knows `w` (as typed or through a Telex/VNI reading); as a beginning
/// of words when `prefix`.
fn known(index: &Index, w: &str, prefix: bool) -> bool {
    telex::variants(w).iter().any(|v| !index.terms(v, prefix).is_empty())
}

/// `words` with the unknown ones repaired; `None` when nothing was. The last word, still being
/// typed (`last_is_prefix`), is left alone while it begins some known word.
pub(crate) fn repair(index: &Index, words: &[String], last_is_prefix: bool) -> Option<Vec<String>> {
    let mut out = Vec::with_capacity(words.len() + 2);
    let mut changed = false;
    for (i, w) in words.iter().enumerate() {
        let prefix = last_is_prefix && i + 1 == words.len();
        if w.chars().count() < MIN_REPAIR || w.bytes().any(|b| b.is_ascii_digit()) || known(index, w, prefix) || known(index, w, false) {
            out.push(w.clone());
            continue;
        }
        match split(index, w).or_else(|| nearest(index, w).map(|v| vec![v])) {
            Some(fixed) => {
                out.extend(fixed);
                changed = true;
            }
            None => out.push(w.clone()),
        }
    }
    changed.then_some(out)
}

/// "dangky" → ["dang", "ky"]: the split into two known words found next to each other in the
/// most names (a split no name has is no split: "hochieu" is not "hoc hieu").
fn split(index: &Index, w: &str) -> Option<Vec<String>> {
    let mut best: Option<(usize, Vec<String>)> = None;
    for (at, _) in w.char_indices().skip(2) {
        let (a, b) = w.split_at(at);
        if b.chars().count() < 2 {
            break;
        }
        let (ta, tb) = (index.terms(a, false), index.terms(b, false));
        if ta.is_empty() || tb.is_empty() {
            continue;
        }
        let together = index.adjacent(ta.start, tb.start);
        if together > 0 && best.as_ref().is_none_or(|(n, _)| together > *n) {
            best = Some((together, vec![a.to_owned(), b.to_owned()]));
        }
    }
    best.map(|(_, words)| words)
}

/// The known word one edit from `w` that the most procedures use. Folded words are ASCII, so
/// the comparison is of bytes, with no allocation per word of the vocabulary.
fn nearest(index: &Index, w: &str) -> Option<String> {
    let w = w.as_bytes();
    index
        .vocab_words()
        .filter(|(v, _)| v.len().abs_diff(w.len()) <= 1 && one_edit(w, v.as_bytes()))
        .max_by_key(|(_, uses)| *uses)
        .map(|(v, _)| v.to_owned())
}

/// Whether `a` and `b` differ by exactly one letter missing, added, changed, or two
/// neighbours swapped.
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[head..], &b[head..]);
    let tail = ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&ra[..ra.len() - tail.min(ra.len())], &rb[..rb.len() - tail.min(rb.len())]);
    match (ma.len(), mb.len()) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => ma[0] == mb[1] && ma[1] == mb[0],
        _ => false,
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

    /// Proves what one edit is.
    #[test]
    fn one_edit_is_one_letter_or_one_swap() {
        let e = |a: &str, b: &str| one_edit(a.as_bytes(), b.as_bytes());
        assert!(e("chieuu", "chieu") && e("chieu", "chieuu") && e("sihn", "sinh") && e("khai", "khao"));
        assert!(!e("chieu", "chieu") && !e("sinhh", "sin") && !e("abcd", "badc"));
    }
}

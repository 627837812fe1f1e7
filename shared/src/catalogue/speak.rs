//! Search the way citizens speak: everyday names and abbreviations ("sổ hồng", "BHXH", "bằng
//! lái"), typing slips ("chieuu", "khai sihn") and words run together ("dangky", "hochieu").
//!
//! A query is searched as typed and, where these apply, as rewritten; each procedure keeps the
//! better of its scores (a rewritten query's a little lowered, since it is a guess). Rewriting
//! never rewords the catalogue: it only changes what is looked for.
//!
//! - [`Synonyms`] (`synonyms.rs`): a table of everyday phrase → the official words, shipped and
//!   extendable by the centre. Whole words only, accents and case ignored, the longest first.
//! - `repair`: a word the vocabulary does not know (as typed, nor through a Telex/VNI reading)
//!   is split into two known words that stand side by side in some name, or else replaced by
//!   the most common known word one edit away (a letter missing, extra, wrong or two swapped).
use super::index::Index;
use super::telex;

/// Words shorter than this are not repaired: one edit from a short word is too many words.
const MIN_REPAIR: usize = 4;

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

    /// Proves what one edit is.
    #[test]
    fn one_edit_is_one_letter_or_one_swap() {
        let e = |a: &str, b: &str| one_edit(a.as_bytes(), b.as_bytes());
        assert!(e("chieuu", "chieu") && e("chieu", "chieuu") && e("sihn", "sinh") && e("khai", "khao"));
        assert!(!e("chieu", "chieu") && !e("sinhh", "sin") && !e("abcd", "badc"));
    }
}

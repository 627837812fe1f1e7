//! The in-memory search index, built once per catalogue load.
//!
//! A sorted vocabulary of folded words (so a typed prefix is one contiguous
//! range, found by binary search), a posting list of documents per word, and
//! per document the word sequence of its name (kept in order for the phrase
//! bonus) plus the word sets of its keywords and field names. Codes have their
//! own sorted lists for typed-code lookup. Sizes here are u32 ids: a catalogue
//! of a few thousand procedures stays well under a megabyte.

use std::collections::BTreeSet;
use std::mem::size_of;
use std::ops::Range;

use super::record::Procedure;
use crate::text::tokens;

/// The indexed words of one procedure, as vocabulary ids.
pub(crate) struct DocTerms {
    /// The name's words in order.
    pub name: Box<[u32]>,
    /// Where the name's own words start: 2 after a leading "Thủ tục", which
    /// many official names carry and no citizen types.
    pub name_start: u8,
    /// Keyword (`TUKHOA`) words, sorted, unique.
    pub keywords: Box<[u32]>,
    /// Field name words, sorted, unique.
    pub fields: Box<[u32]>,
}

pub(crate) struct Index {
    vocab: Vec<Box<str>>,
    postings: Vec<Box<[u32]>>,
    pub docs: Vec<DocTerms>,
    /// Popularity in 0..=1: ln(1 + weight) / ln(1 + largest weight).
    pub popularity: Vec<f32>,
    /// Whole codes, sorted, with their document.
    codes: Vec<(Box<str>, u32)>,
    /// The six digits of the national part ("004194"), sorted.
    digits: Vec<(Box<str>, u32)>,
}

fn keyword_text(p: &Procedure) -> &str {
    p.keywords.as_deref().unwrap_or("")
}

fn field_text(p: &Procedure) -> String {
    let names = p.fields.iter().filter_map(|f| f.name.as_deref());
    names.collect::<Vec<_>>().join(" ")
}

impl Index {
    pub fn build(procs: &[Procedure]) -> Index {
        let folded: Vec<[Vec<String>; 3]> =
            procs.iter().map(|p| [tokens(&p.name), tokens(keyword_text(p)), tokens(&field_text(p))]).collect();
        let vocab: Vec<Box<str>> =
            folded.iter().flatten().flatten().map(String::as_str).collect::<BTreeSet<_>>().into_iter().map(Box::from).collect();
        let id = |w: &String| vocab.binary_search_by(|t| (**t).cmp(w.as_str())).unwrap_or(0) as u32;
        let set = |ws: &[String]| -> Box<[u32]> { ws.iter().map(id).collect::<BTreeSet<_>>().into_iter().collect() };
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        let mut docs = Vec::with_capacity(procs.len());
        for (d, [name, keywords, fields]) in folded.iter().enumerate() {
            let doc = DocTerms {
                name: name.iter().map(id).collect(),
                name_start: if name.len() > 2 && name[0] == "thu" && name[1] == "tuc" { 2 } else { 0 },
                keywords: set(keywords),
                fields: set(fields),
            };
            let all: BTreeSet<u32> = doc.name.iter().chain(&*doc.keywords).chain(&*doc.fields).copied().collect();
            for t in all {
                postings[t as usize].push(d as u32);
            }
            docs.push(doc);
        }
        let max = procs.iter().map(|p| p.weight).max().unwrap_or(0);
        let scale = ((max as f64) + 1.0).ln().max(1.0);
        let popularity = procs.iter().map(|p| (((p.weight as f64) + 1.0).ln() / scale) as f32).collect();
        let mut codes: Vec<(Box<str>, u32)> = procs.iter().enumerate().map(|(d, p)| (p.code.as_str().into(), d as u32)).collect();
        codes.sort();
        let mut digits: Vec<(Box<str>, u32)> = procs.iter().enumerate().map(|(d, p)| (p.code.digits().into(), d as u32)).collect();
        digits.sort();
        Index { vocab, postings: postings.into_iter().map(Vec::into_boxed_slice).collect(), docs, popularity, codes, digits }
    }

    pub fn vocab_len(&self) -> usize {
        self.vocab.len()
    }

    pub fn postings(&self, t: u32) -> &[u32] {
        &self.postings[t as usize]
    }

    /// The ids of the words equal to `w`, or starting with it when `prefix`.
    pub fn terms(&self, w: &str, prefix: bool) -> Range<u32> {
        let lo = self.vocab.partition_point(|t| &**t < w);
        let len = if prefix {
            self.vocab[lo..].partition_point(|t| t.starts_with(w))
        } else {
            usize::from(self.vocab.get(lo).is_some_and(|t| &**t == w))
        };
        lo as u32..(lo + len) as u32
    }

    /// Every word with the number of procedures that use it.
    pub fn vocab_words(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.vocab.iter().zip(&self.postings).map(|(w, p)| (&**w, p.len()))
    }

    /// In how many names word `a` is followed by word `b`.
    pub fn adjacent(&self, a: u32, b: u32) -> usize {
        let next_to = |d: &u32| self.docs[*d as usize].name.windows(2).any(|w| w[0] == a && w[1] == b);
        self.postings(a).iter().filter(|d| next_to(d)).count()
    }

    /// Documents whose whole code starts with `s` (exact when equal).
    pub fn codes_starting<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (bool, u32)> + 'a {
        starting(&self.codes, s)
    }

    /// Documents whose six national digits start with `s`.
    pub fn digits_starting<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (bool, u32)> + 'a {
        starting(&self.digits, s)
    }

    /// Approximate heap bytes of the index, for the bench and for sizing.
    pub fn heap_bytes(&self) -> usize {
        let boxed = |v: &[Box<str>]| v.iter().map(|s| s.len() + size_of::<Box<str>>()).sum::<usize>();
        let coded = |v: &[(Box<str>, u32)]| v.iter().map(|(s, _)| s.len() + size_of::<(Box<str>, u32)>()).sum::<usize>();
        let posting_bytes: usize = self.postings.iter().map(|p| p.len() * 4 + size_of::<Box<[u32]>>()).sum();
        let doc_bytes: usize =
            self.docs.iter().map(|d| size_of::<DocTerms>() + 4 * (d.name.len() + d.keywords.len() + d.fields.len())).sum();
        boxed(&self.vocab) + posting_bytes + doc_bytes + self.popularity.len() * 4 + coded(&self.codes) + coded(&self.digits)
    }
}

fn starting<'a>(list: &'a [(Box<str>, u32)], s: &'a str) -> impl Iterator<Item = (bool, u32)> + 'a {
    let lo = list.partition_point(|(c, _)| &**c < s);
    list[lo..].iter().take_while(move |(c, _)| c.starts_with(s)).map(move |(c, d)| (&**c == s, *d))
}

//! Search as a citizen types: accent- and case-insensitive, any word order,
//! the last word matched as a prefix, Telex/VNI leftovers tolerated, and codes.
//!
//! Ranking, per document (weights chosen on the real 2,929 procedures, see
//! the quality tests):
//! - relevance: per query word the best place it matched — name (1.0 as
//!   typed, 0.8 through a Telex/VNI reading when the word as typed also
//!   matches something), keywords (0.6 / 0.5), field name (0.4 / 0.3) —
//!   averaged over the words, ×10. The word still being typed matches any
//!   word it begins, all alike;
//! - +3 when every word matched, so complete matches come first;
//! - phrase: the share of consecutive query word pairs found next to each
//!   other in the name, ×1.5; +0.5 when the name starts with the first word;
//! - brevity: the share of the name's words that matched, ×1, so among equal
//!   matches the shorter name wins ("Đăng ký tạm trú" before "Xóa đăng ký tạm trú");
//! - popularity: the portal weight, log-scaled to 0..1, ×2.5, so the popular
//!   procedure wins among equally relevant ones without burying a better match.

use super::index::Index;
use super::speak;
use super::synonyms::Synonyms;
use super::telex;
use crate::text::{fold, tokens};

/// Query words beyond this are ignored: masks are u32 and nobody types more.
const MAX_WORDS: usize = 16;

const NAME_EXACT: f32 = 1.0;
const NAME_LOOSE: f32 = 0.8;
const KEYWORD_EXACT: f32 = 0.6;
const KEYWORD_LOOSE: f32 = 0.5;
const FIELD_EXACT: f32 = 0.4;
const FIELD_LOOSE: f32 = 0.3;
const W_RELEVANCE: f32 = 10.0;
const W_ALL: f32 = 3.0;
const W_PHRASE: f32 = 1.5;
const W_START: f32 = 0.5;
const W_BREVITY: f32 = 1.0;
const W_POPULAR: f32 = 2.5;
/// A rewritten query's scores count a little less than the query's own.
const REWRITTEN: f32 = 0.97;
/// A typed code outranks any text match.
const CODE_EXACT: f32 = 1000.0;
const CODE_PREFIX: f32 = 500.0;

/// Per vocabulary word, which query words it matches (bit i = word i): as
/// typed (`exact`), or only through a Telex/VNI reading (`loose`).
struct Marks {
    exact: Vec<u32>,
    loose: Vec<u32>,
    touched: Vec<u32>,
    words: usize,
}

impl Marks {
    fn of(&self, t: u32) -> (u32, u32) {
        (self.exact[t as usize], self.loose[t as usize])
    }
}

fn mark_words(index: &Index, words: &[String], last_is_prefix: bool) -> Marks {
    let n = index.vocab_len();
    let mut m = Marks { exact: vec![0; n], loose: vec![0; n], touched: Vec::new(), words: words.len() };
    for (i, word) in words.iter().enumerate() {
        let bit = 1u32 << i;
        let prefix = last_is_prefix && i + 1 == words.len();
        let variants = telex::variants(word);
        // A Telex reading counts as whole when the word as typed matches
        // nothing: "kys" can only have meant "ký".
        let typed_found = !index.terms(word, prefix).is_empty();
        for (k, v) in variants.iter().enumerate() {
            // The word being typed matches every word it begins, all alike: "d"
            // is no more likely to mean "D" (as in "loại C, D") than "đăng".
            let whole = k == 0 || !typed_found;
            for t in index.terms(v, prefix) {
                if m.exact[t as usize] | m.loose[t as usize] == 0 {
                    m.touched.push(t);
                }
                let slot = if whole { &mut m.exact } else { &mut m.loose };
                slot[t as usize] |= bit;
            }
        }
    }
    m
}

/// Scores document `d` against the marked query words.
fn score_doc(index: &Index, m: &Marks, d: usize) -> f32 {
    let doc = &index.docs[d];
    let n = m.words;
    let (mut name_exact, mut name_any, mut pairs, mut hit_positions) = (0u32, 0u32, 0u32, 0usize);
    let mut prev = 0u32;
    for &t in doc.name.iter() {
        let (e, l) = m.of(t);
        let cur = e | l;
        name_exact |= e;
        name_any |= cur;
        // Bit i+1 set in `pairs`: words i and i+1 stand next to each other.
        pairs |= (prev << 1) & cur;
        hit_positions += usize::from(cur != 0);
        prev = cur;
    }
    let (mut kw_exact, mut kw_any, mut f_exact, mut f_any) = (0u32, 0u32, 0u32, 0u32);
    for &t in doc.keywords.iter() {
        let (e, l) = m.of(t);
        kw_exact |= e;
        kw_any |= e | l;
    }
    for &t in doc.fields.iter() {
        let (e, l) = m.of(t);
        f_exact |= e;
        f_any |= e | l;
    }
    let mut relevance = 0.0;
    for i in 0..n {
        let bit = 1u32 << i;
        let pick = [
            (name_exact, NAME_EXACT),
            (name_any, NAME_LOOSE),
            (kw_exact, KEYWORD_EXACT),
            (kw_any, KEYWORD_LOOSE),
            (f_exact, FIELD_EXACT),
            (f_any, FIELD_LOOSE),
        ];
        relevance += pick.iter().find(|(mask, _)| mask & bit != 0).map_or(0.0, |p| p.1);
    }
    let all = (1u32 << n) - 1;
    let matched = name_any | kw_any | f_any;
    let phrase = if n > 1 { (pairs & all).count_ones() as f32 / (n - 1) as f32 } else { 0.0 };
    let starts = doc.name.get(usize::from(doc.name_start)).is_some_and(|&t| (m.of(t).0 | m.of(t).1) & 1 != 0);
    let brevity = if doc.name.is_empty() { 0.0 } else { hit_positions as f32 / doc.name.len() as f32 };
    W_RELEVANCE * relevance / n as f32
        + if matched == all { W_ALL } else { 0.0 }
        + W_PHRASE * phrase
        + if starts { W_START } else { 0.0 }
        + W_BREVITY * brevity
        + W_POPULAR * index.popularity[d]
}

/// Documents a code-shaped query points at: the whole code typed ("1.004194",
/// "1.001612.000.00.00.H48"), its beginning ("1.0041"), or its six digits or
/// their beginning ("004194", "0041").
fn code_hits(index: &Index, q: &str, out: &mut Vec<(f32, u32)>) {
    let b = q.as_bytes();
    let national_prefix =
        b.len() >= 4 && matches!(b[0], b'1'..=b'3') && b[1] == b'.' && b[2..].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'.');
    let digits_prefix = (4..=6).contains(&b.len()) && b.iter().all(u8::is_ascii_digit);
    let upper = q.to_ascii_uppercase();
    let mut push = |(exact, d): (bool, u32)| {
        let base = if exact { CODE_EXACT } else { CODE_PREFIX };
        out.push((base + W_POPULAR * index.popularity[d as usize], d));
    };
    if national_prefix {
        index.codes_starting(&upper).for_each(&mut push);
    } else if digits_prefix {
        index.digits_starting(q).for_each(&mut push);
    }
}

/// Ranked `(score, document)` pairs for `query`, best first, at most `limit`,
/// only documents `accept` lets through. An empty query lists the accepted
/// documents by popularity (the browsing view).
///
/// The query is also searched as `speak` rewrites it (repaired, and with
/// everyday phrases in official words); a procedure keeps its best score, a
/// rewritten query's lowered by `REWRITTEN` since it is a guess.
pub(crate) fn search(
    index: &Index,
    speak: Option<&Synonyms>,
    query: &str,
    accept: impl Fn(usize) -> bool,
    limit: usize,
) -> Vec<(f32, u32)> {
    let mut scored: Vec<(f32, u32)> = Vec::new();
    code_hits(index, fold(query).as_str(), &mut scored);
    scored.retain(|&(_, d)| accept(d as usize));
    let mut words = tokens(query);
    words.truncate(MAX_WORDS);
    if words.is_empty() && scored.is_empty() {
        let browse = (0..index.docs.len()).filter(|&d| accept(d));
        scored.extend(browse.map(|d| (index.popularity[d], d as u32)));
    } else if !words.is_empty() {
        // Still typing the last word unless a space or punctuation ended it.
        let last_is_prefix = query.chars().last().is_some_and(char::is_alphanumeric);
        let marks = mark_words(index, &words, last_is_prefix);
        text_hits(index, &marks, &accept, limit, &mut scored);
        let Some(synonyms) = speak else { return ranked(scored, limit) };
        // The query as typed and, when repaired, as repaired (its last word is whole then);
        // each searched again with its everyday phrases in official words.
        let mut bases = vec![(words.clone(), last_is_prefix)];
        bases.extend(speak::repair(index, &words, last_is_prefix).map(|r| (r, false)));
        let mut guesses: Vec<(Vec<String>, bool)> = bases[1..].to_vec();
        for (base, prefix) in &bases {
            if let Some(mut w) = synonyms.rewrite(base) {
                w.truncate(MAX_WORDS);
                // A phrase that ended the query was typed whole.
                let prefix = *prefix && base.last() == w.last();
                if !guesses.iter().any(|(g, _)| *g == w) {
                    guesses.push((w, prefix));
                }
            }
        }
        for (w, prefix) in guesses {
            let mut more = Vec::new();
            text_hits(index, &mark_words(index, &w, prefix), &accept, limit, &mut more);
            merge(&mut scored, more.into_iter().map(|(s, d)| (s * REWRITTEN, d)));
        }
    }
    ranked(scored, limit)
}

/// The best `limit`, best first.
fn ranked(mut scored: Vec<(f32, u32)>, limit: usize) -> Vec<(f32, u32)> {
    if scored.len() > limit && limit > 0 {
        scored.select_nth_unstable_by(limit - 1, better);
    }
    scored.truncate(limit);
    scored.sort_unstable_by(better);
    scored
}

/// Adds `more` to `scored`, a document keeping the higher of its two scores.
fn merge(scored: &mut Vec<(f32, u32)>, more: impl Iterator<Item = (f32, u32)>) {
    let mut at: std::collections::HashMap<u32, usize> = scored.iter().enumerate().map(|(i, &(_, d))| (d, i)).collect();
    for (s, d) in more {
        match at.get(&d) {
            Some(&i) => scored[i].0 = scored[i].0.max(s),
            None => {
                at.insert(d, scored.len());
                scored.push((s, d));
            }
        }
    }
}

/// Best first; equal scores in catalogue order, so results are stable.
fn better(a: &(f32, u32), b: &(f32, u32)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Scores the documents the query words reach, appending to `scored` (which
/// may already hold code hits; those documents are not scored again).
///
/// Documents that match every word are scored first. A document that misses
/// words is scored only if its best possible score could still reach the
/// `limit`-th best so far: with the first keystrokes of a second word, most
/// documents match only the first and are skipped without being read.
fn text_hits(index: &Index, m: &Marks, accept: impl Fn(usize) -> bool, limit: usize, scored: &mut Vec<(f32, u32)>) {
    let mut mask = vec![0u32; index.docs.len()];
    let mut reached = Vec::new();
    for &t in &m.touched {
        let bits = m.exact[t as usize] | m.loose[t as usize];
        for &d in index.postings(t) {
            let slot = &mut mask[d as usize];
            if *slot == 0 {
                reached.push(d);
            }
            *slot |= bits;
        }
    }
    // Code hits are already ranked: leave them out.
    for &(_, d) in scored.iter() {
        mask[d as usize] = 0;
    }
    let all = (1u32 << m.words) - 1;
    let reached: Vec<u32> = reached.into_iter().filter(|&d| accept(d as usize)).collect();
    for &d in &reached {
        if mask[d as usize] == all {
            scored.push((score_doc(index, m, d as usize), d));
        }
    }
    let threshold = if limit > 0 && scored.len() >= limit {
        scored.select_nth_unstable_by(limit - 1, better);
        scored[limit - 1].0
    } else {
        f32::NEG_INFINITY
    };
    let n = m.words as f32;
    for &d in &reached {
        let bits = mask[d as usize];
        if bits == 0 || bits == all {
            continue;
        }
        // Every matched word in the name, all of them in a row at the start,
        // the whole name matched: nothing can score higher.
        let k = bits.count_ones() as f32;
        let bound = W_RELEVANCE * k / n
            + W_PHRASE * (k - 1.0) / (n - 1.0).max(1.0)
            + W_START
            + W_BREVITY
            + W_POPULAR * index.popularity[d as usize];
        if bound >= threshold {
            scored.push((score_doc(index, m, d as usize), d));
        }
    }
}

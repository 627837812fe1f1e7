//! Where a configuration goes wrong: the path of a value (`Seg`s), the rule it breaks
//! (`Problem`), and the line of the file it is written on. A leaf module: every configuration of
//! the project (the kiosk's and authority's here, the display's in its own crate) locates its
//! refusals with it, so each says `file:line: reason` the same way.
use std::fmt;

/// One step of the way to a value: a table key or an array index.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A rule broken by a value, found by `check.rs`, located here.
#[derive(Debug)]
pub struct Problem {
    pub at: Vec<Seg>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.at.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl Problem {
    pub fn new(at: Vec<Seg>, message: impl Into<String>) -> Problem {
        Problem { at, message: message.into() }
    }
}

/// The line and message of a TOML syntax or type error. For an unknown key inside a table, toml
/// points at the table: the key's own line is found, so the refusal names the typo's line.
pub fn syntax(text: &str, e: &toml::de::Error) -> (Option<usize>, String) {
    let message = e.message().trim().to_owned();
    let key_line = e.span().zip(message.strip_prefix("unknown field `")).and_then(|(span, rest)| {
        let key = rest.split('`').next()?;
        // The span may cover only the table's header: search on to the next header.
        let mut offset = span.start;
        let mut lines = text[span.start..].split_inclusive('\n').enumerate();
        lines
            .find_map(|(i, line)| {
                let here = offset;
                offset += line.len();
                let t = line.trim_start();
                if i > 0 && t.starts_with('[') {
                    return Some(None);
                }
                (t.starts_with(key) && t[key.len()..].trim_start().starts_with('=')).then(|| Some(line_of(text, here)))
            })
            .flatten()
    });
    (key_line.or(e.span().map(|s| line_of(text, s.start))), message)
}

pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Finds the line of a value from its path, walking the document as written. When the exact
/// value is absent (a default was used), the nearest enclosing table that is written is named.
pub fn locate(text: &str, at: &[Seg]) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    for seg in at {
        match node.step(seg) {
            Some(next) => {
                node = next;
                best = node.span().map(|s| line_of(text, s.start)).or(best);
            }
            None => break,
        }
    }
    best
}

/// A place in a parsed document: arrays of tables hold tables and inline values hold values, so
/// a walk by path has to go through all three kinds.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a toml_edit::Item),
    Table(&'a toml_edit::Table),
    Value(&'a toml_edit::Value),
}

impl<'a> Node<'a> {
    fn step(self, seg: &Seg) -> Option<Node<'a>> {
        use toml_edit::Item;
        match (self, seg) {
            (Node::Item(Item::Table(t)) | Node::Table(t), Seg::Key(k)) => t.get(k).map(Node::Item),
            (Node::Item(Item::Value(v)) | Node::Value(v), Seg::Key(k)) => v.as_inline_table()?.get(k).map(Node::Value),
            (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => a.get(*i).map(Node::Table),
            (Node::Item(Item::Value(v)) | Node::Value(v), Seg::Index(i)) => v.as_array()?.get(*i).map(Node::Value),
            _ => None,
        }
    }

    fn span(self) -> Option<std::ops::Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }
}

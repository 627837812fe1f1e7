//! Reading a configuration file: every refusal names the file, the line and the reason.
use super::Config;
use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {kind}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line of the offending key or value, when it can be told.
    pub line: Option<usize>,
    pub kind: ConfigErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigErrorKind {
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

/// One step of the way to a value: a table key or an array index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A rule broken by a value, found by `check.rs`, located here.
#[derive(Debug)]
pub(crate) struct Problem {
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

impl Config {
    /// Reads, parses and checks a configuration file. A relative store path is resolved against
    /// the file's folder, so the same file works from any working directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            line: None,
            kind: ConfigErrorKind::Read(e),
        })?;
        let mut config = Config::parse(&text).map_err(|(line, kind)| ConfigError {
            path: path.to_owned(),
            line,
            kind,
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != ":memory:" {
                *p = dir.join(&*p);
            }
        };
        resolve(&mut config.store.path);
        for p in [&mut config.catalogue.procedures, &mut config.catalogue.fields, &mut config.printer.logo].into_iter().flatten() {
            resolve(p);
        }
        match &mut config.printer.device {
            super::PrinterDevice::Simulator { dir: p } | super::PrinterDevice::File { path: p } => resolve(p),
            _ => {}
        }
        Ok(config)
    }

    /// Parses and checks configuration text; the error carries the line where it can be told.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, ConfigErrorKind)> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            (line, ConfigErrorKind::Syntax(e.message().trim().to_owned()))
        })?;
        if let Some(p) = super::check::check(&config).into_iter().next() {
            return Err((locate(text, &p.at), ConfigErrorKind::Invalid(p.to_string())));
        }
        Ok(config)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Finds the line of a value from its path, walking the document as written. When the exact
/// value is absent (a default was used), the nearest enclosing table that is written is named.
fn locate(text: &str, at: &[Seg]) -> Option<usize> {
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
            (Node::Item(Item::Value(v)) | Node::Value(v), Seg::Key(k)) => {
                v.as_inline_table()?.get(k).map(Node::Value)
            }
            (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => a.get(*i).map(Node::Table),
            (Node::Item(Item::Value(v)) | Node::Value(v), Seg::Index(i)) => {
                v.as_array()?.get(*i).map(Node::Value)
            }
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

//! A small positioned DOM for WSDL, XSD and catalog files.
//!
//! Built on quick-xml's pull parser, with our own namespace scoping so that every element
//! knows the namespace declarations in scope at it (needed to resolve QName-valued
//! attributes such as `element="tns:city"` and to lift inline schemas out of `wsdl:types`).
//!
//! Safety rules: a `<!DOCTYPE` is refused (no DTDs, so no external or custom entities, no
//! entity expansion attacks); only the five predefined entities and character references
//! are expanded. Input may start with a UTF-8 BOM; UTF-16 (by BOM) and any encoding named
//! in the XML declaration that `encoding_rs` knows (e.g. `windows-1251`) are decoded to
//! UTF-8 first. Every error carries `file:line:column`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::model::{Location, QName};
use crate::{Error, Result};

/// The namespace bound to the `xml` prefix.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";
/// Deepest element nesting accepted (the DOM is walked recursively).
const MAX_DEPTH: usize = 512;

/// A parsed XML document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it was read from (as given).
    pub path: PathBuf,
    /// The document element.
    pub root: Element,
}

/// One attribute (namespace declarations are not attributes here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Resolved name: unprefixed attributes are in no namespace.
    pub name: QName,
    /// The qualified name as written (`wsdl:required`), kept for re-serialization.
    pub raw_name: String,
    /// The value, with references expanded and whitespace normalized.
    pub value: String,
}

/// Namespace bindings in scope; prefix `""` is the default namespace (`""` URI = none).
type Scope = BTreeMap<String, String>;

/// A child node.
#[derive(Debug, Clone)]
enum Node {
    Element(Element),
    /// Text and CDATA content, references expanded.
    Text(String),
}

/// An element with its resolved name, position and content.
#[derive(Debug, Clone)]
pub struct Element {
    /// Resolved name.
    pub name: QName,
    /// Where the start tag begins.
    pub at: Location,
    /// The prefix as written (for re-serialization).
    prefix: Option<String>,
    /// Namespace declarations made on this element, in document order.
    decls: Vec<(String, String)>,
    attrs: Vec<Attribute>,
    children: Vec<Node>,
    /// Bindings in scope at this element (shared with descendants that declare nothing).
    scope: Arc<Scope>,
}

impl Document {
    /// Reads and parses the file `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Xml`] when it is not well-formed,
    /// has a DOCTYPE, an unknown entity or an undeclared prefix.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse_bytes(&bytes, path)
    }

    /// Parses raw bytes read from `path` (BOM and declared encoding honoured).
    ///
    /// # Errors
    /// See [`Document::load`].
    pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let text = decode(bytes, path)?;
        Self::parse(&text, path)
    }

    /// Parses `text`; `path` is only used in locations.
    ///
    /// # Errors
    /// See [`Document::load`].
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Parser::new(text, path).run().map(|root| Document {
            path: path.to_owned(),
            root,
        })
    }
}

/// Decodes file bytes to UTF-8 text.
fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    let err = |message: String| Error::Xml {
        at: Location {
            file: path.to_owned(),
            line: 1,
            column: 1,
        },
        message,
    };
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        // A BOM wins over the declaration.
        let (text, _, bad) = enc.decode(bytes);
        if bad {
            return Err(err(format!("invalid {} data", enc.name())));
        }
        return Ok(text.into_owned());
    }
    let label = declared_encoding(bytes);
    let enc = match label {
        None => encoding_rs::UTF_8,
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            err(format!(
                "unsupported encoding `{label}` in the XML declaration"
            ))
        })?,
    };
    if enc == encoding_rs::UTF_8 {
        return String::from_utf8(bytes.to_vec()).map_err(|e| {
            let pos = e.utf8_error().valid_up_to();
            let (line, column) = line_col(&String::from_utf8_lossy(&bytes[..pos]), pos);
            Error::Xml {
                at: Location {
                    file: path.to_owned(),
                    line,
                    column,
                },
                message: "invalid UTF-8".to_owned(),
            }
        });
    }
    let (text, bad) = enc.decode_without_bom_handling(bytes);
    if bad {
        return Err(err(format!("invalid {} data", enc.name())));
    }
    Ok(text.into_owned())
}

/// The `encoding="…"` of an ASCII-compatible XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(200))?;
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(head.get(..end)?).into_owned();
    let i = decl.find("encoding")?;
    let rest = decl
        .get(i + "encoding".len()..)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = rest.get(1..)?;
    Some(rest.get(..rest.find(quote)?)?.to_owned())
}

/// 1-based line and column (in characters) of byte offset `pos` in `text`.
fn line_col(text: &str, pos: usize) -> (u32, u32) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = text.get(..pos).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Maps byte offsets to line/column quickly for large files.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn line_col(&self, pos: usize) -> (u32, u32) {
        let mut pos = pos.min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= pos);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self.text.get(start..pos).map_or(0, |s| s.chars().count()) + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

/// An element under construction.
struct Open {
    el: Element,
    raw_name: String,
}

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    lines: Lines<'a>,
    path: &'a Path,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, path: &'a Path) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.expand_empty_elements = false;
        Self {
            reader,
            lines: Lines::new(text),
            path,
        }
    }

    fn location(&self, pos: u64) -> Location {
        let (line, column) = self
            .lines
            .line_col(usize::try_from(pos).unwrap_or(usize::MAX));
        Location {
            file: self.path.to_owned(),
            line,
            column,
        }
    }

    fn error(&self, pos: u64, message: impl Into<String>) -> Error {
        Error::Xml {
            at: self.location(pos),
            message: message.into(),
        }
    }

    fn run(mut self) -> Result<Element> {
        let mut stack: Vec<Open> = Vec::new();
        let mut root: Option<Element> = None;
        let base: Arc<Scope> = Arc::new(Scope::new());
        loop {
            let start = self.reader.buffer_position();
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => return Err(self.error(self.reader.error_position(), e.to_string())),
            };
            match event {
                Event::Start(s) | Event::Empty(s) if root.is_some() && stack.is_empty() => {
                    let _ = s;
                    return Err(self.error(start, "content after the document element"));
                }
                Event::Start(s) => {
                    if stack.len() >= MAX_DEPTH {
                        let message = format!("elements nested deeper than {MAX_DEPTH}");
                        return Err(self.error(start, message));
                    }
                    let scope = stack
                        .last()
                        .map_or_else(|| base.clone(), |o| o.el.scope.clone());
                    let open = self.open(&s, start, scope)?;
                    stack.push(open);
                }
                Event::Empty(s) => {
                    let scope = stack
                        .last()
                        .map_or_else(|| base.clone(), |o| o.el.scope.clone());
                    let open = self.open(&s, start, scope)?;
                    Self::close(open.el, &mut stack, &mut root);
                }
                Event::End(e) => {
                    let Some(open) = stack.pop() else {
                        return Err(self.error(start, "end tag without a start tag"));
                    };
                    // check_end_names already compared the names; keep this as a guard.
                    if e.name().as_ref() != open.raw_name.as_bytes() {
                        return Err(self.error(start, format!("expected `</{}>`", open.raw_name)));
                    }
                    Self::close(open.el, &mut stack, &mut root);
                }
                Event::Text(t) => {
                    let text = t
                        .xml10_content()
                        .map_err(|e| self.error(start, e.to_string()))?;
                    self.text(&mut stack, &text, start)?;
                }
                Event::CData(t) => {
                    let text = t
                        .xml10_content()
                        .map_err(|e| self.error(start, e.to_string()))?;
                    if stack.is_empty() {
                        return Err(self.error(start, "CDATA outside the document element"));
                    }
                    self.text(&mut stack, &text, start)?;
                }
                Event::GeneralRef(r) => {
                    let name = r
                        .decode()
                        .map_err(|e| self.error(start, e.to_string()))?
                        .into_owned();
                    let expanded = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => {
                                return Err(self.error(
                                    start,
                                    format!("invalid character reference `&{name};`"),
                                ))
                            }
                        }
                    } else {
                        match name.as_str() {
                            "amp" => "&".to_owned(),
                            "lt" => "<".to_owned(),
                            "gt" => ">".to_owned(),
                            "quot" => "\"".to_owned(),
                            "apos" => "'".to_owned(),
                            _ => {
                                return Err(
                                    self.error(start, format!("undefined entity `&{name};`"))
                                )
                            }
                        }
                    };
                    if stack.is_empty() {
                        return Err(self.error(start, "reference outside the document element"));
                    }
                    self.text(&mut stack, &expanded, start)?;
                }
                Event::DocType(_) => return Err(self.error(start, "DOCTYPE is not allowed")),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = stack.last() {
            return Err(Error::Xml {
                at: open.el.at.clone(),
                message: format!(
                    "element `<{}>` is not closed before the end of the file",
                    open.raw_name
                ),
            });
        }
        root.ok_or_else(|| self.error(0, "no document element"))
    }

    fn text(&self, stack: &mut [Open], text: &str, pos: u64) -> Result<()> {
        match stack.last_mut() {
            Some(open) => {
                if let Some(Node::Text(prev)) = open.el.children.last_mut() {
                    prev.push_str(text);
                } else if !text.is_empty() {
                    open.el.children.push(Node::Text(text.to_owned()));
                }
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(self.error(pos, "text outside the document element")),
        }
    }

    fn close(el: Element, stack: &mut [Open], root: &mut Option<Element>) {
        match stack.last_mut() {
            Some(parent) => parent.el.children.push(Node::Element(el)),
            None => *root = Some(el),
        }
    }

    /// Builds an element from a start tag: namespace declarations first, then names.
    fn open(&self, s: &BytesStart<'_>, pos: u64, parent_scope: Arc<Scope>) -> Result<Open> {
        let at = self.location(pos);
        let err = |message: String| Error::Xml {
            at: at.clone(),
            message,
        };
        let raw_name = std::str::from_utf8(s.name().as_ref())
            .map_err(|e| err(e.to_string()))?
            .to_owned();
        let mut decls = Vec::new();
        let mut raw_attrs = Vec::new();
        for a in s.attributes().with_checks(true) {
            let a = a.map_err(|e| err(e.to_string()))?;
            let key = std::str::from_utf8(a.key.as_ref())
                .map_err(|e| err(e.to_string()))?
                .to_owned();
            let raw = std::str::from_utf8(&a.value).map_err(|e| err(e.to_string()))?;
            let value = normalize_attr(raw, &err)?;
            if key == "xmlns" {
                decls.push((String::new(), value));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return Err(err(format!("prefix `{p}` cannot be undeclared in XML 1.0")));
                }
                decls.push((p.to_owned(), value));
            } else {
                raw_attrs.push((key, value));
            }
        }
        let scope = if decls.is_empty() {
            parent_scope
        } else {
            let mut scope = (*parent_scope).clone();
            for (p, u) in &decls {
                scope.insert(p.clone(), u.clone());
            }
            Arc::new(scope)
        };
        let (prefix, local) = split_qname(&raw_name);
        let ns = match prefix {
            Some(p) => Some(
                lookup(&scope, p)
                    .ok_or_else(|| err(format!("undeclared namespace prefix `{p}`")))?,
            ),
            None => scope.get("").filter(|u| !u.is_empty()).cloned(),
        };
        let name = QName {
            ns,
            local: local.to_owned(),
        };
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        for (key, value) in raw_attrs {
            let (p, l) = split_qname(&key);
            let ns = match p {
                Some(p) => Some(
                    lookup(&scope, p)
                        .ok_or_else(|| err(format!("undeclared namespace prefix `{p}`")))?,
                ),
                None => None,
            };
            let name = QName {
                ns,
                local: l.to_owned(),
            };
            if attrs.iter().any(|a: &Attribute| a.name == name) {
                return Err(err(format!("duplicate attribute `{name}`")));
            }
            attrs.push(Attribute {
                name,
                raw_name: key,
                value,
            });
        }
        let el = Element {
            name,
            at,
            prefix: prefix.map(str::to_owned),
            decls,
            attrs,
            children: Vec::new(),
            scope,
        };
        Ok(Open { el, raw_name })
    }
}

/// Attribute-value normalization (XML 1.0 §3.3.3, CDATA type) then reference expansion.
fn normalize_attr(raw: &str, err: &impl Fn(String) -> Error) -> Result<String> {
    let raw = raw.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ");
    quick_xml::escape::unescape(&raw)
        .map(|c| c.into_owned())
        .map_err(|e| err(e.to_string()))
}

fn split_qname(s: &str) -> (Option<&str>, &str) {
    match s.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, s),
    }
}

fn lookup(scope: &Scope, prefix: &str) -> Option<String> {
    if prefix == "xml" {
        return Some(XML_NS.to_owned());
    }
    if prefix == "xmlns" {
        return Some(XMLNS_NS.to_owned());
    }
    scope.get(prefix).filter(|u| !u.is_empty()).cloned()
}

impl Element {
    /// Element children, in document order.
    pub fn children(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Element children named `{ns}local`.
    pub fn children_named<'s>(
        &'s self,
        ns: &'s str,
        local: &'s str,
    ) -> impl Iterator<Item = &'s Element> + 's {
        self.children().filter(move |c| c.is(ns, local))
    }

    /// The first element child named `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.children().find(|c| c.is(ns, local))
    }

    /// Whether this element is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.name.local == local && self.ns() == Some(ns)
    }

    /// The element's namespace URI.
    pub fn ns(&self) -> Option<&str> {
        self.name.ns.as_deref()
    }

    /// The value of the unqualified attribute `local`.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.ns.is_none() && a.name.local == local)
            .map(|a| a.value.as_str())
    }

    /// The value of attribute `{ns}local`.
    pub fn attr_ns(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.ns.as_deref() == Some(ns) && a.name.local == local)
            .map(|a| a.value.as_str())
    }

    /// All attributes except namespace declarations, in document order.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attrs
    }

    /// The text of this element and its descendants, concatenated (CDATA included).
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// Resolves a QName-valued attribute value (`tns:city`) against the namespaces in scope.
    ///
    /// An unprefixed value takes the default namespace if one is declared (as XSD does for
    /// QName values), else no namespace. `None` when the prefix is not declared or the
    /// value is not a QName.
    pub fn resolve_qname(&self, value: &str) -> Option<QName> {
        let value = value.trim();
        let (prefix, local) = split_qname(value);
        if local.is_empty() || local.contains(':') || prefix == Some("") {
            return None;
        }
        let ns = match prefix {
            Some(p) => Some(lookup(&self.scope, p)?),
            None => self.scope.get("").filter(|u| !u.is_empty()).cloned(),
        };
        Some(QName {
            ns,
            local: local.to_owned(),
        })
    }

    /// Namespace declarations in scope at this element, sorted by prefix (`""` = default
    /// namespace); the implicit `xml` prefix and an undeclared default are left out.
    pub fn namespaces_in_scope(&self) -> Vec<(String, String)> {
        self.scope
            .iter()
            .filter(|(_, u)| !u.is_empty())
            .map(|(p, u)| (p.clone(), u.clone()))
            .collect()
    }

    /// Re-serializes this subtree as a standalone UTF-8 document, declaring on its root every
    /// namespace in scope (so QName values such as `type="tns:x"` keep resolving).
    /// Comments and processing instructions are dropped; text is escaped.
    pub fn to_standalone_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let decls: Vec<(String, String)> = self
            .scope
            .iter()
            .map(|(p, u)| (p.clone(), u.clone()))
            .collect();
        // An undeclared default (`xmlns=""`) at the root needs no declaration.
        let decls: Vec<_> = decls
            .into_iter()
            .filter(|(p, u)| !(p.is_empty() && u.is_empty()))
            .collect();
        self.write(&mut out, &decls);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, decls: &[(String, String)]) {
        let qname = match &self.prefix {
            Some(p) => format!("{p}:{}", self.name.local),
            None => self.name.local.clone(),
        };
        out.push('<');
        out.push_str(&qname);
        for (p, u) in decls {
            if p.is_empty() {
                let _ = write!(out, " xmlns=\"{}\"", escape_attr(u));
            } else {
                let _ = write!(out, " xmlns:{p}=\"{}\"", escape_attr(u));
            }
        }
        for a in &self.attrs {
            let _ = write!(out, " {}=\"{}\"", a.raw_name, escape_attr(&a.value));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Element(e) => e.write(out, &e.decls),
            }
        }
        out.push_str("</");
        out.push_str(&qname);
        out.push('>');
    }
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document> {
        Document::parse(text, Path::new("t.xml"))
    }

    fn xml_err(text: &str) -> (u32, u32, String) {
        match parse(text) {
            Err(Error::Xml { at, message }) => (at.line, at.column, message),
            other => panic!("expected an XML error, got {other:?}"),
        }
    }

    #[test]
    fn names_positions_and_attributes() {
        let doc = parse(
            "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:a\" xmlns:b=\"urn:b\" x=\"1\" b:y=\"2\">\n  \
             <b:c/><d>t&amp;u</d>\n</a>",
        )
        .unwrap();
        let root = &doc.root;
        assert_eq!(root.name, QName::new("urn:a", "a"));
        assert_eq!((root.at.line, root.at.column), (2, 1));
        assert_eq!(root.attr("x"), Some("1"));
        assert_eq!(root.attr("y"), None);
        assert_eq!(root.attr_ns("urn:b", "y"), Some("2"));
        let kids: Vec<_> = root.children().collect();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].name, QName::new("urn:b", "c"));
        assert_eq!((kids[0].at.line, kids[0].at.column), (3, 3));
        assert_eq!(kids[1].name, QName::new("urn:a", "d"));
        assert_eq!(kids[1].text(), "t&u");
        assert!(root.child("urn:a", "d").is_some());
    }

    #[test]
    fn resolve_qname_values() {
        let doc = parse("<a xmlns:t=\"urn:t\"><b xmlns=\"urn:d\"/><c/></a>").unwrap();
        let b = doc.root.children().next().unwrap();
        let c = doc.root.children().nth(1).unwrap();
        assert_eq!(b.resolve_qname(" t:x "), Some(QName::new("urn:t", "x")));
        assert_eq!(b.resolve_qname("x"), Some(QName::new("urn:d", "x")));
        assert_eq!(c.resolve_qname("x"), Some(QName::new("", "x")));
        assert_eq!(
            c.resolve_qname("xml:lang"),
            Some(QName::new(XML_NS, "lang"))
        );
        assert_eq!(c.resolve_qname("u:x"), None);
        assert_eq!(c.resolve_qname("a:b:c"), None);
        assert_eq!(
            b.namespaces_in_scope(),
            vec![
                (String::new(), "urn:d".to_owned()),
                ("t".to_owned(), "urn:t".to_owned())
            ]
        );
    }

    #[test]
    fn standalone_keeps_outer_declarations() {
        let text = "<w:d xmlns:w=\"urn:w\" xmlns:tns=\"urn:tns\"><w:types>\
            <xs:schema xmlns:xs=\"urn:xs\" targetNamespace=\"urn:tns\"><!-- c -->\
            <xs:element name=\"a\" type=\"tns:T\" fixed=\"x&lt;&quot;&#10;\">\
            <xs:annotation>&lt;&amp;</xs:annotation></xs:element>\
            <xs:element name=\"b\" xmlns=\"urn:inner\"/></xs:schema></w:types></w:d>";
        let doc = parse(text).unwrap();
        let schema = doc
            .root
            .children()
            .next()
            .unwrap()
            .children()
            .next()
            .unwrap();
        let out = schema.to_standalone_xml();
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xs:schema xmlns:tns=\"urn:tns\" \
                    xmlns:w=\"urn:w\" xmlns:xs=\"urn:xs\" targetNamespace=\"urn:tns\">";
        assert!(out.starts_with(head), "{out}");
        assert!(!out.contains("<!--"));
        // It parses back to the same content.
        let again = parse(&out).unwrap();
        let a = again.root.children().next().unwrap();
        assert_eq!(a.attr("fixed"), Some("x<\"\n"));
        assert_eq!(
            a.resolve_qname(a.attr("type").unwrap()),
            Some(QName::new("urn:tns", "T"))
        );
        assert_eq!(a.text(), "<&");
        let b = again.root.children().nth(1).unwrap();
        assert_eq!(b.name, QName::new("urn:xs", "element"));
        assert_eq!(b.resolve_qname("x"), Some(QName::new("urn:inner", "x")));
    }

    #[test]
    fn doctype_is_refused() {
        let (line, col, msg) =
            xml_err("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]>\n<a>&e;</a>");
        assert_eq!((line, col), (2, 1));
        assert!(msg.contains("DOCTYPE is not allowed"), "{msg}");
    }

    #[test]
    fn unknown_entities_are_refused() {
        let (line, _, msg) = xml_err("<a>\n &nbsp;</a>");
        assert_eq!(line, 2);
        assert!(msg.contains("undefined entity `&nbsp;`"), "{msg}");
        let (_, _, msg) = xml_err("<a b=\"&nbsp;\"/>");
        assert!(msg.contains("nbsp"), "{msg}");
        let doc = parse("<a b=\"&#x41;&lt;\">&#65;&#x42;&quot;</a>").unwrap();
        assert_eq!(doc.root.attr("b"), Some("A<"));
        assert_eq!(doc.root.text(), "AB\"");
    }

    #[test]
    fn malformed_xml_has_line_and_column() {
        let (line, col, msg) = xml_err("<a>\n  <b>\n  </c>\n</a>");
        assert_eq!(line, 3, "{msg}");
        assert!(col >= 3, "{col} {msg}");
        let (line, _, msg) = xml_err("<a>\n<b>");
        assert_eq!(line, 2, "{msg}");
        let (line, col, msg) = xml_err("<a>\n  <p:b/></a>");
        assert_eq!((line, col), (2, 3));
        assert!(msg.contains("undeclared namespace prefix `p`"), "{msg}");
        let (_, _, msg) = xml_err("<a x=\"1\" x=\"2\"/>");
        assert!(
            msg.to_lowercase().contains("duplicate") || msg.contains("x"),
            "{msg}"
        );
        let (_, _, msg) = xml_err("<a/><b/>");
        assert!(msg.contains("after the document element"), "{msg}");
        let (_, _, msg) = xml_err("  ");
        assert!(msg.contains("no document element"), "{msg}");
    }

    #[test]
    fn bom_and_encodings() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(b"<a>x</a>");
        let doc = Document::parse_bytes(&bytes, Path::new("t.xml")).unwrap();
        assert_eq!(doc.root.text(), "x");
        // "ПВЗ" in windows-1251.
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>".to_vec();
        bytes.extend_from_slice(&[0xCF, 0xC2, 0xC7]);
        bytes.extend_from_slice(b"</a>");
        let doc = Document::parse_bytes(&bytes, Path::new("t.xml")).unwrap();
        assert_eq!(doc.root.text(), "ПВЗ");
        // UTF-16LE with BOM.
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>é</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            Document::parse_bytes(&bytes, Path::new("t.xml"))
                .unwrap()
                .root
                .text(),
            "é"
        );
        let bytes = b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>";
        assert!(matches!(
            Document::parse_bytes(bytes, Path::new("t.xml")),
            Err(Error::Xml { .. })
        ));
        let bytes = b"<a>\n\xff</a>";
        match Document::parse_bytes(bytes, Path::new("t.xml")) {
            Err(Error::Xml { at, message }) => {
                assert_eq!((at.line, at.column), (2, 1));
                assert!(message.contains("UTF-8"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        let (_, _, msg) = xml_err(&deep);
        assert!(msg.contains("nested deeper"), "{msg}");
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nцd", 5), (2, 2));
        let lines = Lines::new("ab\nцd\n");
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(3), (2, 1));
        assert_eq!(lines.line_col(5), (2, 2));
        assert_eq!(lines.line_col(4), (2, 1));
    }
}

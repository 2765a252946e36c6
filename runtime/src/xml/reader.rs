//! A pull reader over a complete XML document, with resolved namespaces and positions.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{PrefixDeclaration, QName};
use quick_xml::Reader;

use super::XSI_NS;

/// What went wrong while decoding a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The document is not well-formed XML.
    #[error("malformed XML: {0}")]
    Syntax(String),
    /// A `<!DOCTYPE>` was found; DTDs are refused (no entity expansion, no external fetch).
    #[error("DOCTYPE declarations are not allowed")]
    Doctype,
    /// The document ended before the element was closed.
    #[error("unexpected end of document")]
    UnexpectedEof,
    /// A required element is missing.
    #[error("missing required element `{field}` in `{ty}`")]
    MissingElement {
        /// Rust type being decoded.
        ty: &'static str,
        /// XML name of the element.
        field: &'static str,
    },
    /// A required attribute is missing.
    #[error("missing required attribute `{field}` in `{ty}`")]
    MissingAttribute {
        /// Rust type being decoded.
        ty: &'static str,
        /// XML name of the attribute.
        field: &'static str,
    },
    /// A value could not be parsed as its schema type.
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// An element appeared where another was expected.
    #[error("unexpected element `{found}`, expected {expected}")]
    UnexpectedElement {
        /// The element found (`{ns}local`).
        found: String,
        /// What was expected.
        expected: String,
    },
}

/// A decoding failure with its position in the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in bytes).
    pub column: u32,
}

/// A start tag that has just been read, with its children not yet consumed.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    tag: BytesStart<'a>,
    empty: bool,
}

impl<'a> Start<'a> {
    /// The local part of the element name.
    #[must_use]
    #[inline]
    pub fn local_name(&self) -> &[u8] {
        split_name(self.tag.name().into_inner()).1
    }

    /// Whether the element was written as `<x/>` (no content, no end tag).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The raw quick-xml start tag.
    #[must_use]
    pub fn raw(&self) -> &BytesStart<'a> {
        &self.tag
    }
}

/// Pull reader used by generated [`XmlRead`](super::XmlRead) impls.
///
/// It reads from a complete in-memory document (zero-copy for text without
/// entities) and refuses DTDs.
pub struct XmlReader<'a> {
    // A plain reader plus our own namespace scopes: scopes are only scanned when a start tag
    // can declare a namespace, and names are resolved only when generated code asks.
    inner: Reader<&'a [u8]>,
    input: &'a [u8],
    scopes: Scopes,
    /// The scope of an `<x/>` element stays open while the caller handles it and is closed
    /// before the next event.
    pending_pop: bool,
    /// The document is UTF-8 (no other encoding declared, no UTF-16 BOM): text is validated
    /// with `str::from_utf8` directly instead of going through quick-xml's decoder.
    utf8: bool,
}

const XML_PREFIX_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";
const XMLNS_PREFIX_NS: &[u8] = b"http://www.w3.org/2000/xmlns/";

/// How a prefix resolves.
enum Resolved<'s> {
    /// No namespace (unprefixed name without a default namespace in scope).
    Unbound,
    /// Bound to this namespace URI (raw bytes as written in the declaration).
    Bound(&'s [u8]),
    /// A prefix that is not declared.
    Unknown,
}

/// Namespace declarations in scope: (prefix, URI) pairs stored back to back in `buf`.
#[derive(Default)]
struct Scopes {
    buf: Vec<u8>,
    bindings: Vec<Binding>,
    depth: u32,
}

struct Binding {
    start: usize,
    /// 0 for the default namespace.
    prefix_len: usize,
    value_len: usize,
    depth: u32,
}

impl Scopes {
    /// Opens the scope of `tag`, recording its `xmlns`/`xmlns:p` declarations.
    fn push(&mut self, tag: &BytesStart<'_>) -> Result<(), String> {
        self.depth += 1;
        let raw = tag.attributes_raw();
        // Most tags have no attributes, and few of those that do declare namespaces.
        if !raw.windows(5).any(|w| w == b"xmlns") {
            return Ok(());
        }
        for a in tag.attributes().with_checks(false) {
            // Malformed attributes are reported when they are read.
            let Ok(a) = a else { break };
            let (prefix, value): (&[u8], &[u8]) = match a.key.as_namespace_binding() {
                None => continue,
                Some(PrefixDeclaration::Default) => (b"", &a.value),
                Some(PrefixDeclaration::Named(b"xml")) => {
                    if *a.value != *XML_PREFIX_NS {
                        return Err("the `xml` prefix cannot be rebound".into());
                    }
                    continue;
                }
                Some(PrefixDeclaration::Named(b"xmlns")) => {
                    return Err("the `xmlns` prefix cannot be declared".into());
                }
                Some(PrefixDeclaration::Named(p)) => {
                    if *a.value == *XML_PREFIX_NS || *a.value == *XMLNS_PREFIX_NS {
                        return Err(format!(
                            "prefix `{}` cannot be bound to a reserved namespace",
                            String::from_utf8_lossy(p)
                        ));
                    }
                    (p, &a.value)
                }
            };
            let start = self.buf.len();
            self.buf.extend_from_slice(prefix);
            self.buf.extend_from_slice(value);
            self.bindings.push(Binding {
                start,
                prefix_len: prefix.len(),
                value_len: value.len(),
                depth: self.depth,
            });
        }
        Ok(())
    }

    /// Closes the innermost scope.
    fn pop(&mut self) {
        while let Some(b) = self.bindings.last() {
            if b.depth < self.depth {
                break;
            }
            self.buf.truncate(b.start);
            self.bindings.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Resolves `prefix`; an unprefixed name takes the default namespace when `use_default`
    /// (elements) and is unbound otherwise (attributes).
    fn resolve(&self, prefix: Option<&[u8]>, use_default: bool) -> Resolved<'_> {
        let want: &[u8] = match prefix {
            None if !use_default => return Resolved::Unbound,
            None => b"",
            Some(b"xml") => return Resolved::Bound(XML_PREFIX_NS),
            Some(b"xmlns") => return Resolved::Bound(XMLNS_PREFIX_NS),
            Some(p) => p,
        };
        for b in self.bindings.iter().rev() {
            if b.prefix_len != want.len() {
                continue;
            }
            let Some(p) = self.buf.get(b.start..b.start + b.prefix_len) else {
                continue;
            };
            if p != want {
                continue;
            }
            let value = self
                .buf
                .get(b.start + b.prefix_len..b.start + b.prefix_len + b.value_len)
                .unwrap_or_default();
            return match (value.is_empty(), prefix) {
                // `xmlns=""` undeclares the default namespace.
                (true, None) => Resolved::Unbound,
                (true, Some(_)) => Resolved::Unknown,
                (false, _) => Resolved::Bound(value),
            };
        }
        if prefix.is_none() {
            Resolved::Unbound
        } else {
            Resolved::Unknown
        }
    }

    #[inline]
    fn matches(&self, name: QName<'_>, use_default: bool, ns: Option<&str>) -> bool {
        match (
            self.resolve(split_name(name.into_inner()).0, use_default),
            ns,
        ) {
            (Resolved::Unbound, None) => true,
            (Resolved::Bound(found), Some(want)) => found == want.as_bytes(),
            _ => false,
        }
    }

    fn namespace(&self, name: QName<'_>, use_default: bool) -> Option<String> {
        match self.resolve(split_name(name.into_inner()).0, use_default) {
            Resolved::Bound(ns) => Some(String::from_utf8_lossy(ns).into_owned()),
            _ => None,
        }
    }
}

impl<'a> XmlReader<'a> {
    /// A reader over `input`.
    #[must_use]
    pub fn new(input: &'a [u8]) -> Self {
        let mut inner = Reader::from_reader(input);
        let config = inner.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        Self {
            inner,
            input,
            scopes: Scopes::default(),
            pending_pop: false,
            utf8: is_utf8_document(input),
        }
    }

    /// The whole input this reader works on.
    #[must_use]
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// Byte offset of the reader in the input.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.inner.buffer_position()
    }

    /// An error of `kind` at the current position.
    #[must_use]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        self.error_at(self.position(), kind)
    }

    /// An error of `kind` at byte offset `pos`.
    #[must_use]
    pub fn error_at(&self, pos: u64, kind: DecodeErrorKind) -> DecodeError {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.input.len());
        let before = &self.input[..pos];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        DecodeError {
            kind,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(pos - line_start + 1).unwrap_or(u32::MAX),
        }
    }

    fn syntax(&self, e: &quick_xml::Error) -> DecodeError {
        self.error_at(
            self.inner.error_position(),
            DecodeErrorKind::Syntax(e.to_string()),
        )
    }

    /// Reads the next event that matters for data: start/empty/end/text/cdata, skipping
    /// the XML declaration, comments and processing instructions. Refuses DOCTYPE.
    #[inline]
    fn next(&mut self) -> Result<Event<'a>, DecodeError> {
        if self.pending_pop {
            self.scopes.pop();
            self.pending_pop = false;
        }
        loop {
            match self.inner.read_event() {
                Ok(Event::Start(tag)) => {
                    self.open_scope(&tag)?;
                    return Ok(Event::Start(tag));
                }
                Ok(Event::Empty(tag)) => {
                    self.open_scope(&tag)?;
                    self.pending_pop = true;
                    return Ok(Event::Empty(tag));
                }
                Ok(Event::End(tag)) => {
                    // Names in the end tag were checked against the start tag; nothing
                    // resolves them afterwards, so the scope closes right away.
                    self.scopes.pop();
                    return Ok(Event::End(tag));
                }
                Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::DocType(_)) => return Err(self.error(DecodeErrorKind::Doctype)),
                Ok(ev) => return Ok(ev),
                Err(e) => return Err(self.syntax(&e)),
            }
        }
    }

    #[inline]
    fn open_scope(&mut self, tag: &BytesStart<'_>) -> Result<(), DecodeError> {
        if tag.attributes_raw().is_empty() {
            self.scopes.depth += 1;
            return Ok(());
        }
        self.scopes
            .push(tag)
            .map_err(|e| self.error(DecodeErrorKind::Syntax(e)))
    }

    /// Reads up to the document's root element and returns its start tag.
    ///
    /// # Errors
    /// Malformed XML, a DOCTYPE, text before the root, or an empty document.
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        loop {
            match self.next()? {
                Event::Start(tag) => return Ok(Start { tag, empty: false }),
                Event::Empty(tag) => return Ok(Start { tag, empty: true }),
                Event::Text(t) if is_blank(&t) => {}
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                _ => {
                    return Err(self.error(DecodeErrorKind::Syntax(
                        "content before the root element".into(),
                    )))
                }
            }
        }
    }

    /// Calls `f` for each child element of `start`, in document order, then consumes the end
    /// tag. `f` must consume the child (by decoding it or with [`skip`](Self::skip)).
    /// Text between child elements is ignored.
    ///
    /// # Errors
    /// Whatever `f` returns, or malformed XML.
    pub fn children<F>(&mut self, start: &Start<'a>, mut f: F) -> Result<(), DecodeError>
    where
        F: FnMut(&mut Self, Start<'a>) -> Result<(), DecodeError>,
    {
        if start.empty {
            return Ok(());
        }
        loop {
            match self.next()? {
                Event::Start(tag) => f(self, Start { tag, empty: false })?,
                Event::Empty(tag) => f(self, Start { tag, empty: true })?,
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                _ => {}
            }
        }
    }

    /// Skips the content of `start` up to and including its end tag.
    ///
    /// # Errors
    /// Malformed XML.
    pub fn skip(&mut self, start: &Start<'a>) -> Result<(), DecodeError> {
        if start.empty {
            return Ok(());
        }
        // Only the name is needed; it borrows from the input, so nothing is copied.
        let name = start.tag.name();
        let res = self.inner.read_to_end(name).map(|_| ());
        // The end tag is consumed: close the element's scope.
        self.scopes.pop();
        res.map_err(|e| self.syntax(&e))
    }

    /// Returns the raw bytes of `start` as written in the input (start tag, content and end
    /// tag), consuming it. Used for `xs:any` content and fault details.
    ///
    /// # Errors
    /// Malformed XML.
    pub fn raw_element(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        // `buffer_position` is just after the start tag; find where it began.
        let after_start = usize::try_from(self.position()).unwrap_or(usize::MAX);
        let tag_len = start.tag.len() + if start.empty { 3 } else { 2 };
        let begin = after_start.saturating_sub(tag_len);
        self.skip(start)?;
        let end = usize::try_from(self.position())
            .unwrap_or(usize::MAX)
            .min(self.input.len());
        std::str::from_utf8(&self.input[begin..end])
            .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))
    }

    /// Reads the text content of a simple-content element up to and including its end tag.
    ///
    /// # Errors
    /// A child element inside simple content, bad escapes or malformed XML.
    pub fn text(&mut self, start: &Start<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if start.empty {
            return Ok(Cow::Borrowed(""));
        }
        // Usually one text event: borrowed from the input. Entity references split the text
        // into pieces, which are appended to one owned string.
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        loop {
            match self.next()? {
                Event::Text(t) => {
                    let piece =
                        if self.utf8 {
                            match t.into_inner() {
                                Cow::Borrowed(b) => {
                                    Cow::Borrowed(std::str::from_utf8(b).map_err(|e| {
                                        self.error(DecodeErrorKind::Syntax(e.to_string()))
                                    })?)
                                }
                                Cow::Owned(b) => Cow::Owned(String::from_utf8(b).map_err(|e| {
                                    self.error(DecodeErrorKind::Syntax(e.to_string()))
                                })?),
                            }
                        } else {
                            t.decode()
                                .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?
                        };
                    if out.is_empty() {
                        out = piece;
                    } else {
                        out.to_mut().push_str(&piece);
                    }
                }
                Event::GeneralRef(r) => {
                    let name = r
                        .decode()
                        .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?;
                    if !push_ref(out.to_mut(), &name) {
                        return Err(
                            self.error(DecodeErrorKind::Syntax(format!("unknown entity &{name};")))
                        );
                    }
                }
                Event::CData(c) => {
                    let piece = c
                        .decode()
                        .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?;
                    out.to_mut().push_str(&piece);
                }
                Event::End(_) => return Ok(out),
                Event::Start(tag) | Event::Empty(tag) => {
                    return Err(self.error(DecodeErrorKind::UnexpectedElement {
                        found: String::from_utf8_lossy(tag.name().into_inner()).into_owned(),
                        expected: "text content".into(),
                    }))
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                _ => {}
            }
        }
    }

    /// Whether `start` is in namespace `ns` (`None`: no namespace).
    #[must_use]
    #[inline]
    pub fn ns_is(&self, start: &Start<'_>, ns: Option<&str>) -> bool {
        self.scopes.matches(start.tag.name(), true, ns)
    }

    /// The namespace URI of `start`, if any (for error messages and dispatch).
    #[must_use]
    pub fn namespace_of(&self, start: &Start<'_>) -> Option<String> {
        self.scopes.namespace(start.tag.name(), true)
    }

    /// The value of attribute `{ns}local` of `start`, unescaped.
    ///
    /// # Errors
    /// Malformed attributes.
    pub fn attr(
        &self,
        start: &Start<'a>,
        ns: Option<&str>,
        local: &str,
    ) -> Result<Option<Cow<'a, str>>, DecodeError> {
        for a in start.tag.attributes() {
            let a = a.map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?;
            if a.key.as_namespace_binding().is_some()
                || a.key.local_name().into_inner() != local.as_bytes()
            {
                continue;
            }
            if self.scopes.matches(a.key, false, ns) {
                let v = a
                    .decode_and_unescape_value(start.tag.decoder())
                    .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?;
                return Ok(Some(Cow::Owned(v.into_owned())));
            }
        }
        Ok(None)
    }

    /// The namespace URI of attribute name `key` of the element just read (`None` when it is
    /// unprefixed or its prefix is unbound).
    #[must_use]
    pub fn attribute_namespace(&self, key: quick_xml::name::QName<'_>) -> Option<String> {
        self.scopes.namespace(key, false)
    }

    /// Whether `start` carries `xsi:nil="true"` (or `"1"`).
    #[must_use]
    pub fn is_nil(&self, start: &Start<'a>) -> bool {
        matches!(
            self.attr(start, Some(XSI_NS), "nil")
                .ok()
                .flatten()
                .as_deref(),
            Some("true" | "1")
        )
    }
}

/// Whether `input` is UTF-8 by its own account: no UTF-16 byte order mark and no XML
/// declaration naming another encoding.
fn is_utf8_document(input: &[u8]) -> bool {
    if input.starts_with(&[0xFE, 0xFF]) || input.starts_with(&[0xFF, 0xFE]) {
        return false;
    }
    let input = input.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(input);
    let Some(decl) = input.strip_prefix(b"<?xml") else {
        return true;
    };
    let Some(end) = decl.windows(2).take(512).position(|w| w == b"?>") else {
        return true;
    };
    let decl = decl.get(..end).unwrap_or_default();
    let Some(at) = decl.windows(8).position(|w| w == b"encoding") else {
        return true;
    };
    let rest = decl.get(at + 8..).unwrap_or_default();
    let value: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(|&b| b != b'"' && b != b'\'')
        .skip(1)
        .take_while(|&b| b != b'"' && b != b'\'')
        .collect();
    value.eq_ignore_ascii_case(b"utf-8") || value.eq_ignore_ascii_case(b"utf8")
}

/// Splits a qualified name into (prefix, local part). Names are short: a plain scan beats
/// a vectorised search here.
#[inline]
fn split_name(name: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match name.iter().position(|&b| b == b':') {
        Some(i) => (name.get(..i), name.get(i + 1..).unwrap_or_default()),
        None => (None, name),
    }
}

fn is_blank(t: &[u8]) -> bool {
    t.iter().all(u8::is_ascii_whitespace)
}

/// Appends a predefined entity or a character reference to `out`; anything else is refused
/// (returns `false`) because no DTD is ever read.
fn push_ref(out: &mut String, name: &str) -> bool {
    let s = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|d| d.parse().ok())
            };
            return match code.and_then(char::from_u32) {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            };
        }
    };
    out.push_str(s);
    true
}

//! A pull reader over a complete XML document, with resolved namespaces and positions.

use std::borrow::Cow;

use quick_xml::events::BytesStart;
use quick_xml::name::{PrefixDeclaration, QName};

use super::scan::{count_newlines, is_ws, scan, Resume, Scan, Tok};
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
    /// Offset of the tag's `<` in the input.
    begin: usize,
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
/// It reads a complete UTF-8 document in memory: text without entity references is borrowed
/// from the input, and DTDs are refused.
pub struct XmlReader<'a> {
    input: &'a [u8],
    /// `input` after its UTF-8 check (empty when the check failed: see `invalid`).
    text: &'a str,
    /// Offset of the next token.
    pos: usize,
    scopes: Scopes,
    /// The scope of an `<x/>` element stays open while the caller handles it and is closed
    /// before the next event.
    pending_pop: bool,
    /// Why the input cannot be read at all (not UTF-8), reported by [`root`](Self::root).
    invalid: Option<DecodeError>,
}

/// What the reader hands to its own loops: markup that matters for data.
enum Ev<'a> {
    Start(Start<'a>),
    End {
        begin: usize,
        name: &'a [u8],
    },
    /// Escaped text.
    Text(&'a str),
    CData(&'a str),
    Eof,
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
    /// How many of `bindings` declare a default namespace: while none does, an unprefixed
    /// element name resolves without a search (DPD's and CDEK's children are unqualified).
    defaults: u32,
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
            self.defaults += u32::from(prefix.is_empty());
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
            self.defaults -= u32::from(b.prefix_len == 0);
            self.buf.truncate(b.start);
            self.bindings.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Resolves `prefix`; an unprefixed name takes the default namespace when `use_default`
    /// (elements) and is unbound otherwise (attributes).
    fn resolve(&self, prefix: Option<&[u8]>, use_default: bool) -> Resolved<'_> {
        let want: &[u8] = match prefix {
            None if !use_default || self.defaults == 0 => return Resolved::Unbound,
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
        let mut reader = Self {
            input,
            text: "",
            pos: 0,
            scopes: Scopes::default(),
            pending_pop: false,
            invalid: None,
        };
        // One vectorised check of the whole document; afterwards every token boundary is an
        // ASCII delimiter, so text is sliced out as `&str` without checking each piece again.
        match simdutf8::basic::from_utf8(input) {
            Ok(text) => {
                reader.text = text;
                reader.pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
            }
            Err(_) => reader.invalid = Some(not_utf8(&reader, input)),
        }
        reader
    }

    /// The whole input this reader works on.
    #[must_use]
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// Byte offset of the reader in the input.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.pos as u64
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
        let line = count_newlines(before) + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        DecodeError {
            kind,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(pos - line_start + 1).unwrap_or(u32::MAX),
        }
    }

    fn syntax_at(&self, at: usize, msg: String) -> DecodeError {
        self.error_at(at as u64, DecodeErrorKind::Syntax(msg))
    }

    /// `text[r]`; token boundaries are ASCII delimiters, so this never falls back.
    #[inline]
    fn slice(&self, r: std::ops::Range<usize>) -> &'a str {
        self.text.get(r).unwrap_or_default()
    }

    /// Reads the next event that matters for data: start/empty/end/text/cdata, skipping
    /// the XML declaration, comments and processing instructions. Refuses DOCTYPE.
    #[inline]
    fn next(&mut self) -> Result<Ev<'a>, DecodeError> {
        if self.pending_pop {
            self.scopes.pop();
            self.pending_pop = false;
        }
        loop {
            if self.pos >= self.text.len() {
                return Ok(Ev::Eof);
            }
            let (tok, end) = match scan(self.text.as_bytes(), self.pos, &mut Resume::default()) {
                Scan::Tok(tok, end) => (tok, end),
                Scan::More => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Scan::Err(kind, at) => return Err(self.error_at(at as u64, kind)),
            };
            self.pos = end;
            match tok {
                Tok::Text(r) => return Ok(Ev::Text(self.slice(r))),
                Tok::CData(r) => return Ok(Ev::CData(self.slice(r))),
                Tok::Misc => {}
                Tok::Start {
                    begin,
                    name,
                    attrs,
                    empty,
                } => {
                    let tag =
                        BytesStart::from_content(self.slice(name.start..attrs.end), name.len());
                    self.open_scope(&tag, begin)?;
                    self.pending_pop = empty;
                    return Ok(Ev::Start(Start { tag, empty, begin }));
                }
                Tok::End { begin, name } => {
                    // Nothing resolves names in an end tag: the scope closes right away.
                    self.scopes.pop();
                    return Ok(Ev::End {
                        begin,
                        name: self.slice(name).as_bytes(),
                    });
                }
            }
        }
    }

    #[inline]
    fn open_scope(&mut self, tag: &BytesStart<'_>, begin: usize) -> Result<(), DecodeError> {
        if tag.attributes_raw().is_empty() {
            self.scopes.depth += 1;
            return Ok(());
        }
        self.scopes.push(tag).map_err(|e| self.syntax_at(begin, e))
    }

    /// Checks that the end tag at `begin` closes `start`.
    fn check_end(&self, start: &Start<'_>, begin: usize, found: &[u8]) -> Result<(), DecodeError> {
        let expected = start.tag.name().into_inner();
        if found == expected {
            return Ok(());
        }
        Err(self.syntax_at(
            begin,
            format!(
                "expected `</{}>`, but `</{}>` was found",
                String::from_utf8_lossy(expected),
                String::from_utf8_lossy(found)
            ),
        ))
    }

    /// Reads up to the document's root element and returns its start tag.
    ///
    /// # Errors
    /// Malformed XML (including input that is not UTF-8), a DOCTYPE, text before the root,
    /// or an empty document.
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        if let Some(e) = self.invalid.take() {
            return Err(e);
        }
        loop {
            match self.next()? {
                Ev::Start(start) => return Ok(start),
                Ev::Text(t) if t.bytes().all(is_ws) => {}
                Ev::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
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
                Ev::Start(child) => f(self, child)?,
                Ev::End { begin, name } => return self.check_end(start, begin, name),
                Ev::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Ev::Text(_) | Ev::CData(_) => {}
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
        // Skipped content must still be well-formed: each end tag closes its own start. The
        // stack holds the open descendants, so skipping a leaf allocates nothing.
        let mut open: Vec<Start<'a>> = Vec::new();
        loop {
            match self.next()? {
                Ev::Start(child) if !child.empty => open.push(child),
                Ev::End { begin, name } => {
                    self.check_end(open.last().unwrap_or(start), begin, name)?;
                    if open.pop().is_none() {
                        return Ok(());
                    }
                }
                Ev::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Ev::Start(_) | Ev::Text(_) | Ev::CData(_) => {}
            }
        }
    }

    /// Returns the raw bytes of `start` as written in the input (start tag, content and end
    /// tag), consuming it. Used for `xs:any` content and fault details.
    ///
    /// # Errors
    /// Malformed XML.
    pub fn raw_element(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        self.skip(start)?;
        Ok(self.slice(start.begin..self.pos))
    }

    /// Reads the text content of a simple-content element up to and including its end tag.
    ///
    /// # Errors
    /// A child element inside simple content, bad escapes or malformed XML.
    pub fn text(&mut self, start: &Start<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if start.empty {
            return Ok(Cow::Borrowed(""));
        }
        // The usual case, `<name>text</name>` without references: one search finds the end
        // tag, and the text is borrowed from the input.
        let bytes = self.text.as_bytes();
        let rest = bytes.get(self.pos..).unwrap_or_default();
        if let Some(i) = memchr::memchr2(b'<', b'&', rest) {
            let lt = self.pos + i;
            let name = start.tag.name().into_inner();
            let close = lt + 2 + name.len();
            if rest[i] == b'<'
                && bytes.get(lt + 1) == Some(&b'/')
                && bytes.get(lt + 2..close) == Some(name)
                && bytes.get(close) == Some(&b'>')
            {
                let text = self.slice(self.pos..lt);
                self.pos = close + 1;
                self.scopes.pop();
                return Ok(Cow::Borrowed(text));
            }
        }
        // Otherwise token by token: references, CDATA sections, comments between pieces.
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let at = self.pos;
            match self.next()? {
                Ev::Text(raw) => {
                    let piece = quick_xml::escape::unescape(raw)
                        .map_err(|e| self.syntax_at(at, e.to_string()))?;
                    if out.is_empty() {
                        out = piece;
                    } else {
                        out.to_mut().push_str(&piece);
                    }
                }
                Ev::CData(piece) => {
                    if out.is_empty() {
                        out = Cow::Borrowed(piece);
                    } else {
                        out.to_mut().push_str(piece);
                    }
                }
                Ev::End { begin, name } => {
                    self.check_end(start, begin, name)?;
                    return Ok(out);
                }
                Ev::Start(child) => {
                    return Err(self.error_at(
                        child.begin as u64,
                        DecodeErrorKind::UnexpectedElement {
                            found: String::from_utf8_lossy(child.tag.name().into_inner())
                                .into_owned(),
                            expected: "text content".into(),
                        },
                    ))
                }
                Ev::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
            }
        }
    }

    /// Whether `start` is in namespace `ns` (`None`: no namespace).
    #[must_use]
    #[inline]
    pub fn ns_is(&self, start: &Start<'_>, ns: Option<&str>) -> bool {
        // The common case in unqualified schemas, answered without resolving anything.
        if ns.is_none() && self.scopes.defaults == 0 {
            return !start.tag.name().into_inner().contains(&b':');
        }
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

/// The error for input that is not UTF-8: where it stops being UTF-8, and the encoding the
/// document declares when that is the reason.
fn not_utf8(reader: &XmlReader<'_>, input: &[u8]) -> DecodeError {
    let (valid_up_to, detail) = match std::str::from_utf8(input) {
        Err(e) => (e.valid_up_to(), e.to_string()),
        Ok(_) => (0, "invalid UTF-8".into()),
    };
    let msg = if input.starts_with(&[0xFE, 0xFF]) || input.starts_with(&[0xFF, 0xFE]) {
        "unsupported: UTF-16 documents (only UTF-8 is read)".to_owned()
    } else {
        match declared_encoding(input) {
            Some(enc)
                if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") =>
            {
                format!("unsupported: encoding `{enc}` (only UTF-8 is read)")
            }
            _ => detail,
        }
    };
    reader.error_at(valid_up_to as u64, DecodeErrorKind::Syntax(msg))
}

/// The `encoding` of the XML declaration, if there is one.
fn declared_encoding(input: &[u8]) -> Option<String> {
    let decl = input.strip_prefix(b"<?xml")?;
    let end = decl.windows(2).take(512).position(|w| w == b"?>")?;
    let decl = decl.get(..end)?;
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let value: Vec<u8> = decl
        .get(at + 8..)?
        .iter()
        .copied()
        .skip_while(|&b| b != b'"' && b != b'\'')
        .skip(1)
        .take_while(|&b| b != b'"' && b != b'\'')
        .collect();
    Some(String::from_utf8_lossy(&value).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the root's text content.
    fn root_text(doc: &str) -> Result<String, DecodeError> {
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root()?;
        r.text(&root).map(Cow::into_owned)
    }

    /// Skips the root's children one by one, returning their names.
    fn child_names(doc: &[u8]) -> Result<Vec<String>, DecodeError> {
        let mut r = XmlReader::new(doc);
        let root = r.root()?;
        let mut names = Vec::new();
        r.children(&root, |r, c| {
            names.push(String::from_utf8_lossy(c.local_name()).into_owned());
            r.skip(&c)
        })?;
        Ok(names)
    }

    #[test]
    fn text_is_borrowed_when_plain_and_unescaped_otherwise() {
        let mut r = XmlReader::new("<a>Москва</a>".as_bytes());
        let root = r.root().unwrap();
        assert!(matches!(r.text(&root), Ok(Cow::Borrowed("Москва"))));
        for (doc, want) in [
            ("<a>x &lt;&#1052;&#x41;&gt; y</a>", "x <МA> y"),
            ("<a>1<![CDATA[<2>]]>3</a>", "1<2>3"),
            ("<a>1<!-- c -->2<?pi?>3</a>", "123"),
            ("<a>x</a >", "x"),
            ("<a/>", ""),
            ("<a></a>", ""),
        ] {
            assert_eq!(root_text(doc).unwrap(), want, "{doc}");
        }
    }

    #[test]
    fn end_tags_must_close_their_own_start() {
        for doc in [
            "<a>x</b>",
            "<a>x &amp;</b>",
            "<r><a><b></a></b></r>",
            "<r><a></b></r>",
        ] {
            let err = child_names(doc.as_bytes())
                .err()
                .or_else(|| root_text(doc).err())
                .unwrap_or_else(|| panic!("{doc} accepted"));
            assert!(
                matches!(&err.kind, DecodeErrorKind::Syntax(m) if m.contains("was found")),
                "{doc}: {err}"
            );
        }
        let err = root_text("<a>x</b>").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5));
    }

    #[test]
    fn truncated_and_unknown_markup_are_errors() {
        assert_eq!(
            child_names(b"<r><a>").unwrap_err().kind,
            DecodeErrorKind::UnexpectedEof
        );
        assert_eq!(
            child_names(b"<r><a x='1").unwrap_err().kind,
            DecodeErrorKind::UnexpectedEof
        );
        assert_eq!(
            child_names(b"<!DOCTYPE r><r/>").unwrap_err().kind,
            DecodeErrorKind::Doctype
        );
        assert!(root_text("<a>&bogus;</a>").is_err());
        assert!(matches!(
            root_text("<a><b/></a>").unwrap_err().kind,
            DecodeErrorKind::UnexpectedElement { .. }
        ));
    }

    #[test]
    fn input_that_is_not_utf8_is_refused_where_it_stops_being_utf8() {
        let doc =
            b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<a>\xcc\xee\xf1\xea\xe2\xe0</a>";
        let err = child_names(doc).unwrap_err();
        assert_eq!((err.line, err.column), (2, 4));
        assert!(
            err.to_string()
                .contains("unsupported: encoding `windows-1251`"),
            "{err}"
        );
        let err = child_names(b"\xff\xfe<\x00a\x00/\x00>\x00").unwrap_err();
        assert!(err.to_string().contains("unsupported: UTF-16"), "{err}");
        let err = child_names(b"<a>\xff</a>").unwrap_err();
        assert!(matches!(err.kind, DecodeErrorKind::Syntax(_)), "{err}");
    }

    #[test]
    fn byte_order_mark_and_prolog_are_skipped() {
        let doc = b"\xEF\xBB\xBF<?xml version='1.0'?><!-- c -->\n<r><a/><b>1</b></r>";
        assert_eq!(child_names(doc).unwrap(), ["a", "b"]);
    }

    #[test]
    fn raw_element_is_the_element_as_written() {
        let doc = br#"<r><d:x xmlns:d="urn:d" a="1"><y>&amp;</y><z/></d:x><n/></r>"#;
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let mut raw = Vec::new();
        r.children(&root, |r, c| {
            raw.push(r.raw_element(&c)?.to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(
            raw,
            [
                r#"<d:x xmlns:d="urn:d" a="1"><y>&amp;</y><z/></d:x>"#,
                "<n/>"
            ]
        );
    }

    /// Decodes everything it can reach: children recursively, text of leaves, attributes.
    fn walk<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<(), DecodeError> {
        let _ = r.attr(start, None, "a");
        let _ = r.is_nil(start);
        r.children(start, |r, c| {
            if c.local_name() == b"t" {
                r.text(&c).map(drop)
            } else if c.local_name() == b"s" {
                r.skip(&c)
            } else {
                walk(r, &c)
            }
        })
    }

    #[test]
    fn truncated_or_mutated_input_is_an_error_never_a_panic() {
        let doc =
            "\u{feff}<?xml version='1.0'?><r xmlns:p='urn:p' a='1'><p:x a=\"&amp;\"><t>Ка&lt;</t>\
                   <t><![CDATA[c]]></t><s><q/><!-- z --></s></p:x><t/></r>";
        let bytes = doc.as_bytes();
        for cut in 0..=bytes.len() {
            let mut r = XmlReader::new(&bytes[..cut]);
            let res = r.root().and_then(|root| walk(&mut r, &root));
            assert_eq!(res.is_ok(), cut == bytes.len(), "cut at {cut}: {res:?}");
        }
        for at in 0..bytes.len() {
            for b in [
                b'<', b'>', b'/', b'&', b'"', b'\'', b'!', b'?', b':', 0x80, b'x',
            ] {
                let mut m = bytes.to_vec();
                m[at] = b;
                let mut r = XmlReader::new(&m);
                let _ = r.root().and_then(|root| walk(&mut r, &root));
            }
        }
    }

    #[test]
    fn namespaces_resolve_by_scope() {
        let doc = br#"<r xmlns:p="urn:p"><p:a/><b xmlns="urn:d"><c/></b><c/></r>"#;
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let mut seen = Vec::new();
        r.children(&root, |r, c| {
            seen.push(r.namespace_of(&c));
            if c.local_name() == b"b" {
                r.children(&c, |r, g| {
                    seen.push(r.namespace_of(&g));
                    r.skip(&g)
                })
            } else {
                r.skip(&c)
            }
        })
        .unwrap();
        let urn = |s: &str| Some(s.to_owned());
        assert_eq!(seen, [urn("urn:p"), urn("urn:d"), urn("urn:d"), None]);
    }
}

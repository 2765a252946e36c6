//! A pull reader over a complete XML document, with resolved namespaces and positions.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

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
    pub fn local_name(&self) -> &[u8] {
        self.tag.local_name().into_inner()
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
    inner: NsReader<&'a [u8]>,
    input: &'a [u8],
}

impl<'a> XmlReader<'a> {
    /// A reader over `input`.
    #[must_use]
    pub fn new(input: &'a [u8]) -> Self {
        let mut inner = NsReader::from_reader(input);
        let config = inner.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        Self { inner, input }
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
    fn next(&mut self) -> Result<Event<'a>, DecodeError> {
        loop {
            match self.inner.read_event() {
                Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::DocType(_)) => return Err(self.error(DecodeErrorKind::Doctype)),
                Ok(ev) => return Ok(ev),
                Err(e) => return Err(self.syntax(&e)),
            }
        }
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
        let end = start.tag.to_end().into_owned();
        self.inner
            .read_to_end(end.name())
            .map(|_| ())
            .map_err(|e| self.syntax(&e))
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
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            let piece: Cow<'a, str> = match self.next()? {
                Event::Text(t) => t
                    .decode()
                    .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?,
                Event::GeneralRef(r) => {
                    let name = r
                        .decode()
                        .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?;
                    Cow::Owned(resolve_ref(&name).ok_or_else(|| {
                        self.error(DecodeErrorKind::Syntax(format!("unknown entity &{name};")))
                    })?)
                }
                Event::CData(c) => Cow::Owned(
                    c.decode()
                        .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))?
                        .into_owned(),
                ),
                Event::End(_) => return Ok(out.unwrap_or(Cow::Borrowed(""))),
                Event::Start(tag) | Event::Empty(tag) => {
                    return Err(self.error(DecodeErrorKind::UnexpectedElement {
                        found: String::from_utf8_lossy(tag.name().into_inner()).into_owned(),
                        expected: "text content".into(),
                    }))
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                _ => continue,
            };
            out = Some(match out {
                None => piece,
                Some(prev) => Cow::Owned(prev.into_owned() + &piece),
            });
        }
    }

    /// Whether `start` is in namespace `ns` (`None`: no namespace).
    #[must_use]
    pub fn ns_is(&self, start: &Start<'_>, ns: Option<&str>) -> bool {
        let (res, _) = self.inner.resolve_element(start.tag.name());
        match (res, ns) {
            (ResolveResult::Unbound, None) => true,
            (ResolveResult::Bound(Namespace(found)), Some(want)) => found == want.as_bytes(),
            _ => false,
        }
    }

    /// The namespace URI of `start`, if any (for error messages and dispatch).
    #[must_use]
    pub fn namespace_of(&self, start: &Start<'_>) -> Option<String> {
        match self.inner.resolve_element(start.tag.name()).0 {
            ResolveResult::Bound(Namespace(ns)) => Some(String::from_utf8_lossy(ns).into_owned()),
            _ => None,
        }
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
            let (res, _) = self.inner.resolve_attribute(a.key);
            let matches = match (res, ns) {
                (ResolveResult::Unbound, None) => true,
                (ResolveResult::Bound(Namespace(found)), Some(want)) => found == want.as_bytes(),
                _ => false,
            };
            if matches {
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
        match self.inner.resolve_attribute(key).0 {
            ResolveResult::Bound(Namespace(ns)) => Some(String::from_utf8_lossy(ns).into_owned()),
            _ => None,
        }
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

fn is_blank(t: &[u8]) -> bool {
    t.iter().all(u8::is_ascii_whitespace)
}

/// Resolves a predefined entity or a character reference; anything else is refused
/// because no DTD is ever read.
fn resolve_ref(name: &str) -> Option<String> {
    let s = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            return char::from_u32(code).map(String::from);
        }
    };
    Some(s.to_owned())
}

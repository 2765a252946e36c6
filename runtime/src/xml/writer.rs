//! A small XML writer with namespace-prefix management, used by generated
//! [`XmlWrite`](super::XmlWrite) impls and by the envelope code.

use super::{Name, XSI_NS};

/// Writes XML into a byte buffer.
///
/// Namespaces are declared on the first element that needs them and stay in scope for its
/// descendants; no default namespace (`xmlns="…"`) is ever declared, so an unqualified
/// element is always written without a prefix and is really in no namespace.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
    /// Declared namespaces: (uri, prefix, depth at which it was declared).
    scopes: Vec<(String, String, usize)>,
    depth: usize,
    /// A start tag is open (`<a attr="…"`) and still accepts attributes.
    open: bool,
    next_prefix: usize,
    /// Fixed prefixes to use for well-known namespaces (e.g. `soapenv`).
    preferred: Vec<(String, String)>,
}

impl XmlWriter {
    /// An empty writer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `prefix` whenever namespace `ns` must be declared (instead of `nsN`).
    pub fn prefer_prefix(&mut self, ns: &str, prefix: &str) {
        self.preferred.push((ns.to_owned(), prefix.to_owned()));
    }

    /// Writes the XML declaration.
    pub fn declaration(&mut self) {
        self.buf
            .extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    fn prefix_of(&self, ns: &str) -> Option<&str> {
        self.scopes
            .iter()
            .rev()
            .find(|(u, _, _)| u == ns)
            .map(|(_, p, _)| p.as_str())
    }

    fn finish_start(&mut self) {
        if self.open {
            self.buf.push(b'>');
            self.open = false;
        }
    }

    /// Returns the prefix for `ns`, declaring it on the currently open start tag if needed.
    fn ensure_ns(&mut self, ns: &str) -> String {
        if let Some(p) = self.prefix_of(ns) {
            return p.to_owned();
        }
        let prefix = match self.preferred.iter().find(|(u, _)| u == ns) {
            Some((_, p)) if !self.scopes.iter().any(|(_, q, _)| q == p) => p.clone(),
            _ => loop {
                self.next_prefix += 1;
                let p = if ns == XSI_NS && self.next_prefix == 1 {
                    "xsi".to_owned()
                } else {
                    format!("ns{}", self.next_prefix)
                };
                if !self.scopes.iter().any(|(_, q, _)| *q == p) {
                    break p;
                }
            },
        };
        self.buf.extend_from_slice(b" xmlns:");
        self.buf.extend_from_slice(prefix.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        escape_into(&mut self.buf, ns, true);
        self.buf.push(b'"');
        self.scopes
            .push((ns.to_owned(), prefix.clone(), self.depth));
        prefix
    }

    /// Opens start tag `name`; attributes may follow until content or [`close`](Self::close).
    pub fn open(&mut self, name: Name<'_>) {
        self.finish_start();
        self.depth += 1;
        self.buf.push(b'<');
        let mark = self.buf.len();
        self.buf.extend_from_slice(name.local.as_bytes());
        self.open = true;
        if let Some(ns) = name.ns {
            if let Some(p) = self.prefix_of(ns).map(str::to_owned) {
                self.buf.splice(mark..mark, format!("{p}:").into_bytes());
            } else {
                let p = self.ensure_ns(ns);
                self.buf.splice(mark..mark, format!("{p}:").into_bytes());
            }
        }
    }

    /// Declares namespace `ns` on the open start tag (so descendants share one declaration).
    pub fn declare(&mut self, ns: &str) {
        debug_assert!(self.open, "declare() needs an open start tag");
        let _ = self.ensure_ns(ns);
    }

    /// Writes attribute `name="value"` on the open start tag.
    pub fn attr(&mut self, name: Name<'_>, value: &str) {
        debug_assert!(self.open, "attr() needs an open start tag");
        // Declare the namespace (which writes ` xmlns:p="…"`) before starting the attribute.
        let prefix = name.ns.map(|ns| self.ensure_ns(ns));
        self.buf.push(b' ');
        if let Some(p) = prefix {
            self.buf.extend_from_slice(p.as_bytes());
            self.buf.push(b':');
        }
        self.buf.extend_from_slice(name.local.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        escape_into(&mut self.buf, value, true);
        self.buf.push(b'"');
    }

    /// Marks the open element as `xsi:nil="true"`.
    pub fn nil(&mut self) {
        self.attr(Name::qualified(XSI_NS, "nil"), "true");
    }

    /// Writes escaped text content.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.finish_start();
        escape_into(&mut self.buf, text, false);
    }

    /// Writes pre-serialized XML as content (used for `xs:any` values).
    pub fn raw(&mut self, xml: &str) {
        self.finish_start();
        self.buf.extend_from_slice(xml.as_bytes());
    }

    /// Closes element `name` (as `<x/>` when it had no content).
    pub fn close(&mut self, name: Name<'_>) {
        if self.open {
            self.buf.extend_from_slice(b"/>");
            self.open = false;
        } else {
            self.buf.extend_from_slice(b"</");
            if let Some(ns) = name.ns {
                let p = self.prefix_of(ns).unwrap_or_default().to_owned();
                if !p.is_empty() {
                    self.buf.extend_from_slice(p.as_bytes());
                    self.buf.push(b':');
                }
            }
            self.buf.extend_from_slice(name.local.as_bytes());
            self.buf.push(b'>');
        }
        let depth = self.depth;
        self.scopes.retain(|(_, _, d)| *d < depth);
        self.depth -= 1;
    }

    /// The bytes written so far.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Consumes the writer, returning the document.
    #[must_use]
    pub fn into_bytes(mut self) -> Vec<u8> {
        self.finish_start();
        self.buf
    }
}

fn escape_into(buf: &mut Vec<u8>, s: &str, attr: bool) {
    for &b in s.as_bytes() {
        match b {
            b'<' => buf.extend_from_slice(b"&lt;"),
            b'>' => buf.extend_from_slice(b"&gt;"),
            b'&' => buf.extend_from_slice(b"&amp;"),
            b'"' if attr => buf.extend_from_slice(b"&quot;"),
            b'\r' => buf.extend_from_slice(b"&#13;"),
            b'\n' if attr => buf.extend_from_slice(b"&#10;"),
            b'\t' if attr => buf.extend_from_slice(b"&#9;"),
            _ => buf.push(b),
        }
    }
}

//! XML reading and writing used by generated code.
//!
//! Generated types implement [`XmlRead`] and [`XmlWrite`]; simple types (numbers, strings,
//! dates, enumerations) implement [`XmlText`] and get both through blanket impls.

mod fields;
mod reader;
pub(crate) mod scan;
mod text;
mod writer;

pub use fields::*;
pub use reader::{DecodeError, DecodeErrorKind, Start, XmlReader};
pub use text::XmlText;
pub use writer::XmlWriter;

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An element or attribute name as it appears on the wire.
///
/// `ns` is `None` for unqualified names (local elements of schemas without
/// `elementFormDefault="qualified"`, such as every JAX-WS generated schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name<'a> {
    /// Namespace URI, `None` for no namespace.
    pub ns: Option<&'a str>,
    /// Local part of the name.
    pub local: &'a str,
}

impl<'a> Name<'a> {
    /// A name in namespace `ns`.
    #[must_use]
    pub const fn qualified(ns: &'a str, local: &'a str) -> Self {
        Self {
            ns: Some(ns),
            local,
        }
    }

    /// A name in no namespace.
    #[must_use]
    pub const fn unqualified(local: &'a str) -> Self {
        Self { ns: None, local }
    }
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(self.local),
        }
    }
}

/// Decodes a value from an element whose start tag has just been read.
pub trait XmlRead: Sized {
    /// Reads the attributes of `start` and its content, up to and including the matching end tag.
    ///
    /// # Errors
    /// Returns a [`DecodeError`] (with line and column) when the content does not match the type.
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError>;
}

/// Encodes a value as one element.
pub trait XmlWrite {
    /// Writes the start tag `name` with this value's attributes, its content and the end tag.
    fn write_xml(&self, w: &mut XmlWriter, name: Name<'_>);
}

impl<T: XmlText> XmlRead for T {
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        let text = r.text(start)?;
        T::parse_cow(text).map_err(|e| r.error(DecodeErrorKind::InvalidValue(e)))
    }
}

impl<T: XmlText> XmlWrite for T {
    fn write_xml(&self, w: &mut XmlWriter, name: Name<'_>) {
        w.open(name);
        let mut s = String::new();
        self.write_text(&mut s);
        w.text(&s);
        w.close(name);
    }
}

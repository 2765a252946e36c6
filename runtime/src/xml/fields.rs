//! Small helpers that generated `XmlRead`/`XmlWrite` impls call for each field, so the
//! per-type generated code stays a list of names (cardinality, nil and required handling
//! live here, once).

use std::borrow::Cow;

use super::{
    DecodeError, DecodeErrorKind, Name, Start, XmlRead, XmlReader, XmlText, XmlWrite, XmlWriter,
    XSI_NS,
};

/// Where a decoded child goes: `Option<T>` (single, last one wins) or `Vec<T>` (repeated).
pub trait Slot<T> {
    /// Stores `v`.
    fn put(&mut self, v: T);
}

impl<T> Slot<T> for Option<T> {
    fn put(&mut self, v: T) {
        *self = Some(v);
    }
}

impl<T> Slot<T> for Vec<T> {
    fn put(&mut self, v: T) {
        self.push(v);
    }
}

/// Decodes child `c` as `T` into `slot`.
///
/// # Errors
/// The child does not decode as `T`.
#[inline]
pub fn read_field<'a, T: XmlRead, S: Slot<T>>(
    r: &mut XmlReader<'a>,
    c: &Start<'a>,
    slot: &mut S,
) -> Result<(), DecodeError> {
    slot.put(T::read_xml(r, c)?);
    Ok(())
}

/// Decodes child `c` as `T`.
///
/// # Errors
/// The child does not decode as `T`.
#[inline]
pub fn read<'a, T: XmlRead>(r: &mut XmlReader<'a>, c: &Start<'a>) -> Result<T, DecodeError> {
    T::read_xml(r, c)
}

/// Stores an already decoded value (a choice alternative) into `slot`.
///
/// # Errors
/// Never; returns `Result` to fit in a match arm of [`XmlReader::children`].
#[inline]
pub fn put<T, S: Slot<T>>(slot: &mut S, v: T) -> Result<(), DecodeError> {
    slot.put(v);
    Ok(())
}

/// The value of a required element, or [`DecodeErrorKind::MissingElement`].
///
/// # Errors
/// `v` is `None`.
#[inline]
pub fn required<T>(
    r: &XmlReader<'_>,
    v: Option<T>,
    ty: &'static str,
    field: &'static str,
) -> Result<T, DecodeError> {
    v.ok_or_else(|| r.error(DecodeErrorKind::MissingElement { ty, field }))
}

fn parse_attr<T: XmlText>(r: &XmlReader<'_>, local: &str, v: &str) -> Result<T, DecodeError> {
    T::parse_text(v).map_err(|e| {
        r.error(DecodeErrorKind::InvalidValue(format!(
            "attribute `{local}`: {e}"
        )))
    })
}

/// A required attribute.
///
/// # Errors
/// Missing ([`DecodeErrorKind::MissingAttribute`]) or invalid.
pub fn attr_req<'a, T: XmlText>(
    r: &XmlReader<'a>,
    start: &Start<'a>,
    ns: Option<&str>,
    local: &'static str,
    ty: &'static str,
) -> Result<T, DecodeError> {
    match r.attr(start, ns, local)? {
        Some(v) => parse_attr(r, local, &v),
        None => Err(r.error(DecodeErrorKind::MissingAttribute { ty, field: local })),
    }
}

/// An optional attribute.
///
/// # Errors
/// Invalid value.
pub fn attr_opt<'a, T: XmlText>(
    r: &XmlReader<'a>,
    start: &Start<'a>,
    ns: Option<&str>,
    local: &str,
) -> Result<Option<T>, DecodeError> {
    r.attr(start, ns, local)?
        .map(|v| parse_attr(r, local, &v))
        .transpose()
}

/// An optional attribute with a schema `default`, applied when it is absent.
///
/// # Errors
/// Invalid value (or invalid default).
pub fn attr_or<'a, T: XmlText>(
    r: &XmlReader<'a>,
    start: &Start<'a>,
    ns: Option<&str>,
    local: &str,
    default: &str,
) -> Result<T, DecodeError> {
    let v = r.attr(start, ns, local)?;
    parse_attr(r, local, v.as_deref().unwrap_or(default))
}

/// The attributes of `start` that are not in `known` (for `xs:anyAttribute`), as
/// (`{namespace}local` or `local`, value). Namespace declarations and `xsi:*` are left out.
///
/// # Errors
/// Malformed attributes.
pub fn other_attrs<'a>(
    r: &XmlReader<'a>,
    start: &Start<'a>,
    known: &[(Option<&str>, &str)],
) -> Result<Vec<(String, String)>, DecodeError> {
    let mut out = Vec::new();
    for a in start.raw().attributes() {
        let a = a.map_err(|e| r.error(DecodeErrorKind::Syntax(e.to_string())))?;
        if a.key.as_namespace_binding().is_some() {
            continue;
        }
        let local = String::from_utf8_lossy(a.key.local_name().into_inner()).into_owned();
        let ns = if a.key.prefix().is_some() {
            r.attribute_namespace(a.key)
        } else {
            None
        };
        if ns.as_deref() == Some(XSI_NS)
            || known
                .iter()
                .any(|(kn, kl)| *kl == local && *kn == ns.as_deref())
        {
            continue;
        }
        let v = a
            .decode_and_unescape_value(start.raw().decoder())
            .map_err(|e| r.error(DecodeErrorKind::Syntax(e.to_string())))?;
        let key = match ns {
            Some(ns) => format!("{{{ns}}}{local}"),
            None => local,
        };
        out.push((key, v.into_owned()));
    }
    Ok(out)
}

/// Reads the text content of `start` as `T` (simple content with attributes).
///
/// # Errors
/// A child element, or text that is not a valid `T`.
pub fn read_text<'a, T: XmlText>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
) -> Result<T, DecodeError> {
    let text: Cow<'a, str> = r.text(start)?;
    T::parse_cow(text).map_err(|e| r.error(DecodeErrorKind::InvalidValue(e)))
}

/// Writes a required child.
#[inline]
pub fn write<T: XmlWrite + ?Sized>(w: &mut XmlWriter, v: &T, name: Name<'_>) {
    v.write_xml(w, name);
}

/// Writes an optional child; `None` writes nothing.
#[inline]
pub fn write_opt<T: XmlWrite + ?Sized>(w: &mut XmlWriter, v: Option<&T>, name: Name<'_>) {
    if let Some(v) = v {
        v.write_xml(w, name);
    }
}

/// Writes one child per item.
#[inline]
pub fn write_all<T: XmlWrite>(w: &mut XmlWriter, v: &[T], name: Name<'_>) {
    for v in v {
        v.write_xml(w, name);
    }
}

/// Writes attribute `name` on the open start tag.
#[inline]
pub fn write_attr<T: XmlText>(w: &mut XmlWriter, name: Name<'_>, v: &T) {
    w.attr(name, &v.to_text());
}

/// Writes attribute `name` when present.
#[inline]
pub fn write_attr_opt<T: XmlText>(w: &mut XmlWriter, name: Name<'_>, v: Option<&T>) {
    if let Some(v) = v {
        w.attr(name, &v.to_text());
    }
}

/// Writes attributes collected by [`other_attrs`] (`{ns}local` keys get a declared prefix).
pub fn write_other_attrs(w: &mut XmlWriter, attrs: &[(String, String)]) {
    for (k, v) in attrs {
        let name = match k.strip_prefix('{').and_then(|k| k.split_once('}')) {
            Some((ns, local)) => Name::qualified(ns, local),
            None => Name::unqualified(k),
        };
        w.attr(name, v);
    }
}

/// Writes `v` as the text content of the open element.
#[inline]
pub fn write_value<T: XmlText>(w: &mut XmlWriter, v: &T) {
    w.text(&v.to_text());
}

/// A model group (`xs:choice`) that writes itself as a run of sibling elements, without a
/// wrapper element of its own.
pub trait XmlContent {
    /// Writes the elements of this value.
    fn write_content(&self, w: &mut XmlWriter);
}

/// Writes a required group.
#[inline]
pub fn write_content<T: XmlContent>(w: &mut XmlWriter, v: &T) {
    v.write_content(w);
}

/// Writes an optional group.
#[inline]
pub fn write_content_opt<T: XmlContent>(w: &mut XmlWriter, v: Option<&T>) {
    if let Some(v) = v {
        v.write_content(w);
    }
}

/// Writes a repeated group.
#[inline]
pub fn write_content_all<T: XmlContent>(w: &mut XmlWriter, v: &[T]) {
    for v in v {
        v.write_content(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_required() {
        let xml = br#"<r a="1" b="x" p:c="y" xmlns:p="urn:p"><n>5</n><n>6</n><m>7</m></r>"#;
        let mut r = XmlReader::new(xml);
        let root = r.root().unwrap();
        assert_eq!(attr_req::<i32>(&r, &root, None, "a", "R").unwrap(), 1);
        assert_eq!(attr_opt::<String>(&r, &root, None, "zz").unwrap(), None);
        assert_eq!(attr_or::<i32>(&r, &root, None, "zz", "9").unwrap(), 9);
        assert!(matches!(
            attr_req::<i32>(&r, &root, None, "zz", "R")
                .unwrap_err()
                .kind,
            DecodeErrorKind::MissingAttribute {
                ty: "R",
                field: "zz"
            }
        ));
        assert!(attr_req::<i32>(&r, &root, None, "b", "R").is_err());
        let other = other_attrs(&r, &root, &[(None, "a")]).unwrap();
        assert_eq!(
            other,
            vec![
                ("b".to_owned(), "x".to_owned()),
                ("{urn:p}c".to_owned(), "y".to_owned())
            ]
        );
        let mut ns: Vec<i32> = Vec::new();
        let mut m: Option<i64> = None;
        let mut missing: Option<String> = None;
        r.children(&root, |r, c| match c.local_name() {
            b"n" => read_field(r, &c, &mut ns),
            b"m" => read_field(r, &c, &mut m),
            _ => r.skip(&c),
        })
        .unwrap();
        assert_eq!(ns, vec![5, 6]);
        assert_eq!(required(&r, m, "R", "m").unwrap(), 7);
        let err = required(&r, missing.take(), "R", "q").unwrap_err();
        assert_eq!(
            err.kind,
            DecodeErrorKind::MissingElement {
                ty: "R",
                field: "q"
            }
        );
    }

    #[test]
    fn writers() {
        let mut w = XmlWriter::new();
        let n = Name::qualified("urn:t", "r");
        w.open(n);
        write_attr(&mut w, Name::unqualified("a"), &1);
        write_attr_opt::<i32>(&mut w, Name::unqualified("b"), None);
        write_other_attrs(
            &mut w,
            &[("{urn:p}c".into(), "y".into()), ("d".into(), "<".into())],
        );
        write(&mut w, &"s".to_owned(), Name::unqualified("x"));
        write_opt::<String>(&mut w, None, Name::unqualified("no"));
        write_all(&mut w, &[1, 2], Name::qualified("urn:t", "i"));
        w.close(n);
        let out = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(
            out,
            r#"<ns1:r xmlns:ns1="urn:t" a="1" xmlns:ns2="urn:p" ns2:c="y" d="&lt;"><x>s</x><ns1:i>1</ns1:i><ns1:i>2</ns1:i></ns1:r>"#
        );
    }

    #[test]
    fn simple_content_text() {
        let mut r = XmlReader::new(b"<p cur=\"RUB\"> 12.5 </p>");
        let root = r.root().unwrap();
        let v: f64 = read_text(&mut r, &root).unwrap();
        assert!((v - 12.5).abs() < f64::EPSILON);
        let mut w = XmlWriter::new();
        w.open(Name::unqualified("p"));
        write_value(&mut w, &"a&b".to_owned());
        w.close(Name::unqualified("p"));
        assert_eq!(w.into_bytes(), b"<p>a&amp;b</p>");
    }
}

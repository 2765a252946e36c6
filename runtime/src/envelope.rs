//! SOAP 1.1 / 1.2 envelopes: writing requests and reading responses.
//!
//! Requests are written as
//! `<?xml …?><soapenv:Envelope xmlns:soapenv="…">[<soapenv:Header>…</soapenv:Header>]<soapenv:Body>…</soapenv:Body></soapenv:Envelope>`
//! (prefix `soap12` for SOAP 1.2). The `Header` element is omitted entirely when no header
//! block is written: both versions make it optional and some servers reject an empty one.
//!
//! Responses are read without DTD processing; the root must be an `Envelope` of the version
//! the request used, and the first `Body` child is either a `Fault` (decoded into
//! [`Fault`]) or handed to the caller's decoder.

use std::borrow::Cow;

use crate::fault::{Fault, FaultDetail};
use crate::xml::{DecodeError, DecodeErrorKind, Name, Start, XmlReader, XmlWriter};

/// Namespace of SOAP 1.1 envelopes.
pub const SOAP11_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// Namespace of SOAP 1.2 envelopes.
pub const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml` + `SOAPAction` header).
    V11,
    /// SOAP 1.2 (`application/soap+xml` with an `action` parameter).
    V12,
}

impl SoapVersion {
    /// The envelope namespace URI.
    #[must_use]
    pub const fn namespace(self) -> &'static str {
        match self {
            Self::V11 => SOAP11_ENV_NS,
            Self::V12 => SOAP12_ENV_NS,
        }
    }

    /// The prefix used for the envelope namespace in requests.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::V11 => "soapenv",
            Self::V12 => "soap12",
        }
    }

    /// The version whose envelope namespace is `ns`.
    #[must_use]
    pub fn from_namespace(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_ENV_NS => Some(Self::V11),
            SOAP12_ENV_NS => Some(Self::V12),
            _ => None,
        }
    }

    /// The HTTP headers (name, value) that carry the content type and `soap_action`.
    ///
    /// SOAP 1.1: `Content-Type: text/xml; charset=utf-8` and `SOAPAction: "…"` (always sent,
    /// `""` when the operation has no action, as WS-I Basic Profile requires).
    /// SOAP 1.2: `Content-Type: application/soap+xml; charset=utf-8; action="…"` (the `action`
    /// parameter is left out when there is no action).
    #[must_use]
    pub fn request_headers(self, soap_action: Option<&str>) -> Vec<(String, String)> {
        // A quote inside the action would break the quoted-string; actions are URIs, so
        // escaping is only a guard against a broken WSDL.
        let action = soap_action.unwrap_or("").replace('"', "%22");
        match self {
            Self::V11 => vec![
                ("Content-Type".into(), "text/xml; charset=utf-8".into()),
                ("SOAPAction".into(), format!("\"{action}\"")),
            ],
            Self::V12 => {
                let mut ct = String::from("application/soap+xml; charset=utf-8");
                if soap_action.is_some() {
                    ct.push_str(&format!("; action=\"{action}\""));
                }
                vec![("Content-Type".into(), ct)]
            }
        }
    }
}

impl std::fmt::Display for SoapVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::V11 => "SOAP 1.1",
            Self::V12 => "SOAP 1.2",
        })
    }
}

/// Writes a complete request envelope (with XML declaration).
///
/// `write_headers` writes the header blocks (each one a complete element); when it writes
/// nothing, no `Header` element is emitted. Header blocks are written with their own
/// namespace declarations. `write_body` writes the body content.
#[must_use]
pub fn write_envelope(
    version: SoapVersion,
    write_headers: impl FnOnce(&mut XmlWriter),
    write_body: impl FnOnce(&mut XmlWriter),
) -> Vec<u8> {
    let ns = version.namespace();
    // Headers go through their own writer so an empty header set can be detected and the
    // `Header` element left out.
    let mut hw = XmlWriter::new();
    hw.prefer_prefix(ns, version.prefix());
    write_headers(&mut hw);
    let headers = hw.into_bytes();

    let mut w = XmlWriter::new();
    w.prefer_prefix(ns, version.prefix());
    w.declaration();
    let envelope = Name::qualified(ns, "Envelope");
    w.open(envelope);
    if !headers.is_empty() {
        let header = Name::qualified(ns, "Header");
        w.open(header);
        w.raw(&String::from_utf8_lossy(&headers));
        w.close(header);
    }
    let body = Name::qualified(ns, "Body");
    w.open(body);
    write_body(&mut w);
    w.close(body);
    w.close(envelope);
    w.into_bytes()
}

/// Why a response could not be read as an envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Malformed XML, a DOCTYPE, a missing `Body`, or the body decoder failed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The document is well-formed XML but its root is not a SOAP `Envelope`.
    #[error("response is not a SOAP envelope (root element `{root}`)")]
    NotEnvelope {
        /// The root element found (`{ns}local`).
        root: String,
    },
    /// The root is an envelope of the other SOAP version.
    #[error("SOAP version mismatch: sent {expected}, received {found}")]
    VersionMismatch {
        /// The version of the request.
        expected: SoapVersion,
        /// The version of the response envelope.
        found: SoapVersion,
    },
}

/// The content of a response `Body`.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvelopeBody<T, D> {
    /// The decoded first body child (or the decoder's result for an empty body).
    Value(T),
    /// The body held a SOAP fault.
    Fault(Fault<D>),
}

/// A stack of in-scope namespace declarations, used to resolve QName *values*
/// (`faultcode`, `Value`), which the XML reader does not resolve.
#[derive(Debug, Default, Clone)]
pub(crate) struct NsScope {
    /// (prefix, uri); `None` prefix is the default namespace. Later entries shadow earlier.
    decls: Vec<(Option<String>, String)>,
}

impl NsScope {
    /// Adds the `xmlns` declarations of `start`.
    pub(crate) fn push(&mut self, start: &Start<'_>) {
        use quick_xml::name::PrefixDeclaration;
        for a in start.raw().attributes().flatten() {
            let prefix = match a.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => None,
                Some(PrefixDeclaration::Named(p)) => Some(String::from_utf8_lossy(p).into_owned()),
                None => continue,
            };
            let uri = a
                .decode_and_unescape_value(start.raw().decoder())
                .map_or_else(
                    |_| String::from_utf8_lossy(&a.value).into_owned(),
                    Cow::into_owned,
                );
            self.decls.push((prefix, uri));
        }
    }

    /// The namespace bound to `prefix` (`None`: the default namespace); an empty URI
    /// (`xmlns=""`) means no namespace.
    pub(crate) fn resolve(&self, prefix: Option<&str>) -> Option<&str> {
        if prefix == Some("xml") {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.decls
            .iter()
            .rev()
            .find(|(p, _)| p.as_deref() == prefix)
            .map(|(_, u)| u.as_str())
            .filter(|u| !u.is_empty())
    }
}

/// Reads the root element and checks it is an `Envelope` of `version`.
fn open_envelope<'a>(
    version: SoapVersion,
    r: &mut XmlReader<'a>,
) -> Result<Start<'a>, EnvelopeError> {
    let root = r.root()?;
    if root.local_name() == b"Envelope" && r.ns_is(&root, Some(version.namespace())) {
        return Ok(root);
    }
    let found = r
        .namespace_of(&root)
        .as_deref()
        .and_then(SoapVersion::from_namespace);
    Err(match found {
        Some(found) if root.local_name() == b"Envelope" => EnvelopeError::VersionMismatch {
            expected: version,
            found,
        },
        _ => EnvelopeError::NotEnvelope {
            root: describe(r, &root),
        },
    })
}

/// `{ns}local` of `start`, for messages.
pub(crate) fn describe(r: &XmlReader<'_>, start: &Start<'_>) -> String {
    let local = String::from_utf8_lossy(start.local_name()).into_owned();
    match r.namespace_of(start) {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local,
    }
}

/// Reads a response envelope of `version`.
///
/// The first `Body` child is decoded as a [`Fault`] when it is a fault of `version`,
/// otherwise it is passed to `read_body` (which must consume it); further body children
/// are skipped. An empty body calls `read_body` with `None`. Header blocks are skipped.
///
/// # Errors
/// [`EnvelopeError`]: malformed XML or DOCTYPE, not an envelope, the other SOAP version, no
/// `Body`, or an error from `read_body` / the fault decoder.
pub fn read_envelope<T, D, F>(
    version: SoapVersion,
    input: &[u8],
    read_body: F,
) -> Result<EnvelopeBody<T, D>, EnvelopeError>
where
    D: FaultDetail,
    F: for<'a> FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>,
{
    let mut r = XmlReader::new(input);
    let root = open_envelope(version, &mut r)?;
    let ns = version.namespace();
    let mut scope = NsScope::default();
    scope.push(&root);

    let mut read_body = Some(read_body);
    let mut result: Option<EnvelopeBody<T, D>> = None;
    r.children(&root, |r, child| {
        if result.is_some() || !r.ns_is(&child, Some(ns)) || child.local_name() != b"Body" {
            // Header (skipped), anything after Body, or foreign elements.
            return r.skip(&child);
        }
        let mut scope = scope.clone();
        scope.push(&child);
        let mut first = true;
        r.children(&child, |r, item| {
            if !first {
                return r.skip(&item);
            }
            first = false;
            if item.local_name() == b"Fault" && r.ns_is(&item, Some(ns)) {
                let fault = Fault::read(version, r, &item, &scope)?;
                result = Some(EnvelopeBody::Fault(fault));
                Ok(())
            } else {
                match read_body.take() {
                    Some(f) => {
                        result = Some(EnvelopeBody::Value(f(r, Some(&item))?));
                        Ok(())
                    }
                    None => r.skip(&item),
                }
            }
        })?;
        if first {
            // Empty body: one-way operation or a void response.
            if let Some(f) = read_body.take() {
                result = Some(EnvelopeBody::Value(f(r, None)?));
            }
        }
        Ok(())
    })?;
    result.ok_or_else(|| {
        EnvelopeError::Decode(r.error(DecodeErrorKind::MissingElement {
            ty: "Envelope",
            field: "Body",
        }))
    })
}

/// The raw XML of a response: header blocks and body children, verbatim.
///
/// Namespace prefixes declared on the envelope are not copied into the fragments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEnvelope {
    /// Each header block as written.
    pub headers: Vec<String>,
    /// Each body child as written (a fault included).
    pub body: Vec<String>,
}

/// Reads a response envelope of `version` keeping header blocks and body children as text.
///
/// # Errors
/// As [`read_envelope`].
pub fn read_envelope_raw(version: SoapVersion, input: &[u8]) -> Result<RawEnvelope, EnvelopeError> {
    let mut r = XmlReader::new(input);
    let root = open_envelope(version, &mut r)?;
    let ns = version.namespace();
    let mut out = RawEnvelope::default();
    let mut seen_body = false;
    r.children(&root, |r, child| {
        let target = match child.local_name() {
            b"Header" if r.ns_is(&child, Some(ns)) => &mut out.headers,
            b"Body" if r.ns_is(&child, Some(ns)) => {
                seen_body = true;
                &mut out.body
            }
            _ => return r.skip(&child),
        };
        r.children(&child, |r, item| {
            target.push(r.raw_element(&item)?.to_owned());
            Ok(())
        })
    })?;
    if seen_body {
        Ok(out)
    } else {
        Err(EnvelopeError::Decode(r.error(
            DecodeErrorKind::MissingElement {
                ty: "Envelope",
                field: "Body",
            },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_without_header_when_none_written() {
        let xml = write_envelope(
            SoapVersion::V11,
            |_| {},
            |w| {
                let n = Name::qualified("urn:x", "ping");
                w.open(n);
                w.close(n);
            },
        );
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><ns1:ping xmlns:ns1=\"urn:x\"/></soapenv:Body></soapenv:Envelope>"
        );
    }

    #[test]
    fn writes_header_blocks() {
        let xml = write_envelope(
            SoapVersion::V12,
            |w| {
                let n = Name::qualified("urn:h", "auth");
                w.open(n);
                w.text("t");
                w.close(n);
            },
            |_| {},
        );
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap12:Envelope xmlns:soap12=\"http://www.w3.org/2003/05/soap-envelope\"><soap12:Header><ns1:auth xmlns:ns1=\"urn:h\">t</ns1:auth></soap12:Header><soap12:Body/></soap12:Envelope>"
        );
    }

    #[test]
    fn version_mismatch_and_not_envelope() {
        let v11 = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>"#;
        let err =
            read_envelope::<(), crate::fault::NoDetail, _>(SoapVersion::V12, v11, |_, _| Ok(()))
                .unwrap_err();
        assert_eq!(
            err,
            EnvelopeError::VersionMismatch {
                expected: SoapVersion::V12,
                found: SoapVersion::V11
            }
        );
        let err =
            read_envelope::<(), crate::fault::NoDetail, _>(SoapVersion::V11, b"<html/>", |_, _| {
                Ok(())
            })
            .unwrap_err();
        assert_eq!(
            err,
            EnvelopeError::NotEnvelope {
                root: "html".into()
            }
        );
    }

    #[test]
    fn empty_body_gives_none() {
        let v11 = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><h xmlns="urn:h"/></e:Header><e:Body></e:Body></e:Envelope>"#;
        let got =
            read_envelope::<bool, crate::fault::NoDetail, _>(SoapVersion::V11, v11, |_, s| {
                Ok(s.is_none())
            })
            .unwrap();
        assert_eq!(got, EnvelopeBody::Value(true));
        let raw = read_envelope_raw(SoapVersion::V11, v11).unwrap();
        assert_eq!(raw.headers, vec![r#"<h xmlns="urn:h"/>"#.to_owned()]);
        assert!(raw.body.is_empty());
    }

    #[test]
    fn missing_body_is_an_error() {
        let v11 = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"/>"#;
        let err =
            read_envelope::<(), crate::fault::NoDetail, _>(SoapVersion::V11, v11, |_, _| Ok(()))
                .unwrap_err();
        assert!(
            matches!(err, EnvelopeError::Decode(e) if matches!(e.kind, DecodeErrorKind::MissingElement { .. }))
        );
    }

    #[test]
    fn header_attribute_in_envelope_namespace_is_declared() {
        let xml = write_envelope(
            SoapVersion::V11,
            |w| {
                let n = Name::qualified("urn:h", "auth");
                w.open(n);
                w.attr(Name::qualified(SOAP11_ENV_NS, "mustUnderstand"), "1");
                w.close(n);
            },
            |_| {},
        );
        let xml = String::from_utf8(xml).unwrap();
        assert!(
            xml.contains(r#"<soapenv:Header><ns1:auth xmlns:ns1="urn:h" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" soapenv:mustUnderstand="1"/></soapenv:Header>"#),
            "{xml}"
        );
    }

    #[test]
    fn utf8_bom_is_accepted() {
        let doc = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><r>1</r></s:Body></s:Envelope>";
        let got = read_envelope::<String, crate::fault::NoDetail, _>(
            SoapVersion::V11,
            doc.as_bytes(),
            |r, s| crate::client::expect_element(r, s, None, "r"),
        )
        .unwrap();
        assert_eq!(got, EnvelopeBody::Value("1".to_owned()));
    }
}

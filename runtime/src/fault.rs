//! SOAP faults (1.1 and 1.2) with typed or raw detail.

use crate::envelope::{NsScope, SoapVersion, SOAP11_ENV_NS, SOAP12_ENV_NS};
use crate::xml::{DecodeError, Start, XmlReader};

/// Decodes the `detail` content of a fault into the fault types declared for an operation.
///
/// Generated code implements it for its per-port fault enum.
pub trait FaultDetail: Sized {
    /// Decodes one child of the fault's `detail` / `Detail` element.
    ///
    /// Returns `Ok(None)` **without reading anything from `r`** when `child` is not a declared
    /// fault element; the runtime then keeps the child as raw XML ([`Detail::Raw`]).
    ///
    /// # Errors
    /// A declared fault element whose content does not match its type.
    fn read_detail<'a>(
        r: &mut XmlReader<'a>,
        child: &Start<'a>,
    ) -> Result<Option<Self>, DecodeError>;
}

/// The detail type of operations without declared faults: never constructed, so every
/// detail is kept as [`Detail::Raw`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoDetail {}

impl FaultDetail for NoDetail {
    fn read_detail<'a>(_: &mut XmlReader<'a>, _: &Start<'a>) -> Result<Option<Self>, DecodeError> {
        Ok(None)
    }
}

impl std::fmt::Display for NoDetail {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

/// The detail of a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail<D> {
    /// The first detail child that is a declared fault element, decoded. Other children are
    /// dropped.
    Typed(D),
    /// No child was a declared fault element: all child elements verbatim, concatenated.
    /// Prefixes declared on ancestors (e.g. on the envelope) are not re-declared, and text
    /// directly inside the detail element is not kept.
    Raw(String),
    /// The fault had no detail element, or an empty one.
    None,
}

impl<D> Detail<D> {
    /// The typed detail, if decoded.
    #[must_use]
    pub fn typed(&self) -> Option<&D> {
        match self {
            Self::Typed(d) => Some(d),
            _ => None,
        }
    }

    /// The raw detail XML, if kept raw.
    #[must_use]
    pub fn raw(&self) -> Option<&str> {
        match self {
            Self::Raw(s) => Some(s),
            _ => None,
        }
    }

    /// Converts the typed detail with `f`.
    pub fn map<E>(self, f: impl FnOnce(D) -> E) -> Detail<E> {
        match self {
            Self::Typed(d) => Detail::Typed(f(d)),
            Self::Raw(s) => Detail::Raw(s),
            Self::None => Detail::None,
        }
    }
}

/// A fault code or subcode: a QName value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaultCode {
    /// The value as written, e.g. `soap:Server`.
    pub text: String,
    /// The namespace its prefix resolves to (`None`: no prefix and no default namespace, or an
    /// undeclared prefix).
    pub namespace: Option<String>,
    /// The local part, e.g. `Server`, `Client.Authentication`, `Receiver`.
    pub local: String,
}

/// The standard meaning of a fault code, unified across SOAP versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultCodeKind {
    /// `VersionMismatch`: the server does not accept this SOAP version.
    VersionMismatch,
    /// `MustUnderstand`: a mandatory header was not understood.
    MustUnderstand,
    /// `DataEncodingUnknown` (SOAP 1.2).
    DataEncodingUnknown,
    /// SOAP 1.1 `Client[.x]` / 1.2 `Sender`: the request was wrong, do not resend as is.
    Sender,
    /// SOAP 1.1 `Server[.x]` / 1.2 `Receiver`: the server failed to process a valid request.
    Receiver,
    /// Any other code (application-defined).
    Other,
}

impl FaultCode {
    /// Parses QName `text` resolving its prefix in `scope`.
    pub(crate) fn parse(text: &str, scope: &NsScope) -> Self {
        let text = text.trim();
        let (prefix, local) = match text.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, text),
        };
        Self {
            text: text.to_owned(),
            namespace: scope.resolve(prefix).map(str::to_owned),
            local: local.to_owned(),
        }
    }

    /// The standard meaning of this code. Codes without a namespace are classified by their
    /// local name too, because some servers write a bare `Server`.
    #[must_use]
    pub fn kind(&self) -> FaultCodeKind {
        let standard = matches!(
            self.namespace.as_deref(),
            None | Some(SOAP11_ENV_NS | SOAP12_ENV_NS)
        );
        if !standard {
            return FaultCodeKind::Other;
        }
        // SOAP 1.1 allows dotted refinements such as `Client.Authentication`.
        let head = self.local.split('.').next().unwrap_or_default();
        match head {
            "VersionMismatch" => FaultCodeKind::VersionMismatch,
            "MustUnderstand" => FaultCodeKind::MustUnderstand,
            "DataEncodingUnknown" => FaultCodeKind::DataEncodingUnknown,
            "Client" | "Sender" => FaultCodeKind::Sender,
            "Server" | "Receiver" => FaultCodeKind::Receiver,
            _ => FaultCodeKind::Other,
        }
    }
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One human-readable fault reason (1.1 `faultstring`, 1.2 `Reason/Text`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaultReason {
    /// The text.
    pub text: String,
    /// Its `xml:lang`, if given.
    pub lang: Option<String>,
}

/// A SOAP fault returned by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault<D = NoDetail> {
    /// The version of the envelope that carried the fault.
    pub version: SoapVersion,
    /// 1.1 `faultcode` / 1.2 `Code/Value`.
    pub code: FaultCode,
    /// 1.2 `Subcode/Value` chain, outermost first (empty for 1.1).
    pub subcodes: Vec<FaultCode>,
    /// 1.1 `faultstring` / 1.2 every `Reason/Text`, in document order.
    pub reasons: Vec<FaultReason>,
    /// 1.1 `faultactor` / 1.2 `Role`.
    pub actor: Option<String>,
    /// 1.2 `Node`.
    pub node: Option<String>,
    /// 1.1 `detail` / 1.2 `Detail`.
    pub detail: Detail<D>,
}

impl<D> Fault<D> {
    /// The first reason text (`""` when the server sent none).
    #[must_use]
    pub fn reason(&self) -> &str {
        self.reasons.first().map_or("", |r| r.text.as_str())
    }

    /// The standard meaning of the code.
    #[must_use]
    pub fn kind(&self) -> FaultCodeKind {
        self.code.kind()
    }

    /// Converts the typed detail with `f`.
    pub fn map_detail<E>(self, f: impl FnOnce(D) -> E) -> Fault<E> {
        Fault {
            version: self.version,
            code: self.code,
            subcodes: self.subcodes,
            reasons: self.reasons,
            actor: self.actor,
            node: self.node,
            detail: self.detail.map(f),
        }
    }
}

impl<D: FaultDetail> Fault<D> {
    /// Reads a `Fault` element (its start tag just read) of either version; child elements are
    /// matched by local name so that 1.1 servers qualifying `faultcode` are accepted too.
    pub(crate) fn read<'a>(
        version: SoapVersion,
        r: &mut XmlReader<'a>,
        start: &Start<'a>,
        scope: &NsScope,
    ) -> Result<Self, DecodeError> {
        let mut scope = scope.clone();
        scope.push(start);
        let mut fault = Self {
            version,
            code: FaultCode {
                text: String::new(),
                namespace: None,
                local: String::new(),
            },
            subcodes: Vec::new(),
            reasons: Vec::new(),
            actor: None,
            node: None,
            detail: Detail::None,
        };
        r.children(start, |r, child| {
            match child.local_name() {
                b"faultcode" => {
                    let mut s = scope.clone();
                    s.push(&child);
                    fault.code = FaultCode::parse(&r.text(&child)?, &s);
                }
                b"Code" => read_code(r, &child, &scope, &mut fault.code, &mut fault.subcodes)?,
                b"faultstring" => {
                    let lang = xml_lang(&child);
                    fault.reasons.push(FaultReason {
                        text: r.text(&child)?.into_owned(),
                        lang,
                    });
                }
                b"Reason" => r.children(&child, |r, t| {
                    if t.local_name() == b"Text" {
                        let lang = xml_lang(&t);
                        fault.reasons.push(FaultReason {
                            text: r.text(&t)?.into_owned(),
                            lang,
                        });
                        Ok(())
                    } else {
                        r.skip(&t)
                    }
                })?,
                b"faultactor" | b"Role" => fault.actor = Some(r.text(&child)?.trim().to_owned()),
                b"Node" => fault.node = Some(r.text(&child)?.trim().to_owned()),
                b"detail" | b"Detail" => fault.detail = read_detail(r, &child)?,
                _ => r.skip(&child)?,
            }
            Ok(())
        })?;
        Ok(fault)
    }
}

/// Reads a 1.2 `Code` (or `Subcode`): its `Value` into `code`, nested subcodes appended.
fn read_code<'a>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    scope: &NsScope,
    code: &mut FaultCode,
    subcodes: &mut Vec<FaultCode>,
) -> Result<(), DecodeError> {
    let mut scope = scope.clone();
    scope.push(start);
    r.children(start, |r, child| match child.local_name() {
        b"Value" => {
            let mut s = scope.clone();
            s.push(&child);
            *code = FaultCode::parse(&r.text(&child)?, &s);
            Ok(())
        }
        b"Subcode" => {
            let mut sub = FaultCode {
                text: String::new(),
                namespace: None,
                local: String::new(),
            };
            let mut deeper = Vec::new();
            read_code(r, &child, &scope, &mut sub, &mut deeper)?;
            subcodes.push(sub);
            subcodes.append(&mut deeper);
            Ok(())
        }
        _ => r.skip(&child),
    })
}

fn read_detail<'a, D: FaultDetail>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
) -> Result<Detail<D>, DecodeError> {
    let mut typed = None;
    let mut raw = String::new();
    r.children(start, |r, child| {
        if typed.is_some() {
            return r.skip(&child);
        }
        match D::read_detail(r, &child)? {
            Some(d) => typed = Some(d),
            None => raw.push_str(r.raw_element(&child)?),
        }
        Ok(())
    })?;
    Ok(match typed {
        Some(d) => Detail::Typed(d),
        None if raw.is_empty() => Detail::None,
        None => Detail::Raw(raw),
    })
}

/// The `xml:lang` attribute (the `xml` prefix is reserved, so matching it literally is exact).
fn xml_lang(start: &Start<'_>) -> Option<String> {
    start
        .raw()
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == b"xml:lang")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

impl<D> std::fmt::Display for Fault<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SOAP fault `{}`", self.code)?;
        for sub in &self.subcodes {
            write!(f, " / `{sub}`")?;
        }
        write!(f, ": {}", self.reason().trim())?;
        if let Some(actor) = &self.actor {
            write!(f, " (actor {actor})")?;
        }
        Ok(())
    }
}

impl<D: std::fmt::Debug> std::error::Error for Fault<D> {}

//! The resolved service model: what the WSDL stage hands to the emitters.
//!
//! Everything here is already resolved across files (imports followed, QNames
//! looked up), ordered deterministically, and carries the location it came from.

use std::fmt;
use std::path::PathBuf;

/// A namespace-qualified XML name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Namespace URI; `None` for no namespace.
    pub ns: Option<String>,
    /// Local part.
    pub local: String,
}

impl QName {
    /// A name in namespace `ns` (`""` means no namespace).
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        let ns = ns.into();
        Self {
            ns: (!ns.is_empty()).then_some(ns),
            local: local.into(),
        }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// A position in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file (as given or resolved through the catalog).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Everything read from one set of WSDL documents.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Services, sorted by name.
    pub services: Vec<Service>,
    /// Every schema to hand to the XSD stage: inline `wsdl:types` schemas (with the
    /// namespace declarations in scope at the WSDL root added) and imported XSD files.
    pub schemas: Vec<SchemaDoc>,
    /// Every local file that was read (for `cargo:rerun-if-changed`), sorted, deduplicated.
    pub files: Vec<PathBuf>,
    /// The effective catalog: the one given plus every `catalog.xml`/`jax-ws-catalog.xml`
    /// found next to the WSDLs. The XSD stage resolves schema locations with it.
    pub catalog: crate::catalog::Catalog,
    /// Things skipped on purpose, each with its reason (never silently).
    pub warnings: Vec<String>,
}

/// One schema document for the XSD stage.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    /// The location the schema is known by (the URL or path other documents use to import it);
    /// for inline schemas `<wsdl path>#types[N]`.
    pub location: String,
    /// The local file that holds it (the WSDL file itself for inline schemas).
    pub path: PathBuf,
    /// Where the schema element starts.
    pub at: Location,
    /// Schema text, a complete `xs:schema` document.
    pub text: String,
    /// The schema's `targetNamespace`.
    pub target_ns: Option<String>,
}

/// A `wsdl:service`.
#[derive(Debug, Clone)]
pub struct Service {
    /// The service's `name`.
    pub name: String,
    /// `targetNamespace` of the definitions that declare it.
    pub target_ns: String,
    /// `wsdl:documentation` of the service (or of its definitions).
    pub doc: Option<String>,
    /// Ports in document order.
    pub ports: Vec<Port>,
    /// Where it is declared.
    pub at: Location,
}

/// A `wsdl:port` with its binding resolved.
#[derive(Debug, Clone)]
pub struct Port {
    /// The port's `name`.
    pub name: String,
    /// `soap:address`/`soap12:address`/`http:address` location.
    pub address: Option<String>,
    /// `wsdl:documentation`.
    pub doc: Option<String>,
    /// The binding, with its port type merged in.
    pub binding: Binding,
    /// Where it is declared.
    pub at: Location,
}

/// A `wsdl:binding` joined with its `wsdl:portType`.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The binding's QName.
    pub name: QName,
    /// The port type's QName.
    pub port_type: QName,
    /// `wsdl:documentation` of the port type.
    pub doc: Option<String>,
    /// Transport protocol.
    pub protocol: Protocol,
    /// Operations in port-type order.
    pub operations: Vec<Operation>,
}

/// The protocol a binding speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SOAP 1.1 over HTTP.
    Soap11,
    /// SOAP 1.2 over HTTP.
    Soap12,
    /// WSDL 1.1 HTTP binding (`http:binding verb=…`).
    Http {
        /// `GET` or `POST`.
        post: bool,
    },
}

/// SOAP binding style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `document`: the body holds the part elements as they are.
    Document,
    /// `rpc`: the body holds a wrapper named like the operation, with one child per part.
    Rpc,
}

/// One bound operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operation's `name`.
    pub name: String,
    /// `wsdl:documentation` of the port-type operation.
    pub doc: Option<String>,
    /// Effective style (operation overrides binding).
    pub style: Style,
    /// `soapAction` (SOAP bindings); empty string when declared empty.
    pub soap_action: Option<String>,
    /// `http:operation location` (HTTP bindings).
    pub http_location: Option<String>,
    /// Request message.
    pub input: Message,
    /// Response message; `None` for one-way operations.
    pub output: Option<Message>,
    /// Declared faults, in document order.
    pub faults: Vec<Fault>,
    /// Where the port-type operation is declared.
    pub at: Location,
}

/// A bound `wsdl:message`.
#[derive(Debug, Clone)]
pub struct Message {
    /// The message's QName.
    pub name: QName,
    /// Parts carried in the body, in order (after `soap:body parts=` filtering).
    pub body: Vec<Part>,
    /// Parts carried as SOAP headers (`soap:header`), which may come from other messages.
    pub headers: Vec<Part>,
    /// `soap:body namespace` (rpc style: the namespace of the wrapper and, per WS-I, of nothing else).
    pub rpc_namespace: Option<String>,
    /// HTTP bindings: how the input is encoded.
    pub http: Option<HttpEncoding>,
}

/// How an HTTP-binding message is carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpEncoding {
    /// `http:urlEncoded`: parts as query parameters.
    UrlEncoded,
    /// `mime:content type="application/x-www-form-urlencoded"`: parts as form fields.
    FormUrlEncoded,
    /// `mime:mimeXml part=…`: the body is the part's XML element.
    MimeXml {
        /// The part carried, if named.
        part: Option<String>,
    },
    /// `mime:content type=…` with another media type (e.g. `application/pdf`).
    Content {
        /// The media type.
        media_type: String,
    },
}

/// A `wsdl:part`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's `name`.
    pub name: String,
    /// What the part refers to.
    pub kind: PartKind,
}

/// A part refers either to a global element or to a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// `element="…"`.
    Element(QName),
    /// `type="…"`.
    Type(QName),
}

/// A declared `wsdl:fault`.
#[derive(Debug, Clone)]
pub struct Fault {
    /// The fault's `name`.
    pub name: String,
    /// The message's QName.
    pub message: QName,
    /// The single part of the fault message (its detail element).
    pub part: Option<Part>,
    /// HTTP bindings: how the fault body is carried (`mime:mimeXml` or `mime:content`
    /// inside the binding's `wsdl:fault`, an extension of WSDL 1.1).
    pub http: Option<HttpEncoding>,
}

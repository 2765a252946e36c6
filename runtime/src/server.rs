//! The server side: decoding request envelopes, routing them to an operation, writing
//! response and fault envelopes, and mounting a generated dispatcher on `axum`.
//!
//! Generated server code (`soap-codegen` with `Builder::server(true)`) emits, per port, a
//! `<Port>Service` trait (one async method per operation) and a `<Port>Server<S>` dispatcher
//! implementing [`SoapService`]. This module holds everything those need, so generated code
//! does not depend on any HTTP framework; [`axum_router`] is the one place that does.
//!
//! HTTP-binding ports (`http:binding`) get a `<Port>Service` trait and a `<Port>Server<S>`
//! implementing [`HttpService`] instead: routed by operation location and verb, parts decoded
//! from the query string ([`query_param`]), form fields ([`form_xml`], [`form_text`]) or a
//! JSON body ([`json_request`]), answered as XML, JSON or bytes, with [`HttpFault`] for errors.
//! Mount them with [`axum_http_router`].
//!
//! Both SOAP versions are accepted on every endpoint: the version is taken from the request
//! envelope's namespace and the answer uses the same version.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::envelope::{SoapVersion, SOAP11_ENV_NS, SOAP12_ENV_NS};
use crate::fault::NoDetail;
use crate::xml::{DecodeError, DecodeErrorKind, Name, Start, XmlReader, XmlWriter};

/// An incoming SOAP request, independent of the HTTP framework.
#[derive(Debug, Clone, Default)]
pub struct ServerRequest {
    /// The `SOAPAction` header (1.1) or the content type's `action` parameter (1.2), unquoted.
    pub soap_action: Option<String>,
    /// The request body (the envelope).
    pub body: Vec<u8>,
}

impl ServerRequest {
    /// A request from its HTTP parts: the `SOAPAction` header value (if any), the
    /// `Content-Type` value (if any) and the body.
    #[must_use]
    pub fn from_http(soap_action: Option<&str>, content_type: Option<&str>, body: Vec<u8>) -> Self {
        let action = soap_action
            .map(|a| a.trim().trim_matches('"').to_owned())
            .or_else(|| content_type.and_then(action_param));
        Self {
            soap_action: action.filter(|a| !a.is_empty()),
            body,
        }
    }
}

/// The `action="…"` parameter of a SOAP 1.2 content type.
fn action_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("action")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The answer to a SOAP request: HTTP status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerResponse {
    /// HTTP status: 200 for a response, 500 for a fault (SOAP 1.2 sender faults: 400).
    pub status: u16,
    /// `Content-Type` header value.
    pub content_type: String,
    /// The response envelope.
    pub body: Vec<u8>,
}

/// Who caused a fault: the standard fault code written (1.1 `Client`/`Server`, 1.2
/// `Sender`/`Receiver`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultSide {
    /// The request was wrong (1.1 `Client`, 1.2 `Sender`).
    Client,
    /// The server failed (1.1 `Server`, 1.2 `Receiver`).
    Server,
}

/// A fault returned by a service implementation: code, reason and an optional typed detail
/// (the port's fault enum generated from the WSDL).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerFault<D = NoDetail> {
    /// The standard fault code.
    pub side: FaultSide,
    /// The human-readable reason (1.1 `faultstring`, 1.2 `Reason/Text`).
    pub reason: String,
    /// The detail element, if any.
    pub detail: Option<D>,
}

impl<D> ServerFault<D> {
    /// A `Server`/`Receiver` fault without detail.
    pub fn server(reason: impl Into<String>) -> Self {
        Self {
            side: FaultSide::Server,
            reason: reason.into(),
            detail: None,
        }
    }

    /// A `Client`/`Sender` fault without detail.
    pub fn client(reason: impl Into<String>) -> Self {
        Self {
            side: FaultSide::Client,
            reason: reason.into(),
            detail: None,
        }
    }

    /// A `Server` fault carrying `detail` (how JAX-WS services such as DPD's report declared
    /// faults).
    pub fn with_detail(reason: impl Into<String>, detail: D) -> Self {
        Self {
            side: FaultSide::Server,
            reason: reason.into(),
            detail: Some(detail),
        }
    }
}

/// Writes a fault detail; generated code implements it for each port's fault enum.
pub trait FaultDetailWrite {
    /// Writes the detail element(s) (the children of `detail`/`Detail`).
    fn write_detail(&self, w: &mut XmlWriter);
}

impl FaultDetailWrite for NoDetail {
    fn write_detail(&self, _: &mut XmlWriter) {
        match *self {}
    }
}

/// A boxed future, as returned by [`SoapService::handle`].
pub type ServiceFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that answers SOAP requests; generated `<Port>Server` dispatchers implement it.
pub trait SoapService: Send + Sync + 'static {
    /// Answers one request. Never fails: every error becomes a fault response.
    fn handle(&self, request: ServerRequest) -> ServiceFuture<'_, ServerResponse>;
}

impl<T: SoapService + ?Sized> SoapService for Arc<T> {
    fn handle(&self, request: ServerRequest) -> ServiceFuture<'_, ServerResponse> {
        (**self).handle(request)
    }
}

/// One operation of a port as the router sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRoute {
    /// The WSDL operation name.
    pub name: &'static str,
    /// Namespace of the request's first body element.
    pub ns: Option<&'static str>,
    /// Local name of the request's first body element.
    pub local: &'static str,
    /// The declared `soapAction`, if any.
    pub soap_action: Option<&'static str>,
}

/// The SOAP version and the index into the route table of the operation a request is for.
///
/// The body's first element decides (document/literal and rpc bodies name the operation);
/// when several operations share that element, the SOAP action picks among them.
///
/// # Errors
/// A fault response: not an envelope, malformed XML, or no matching operation.
pub fn route_request(
    request: &ServerRequest,
    routes: &[OperationRoute],
) -> Result<(SoapVersion, usize), ServerResponse> {
    let (version, element) = body_element(&request.body)?;
    let Some((ns, local)) = element else {
        return Err(fault_response::<NoDetail>(
            version,
            &ServerFault::client("empty SOAP body"),
        ));
    };
    let candidates: Vec<usize> = routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.local == local && r.ns == ns.as_deref())
        .map(|(i, _)| i)
        .collect();
    let chosen = match candidates.as_slice() {
        [one] => Some(*one),
        [] => None,
        many => many
            .iter()
            .copied()
            .find(|&i| routes.get(i).and_then(|r| r.soap_action) == request.soap_action.as_deref())
            .or_else(|| many.first().copied()),
    };
    chosen.map(|i| (version, i)).ok_or_else(|| {
        let name = match &ns {
            Some(ns) => format!("{{{ns}}}{local}"),
            None => local.clone(),
        };
        fault_response::<NoDetail>(
            version,
            &ServerFault::client(format!("no operation accepts body element `{name}`")),
        )
    })
}

/// The (namespace, local name) of a body's first element, if it has one.
type BodyElement = Option<(Option<String>, String)>;

/// The envelope's version and its first body element.
fn body_element(body: &[u8]) -> Result<(SoapVersion, BodyElement), ServerResponse> {
    let mut r = XmlReader::new(body);
    let bad = |version: SoapVersion, e: String| {
        fault_response::<NoDetail>(version, &ServerFault::client(e))
    };
    let root = r
        .root()
        .map_err(|e| bad(SoapVersion::V11, format!("malformed request: {e}")))?;
    let version = match r.namespace_of(&root).as_deref() {
        Some(SOAP11_ENV_NS) if root.local_name() == b"Envelope" => SoapVersion::V11,
        Some(SOAP12_ENV_NS) if root.local_name() == b"Envelope" => SoapVersion::V12,
        _ => {
            return Err(bad(
                SoapVersion::V11,
                "request is not a SOAP 1.1 or 1.2 envelope".into(),
            ))
        }
    };
    let ns = version.namespace();
    let mut found: Option<Option<(Option<String>, String)>> = None;
    let result = r.children(&root, |r, child| {
        if found.is_some() || child.local_name() != b"Body" || !r.ns_is(&child, Some(ns)) {
            return r.skip(&child);
        }
        let mut first = None;
        r.children(&child, |r, item| {
            if first.is_none() {
                first = Some((
                    r.namespace_of(&item),
                    String::from_utf8_lossy(item.local_name()).into_owned(),
                ));
            }
            r.skip(&item)
        })?;
        found = Some(first);
        Ok(())
    });
    result.map_err(|e| bad(version, format!("malformed request: {e}")))?;
    found
        .map(|f| (version, f))
        .ok_or_else(|| bad(version, "the envelope has no Body".into()))
}

/// Decodes the request's first body element with `read` (generated code passes the
/// element type's decoder).
///
/// # Errors
/// A `Client` fault response naming the decoding error (line and column).
pub fn decode_request<T, F>(
    request: &ServerRequest,
    version: SoapVersion,
    read: F,
) -> Result<T, ServerResponse>
where
    F: for<'a> FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>,
{
    let decoded = crate::envelope::read_envelope::<T, NoDetail, F>(version, &request.body, read);
    match decoded {
        Ok(crate::envelope::EnvelopeBody::Value(v)) => Ok(v),
        Ok(crate::envelope::EnvelopeBody::Fault(_)) => Err(fault_response::<NoDetail>(
            version,
            &ServerFault::client("a request body must not be a fault"),
        )),
        Err(e) => Err(fault_response::<NoDetail>(
            version,
            &ServerFault::client(format!("invalid request: {e}")),
        )),
    }
}

/// An error for a request whose body element is missing, for generated decoders.
#[must_use]
pub fn missing_body(r: &XmlReader<'_>, expected: &'static str) -> DecodeError {
    r.error(DecodeErrorKind::MissingElement {
        ty: "Body",
        field: expected,
    })
}

fn content_type(version: SoapVersion) -> String {
    match version {
        SoapVersion::V11 => "text/xml; charset=utf-8".into(),
        SoapVersion::V12 => "application/soap+xml; charset=utf-8".into(),
    }
}

/// A 200 response whose body content `write_body` writes.
pub fn soap_response(
    version: SoapVersion,
    write_body: impl FnOnce(&mut XmlWriter),
) -> ServerResponse {
    ServerResponse {
        status: 200,
        content_type: content_type(version),
        body: crate::envelope::write_envelope(version, |_| {}, write_body),
    }
}

/// A fault response: status 500 (SOAP 1.2 sender faults 400, as its HTTP binding requires).
pub fn fault_response<D: FaultDetailWrite>(
    version: SoapVersion,
    fault: &ServerFault<D>,
) -> ServerResponse {
    let ns = version.namespace();
    let prefix = version.prefix();
    let body = crate::envelope::write_envelope(
        version,
        |_| {},
        |w| {
            let f = Name::qualified(ns, "Fault");
            w.open(f);
            match version {
                SoapVersion::V11 => {
                    let code = match fault.side {
                        FaultSide::Client => "Client",
                        FaultSide::Server => "Server",
                    };
                    let fc = Name::unqualified("faultcode");
                    w.open(fc);
                    w.text(&format!("{prefix}:{code}"));
                    w.close(fc);
                    let fs = Name::unqualified("faultstring");
                    w.open(fs);
                    w.text(&fault.reason);
                    w.close(fs);
                    if let Some(d) = &fault.detail {
                        let dn = Name::unqualified("detail");
                        w.open(dn);
                        d.write_detail(w);
                        w.close(dn);
                    }
                }
                SoapVersion::V12 => {
                    let code = match fault.side {
                        FaultSide::Client => "Sender",
                        FaultSide::Server => "Receiver",
                    };
                    let (c, v) = (Name::qualified(ns, "Code"), Name::qualified(ns, "Value"));
                    w.open(c);
                    w.open(v);
                    w.text(&format!("{prefix}:{code}"));
                    w.close(v);
                    w.close(c);
                    let rn = Name::qualified(ns, "Reason");
                    w.open(rn);
                    // `xml:lang` is required here; the `xml` prefix is predeclared, so the
                    // element is written raw rather than letting the writer bind a prefix.
                    let reason = fault
                        .reason
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    w.raw(&format!(
                        "<{prefix}:Text xml:lang=\"en\">{reason}</{prefix}:Text>"
                    ));
                    w.close(rn);
                    if let Some(d) = &fault.detail {
                        let dn = Name::qualified(ns, "Detail");
                        w.open(dn);
                        d.write_detail(w);
                        w.close(dn);
                    }
                }
            }
            w.close(f);
        },
    );
    let status = match (version, fault.side) {
        (SoapVersion::V12, FaultSide::Client) => 400,
        _ => 500,
    };
    ServerResponse {
        status,
        content_type: content_type(version),
        body,
    }
}

/// Answers one request with `service`; the framework-independent entry point
/// ([`axum_router`] calls it).
pub async fn handle_soap<S: SoapService + ?Sized>(
    service: &S,
    request: ServerRequest,
) -> ServerResponse {
    service.handle(request).await
}

/// An `axum` router answering SOAP POSTs on `path` with `service` (a generated
/// `<Port>Server`). Merge several with [`axum::Router::merge`] to serve many ports.
pub fn axum_router<S: SoapService>(path: &str, service: Arc<S>) -> axum::Router {
    use axum::http::{header, HeaderMap, StatusCode};
    let handler = move |headers: HeaderMap, body: axum::body::Bytes| {
        let service = Arc::clone(&service);
        async move {
            let action = headers.get("soapaction").and_then(|v| v.to_str().ok());
            let ct = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            let request = ServerRequest::from_http(action, ct, body.to_vec());
            let resp = handle_soap(&*service, request).await;
            (
                StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                [(header::CONTENT_TYPE, resp.content_type)],
                resp.body,
            )
        }
    };
    axum::Router::new().route(path, axum::routing::post(handler))
}

// ---------------------------------------------------------------------------------------
// HTTP bindings (`http:binding verb="GET"|"POST"`)
// ---------------------------------------------------------------------------------------

/// The HTTP method of an HTTP-binding port (`http:binding verb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpVerb {
    /// `GET`: parts in the query string.
    Get,
    /// `POST`: parts in the body (a form or a JSON document).
    Post,
}

/// One operation of an HTTP-binding port as the router sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRoute {
    /// The WSDL operation name.
    pub name: &'static str,
    /// The binding's verb.
    pub verb: HttpVerb,
    /// `http:operation location`, relative to the port address (e.g. `new_orders.php`).
    pub location: &'static str,
}

/// An incoming HTTP-binding request, independent of the HTTP framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpServerRequest {
    /// The method.
    pub verb: HttpVerb,
    /// The path relative to the port's base (the operation location, without a leading `/`).
    pub path: String,
    /// The raw query string (without `?`), possibly empty.
    pub query: String,
    /// The `Content-Type` header value, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpServerRequest {
    /// A request for `path` (relative to the port's base) with the given query, content type
    /// and body.
    #[must_use]
    pub fn new(
        verb: HttpVerb,
        path: &str,
        query: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Self {
        Self {
            verb,
            path: path.trim_start_matches('/').to_owned(),
            query: query.trim_start_matches('?').to_owned(),
            content_type: content_type.map(str::to_owned),
            body,
        }
    }

    /// The decoded query parameters, in order.
    #[must_use]
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_pairs(&self.query)
    }

    /// The decoded form fields of the body (an `application/x-www-form-urlencoded` body, or a
    /// body without a content type), in order; empty for other bodies.
    #[must_use]
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        let media = self
            .content_type
            .as_deref()
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase());
        match media.as_deref() {
            None | Some("" | "application/x-www-form-urlencoded") => {
                form_pairs(&String::from_utf8_lossy(&self.body))
            }
            Some(_) => Vec::new(),
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` string (`+` is a space, `%XX` a byte;
/// invalid escapes are kept as they are; bytes are read as UTF-8, lossily).
#[must_use]
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What was wrong with a request before the service saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestErrorKind {
    /// A required form field is missing or empty (CDEK: `ERR_XML_EMPTY`).
    Missing,
    /// A field or body does not parse or does not match the schema (CDEK: `ERR_INVALID_XML`).
    Malformed,
}

/// A request that could not be decoded: which operation, what and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// The WSDL operation name.
    pub operation: &'static str,
    /// The kind of problem.
    pub kind: RequestErrorKind,
    /// The parameter, form field or `body`.
    pub field: String,
    /// A human-readable description (line and column for XML).
    pub message: String,
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "operation `{}`: `{}`: {}",
            self.operation, self.field, self.message
        )
    }
}

impl std::error::Error for RequestError {}

/// The error a service method of an HTTP-binding port returns: an HTTP status and a body —
/// one of the port's declared fault bodies, plain text, or raw bytes.
///
/// Many HTTP services answer errors with a document and a status of their choosing (CDEK sends
/// its XML error document with 200 or 500), so both are up to the implementation.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpFault<D = NoDetail> {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: HttpFaultBody<D>,
}

/// The body of an [`HttpFault`].
#[derive(Debug, Clone, PartialEq)]
pub enum HttpFaultBody<D = NoDetail> {
    /// A declared fault body (the port's fault enum), written as the WSDL binds it.
    Detail(D),
    /// Plain text (`text/plain; charset=utf-8`).
    Text(String),
    /// Anything else: a content type and bytes (e.g. a JSON error of a port that declares
    /// none).
    Raw {
        /// The `Content-Type`.
        content_type: String,
        /// The bytes.
        body: Vec<u8>,
    },
}

impl<D> HttpFault<D> {
    /// `detail` sent with `status`.
    pub fn new(status: u16, detail: D) -> Self {
        Self {
            status,
            body: HttpFaultBody::Detail(detail),
        }
    }

    /// A plain-text `message` sent with `status`.
    pub fn text(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            body: HttpFaultBody::Text(message.into()),
        }
    }

    /// `body` of `content_type` sent with `status`.
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            body: HttpFaultBody::Raw {
                content_type: content_type.into(),
                body: body.into(),
            },
        }
    }

    /// A plain-text 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::text(400, message)
    }

    /// A plain-text 500 Internal Server Error.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::text(500, message)
    }

    /// The default answer to an undecodable request: 400 with the error as text.
    #[must_use]
    pub fn from_request_error(error: &RequestError) -> Self {
        Self::bad_request(error.to_string())
    }

    /// The declared fault body, if that is what this is.
    pub fn detail(&self) -> Option<&D> {
        match &self.body {
            HttpFaultBody::Detail(d) => Some(d),
            _ => None,
        }
    }
}

/// Writes a declared HTTP fault body; generated code implements it for each HTTP port's
/// fault enum (XML documents and JSON bodies).
pub trait HttpFaultWrite {
    /// The `Content-Type` and the body.
    fn write_fault(&self) -> (String, Vec<u8>);
}

impl HttpFaultWrite for NoDetail {
    fn write_fault(&self) -> (String, Vec<u8>) {
        match *self {}
    }
}

/// The content type of XML answers.
pub const XML_CONTENT_TYPE: &str = "application/xml; charset=utf-8";
/// The content type of JSON answers.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The answer to `fault`: its status with its body.
pub fn http_fault_response<D: HttpFaultWrite>(fault: &HttpFault<D>) -> ServerResponse {
    let (content_type, body) = match &fault.body {
        HttpFaultBody::Detail(d) => d.write_fault(),
        HttpFaultBody::Text(t) => (
            "text/plain; charset=utf-8".to_owned(),
            t.clone().into_bytes(),
        ),
        HttpFaultBody::Raw { content_type, body } => (content_type.clone(), body.clone()),
    };
    ServerResponse {
        status: fault.status,
        content_type,
        body,
    }
}

/// `value` as a standalone XML document with root `root`, for a declared XML fault body.
#[must_use]
pub fn xml_fault_body<T: crate::xml::XmlWrite + ?Sized>(
    value: &T,
    root: Name<'_>,
) -> (String, Vec<u8>) {
    (
        XML_CONTENT_TYPE.to_owned(),
        crate::http::xml_document(value, root).into_bytes(),
    )
}

/// `value` as a JSON body, for a declared JSON fault body.
#[must_use]
pub fn json_fault_body<T: crate::http::JsonWrite + ?Sized>(value: &T) -> (String, Vec<u8>) {
    (
        JSON_CONTENT_TYPE.to_owned(),
        value.write_json().to_string().into_bytes(),
    )
}

/// Something that answers HTTP-binding requests; generated `<Port>Server` dispatchers of
/// HTTP ports implement it.
pub trait HttpService: Send + Sync + 'static {
    /// The operations served (their locations are mounted by [`axum_http_router`]).
    fn routes(&self) -> &'static [HttpRoute];

    /// Answers one request. Never fails: every error becomes a response.
    fn handle(&self, request: HttpServerRequest) -> ServiceFuture<'_, ServerResponse>;
}

impl<T: HttpService + ?Sized> HttpService for Arc<T> {
    fn routes(&self) -> &'static [HttpRoute] {
        (**self).routes()
    }

    fn handle(&self, request: HttpServerRequest) -> ServiceFuture<'_, ServerResponse> {
        (**self).handle(request)
    }
}

fn plain(status: u16, message: String) -> ServerResponse {
    ServerResponse {
        status,
        content_type: "text/plain; charset=utf-8".to_owned(),
        body: message.into_bytes(),
    }
}

/// The index into `routes` of the operation `request` is for: by path (the operation
/// location), then by verb.
///
/// # Errors
/// 404 when no operation has that location, 405 when it is bound to another verb.
pub fn route_http(
    request: &HttpServerRequest,
    routes: &[HttpRoute],
) -> Result<usize, ServerResponse> {
    let path = request.path.trim_matches('/');
    let mut wrong_verb = false;
    for (i, r) in routes.iter().enumerate() {
        if r.location.trim_matches('/') == path {
            if r.verb == request.verb {
                return Ok(i);
            }
            wrong_verb = true;
        }
    }
    Err(if wrong_verb {
        plain(405, format!("`{path}` does not accept this method"))
    } else {
        plain(404, format!("no operation at `{path}`"))
    })
}

fn request_error(
    operation: &'static str,
    kind: RequestErrorKind,
    field: &str,
    message: impl Into<String>,
) -> RequestError {
    RequestError {
        operation,
        kind,
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Optional query parameter `name` (the last one wins when repeated), parsed through its
/// text form. An empty value counts as absent.
///
/// # Errors
/// The value does not parse as `T`.
pub fn query_param<T: crate::xml::XmlText>(
    request: &HttpServerRequest,
    operation: &'static str,
    name: &str,
) -> Result<Option<T>, RequestError> {
    let value = request
        .query_pairs()
        .into_iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v);
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => T::parse_text(v)
            .map(Some)
            .map_err(|e| request_error(operation, RequestErrorKind::Malformed, name, e)),
    }
}

fn form_field(
    request: &HttpServerRequest,
    operation: &'static str,
    name: &str,
) -> Result<String, RequestError> {
    request
        .form_pairs()
        .into_iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            request_error(
                operation,
                RequestErrorKind::Missing,
                name,
                "missing or empty",
            )
        })
}

/// Required form field `name`, parsed through its text form.
///
/// # Errors
/// The field is missing, empty, or does not parse as `T`.
pub fn form_text<T: crate::xml::XmlText>(
    request: &HttpServerRequest,
    operation: &'static str,
    name: &str,
) -> Result<T, RequestError> {
    let v = form_field(request, operation, name)?;
    T::parse_text(v.trim())
        .map_err(|e| request_error(operation, RequestErrorKind::Malformed, name, e))
}

/// Required form field `name` holding an XML document whose root is `{ns}local`.
///
/// # Errors
/// The field is missing or empty, not well-formed (a DOCTYPE is refused), or does not match.
pub fn form_xml<T: crate::xml::XmlRead>(
    request: &HttpServerRequest,
    operation: &'static str,
    name: &str,
    ns: Option<&str>,
    local: &str,
) -> Result<T, RequestError> {
    let text = form_field(request, operation, name)?;
    let mut r = XmlReader::new(text.as_bytes());
    r.root()
        .and_then(|start| crate::client::expect_element::<T>(&mut r, Some(&start), ns, local))
        .map_err(|e| request_error(operation, RequestErrorKind::Malformed, name, e.to_string()))
}

/// The JSON body decoded as `T`.
///
/// # Errors
/// The body is not JSON or does not match `T`.
pub fn json_request<T: crate::http::JsonRead>(
    request: &HttpServerRequest,
    operation: &'static str,
) -> Result<T, RequestError> {
    let malformed = |m: String| request_error(operation, RequestErrorKind::Malformed, "body", m);
    let value: crate::http::JsonValue = serde_json::from_slice(&request.body)
        .map_err(|e| malformed(format!("invalid JSON: {e}")))?;
    T::read_json(&value).map_err(malformed)
}

/// A 200 answer whose body is `value` as an XML document with root `root`.
pub fn xml_response<T: crate::xml::XmlWrite + ?Sized>(value: &T, root: Name<'_>) -> ServerResponse {
    ServerResponse {
        status: 200,
        content_type: XML_CONTENT_TYPE.to_owned(),
        body: crate::http::xml_document(value, root).into_bytes(),
    }
}

/// A 200 answer whose body is `value` as JSON.
pub fn json_response<T: crate::http::JsonWrite + ?Sized>(value: &T) -> ServerResponse {
    ServerResponse {
        status: 200,
        content_type: JSON_CONTENT_TYPE.to_owned(),
        body: value.write_json().to_string().into_bytes(),
    }
}

/// A 200 answer with raw bytes of `media_type` (a PDF).
#[must_use]
pub fn bytes_response(body: Vec<u8>, media_type: &str) -> ServerResponse {
    ServerResponse {
        status: 200,
        content_type: media_type.to_owned(),
        body,
    }
}

/// A 200 answer without a body (an operation without output).
#[must_use]
pub fn empty_response() -> ServerResponse {
    ServerResponse {
        status: 200,
        content_type: "text/plain; charset=utf-8".to_owned(),
        body: Vec::new(),
    }
}

/// Answers one HTTP-binding request with `service`; the framework-independent entry point
/// ([`axum_http_router`] calls it).
pub async fn handle_http<S: HttpService + ?Sized>(
    service: &S,
    request: HttpServerRequest,
) -> ServerResponse {
    service.handle(request).await
}

/// An `axum` router serving every operation of `service` (a generated HTTP-binding
/// `<Port>Server`) at `base` + its location, with the binding's verb: e.g. base `/` and
/// location `new_orders.php` → `POST /new_orders.php`. Several ports may share a base (their
/// routers are merged with [`axum::Router::merge`]).
///
/// # Panics
/// Never for generated dispatchers; `axum` panics if two merged routers serve one path.
pub fn axum_http_router<S: HttpService>(base: &str, service: Arc<S>) -> axum::Router {
    use axum::http::{header, StatusCode};
    let base = base.trim_end_matches('/');
    let mut router = axum::Router::new();
    for route in service.routes() {
        let location = route.location.trim_start_matches('/');
        let path = format!("{base}/{location}");
        let service = Arc::clone(&service);
        let verb = route.verb;
        let handler = move |uri: axum::http::Uri,
                            headers: axum::http::HeaderMap,
                            body: axum::body::Bytes| {
            let service = Arc::clone(&service);
            async move {
                let ct = headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok());
                let request = HttpServerRequest::new(
                    verb,
                    location,
                    uri.query().unwrap_or_default(),
                    ct,
                    body.to_vec(),
                );
                let resp = handle_http(&*service, request).await;
                (
                    StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    [(header::CONTENT_TYPE, resp.content_type)],
                    resp.body,
                )
            }
        };
        let method = match verb {
            HttpVerb::Get => axum::routing::get(handler),
            HttpVerb::Post => axum::routing::post(handler),
        };
        router = router.route(&path, method);
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_from_headers() {
        let r = ServerRequest::from_http(Some("\"urn:a\""), None, vec![]);
        assert_eq!(r.soap_action.as_deref(), Some("urn:a"));
        let r = ServerRequest::from_http(
            None,
            Some("application/soap+xml; charset=utf-8; action=\"urn:b\""),
            vec![],
        );
        assert_eq!(r.soap_action.as_deref(), Some("urn:b"));
        let r = ServerRequest::from_http(Some("\"\""), None, vec![]);
        assert_eq!(r.soap_action, None);
    }

    const ROUTES: &[OperationRoute] = &[
        OperationRoute {
            name: "a",
            ns: Some("urn:x"),
            local: "a",
            soap_action: None,
        },
        OperationRoute {
            name: "b",
            ns: Some("urn:x"),
            local: "b",
            soap_action: None,
        },
    ];

    #[test]
    fn routes_by_body_element_in_both_versions() {
        for (ns, version) in [
            (SOAP11_ENV_NS, SoapVersion::V11),
            (SOAP12_ENV_NS, SoapVersion::V12),
        ] {
            let body = format!(
                "<e:Envelope xmlns:e=\"{ns}\"><e:Header/><e:Body><x:b xmlns:x=\"urn:x\"/></e:Body></e:Envelope>"
            );
            let req = ServerRequest::from_http(None, None, body.into_bytes());
            assert_eq!(route_request(&req, ROUTES), Ok((version, 1)));
        }
    }

    #[test]
    fn unknown_element_is_a_client_fault() {
        let body = format!(
            "<e:Envelope xmlns:e=\"{SOAP11_ENV_NS}\"><e:Body><x:zzz xmlns:x=\"urn:x\"/></e:Body></e:Envelope>"
        );
        let req = ServerRequest::from_http(None, None, body.into_bytes());
        let Err(resp) = route_request(&req, ROUTES) else {
            panic!("routed an unknown element")
        };
        assert_eq!(resp.status, 500);
        let text = String::from_utf8(resp.body).unwrap_or_default();
        assert!(
            text.contains("<faultcode>soapenv:Client</faultcode>"),
            "{text}"
        );
        assert!(text.contains("{urn:x}zzz"), "{text}");
        // Reads back as a fault with the client's envelope reader.
        let parsed = crate::envelope::read_envelope::<(), NoDetail, _>(
            SoapVersion::V11,
            text.as_bytes(),
            |_, _| Ok(()),
        );
        assert!(matches!(
            parsed,
            Ok(crate::envelope::EnvelopeBody::Fault(f)) if f.kind() == crate::fault::FaultCodeKind::Sender
        ));
    }

    #[test]
    fn soap12_fault_reads_back() {
        let resp = fault_response::<NoDetail>(SoapVersion::V12, &ServerFault::server("boom"));
        assert_eq!(resp.status, 500);
        assert!(resp.content_type.starts_with("application/soap+xml"));
        let parsed = crate::envelope::read_envelope::<(), NoDetail, _>(
            SoapVersion::V12,
            &resp.body,
            |_, _| Ok(()),
        );
        match parsed {
            Ok(crate::envelope::EnvelopeBody::Fault(f)) => {
                assert_eq!(f.reason(), "boom");
                assert_eq!(f.kind(), crate::fault::FaultCodeKind::Receiver);
            }
            other => panic!("{other:?}"),
        }
    }

    const HTTP_ROUTES: &[HttpRoute] = &[
        HttpRoute {
            name: "List",
            verb: HttpVerb::Get,
            location: "pvzlist/v1/xml",
        },
        HttpRoute {
            name: "New",
            verb: HttpVerb::Post,
            location: "new_orders.php",
        },
    ];

    #[test]
    fn form_decoding_undoes_html_form_encoding() {
        assert_eq!(
            form_pairs(
                "xml_request=%3Ca+b%3D%221+2%22%3E%D1%8F%26%3C%2Fa%3E&weightmax=30&flag&bad=%zz"
            ),
            [
                ("xml_request".to_owned(), "<a b=\"1 2\">я&</a>".to_owned()),
                ("weightmax".to_owned(), "30".to_owned()),
                ("flag".to_owned(), String::new()),
                ("bad".to_owned(), "%zz".to_owned()),
            ]
        );
        // What the client's FormBody writes, the server reads back.
        let mut f = crate::http::FormBody::new();
        f.push("x", "a+b c&d=é%");
        assert_eq!(
            form_pairs(f.as_str()),
            [("x".to_owned(), "a+b c&d=é%".to_owned())]
        );
    }

    #[test]
    fn http_routes_by_location_and_verb() {
        let req = |verb, path: &str| HttpServerRequest::new(verb, path, "", None, Vec::new());
        assert_eq!(
            route_http(&req(HttpVerb::Get, "/pvzlist/v1/xml"), HTTP_ROUTES),
            Ok(0)
        );
        assert_eq!(
            route_http(&req(HttpVerb::Post, "new_orders.php"), HTTP_ROUTES),
            Ok(1)
        );
        let wrong = route_http(&req(HttpVerb::Get, "new_orders.php"), HTTP_ROUTES);
        assert_eq!(wrong.map_err(|r| r.status), Err(405));
        let missing = route_http(&req(HttpVerb::Get, "nope"), HTTP_ROUTES);
        assert_eq!(missing.map_err(|r| r.status), Err(404));
    }

    #[test]
    fn parameters_and_fields_decode_or_explain() {
        let get = HttpServerRequest::new(
            HttpVerb::Get,
            "x",
            "?cityid=44&weightmax=&lang=rus&cityid=45",
            None,
            vec![],
        );
        assert_eq!(query_param::<i32>(&get, "List", "cityid"), Ok(Some(45)));
        assert_eq!(query_param::<i32>(&get, "List", "weightmax"), Ok(None));
        assert_eq!(query_param::<i32>(&get, "List", "absent"), Ok(None));
        let bad = query_param::<i32>(&get, "List", "lang").unwrap_err();
        assert_eq!(
            (bad.kind, bad.field.as_str()),
            (RequestErrorKind::Malformed, "lang")
        );

        let post = |body: &str, ct: Option<&str>| {
            HttpServerRequest::new(HttpVerb::Post, "x", "", ct, body.as_bytes().to_vec())
        };
        let form = Some("application/x-www-form-urlencoded; charset=utf-8");
        let ok = post("n=7&xml_request=%3Croot+a%3D%221%22%2F%3E", form);
        assert_eq!(form_text::<i32>(&ok, "New", "n"), Ok(7));
        let root: Result<String, _> = form_xml(&ok, "New", "xml_request", None, "root");
        assert_eq!(root, Ok(String::new()));
        let empty = form_xml::<String>(
            &post("xml_request=", form),
            "New",
            "xml_request",
            None,
            "root",
        );
        assert_eq!(empty.map_err(|e| e.kind), Err(RequestErrorKind::Missing));
        let broken = form_xml::<String>(
            &post("xml_request=%3Croot", form),
            "New",
            "xml_request",
            None,
            "root",
        );
        assert_eq!(broken.map_err(|e| e.kind), Err(RequestErrorKind::Malformed));
        let doctype = "xml_request=%3C%21DOCTYPE+r+%5B%3C%21ENTITY+e+%22x%22%3E%5D%3E%3Croot%2F%3E";
        let refused = form_xml::<String>(&post(doctype, form), "New", "xml_request", None, "root");
        assert_eq!(
            refused.map_err(|e| e.kind),
            Err(RequestErrorKind::Malformed)
        );
        // A JSON body is no form.
        let json = post("xml_request=x", Some("application/json"));
        assert_eq!(
            form_text::<String>(&json, "New", "xml_request").map_err(|e| e.kind),
            Err(RequestErrorKind::Missing)
        );
    }

    #[test]
    fn http_faults_carry_status_and_body() {
        let text = http_fault_response::<NoDetail>(&HttpFault::text(503, "down"));
        assert_eq!((text.status, text.body.as_slice()), (503, &b"down"[..]));
        assert!(text.content_type.starts_with("text/plain"));
        let raw = http_fault_response::<NoDetail>(&HttpFault::raw(200, "application/json", "{}"));
        assert_eq!(
            (raw.status, raw.content_type.as_str(), raw.body.as_slice()),
            (200, "application/json", &b"{}"[..])
        );
        let e = RequestError {
            operation: "New",
            kind: RequestErrorKind::Missing,
            field: "xml_request".to_owned(),
            message: "missing or empty".to_owned(),
        };
        let d = http_fault_response::<NoDetail>(&HttpFault::from_request_error(&e));
        assert_eq!(d.status, 400);
        assert_eq!(
            String::from_utf8_lossy(&d.body),
            "operation `New`: `xml_request`: missing or empty"
        );
    }
}

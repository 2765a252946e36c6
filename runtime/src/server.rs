//! The server side: decoding request envelopes, routing them to an operation, writing
//! response and fault envelopes, and mounting a generated dispatcher on `axum`.
//!
//! Generated server code (`soap-codegen` with `Builder::server(true)`) emits, per port, a
//! `<Port>Service` trait (one async method per operation) and a `<Port>Server<S>` dispatcher
//! implementing [`SoapService`]. This module holds everything those need, so generated code
//! does not depend on any HTTP framework; [`axum_router`] is the one place that does.
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
}

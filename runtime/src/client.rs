//! [`SoapClient`]: the one call every generated operation method makes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::StreamExt as _;
use tracing::Instrument as _;

use crate::envelope::{
    read_envelope, read_envelope_raw, write_envelope, EnvelopeBody, EnvelopeError, SoapVersion,
};
use crate::error::Error;
use crate::fault::{FaultDetail, NoDetail};
use crate::stream::{decode_items, ItemSplitter};
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};
use crate::xml::{DecodeError, DecodeErrorKind, Name, Start, XmlRead, XmlReader, XmlWriter};

/// Static facts about one WSDL operation, emitted as a `const` per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The operation name (for logs and spans).
    pub name: &'static str,
    /// The `soapAction` of the binding operation, if any.
    pub soap_action: Option<&'static str>,
}

/// A SOAP endpoint: URL, SOAP version, HTTP transport and default deadline.
///
/// Cloning is cheap (the transport is shared). Generated clients wrap one of these.
#[derive(Debug, Clone)]
pub struct SoapClient {
    endpoint: String,
    version: SoapVersion,
    transport: Arc<dyn Transport>,
    timeout: Option<Duration>,
}

impl SoapClient {
    /// A client for `endpoint` speaking `version`, over a default
    /// [`ReqwestTransport`](crate::transport::ReqwestTransport).
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub fn new(endpoint: impl Into<String>, version: SoapVersion) -> Self {
        Self::with_transport_arc(
            endpoint,
            version,
            Arc::new(crate::transport::ReqwestTransport::new()),
        )
    }

    /// A client for `endpoint` speaking `version` over `transport`.
    #[must_use]
    pub fn with_transport_arc(
        endpoint: impl Into<String>,
        version: SoapVersion,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Self {
            endpoint: endpoint.into(),
            version,
            transport,
            timeout: None,
        }
    }

    /// Replaces the transport.
    #[must_use]
    pub fn with_transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Arc::new(transport);
        self
    }

    /// Sets the deadline of each call (connect, send, receive); `None` leaves it to the
    /// transport's default.
    #[must_use]
    pub fn with_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Replaces the endpoint URL (e.g. a carrier's test environment).
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The endpoint URL.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The SOAP version.
    #[must_use]
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The per-call deadline, if set.
    #[must_use]
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The transport.
    #[must_use]
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// Builds the HTTP request for `envelope`.
    fn request(&self, op: &OperationInfo, envelope: Vec<u8>) -> HttpRequest {
        HttpRequest {
            method: Method::Post,
            url: self.endpoint.clone(),
            headers: self.version.request_headers(op.soap_action),
            body: Bytes::from(envelope),
            timeout: self.timeout,
        }
    }

    /// Sends `request` with a debug span (operation, endpoint, status, elapsed); bodies are
    /// never logged because they may carry credentials.
    async fn exchange<D>(
        &self,
        op_name: &'static str,
        request: HttpRequest,
    ) -> Result<HttpResponse, Error<D>> {
        let span =
            tracing::debug_span!("soap_call", operation = op_name, endpoint = %self.endpoint);
        async {
            let started = Instant::now();
            tracing::debug!(request_bytes = request.body.len(), "sending");
            let result = self.transport.send(request).await;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match &result {
                Ok(resp) => {
                    tracing::debug!(
                        status = resp.status,
                        response_bytes = resp.body.len(),
                        elapsed_ms,
                        "received"
                    );
                }
                Err(e) => tracing::debug!(error = %e, elapsed_ms, "transport failed"),
            }
            result.map_err(Error::from)
        }
        .instrument(span)
        .await
    }

    /// Calls an operation: writes the envelope, POSTs it, and decodes the answer.
    ///
    /// `write_headers` writes header blocks (nothing: no `Header`), `write_body` the body
    /// content; both run before this returns, so the future does not borrow what they capture.
    /// `read_body` receives the first body child (`None` for an empty body) and must consume it.
    ///
    /// Mapping: a SOAP fault under any status → [`Error::Fault`]; a 2xx envelope → `read_body`
    /// (failure → [`Error::Decode`] with the body); an empty 2xx body → `read_body(None)`;
    /// non-2xx without an envelope → [`Error::Http`]; a 2xx non-envelope XML →
    /// [`Error::UnexpectedResponse`].
    ///
    /// # Errors
    /// See [`Error`].
    pub fn call<'s, T, D>(
        &'s self,
        op: &OperationInfo,
        write_headers: impl FnOnce(&mut XmlWriter),
        write_body: impl FnOnce(&mut XmlWriter),
        read_body: impl for<'a> FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>
            + Send
            + 's,
    ) -> BoxFuture<'s, Result<T, Error<D>>>
    where
        D: FaultDetail + Send + 's,
        T: Send + 's,
    {
        let envelope = write_envelope(self.version, write_headers, write_body);
        let request = self.request(op, envelope);
        let op_name = op.name;
        Box::pin(async move {
            let resp = self.exchange::<D>(op_name, request).await?;
            decode_response(self.version, resp, read_body)
        })
    }

    /// Calls an operation whose answer is a huge list and decodes it item by item while the
    /// body arrives, with memory bounded by the largest item plus one chunk.
    ///
    /// `path` names the elements below `Body` down to the repeated item, e.g.
    /// `[{ns}getParcelShopsResponse, return, parcelShop]`. Nothing is sent until the stream is
    /// first polled. Rules (faults, skipped `xsi:nil` items, truncation, error bodies) are
    /// those of [`ItemSplitter`]; a non-2xx response is read
    /// whole and mapped exactly as by [`call`](Self::call) (fault → [`Error::Fault`], anything
    /// else → [`Error::Http`]). The stream ends after its first error.
    ///
    /// # Errors
    /// Items are `Err` for transport failures and as described above; see [`Error`].
    pub fn call_streaming<T, D>(
        &self,
        op: &OperationInfo,
        write_headers: impl FnOnce(&mut XmlWriter),
        write_body: impl FnOnce(&mut XmlWriter),
        path: &'static [Name<'static>],
    ) -> BoxStream<'static, Result<T, Error<D>>>
    where
        T: XmlRead + Send + 'static,
        D: FaultDetail + Send + 'static,
    {
        if path.is_empty() {
            return error_stream(Error::InvalidRequest(
                "streaming decode needs a non-empty item path".into(),
            ));
        }
        let envelope = write_envelope(self.version, write_headers, write_body);
        let request = self.request(op, envelope);
        let transport = self.transport.clone();
        let version = self.version;
        let span = tracing::debug_span!("soap_call_streaming", operation = op.name, endpoint = %self.endpoint);
        let start = async move {
            let started = Instant::now();
            tracing::debug!(request_bytes = request.body.len(), "sending");
            let resp = match transport.send_streaming(request).await {
                Ok(resp) => resp,
                Err(e) => {
                    tracing::debug!(error = %e, "transport failed");
                    return error_stream(Error::from(e));
                }
            };
            let status = resp.status;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(status, elapsed_ms, "response headers received");
            if (200..300).contains(&status) {
                let splitter = ItemSplitter::<T, D>::new(version, path).with_status(status);
                return decode_items(splitter, resp.body);
            }
            // Error answers are small: read them whole and map them like `call` does.
            let mut body = Vec::new();
            let mut chunks = resp.body;
            while let Some(chunk) = chunks.next().await {
                match chunk {
                    Ok(chunk) => body.extend_from_slice(&chunk),
                    Err(e) => return error_stream(Error::from(e)),
                }
            }
            let whole = HttpResponse {
                status,
                headers: resp.headers,
                body: Bytes::from(body),
            };
            let body_text = String::from_utf8_lossy(&whole.body).into_owned();
            let err = match decode_response::<(), D, _>(version, whole, |r, s| match s {
                Some(s) => r.skip(s),
                None => Ok(()),
            }) {
                Err(e) => e,
                // Unreachable for a non-2xx status, kept total.
                Ok(()) => Error::Http {
                    status,
                    body: body_text,
                },
            };
            error_stream(err)
        };
        futures_util::stream::once(start.instrument(span))
            .flatten()
            .boxed()
    }

    /// Sends `body_xml` (serialized body content) as operation `op` and returns the first
    /// body child verbatim (`None` for an empty body). Faults are decoded as usual. Meant for
    /// tests and debugging.
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub async fn call_raw(
        &self,
        op: &OperationInfo,
        body_xml: &str,
    ) -> Result<Option<String>, Error<NoDetail>> {
        let envelope = write_envelope(self.version, |_| {}, |w| w.raw(body_xml));
        let request = self.request(op, envelope);
        let resp = self.exchange::<NoDetail>(op.name, request).await?;
        // Faults and status handling first, then the verbatim body.
        decode_response::<(), NoDetail, _>(self.version, resp.clone(), |r, s| match s {
            Some(s) => r.skip(s),
            None => Ok(()),
        })?;
        read_envelope_raw(self.version, &resp.body)
            .map(|raw| raw.body.into_iter().next())
            .map_err(|e| envelope_error(e, resp.status, resp.body))
    }
}

/// A stream yielding only `err`.
fn error_stream<T: Send + 'static, D: Send + 'static>(
    err: Error<D>,
) -> BoxStream<'static, Result<T, Error<D>>> {
    futures_util::stream::once(std::future::ready(Err(err))).boxed()
}

/// Maps a received response to the call's result; see [`SoapClient::call`].
fn decode_response<T, D, R>(
    version: SoapVersion,
    resp: HttpResponse,
    read_body: R,
) -> Result<T, Error<D>>
where
    D: FaultDetail,
    R: for<'a> FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>,
{
    let HttpResponse { status, body, .. } = resp;
    let success = (200..300).contains(&status);
    if success && body.iter().all(u8::is_ascii_whitespace) {
        // One-way operations answer 202/200 with no envelope at all.
        let mut r = XmlReader::new(b"");
        return read_body(&mut r, None).map_err(|error| Error::Decode {
            error,
            status,
            body,
        });
    }
    if !success && !looks_like_xml(&body) {
        return Err(Error::Http {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    match read_envelope::<T, D, R>(version, &body, read_body) {
        Ok(EnvelopeBody::Fault(fault)) => Err(Error::Fault(Box::new(fault))),
        Ok(EnvelopeBody::Value(v)) if success => Ok(v),
        // A non-fault envelope under an error status: report the status, keep the body.
        Ok(EnvelopeBody::Value(_)) => Err(Error::Http {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        }),
        Err(EnvelopeError::NotEnvelope { .. } | EnvelopeError::Decode(_)) if !success => {
            Err(Error::Http {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            })
        }
        Err(e) => Err(envelope_error(e, status, body)),
    }
}

fn envelope_error<D>(e: EnvelopeError, status: u16, body: Bytes) -> Error<D> {
    match e {
        EnvelopeError::Decode(error) => Error::Decode {
            error,
            status,
            body,
        },
        EnvelopeError::VersionMismatch { expected, found } => Error::VersionMismatch {
            expected,
            found,
            status,
            body,
        },
        other => Error::UnexpectedResponse {
            message: other.to_string(),
            status,
            body,
        },
    }
}

/// Whether `body` starts (after whitespace and a BOM) with `<`: HTML and plain-text error
/// pages of proxies are reported as HTTP errors without trying to parse them.
fn looks_like_xml(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Checks that the response element `start` is `{ns}local` and returns it; for response
/// wrappers that generated code decodes child by child (rpc style).
///
/// # Errors
/// No element (empty body) or an element with another name
/// ([`DecodeErrorKind::UnexpectedElement`]).
pub fn expect_start<'a>(
    r: &XmlReader<'a>,
    start: Option<&Start<'a>>,
    ns: Option<&str>,
    local: &str,
) -> Result<Start<'a>, DecodeError> {
    let expected = || match ns {
        Some(ns) => format!("`{{{ns}}}{local}`"),
        None => format!("`{local}`"),
    };
    let Some(start) = start else {
        return Err(r.error(DecodeErrorKind::UnexpectedElement {
            found: "(empty body)".into(),
            expected: expected(),
        }));
    };
    if start.local_name() != local.as_bytes() || !r.ns_is(start, ns) {
        let found = crate::envelope::describe(r, start);
        return Err(r.error(DecodeErrorKind::UnexpectedElement {
            found,
            expected: expected(),
        }));
    }
    Ok(start.clone())
}

/// Decodes the response element `start` as `T` after checking its name; the helper generated
/// code uses for response wrappers.
///
/// # Errors
/// As [`expect_start`], or `T`'s decoding error.
pub fn expect_element<'a, T: XmlRead>(
    r: &mut XmlReader<'a>,
    start: Option<&Start<'a>>,
    ns: Option<&str>,
    local: &str,
) -> Result<T, DecodeError> {
    let start = expect_start(r, start, ns, local)?;
    T::read_xml(r, &start)
}

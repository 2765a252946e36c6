//! The HTTP layer: a small [`Transport`] trait and its default [`reqwest`] implementation.
//!
//! Implement [`Transport`] to plug in another HTTP stack, add authentication, record traffic in
//! tests, or retry. Implementations must honour [`HttpRequest::timeout`].

use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;

/// HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET` (SOAP 1.2 response-only MEP; unused by generated clients today).
    Get,
    /// `POST`.
    Post,
}

/// An HTTP request built by the client.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Header (name, value) pairs in sending order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
    /// Deadline for the whole exchange (connect, send, read the body); `None`: the
    /// transport's default.
    pub timeout: Option<Duration>,
}

/// A complete HTTP response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header (name, value) pairs; names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
}

impl HttpResponse {
    /// The first header named `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A response whose body is read incrementally.
pub struct StreamingResponse {
    /// Status code.
    pub status: u16,
    /// Header (name, value) pairs; names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body chunks.
    pub body: BoxStream<'static, Result<Bytes, TransportError>>,
}

impl std::fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    /// The first header named `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request could not be built (bad URL, bad header value); nothing was sent.
    InvalidRequest,
    /// Connecting failed (DNS, refused, TLS handshake).
    Connect,
    /// The deadline passed.
    Timeout,
    /// The response body is larger than the configured limit.
    ResponseTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Any other I/O or protocol failure while sending or receiving.
    Io,
}

/// An HTTP-level failure: no (complete) response was received.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A new error of `kind`.
    #[must_use]
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the deadline passed.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether connecting failed (the request was not sent).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

/// Sends HTTP requests for a [`SoapClient`](crate::client::SoapClient).
pub trait Transport: Send + Sync + std::fmt::Debug {
    /// Sends `request` and reads the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Sends `request` and returns the response with its body as a stream.
    ///
    /// The default implementation reads the whole body with [`send`](Self::send).
    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let fut = self.send(request);
        Box::pin(async move {
            let resp = fut.await?;
            let body: BoxStream<'static, _> = Box::pin(futures_util::stream::once(
                std::future::ready(Ok(resp.body)),
            ));
            Ok(StreamingResponse {
                status: resp.status,
                headers: resp.headers,
                body,
            })
        })
    }
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::{
    ReqwestTransport, ReqwestTransportBuilder, DEFAULT_MAX_RESPONSE_SIZE,
};

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use std::sync::Arc;
    use std::time::Duration;

    use futures_util::StreamExt as _;

    use super::{
        HttpRequest, HttpResponse, Method, StreamingResponse, Transport, TransportError,
        TransportErrorKind,
    };

    /// Default limit on response bodies: 256 MiB.
    pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 256 * 1024 * 1024;
    const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

    /// [`Transport`] over a [`reqwest::Client`] (rustls, HTTP/1.1 and HTTP/2).
    ///
    /// Defaults: connect timeout 30 s, request timeout 120 s, response bodies up to 256 MiB.
    #[derive(Debug, Clone)]
    pub struct ReqwestTransport {
        /// The client, or why it could not be built (reported on every request so that
        /// construction stays infallible).
        client: Result<reqwest::Client, Arc<str>>,
        timeout: Option<Duration>,
        max_response_size: u64,
    }

    /// Configures a [`ReqwestTransport`].
    #[derive(Debug, Clone)]
    pub struct ReqwestTransportBuilder {
        connect_timeout: Option<Duration>,
        timeout: Option<Duration>,
        max_response_size: u64,
        client: Option<reqwest::Client>,
    }

    impl Default for ReqwestTransportBuilder {
        fn default() -> Self {
            Self {
                connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
                timeout: Some(DEFAULT_TIMEOUT),
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                client: None,
            }
        }
    }

    impl ReqwestTransportBuilder {
        /// Connect timeout (`None`: no limit). Ignored with [`client`](Self::client).
        #[must_use]
        pub fn connect_timeout(mut self, t: Option<Duration>) -> Self {
            self.connect_timeout = t;
            self
        }

        /// Default deadline per request when the client sets none (`None`: no limit).
        #[must_use]
        pub fn timeout(mut self, t: Option<Duration>) -> Self {
            self.timeout = t;
            self
        }

        /// Largest accepted response body in bytes.
        #[must_use]
        pub fn max_response_size(mut self, bytes: u64) -> Self {
            self.max_response_size = bytes;
            self
        }

        /// Uses a preconfigured client (proxies, certificates, pools).
        #[must_use]
        pub fn client(mut self, client: reqwest::Client) -> Self {
            self.client = Some(client);
            self
        }

        /// Builds the transport.
        ///
        /// # Errors
        /// The TLS backend could not be initialised.
        pub fn build(self) -> Result<ReqwestTransport, TransportError> {
            let client = match self.client {
                Some(c) => c,
                None => {
                    let mut b = reqwest::Client::builder()
                        .user_agent(concat!("soap-runtime/", env!("CARGO_PKG_VERSION")));
                    if let Some(t) = self.connect_timeout {
                        b = b.connect_timeout(t);
                    }
                    b.build().map_err(|e| map_error(&e))?
                }
            };
            Ok(ReqwestTransport {
                client: Ok(client),
                timeout: self.timeout,
                max_response_size: self.max_response_size,
            })
        }
    }

    impl Default for ReqwestTransport {
        fn default() -> Self {
            Self::new()
        }
    }

    impl ReqwestTransport {
        /// A transport with the defaults. A failure to initialise TLS is reported by each
        /// request instead of here.
        #[must_use]
        pub fn new() -> Self {
            let b = ReqwestTransportBuilder::default();
            let (timeout, max) = (b.timeout, b.max_response_size);
            b.build().unwrap_or_else(|e| Self {
                client: Err(Arc::from(e.to_string())),
                timeout,
                max_response_size: max,
            })
        }

        /// A builder for non-default settings.
        #[must_use]
        pub fn builder() -> ReqwestTransportBuilder {
            ReqwestTransportBuilder::default()
        }

        /// A transport over `client` with the default size limit; the client's own timeout
        /// applies unless a request sets one.
        #[must_use]
        pub fn from_client(client: reqwest::Client) -> Self {
            Self {
                client: Ok(client),
                timeout: None,
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            }
        }

        /// Sets the largest accepted response body in bytes.
        #[must_use]
        pub fn with_max_response_size(mut self, bytes: u64) -> Self {
            self.max_response_size = bytes;
            self
        }

        async fn start(&self, request: HttpRequest) -> Result<reqwest::Response, TransportError> {
            let client = self.client.as_ref().map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Connect,
                    format!("HTTP client unavailable: {e}"),
                )
            })?;
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            };
            let mut rb = client.request(method, &request.url).body(request.body);
            for (name, value) in &request.headers {
                rb = rb.header(name.as_str(), value.as_str());
            }
            if let Some(t) = request.timeout.or(self.timeout) {
                rb = rb.timeout(t);
            }
            let resp = rb.send().await.map_err(|e| map_error(&e))?;
            if let Some(len) = resp.content_length() {
                if len > self.max_response_size {
                    return Err(too_large(self.max_response_size));
                }
            }
            Ok(resp)
        }
    }

    fn too_large(limit: u64) -> TransportError {
        TransportError::new(
            TransportErrorKind::ResponseTooLarge { limit },
            format!("response body exceeds the limit of {limit} bytes"),
        )
    }

    fn headers_of(resp: &reqwest::Response) -> Vec<(String, String)> {
        resp.headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    }

    /// Classifies a reqwest error and puts its whole source chain in the message (reqwest's own
    /// message alone is just "error sending request").
    fn map_error(e: &reqwest::Error) -> TransportError {
        let kind = if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_builder() {
            TransportErrorKind::InvalidRequest
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Io
        };
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        TransportError::new(kind, message)
    }

    impl Transport for ReqwestTransport {
        fn send(
            &self,
            request: HttpRequest,
        ) -> futures_util::future::BoxFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(async move {
                let mut resp = self.start(request).await?;
                let status = resp.status().as_u16();
                let headers = headers_of(&resp);
                let mut body = Vec::new();
                while let Some(chunk) = resp.chunk().await.map_err(|e| map_error(&e))? {
                    if (body.len() + chunk.len()) as u64 > self.max_response_size {
                        return Err(too_large(self.max_response_size));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(HttpResponse {
                    status,
                    headers,
                    body: body.into(),
                })
            })
        }

        fn send_streaming(
            &self,
            request: HttpRequest,
        ) -> futures_util::future::BoxFuture<'_, Result<StreamingResponse, TransportError>>
        {
            Box::pin(async move {
                let resp = self.start(request).await?;
                let status = resp.status().as_u16();
                let headers = headers_of(&resp);
                let limit = self.max_response_size;
                let mut seen = 0u64;
                let body = resp.bytes_stream().map(move |chunk| {
                    let chunk = chunk.map_err(|e| map_error(&e))?;
                    seen += chunk.len() as u64;
                    if seen > limit {
                        return Err(too_large(limit));
                    }
                    Ok(chunk)
                });
                Ok(StreamingResponse {
                    status,
                    headers,
                    body: Box::pin(body),
                })
            })
        }
    }
}

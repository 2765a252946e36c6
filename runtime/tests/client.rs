//! End-to-end tests of `SoapClient` against a real HTTP server on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use soap_runtime::client::{expect_element, OperationInfo, SoapClient};
use soap_runtime::envelope::{SoapVersion, SOAP11_ENV_NS, SOAP12_ENV_NS};
use soap_runtime::error::Error;
use soap_runtime::fault::{Detail, FaultCodeKind, FaultDetail, NoDetail};
use soap_runtime::transport::{ReqwestTransport, TransportErrorKind};
use soap_runtime::xml::{DecodeError, DecodeErrorKind, Name, Start, XmlReader, XmlWriter};

const ECHO: OperationInfo = OperationInfo {
    name: "echo",
    soap_action: Some("urn:echo#echo"),
};

/// What the server answers.
#[derive(Clone)]
struct Canned {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    delay: Duration,
    /// Send the body as a chunked stream (no Content-Length).
    chunked: bool,
}

impl Canned {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            delay: Duration::ZERO,
            chunked: false,
        }
    }
}

/// What the server received.
#[derive(Debug, Default, Clone)]
struct Seen {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Starts a server answering every request with `canned`; returns its URL and the log.
async fn serve(canned: Canned) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
        let canned = canned.clone();
        let log = log.clone();
        async move {
            log.lock().unwrap().push(Seen {
                headers: headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
                    .collect(),
                body: body.to_vec(),
            });
            tokio::time::sleep(canned.delay).await;
            let body = if canned.chunked {
                let chunks: Vec<Result<Bytes, std::io::Error>> = canned
                    .body
                    .chunks(1024)
                    .map(|c| Ok(Bytes::copy_from_slice(c)))
                    .collect();
                Body::from_stream(futures_util::stream::iter(chunks))
            } else {
                Body::from(canned.body)
            };
            Response::builder()
                .status(StatusCode::from_u16(canned.status).unwrap())
                .header("content-type", canned.content_type)
                .body(body)
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/ws"), seen)
}

fn env11(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="{SOAP11_ENV_NS}"><S:Body>{body}</S:Body></S:Envelope>"#
    )
}

fn env12(body: &str) -> String {
    format!(
        r#"<env:Envelope xmlns:env="{SOAP12_ENV_NS}"><env:Header/><env:Body>{body}</env:Body></env:Envelope>"#
    )
}

fn write_echo(w: &mut XmlWriter) {
    let n = Name::qualified("urn:echo", "echo");
    let arg = Name::unqualified("arg");
    w.open(n);
    w.open(arg);
    w.text("hi & bye");
    w.close(arg);
    w.close(n);
}

/// Calls `echo`, decoding `{urn:echo}echoResponse` as a string.
async fn echo<D: FaultDetail + Send>(client: &SoapClient) -> Result<String, Error<D>> {
    client
        .call(
            &ECHO,
            |_| {},
            write_echo,
            |r, s| expect_element::<String>(r, s, Some("urn:echo"), "echoResponse"),
        )
        .await
}

const ECHO_RESPONSE: &str = r#"<m:echoResponse xmlns:m="urn:echo">hi &amp; bye</m:echoResponse>"#;

#[tokio::test]
async fn soap11_round_trip() {
    let (url, seen) = serve(Canned::new(
        200,
        "text/xml; charset=utf-8",
        env11(ECHO_RESPONSE),
    ))
    .await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let got = echo::<NoDetail>(&client).await.unwrap();
    assert_eq!(got, "hi & bye");

    let seen = seen.lock().unwrap();
    let req = &seen[0];
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns1:echo xmlns:ns1="urn:echo"><arg>hi &amp; bye</arg></ns1:echo></soapenv:Body></soapenv:Envelope>"#
    );
    assert_eq!(req.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(req.header("soapaction"), Some("\"urn:echo#echo\""));
}

#[tokio::test]
async fn soap12_round_trip_with_header() {
    let (url, seen) = serve(Canned::new(
        200,
        "application/soap+xml",
        env12(ECHO_RESPONSE),
    ))
    .await;
    let client = SoapClient::new(&url, SoapVersion::V12);
    let got: Result<String, Error> = client
        .call(
            &ECHO,
            |w| {
                let n = Name::qualified("urn:auth", "token");
                w.open(n);
                w.text("secret");
                w.close(n);
            },
            write_echo,
            |r, s| expect_element(r, s, Some("urn:echo"), "echoResponse"),
        )
        .await;
    assert_eq!(got.unwrap(), "hi & bye");

    let seen = seen.lock().unwrap();
    let req = &seen[0];
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Header><ns1:token xmlns:ns1="urn:auth">secret</ns1:token></soap12:Header><soap12:Body><ns1:echo xmlns:ns1="urn:echo"><arg>hi &amp; bye</arg></ns1:echo></soap12:Body></soap12:Envelope>"#
    );
    assert_eq!(
        req.header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="urn:echo#echo""#)
    );
    assert_eq!(req.header("soapaction"), None);
}

#[tokio::test]
async fn soap11_without_action_sends_empty_soapaction() {
    let (url, seen) = serve(Canned::new(200, "text/xml", env11(ECHO_RESPONSE))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let op = OperationInfo {
        name: "echo",
        soap_action: None,
    };
    let got: Result<String, Error> = client
        .call(
            &op,
            |_| {},
            write_echo,
            |r, s| expect_element(r, s, Some("urn:echo"), "echoResponse"),
        )
        .await;
    assert_eq!(got.unwrap(), "hi & bye");
    assert_eq!(seen.lock().unwrap()[0].header("soapaction"), Some("\"\""));
}

/// A hand-written fault detail, as generated code would produce.
#[derive(Debug, PartialEq)]
enum EchoFault {
    InvalidArg { code: i32, message: String },
}

impl FaultDetail for EchoFault {
    fn read_detail<'a>(
        r: &mut XmlReader<'a>,
        child: &Start<'a>,
    ) -> Result<Option<Self>, DecodeError> {
        if child.local_name() != b"InvalidArg" || !r.ns_is(child, Some("urn:echo")) {
            return Ok(None);
        }
        let (mut code, mut message) = (None, String::new());
        r.children(child, |r, c| {
            match c.local_name() {
                b"code" => {
                    code = Some(
                        r.text(&c)?
                            .parse::<i32>()
                            .map_err(|e| r.error(DecodeErrorKind::InvalidValue(e.to_string())))?,
                    )
                }
                b"message" => message = r.text(&c)?.into_owned(),
                _ => r.skip(&c)?,
            }
            Ok(())
        })?;
        let code = code.ok_or_else(|| {
            r.error(DecodeErrorKind::MissingElement {
                ty: "InvalidArg",
                field: "code",
            })
        })?;
        Ok(Some(Self::InvalidArg { code, message }))
    }
}

const FAULT11: &str = r#"<S:Fault xmlns:m="urn:echo"><faultcode>S:Client.Validation</faultcode><faultstring xml:lang="ru">Неверный аргумент (invalid argument)</faultstring><faultactor>urn:gateway</faultactor><detail><m:InvalidArg><code>42</code><message>arg</message></m:InvalidArg><m:Other/></detail></S:Fault>"#;

#[tokio::test]
async fn soap11_fault_with_http_500_and_typed_detail() {
    let (url, _) = serve(Canned::new(500, "text/xml", env11(FAULT11))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<EchoFault>(&client).await.unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.code.text, "S:Client.Validation");
    assert_eq!(fault.code.namespace.as_deref(), Some(SOAP11_ENV_NS));
    assert_eq!(fault.code.local, "Client.Validation");
    assert_eq!(fault.kind(), FaultCodeKind::Sender);
    assert_eq!(fault.reason(), "Неверный аргумент (invalid argument)");
    assert_eq!(fault.reasons[0].lang.as_deref(), Some("ru"));
    assert_eq!(fault.actor.as_deref(), Some("urn:gateway"));
    assert_eq!(
        fault.detail,
        Detail::Typed(EchoFault::InvalidArg {
            code: 42,
            message: "arg".into()
        })
    );
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "SOAP fault `S:Client.Validation`: Неверный аргумент (invalid argument) (actor urn:gateway)"
    );
    // The detail type can be converted, e.g. into a crate-wide enum.
    let mapped: Error<String> = err.map_detail(|d| format!("{d:?}"));
    assert!(matches!(mapped.fault().unwrap().detail, Detail::Typed(ref s) if s.contains("42")));
}

#[tokio::test]
async fn soap11_unknown_detail_is_kept_raw() {
    let body = r#"<S:Fault><faultcode>S:Server</faultcode><faultstring>boom</faultstring><detail><x:Trace xmlns:x="urn:x">line 1</x:Trace><y/></detail></S:Fault>"#;
    let (url, _) = serve(Canned::new(500, "text/xml", env11(body))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<EchoFault>(&client).await.unwrap_err();
    let fault = err.fault().unwrap();
    assert_eq!(fault.kind(), FaultCodeKind::Receiver);
    assert_eq!(
        fault.detail,
        Detail::Raw(r#"<x:Trace xmlns:x="urn:x">line 1</x:Trace><y/>"#.into())
    );
    assert_eq!(fault.actor, None);
}

#[tokio::test]
async fn soap12_fault_with_subcodes_role_and_languages() {
    let body = r#"<env:Fault xmlns:m="urn:app"><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:Auth</env:Value><env:Subcode><env:Value xmlns:k="urn:k">k:Expired</env:Value></env:Subcode></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Token expired</env:Text><env:Text xml:lang="ru">Токен истёк</env:Text></env:Reason><env:Node>urn:node</env:Node><env:Role>urn:role</env:Role><env:Detail><m:Info>x</m:Info></env:Detail></env:Fault>"#;
    let (url, _) = serve(Canned::new(400, "application/soap+xml", env12(body))).await;
    let client = SoapClient::new(&url, SoapVersion::V12);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    let fault = err.fault().unwrap();
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(fault.code.namespace.as_deref(), Some(SOAP12_ENV_NS));
    assert_eq!(fault.kind(), FaultCodeKind::Sender);
    let subs: Vec<_> = fault
        .subcodes
        .iter()
        .map(|c| (c.namespace.as_deref(), c.local.as_str()))
        .collect();
    assert_eq!(
        subs,
        vec![(Some("urn:app"), "Auth"), (Some("urn:k"), "Expired")]
    );
    assert_eq!(fault.reason(), "Token expired");
    let langs: Vec<_> = fault
        .reasons
        .iter()
        .map(|r| r.lang.as_deref().unwrap())
        .collect();
    assert_eq!(langs, ["en", "ru"]);
    assert_eq!(fault.reasons[1].text, "Токен истёк");
    assert_eq!(fault.node.as_deref(), Some("urn:node"));
    assert_eq!(fault.actor.as_deref(), Some("urn:role"));
    assert_eq!(fault.detail, Detail::Raw("<m:Info>x</m:Info>".into()));
    assert_eq!(
        err.to_string(),
        "SOAP fault `env:Sender` / `m:Auth` / `k:Expired`: Token expired (actor urn:role)"
    );
}

#[tokio::test]
async fn http_503_with_html_is_http_error() {
    let html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
    let (url, _) = serve(Canned::new(503, "text/html", html)).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    match &err {
        Error::Http { status, body } => {
            assert_eq!(*status, 503);
            assert_eq!(body, html);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().starts_with("HTTP status 503: <html>"));
}

#[tokio::test]
async fn garbage_body_is_decode_error_keeping_body() {
    let (url, _) = serve(Canned::new(200, "text/xml", "this is not <xml")).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    match err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status, 200);
            assert_eq!(&body[..], b"this is not <xml");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn wrong_response_element_is_decode_error() {
    let (url, _) = serve(Canned::new(
        200,
        "text/xml",
        env11("<other xmlns='urn:echo'/>"),
    ))
    .await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    match err {
        Error::Decode { error, body, .. } => {
            assert_eq!(
                error.kind,
                DecodeErrorKind::UnexpectedElement {
                    found: "{urn:echo}other".into(),
                    expected: "`{urn:echo}echoResponse`".into()
                }
            );
            assert!(!body.is_empty());
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn doctype_is_refused_without_expansion() {
    let laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{}]><S:Envelope xmlns:S="{SOAP11_ENV_NS}"><S:Body><m:echoResponse xmlns:m="urn:echo">&lol9;</m:echoResponse></S:Body></S:Envelope>"#,
        (1..10)
            .map(|i| format!(
                r#"<!ENTITY lol{i} "{}">"#,
                format!("&lol{};", i - 1).repeat(10)
            ))
            .collect::<String>()
            .replace("&lol0;", "&lol;")
    );
    let (url, _) = serve(Canned::new(200, "text/xml", laughs)).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let started = Instant::now();
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match err {
        Error::Decode { error, .. } => assert_eq!(error.kind, DecodeErrorKind::Doctype),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn version_mismatch_is_reported() {
    let (url, _) = serve(Canned::new(200, "text/xml", env11(ECHO_RESPONSE))).await;
    let client = SoapClient::new(&url, SoapVersion::V12);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::VersionMismatch {
                expected: SoapVersion::V12,
                found: SoapVersion::V11,
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn non_envelope_xml_with_200_is_unexpected_response() {
    let (url, _) = serve(Canned::new(200, "text/xml", "<status>ok</status>")).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedResponse { status: 200, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn empty_response_body_gives_none() {
    let (url, _) = serve(Canned::new(202, "text/xml", "")).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let got: Result<bool, Error> = client
        .call(&ECHO, |_| {}, write_echo, |_, s| Ok(s.is_none()))
        .await;
    assert!(got.unwrap());

    let (url, _) = serve(Canned::new(200, "text/xml", env11(""))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let got: Result<bool, Error> = client
        .call(&ECHO, |_| {}, write_echo, |_, s| Ok(s.is_none()))
        .await;
    assert!(got.unwrap());
}

#[tokio::test]
async fn timeout_is_reported() {
    let mut canned = Canned::new(200, "text/xml", env11(ECHO_RESPONSE));
    canned.delay = Duration::from_secs(5);
    let (url, _) = serve(canned).await;
    let client = SoapClient::new(&url, SoapVersion::V11).with_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn connection_refused_is_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = SoapClient::new(format!("http://{addr}/ws"), SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn invalid_endpoint_is_invalid_request() {
    let client = SoapClient::new("not a url", SoapVersion::V11);
    let err = echo::<NoDetail>(&client).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn oversized_body_is_refused() {
    for chunked in [false, true] {
        let mut canned = Canned::new(200, "text/xml", env11(&"<a/>".repeat(4096)));
        canned.chunked = chunked;
        let (url, _) = serve(canned).await;
        let transport = ReqwestTransport::builder()
            .max_response_size(4096)
            .build()
            .unwrap();
        let client = SoapClient::new(&url, SoapVersion::V11).with_transport(transport);
        let err = echo::<NoDetail>(&client).await.unwrap_err();
        match err {
            Error::Transport(e) => assert_eq!(
                e.kind(),
                TransportErrorKind::ResponseTooLarge { limit: 4096 }
            ),
            other => panic!("chunked={chunked}: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn call_raw_returns_first_body_child() {
    let (url, seen) = serve(Canned::new(200, "text/xml", env11(ECHO_RESPONSE))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let got = client.call_raw(&ECHO, "<ping/>").await.unwrap();
    assert_eq!(got.as_deref(), Some(ECHO_RESPONSE));
    assert!(String::from_utf8(seen.lock().unwrap()[0].body.clone())
        .unwrap()
        .contains("<soapenv:Body><ping/></soapenv:Body>"));
}

#[test]
fn call_future_is_send() {
    fn assert_send<F: Send>(_: &F) {}
    let client = SoapClient::new("http://127.0.0.1:9/", SoapVersion::V11);
    let req = String::from("borrowed request");
    let fut = client.call::<String, EchoFault>(
        &ECHO,
        |_| {},
        |w: &mut XmlWriter| w.text(&req),
        |r, s| expect_element(r, s, None, "x"),
    );
    assert_send(&fut);
    // The request is no longer borrowed: writers ran eagerly.
    drop(req);
    drop(fut);
}

/// A transport that answers from memory and records requests: custom transports plug in.
#[derive(Debug, Default)]
struct MockTransport {
    requests: Mutex<Vec<soap_runtime::transport::HttpRequest>>,
}

impl soap_runtime::transport::Transport for MockTransport {
    fn send(
        &self,
        request: soap_runtime::transport::HttpRequest,
    ) -> futures_util::future::BoxFuture<
        '_,
        Result<soap_runtime::transport::HttpResponse, soap_runtime::transport::TransportError>,
    > {
        self.requests.lock().unwrap().push(request);
        Box::pin(async {
            Ok(soap_runtime::transport::HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "text/xml".into())],
                body: Bytes::from(env11(FAULT11)),
            })
        })
    }
}

#[tokio::test]
async fn custom_transport_and_fault_with_http_200() {
    use futures_util::StreamExt as _;
    use soap_runtime::transport::{HttpRequest, Method, Transport as _};

    let mock = Arc::new(MockTransport::default());
    let client = SoapClient::with_transport_arc("mock://x", SoapVersion::V11, mock.clone())
        .with_timeout(Duration::from_secs(7));
    let err = echo::<EchoFault>(&client).await.unwrap_err();
    assert!(matches!(
        err.fault().unwrap().detail,
        Detail::Typed(EchoFault::InvalidArg { code: 42, .. })
    ));
    {
        let reqs = mock.requests.lock().unwrap();
        assert_eq!(reqs[0].url, "mock://x");
        assert_eq!(reqs[0].method, Method::Post);
        assert_eq!(reqs[0].timeout, Some(Duration::from_secs(7)));
    }

    // The default streaming implementation yields the whole body.
    let req = HttpRequest {
        method: Method::Post,
        url: "mock://x".into(),
        headers: vec![],
        body: Bytes::new(),
        timeout: None,
    };
    let mut resp = mock.send_streaming(req).await.unwrap();
    assert_eq!(resp.header("Content-Type"), Some("text/xml"));
    let chunk = resp.body.next().await.unwrap().unwrap();
    assert_eq!(chunk, Bytes::from(env11(FAULT11)));
    assert!(resp.body.next().await.is_none());
}

#[tokio::test]
async fn reqwest_streaming_respects_the_limit() {
    use futures_util::StreamExt as _;
    use soap_runtime::transport::{HttpRequest, Method, Transport as _};

    let mut canned = Canned::new(200, "text/xml", vec![b'x'; 10_000]);
    canned.chunked = true;
    let (url, _) = serve(canned).await;
    let request = |limit: u64| {
        let t = ReqwestTransport::builder()
            .max_response_size(limit)
            .build()
            .unwrap();
        let req = HttpRequest {
            method: Method::Post,
            url: url.clone(),
            headers: vec![],
            body: Bytes::new(),
            timeout: None,
        };
        async move {
            let resp = t.send_streaming(req).await.unwrap();
            assert_eq!(resp.status, 200);
            resp.body.collect::<Vec<_>>().await
        }
    };
    let ok = request(10_000).await;
    assert_eq!(
        ok.iter().map(|c| c.as_ref().unwrap().len()).sum::<usize>(),
        10_000
    );
    let limited = request(5_000).await;
    let err = limited
        .into_iter()
        .find_map(Result::err)
        .expect("limit error");
    assert_eq!(
        err.kind(),
        TransportErrorKind::ResponseTooLarge { limit: 5_000 }
    );
}

#[tokio::test]
async fn rpc_style_wrapper_read_with_expect_start() {
    let body = r#"<m:echoResponse xmlns:m="urn:echo"><a>1</a><b>two</b></m:echoResponse>"#;
    let (url, _) = serve(Canned::new(200, "text/xml", env11(body))).await;
    let client = SoapClient::new(&url, SoapVersion::V11);
    let got = client
        .call::<_, NoDetail>(
            &ECHO,
            |_| {},
            write_echo,
            |r, start| {
                let start =
                    soap_runtime::client::expect_start(r, start, Some("urn:echo"), "echoResponse")?;
                let (mut a, mut b) = (None, None);
                r.children(&start, |r, child| {
                    match child.local_name() {
                        b"a" => a = Some(soap_runtime::xml::XmlRead::read_xml(r, &child)?),
                        b"b" => b = Some(soap_runtime::xml::XmlRead::read_xml(r, &child)?),
                        _ => r.skip(&child)?,
                    }
                    Ok(())
                })?;
                Ok((a, b))
            },
        )
        .await
        .unwrap();
    assert_eq!(got, (Some(1i32), Some(String::from("two"))));
}

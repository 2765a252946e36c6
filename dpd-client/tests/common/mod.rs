//! A local DPD stand-in: records requests, checks SOAPAction and auth, answers scripted bodies.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use dpd_client::{DpdClient, Environment};

pub const CLIENT_NUMBER: i64 = 1_001_027_795;
pub const KEY: &str = "TEST-KEY-NOT-REAL";

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub op: String,
    pub body: String,
}

/// A scripted answer.
pub enum Answer {
    /// 200 with `<ns2:{op}Response>{inner}</…>`.
    Ok(String),
    /// 500 with a fault: faultstring, detail code, detail message (detail omitted if code is None).
    Fault(String, Option<String>, String),
    /// 200 with the body sent in chunks.
    Chunked(Vec<Vec<u8>>),
}

pub type Responder = Arc<dyn Fn(&Seen) -> Answer + Send + Sync>;

#[derive(Clone)]
struct Srv {
    seen: Arc<Mutex<Vec<Seen>>>,
    responder: Responder,
}

pub fn ns_of(path: &str) -> &'static str {
    match path.rsplit('/').next().unwrap_or_default() {
        "geography2" => "http://dpd.ru/ws/geography/2015-05-20",
        "calculator2" => "http://dpd.ru/ws/calculator/2012-03-20",
        "order2" => "http://dpd.ru/ws/order2/2012-04-04",
        "tracing" => "http://dpd.ru/ws/tracing/2011-11-18",
        "tracing1-1" => "http://dpd.ru/ws/tracing/2012-06-25",
        "nl" => "http://dpd.ru/ws/nl",
        "label-print" => "http://dpd.ru/ws/label-print",
        "inquiry-desk" => "http://dpd.ru/ws/inquiry-desk",
        _ => "urn:unknown",
    }
}

/// The local name of the first element inside `Body`.
fn op_of(body: &str) -> String {
    let after = body.split_once("Body>").map(|(_, r)| r).unwrap_or_default();
    let start = after.trim_start().trim_start_matches('<');
    let name: String = start
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    name.rsplit(':').next().unwrap_or_default().to_owned()
}

const ENV_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>"#;
const ENV_CLOSE: &str = "</S:Body></S:Envelope>";

pub fn ok_body(ns: &str, op: &str, inner: &str) -> String {
    format!(r#"{ENV_OPEN}<ns2:{op}Response xmlns:ns2="{ns}">{inner}</ns2:{op}Response>{ENV_CLOSE}"#)
}

async fn handle(State(srv): State<Srv>, uri: Uri, headers: HeaderMap, body: String) -> Response {
    let action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("<none>");
    assert_eq!(action, "\"\"", "DPD uses SOAPAction \"\"");
    let op = op_of(&body);
    // Every request carries the credentials in its auth element.
    assert!(
        body.contains(&format!(
            "<auth><clientNumber>{CLIENT_NUMBER}</clientNumber><clientKey>{KEY}</clientKey></auth>"
        )),
        "auth missing in {op}: {body}"
    );
    let seen = Seen {
        path: uri.path().to_owned(),
        op: op.clone(),
        body,
    };
    srv.seen.lock().unwrap().push(seen.clone());
    let ns = ns_of(&seen.path);
    match (srv.responder)(&seen) {
        Answer::Ok(inner) => Response::builder()
            .header("content-type", "text/xml; charset=utf-8")
            .body(Body::from(ok_body(ns, &op, &inner)))
            .unwrap(),
        Answer::Fault(faultstring, code, message) => {
            let detail_el = if seen.path.ends_with("calculator2") {
                "ServiceCostFault2"
            } else {
                "WSFault"
            };
            let detail = code
                .map(|c| format!(r#"<detail><ns2:{detail_el} xmlns:ns2="{ns}"><code>{c}</code><message>{message}</message></ns2:{detail_el}></detail>"#))
                .unwrap_or_default();
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .header("content-type", "text/xml; charset=utf-8")
                .body(Body::from(format!(
                    "{ENV_OPEN}<S:Fault><faultcode>S:Server</faultcode><faultstring>{faultstring}</faultstring>{detail}</S:Fault>{ENV_CLOSE}"
                )))
                .unwrap()
        }
        Answer::Chunked(chunks) => {
            let stream = futures_util::stream::iter(
                chunks
                    .into_iter()
                    .map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::from(c))),
            );
            Response::builder()
                .header("content-type", "text/xml; charset=utf-8")
                .body(Body::from_stream(stream))
                .unwrap()
        }
    }
}

pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn ops(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.op).collect()
    }

    pub fn client(&self) -> DpdClient {
        DpdClient::new(CLIENT_NUMBER, KEY, Environment::Custom(self.base.clone()))
    }
}

pub async fn serve(responder: impl Fn(&Seen) -> Answer + Send + Sync + 'static) -> Server {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let srv = Srv {
        seen: seen.clone(),
        responder: Arc::new(responder),
    };
    let app = axum::Router::new().fallback(handle).with_state(srv);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base: format!("http://{addr}"),
        seen,
    }
}

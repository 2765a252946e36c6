//! Snapshots of every request the wrapped operations send (form fields decoded, query
//! strings, JSON bodies), with a fixed `Date`, so the `Secure` hash is stable and the password
//! can be checked to be absent.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cdek_client::{CdekClient, Credentials, Environment};
use futures_util::future::BoxFuture;
use soap_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};

#[path = "end_to_end.rs"]
#[allow(dead_code)]
mod e2e;

/// Records requests and answers every one with `answer`.
#[derive(Debug, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<HttpRequest>>>,
    answer: (&'static str, &'static str),
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        if let Ok(mut s) = self.seen.lock() {
            s.push(request);
        }
        let (ct, body) = self.answer;
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), ct.into())],
                body: Bytes::from_static(body.as_bytes()),
            })
        })
    }
}

fn client(answer: (&'static str, &'static str)) -> (CdekClient, Arc<Mutex<Vec<HttpRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let t = Recorder {
        seen: seen.clone(),
        answer,
    };
    let c = CdekClient::with_transport(
        Credentials::new("test-account", "s3cret-password"),
        Environment::Test,
        Arc::new(t),
    )
    .with_fixed_date("2024-03-15T10:30:00");
    (c, seen)
}

fn form_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn describe(r: &HttpRequest) -> String {
    let body = String::from_utf8_lossy(&r.body).into_owned();
    assert!(!body.contains("s3cret"), "password leaked: {body}");
    assert!(!r.url.contains("s3cret"));
    let body = if let Some(xml) = body.strip_prefix("xml_request=") {
        format!("xml_request =\n{}", form_decode(xml))
    } else {
        body
    };
    format!("{:?} {}\n{}", r.method, r.url, body)
}

const OK: (&str, &str) = ("text/xml", "<response/>");

#[tokio::test]
async fn new_orders_request() {
    let (c, seen) = client(OK);
    let mut req = e2e_delivery();
    req.order.push(e2e::new_order("SHOP-1002"));
    c.new_orders(req).await.unwrap();
    insta::assert_snapshot!(describe(&seen.lock().unwrap()[0]));
}

fn e2e_delivery() -> cdek_client::generated::cdek_integration::DeliveryRequest {
    cdek_client::generated::cdek_integration::DeliveryRequest {
        number: "ACT-2024-0315".into(),
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        currency: None,
        foreign_delivery: None,
        developer_key: None,
        call_courier: None,
        order: vec![e2e::new_order("SHOP-1001")],
    }
}

#[tokio::test]
async fn delete_orders_request() {
    let (c, seen) = client(OK);
    c.delete_orders("ACT-7", &["SHOP-1001", "SHOP-1002"])
        .await
        .unwrap();
    insta::assert_snapshot!(describe(&seen.lock().unwrap()[0]));
}

#[tokio::test]
async fn orders_print_request() {
    let (c, seen) = client(("application/pdf", "%PDF-1.4"));
    c.orders_print(&[1_105_048_590, 1_105_048_591], Some(2))
        .await
        .unwrap();
    insta::assert_snapshot!(describe(&seen.lock().unwrap()[0]));
}

#[tokio::test]
async fn pvz_list_request() {
    let (c, seen) = client(("text/xml", "<PvzList/>"));
    c.pvz_list(Some(270)).await.unwrap();
    insta::assert_snapshot!(describe(&seen.lock().unwrap()[0]));
}

#[tokio::test]
async fn calculate_price_request() {
    let (c, seen) = client((
        "application/json",
        r#"{"result":{"price":"1250","tariffId":137}}"#,
    ));
    c.calculate_price(e2e::calc_request_pub()).await.unwrap();
    insta::assert_snapshot!(describe(&seen.lock().unwrap()[0]));
}

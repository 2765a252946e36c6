//! Generated clients from the example WSDLs against a real HTTP server on 127.0.0.1:
//! the request body is the expected envelope, the response is decoded, and a SOAP fault
//! becomes the typed error with its declared detail.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use soap_runtime::error::Error;
use soap_runtime::fault::FaultCodeKind;
use soap_runtime::types::Nillable;
use workspace_tests::calculator_service_calculator::CalculatorClient;
use workspace_tests::warehouse_service::{
    Session, StockKind, WarehouseSoap12Client, WarehouseSoapClient, WarehouseSoapFault,
};

/// One recorded request: SOAPAction (or the action parameter of the 1.2 content type),
/// content type and body.
#[derive(Debug, Clone, Default)]
struct Seen {
    action: String,
    content_type: String,
    body: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Starts a server answering every POST with `reply(body)` and recording the request.
async fn server(reply: fn(&str) -> (StatusCode, &'static str, String)) -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let seen = log.clone();
    let app = Router::new().route(
        "/{*path}",
        post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                let text = String::from_utf8_lossy(&body).into_owned();
                let header = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                seen.lock().unwrap().push(Seen {
                    action: header("soapaction"),
                    content_type: header("content-type"),
                    body: text.clone(),
                });
                let (status, content_type, body) = reply(&text);
                (status, [("content-type", content_type)], body)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, log)
}

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn envelope11(body: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><S:Envelope xmlns:S="{SOAP11}"><S:Body>{body}</S:Body></S:Envelope>"#
    )
}

fn warehouse_reply(request: &str) -> (StatusCode, &'static str, String) {
    if request.contains("getStock") {
        let body = r#"<ns2:getStockResponse xmlns:ns2="urn:example:warehouse">
            <return><sku>A-1</sku><warehouse>MSK</warehouse><quantity>7</quantity><price>1499.90</price>
              <updated>2026-11-20T10:15:00+03:00</updated><kind>regular</kind></return>
            <return xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
            <return><sku>A-1</sku><warehouse>SPB</warehouse><quantity>0</quantity><kind>clearance</kind><newField>ignored</newField></return>
        </ns2:getStockResponse>"#;
        (StatusCode::OK, "text/xml; charset=utf-8", envelope11(body))
    } else {
        let fault = r#"<S:Fault><faultcode>S:Server</faultcode><faultstring>Not enough stock</faultstring>
            <faultactor>urn:warehouse</faultactor>
            <detail><ns2:ReservationFault xmlns:ns2="urn:example:warehouse"><code>NO_STOCK</code><available>3</available></ns2:ReservationFault></detail>
        </S:Fault>"#;
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/xml; charset=utf-8",
            envelope11(fault),
        )
    }
}

fn session() -> Session {
    Session {
        token: "test-session-token".into(),
    }
}

#[tokio::test]
async fn document_literal_wrapped_with_header() {
    let (addr, log) = server(warehouse_reply).await;
    let client = WarehouseSoapClient::new(format!("http://{addr}/warehouse"));
    let items = client
        .get_stock(session(), "A-1".into(), None)
        .await
        .expect("getStock succeeds");

    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.action, "\"urn:example:warehouse/getStock\"");
    assert!(
        seen.content_type.starts_with("text/xml"),
        "{}",
        seen.content_type
    );
    insta::assert_snapshot!(
        "warehouse_get_stock_request",
        workspace_tests::pretty_xml(&seen.body)
    );

    // Absent, nil and present entries stay distinct; unknown enum values and unknown
    // elements do not fail the response.
    assert_eq!(items.len(), 3);
    let Nillable::Value(first) = &items[0] else {
        panic!("first item is nil")
    };
    assert_eq!(first.quantity, 7);
    assert_eq!(first.price.as_ref().map(|p| p.as_str()), Some("1499.90"));
    assert_eq!(first.kind, Some(StockKind::Regular));
    assert_eq!(
        first.updated.as_ref().map(|d| d.as_str()),
        Some("2026-11-20T10:15:00+03:00")
    );
    assert!(items[1].is_nil());
    let Nillable::Value(third) = &items[2] else {
        panic!("third item is nil")
    };
    assert_eq!(third.kind, Some(StockKind::Unknown("clearance".into())));
    assert_eq!(third.price, None);
}

#[tokio::test]
async fn declared_fault_is_decoded_into_the_typed_error() {
    let (addr, _log) = server(warehouse_reply).await;
    let client = WarehouseSoapClient::new(format!("http://{addr}/warehouse"));
    let err = client
        .reserve(session(), "A-1".into(), 5)
        .await
        .expect_err("reserve fails");
    let Error::Fault(fault) = &err else {
        panic!("expected a fault, got {err:?}")
    };
    assert_eq!(fault.kind(), FaultCodeKind::Receiver);
    assert_eq!(fault.reason(), "Not enough stock");
    assert_eq!(fault.actor.as_deref(), Some("urn:warehouse"));
    let Some(WarehouseSoapFault::ReservationFault(detail)) = fault.detail.typed() else {
        panic!("detail not typed: {:?}", fault.detail)
    };
    assert_eq!(detail.code, "NO_STOCK");
    assert_eq!(detail.available, Some(3));
}

fn soap12_reply(_request: &str) -> (StatusCode, &'static str, String) {
    let body = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
        <env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value xmlns:w="urn:example:warehouse">w:Limit</env:Value></env:Subcode></env:Code>
        <env:Reason><env:Text xml:lang="en">Too many units</env:Text></env:Reason>
        <env:Detail><w:ReservationFault xmlns:w="urn:example:warehouse"><code>LIMIT</code></w:ReservationFault></env:Detail>
        </env:Fault></env:Body></env:Envelope>"#;
    (
        StatusCode::BAD_REQUEST,
        "application/soap+xml; charset=utf-8",
        body.to_owned(),
    )
}

#[tokio::test]
async fn soap12_port_sends_action_in_content_type_and_decodes_faults() {
    let (addr, log) = server(soap12_reply).await;
    let client = WarehouseSoap12Client::new(format!("http://{addr}/warehouse12"));
    let err = client
        .reserve(session(), "A-1".into(), 500)
        .await
        .expect_err("reserve fails");
    let seen = log.lock().unwrap()[0].clone();
    assert!(
        seen.content_type.starts_with("application/soap+xml"),
        "{}",
        seen.content_type
    );
    assert!(
        seen.content_type
            .contains("action=\"urn:example:warehouse/reserve\""),
        "{}",
        seen.content_type
    );
    insta::assert_snapshot!(
        "warehouse12_reserve_request",
        workspace_tests::pretty_xml(&seen.body)
    );

    let Error::Fault(fault) = err else {
        panic!("expected a fault")
    };
    assert_eq!(fault.kind(), FaultCodeKind::Sender);
    assert_eq!(fault.reason(), "Too many units");
    assert_eq!(fault.subcodes.len(), 1);
    assert!(
        matches!(fault.detail.typed(), Some(workspace_tests::warehouse_service::WarehouseSoap12Fault::ReservationFault(d)) if d.code == "LIMIT")
    );
}

fn calculator_reply(request: &str) -> (StatusCode, &'static str, String) {
    let body = if request.contains(":add") || request.contains("<add") {
        r#"<c:addResponse xmlns:c="urn:example:calculator"><sum>5</sum></c:addResponse>"#
    } else if request.contains("divide") {
        r#"<c:divideResponse xmlns:c="urn:example:calculator"><quotient>3</quotient><remainder>1</remainder></c:divideResponse>"#
    } else {
        ""
    };
    (StatusCode::OK, "text/xml; charset=utf-8", envelope11(body))
}

#[tokio::test]
async fn rpc_literal_operations() {
    let (addr, log) = server(calculator_reply).await;
    let client = CalculatorClient::new(format!("http://{addr}/calculator"));
    assert_eq!(client.add(2, 3).await.unwrap(), 5);
    let operands = workspace_tests::calculator_service_calculator::Operands { a: 10, b: 3 };
    assert_eq!(client.divide(operands).await.unwrap(), (3, 1));
    client.log("audit".into()).await.unwrap();

    let log = log.lock().unwrap().clone();
    assert_eq!(log[0].action, "\"urn:example:calculator#add\"");
    insta::assert_snapshot!(
        "calculator_add_request",
        workspace_tests::pretty_xml(&log[0].body)
    );
    insta::assert_snapshot!(
        "calculator_divide_request",
        workspace_tests::pretty_xml(&log[1].body)
    );
    insta::assert_snapshot!(
        "calculator_log_request",
        workspace_tests::pretty_xml(&log[2].body)
    );
}

#[tokio::test]
async fn malformed_response_is_a_typed_error_keeping_the_body() {
    fn reply(_: &str) -> (StatusCode, &'static str, String) {
        (
            StatusCode::OK,
            "text/xml",
            envelope11(
                "<c:addResponse xmlns:c=\"urn:example:calculator\"><sum>five</sum></c:addResponse>",
            ),
        )
    }
    let (addr, _log) = server(reply).await;
    let client = CalculatorClient::new(format!("http://{addr}/calculator"));
    let err = client.add(2, 3).await.expect_err("decode fails");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(String::from_utf8_lossy(err.body().unwrap()).contains("five"));
}

#[tokio::test]
async fn two_versions_of_one_service_live_side_by_side() {
    // calculator.wsdl and calculator-v2/calculator.wsdl declare the same service in two
    // namespaces; each gets its own module, named after its namespace.
    fn reply(request: &str) -> (StatusCode, &'static str, String) {
        assert!(request.contains("urn:example:calculator:v2"), "{request}");
        (
            StatusCode::OK,
            "text/xml",
            envelope11(
                r#"<c:addResponse xmlns:c="urn:example:calculator:v2"><sum>9</sum></c:addResponse>"#,
            ),
        )
    }
    let (addr, _log) = server(reply).await;
    let v2 =
        workspace_tests::calculator_service_v2::CalculatorClient::new(format!("http://{addr}/v2"));
    assert_eq!(v2.add(4, 5).await.unwrap(), 9);
}

//! Fault injection switches, observed through the real `DpdClient` over HTTP: each switch gives
//! its typed error, and calls succeed again once the counts are used up.
use std::time::Duration;

use dpd_client::{DpdClient, DpdError, DpdErrorCode, Environment, ErrorChannel};
use sandbox::{Config, Sandbox};

use crate::dpd_common::cost_request;
use soap_runtime::error::Error as SoapError;

async fn start() -> (String, sandbox::Handle) {
    let (addr, handle) = Sandbox::start(Config::default())
        .await
        .expect("bind 127.0.0.1:0");
    (format!("http://{addr}"), handle)
}

fn client(base: &str, timeout: Duration) -> DpdClient {
    let c = Config::default();
    DpdClient::builder(
        c.client_number,
        c.client_key,
        Environment::Custom(base.to_owned()),
    )
    .timeout(timeout)
    .build()
}

/// The runtime error inside a `DpdError::Soap`.
fn soap(err: DpdError) -> SoapError<dpd_client::DpdFault> {
    match err {
        DpdError::Soap(e) => *e,
        other => panic!("expected a runtime error, got {other:?}"),
    }
}

fn assert_too_many_calls(err: DpdError) {
    match err {
        DpdError::Service {
            code,
            message,
            channel,
            ..
        } => {
            assert_eq!(code, DpdErrorCode::TooManyCalls);
            assert_eq!(channel, ErrorChannel::Fault);
            assert_eq!(message, "Превышен лимит одновременных вызовов сервиса");
        }
        other => panic!("expected too-many-calls, got {other:?}"),
    }
}

#[tokio::test]
async fn http_status_then_recovery() {
    let (base, handle) = start().await;
    let dpd = client(&base, Duration::from_secs(10));
    dpd.cities_cash_pay(Some("RU")).await.expect("baseline");

    handle.faults().fail_next(2, 503);
    for _ in 0..2 {
        match soap(dpd.cities_cash_pay(Some("RU")).await.unwrap_err()) {
            SoapError::Http { status, body } => {
                assert_eq!(status, 503);
                assert!(body.contains("injected"), "{body}");
            }
            other => panic!("expected Http 503, got {other:?}"),
        }
    }
    assert!(!dpd.cities_cash_pay(Some("RU")).await.unwrap().is_empty());
    assert_eq!(handle.faults().pending(), (0, 0, 0));
    handle.stop();
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let (base, handle) = start().await;
    let dpd = client(&base, Duration::from_secs(10));

    handle.faults().drop_next(1);
    let err = soap(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(matches!(err, SoapError::Transport(_)), "{err:?}");
    assert!(err.is_retryable(), "{err:?}");
    assert!(!dpd.cities_cash_pay(Some("RU")).await.unwrap().is_empty());
    handle.stop();
}

#[tokio::test]
async fn latency_beyond_the_client_timeout() {
    let (base, handle) = start().await;
    let dpd = client(&base, Duration::from_millis(300));

    handle.faults().set_latency(Duration::from_millis(1500));
    let err = soap(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(matches!(err, SoapError::Timeout), "{err:?}");

    // Latency below the timeout only slows the call down.
    handle.faults().set_latency(Duration::from_millis(50));
    let started = std::time::Instant::now();
    // A generous deadline here: the machine may be loaded.
    client(&base, Duration::from_secs(10))
        .cities_cash_pay(Some("RU"))
        .await
        .expect("slow but in time");
    assert!(started.elapsed() >= Duration::from_millis(50));

    handle.faults().clear();
    assert_eq!(handle.faults().latency(), Duration::ZERO);
    dpd.cities_cash_pay(Some("RU")).await.expect("after clear");
    handle.stop();
}

#[tokio::test]
async fn too_many_calls_is_dpds_fault_per_service() {
    let (base, handle) = start().await;
    let dpd = client(&base, Duration::from_secs(10));

    // geography2: WSFault.
    handle.faults().too_many_calls_next(1);
    assert_too_many_calls(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(!dpd.cities_cash_pay(Some("RU")).await.unwrap().is_empty());

    // calculator2, a «2» operation: ServiceCostFault2; the v1 operation: ServiceCostFault.
    handle.faults().too_many_calls_next(2);
    let err = dpd
        .service_cost(cost_request("Москва", "Казань"))
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_too_many_calls(err);
    assert_too_many_calls(
        dpd.service_cost_v1(cost_request("Москва", "Казань"))
            .await
            .unwrap_err(),
    );
    assert!(!dpd
        .service_cost(cost_request("Москва", "Казань"))
        .await
        .unwrap()
        .is_empty());

    // Several switches: a drop fires before an HTTP error, which fires before too-many-calls.
    handle.faults().too_many_calls_next(1);
    handle.faults().fail_next(1, 502);
    handle.faults().drop_next(1);
    let first = soap(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(matches!(first, SoapError::Transport(_)), "{first:?}");
    let second = soap(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(
        matches!(second, SoapError::Http { status: 502, .. }),
        "{second:?}"
    );
    assert_too_many_calls(dpd.cities_cash_pay(Some("RU")).await.unwrap_err());
    assert!(!dpd.cities_cash_pay(Some("RU")).await.unwrap().is_empty());
    handle.stop();
}

#[tokio::test]
async fn dropped_connection_sends_no_complete_response() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (base, handle) = start().await;
    handle.faults().drop_next(1);
    let addr = base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = "<x/>";
    let request = format!(
        "POST /services/geography2 HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    // The server closes the connection (EOF or reset) instead of answering.
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut received))
        .await
        .expect("connection closed");
    // Not even a status line: the body fails before hyper flushes the head.
    let text = String::from_utf8_lossy(&received);
    assert!(!text.contains("HTTP/1.1"), "{text:?}");
    handle.stop();
}

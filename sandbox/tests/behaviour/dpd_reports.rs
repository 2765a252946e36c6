//! nl (§6.6 call limits, report rows) and inquiry-desk through the real client and, for the
//! server's own 30-minute rule, the generated client (DpdClient refuses locally first).

use crate::dpd_common::*;
use dpd_client::generated::dpd_reports_service as nl;
use dpd_client::{DpdError, DpdErrorCode};
use sandbox::Config;

fn nl_request(from: soap_runtime::types::Date, to: soap_runtime::types::Date) -> nl::NlRequest {
    let c = Config::default();
    nl::NlRequest {
        auth: nl::Auth {
            client_number: c.client_number,
            client_key: c.client_key,
        },
        date_from: from,
        date_to: to,
    }
}

fn fault_code(err: &soap_runtime::error::Error<nl::DpdReportsFault>) -> Option<String> {
    match err.fault().and_then(|f| f.detail.typed()) {
        Some(nl::DpdReportsFault::WsFault(f)) => f.code.clone(),
        _ => None,
    }
}

#[tokio::test]
async fn a_report_method_runs_at_most_once_per_30_simulated_minutes() {
    let (dpd, handle, base) = start().await;
    let num = create_ok(&dpd, kazan("R-1", 1)).await;
    let reports = nl::DpdReportsClient::new(format!("{base}/services/nl"));

    // Not picked up yet: no rows.
    let rows = reports
        .get_nl_amount(nl_request(day1(), day1()))
        .await
        .expect("first");
    assert!(rows.is_empty());
    let err = reports
        .get_nl_amount(nl_request(day1(), day1()))
        .await
        .expect_err("too soon");
    assert_eq!(fault_code(&err).as_deref(), Some("too-many-calls"));
    // The other method has its own window.
    reports
        .get_nl_invoice(nl_request(day1(), day1()))
        .await
        .expect("invoice is separate");

    handle.advance_minutes(29);
    let err = reports
        .get_nl_amount(nl_request(day1(), day1()))
        .await
        .expect_err("29 minutes");
    assert_eq!(fault_code(&err).as_deref(), Some("too-many-calls"));
    handle.advance_minutes(1);
    // 09:30: picked up at 10:00 only.
    assert!(reports
        .get_nl_amount(nl_request(day1(), day1()))
        .await
        .expect("30 minutes")
        .is_empty());

    handle.advance_minutes(60);
    let rows = reports
        .get_nl_amount(nl_request(day1(), day1()))
        .await
        .expect("picked up");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].ordernum.as_deref(), Some(num.as_str()));
    let amount = rows[0].amount.expect("amount");
    assert!(amount > 250.0, "{amount}");

    // Delivered: the invoice row, same amount, monthly invoice number.
    run_to_end(&handle, 50);
    let rows = reports
        .get_nl_invoice(nl_request(day1(), date(2026, 12, 31)))
        .await
        .expect("invoice");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].amount, Some(amount));
    assert_eq!(rows[0].invoicenum.as_deref(), Some("202612/1000000000"));
    // Outside the period: nothing.
    handle.advance_minutes(30);
    let rows = reports
        .get_nl_invoice(nl_request(date(2026, 12, 2), date(2026, 12, 31)))
        .await
        .expect("other period");
    assert!(rows.is_empty());
    handle.advance_minutes(30);
    let err = reports
        .get_nl_invoice(nl_request(date(2026, 12, 2), day1()))
        .await
        .expect_err("reversed");
    assert_eq!(fault_code(&err).as_deref(), Some("error-value"));

    // Through DpdClient: the first call is accepted by the sandbox.
    handle.advance_minutes(30);
    let rows = dpd.nl_amount(day1(), day1()).await.expect("client");
    assert_eq!(rows.len(), 1);
    handle.stop();
}

#[tokio::test]
async fn a_second_call_while_the_first_runs_is_refused() {
    let config = Config {
        report_latency_ms: 400,
        ..Config::default()
    };
    let (_, handle, base) = start_with(config).await;
    let reports = nl::DpdReportsClient::new(format!("{base}/services/nl"));
    let slow = reports.get_nl_amount(nl_request(day1(), day1()));
    let eager = async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        reports.get_nl_amount(nl_request(day1(), day1())).await
    };
    let (first, second) = tokio::join!(slow, eager);
    first.expect("the first call");
    let err = second.expect_err("concurrent");
    assert_eq!(fault_code(&err).as_deref(), Some("call-client-twin"));
    handle.stop();
}

#[tokio::test]
async fn client_number_by_inn() {
    let (dpd, handle, _) = start().await;
    assert_eq!(
        dpd.client_num_by_inn("7701234567").await.expect("known"),
        1_000_000_101
    );
    let err = dpd
        .client_num_by_inn("7799999999")
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    let err = dpd
        .client_num_by_inn("7705555555")
        .await
        .expect_err("two numbers");
    assert_eq!(code(err), DpdErrorCode::TooManyRows);
    let err = dpd
        .client_num_by_inn("7700000000")
        .await
        .expect_err("no setting");
    assert_eq!(code(err), DpdErrorCode::NoSetting);
    let err = dpd.client_num_by_inn("").await.expect_err("empty");
    assert_eq!(code(err), DpdErrorCode::RequiredValue);

    let (addr, other) = sandbox::Sandbox::start(Config::default())
        .await
        .expect("bind");
    let wrong = dpd_client::DpdClient::new(
        1_000_000_000,
        "WRONG",
        dpd_client::Environment::Custom(format!("http://{addr}")),
    );
    match wrong.client_num_by_inn("7701234567").await {
        Err(DpdError::Service { code, .. }) => assert_eq!(code, DpdErrorCode::AuthError),
        other => panic!("{other:?}"),
    }
    other.stop();
    handle.stop();
}

//! Fault injection for tests: latency, HTTP errors, dropped connections, DPD's `too-many-calls`.
//!
//! Every request passes [`FaultSwitches`] (via [`Handle::faults`](crate::Handle::faults)) before
//! reaching a service. Switches are counts, not probabilities, so tests are deterministic:
//!
//! 1. the added latency (if any) is slept first, on every request;
//! 2. then at most one armed count fires, in this order: [`drop_next`](FaultSwitches::drop_next),
//!    [`fail_next`](FaultSwitches::fail_next), [`too_many_calls_next`](FaultSwitches::too_many_calls_next)
//!    (the last only on DPD's service paths; other requests leave it armed);
//! 3. otherwise the request goes to the service.

use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use soap_runtime::envelope::SoapVersion;
use soap_runtime::server::{fault_response, FaultDetailWrite, ServerFault};

use crate::generated as g;
use crate::State;

/// DPD's text for `too-many-calls` (guide §V.1).
const TOO_MANY_CALLS: &str = "Превышен лимит одновременных вызовов сервиса";

/// Largest request body read when the calculator's fault shape depends on the operation.
const MAX_SNIFF: usize = 16 * 1024 * 1024;

/// Switches read on every request; all off by default. Shared and thread-safe: flip them from a
/// test while the sandbox serves.
#[derive(Debug, Default)]
pub struct FaultSwitches {
    latency_nanos: AtomicU64,
    fail: AtomicU32,
    fail_status: AtomicU16,
    drop: AtomicU32,
    too_many_calls: AtomicU32,
}

/// Takes one from `counter` if it is positive.
fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

impl FaultSwitches {
    /// Delays every request by `latency` before it is answered (zero: no delay).
    pub fn set_latency(&self, latency: Duration) {
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.latency_nanos.store(nanos, Ordering::SeqCst);
    }

    /// The current added latency.
    pub fn latency(&self) -> Duration {
        Duration::from_nanos(self.latency_nanos.load(Ordering::SeqCst))
    }

    /// Answers the next `n` requests with HTTP `status` (e.g. 503) and a plain-text body, no SOAP
    /// envelope. A `status` that is not a valid HTTP status code gives 503.
    pub fn fail_next(&self, n: u32, status: u16) {
        self.fail_status.store(status, Ordering::SeqCst);
        self.fail.store(n, Ordering::SeqCst);
    }

    /// Drops the connection of the next `n` requests without a complete HTTP response: the
    /// response body fails at once, so the server aborts the connection and the client sees a
    /// transport error.
    pub fn drop_next(&self, n: u32) {
        self.drop.store(n, Ordering::SeqCst);
    }

    /// Answers the next `n` DPD requests with DPD's `too-many-calls` SOAP fault, with the
    /// detail element of the service called (`WSFault` in the service's namespace; the
    /// calculator's `ServiceCostFault2` for the «2» operations, `ServiceCostFault` otherwise).
    pub fn too_many_calls_next(&self, n: u32) {
        self.too_many_calls.store(n, Ordering::SeqCst);
    }

    /// How many injected faults are still armed: `(drop, fail, too_many_calls)`.
    pub fn pending(&self) -> (u32, u32, u32) {
        (
            self.drop.load(Ordering::SeqCst),
            self.fail.load(Ordering::SeqCst),
            self.too_many_calls.load(Ordering::SeqCst),
        )
    }

    /// Turns every switch off.
    pub fn clear(&self) {
        self.latency_nanos.store(0, Ordering::SeqCst);
        self.fail.store(0, Ordering::SeqCst);
        self.fail_status.store(0, Ordering::SeqCst);
        self.drop.store(0, Ordering::SeqCst);
        self.too_many_calls.store(0, Ordering::SeqCst);
    }
}

/// Wraps `router` so every request first passes the switches in `state.faults`.
pub(crate) fn apply(router: axum::Router, state: Arc<State>) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(state, inject))
}

async fn inject(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    request: Request,
    next: Next,
) -> Response {
    let switches = &state.faults;
    let latency = switches.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if take(&switches.drop) {
        return dropped();
    }
    if take(&switches.fail) {
        let status = StatusCode::from_u16(switches.fail_status.load(Ordering::SeqCst))
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{status} (injected by the sandbox)"),
        )
            .into_response();
    }
    let service = DpdService::from_path(request.uri().path());
    if let Some(service) = service {
        if take(&switches.too_many_calls) {
            return too_many_calls(service, request).await;
        }
    }
    next.run(request).await
}

/// A response whose body errors before any byte: hyper aborts the connection.
fn dropped() -> Response {
    let body = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by the sandbox's fault injection",
        ))
    });
    Response::new(Body::from_stream(body))
}

/// DPD's services by URL path (guide part IV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DpdService {
    Geography,
    Calculator,
    Order,
    Tracing,
    Tracing11,
    Reports,
    LabelPrint,
    InquiryDesk,
}

impl DpdService {
    fn from_path(path: &str) -> Option<Self> {
        use dpd_client::paths as p;
        Some(match path.trim_end_matches('/') {
            p::GEOGRAPHY => Self::Geography,
            p::CALCULATOR => Self::Calculator,
            p::ORDER => Self::Order,
            p::TRACING => Self::Tracing,
            p::TRACING11 => Self::Tracing11,
            p::REPORTS => Self::Reports,
            p::LABEL_PRINT => Self::LabelPrint,
            p::INQUIRY_DESK => Self::InquiryDesk,
            _ => return None,
        })
    }
}

/// The SOAP 1.1 fault response for `fault`.
fn soap_fault<D: FaultDetailWrite>(fault: ServerFault<D>) -> Response {
    let r = fault_response(SoapVersion::V11, &fault);
    (
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, r.content_type)],
        r.body,
    )
        .into_response()
}

/// `too-many-calls` shaped like the sandbox's other faults of `service` (`crate::fault`: the
/// message is the `faultstring`, the detail carries code and message).
async fn too_many_calls(service: DpdService, request: Request) -> Response {
    let code = Some("too-many-calls".to_owned());
    let message = Some(TOO_MANY_CALLS.to_owned());
    macro_rules! ws {
        ($m:ident, $fault:ident) => {
            soap_fault(crate::fault(
                g::$m::$fault::WsFault(g::$m::WsFault { code, message }),
                TOO_MANY_CALLS,
            ))
        };
    }
    match service {
        DpdService::Geography => ws!(dpd_geography2_service, DpdGeography2Fault),
        DpdService::Order => ws!(dpd_order_service, DpdOrderFault),
        DpdService::Tracing => ws!(parcel_tracing_service, ParcelTracingFault),
        DpdService::Tracing11 => ws!(parcel_tracing11_service, ParcelTracing11Fault),
        DpdService::Reports => ws!(dpd_reports_service, DpdReportsFault),
        DpdService::LabelPrint => ws!(dpd_label_print_service, DpdLabelPrintFault),
        DpdService::InquiryDesk => ws!(dpd_inquiry_desk_service, DpdInquiryDeskFault),
        DpdService::Calculator => {
            use g::dpd_calculator_service as c;
            // The «2» operations declare ServiceCostFault2, the others ServiceCostFault.
            let body = axum::body::to_bytes(request.into_body(), MAX_SNIFF)
                .await
                .unwrap_or_default();
            let detail = if is_v2_calculator_call(&body) {
                c::DpdCalculatorFault::ServiceCostFault2(c::ServiceCostFault2 {
                    code,
                    message,
                    ..Default::default()
                })
            } else {
                c::DpdCalculatorFault::ServiceCostFault(c::ServiceCostFault {
                    code,
                    message,
                    ..Default::default()
                })
            };
            soap_fault(crate::fault(detail, TOO_MANY_CALLS))
        }
    }
}

/// Whether a calculator request envelope calls `getServiceCost2`/`getServiceCostByParcels2`.
fn is_v2_calculator_call(body: &[u8]) -> bool {
    // An element name is followed by whitespace, `>` or `/`: this tells `getServiceCost2`
    // from a longer name with the same prefix.
    [&b"getServiceCost2"[..], &b"getServiceCostByParcels2"[..]]
        .iter()
        .any(|name| {
            body.windows(name.len() + 1).any(|w| {
                w.starts_with(name)
                    && matches!(w.last(), Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_taken_one_by_one() {
        let s = FaultSwitches::default();
        s.drop_next(2);
        s.fail_next(1, 503);
        assert_eq!(s.pending(), (2, 1, 0));
        assert!(take(&s.drop) && take(&s.drop) && !take(&s.drop));
        s.set_latency(Duration::from_millis(5));
        s.too_many_calls_next(3);
        s.clear();
        assert_eq!(s.pending(), (0, 0, 0));
        assert_eq!(s.latency(), Duration::ZERO);
    }

    #[test]
    fn calculator_operation_detection() {
        assert!(is_v2_calculator_call(
            b"<ns:getServiceCost2 xmlns:ns=\"x\">"
        ));
        assert!(is_v2_calculator_call(b"<getServiceCostByParcels2>"));
        assert!(!is_v2_calculator_call(
            b"<ns:getServiceCost xmlns:ns=\"x\">"
        ));
        assert!(!is_v2_calculator_call(b"<ns:getServiceCostInternational>"));
        assert_eq!(
            DpdService::from_path("/services/tracing1-1"),
            Some(DpdService::Tracing11)
        );
        assert_eq!(DpdService::from_path("/cdek/orders"), None);
    }
}

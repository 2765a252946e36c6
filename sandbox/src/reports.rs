//! nl «Отчеты» (guide §IV.6): getNLAmount — preliminary cost of every picked-up order whose
//! pickup date is within `dateFrom..=dateTo`; getNLInvoice — final cost of the delivered ones,
//! with the monthly invoice number `<YYYYMM>/<clientNumber>` of the delivery month.
//!
//! Call limits (§6.6), per method: while a call runs another one is refused with
//! `call-client-twin`; an accepted call starts a 30-minute window (simulated clock) in which
//! further calls are refused with `too-many-calls`. The guide only says "an error with a
//! corresponding message"; the codes are the Part V.1 codes of those two situations. A
//! refused call does not restart the window. [`Config::report_latency_ms`](crate::Config)
//! makes a call last long enough to observe the first rule.

use std::sync::Arc;

use chrono::Datelike;
use soap_runtime::server::ServerFault;

use crate::generated::dpd_reports_service as r;
use crate::store::{plus_minutes, ParcelState, ReportGate, Store};
use crate::{State, BAD_VALUE, REQUIRED, SYSTEM};

/// The nl implementation.
pub(crate) struct Reports(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<r::DpdReportsFault>>;

/// Minutes between two calls of one method (§6.6).
pub const REPORT_INTERVAL_MINUTES: i64 = 30;

fn ws_fault((code, message): (&str, &str)) -> ServerFault<r::DpdReportsFault> {
    crate::fault(
        r::DpdReportsFault::WsFault(r::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

#[derive(Clone, Copy)]
enum Method {
    Amount,
    Invoice,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Self::Amount => "getNLAmount",
            Self::Invoice => "getNLInvoice",
        }
    }

    fn gate(self, store: &mut Store) -> &mut ReportGate {
        match self {
            Self::Amount => &mut store.nl_amount,
            Self::Invoice => &mut store.nl_invoice,
        }
    }
}

/// Clears the method's `running` flag when the call ends, however it ends.
struct Running<'a> {
    state: &'a State,
    method: Method,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if let Ok(mut store) = self.state.dpd.lock() {
            self.method.gate(&mut store).running = false;
        }
    }
}

/// One report row: (amount, order number, invoice number).
type Row = (f64, String, String);

impl Reports {
    async fn run(&self, request: Option<r::NlRequest>, method: Method) -> Res<Vec<Row>> {
        let Some(req) = request else {
            return Err(ws_fault(REQUIRED));
        };
        self.0
            .check_auth(req.auth.client_number, &req.auth.client_key)
            .map_err(|(code, msg)| ws_fault((code, &msg)))?;
        let (from, to) = (req.date_from.to_naive_date(), req.date_to.to_naive_date());
        if from > to {
            return Err(ws_fault((
                BAD_VALUE.0,
                &format!("{}: dateFrom > dateTo", BAD_VALUE.1),
            )));
        }
        let now = self.0.now();
        let rows = {
            let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
            store.refresh(now, &self.0.world);
            let gate = method.gate(&mut store);
            if gate.running {
                let message = format!(
                    "Метод {} уже выполняется: дождитесь завершения предыдущего вызова",
                    method.name()
                );
                return Err(ws_fault(("call-client-twin", &message)));
            }
            if let Some(last) = gate.last_start {
                if now < plus_minutes(last, REPORT_INTERVAL_MINUTES) {
                    let message = format!(
                        "Метод {} нельзя вызывать менее чем через {REPORT_INTERVAL_MINUTES} минут после предыдущего вызова",
                        method.name()
                    );
                    return Err(ws_fault(("too-many-calls", &message)));
                }
            }
            gate.running = true;
            gate.last_start = Some(now);
            let client = self.0.config.client_number;
            store
                .orders
                .iter()
                .filter(|o| o.number.is_some() && (from..=to).contains(&o.date_pickup))
                .filter_map(|o| {
                    let delivered = o
                        .visible(now)
                        .find(|(_, s)| *s == ParcelState::Delivered)
                        .map(|(t, _)| *t);
                    let include = match method {
                        Method::Amount => o.picked_up(now),
                        Method::Invoice => delivered.is_some(),
                    };
                    include.then(|| {
                        let month = delivered.unwrap_or(now);
                        (
                            o.cost,
                            o.number.clone().unwrap_or_default(),
                            format!("{}{:02}/{client}", month.year(), month.month()),
                        )
                    })
                })
                .collect::<Vec<Row>>()
        };
        let _running = Running {
            state: &self.0,
            method,
        };
        let latency = self.0.config.report_latency_ms;
        if latency > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
        }
        Ok(rows)
    }
}

impl r::DpdReportsService for Reports {
    async fn get_nl_amount(&self, request: r::GetNlAmount) -> Res<r::GetNlAmountResponse> {
        let rows = self.run(request.arg0, Method::Amount).await?;
        Ok(r::GetNlAmountResponse {
            r#return: rows
                .into_iter()
                .map(|(amount, ordernum, _)| r::NlAmount {
                    amount: Some(amount),
                    ordernum: Some(ordernum),
                })
                .collect(),
        })
    }

    async fn get_nl_invoice(&self, request: r::GetNlInvoice) -> Res<r::GetNlInvoiceResponse> {
        let rows = self.run(request.arg0, Method::Invoice).await?;
        Ok(r::GetNlInvoiceResponse {
            r#return: rows
                .into_iter()
                .map(|(amount, ordernum, invoicenum)| r::NlInvoice {
                    amount: Some(amount),
                    invoicenum: Some(invoicenum),
                    ordernum: Some(ordernum),
                })
                .collect(),
        })
    }
}

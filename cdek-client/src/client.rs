//! [`CdekClient`]: the generated clients plus authentication, lenient answers and typed errors.

use std::sync::Arc;
use std::time::Duration;

use soap_runtime::error::Error as RtError;
use soap_runtime::http::HttpBindingClient;
use soap_runtime::transport::Transport;

use crate::auth::{Credentials, Environment};
use crate::codes::ErrorCode;
use crate::generated::cdek_integration as g;
use crate::lenient;

/// One error reported by CDEK (`ErrorCode` + `Msg`), with the order it concerns when known.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The error code (open: unknown codes are kept).
    pub code: ErrorCode,
    /// CDEK's message (`Msg`, or `ErrMsg`), often in Russian; may be empty (ERR_AUTH).
    pub message: String,
    /// The shop's order number (`Number`) echoed by CDEK, if any.
    pub number: Option<String>,
    /// The CDEK waybill number (`DispatchNumber`), if any.
    pub dispatch_number: Option<i64>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code.code())?;
        if let Some(n) = &self.number {
            write!(f, " (order {n})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// An error of the print endpoints' JSON body (`{"alerts":[…]}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintAlert {
    /// `type` (e.g. `danger`).
    pub kind: Option<String>,
    /// `msg`.
    pub message: String,
    /// `errorCode`.
    pub code: Option<ErrorCode>,
}

/// Why a CDEK call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CdekError {
    /// CDEK rejected the whole request (document-level errors such as `ERR_AUTH`), whatever
    /// the HTTP status (CDEK sends 200 or 500 with the same body).
    #[error("CDEK rejected the request: {}", join(.0))]
    Api(Vec<ApiError>),
    /// The print endpoints answered with JSON alerts instead of a PDF.
    #[error("CDEK could not print: {}", .0.iter().map(|a| a.message.as_str()).collect::<Vec<_>>().join("; "))]
    Print(Vec<PrintAlert>),
    /// The calculator answered with errors (`{"error":[{code,text}]}`).
    #[error("calculator error: {}", .0.iter().map(|(c, t)| format!("{c}: {t}")).collect::<Vec<_>>().join("; "))]
    Calculator(Vec<(String, String)>),
    /// The 2019+ gateway answered with a JSON error.
    #[error("CDEK gateway error (status {status:?}): {message}")]
    Gateway {
        /// `status` of the JSON body.
        status: Option<i32>,
        /// `message` or `error`.
        message: String,
    },
    /// Transport failure, timeout, or an answer that could not be decoded (the raw body is
    /// kept).
    #[error("{message}")]
    Http {
        /// What went wrong.
        message: String,
        /// HTTP status, when a response arrived.
        status: Option<u16>,
        /// The raw body, when a response arrived.
        body: Option<Vec<u8>>,
    },
}

fn join(errors: &[ApiError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl CdekError {
    /// The raw response body, when one was received and could not be used.
    #[must_use]
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Self::Http { body, .. } => body.as_deref(),
            _ => None,
        }
    }
}

fn http_error<D>(e: RtError<D>) -> CdekError {
    CdekError::Http {
        message: e.to_string(),
        status: e.status(),
        body: e.body().map(<[u8]>::to_vec),
    }
}

fn from_integration(e: RtError<g::IntegrationFault>) -> CdekError {
    match e {
        RtError::BindingFault { detail, .. } => match *detail {
            g::IntegrationFault::Response(r) => {
                let outcome = Outcome::from_response(r);
                let mut all = outcome.document_errors;
                all.extend(outcome.orders.into_iter().filter_map(Result::err));
                CdekError::Api(all)
            }
            g::IntegrationFault::JsonAlerts(a) => CdekError::Print(
                a.alerts
                    .into_iter()
                    .map(|a| PrintAlert {
                        kind: a.r#type,
                        message: a.msg.unwrap_or_default(),
                        code: a.error_code.as_deref().map(ErrorCode::parse),
                    })
                    .collect(),
            ),
        },
        other => http_error(other),
    }
}

fn from_references(e: RtError<g::ReferencesFault>) -> CdekError {
    match e {
        RtError::BindingFault { detail, .. } => match *detail {
            g::ReferencesFault::JsonGatewayError(j) => CdekError::Gateway {
                status: j.status,
                message: j.message.or(j.error).unwrap_or_default(),
            },
        },
        other => http_error(other),
    }
}

/// An error from the common `ErrorCode`/`Msg`/`ErrMsg` attributes, if `ErrorCode` is set.
fn api_error(
    code: Option<&str>,
    msg: Option<&str>,
    err_msg: Option<&str>,
    number: Option<&str>,
    dispatch: Option<&str>,
) -> Option<ApiError> {
    let code = lenient::text(code)?;
    Some(ApiError {
        code: ErrorCode::parse(code),
        message: lenient::text(msg)
            .or(lenient::text(err_msg))
            .unwrap_or_default()
            .to_owned(),
        number: lenient::text(number).map(str::to_owned),
        dispatch_number: lenient::int(dispatch),
    })
}

/// A successfully handled order in a `response` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderResult {
    /// The shop's order number (`Number`).
    pub number: Option<String>,
    /// CDEK's waybill number (`DispatchNumber`).
    pub dispatch_number: Option<i64>,
    /// CDEK's message for this order, if any.
    pub message: Option<String>,
}

/// The answer of the order operations (new, update, delete, schedule, pre-alert): one entry
/// per order — a success or that order's error — never hiding either.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Per-order results in document order.
    pub orders: Vec<Result<OrderResult, ApiError>>,
    /// Document-level errors (on `DeliveryRequest`, `DeleteRequest`, …) that came together
    /// with per-order lines.
    pub document_errors: Vec<ApiError>,
    /// Informational messages (`Добавлено заказов 2`, courier-call confirmations).
    pub messages: Vec<String>,
    /// The gateway's `TraceId`, if sent.
    pub trace_id: Option<String>,
}

impl Outcome {
    fn from_response(r: g::Response) -> Self {
        let mut out = Self::default();
        let doc_line = |out: &mut Self, m: &g::ResponseMessage| match api_error(
            m.error_code.as_deref(),
            m.msg.as_deref(),
            m.err_msg.as_deref(),
            m.number.as_deref(),
            None,
        ) {
            Some(e) => out.document_errors.push(e),
            None => out
                .messages
                .extend(lenient::text(m.msg.as_deref()).map(str::to_owned)),
        };
        for c in r.choice {
            match c {
                g::ResponseChoice::Order(o) => out.order_line(&o),
                g::ResponseChoice::DeleteRequest(d) => {
                    if let Some(e) = api_error(
                        d.error_code.as_deref(),
                        d.msg.as_deref(),
                        d.err_msg.as_deref(),
                        d.number.as_deref(),
                        None,
                    ) {
                        out.document_errors.push(e);
                    }
                    for o in &d.order {
                        out.order_line(o);
                    }
                }
                g::ResponseChoice::Call(c) => {
                    out.messages
                        .extend(lenient::text(c.msg.as_deref()).map(str::to_owned));
                }
                g::ResponseChoice::TraceId(t) => out.trace_id = Some(t),
                g::ResponseChoice::DeliveryRequest(m)
                | g::ResponseChoice::UpdateRequest(m)
                | g::ResponseChoice::CallCourier(m)
                | g::ResponseChoice::ScheduleRequest(m)
                | g::ResponseChoice::OrdersPrint(m)
                | g::ResponseChoice::OrdersPackagesPrint(m)
                | g::ResponseChoice::PreAlert(m)
                | g::ResponseChoice::InfoRequest(m) => doc_line(&mut out, &m),
            }
        }
        out
    }

    fn order_line(&mut self, o: &g::ResponseOrder) {
        if let Some(e) = api_error(
            o.error_code.as_deref(),
            o.msg.as_deref(),
            o.err_msg.as_deref(),
            o.number.as_deref(),
            o.dispatch_number.as_deref(),
        ) {
            self.orders.push(Err(e));
            return;
        }
        let number = lenient::text(o.number.as_deref()).map(str::to_owned);
        let dispatch_number = lenient::int(o.dispatch_number.as_deref());
        let message = lenient::text(o.msg.as_deref()).map(str::to_owned);
        if number.is_none() && dispatch_number.is_none() {
            // A summary line such as `<Order Msg="Добавлено заказов 2"/>`.
            self.messages.extend(message);
        } else {
            self.orders.push(Ok(OrderResult {
                number,
                dispatch_number,
                message,
            }));
        }
    }

    /// Document-level errors without any order line become [`CdekError::Api`].
    fn into_result(self) -> Result<Self, CdekError> {
        if self.orders.is_empty() && !self.document_errors.is_empty() {
            Err(CdekError::Api(self.document_errors))
        } else {
            Ok(self)
        }
    }
}

type DateSource = Arc<dyn Fn() -> String + Send + Sync>;

/// A CDEK client: credentials, environment and the generated per-port clients.
///
/// Every authorised request gets `Date` (now, or a fixed date for tests) and
/// `Secure = md5(Date + "&" + password)`; the password itself is never sent or logged.
#[derive(Clone)]
pub struct CdekClient {
    credentials: Credentials,
    environment: Environment,
    integration: g::IntegrationClient,
    references: g::ReferencesClient,
    calculator: g::CalculatorClient,
    date: DateSource,
}

impl std::fmt::Debug for CdekClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CdekClient")
            .field("credentials", &self.credentials)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl CdekClient {
    /// A client for `environment` over the default HTTP transport.
    pub fn new(credentials: Credentials, environment: Environment) -> Self {
        let t: Arc<dyn Transport> = Arc::new(soap_runtime::transport::ReqwestTransport::new());
        Self::with_transport(credentials, environment, t)
    }

    /// A client over `transport`.
    pub fn with_transport(
        credentials: Credentials,
        environment: Environment,
        transport: Arc<dyn Transport>,
    ) -> Self {
        let http = |url: &str| HttpBindingClient::with_transport_arc(url, transport.clone());
        Self {
            integration: g::IntegrationClient::from_http_client(http(
                environment.integration_url(),
            )),
            references: g::ReferencesClient::from_http_client(http(environment.integration_url())),
            calculator: g::CalculatorClient::from_http_client(http(environment.calculator_url())),
            credentials,
            environment,
            date: Arc::new(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string()),
        }
    }

    /// Uses `date` as the document date of every request (reproducible requests in tests).
    #[must_use]
    pub fn with_fixed_date(mut self, date: impl Into<String>) -> Self {
        let date = date.into();
        self.date = Arc::new(move || date.clone());
        self
    }

    /// Sets the deadline of every request.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.integration = g::IntegrationClient::from_http_client(
            self.integration.http_client().clone().with_timeout(timeout),
        );
        self.references = g::ReferencesClient::from_http_client(
            self.references.http_client().clone().with_timeout(timeout),
        );
        self.calculator = g::CalculatorClient::from_http_client(
            self.calculator.http_client().clone().with_timeout(timeout),
        );
        self
    }

    /// The environment.
    #[must_use]
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The generated integration client (for operations this layer does not wrap).
    #[must_use]
    pub fn integration(&self) -> &g::IntegrationClient {
        &self.integration
    }

    /// The generated references client.
    #[must_use]
    pub fn references(&self) -> &g::ReferencesClient {
        &self.references
    }

    /// `(Date, Account, Secure)` for a new request.
    #[must_use]
    pub fn auth(&self) -> (String, String, String) {
        let date = (self.date)();
        let secure = self.credentials.secure(&date);
        (date, self.credentials.account().to_owned(), secure)
    }

    /// Creates e-shop orders (`new_orders.php`). Weights in the request are in **grams**.
    /// `Date`, `Account`, `Secure` and `OrderCount` are filled in.
    ///
    /// # Errors
    /// [`CdekError::Api`] when CDEK rejects the whole document (e.g. `ERR_AUTH`); per-order
    /// errors are in the [`Outcome`].
    pub async fn new_orders(&self, mut request: g::DeliveryRequest) -> Result<Outcome, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = i32::try_from(request.order.len()).unwrap_or(i32::MAX);
        let r = self
            .integration
            .new_orders(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Deletes orders in status "Создан" (created) by shop number (`delete_orders.php`).
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors; per-order errors are in the [`Outcome`].
    pub async fn delete_orders(
        &self,
        act_number: &str,
        numbers: &[&str],
    ) -> Result<Outcome, CdekError> {
        let (date, account, secure) = self.auth();
        let request = g::DeleteRequest {
            number: act_number.to_owned(),
            date,
            account,
            secure,
            order_count: i32::try_from(numbers.len()).unwrap_or(i32::MAX),
            order: numbers
                .iter()
                .map(|n| g::DeleteOrder {
                    number: Some((*n).to_owned()),
                    dispatch_number: None,
                })
                .collect(),
        };
        let r = self
            .integration
            .delete_orders(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Order statuses (`status_report_h.php`); `Date`, `Account`, `Secure` are filled in.
    ///
    /// # Errors
    /// [`CdekError::Api`] when the report root carries an error (e.g.
    /// `ERR_ORDERS_NOT_FOUND`).
    pub async fn status_report(
        &self,
        mut request: g::StatusReport,
    ) -> Result<g::StatusReportResponse, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        let r = self
            .integration
            .status_report(&request)
            .await
            .map_err(from_integration)?;
        if let Some(e) = api_error(
            r.error_code.as_deref(),
            r.msg.as_deref(),
            r.err_msg.as_deref(),
            None,
            None,
        ) {
            return Err(CdekError::Api(vec![e]));
        }
        Ok(r)
    }

    /// Order information (`info_report.php`). Weights in the answer are in **kilograms**.
    ///
    /// # Errors
    /// [`CdekError::Api`] when CDEK answers with a `response` error document instead.
    pub async fn info_report(
        &self,
        mut request: g::InfoRequest,
    ) -> Result<g::InfoReport, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        let r = self
            .integration
            .info_report(&request)
            .await
            .map_err(from_integration)?;
        if let Some(e) = api_error(
            r.error_code.as_deref(),
            r.msg.as_deref(),
            r.err_msg.as_deref(),
            None,
            None,
        ) {
            return Err(CdekError::Api(vec![e]));
        }
        Ok(r)
    }

    /// Receipts of orders by waybill number, as one PDF (`orders_print.php`).
    ///
    /// # Errors
    /// [`CdekError::Api`] (XML error document) or [`CdekError::Print`] (JSON alerts).
    pub async fn orders_print(
        &self,
        dispatch_numbers: &[i64],
        copies: Option<i32>,
    ) -> Result<Vec<u8>, CdekError> {
        let (date, account, secure) = self.auth();
        let request = g::OrdersPrint {
            date,
            account,
            secure,
            order_count: i32::try_from(dispatch_numbers.len()).unwrap_or(i32::MAX),
            copy_count: copies,
            order: dispatch_numbers
                .iter()
                .map(|d| g::OrderRef {
                    dispatch_number: Some(*d),
                    number: None,
                    date: None,
                })
                .collect(),
        };
        self.integration
            .orders_print(&request)
            .await
            .map_err(from_integration)
    }

    /// Pickup points (ПВЗ) of a city (`pvzlist/v1/xml`); no authentication. Weight limits
    /// are in **kilograms**.
    ///
    /// # Errors
    /// [`CdekError::Api`] when the list root carries an error (e.g. `ERR_PVZ_NOTFOUND`).
    pub async fn pvz_list(&self, city_code: Option<i32>) -> Result<g::PvzList, CdekError> {
        let r = self
            .references
            .pvz_list(
                city_code, None, None, None, None, None, None, None, None, None, None, None, None,
                None,
            )
            .await
            .map_err(from_references)?;
        if let Some(e) = api_error(
            r.error_code.as_deref(),
            r.msg.as_deref(),
            r.err_msg.as_deref(),
            None,
            None,
        ) {
            return Err(CdekError::Api(vec![e]));
        }
        Ok(r)
    }

    /// Delivery cost (`calculate_price_by_json.php`). Weights are in **kilograms**, sizes in
    /// cm, volume in m³. `version`, `authLogin`, `secure` and `dateExecute` are filled in
    /// (the calculator signs with the date only: `md5(dateExecute + "&" + password)`).
    ///
    /// # Errors
    /// [`CdekError::Calculator`] with CDEK's codes and texts.
    pub async fn calculate_price(
        &self,
        mut request: g::CalculatorRequest,
    ) -> Result<g::CalcResult, CdekError> {
        let (date, account, _) = self.auth();
        let day = date.get(..10).unwrap_or(&date).to_owned();
        request.secure = Some(self.credentials.secure(&day));
        request.date_execute = Some(day);
        request.auth_login = Some(account);
        if request.version.is_empty() {
            request.version = "1.0".to_owned();
        }
        let r = self
            .calculator
            .calculate_price(&request)
            .await
            .map_err(http_error)?;
        if !r.error.is_empty() {
            return Err(CdekError::Calculator(
                r.error.into_iter().map(|e| (e.code, e.text)).collect(),
            ));
        }
        r.result.ok_or_else(|| CdekError::Http {
            message: "calculator answer has neither `result` nor `error`".to_owned(),
            status: None,
            body: None,
        })
    }
}

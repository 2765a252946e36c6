//! [`CdekClient`]: the generated clients plus authentication, lenient answers and typed errors.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use soap_runtime::error::Error as RtError;
use soap_runtime::http::{body_kind, read_json_body, read_xml_body, BodyKind, HttpBindingClient};
use soap_runtime::transport::{HttpResponse, Transport};

use crate::auth::{Credentials, Environment};
use crate::codes::{CalculatorErrorCode, ErrorCode, Tariff};
use crate::generated::cdek_integration as g;
use crate::lenient;
use crate::references::{CityFilter, PvzFilter, RegionFilter};
use crate::reports::{InfoQuery, InfoReport, StatusQuery, StatusReport};

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

/// An error of the calculator (`{"error":[{"code","text"}]}`, or a tariff's `errors` in the
/// tariff-list answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalculatorError {
    /// The code (§6; unknown codes kept).
    pub code: CalculatorErrorCode,
    /// CDEK's text (Russian).
    pub text: String,
}

impl From<g::CalcError> for CalculatorError {
    fn from(e: g::CalcError) -> Self {
        Self {
            code: CalculatorErrorCode::from_code(&e.code),
            text: e.text,
        }
    }
}

/// Why a CDEK call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CdekError {
    /// CDEK rejected the whole request (document-level errors such as `ERR_AUTH`, or only
    /// errors that name no order), whatever the HTTP status (CDEK sends 200 or 500 with the
    /// same body).
    #[error("CDEK rejected the request: {}", join(.0))]
    Api(Vec<ApiError>),
    /// The print endpoints (or the gateway) answered with JSON alerts instead of a PDF.
    #[error("CDEK could not print: {}", .0.iter().map(|a| a.message.as_str()).collect::<Vec<_>>().join("; "))]
    Print(Vec<PrintAlert>),
    /// The calculator answered with errors (`{"error":[{code,text}]}`).
    #[error("calculator error: {}", .0.iter().map(|e| format!("{}: {}", e.code.code(), e.text)).collect::<Vec<_>>().join("; "))]
    Calculator(Vec<CalculatorError>),
    /// The 2019+ gateway answered with a JSON error (`{"timestamp","path","status","error",
    /// "message"}`).
    #[error("CDEK gateway error (status {status:?}): {message}")]
    Gateway {
        /// `status` of the JSON body.
        status: Option<i32>,
        /// `message` or `error`.
        message: String,
        /// `path`, if sent.
        path: Option<String>,
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

    /// The CDEK error codes carried by this error (empty for transport and decode errors).
    #[must_use]
    pub fn codes(&self) -> Vec<&ErrorCode> {
        match self {
            Self::Api(errors) => errors.iter().map(|e| &e.code).collect(),
            Self::Print(alerts) => alerts.iter().filter_map(|a| a.code.as_ref()).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether repeating the request later may succeed: timeouts, connection failures,
    /// HTTP 5xx without a usable body, gateway errors and CDEK-side error codes.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(errors) => errors.iter().any(|e| e.code.is_retryable()),
            Self::Print(alerts) => alerts
                .iter()
                .any(|a| a.code.as_ref().is_some_and(ErrorCode::is_retryable)),
            Self::Calculator(errors) => errors
                .iter()
                .any(|e| e.code == CalculatorErrorCode::Internal),
            Self::Gateway { status, .. } => status.is_none_or(|s| s >= 500),
            Self::Http { status, .. } => status.is_none_or(|s| s >= 500),
        }
    }
}

fn print_alerts(a: g::JsonAlerts) -> CdekError {
    CdekError::Print(
        a.alerts
            .into_iter()
            .map(|a| PrintAlert {
                kind: a.r#type,
                message: a.msg.unwrap_or_default(),
                code: a.error_code.as_deref().map(ErrorCode::parse),
            })
            .collect(),
    )
}

fn gateway(j: g::JsonGatewayError) -> CdekError {
    CdekError::Gateway {
        status: j.status,
        message: j.message.or(j.error).unwrap_or_default(),
        path: j.path,
    }
}

fn response_errors(r: g::Response) -> CdekError {
    let outcome = Outcome::from_response(r);
    let mut all = outcome.document_errors;
    all.extend(outcome.orders.into_iter().filter_map(Result::err));
    all.extend(outcome.calls.into_iter().filter_map(Result::err));
    CdekError::Api(all)
}

/// A body the operation did not expect: CDEK's error forms that any endpoint may send (an
/// XML `response` with errors, JSON alerts, a JSON gateway error) are decoded; anything else
/// is [`CdekError::Http`] with the raw body.
fn http_error<D>(e: RtError<D>) -> CdekError {
    let status = e.status();
    let message = e.to_string();
    let Some(body) = e.body().map(<[u8]>::to_vec) else {
        return CdekError::Http {
            message,
            status,
            body: None,
        };
    };
    let resp = HttpResponse {
        status: status.unwrap_or_default(),
        headers: Vec::new(),
        body: body.clone().into(),
    };
    match body_kind(&resp) {
        BodyKind::Xml(root) if root == "response" => {
            if let Ok(r) = read_xml_body::<g::Response, ()>(&resp, None, "response") {
                let err = response_errors(r);
                if !err.codes().is_empty() {
                    return err;
                }
            }
        }
        BodyKind::Json => {
            if let Ok(a) = read_json_body::<g::JsonAlerts, ()>(&resp) {
                if !a.alerts.is_empty() {
                    return print_alerts(a);
                }
            }
            if let Ok(j) = read_json_body::<g::JsonGatewayError, ()>(&resp) {
                if j.status.is_some() || j.message.is_some() || j.error.is_some() {
                    return gateway(j);
                }
            }
        }
        _ => {}
    }
    CdekError::Http {
        message,
        status,
        body: Some(body),
    }
}

fn from_integration(e: RtError<g::IntegrationFault>) -> CdekError {
    match e {
        RtError::BindingFault { detail, .. } => match *detail {
            g::IntegrationFault::Response(r) => response_errors(r),
            g::IntegrationFault::JsonAlerts(a) => print_alerts(a),
        },
        other => http_error(other),
    }
}

fn from_references(e: RtError<g::ReferencesFault>) -> CdekError {
    match e {
        RtError::BindingFault { detail, .. } => match *detail {
            g::ReferencesFault::JsonGatewayError(j) => gateway(j),
        },
        other => http_error(other),
    }
}

/// [`api_error`] of an answer line carrying `ErrorCode`/`Msg`/`ErrMsg`/`Number`/`DispatchNumber`.
macro_rules! line_error {
    ($x:expr) => {
        $crate::client::api_error(
            $x.error_code.as_deref(),
            $x.msg.as_deref(),
            $x.err_msg.as_deref(),
            $x.number.as_deref(),
            $x.dispatch_number.as_deref(),
        )
    };
}

/// [`api_error`] of a document root (`ErrorCode`/`Msg`/`ErrMsg`, no order reference).
macro_rules! doc_error {
    ($x:expr) => {
        $crate::client::api_error(
            $x.error_code.as_deref(),
            $x.msg.as_deref(),
            $x.err_msg.as_deref(),
            None,
            None,
        )
    };
}

pub(crate) use {doc_error, line_error};

/// An error from the common `ErrorCode`/`Msg`/`ErrMsg` attributes, if `ErrorCode` is set.
pub(crate) fn api_error(
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

/// A registered courier call (`<Call Number="…"/>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallResult {
    /// CDEK's courier request number (`Number`).
    pub number: String,
    /// CDEK's message, if any.
    pub message: Option<String>,
}

/// The answer of the order operations (new, add delivery, update, delete, schedule, courier
/// call, pre-alert): one entry per order and per courier call — a success or that line's
/// error — never hiding either.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Per-order results in document order.
    pub orders: Vec<Result<OrderResult, ApiError>>,
    /// Per-call results of courier calls (`call_courier.php`, or the call embedded in a
    /// `DeliveryRequest`), in document order.
    pub calls: Vec<Result<CallResult, ApiError>>,
    /// Document-level errors (on `DeliveryRequest`, `DeleteRequest`, `CallCourier`, …) that
    /// came together with per-order lines.
    pub document_errors: Vec<ApiError>,
    /// Informational messages (`Добавлено заказов 2`, `Добавлено заявок 1`, `Добавлено 1
    /// прозвонов`, `Преалерт создан…`).
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
                    match api_error(
                        d.error_code.as_deref(),
                        d.msg.as_deref(),
                        d.err_msg.as_deref(),
                        d.number.as_deref(),
                        None,
                    ) {
                        Some(e) => out.document_errors.push(e),
                        // `Msg="Удалено заказов:1" ErrMsg="Не удалено заказов:0"`.
                        None => out.messages.extend(
                            [d.msg.as_deref(), d.err_msg.as_deref()]
                                .into_iter()
                                .filter_map(lenient::text)
                                .map(str::to_owned),
                        ),
                    }
                    for o in &d.order {
                        out.order_line(o);
                    }
                }
                g::ResponseChoice::Call(c) => out.call_line(&c),
                g::ResponseChoice::TraceId(t) => {
                    out.trace_id = lenient::text(Some(&t)).map(str::to_owned)
                }
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
        if let Some(e) = line_error!(o) {
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

    fn call_line(&mut self, c: &g::ResponseCall) {
        if let Some(e) = api_error(
            c.error_code.as_deref(),
            c.msg.as_deref(),
            c.err_msg.as_deref(),
            c.number.as_deref(),
            None,
        ) {
            self.calls.push(Err(e));
            return;
        }
        let message = lenient::text(c.msg.as_deref()).map(str::to_owned);
        match lenient::text(c.number.as_deref()) {
            Some(n) => self.calls.push(Ok(CallResult {
                number: n.to_owned(),
                message,
            })),
            // A summary line such as `<Call Msg="Добавлено заявок 1"/>`.
            None => self.messages.extend(message),
        }
    }

    /// Whether every order and call line succeeded and no document error came.
    #[must_use]
    pub fn is_complete_success(&self) -> bool {
        self.document_errors.is_empty()
            && self.orders.iter().all(Result::is_ok)
            && self.calls.iter().all(Result::is_ok)
    }

    /// All errors of the answer: document-level first, then per order and per call.
    #[must_use]
    pub fn errors(&self) -> Vec<&ApiError> {
        self.document_errors
            .iter()
            .chain(self.orders.iter().filter_map(|r| r.as_ref().err()))
            .chain(self.calls.iter().filter_map(|r| r.as_ref().err()))
            .collect()
    }

    /// With no success at all and no error that names an order, the request as a whole
    /// failed: [`CdekError::Api`]. Otherwise the caller gets every line.
    fn into_result(self) -> Result<Self, CdekError> {
        let any_success =
            self.orders.iter().any(Result::is_ok) || self.calls.iter().any(Result::is_ok);
        let named = |e: &ApiError| e.number.is_some() || e.dispatch_number.is_some();
        let names_an_order = self
            .orders
            .iter()
            .filter_map(|r| r.as_ref().err())
            .any(named)
            || self
                .calls
                .iter()
                .filter_map(|r| r.as_ref().err())
                .any(named);
        if !any_success && !names_an_order {
            let errors: Vec<ApiError> = self.errors().into_iter().cloned().collect();
            if !errors.is_empty() {
                return Err(CdekError::Api(errors));
            }
        }
        Ok(self)
    }
}

type DateSource = Arc<dyn Fn() -> String + Send + Sync>;

fn count<T>(items: &[T]) -> i32 {
    i32::try_from(items.len()).unwrap_or(i32::MAX)
}

fn refs(dispatch_numbers: &[i64]) -> Vec<g::OrderRef> {
    dispatch_numbers
        .iter()
        .map(|d| g::OrderRef {
            dispatch_number: Some(*d),
            number: None,
            date: None,
        })
        .collect()
}

/// A root-level `ErrorCode` as [`CdekError::Api`].
fn root_error(
    code: Option<&str>,
    msg: Option<&str>,
    err_msg: Option<&str>,
) -> Result<(), CdekError> {
    match api_error(code, msg, err_msg, None, None) {
        Some(e) => Err(CdekError::Api(vec![e])),
        None => Ok(()),
    }
}

/// One tariff of the tariff-list calculation: its price, or why it is not available.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffQuote {
    /// The tariff.
    pub tariff: Tariff,
    /// The price and terms (kg, RUB unless `currency` was set; use [`lenient`] to read the
    /// numbers), or the error for this tariff.
    pub result: Result<g::CalcTariffListResult, CalculatorError>,
}

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

    /// Creates e-shop (ИМ) orders (`new_orders.php`), optionally with a courier call.
    /// Weights in the request are in **grams**, sizes in cm. `Date`, `Account`, `Secure`,
    /// `OrderCount` and the embedded `CallCount` are filled in.
    ///
    /// # Errors
    /// [`CdekError::Api`] when CDEK rejects the whole document (e.g. `ERR_AUTH`); per-order
    /// and per-call errors are in the [`Outcome`].
    pub async fn new_orders(&self, request: g::DeliveryRequest) -> Result<Outcome, CdekError> {
        let request = self.delivery_request(request);
        let r = self
            .integration
            .new_orders(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Creates "delivery" (non e-shop) orders (`addDelivery`), same document and answer as
    /// [`new_orders`](Self::new_orders). Weights in **grams**.
    ///
    /// # Errors
    /// As [`new_orders`](Self::new_orders).
    pub async fn add_delivery(&self, request: g::DeliveryRequest) -> Result<Outcome, CdekError> {
        let request = self.delivery_request(request);
        let r = self
            .integration
            .add_delivery(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    fn delivery_request(&self, mut request: g::DeliveryRequest) -> g::DeliveryRequest {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = count(&request.order);
        if let Some(call) = &mut request.call_courier {
            call.call_count = Some(count(&call.call));
        }
        request
    }

    /// Changes existing orders (`update`), identified by `Number` or `DispatchNumber`.
    /// Weights in **grams**. `Date`, `Account`, `Secure` and `OrderCount` are filled in.
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors; per-order errors are in the [`Outcome`].
    pub async fn update_orders(&self, mut request: g::UpdateRequest) -> Result<Outcome, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = count(&request.order);
        let r = self
            .integration
            .update_orders(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Deletes orders in status "Создан" (created) by shop number (`delete_orders.php`);
    /// `act_number` is the `Number` of the document that created them.
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors; per-order errors are in the [`Outcome`].
    pub async fn delete_orders(
        &self,
        act_number: &str,
        numbers: &[&str],
    ) -> Result<Outcome, CdekError> {
        let orders = numbers
            .iter()
            .map(|n| g::DeleteOrder {
                number: Some((*n).to_owned()),
                dispatch_number: None,
            })
            .collect();
        self.delete(act_number, orders).await
    }

    /// Deletes orders in status "Создан" (created) by CDEK waybill number.
    ///
    /// # Errors
    /// As [`delete_orders`](Self::delete_orders).
    pub async fn delete_orders_by_dispatch_number(
        &self,
        act_number: &str,
        dispatch_numbers: &[i64],
    ) -> Result<Outcome, CdekError> {
        let orders = dispatch_numbers
            .iter()
            .map(|d| g::DeleteOrder {
                number: None,
                dispatch_number: Some(*d),
            })
            .collect();
        self.delete(act_number, orders).await
    }

    async fn delete(
        &self,
        act_number: &str,
        order: Vec<g::DeleteOrder>,
    ) -> Result<Outcome, CdekError> {
        let (date, account, secure) = self.auth();
        let request = g::DeleteRequest {
            number: act_number.to_owned(),
            date,
            account,
            secure,
            order_count: count(&order),
            order,
        };
        let r = self
            .integration
            .delete_orders(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Registers the results of the shop's own call to the receiver: new delivery date,
    /// time window, receiver, address or payment (`new_schedule.php`, "Прозвон
    /// получателя"). `Date`, `Account`, `Secure` and `OrderCount` are filled in.
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors (e.g. `ERR_NOTFOUNDTAG`); per-order
    /// errors (e.g. `ERR_SCHEDULE_CHANGE`) are in the [`Outcome`].
    pub async fn new_schedule(
        &self,
        mut request: g::ScheduleRequest,
    ) -> Result<Outcome, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = count(&request.order);
        let r = self
            .integration
            .new_schedule(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Calls a courier to pick up shipments (`call_courier.php`, "Вызов курьера"). Weights
    /// in **grams**; the window must be at least 3 hours and in the future. The courier
    /// request numbers are in [`Outcome::calls`].
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors (e.g. `ERR_CALLCOURIER_DATETIME` on the
    /// `CallCourier` line); per-call errors are in [`Outcome::calls`].
    pub async fn call_courier(&self, calls: Vec<g::CourierCall>) -> Result<Outcome, CdekError> {
        let (date, account, secure) = self.auth();
        let request = g::CallCourier {
            date,
            account,
            secure,
            call_count: count(&calls),
            call: calls,
        };
        let r = self
            .integration
            .call_courier(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Report "Статусы заказов" (order statuses, `status_report_h.php`): last status, and
    /// on request the full history, delivery information, failed attempts, delay reasons,
    /// call history and return orders; by shop number, CDEK waybill or period.
    ///
    /// # Errors
    /// [`CdekError::Api`] when the report root carries an error and no order came (e.g.
    /// `ERR_ORDERS_NOT_FOUND`, with the per-order errors that came with it).
    pub async fn status_report(&self, query: &StatusQuery) -> Result<StatusReport, CdekError> {
        let raw = self.status_report_raw(query.to_request()).await?;
        let report = StatusReport::from(&raw);
        if !report.document_errors.is_empty() && !report.orders.iter().any(Result::is_ok) {
            let mut all = report.document_errors;
            all.extend(report.orders.into_iter().filter_map(Result::err));
            return Err(CdekError::Api(all));
        }
        Ok(report)
    }

    /// [`status_report`](Self::status_report) with the generated request and answer;
    /// `Date`, `Account` and `Secure` are filled in. Errors on the root are not checked.
    ///
    /// # Errors
    /// Transport, decode and error-document failures.
    pub async fn status_report_raw(
        &self,
        mut request: g::StatusReport,
    ) -> Result<g::StatusReportResponse, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        self.integration
            .status_report(&request)
            .await
            .map_err(from_integration)
    }

    /// Report "Информация по заказам" (order information, `info_report.php`): costs,
    /// services, weights (**kilograms**) and packages.
    ///
    /// # Errors
    /// [`CdekError::Api`] when CDEK answers with a `response` error document instead, or
    /// with a root error and no order.
    pub async fn info_report(&self, query: &InfoQuery) -> Result<InfoReport, CdekError> {
        let raw = self.info_report_raw(query.to_request()).await?;
        let report = InfoReport::from(&raw);
        if !report.document_errors.is_empty() && !report.orders.iter().any(Result::is_ok) {
            let mut all = report.document_errors;
            all.extend(report.orders.into_iter().filter_map(Result::err));
            return Err(CdekError::Api(all));
        }
        Ok(report)
    }

    /// [`info_report`](Self::info_report) with the generated request and answer.
    ///
    /// # Errors
    /// [`CdekError::Api`] for a `response` error document; transport and decode failures.
    pub async fn info_report_raw(
        &self,
        mut request: g::InfoRequest,
    ) -> Result<g::InfoReport, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        self.integration
            .info_report(&request)
            .await
            .map_err(from_integration)
    }

    /// Receipts (квитанции) of orders by waybill number, as one PDF (`orders_print.php`).
    /// At most 100 orders; `copies` per sheet (CDEK recommends 2).
    ///
    /// # Errors
    /// [`CdekError::Api`] (XML error document) or [`CdekError::Print`] (JSON alerts).
    pub async fn orders_print(
        &self,
        dispatch_numbers: &[i64],
        copies: Option<i32>,
    ) -> Result<Vec<u8>, CdekError> {
        let order = refs(dispatch_numbers);
        self.orders_print_request(g::OrdersPrint {
            date: String::new(),
            account: String::new(),
            secure: String::new(),
            order_count: 0,
            copy_count: copies,
            order,
        })
        .await
    }

    /// [`orders_print`](Self::orders_print) with the generated request (orders by shop
    /// number and date too); `Date`, `Account`, `Secure` and `OrderCount` are filled in.
    ///
    /// # Errors
    /// As [`orders_print`](Self::orders_print).
    pub async fn orders_print_request(
        &self,
        mut request: g::OrdersPrint,
    ) -> Result<Vec<u8>, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = count(&request.order);
        self.integration
            .orders_print(&request)
            .await
            .map_err(from_integration)
    }

    /// Package barcode labels (`ordersPackagesPrint`) by waybill number, as one PDF in
    /// `format` (A4, A5 or A6).
    ///
    /// # Errors
    /// [`CdekError::Api`] (XML error document) or [`CdekError::Print`] (JSON alerts).
    pub async fn orders_packages_print(
        &self,
        dispatch_numbers: &[i64],
        copies: Option<i32>,
        format: Option<g::PrintFormat>,
    ) -> Result<Vec<u8>, CdekError> {
        let order = refs(dispatch_numbers);
        self.orders_packages_print_request(g::OrdersPackagesPrint {
            date: String::new(),
            account: String::new(),
            secure: String::new(),
            order_count: 0,
            copy_count: copies,
            print_format: format,
            order,
        })
        .await
    }

    /// [`orders_packages_print`](Self::orders_packages_print) with the generated request.
    ///
    /// # Errors
    /// As [`orders_packages_print`](Self::orders_packages_print).
    pub async fn orders_packages_print_request(
        &self,
        mut request: g::OrdersPackagesPrint,
    ) -> Result<Vec<u8>, CdekError> {
        (request.date, request.account, request.secure) = self.auth();
        request.order_count = count(&request.order);
        self.integration
            .orders_packages_print(&request)
            .await
            .map_err(from_integration)
    }

    /// Pre-alert (`addPreAlert`, deprecated by CDEK): announces that the orders will be
    /// brought to pickup point `pvz_code` on `planned_meeting_date`.
    ///
    /// # Errors
    /// [`CdekError::Api`] for document-level errors (e.g. `INVALID_PARAMETER`).
    pub async fn add_pre_alert(
        &self,
        pvz_code: &str,
        planned_meeting_date: NaiveDate,
        dispatch_numbers: &[i64],
    ) -> Result<Outcome, CdekError> {
        let (date, account, secure) = self.auth();
        let request = g::PreAlert {
            date,
            account,
            secure,
            order_count: count(dispatch_numbers),
            pvz_code: pvz_code.to_owned(),
            planned_meeting_date: soap_runtime::types::Date::from_naive(planned_meeting_date),
            order: refs(dispatch_numbers),
        };
        let r = self
            .integration
            .add_pre_alert(&request)
            .await
            .map_err(from_integration)?;
        Outcome::from_response(r).into_result()
    }

    /// Pickup points (ПВЗ) and parcel lockers (`pvzlist/v1/xml`) with every filter; no
    /// authentication. Weight limits are in **kilograms**; flags (`есть`/`нет`/`true`/…)
    /// read with [`lenient::flag`], the city with [`crate::reports::pvz_city`].
    ///
    /// # Errors
    /// [`CdekError::Api`] when the list root carries an error (e.g. `ERR_PVZ_NOTFOUND`).
    pub async fn pvz_list(&self, filter: &PvzFilter) -> Result<g::PvzList, CdekError> {
        let f = filter.clone();
        let r = self
            .references
            .pvz_list(
                f.city_id,
                f.city_post_code,
                f.kind,
                f.country_id,
                f.country_iso,
                f.region_id,
                f.have_cashless,
                f.have_cash,
                f.allowed_cod,
                f.is_dressing_room,
                f.weight_max,
                f.weight_min,
                f.lang,
                f.take_only,
            )
            .await
            .map_err(from_references)?;
        root_error(
            r.error_code.as_deref(),
            r.msg.as_deref(),
            r.err_msg.as_deref(),
        )?;
        Ok(r)
    }

    /// Regions reference (`v1/location/regions/xml`); no authentication.
    ///
    /// # Errors
    /// [`CdekError::Gateway`] for the gateway's JSON errors.
    pub async fn regions(&self, filter: &RegionFilter) -> Result<g::Regions, CdekError> {
        let f = filter.clone();
        self.references
            .regions(
                f.region_code_ext,
                f.region_code,
                f.region_fias_guid,
                f.country_code,
                f.country_code_ext,
                f.page,
                f.size,
                f.lang,
            )
            .await
            .map_err(from_references)
    }

    /// Cities reference (`v1/location/cities/xml`); no authentication. `paymentLimit` -1
    /// means no cash-on-delivery limit.
    ///
    /// # Errors
    /// [`CdekError::Gateway`] for the gateway's JSON errors.
    pub async fn cities(&self, filter: &CityFilter) -> Result<g::Locations, CdekError> {
        let f = filter.clone();
        self.references
            .cities(
                f.region_code_ext,
                f.region_code,
                f.region_fias_guid,
                f.fias_guid,
                f.page,
                f.size,
                f.country_code,
                f.city_name,
                f.city_code,
                f.postcode,
                f.lang,
            )
            .await
            .map_err(from_references)
    }

    /// Fills in the calculator's authentication: `authLogin`, `dateExecute` (the day of the
    /// document date) and `secure = md5(dateExecute + "&" + password)`; `version` 1.0.
    fn calculator_request(&self, mut request: g::CalculatorRequest) -> g::CalculatorRequest {
        let (date, account, _) = self.auth();
        let day = date.get(..10).unwrap_or(&date).to_owned();
        request.secure = Some(self.credentials.secure(&day));
        request.date_execute = Some(day);
        request.auth_login = Some(account);
        if request.version.is_empty() {
            request.version = "1.0".to_owned();
        }
        request
    }

    /// Delivery cost (`calculate_price_by_json.php`) for one tariff (`tariffId`) or the
    /// first available of a priority list (`tariffList`). Weights are in **kilograms**,
    /// sizes in cm, volume in m³; prices in RUB unless `currency` is set. Authentication
    /// is filled in.
    ///
    /// # Errors
    /// [`CdekError::Calculator`] with CDEK's codes and texts.
    pub async fn calculate_price(
        &self,
        request: g::CalculatorRequest,
    ) -> Result<g::CalcResult, CdekError> {
        let request = self.calculator_request(request);
        let r = self
            .calculator
            .calculate_price(&request)
            .await
            .map_err(http_error)?;
        if !r.error.is_empty() {
            return Err(CdekError::Calculator(
                r.error.into_iter().map(CalculatorError::from).collect(),
            ));
        }
        r.result.ok_or_else(|| CdekError::Http {
            message: "calculator answer has neither `result` nor `error`".to_owned(),
            status: None,
            body: None,
        })
    }

    /// Delivery cost for every tariff of `tariffList`, without priorities
    /// (`calculate_tarifflist.php`): one [`TariffQuote`] per tariff, available or not.
    /// Units as in [`calculate_price`](Self::calculate_price).
    ///
    /// # Errors
    /// [`CdekError::Calculator`] when the whole request is rejected.
    pub async fn calculate_tariff_list(
        &self,
        request: g::CalculatorRequest,
    ) -> Result<Vec<TariffQuote>, CdekError> {
        let request = self.calculator_request(request);
        let r = self
            .calculator
            .calculate_tariff_list(&request)
            .await
            .map_err(http_error)?;
        if !r.error.is_empty() {
            return Err(CdekError::Calculator(
                r.error.into_iter().map(CalculatorError::from).collect(),
            ));
        }
        Ok(r.result
            .into_iter()
            .map(|entry| {
                let tariff = Tariff::from_code(&entry.tariff_id);
                let result = match (entry.status, entry.result.errors.clone()) {
                    (_, Some(e)) => Err(CalculatorError::from(e)),
                    (true, None) => Ok(entry.result),
                    (false, None) => Err(CalculatorError {
                        code: CalculatorErrorCode::DirectionImpossible,
                        text: String::new(),
                    }),
                };
                TariffQuote { tariff, result }
            })
            .collect())
    }
}

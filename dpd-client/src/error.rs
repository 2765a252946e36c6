//! DPD's documented error codes (guide part V «Справочник ошибок») and the crate's error type.

use std::time::Duration;

use crate::codes::code_enum;
use crate::generated::dpd_calculator_service::CityIndex;

code_enum! {
    /// An error code DPD documents (guide part V), whether it came as a SOAP fault
    /// (`WSFault`/`ServiceCostFault2` detail) or in a response's `status` field.
    DpdErrorCode {
        /// `system-error` — Системная ошибка: untyped server error; contact DPD support (§V.1).
        SystemError = "system-error",
        /// `too-many-calls` — Превышен лимит одновременных вызовов сервиса: call-rate limit per
        /// client number; retry later with backoff (§V.1).
        TooManyCalls = "too-many-calls",
        /// `call-client-twin` — Повторный вызов сервиса по одному коду клиента: concurrent calls
        /// with one client number; serialise calls and retry (§V.1).
        CallClientTwin = "call-client-twin",
        /// `client-num-error` — Не найден номер клиента: unknown client number (§V.1).
        ClientNumError = "client-num-error",
        /// `auth-error` — Ошибка в параметрах аутентификации: the key does not match the client
        /// number (§V.1).
        AuthError = "auth-error",
        /// `required-value` — Не заданы значения обязательных полей: a required field is
        /// missing (§V.1).
        RequiredValue = "required-value",
        /// `error-value` — Недопустимое значение поля: a value outside the allowed set (§V.1).
        ErrorValue = "error-value",
        /// `no-service-available` — Невозможна услуга, удовлетворяющая запросу: calculator, no
        /// service for this route/service/date (§V.2).
        NoServiceAvailable = "no-service-available",
        /// `no-data-found` — Данные не найдены: city, order or parcel not found (§V.2–V.4, V.6).
        NoDataFound = "no-data-found",
        /// `too-many-rows` — Найдено более одной записи данных: calculator, ambiguous city (choose
        /// from the duplicate lists and retry with `cityId`); order/tracing, add the pickup
        /// date (§V.2–V.4). The guide also writes `TooManyRows`.
        TooManyRows = "too-many-rows" | "TooManyRows",
        /// `no-setting` — Не предусмотрены настройки: tracing not configured for the client
        /// (§V.4); INN lookup, payment by a non-customer not allowed (§9.7).
        NoSetting = "no-setting",
        /// `date-before-start` — Дата запрошенного объекта ранее подключения клиента к сервису
        /// (§V.4).
        DateBeforeStart = "date-before-start",
        /// `confirm-not-required` — Запрос не предполагает подтверждения: the client's tracing
        /// setting is «без подтверждения» (§V.4).
        ConfirmNotRequired = "confirm-not-required",
        /// `code-already-exists` — Адрес с указанным кодом уже существует (§V.5).
        CodeAlreadyExists = "code-already-exists",
        /// `address-error` — Адрес не может быть создан: fields missing or invalid (§V.5).
        AddressError = "address-error",
        /// `code-not-found` — Адрес с указанным кодом не найден: create it first (§V.5).
        CodeNotFound = "code-not-found",
        /// `input-data-error` — label print: the order's pickup date is before today (§V.6).
        InputDataError = "input-data-error",
        /// `illegal-state` — the order's state forbids the action (labels after pickup, order
        /// change after the cargo was received; §V.6, §4.7).
        IllegalState = "illegal-state",
        /// `OrderError` — createOrder / getOrderStatus: the order was not created (§3.12).
        OrderError = "OrderError",
        /// `Error` — cancelOrder: cancellation impossible (§8.7).
        CancelError = "Error",
    }
}

impl DpdErrorCode {
    /// Whether retrying the same call later can succeed (rate limits and server errors).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::TooManyCalls | Self::CallClientTwin | Self::SystemError
        )
    }

    /// The known code at the start of `text` (e.g. a `faultstring` such as
    /// `"auth-error: Ошибка в параметрах аутентификации"`), if any.
    #[must_use]
    pub fn find_in(text: &str) -> Option<Self> {
        let head = text
            .trim()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()
            .unwrap_or_default();
        match Self::from(head) {
            Self::Unknown(_) => None,
            known => Some(known),
        }
    }
}

/// Where a DPD error was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorChannel {
    /// A SOAP fault (`WSFault` / `ServiceCostFault2` detail or the `faultstring`).
    Fault,
    /// A `status` field of an otherwise normal response.
    Status,
}

/// The detail of a SOAP fault, unified across DPD's services (for [`DpdError::Soap`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DpdFault {
    /// `code` of the detail.
    pub code: Option<String>,
    /// `message` of the detail.
    pub message: Option<String>,
}

/// Everything a [`DpdClient`](crate::DpdClient) call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DpdError {
    /// DPD answered with one of its documented error codes (or an unknown one).
    #[error("DPD error {code}: {message}")]
    Service {
        /// The code.
        code: DpdErrorCode,
        /// DPD's text (Russian), possibly empty.
        message: String,
        /// Fault or status field.
        channel: ErrorChannel,
        /// Calculator `too-many-rows`: the candidate pickup cities; retry with one `cityId`.
        pickup_dups: Vec<CityIndex>,
        /// Calculator `too-many-rows`: the candidate delivery cities; retry with one `cityId`.
        delivery_dups: Vec<CityIndex>,
    },
    /// A report (getNLAmount / getNLInvoice) was refused locally: it is running, or it ran less
    /// than 30 minutes ago (guide §6.6).
    #[error(
        "DPD report {operation} may not be called now (guide §6.6: not concurrently, not twice \
         within 30 minutes); retry in {} s",
        retry_after.as_secs_f64().ceil()
    )]
    ReportRateLimited {
        /// The operation.
        operation: &'static str,
        /// How long to wait.
        retry_after: Duration,
    },
    /// [`DpdClient::poll_order_status`](crate::DpdClient::poll_order_status) gave up while
    /// the order was still `OrderPending`.
    #[error("order {order_number_internal} still OrderPending after {attempts} polls")]
    StillPending {
        /// The client's order number.
        order_number_internal: String,
        /// Polls made.
        attempts: u32,
    },
    /// The state handler of [`DpdClient::sync_states`](crate::DpdClient::sync_states) failed;
    /// the batch was not confirmed and DPD will send it again.
    #[error("state handler failed: {0}")]
    Handler(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// DPD answered without a field the operation needs (e.g. no `return`).
    #[error("DPD response lacks {0}")]
    MissingData(&'static str),
    /// Transport, HTTP, decoding, or a SOAP fault without a DPD code.
    #[error(transparent)]
    Soap(Box<soap_runtime::error::Error<DpdFault>>),
}

impl DpdError {
    /// The DPD error code, if DPD reported one.
    #[must_use]
    pub fn code(&self) -> Option<&DpdErrorCode> {
        match self {
            Self::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether retrying later can succeed (DPD rate limits, server errors, timeouts).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Service { code, .. } => code.is_retryable(),
            Self::ReportRateLimited { .. } | Self::StillPending { .. } => true,
            Self::Soap(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// A status-field error.
    pub(crate) fn status(code: &str, message: Option<&str>) -> Self {
        Self::Service {
            code: DpdErrorCode::from(code),
            message: message.unwrap_or_default().to_owned(),
            channel: ErrorChannel::Status,
            pickup_dups: Vec::new(),
            delivery_dups: Vec::new(),
        }
    }
}

/// The parts of a port's fault detail enum this crate needs.
pub(crate) trait FaultParts {
    /// `(code, message, pickup_dups, delivery_dups)`.
    fn into_parts(
        self,
    ) -> (
        Option<String>,
        Option<String>,
        Vec<CityIndex>,
        Vec<CityIndex>,
    );
}

macro_rules! ws_fault_parts {
    ($($module:ident :: $fault:ident),+ $(,)?) => {$(
        impl FaultParts for crate::generated::$module::$fault {
            fn into_parts(self) -> (Option<String>, Option<String>, Vec<CityIndex>, Vec<CityIndex>) {
                let Self::WsFault(f) = self;
                (f.code, f.message, Vec::new(), Vec::new())
            }
        }
    )+};
}

ws_fault_parts!(
    dpd_geography2_service::DpdGeography2Fault,
    dpd_order_service::DpdOrderFault,
    parcel_tracing_service::ParcelTracingFault,
    parcel_tracing11_service::ParcelTracing11Fault,
    dpd_reports_service::DpdReportsFault,
    dpd_label_print_service::DpdLabelPrintFault,
    dpd_inquiry_desk_service::DpdInquiryDeskFault,
);

impl FaultParts for crate::generated::dpd_calculator_service::DpdCalculatorFault {
    fn into_parts(
        self,
    ) -> (
        Option<String>,
        Option<String>,
        Vec<CityIndex>,
        Vec<CityIndex>,
    ) {
        use crate::generated::dpd_calculator_service::{City, DpdCalculatorFault};
        fn from_city(c: City) -> CityIndex {
            CityIndex {
                city_id: c.city_id,
                country_code: c.country_code,
                country_name: c.country_name,
                region_code: c.region_code,
                region_name: c.region_name,
                city_name: c.city_name,
                ..CityIndex::default()
            }
        }
        let flat = |v: Vec<soap_runtime::types::Nillable<CityIndex>>| {
            v.into_iter().filter_map(|c| c.into_option()).collect()
        };
        match self {
            DpdCalculatorFault::ServiceCostFault2(f) => (
                f.code,
                f.message,
                flat(f.pickup_dups),
                flat(f.delivery_dups),
            ),
            DpdCalculatorFault::ServiceCostFault(f) => {
                let flat1 = |v: Vec<soap_runtime::types::Nillable<City>>| {
                    v.into_iter()
                        .filter_map(|c| c.into_option().map(from_city))
                        .collect()
                };
                (
                    f.code,
                    f.message,
                    flat1(f.pickup_dups),
                    flat1(f.delivery_dups),
                )
            }
        }
    }
}

/// Maps a generated client's error to [`DpdError`]: a fault whose detail or `faultstring`
/// carries a DPD code becomes [`DpdError::Service`], anything else [`DpdError::Soap`].
/// The `return` of a call that must have one: SOAP errors via [`from_soap`], an absent
/// `return` as [`DpdError::MissingData`] naming it (`what`).
pub(crate) fn returned<T, D: FaultParts>(
    result: Result<Option<T>, soap_runtime::error::Error<D>>,
    what: &'static str,
) -> Result<T, DpdError> {
    result
        .map_err(from_soap)?
        .ok_or(DpdError::MissingData(what))
}

pub(crate) fn from_soap<D: FaultParts>(err: soap_runtime::error::Error<D>) -> DpdError {
    use soap_runtime::fault::Detail;
    let err = match err {
        soap_runtime::error::Error::Fault(fault) => {
            let reason = fault.reason().to_owned();
            let mut fault = *fault;
            let detail = std::mem::replace(&mut fault.detail, Detail::None);
            let (code, message, pickup_dups, delivery_dups) = match detail {
                Detail::Typed(d) => d.into_parts(),
                Detail::Raw(raw) => {
                    fault.detail = Detail::Raw(raw);
                    (None, None, Vec::new(), Vec::new())
                }
                Detail::None => (None, None, Vec::new(), Vec::new()),
            };
            // JAX-WS puts the exception message into faultstring; DPD's code may only be there.
            let code = code
                .as_deref()
                .map(DpdErrorCode::from)
                .or_else(|| DpdErrorCode::find_in(&reason));
            if let Some(code) = code {
                let message = message.unwrap_or_else(|| {
                    // Drop a leading "code:" from the faultstring.
                    reason
                        .trim()
                        .strip_prefix(code.as_str())
                        .map(|rest| rest.trim_start_matches([':', ' ', '-']).to_owned())
                        .unwrap_or(reason.clone())
                });
                return DpdError::Service {
                    code,
                    message,
                    channel: ErrorChannel::Fault,
                    pickup_dups,
                    delivery_dups,
                };
            }
            soap_runtime::error::Error::Fault(Box::new(fault.map_detail(|d: D| {
                let (code, message, _, _) = d.into_parts();
                DpdFault { code, message }
            })))
        }
        other => other.map_detail(|d| {
            let (code, message, _, _) = d.into_parts();
            DpdFault { code, message }
        }),
    };
    DpdError::Soap(Box::new(err))
}

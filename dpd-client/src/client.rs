//! [`DpdClient`]: one entry point for all DPD services, with credentials filled in.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt as _};
use soap_runtime::client::{OperationInfo, SoapClient};
use soap_runtime::envelope::SoapVersion;
use soap_runtime::transport::Transport;
use soap_runtime::types::Date;
use soap_runtime::xml::{Name, XmlWrite, XmlWriter};

use crate::codes::{
    AddressStatus, InnLookupStatus, LabelFormat, OrderChangeStatus, OrderCreationStatus, PageSize,
};
use crate::error::{from_soap, returned, DpdError};
use crate::generated::{
    dpd_calculator_service as calc, dpd_geography2_service as geo,
    dpd_inquiry_desk_service as inquiry, dpd_label_print_service as label,
    dpd_order_service as order, dpd_reports_service as nl, parcel_tracing11_service as tracing11,
    parcel_tracing_service as tracing,
};

/// Minimum time between two calls of one report method (guide §6.6).
pub const REPORT_INTERVAL: Duration = Duration::from_secs(30 * 60);

/// The DPD installation to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// DPD's test system `http://wstest.dpd.ru` (тестовый контур): integrate here first,
    /// together with DPD integration support (guide part III).
    Test,
    /// Production `http://ws.dpd.ru` (рабочий контур).
    Production,
    /// Another base URL (a local sandbox, a proxy), without a trailing `/services/...`.
    Custom(String),
}

impl Environment {
    /// The base URL; service paths such as `/services/order2` are appended to it.
    #[must_use]
    pub fn base_url(&self) -> &str {
        match self {
            Self::Test => "http://wstest.dpd.ru",
            Self::Production => "http://ws.dpd.ru",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// DPD's per-service URL paths (guide part IV).
pub mod paths {
    /// «География DPD» (geography2).
    pub const GEOGRAPHY: &str = "/services/geography2";
    /// «Расчёт стоимости» (calculator2).
    pub const CALCULATOR: &str = "/services/calculator2";
    /// «Создание/Изменение/Отмена заказа» (order2).
    pub const ORDER: &str = "/services/order2";
    /// «Отслеживание статуса» (tracing).
    pub const TRACING: &str = "/services/tracing";
    /// Tracing with weights and volumes (tracing1-1).
    pub const TRACING11: &str = "/services/tracing1-1";
    /// «Отчеты» (nl).
    pub const REPORTS: &str = "/services/nl";
    /// «Печать Наклейки» (label-print).
    pub const LABEL_PRINT: &str = "/services/label-print";
    /// «Справочная информация» (inquiry-desk); the test URL is unverified (guide §9.2).
    pub const INQUIRY_DESK: &str = "/services/inquiry-desk";
}

/// The secret authorisation key (ключ авторизации). Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientKey(String);

impl ClientKey {
    /// Wraps a key issued by DPD.
    #[must_use]
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself (for the `auth` element only).
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientKey(***)")
    }
}

/// A source of the current instant; replace it in tests of the report limits.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// How [`DpdClient::poll_order_status`] waits for an `OrderPending` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Wait before each poll. The guide gives no figure; minutes, not seconds, keep clear of
    /// `too-many-calls`.
    pub interval: Duration,
    /// Polls before giving up with [`DpdError::StillPending`].
    pub max_attempts: u32,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5 * 60),
            max_attempts: 12,
        }
    }
}

/// A label file and the per-order outcome (createLabelFile, guide §7.6).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelFile {
    /// The decoded file (PDF or FP3).
    pub bytes: Vec<u8>,
    /// Per order: `orderNum`, `status`, `errorMessage`.
    pub orders: Vec<label::OrderStatus>,
}

/// What [`DpdClient::sync_states`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncSummary {
    /// getStatesByClient calls made.
    pub batches: u32,
    /// States passed to the handler.
    pub states: usize,
    /// Batches confirmed.
    pub confirmed: u32,
}

/// Upper bound on getStatesByClient rounds in one [`DpdClient::sync_states`] run, so a server
/// that always answers `resultComplete=false` cannot loop forever.
const MAX_SYNC_ROUNDS: u32 = 1000;

/// Per-report-method state: held while a call runs, remembers when the last one started.
#[derive(Debug, Default)]
struct ReportGate {
    last_call: tokio::sync::Mutex<Option<Instant>>,
}

/// Builder of [`DpdClient`].
#[derive(Debug)]
pub struct DpdClientBuilder {
    client_number: i64,
    key: ClientKey,
    environment: Environment,
    timeout: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
}

impl DpdClientBuilder {
    /// Sets the deadline of every call (default: 60 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses `transport` instead of the default reqwest transport.
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Uses `clock` for the report limits (tests).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    #[must_use]
    pub fn build(self) -> DpdClient {
        let transport = self
            .transport
            .unwrap_or_else(|| Arc::new(soap_runtime::transport::ReqwestTransport::new()));
        let base = self.environment.base_url().to_owned();
        let soap = |path: &str| {
            SoapClient::with_transport_arc(
                format!("{base}{path}"),
                SoapVersion::V11,
                transport.clone(),
            )
            .with_timeout(self.timeout)
        };
        DpdClient {
            client_number: self.client_number,
            key: self.key,
            environment: self.environment.clone(),
            geography: geo::DpdGeography2Client::from_soap_client(soap(paths::GEOGRAPHY)),
            calculator: calc::DpdCalculatorClient::from_soap_client(soap(paths::CALCULATOR)),
            order: order::DpdOrderClient::from_soap_client(soap(paths::ORDER)),
            tracing: tracing::ParcelTracingClient::from_soap_client(soap(paths::TRACING)),
            tracing11: tracing11::ParcelTracing11Client::from_soap_client(soap(paths::TRACING11)),
            reports: nl::DpdReportsClient::from_soap_client(soap(paths::REPORTS)),
            label_print: label::DpdLabelPrintClient::from_soap_client(soap(paths::LABEL_PRINT)),
            inquiry: inquiry::DpdInquiryDeskClient::from_soap_client(soap(paths::INQUIRY_DESK)),
            nl_amount: Arc::new(ReportGate::default()),
            nl_invoice: Arc::new(ReportGate::default()),
            clock: self.clock,
        }
    }
}

/// A client of all DPD web services, built once with the credentials.
///
/// Every method fills in the `auth` element itself: in request structs leave
/// `auth: Default::default()` (it is replaced). Cloning is cheap and shares the transport and
/// the report limits.
#[derive(Clone)]
pub struct DpdClient {
    client_number: i64,
    key: ClientKey,
    environment: Environment,
    geography: geo::DpdGeography2Client,
    calculator: calc::DpdCalculatorClient,
    order: order::DpdOrderClient,
    tracing: tracing::ParcelTracingClient,
    tracing11: tracing11::ParcelTracing11Client,
    reports: nl::DpdReportsClient,
    label_print: label::DpdLabelPrintClient,
    inquiry: inquiry::DpdInquiryDeskClient,
    nl_amount: Arc<ReportGate>,
    nl_invoice: Arc<ReportGate>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for DpdClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpdClient")
            .field("client_number", &self.client_number)
            .field("key", &self.key)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

/// Builds the `auth` value of a generated module.
macro_rules! auth {
    ($self:ident, $module:ident) => {
        $module::Auth {
            client_number: $self.client_number,
            client_key: $self.key.expose().to_owned(),
        }
    };
}

impl DpdClient {
    /// Starts a builder for client number (клиентский номер) `client_number` with key
    /// (ключ) `key` against `environment`.
    #[must_use]
    pub fn builder(
        client_number: i64,
        key: impl Into<String>,
        environment: Environment,
    ) -> DpdClientBuilder {
        DpdClientBuilder {
            client_number,
            key: ClientKey::new(key),
            environment,
            timeout: Some(Duration::from_secs(60)),
            transport: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// A client with default settings.
    #[must_use]
    pub fn new(client_number: i64, key: impl Into<String>, environment: Environment) -> Self {
        Self::builder(client_number, key, environment).build()
    }

    /// The client number.
    #[must_use]
    pub fn client_number(&self) -> i64 {
        self.client_number
    }

    /// The environment.
    #[must_use]
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    // ----- geography2 «География DPD» (guide §IV.1) -----

    /// Cities where cash on delivery (наложенный платёж) is possible (getCitiesCashPay);
    /// `country_code` e.g. `"RU"`.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn cities_cash_pay(
        &self,
        country_code: Option<&str>,
    ) -> Result<Vec<geo::City>, DpdError> {
        let request = geo::DpdCitiesCashPayRequest {
            auth: auth!(self, geo),
            country_code: country_code.map(str::to_owned),
        };
        self.geography
            .get_cities_cash_pay(request)
            .await
            .map_err(from_soap)
    }

    /// DPD terminals with self-delivery (терминалы, getTerminalsSelfDelivery2).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn terminals(&self) -> Result<Vec<geo::TerminalSelf>, DpdError> {
        let r = self
            .geography
            .get_terminals_self_delivery2(auth!(self, geo))
            .await
            .map_err(from_soap)?;
        Ok(r.map(|t| flatten(t.terminal)).unwrap_or_default())
    }

    /// Pickup points (ПВП, parcel pickup points) matching `filter` (getParcelShops). For the
    /// whole country prefer [`parcel_shops_stream`](Self::parcel_shops_stream).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn parcel_shops(
        &self,
        mut filter: geo::DpdParcelShopRequest,
    ) -> Result<Vec<geo::ParcelShop>, DpdError> {
        filter.auth = auth!(self, geo);
        let r = self
            .geography
            .get_parcel_shops(filter)
            .await
            .map_err(from_soap)?;
        Ok(r.map(|s| flatten(s.parcel_shop)).unwrap_or_default())
    }

    /// Free storage periods at a terminal (getStoragePeriod).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn storage_period(
        &self,
        mut request: geo::StoragePeriodRequest,
    ) -> Result<Vec<geo::TerminalStoragePeriods>, DpdError> {
        request.auth = auth!(self, geo);
        let r = self
            .geography
            .get_storage_period(request)
            .await
            .map_err(from_soap)?;
        Ok(r.map(|t| flatten(t.terminal)).unwrap_or_default())
    }

    /// Which options are possible for a route (getPossibleExtraService).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn possible_extra_service(
        &self,
        mut request: geo::DpdPossibleEsRequest,
    ) -> Result<geo::DpdPossibleEsResult, DpdError> {
        request.auth = auth!(self, geo);
        returned(
            self.geography.get_possible_extra_service(request).await,
            "getPossibleExtraService return",
        )
    }

    /// Pickup points decoded one by one while the (multi-megabyte) answer arrives.
    pub fn parcel_shops_stream(
        &self,
        mut filter: geo::DpdParcelShopRequest,
    ) -> impl Stream<Item = Result<geo::ParcelShop, DpdError>> + Send + 'static {
        const OP: OperationInfo = OperationInfo {
            name: "getParcelShops",
            soap_action: Some(""),
        };
        const PATH: &[Name<'static>] = &[
            Name::qualified(GEO_NS, "getParcelShopsResponse"),
            Name::unqualified("return"),
            Name::unqualified("parcelShop"),
        ];
        filter.auth = auth!(self, geo);
        let request = geo::GetParcelShops {
            request: Some(filter),
        };
        self.geography
            .soap_client()
            .call_streaming::<geo::ParcelShop, geo::DpdGeography2Fault>(
                &OP,
                |_| {},
                move |w: &mut XmlWriter| {
                    request.write_xml(w, Name::qualified(GEO_NS, "getParcelShops"))
                },
                PATH,
            )
            .map(|item| item.map_err(from_soap))
    }

    /// Terminals decoded one by one while the answer arrives (getTerminalsSelfDelivery2).
    pub fn terminals_stream(
        &self,
    ) -> impl Stream<Item = Result<geo::TerminalSelf, DpdError>> + Send + 'static {
        const OP: OperationInfo = OperationInfo {
            name: "getTerminalsSelfDelivery2",
            soap_action: Some(""),
        };
        const PATH: &[Name<'static>] = &[
            Name::qualified(GEO_NS, "getTerminalsSelfDelivery2Response"),
            Name::unqualified("return"),
            Name::unqualified("terminal"),
        ];
        let request = geo::GetTerminalsSelfDelivery2 {
            auth: Some(auth!(self, geo)),
        };
        self.geography
            .soap_client()
            .call_streaming::<geo::TerminalSelf, geo::DpdGeography2Fault>(
                &OP,
                |_| {},
                move |w: &mut XmlWriter| {
                    request.write_xml(w, Name::qualified(GEO_NS, "getTerminalsSelfDelivery2"))
                },
                PATH,
            )
            .map(|item| item.map_err(from_soap))
    }

    // ----- calculator2 «Расчёт стоимости» (guide §IV.2) -----

    /// Cost and days per service for a shipment given by total weight/volume
    /// (getServiceCost2). On an ambiguous city the error is
    /// [`DpdError::Service`] with code `too-many-rows` and the candidate lists.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn service_cost(
        &self,
        mut request: calc::ServiceCostRequest,
    ) -> Result<Vec<calc::ServiceCost>, DpdError> {
        request.auth = auth!(self, calc);
        self.calculator
            .get_service_cost2(request)
            .await
            .map_err(from_soap)
    }

    /// Cost per service for a shipment given parcel by parcel (getServiceCostByParcels2).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn service_cost_by_parcels(
        &self,
        mut request: calc::ServiceCostParcelsRequest,
    ) -> Result<Vec<calc::ServiceCost>, DpdError> {
        request.auth = auth!(self, calc);
        self.calculator
            .get_service_cost_by_parcels2(request)
            .await
            .map_err(from_soap)
    }

    /// International cost (getServiceCostInternational).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn service_cost_international(
        &self,
        mut request: calc::ServiceCostInternationalRequest,
    ) -> Result<Vec<calc::ServiceCostInternational>, DpdError> {
        request.auth = auth!(self, calc);
        self.calculator
            .get_service_cost_international(request)
            .await
            .map_err(from_soap)
    }

    /// Version-1 getServiceCost (older fault type without city indexes).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn service_cost_v1(
        &self,
        mut request: calc::ServiceCostRequest,
    ) -> Result<Vec<calc::ServiceCost>, DpdError> {
        request.auth = auth!(self, calc);
        self.calculator
            .get_service_cost(request)
            .await
            .map_err(from_soap)
    }

    /// Version-1 getServiceCostByParcels.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn service_cost_by_parcels_v1(
        &self,
        mut request: calc::ServiceCostParcelsRequest,
    ) -> Result<Vec<calc::ServiceCost>, DpdError> {
        request.auth = auth!(self, calc);
        self.calculator
            .get_service_cost_by_parcels(request)
            .await
            .map_err(from_soap)
    }

    // ----- order2 (guide §IV.3, §IV.4, §IV.8) -----

    /// Creates orders sharing one pickup address and date (createOrder). Check each result's
    /// [`creation_status`](order::DpdOrderStatus::creation_status): `OK`, `OrderPending`
    /// (then [`poll_order_status`](Self::poll_order_status)) or `OrderError`.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn create_order(
        &self,
        mut orders: order::DpdOrdersData,
    ) -> Result<Vec<order::DpdOrderStatus>, DpdError> {
        orders.auth = auth!(self, order);
        self.order.create_order(orders).await.map_err(from_soap)
    }

    /// Status of orders by the client's numbers (getOrderStatus).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn order_status(
        &self,
        orders: Vec<order::InternalOrderNumber>,
    ) -> Result<Vec<order::DpdOrderStatus>, DpdError> {
        let request = order::DpdGetOrderStatus {
            auth: auth!(self, order),
            order: orders,
        };
        self.order
            .get_order_status(request)
            .await
            .map_err(from_soap)
    }

    /// Polls getOrderStatus for an `OrderPending` order until it becomes `OK` or
    /// `OrderError` (guide §3.4.1), waiting `options.interval` before each poll.
    ///
    /// # Errors
    /// [`DpdError::StillPending`] after `options.max_attempts` polls; other [`DpdError`]s.
    pub async fn poll_order_status(
        &self,
        order_number_internal: &str,
        date_pickup: Option<Date>,
        options: PollOptions,
    ) -> Result<order::DpdOrderStatus, DpdError> {
        for _ in 0..options.max_attempts {
            tokio::time::sleep(options.interval).await;
            let statuses = self
                .order_status(vec![order::InternalOrderNumber {
                    order_number_internal: order_number_internal.to_owned(),
                    date_pickup: date_pickup.clone(),
                }])
                .await?;
            let status = statuses
                .into_iter()
                .find(|s| {
                    s.order_number_internal
                        .as_deref()
                        .is_none_or(|n| n == order_number_internal)
                })
                .ok_or(DpdError::MissingData("getOrderStatus return"))?;
            if status.creation_status() != OrderCreationStatus::OrderPending {
                return Ok(status);
            }
        }
        Err(DpdError::StillPending {
            order_number_internal: order_number_internal.to_owned(),
            attempts: options.max_attempts,
        })
    }

    /// Registers an address under the client's code (createAddress). A non-OK status
    /// (`code-already-exists`, `address-error`) is returned as [`DpdError::Service`].
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn create_address(
        &self,
        address: order::ClientAddress,
    ) -> Result<order::DpdClientAddressStatus, DpdError> {
        let request = order::DpdClientAddress {
            auth: auth!(self, order),
            client_address: address,
        };
        let status = self
            .order
            .create_address(request)
            .await
            .map_err(from_soap)?;
        address_result(status)
    }

    /// Changes an address code (updateAddress); `code-not-found` → call
    /// [`create_address`](Self::create_address).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn update_address(
        &self,
        address: order::ClientAddress,
    ) -> Result<order::DpdClientAddressStatus, DpdError> {
        let request = order::DpdClientAddress {
            auth: auth!(self, order),
            client_address: address,
        };
        let status = self
            .order
            .update_address(request)
            .await
            .map_err(from_soap)?;
        address_result(status)
    }

    /// The waybill (накладная) PDF of an order (getInvoiceFile), decoded.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn invoice_file(
        &self,
        mut request: order::DpdGetInvoiceFile,
    ) -> Result<Vec<u8>, DpdError> {
        request.auth = auth!(self, order);
        let r = self
            .order
            .get_invoice_file(request)
            .await
            .map_err(from_soap)?;
        r.and_then(|f| f.file)
            .map(|f| f.0)
            .ok_or(DpdError::MissingData("getInvoiceFile file"))
    }

    /// The courier registers (реестры) of a pickup date (getRegisterFile), decoded; DPD may
    /// send several files.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn register_files(&self, date_pickup: Date) -> Result<Vec<Vec<u8>>, DpdError> {
        let request = order::DpdGetRegisterFile {
            auth: auth!(self, order),
            date_pickup,
        };
        let r = self
            .order
            .get_register_file(request)
            .await
            .map_err(from_soap)?;
        Ok(
            r.map(|f| flatten(f.file).into_iter().map(|b| b.0).collect())
                .unwrap_or_default(),
        )
    }

    /// Adds parcels to an order (addParcels, guide §IV.4). An order-level non-OK status
    /// (`illegal-state`, `no-data-found`) is returned as [`DpdError::Service`]; per-parcel
    /// statuses stay in `parcel_status`.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn add_parcels(
        &self,
        mut parcels: order::DpdOrderCorrection,
    ) -> Result<order::DpdOrderCorrectionStatus, DpdError> {
        parcels.auth = auth!(self, order);
        let r = self.order.add_parcels(parcels).await.map_err(from_soap)?;
        correction_result(r)
    }

    /// Removes parcels from an order (removeParcels); see [`add_parcels`](Self::add_parcels).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn remove_parcels(
        &self,
        mut parcels: order::DpdOrderCorrection,
    ) -> Result<order::DpdOrderCorrectionStatus, DpdError> {
        parcels.auth = auth!(self, order);
        let r = self
            .order
            .remove_parcels(parcels)
            .await
            .map_err(from_soap)?;
        correction_result(r)
    }

    /// Cancels orders (cancelOrder, guide §IV.8); check each
    /// [`cancel_status`](order::DpdOrderStatus::cancel_status).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn cancel_order(
        &self,
        cancel: Vec<order::OrderCancel>,
    ) -> Result<Vec<order::DpdOrderStatus>, DpdError> {
        let request = order::DpdOrderCancellation {
            auth: auth!(self, order),
            cancel,
        };
        self.order.cancel_order(request).await.map_err(from_soap)
    }

    // ----- tracing «Отслеживание статуса» (guide §IV.5) -----

    /// New parcel states since the last confirmed batch (getStatesByClient). Prefer
    /// [`sync_states`](Self::sync_states), which confirms for you.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_client(&self) -> Result<tracing::StateParcels, DpdError> {
        let request = tracing::RequestClient {
            auth: auth!(self, tracing),
        };
        returned(
            self.tracing.get_states_by_client(request).await,
            "getStatesByClient return",
        )
    }

    /// Confirms a batch (confirm): DPD will not send its states again.
    ///
    /// # Errors
    /// [`DpdError`]; `confirm-not-required` when the client's setting is «без подтверждения».
    pub async fn confirm(&self, doc_id: i64) -> Result<Option<String>, DpdError> {
        let request = tracing::RequestConfirm {
            auth: auth!(self, tracing),
            doc_id,
        };
        self.tracing.confirm(request).await.map_err(from_soap)
    }

    /// Runs the guide's tracking loop (§5.4.1): getStatesByClient → `handler(batch)` →
    /// confirm(docId) only after the handler returned `Ok` → again at once while
    /// `resultComplete` is false. A handler error stops the loop without confirming, so DPD
    /// sends the same states next time and none is lost. `confirm-not-required` (client set
    /// up «без подтверждения») is accepted.
    ///
    /// # Errors
    /// [`DpdError::Handler`] or the failing call's [`DpdError`].
    pub async fn sync_states<F, Fut, E>(&self, mut handler: F) -> Result<SyncSummary, DpdError>
    where
        F: FnMut(tracing::StateParcels) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let mut summary = SyncSummary::default();
        while summary.batches < MAX_SYNC_ROUNDS {
            let batch = self.states_by_client().await?;
            summary.batches += 1;
            let doc_id = batch.doc_id;
            let complete = batch.result_complete;
            let count = batch.states.len();
            if count > 0 {
                handler(batch)
                    .await
                    .map_err(|e| DpdError::Handler(e.into()))?;
                summary.states += count;
                match self.confirm(doc_id).await {
                    Ok(_) => summary.confirmed += 1,
                    Err(DpdError::Service {
                        code: crate::DpdErrorCode::ConfirmNotRequired,
                        ..
                    }) => {}
                    Err(e) => return Err(e),
                }
            }
            if complete {
                break;
            }
        }
        Ok(summary)
    }

    /// Full history by the client's order number (getStatesByClientOrder).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_client_order(
        &self,
        client_order_nr: &str,
        pickup_date: Option<Date>,
    ) -> Result<tracing::StateParcels, DpdError> {
        let request = tracing::RequestClientOrder {
            auth: auth!(self, tracing),
            client_order_nr: client_order_nr.to_owned(),
            pickup_date,
        };
        returned(
            self.tracing.get_states_by_client_order(request).await,
            "getStatesByClientOrder return",
        )
    }

    /// Full history by the client's parcel number (getStatesByClientParcel).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_client_parcel(
        &self,
        client_parcel_nr: &str,
        pickup_date: Option<Date>,
    ) -> Result<tracing::StateParcels, DpdError> {
        let request = tracing::RequestClientParcel {
            auth: auth!(self, tracing),
            client_parcel_nr: client_parcel_nr.to_owned(),
            pickup_date,
        };
        returned(
            self.tracing.get_states_by_client_parcel(request).await,
            "getStatesByClientParcel return",
        )
    }

    /// Full history by DPD's order number (getStatesByDPDOrder); `pickup_year` because DPD
    /// numbers are unique per year.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_dpd_order(
        &self,
        dpd_order_nr: &str,
        pickup_year: Option<i32>,
    ) -> Result<tracing::StateParcels, DpdError> {
        let request = tracing::RequestDpdOrder {
            auth: auth!(self, tracing),
            dpd_order_nr: dpd_order_nr.to_owned(),
            pickup_year,
        };
        returned(
            self.tracing.get_states_by_dpd_order(request).await,
            "getStatesByDPDOrder return",
        )
    }

    /// As [`states_by_client_order`](Self::states_by_client_order) on tracing1-1 (adds weights,
    /// volumes, sizes, orderCost).
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_client_order_detailed(
        &self,
        client_order_nr: &str,
        pickup_date: Option<Date>,
    ) -> Result<tracing11::StateParcels, DpdError> {
        let request = tracing11::RequestClientOrder {
            auth: auth!(self, tracing11),
            client_order_nr: client_order_nr.to_owned(),
            pickup_date,
        };
        returned(
            self.tracing11.get_states_by_client_order(request).await,
            "getStatesByClientOrder return",
        )
    }

    /// As [`states_by_client_parcel`](Self::states_by_client_parcel) on tracing1-1.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_client_parcel_detailed(
        &self,
        client_parcel_nr: &str,
        pickup_date: Option<Date>,
    ) -> Result<tracing11::StateParcels, DpdError> {
        let request = tracing11::RequestClientParcel {
            auth: auth!(self, tracing11),
            client_parcel_nr: client_parcel_nr.to_owned(),
            pickup_date,
        };
        returned(
            self.tracing11.get_states_by_client_parcel(request).await,
            "getStatesByClientParcel return",
        )
    }

    /// As [`states_by_dpd_order`](Self::states_by_dpd_order) on tracing1-1.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn states_by_dpd_order_detailed(
        &self,
        dpd_order_nr: &str,
        pickup_year: Option<i32>,
    ) -> Result<tracing11::StateParcels, DpdError> {
        let request = tracing11::RequestDpdOrder {
            auth: auth!(self, tracing11),
            dpd_order_nr: dpd_order_nr.to_owned(),
            pickup_year,
        };
        returned(
            self.tracing11.get_states_by_dpd_order(request).await,
            "getStatesByDPDOrder return",
        )
    }

    // ----- nl «Отчеты» (guide §IV.6) -----

    /// Preliminary cost per order for `date_from..=date_to` (getNLAmount). Refused locally
    /// while a previous call runs or within 30 minutes of it (guide §6.6).
    ///
    /// # Errors
    /// [`DpdError::ReportRateLimited`] or the call's [`DpdError`].
    pub async fn nl_amount(
        &self,
        date_from: Date,
        date_to: Date,
    ) -> Result<Vec<nl::NlAmount>, DpdError> {
        let _guard = self.enter_report(&self.nl_amount, "getNLAmount")?;
        let request = nl::NlRequest {
            auth: auth!(self, nl),
            date_from,
            date_to,
        };
        self.reports.get_nl_amount(request).await.map_err(from_soap)
    }

    /// Final cost per order and invoice (getNLInvoice); same limits as
    /// [`nl_amount`](Self::nl_amount).
    ///
    /// # Errors
    /// [`DpdError::ReportRateLimited`] or the call's [`DpdError`].
    pub async fn nl_invoice(
        &self,
        date_from: Date,
        date_to: Date,
    ) -> Result<Vec<nl::NlInvoice>, DpdError> {
        let _guard = self.enter_report(&self.nl_invoice, "getNLInvoice")?;
        let request = nl::NlRequest {
            auth: auth!(self, nl),
            date_from,
            date_to,
        };
        self.reports
            .get_nl_invoice(request)
            .await
            .map_err(from_soap)
    }

    /// Takes the report gate: refuses while a call runs or before [`REPORT_INTERVAL`] has
    /// passed since the last one started; records this call's start.
    fn enter_report<'g>(
        &self,
        gate: &'g ReportGate,
        operation: &'static str,
    ) -> Result<tokio::sync::MutexGuard<'g, Option<Instant>>, DpdError> {
        let mut guard = gate
            .last_call
            .try_lock()
            .map_err(|_| DpdError::ReportRateLimited {
                operation,
                retry_after: REPORT_INTERVAL,
            })?;
        let now = self.clock.now();
        if let Some(last) = *guard {
            let elapsed = now.saturating_duration_since(last);
            if elapsed < REPORT_INTERVAL {
                return Err(DpdError::ReportRateLimited {
                    operation,
                    retry_after: REPORT_INTERVAL - elapsed,
                });
            }
        }
        *guard = Some(now);
        Ok(guard)
    }

    // ----- label-print «Печать Наклейки» (guide §IV.7) -----

    /// Labels for orders that already have DPD numbers (createLabelFile). `orders` are
    /// `(orderNum, parcelsNumber)` pairs; `parcelsNumber` is the number of labels.
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn create_label_file(
        &self,
        format: LabelFormat,
        page_size: PageSize,
        orders: &[(&str, i32)],
    ) -> Result<LabelFile, DpdError> {
        let request = label::DpdGetLabelFile {
            auth: auth!(self, label),
            file_format: format.as_str().to_owned(),
            page_size: page_size.as_str().to_owned(),
            order: orders
                .iter()
                .map(|(num, n)| label::OrderParam {
                    order_num: (*num).to_owned(),
                    parcels_number: *n,
                })
                .collect(),
        };
        let r = returned(
            self.label_print.create_label_file(request).await,
            "createLabelFile return",
        )?;
        let orders = flatten(r.order);
        match r.file {
            Some(file) => Ok(LabelFile {
                bytes: file.0,
                orders,
            }),
            // No file: report the first order's error (illegal-state, input-data-error, …).
            None => Err(orders
                .iter()
                .find(|o| !matches!(o.status.as_str(), "OK" | "ОК"))
                .map(|o| DpdError::status(&o.status, o.error_message.as_deref()))
                .unwrap_or(DpdError::MissingData("createLabelFile file"))),
        }
    }

    // ----- inquiry-desk «Справочная информация» (guide §IV.9) -----

    /// The DPD client number of a payer by INN (getClientNumByINN). Non-OK statuses
    /// (`no-data-found`, `too-many-rows`, `no-setting`) are [`DpdError::Service`].
    ///
    /// # Errors
    /// [`DpdError`].
    pub async fn client_num_by_inn(&self, inn: &str) -> Result<i64, DpdError> {
        let request = inquiry::DpdGetClientNumByInn {
            auth: auth!(self, inquiry),
            client_inn: inn.to_owned(),
        };
        let r = returned(
            self.inquiry.get_client_num_by_inn(request).await,
            "getClientNumByINN return",
        )?;
        match InnLookupStatus::from(r.status.as_str()) {
            InnLookupStatus::Ok => r
                .client_number
                .ok_or(DpdError::MissingData("getClientNumByINN clientNumber")),
            _ => Err(DpdError::status(&r.status, r.error_message.as_deref())),
        }
    }
}

/// Namespace of geography2.
const GEO_NS: &str = "http://dpd.ru/ws/geography/2015-05-20";

/// Drops `xsi:nil` entries.
fn flatten<T>(items: Vec<soap_runtime::types::Nillable<T>>) -> Vec<T> {
    items
        .into_iter()
        .filter_map(soap_runtime::types::Nillable::into_option)
        .collect()
}

fn address_result(
    status: Option<order::DpdClientAddressStatus>,
) -> Result<order::DpdClientAddressStatus, DpdError> {
    let status = status.ok_or(DpdError::MissingData("address status"))?;
    match AddressStatus::from(status.status.as_str()) {
        AddressStatus::Ok => Ok(status),
        _ => Err(DpdError::status(
            &status.status,
            status.error_message.as_deref(),
        )),
    }
}

fn correction_result(
    status: Option<order::DpdOrderCorrectionStatus>,
) -> Result<order::DpdOrderCorrectionStatus, DpdError> {
    let status = status.ok_or(DpdError::MissingData("order correction status"))?;
    match OrderChangeStatus::from(status.status.as_str()) {
        OrderChangeStatus::Ok => Ok(status),
        _ => Err(DpdError::status(
            &status.status,
            status.error_message.as_deref(),
        )),
    }
}

//! A stateful DPD and CDEK test double, served from the server skeletons generated from
//! `wsdl/dpd` and `wsdl/cdek`.
//!
//! [`Sandbox::start`] binds `127.0.0.1:<port>` and serves, on DPD's paths:
//! - `/services/geography2` — cities with cash on delivery, self-delivery terminals and
//!   several thousand parcel shops, generated deterministically from [`Config::seed`];
//! - `/services/calculator2` — `getServiceCost2`/`getServiceCostByParcels2` over a tariff model
//!   (weight, volume, distance band, service, self-pickup/self-delivery, declared value),
//!   with DPD's `no-data-found`/`too-many-rows` (duplicate lists) faults and the
//!   `maxDays`/`maxCost`/`serviceCode` filters;
//! - `/services/order2` — createOrder (required-value / error-value faults for missing or
//!   out-of-set fields, per-order `OK`/`OrderPending`/`OrderError`, DPD-style numbers such as
//!   `12010001MOW`), getOrderStatus, createAddress/updateAddress (`code-already-exists`,
//!   `code-not-found`, `address-error`), addParcels/removeParcels (`illegal-state` once picked
//!   up), cancelOrder (`Cancelled`, `Cancelled_previously`, `Error`), getInvoiceFile (PDF) and
//!   getRegisterFile (spreadsheet). A door address with an unknown or ambiguous city or without
//!   a house is `OrderPending` and resolves [`store::PENDING_MINUTES`] later (unknown city:
//!   `OrderError`); the numbering, timeline and cancel rules are in [`store`];
//! - `/services/tracing` — getStatesByClient/confirm as documents: every call returns a new
//!   `docId` with the oldest unconfirmed states (at most [`Config::states_per_call`],
//!   `resultComplete = false` when more remain); unconfirmed states come again; `confirm(docId)`
//!   removes them; an unknown `docId` is `no-data-found`; with
//!   [`Config::tracing_with_confirmation`] off, states come once and confirm is
//!   `confirm-not-required`. getStatesByClientOrder/Parcel/DPDOrder return the full history
//!   (`no-data-found`, `too-many-rows` faults);
//! - `/services/tracing1-1` — the three history methods plus weights, volumes, sizes, cost;
//! - `/services/nl` — getNLAmount (picked-up orders) / getNLInvoice (delivered orders) by
//!   pickup date, refused while the same method runs (`call-client-twin`) or within 30
//!   simulated minutes of its previous call (`too-many-calls`) (§6.6);
//! - `/services/label-print` — createLabelFile (PDF or FP3, A5/A6) with per-order statuses
//!   `no-data-found`, `OrderPending`, `illegal-state` (picked up), `input-data-error` (pickup
//!   date in the past);
//! - `/services/inquiry-desk` — getClientNumByINN over [`Config::inns`];
//! - CDEK's integration protocol v1.5 on CDEK's paths (`/new_orders.php`, `/status_report_h.php`,
//!   `/pvzlist/v1/xml`, …, and the JSON calculator under `/calculator/`), through the generated
//!   HTTP-binding dispatchers: `Secure` checked (`ERR_AUTH`), per-order results, statuses that
//!   follow the same simulated clock, real PDF receipts and labels; see the `cdek` module.
//!
//! Every response passes the [`faults`] layer first: latency, HTTP 5xx, dropped connections and
//! DPD's `too-many-calls` can be switched on per test through [`Handle::faults`]. Labels,
//! waybills and receipts are real PDFs (Cyrillic embedded, Code 128 barcodes) and registers
//! real `.xlsx` files, made by [`files`].
//!
//! Time is simulated: [`State::now`] is [`Config::start`] (Moscow local time) plus
//! [`State::clock_minutes`], advanced by [`Handle::advance_minutes`]; orders move through
//! DPD's parcel states (§5.6.1) as it advances.
//!
//! Every request checks `auth` against [`Config::client_number`]/[`Config::client_key`];
//! anything else gets DPD's `auth-error` fault.
//!
//! Generated server traits take the request *element* (the document/literal wrapper, e.g.
//! `GetParcelShops { request }`) and return the response element.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use soap_runtime::server::{axum_router, ServerFault};

/// Bindings generated from `wsdl/dpd/` and `wsdl/cdek/` with server skeletons, one module per
/// service.
#[allow(clippy::all, missing_docs)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}

mod calculator;
mod cdek;
pub mod faults;
pub mod files;
mod geography;
mod inquiry;
mod labels;
mod orders;
mod reports;
pub mod store;
mod tracking;
pub mod world;

pub use world::World;

/// The sandbox's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Port to bind on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// The only accepted client number.
    pub client_number: i64,
    /// The key of [`client_number`](Self::client_number).
    pub client_key: String,
    /// Seed of the generated geography.
    pub seed: u64,
    /// Number of parcel shops to generate.
    pub parcel_shops: usize,
    /// The only accepted CDEK `Account`.
    pub cdek_account: String,
    /// The CDEK secure password of [`cdek_account`](Self::cdek_account).
    pub cdek_password: String,
    /// The simulated calendar's start, Moscow local time (default 2026-12-01 09:00).
    pub start: NaiveDateTime,
    /// Most parcel states in one getStatesByClient document.
    pub states_per_call: usize,
    /// getStatesByClient «с подтверждением» (DPD's default) or «без подтверждения».
    pub tracing_with_confirmation: bool,
    /// How long each nl report call runs (real milliseconds), to make concurrency observable.
    pub report_latency_ms: u64,
    /// INN → DPD client number for getClientNumByINN; an INN listed twice is `too-many-rows`.
    pub inns: Vec<(String, i64)>,
    /// INNs answered `no-setting` (payment by a non-customer not allowed).
    pub inns_no_setting: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 0,
            client_number: 1_000_000_000,
            client_key: "SANDBOXKEY".to_owned(),
            seed: 42,
            parcel_shops: 3000,
            cdek_account: "sandbox-account".to_owned(),
            cdek_password: "sandbox-password".to_owned(),
            start: NaiveDate::from_ymd_opt(2026, 12, 1)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
            states_per_call: 20,
            tracing_with_confirmation: true,
            report_latency_ms: 0,
            inns: vec![
                ("7701234567".to_owned(), 1_000_000_101),
                ("7709876543".to_owned(), 1_000_000_102),
                ("7705555555".to_owned(), 1_000_000_103),
                ("7705555555".to_owned(), 1_000_000_104),
            ],
            inns_no_setting: vec!["7700000000".to_owned()],
        }
    }
}

/// The shared state of a running sandbox.
#[derive(Debug)]
pub struct State {
    /// The settings it was started with.
    pub config: Config,
    /// Generated geography (read-only after start).
    pub world: World,
    /// Simulated clock, in minutes since the sandbox started; advanced by tests.
    pub clock_minutes: Mutex<u64>,
    /// Fault injection switches (latency, HTTP 5xx, dropped connections, too-many-calls).
    pub faults: faults::FaultSwitches,
    /// CDEK's side: orders, statuses and reference data.
    pub cdek: cdek::CdekState,
    /// DPD's side: orders, addresses, tracking documents, report gates.
    pub dpd: Mutex<store::Store>,
}

/// What a driver sees of one DPD order (see [`State::orders`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderView {
    /// The client's number.
    pub order_number_internal: String,
    /// DPD's number once assigned.
    pub order_num: Option<String>,
    /// `OK`, `OrderPending` or `OrderError`.
    pub creation_status: &'static str,
    /// Latest parcel state by now (§5.6.1), e.g. `Delivered`.
    pub state: Option<&'static str>,
    /// Pickup date.
    pub date_pickup: NaiveDate,
    /// Planned delivery date.
    pub plan_delivery_date: NaiveDate,
    /// Whether cancelOrder cancelled it.
    pub cancelled: bool,
}

impl State {
    /// The simulated "now" (Moscow local time): [`Config::start`] + [`clock_minutes`](Self::clock_minutes).
    pub fn now(&self) -> NaiveDateTime {
        let minutes = self.clock_minutes.lock().map(|m| *m).unwrap_or_default();
        store::plus_minutes(
            self.config.start,
            i64::try_from(minutes).unwrap_or(i64::MAX),
        )
    }

    /// The simulated date.
    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    /// Minutes until the next planned parcel transition or pending-order resolution, if any:
    /// a driver advances by this until it is `None` to see every order through.
    pub fn next_event_in(&self) -> Option<u64> {
        let now = self.now();
        let mut store = self.dpd.lock().ok()?;
        store.refresh(now, &self.world);
        store.next_event_in(now)
    }

    /// All DPD orders as of now, in creation order.
    pub fn orders(&self) -> Vec<OrderView> {
        let now = self.now();
        let Ok(mut store) = self.dpd.lock() else {
            return Vec::new();
        };
        store.refresh(now, &self.world);
        store
            .orders
            .iter()
            .map(|o| OrderView {
                order_number_internal: o.internal.clone(),
                order_num: o.number.clone(),
                creation_status: o.creation.as_str(),
                state: o.current(now).map(store::ParcelState::as_str),
                date_pickup: o.date_pickup,
                plan_delivery_date: store::plus_days(o.date_pickup, o.days),
                cancelled: o.cancelled,
            })
            .collect()
    }

    /// Checks DPD credentials: `Some(message)` is DPD's auth-error text.
    pub(crate) fn check_auth(&self, number: i64, key: &str) -> Result<(), (&'static str, String)> {
        if number == self.config.client_number && key == self.config.client_key {
            Ok(())
        } else {
            Err((
                "auth-error",
                "Ошибка в параметрах аутентификации".to_owned(),
            ))
        }
    }
}

/// A running sandbox; dropping it does not stop the server, call [`Handle::stop`].
#[derive(Debug)]
pub struct Handle {
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Handle {
    /// The shared state (world data, clock).
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// Advances the simulated clock by `minutes`.
    pub fn advance_minutes(&self, minutes: u64) {
        if let Ok(mut c) = self.state.clock_minutes.lock() {
            *c = c.saturating_add(minutes);
        }
    }

    /// The simulated "now" (Moscow local time), see [`State::now`].
    pub fn now(&self) -> NaiveDateTime {
        self.state.now()
    }

    /// Advances the clock to the next planned DPD event; `false` when nothing is planned.
    pub fn advance_to_next_event(&self) -> bool {
        match self.state.next_event_in() {
            Some(m) => {
                self.advance_minutes(m);
                true
            }
            None => false,
        }
    }

    /// The fault injection switches; changes apply to the next request.
    pub fn faults(&self) -> &faults::FaultSwitches {
        &self.state.faults
    }

    /// Stops serving.
    pub fn stop(self) {
        self.task.abort();
    }
}

/// Entry point.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Binds 127.0.0.1 and serves until [`Handle::stop`].
    ///
    /// # Errors
    /// The port cannot be bound.
    pub async fn start(config: Config) -> std::io::Result<(SocketAddr, Handle)> {
        let state = Arc::new(State {
            world: World::generate(config.seed, config.parcel_shops),
            config,
            clock_minutes: Mutex::new(0),
            faults: faults::FaultSwitches::default(),
            cdek: cdek::CdekState::default(),
            dpd: Mutex::new(store::Store::default()),
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", state.config.port)).await?;
        let addr = listener.local_addr()?;
        let app = router(&state);
        let task = tokio::spawn(async move {
            // Serving only ends on abort or a listener failure, which tests observe as refused calls.
            let _ = axum::serve(listener, app).await;
        });
        Ok((addr, Handle { state, task }))
    }
}

/// All mounted services, behind the fault injection layer.
fn router(state: &Arc<State>) -> axum::Router {
    faults::apply(
        dpd_router(state).merge(cdek::router(state)),
        Arc::clone(state),
    )
}

/// DPD's services on DPD's paths.
fn dpd_router(state: &Arc<State>) -> axum::Router {
    use dpd_client::paths;
    use generated::{
        dpd_calculator_service as calc, dpd_geography2_service as geo,
        dpd_inquiry_desk_service as inq, dpd_label_print_service as lp, dpd_order_service as ord,
        dpd_reports_service as nl, parcel_tracing11_service as tr11, parcel_tracing_service as tr,
    };
    axum_router(
        paths::GEOGRAPHY,
        Arc::new(geo::DpdGeography2Server::new(Arc::new(
            geography::Geography(Arc::clone(state)),
        ))),
    )
    .merge(axum_router(
        paths::CALCULATOR,
        Arc::new(calc::DpdCalculatorServer::new(Arc::new(
            calculator::Calculator(Arc::clone(state)),
        ))),
    ))
    .merge(axum_router(
        paths::ORDER,
        Arc::new(ord::DpdOrderServer::new(Arc::new(orders::Orders(
            Arc::clone(state),
        )))),
    ))
    .merge(axum_router(
        paths::TRACING,
        Arc::new(tr::ParcelTracingServer::new(Arc::new(tracking::Tracing(
            Arc::clone(state),
        )))),
    ))
    .merge(axum_router(
        paths::TRACING11,
        Arc::new(tr11::ParcelTracing11Server::new(Arc::new(
            tracking::Tracing11(Arc::clone(state)),
        ))),
    ))
    .merge(axum_router(
        paths::REPORTS,
        Arc::new(nl::DpdReportsServer::new(Arc::new(reports::Reports(
            Arc::clone(state),
        )))),
    ))
    .merge(axum_router(
        paths::LABEL_PRINT,
        Arc::new(lp::DpdLabelPrintServer::new(Arc::new(labels::Labels(
            Arc::clone(state),
        )))),
    ))
    .merge(axum_router(
        paths::INQUIRY_DESK,
        Arc::new(inq::DpdInquiryDeskServer::new(Arc::new(inquiry::Inquiry(
            Arc::clone(state),
        )))),
    ))
}

/// DPD's common fault texts (Part V.1).
pub(crate) const REQUIRED: (&str, &str) =
    ("required-value", "Не заданы значения обязательных полей");
/// `error-value` and its text.
pub(crate) const BAD_VALUE: (&str, &str) = ("error-value", "Недопустимое значение поля");
/// `no-data-found` and its text.
pub(crate) const NOT_FOUND: (&str, &str) = ("no-data-found", "Данные не найдены");
/// `too-many-rows` and its text.
pub(crate) const TOO_MANY: (&str, &str) = ("too-many-rows", "Найдено более одной записи данных");
/// `system-error` and its text (a poisoned lock).
pub(crate) const SYSTEM: (&str, &str) = ("system-error", "Системная ошибка");

/// A `WSFault`-style fault of `code`/`message` for a port whose detail is `D`.
pub(crate) fn fault<D>(detail: D, message: &str) -> ServerFault<D> {
    ServerFault::with_detail(message.to_owned(), detail)
}

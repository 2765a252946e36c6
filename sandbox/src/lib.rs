//! A stateful DPD test double, served from the server skeletons generated from `wsdl/dpd`.
//!
//! [`Sandbox::start`] binds `127.0.0.1:<port>` and serves, on DPD's paths:
//! - `/services/geography2` — cities with cash on delivery, self-delivery terminals and
//!   several thousand parcel shops, generated deterministically from [`Config::seed`];
//! - `/services/calculator2` — `getServiceCost2`/`getServiceCostByParcels2` over a tariff model
//!   (weight, volume, distance band, service, self-pickup/self-delivery, declared value),
//!   with DPD's `no-data-found`/`too-many-rows` (duplicate lists) faults and the
//!   `maxDays`/`maxCost`/`serviceCode` filters.
//!
//! Every request checks `auth` against [`Config::client_number`]/[`Config::client_key`];
//! anything else gets DPD's `auth-error` fault.
//!
//! Generated server traits take the request *element* (the document/literal wrapper, e.g.
//! `GetParcelShops { request }`) and return the response element.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use soap_runtime::server::{axum_router, ServerFault};

/// Bindings generated from `wsdl/dpd/` with server skeletons, one module per service.
#[allow(clippy::all, missing_docs)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}

mod calculator;
mod cdek;
pub mod faults;
pub mod files;
mod geography;
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
}

impl State {
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
            *c += minutes;
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
    faults::apply(dpd_router(state).merge(cdek::router(state)), Arc::clone(state))
}

/// DPD's services on DPD's paths.
fn dpd_router(state: &Arc<State>) -> axum::Router {
    use generated::{dpd_calculator_service as calc, dpd_geography2_service as geo};
    axum_router(
        "/services/geography2",
        Arc::new(geo::DpdGeography2Server::new(Arc::new(
            geography::Geography(Arc::clone(state)),
        ))),
    )
    .merge(axum_router(
        "/services/calculator2",
        Arc::new(calc::DpdCalculatorServer::new(Arc::new(
            calculator::Calculator(Arc::clone(state)),
        ))),
    ))
}

/// A `WSFault`-style fault of `code`/`message` for a port whose detail is `D`.
pub(crate) fn fault<D>(detail: D, message: &str) -> ServerFault<D> {
    ServerFault::with_detail(message.to_owned(), detail)
}

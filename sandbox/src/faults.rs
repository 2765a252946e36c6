//! Fault injection for tests: latency, HTTP 5xx, dropped connections, DPD's `too-many-calls`.
//! (Placeholder: being built.)

use std::sync::Arc;

use crate::State;

/// Switches read on every request; all off by default.
#[derive(Debug, Default)]
pub struct FaultSwitches {}

/// Wraps `router` so every request first passes the switches in `state.faults`.
pub(crate) fn apply(router: axum::Router, _state: Arc<State>) -> axum::Router {
    router
}

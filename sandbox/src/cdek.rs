//! CDEK's integration protocol (v1.5) served over the HTTP-binding dispatchers generated from
//! `wsdl/cdek`. (Placeholder: the CDEK side is being built.)

use std::sync::Arc;

use crate::State;

/// CDEK's mutable state: orders, their statuses, courier calls.
#[derive(Debug, Default)]
pub struct CdekState {}

/// CDEK's endpoints on CDEK's paths.
pub(crate) fn router(_state: &Arc<State>) -> axum::Router {
    axum::Router::new()
}
